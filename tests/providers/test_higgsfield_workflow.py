"""The whole video workflow with Higgsfield as the provider, against the stand-in over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from botvideo.app import create_app
from botvideo.core.config import Settings
from tests.conftest import TEST_JWT_SECRET
from tests.factories import auth_headers, avatar_png, create_community, create_user
from tests.support.handles import Handles, handles
from tests.support.standin import StandinHandle, running_standin, serving

WEBHOOK_SECRET = "whsec_" + "c2VjcmV0LWZvci1ib3R2aWRlby10ZXN0cy0xMjM0NTY3OA=="


@dataclass
class LiveService:
    base_url: str
    headers: dict[str, str]
    community_id: str
    standin: StandinHandle
    handles: Handles

    def create(self, **body: Any) -> dict[str, Any]:
        response = httpx.post(
            f"{self.base_url}/api/v1/communities/{self.community_id}/videos", json=body, headers=self.headers
        )
        assert response.status_code == 202, response.text
        return response.json()  # type: ignore[no-any-return]

    def wait_for(self, video_id: str, statuses: set[str], timeout: float = 40) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        latest: dict[str, Any] = {}
        while time.monotonic() < deadline:
            latest = httpx.get(f"{self.base_url}/api/v1/videos/{video_id}", headers=self.headers).json()
            if latest["status"] in statuses:
                return latest
            time.sleep(0.1)
        raise AssertionError(f"video stayed {latest.get('status')}: {latest}")


def _live_service(tmp_path: Path, database_url: str, standin: StandinHandle, **overrides: Any) -> Iterator[LiveService]:
    options: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "jwt_secret": TEST_JWT_SECRET,
        "provider": "higgsfield",
        "hf_key": standin.key,
        "hf_base_url": standin.base_url,
        "poll_interval_seconds": 0.3,
        "queue_polling_interval_seconds": 0.1,
        "executor_id": "test",
    }
    settings = Settings(**{**options, **overrides})
    app = create_app(settings, run_workers=True)
    with serving(app) as base_url:
        running = handles(app)
        with running.database.transaction() as session:
            admin = create_user(session, "admin@example.com")
            community = create_community(session, admin, token_name="Nova Coin", token_symbol="NOVA")
            from botvideo.communities import service as communities

            communities.set_avatar(
                running.storage, communities.require_admin(session, community.id, admin), avatar_png()
            )
            session.commit()
        yield LiveService(base_url, auth_headers(running.tokens, admin), str(community.id), standin, running)


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[LiveService]:
    with running_standin() as standin:
        yield from _live_service(tmp_path, database_url, standin)


@pytest.mark.parametrize("video_type", ["intro", "promo", "token_reveal", "custom"])
def test_each_video_type_completes_through_higgsfield(live: LiveService, video_type: str) -> None:
    body: dict[str, Any] = {"video_type": video_type}
    if video_type == "custom":
        body["custom_prompt"] = "A lighthouse made of stars"
    created = live.create(**body)
    done = live.wait_for(created["id"], {"completed"})
    assert done["provider"] == "higgsfield"
    assert httpx.get(live.base_url + done["video_url"]).headers["content-type"] == "video/mp4"
    requests = live.standin.stats()["requests"]
    assert len(requests) == 1
    sent = next(iter(requests.values()))
    if video_type == "intro":
        assert "image_url" in sent["body"]  # the avatar, uploaded through the upload pair
    else:
        assert "image_url" not in sent["body"]


def test_the_spec_model_name_is_an_alias_of_the_default(live: LiveService) -> None:
    created = live.create(video_type="promo", model="higgsfield/realistic-vision-v5")
    assert created["model"] != "higgsfield/realistic-vision-v5"
    live.wait_for(created["id"], {"completed"})


@pytest.mark.parametrize(
    ("scenario", "prompt", "code"),
    [
        ({}, "A nebula [standin:nsfw]", "moderation"),
        ({}, "A nebula [standin:fail]", "internal"),
        ({"out_of_credits": True}, "A nebula", "insufficient_credits"),
        ({"model_unavailable": 503}, "A nebula", "provider_unavailable"),
    ],
)
def test_higgsfield_failures_show_safe_messages(
    live: LiveService, scenario: dict[str, Any], prompt: str, code: str
) -> None:
    if scenario:
        live.standin.set_scenario(**scenario)
    created = live.create(video_type="custom", custom_prompt=prompt)
    done = live.wait_for(created["id"], {"failed"})
    assert done["error_code"] == code
    assert "standin" not in done["error_message"].lower()
    assert "detail" not in done["error_message"].lower()


def test_a_duration_the_model_cannot_make_is_refused_before_spending(live: LiveService) -> None:
    response = httpx.post(
        f"{live.base_url}/api/v1/communities/{live.community_id}/videos",
        json={"video_type": "promo", "duration": 30},
        headers=live.headers,
    )
    assert response.status_code == 422
    assert live.standin.stats()["submits_received"] == 0


def test_concurrency_cap_waits_for_a_slot_and_then_submits(live: LiveService) -> None:
    live.standin.set_scenario(max_in_flight=1)
    first = live.create(video_type="custom", custom_prompt="First")
    second = live.create(video_type="custom", custom_prompt="Second")
    live.wait_for(first["id"], {"completed"})
    live.wait_for(second["id"], {"completed"})
    assert live.standin.stats()["accepted_total"] == 2


def test_cancel_while_queued_cancels_at_higgsfield(tmp_path: Path, database_url: str) -> None:
    with running_standin(queued_seconds=30) as standin:
        for service in _live_service(tmp_path, database_url, standin):
            created = service.create(video_type="promo")
            service.wait_for(created["id"], {"processing"})
            response = httpx.post(f"{service.base_url}/api/v1/videos/{created['id']}/cancel", headers=service.headers)
            assert response.json()["outcome"] == "canceled"
            service.wait_for(created["id"], {"canceled"})
            assert standin.stats()["cancels"] == 1


def test_cancel_after_start_says_too_late(tmp_path: Path, database_url: str) -> None:
    with running_standin(queued_seconds=0.1, in_progress_seconds=30) as standin:
        for service in _live_service(tmp_path, database_url, standin):
            created = service.create(video_type="promo")
            request_id = service.wait_for(created["id"], {"processing"}) and None
            del request_id
            time.sleep(0.5)
            response = httpx.post(f"{service.base_url}/api/v1/videos/{created['id']}/cancel", headers=service.headers)
            assert response.json()["outcome"] == "too_late"
            assert "will finish" in response.json()["message"]


def test_a_signed_webhook_finishes_the_job_before_the_next_poll(tmp_path: Path, database_url: str) -> None:
    with running_standin(webhook_secrets=[WEBHOOK_SECRET]) as standin:
        for service in _live_service(
            tmp_path,
            database_url,
            standin,
            poll_interval_seconds=60,
            hf_webhook_secret=WEBHOOK_SECRET,
            public_url="http://placeholder",
        ):
            service.handles.settings.public_url = service.base_url
            created = service.create(video_type="promo")
            started = time.monotonic()
            service.wait_for(created["id"], {"completed"}, timeout=20)
            assert time.monotonic() - started < 15  # a 60 s poll interval: only the webhook can explain this
            deliveries = standin.stats()["webhook_deliveries"]
            assert deliveries
            assert f"/api/v1/webhooks/higgsfield/{created['id']}" in deliveries[0]["url"]


def test_a_webhook_redelivery_is_acknowledged_and_ignored(live: LiveService) -> None:
    created = live.create(video_type="promo")
    live.wait_for(created["id"], {"completed"})
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(time.time())), "webhook-signature": "v1,bogus"}
    url = f"{live.base_url}/api/v1/webhooks/higgsfield/{created['id']}"
    first = httpx.post(url, content=b'{"status":"completed"}', headers=headers)
    second = httpx.post(url, content=b'{"status":"completed"}', headers=headers)
    assert (first.status_code, second.status_code) == (204, 204)


def test_a_webhook_for_an_unknown_video_is_refused(live: LiveService) -> None:
    response = httpx.post(
        f"{live.base_url}/api/v1/webhooks/higgsfield/00000000-0000-4000-8000-000000000000", content=b"{}"
    )
    assert response.status_code == 404
