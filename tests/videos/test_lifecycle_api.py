"""A video from request to stored file, through the REST API, with the real job engine and database."""

from __future__ import annotations

import uuid

import pytest

from botvideo.engine.media import probe_video
from tests.conftest import Service
from tests.videos.conftest import Cast

pytestmark = pytest.mark.anyio


async def create(service: Service, cast: Cast, **body: object) -> dict[str, object]:
    response = await service.client.post(
        f"/api/v1/communities/{cast.community.id}/videos", json=body, headers=cast.admin_headers
    )
    assert response.status_code == 202, response.text
    return response.json()


@pytest.mark.parametrize("video_type", ["intro", "promo", "token_reveal", "custom"])
async def test_each_video_type_is_stored_as_a_playable_file(service: Service, cast: Cast, video_type: str) -> None:
    body: dict[str, object] = {"video_type": video_type}
    if video_type == "custom":
        body["custom_prompt"] = "A lighthouse made of stars"
    created = await create(service, cast, **body)
    assert created["status"] == "pending"

    done = await service.wait_for_status(str(created["id"]), cast.admin_headers, {"completed"})

    assert done["progress"] == 1.0
    assert done["duration"] == 1
    assert done["width"] == 64
    assert done["height"] == 48
    media = await service.client.get(str(done["video_url"]))
    assert media.status_code == 200
    assert media.headers["content-type"] == "video/mp4"
    poster = await service.client.get(str(done["thumbnail_url"]))
    assert poster.headers["content-type"] == "image/jpeg"
    with service.database.transaction() as session:
        from botvideo.videos.models import BotVideo

        row = session.get(BotVideo, uuid.UUID(str(created["id"])))
        assert row is not None
        assert row.video_key is not None
        assert probe_video(service.storage.local_path(row.video_key)).frames == 24


async def test_the_provider_is_asked_once_per_video(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="promo")
    await service.wait_for_status(str(created["id"]), cast.admin_headers, {"completed"})
    assert service.ledger.submissions[str(created["id"])] == 1


