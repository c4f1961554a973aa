"""Who may read and write what: members view, admins act, everyone else sees nothing (404)."""

from __future__ import annotations

import base64
import time
import uuid

import jwt
import pytest

from tests.conftest import TEST_JWT_SECRET, Service
from tests.videos.conftest import Cast

pytestmark = pytest.mark.anyio


async def make_video(service: Service, cast: Cast) -> str:
    response = await service.client.post(
        f"/api/v1/communities/{cast.community.id}/videos",
        json={"video_type": "intro"},
        headers=cast.admin_headers,
    )
    assert response.status_code == 202
    return str(response.json()["id"])


async def test_outsider_cannot_read_a_video(service: Service, cast: Cast) -> None:
    video_id = await make_video(service, cast)
    response = await service.client.get(f"/api/v1/videos/{video_id}", headers=cast.outsider_headers)
    assert response.status_code == 404


async def test_outsider_cannot_list_a_community(service: Service, cast: Cast) -> None:
    response = await service.client.get(
        f"/api/v1/communities/{cast.community.id}/videos", headers=cast.outsider_headers
    )
    assert response.status_code == 404


async def test_outsider_cannot_create_in_a_community(service: Service, cast: Cast) -> None:
    response = await service.client.post(
        f"/api/v1/communities/{cast.community.id}/videos",
        json={"video_type": "intro"},
        headers=cast.outsider_headers,
    )
    assert response.status_code == 404
    assert service.ledger.submissions == {}


async def test_outsider_cannot_cancel_or_delete(service: Service, cast: Cast) -> None:
    video_id = await make_video(service, cast)
    cancel = await service.client.post(f"/api/v1/videos/{video_id}/cancel", headers=cast.outsider_headers)
    delete = await service.client.delete(f"/api/v1/videos/{video_id}", headers=cast.outsider_headers)
    assert (cancel.status_code, delete.status_code) == (404, 404)


async def test_outsider_cannot_check_status_through_the_edge_function(service: Service, cast: Cast) -> None:
    video_id = await make_video(service, cast)
    response = await service.client.post(
        "/functions/v1/check-video-status", json={"videoId": video_id}, headers=cast.outsider_headers
    )
    assert response.status_code == 404
    assert response.json() == {"error": "Video not found.", "code": "not_found"}


async def test_member_can_view_but_not_create(service: Service, cast: Cast) -> None:
    video_id = await make_video(service, cast)
    assert (await service.client.get(f"/api/v1/videos/{video_id}", headers=cast.member_headers)).status_code == 200
    response = await service.client.post(
        f"/api/v1/communities/{cast.community.id}/videos",
        json={"video_type": "promo"},
        headers=cast.member_headers,
    )
    assert response.status_code == 403


async def test_member_cannot_delete(service: Service, cast: Cast) -> None:
    video_id = await make_video(service, cast)
    response = await service.client.delete(f"/api/v1/videos/{video_id}", headers=cast.member_headers)
    assert response.status_code == 403


async def test_media_without_signature_or_membership_is_hidden(service: Service, cast: Cast) -> None:
    video_id = await make_video(service, cast)
    done = await service.wait_for_status(video_id, cast.admin_headers, {"completed"})
    path = str(done["video_url"]).split("?")[0]
    assert (await service.client.get(path)).status_code == 404
    assert (await service.client.get(path, headers=cast.outsider_headers)).status_code == 404
    assert (await service.client.get(path, headers=cast.member_headers)).status_code == 200


async def test_media_with_a_tampered_signature_is_hidden(service: Service, cast: Cast) -> None:
    video_id = await make_video(service, cast)
    done = await service.wait_for_status(video_id, cast.admin_headers, {"completed"})
    tampered = str(done["video_url"]).replace("sig=", "sig=0")
    assert (await service.client.get(tampered)).status_code == 404


