"""The Supabase edge-function contract the original frontend and supabase-py speak."""

from __future__ import annotations

import pytest

from tests.conftest import Service
from tests.videos.conftest import Cast

pytestmark = pytest.mark.anyio


async def test_generate_answers_with_video_and_job_ids(service: Service, cast: Cast) -> None:
    response = await service.client.post(
        "/functions/v1/generate-bot-video",
        json={"communityId": str(cast.community.id), "videoType": "promo"},
        headers={
            **cast.admin_headers,
            "apikey": "sb_publishable_test",
            "x-client-info": "supabase-js/2.109.0",
        },
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"videoId", "jobId", "status"}
    assert body["status"] == "pending"


async def test_empty_custom_prompt_is_treated_as_missing(service: Service, cast: Cast) -> None:
    for custom in (None, ""):
        response = await service.client.post(
            "/functions/v1/generate-bot-video",
            json={"communityId": str(cast.community.id), "videoType": "intro", "customPrompt": custom},
            headers=cast.admin_headers,
        )
        assert response.status_code == 200, response.text


async def test_check_status_follows_the_job_to_completion(service: Service, cast: Cast) -> None:
    created = (
        await service.client.post(
            "/functions/v1/generate-bot-video",
            json={"communityId": str(cast.community.id), "videoType": "intro"},
            headers=cast.admin_headers,
        )
    ).json()
    latest: dict[str, object] = {}

    async def completed() -> bool:
        nonlocal latest
        response = await service.client.post(
            "/functions/v1/check-video-status",
            json={"videoId": created["videoId"]},
            headers=cast.admin_headers,
        )
        latest = response.json()
        return latest["status"] == "completed"

    await service.wait_for(completed)
    assert latest["videoUrl"]
    assert latest["thumbnailUrl"]
    assert latest["errorMessage"] is None
    assert (await service.client.get(str(latest["videoUrl"]))).status_code == 200


async def test_missing_community_id_answers_an_error_body(service: Service, cast: Cast) -> None:
    response = await service.client.post(
        "/functions/v1/generate-bot-video", json={"videoType": "intro"}, headers=cast.admin_headers
    )
    assert response.status_code == 422
    assert response.json()["error"] == "communityId: is required"


async def test_cors_preflight_allows_supabase_headers(service: Service) -> None:
    response = await service.client.options(
        "/functions/v1/generate-bot-video",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, x-client-info, apikey, content-type",
        },
    )
    assert response.status_code == 200
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "x-client-info", "apikey", "content-type"):
        assert header in allowed