async def test_media_supports_range_requests(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="intro")
    done = await service.wait_for_status(str(created["id"]), cast.admin_headers, {"completed"})
    response = await service.client.get(str(done["video_url"]), headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert len(response.content) == 100
    assert response.headers["content-range"].startswith("bytes 0-99/")


async def test_template_prompt_uses_the_bot_name(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="intro")
    assert "Nova the Navigator" in str(created["prompt"])


async def test_token_reveal_prompt_names_the_ticker(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="token_reveal")
    assert "$NOVA" in str(created["prompt"])


@pytest.mark.parametrize(
    ("marker", "status", "code"),
    [
        ("moderation", "failed", "moderation"),
        ("failed", "failed", "internal"),
        ("credits", "failed", "insufficient_credits"),
        ("invalid", "failed", "invalid_request"),
        ("unavailable", "failed", "provider_unavailable"),
        ("canceled", "canceled", "canceled"),
    ],
)
async def test_provider_failures_end_with_a_safe_message(
    service: Service, cast: Cast, marker: str, status: str, code: str
) -> None:
    created = await create(service, cast, video_type="custom", custom_prompt=f"Rocket [script:{marker}]")
    done = await service.wait_for_status(str(created["id"]), cast.admin_headers, {status})
    assert done["error_code"] == code
    message = str(done["error_message"])
    assert message
    assert "raw provider" not in message
    assert "GPU" not in message
    assert "503" not in message
    assert done["video_url"] is None


async def test_a_busy_provider_is_retried_until_a_slot_frees(service: Service, cast: Cast) -> None:
    service.ledger.busy_left = 2
    created = await create(service, cast, video_type="custom", custom_prompt="Queue me [script:busy]")
    await service.wait_for_status(str(created["id"]), cast.admin_headers, {"completed"})
    assert service.ledger.submissions[str(created["id"])] == 1


async def test_a_job_past_its_deadline_fails_as_timed_out(service: Service, cast: Cast) -> None:
    service.settings.job_deadline_seconds = 1.0
    created = await create(service, cast, video_type="custom", custom_prompt="Forever [script:never]")
    done = await service.wait_for_status(str(created["id"]), cast.admin_headers, {"failed"})
    assert done["error_code"] == "timed_out"


async def test_cancel_stops_a_running_video(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="custom", custom_prompt="Slow [script:never]")
    await service.wait_for_status(str(created["id"]), cast.admin_headers, {"processing"})
    response = await service.client.post(f"/api/v1/videos/{created['id']}/cancel", headers=cast.admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "canceled"
    done = await service.wait_for_status(str(created["id"]), cast.admin_headers, {"canceled"})
    assert done["error_code"] == "canceled"


async def test_cancel_says_too_late_when_the_provider_already_started(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="custom", custom_prompt="Late [script:too_late]")
    await service.wait_for_status(str(created["id"]), cast.admin_headers, {"processing", "completed"})
    response = await service.client.post(f"/api/v1/videos/{created['id']}/cancel", headers=cast.admin_headers)
    if response.status_code == 409:  # it finished first: also not cancelable
        assert "already completed" in response.json()["error"]
    else:
        assert response.json()["outcome"] == "too_late"


async def test_delete_removes_the_row_files_and_provider_copy(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="promo")
    done = await service.wait_for_status(str(created["id"]), cast.admin_headers, {"completed"})
    with service.database.transaction() as session:
        from botvideo.videos.models import BotVideo

        row = session.get(BotVideo, uuid.UUID(str(created["id"])))
        assert row is not None
        assert row.video_key is not None
        video_path = service.storage.local_path(row.video_key)
    assert video_path.exists()

    response = await service.client.delete(f"/api/v1/videos/{created['id']}", headers=cast.admin_headers)
    assert response.status_code == 204

    assert (await service.client.get(f"/api/v1/videos/{created['id']}", headers=cast.admin_headers)).status_code == 404
    await service.wait_for(lambda: not video_path.exists())
    await service.wait_for(lambda: f"req-{created['id']}" in service.ledger.deleted)
    assert (await service.client.get(str(done["video_url"]))).status_code == 404


async def test_gallery_lists_newest_first_with_filters_and_pages(service: Service, cast: Cast) -> None:
    ids = []
    for video_type in ["intro", "promo", "intro", "token_reveal", "intro"]:
        ids.append((await create(service, cast, video_type=video_type))["id"])
    url = f"/api/v1/communities/{cast.community.id}/videos"

    first = (await service.client.get(url, params={"limit": 2}, headers=cast.member_headers)).json()
    second = (
        await service.client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=cast.member_headers)
    ).json()
    third = (
        await service.client.get(url, params={"limit": 2, "cursor": second["next_cursor"]}, headers=cast.member_headers)
    ).json()
    listed = [v["id"] for page in (first, second, third) for v in page["items"]]
    assert listed == list(reversed(ids))
    assert third["next_cursor"] is None

    intros = (await service.client.get(url, params={"type": "intro"}, headers=cast.member_headers)).json()
    assert {v["video_type"] for v in intros["items"]} == {"intro"}
    assert len(intros["items"]) == 3


async def test_prompt_preview_shows_the_final_prompt_before_spending(service: Service, cast: Cast) -> None:
    response = await service.client.post(
        f"/api/v1/communities/{cast.community.id}/prompt-preview",
        json={"video_type": "promo"},
        headers=cast.admin_headers,
    )
    assert response.status_code == 200
    assert "Nova the Navigator" in response.json()["prompt"]
    assert service.ledger.submissions == {}


async def test_models_accept_the_spec_alias(service: Service, cast: Cast) -> None:
    created = await create(service, cast, video_type="promo", model="higgsfield/realistic-vision-v5")
    assert created["model"] == "scripted/model"