def _token(**overrides: object) -> str:
    claims: dict[str, object] = {
        "sub": "5f0c1a2b-0000-4000-8000-000000000001",
        "aud": "authenticated",
        "exp": int(time.time()) + 60,
    }
    claims.update(overrides)
    secret = str(claims.pop("secret", TEST_JWT_SECRET))
    algorithm = str(claims.pop("alg", "HS256"))
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm=algorithm)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(_token(exp=int(time.time()) - 10), id="expired"),
        pytest.param(_token(secret="not-the-secret-but-long-enough-0123456789"), id="forged"),
        pytest.param(_token(aud="anon"), id="wrong-audience"),
        pytest.param(_token(aud=None), id="no-audience"),
        pytest.param(_token(exp=None), id="no-expiry"),
        pytest.param(_token(alg="HS512"), id="other-algorithm"),
        pytest.param("sb_publishable_test", id="api-key-not-a-jwt"),
    ],
)
async def test_bad_tokens_are_rejected_with_401(service: Service, cast: Cast, token: str) -> None:
    response = await service.client.post(
        "/functions/v1/generate-bot-video",
        json={"communityId": str(cast.community.id), "videoType": "intro"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401
    assert response.json()["error"]
    assert service.ledger.submissions == {}


async def test_missing_token_is_rejected_with_401(service: Service, cast: Cast) -> None:
    response = await service.client.get(f"/api/v1/communities/{cast.community.id}/videos")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"video_type": "bogus"}, "video_type"),
        ({}, "video_type: is required"),
        ({"video_type": "custom"}, "Write a prompt"),
        ({"video_type": "custom", "custom_prompt": "   "}, "Write a prompt"),
        ({"video_type": "custom", "custom_prompt": "x" * 2001}, "limit is 2000"),
        ({"video_type": "custom", "custom_prompt": "bell\x07"}, "control characters"),
        ({"video_type": "intro", "duration": 7}, "2, 5 or 10 second"),
        ({"video_type": "intro", "model": "nope/model"}, "Unknown model"),
        ({"video_type": "intro", "source_image_url": "http://169.254.169.254/latest"}, "https://"),
        ({"video_type": "intro", "source_image_url": "https://10.0.0.1/a.png"}, "public internet"),
        ({"video_type": "intro", "use_avatar": True}, "no avatar"),
        ({"video_type": "intro", "unexpected": 1}, "unexpected"),
    ],
)
async def test_malformed_create_bodies_get_a_clear_4xx(
    service: Service, cast: Cast, body: dict[str, object], fragment: str
) -> None:
    response = await service.client.post(
        f"/api/v1/communities/{cast.community.id}/videos", json=body, headers=cast.admin_headers
    )
    assert 400 <= response.status_code < 500, response.text
    assert fragment in response.json()["error"]
    assert service.ledger.submissions == {}


async def test_invalid_json_gets_a_clear_4xx(service: Service, cast: Cast) -> None:
    response = await service.client.post(
        "/functions/v1/generate-bot-video",
        content=b"{not json",
        headers={**cast.admin_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "The request body is not valid JSON."


async def test_malformed_ids_get_a_clear_4xx(service: Service, cast: Cast) -> None:
    response = await service.client.get("/api/v1/videos/not-a-uuid", headers=cast.admin_headers)
    assert response.status_code == 422
    assert "video_id" in response.json()["error"]


async def test_a_bad_cursor_gets_a_clear_400(service: Service, cast: Cast) -> None:
    response = await service.client.get(
        f"/api/v1/communities/{cast.community.id}/videos",
        params={"cursor": "garbage!!"},
        headers=cast.member_headers,
    )
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]


async def test_a_cursor_with_a_naive_time_gets_a_clear_400(service: Service, cast: Cast) -> None:
    naive = base64.urlsafe_b64encode(f"2026-01-01T00:00:00|{uuid.uuid4()}".encode()).decode().rstrip("=")
    response = await service.client.get(
        f"/api/v1/communities/{cast.community.id}/videos", params={"cursor": naive}, headers=cast.member_headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
