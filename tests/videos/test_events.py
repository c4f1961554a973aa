"""Live status over Server-Sent Events."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Service
from tests.videos.conftest import Cast

pytestmark = pytest.mark.anyio


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


async def test_community_stream_shows_a_new_video(service: Service, cast: Cast) -> None:
    seen: list[dict[str, object]] = []
    async with service.client.stream(
        "GET", f"/api/v1/communities/{cast.community.id}/videos/events", headers=cast.member_headers
    ) as response:
        event = None
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
                if event == "ready":
                    continue
            elif line.startswith("data:") and event == "ready":
                await service.client.post(
                    f"/api/v1/communities/{cast.community.id}/videos",
                    json={"video_type": "promo"},
                    headers=cast.admin_headers,
                )
            elif line.startswith("data:") and event == "video":
                seen.append(json.loads(line[5:]))
                if seen[-1]["status"] == "completed":
                    break
    assert seen[0]["video_type"] == "promo"


async def test_stream_of_another_community_is_hidden(service: Service, cast: Cast) -> None:
    response = await service.client.get(
        f"/api/v1/communities/{cast.community.id}/videos/events", headers=cast.outsider_headers
    )
    assert response.status_code == 404
