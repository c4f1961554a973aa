"""Live status over Server-Sent Events."""

from __future__ import annotations

import json

import httpx
import pytest

from botvideo.app import create_app
from botvideo.core.config import Settings
from tests.conftest import Service, scripted_registry
from tests.factories import auth_headers, create_community, create_user
from tests.support.handles import handles
from tests.support.scripted_provider import ProviderLedger
from tests.support.standin import serving
from tests.videos.conftest import Cast


@pytest.mark.anyio
async def test_video_stream_reports_each_change_until_completed(service: Service, cast: Cast) -> None:
    created = (
        await service.client.post(
            f"/api/v1/communities/{cast.community.id}/videos",
            json={"video_type": "intro"},
            headers=cast.admin_headers,
        )
    ).json()
    statuses: list[str] = []
    async with service.client.stream(
        "GET", f"/api/v1/videos/{created['id']}/events", headers=cast.member_headers
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        event = None
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "video":
                statuses.append(json.loads(line[5:])["status"])
    assert statuses[-1] == "completed"
    order = ["pending", "processing", "completed"]
    assert [order.index(s) for s in statuses] == sorted(order.index(s) for s in statuses)


def test_community_stream_shows_a_new_video(settings: Settings, ledger: ProviderLedger) -> None:
    # A real server: an endless stream needs a real connection (the in-process ASGI client buffers bodies).
    app = create_app(settings, providers=scripted_registry(settings, ledger), run_workers=True)
    with serving(app) as base_url:
        running = handles(app)
        with running.database.transaction() as session:
            admin = create_user(session, "admin@example.com")
            community = create_community(session, admin)
            session.commit()
        headers = auth_headers(running.tokens, admin)
        seen: list[dict[str, object]] = []
        with (
            httpx.Client(base_url=base_url, headers=headers, timeout=30) as client,
            client.stream("GET", f"/api/v1/communities/{community.id}/videos/events") as response,
        ):
            event = None
            for line in response.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event == "ready":
                    created = client.post(f"/api/v1/communities/{community.id}/videos", json={"video_type": "promo"})
                    assert created.status_code == 202
                elif line.startswith("data:") and event == "video":
                    seen.append(json.loads(line[5:]))
                    if seen[-1]["status"] == "completed":
                        break
    assert seen[0]["video_type"] == "promo"
    assert seen[-1]["status"] == "completed"


@pytest.mark.anyio
async def test_stream_of_another_community_is_hidden(service: Service, cast: Cast) -> None:
    response = await service.client.get(
        f"/api/v1/communities/{cast.community.id}/videos/events", headers=cast.outsider_headers
    )
    assert response.status_code == 404
