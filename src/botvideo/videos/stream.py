"""Server-Sent Events of video status changes, for a community's gallery or a single video."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from botvideo.core.db import Database, utcnow
from botvideo.storage.signing import MediaSigner
from botvideo.videos import repository
from botvideo.videos.events import VideoEvents
from botvideo.videos.service import to_out

# Rows changed by another process (a separate worker) are found by this periodic re-read.
RESCAN_SECONDS = 1.0
# Long-lived connections are ended and re-opened by the browser, so none outlives a deploy by much.
MAX_STREAM_SECONDS = 10 * 60
# updated_at of concurrent writers may commit slightly out of order; re-reading a short window catches them.
_OVERLAP = timedelta(seconds=2)


def _event(name: str, payload: str) -> dict[str, str]:
    return {"event": name, "data": payload}


async def community_events(
    database: Database,
    events: VideoEvents,
    signer: MediaSigner,
    community_id: uuid.UUID,
    *,
    video_id: uuid.UUID | None = None,
) -> AsyncIterator[dict[str, str]]:
    """Yields `video` events (the full VideoOut JSON) for rows that change; for one video, its current state first
    and nothing after it reaches a terminal status."""
    seen: dict[uuid.UUID, datetime] = {}
    since = utcnow() - _OVERLAP
    started = time.monotonic()

    def changes(cursor: datetime) -> list[tuple[uuid.UUID, datetime, str, bool]]:
        with database.transaction() as session:
            if video_id is not None:
                row = repository.get(session, video_id)
                rows = [row] if row is not None else []
            else:
                rows = repository.changed_since(session, community_id, cursor)
            return [(r.id, r.updated_at, to_out(signer, r).model_dump_json(), r.status_enum.is_terminal) for r in rows]

    with events.subscribe(community_id) as wake:
        yield _event("ready", json.dumps({"community_id": str(community_id)}))
        while time.monotonic() - started < MAX_STREAM_SECONDS:
            scan_started = utcnow()
            for vid, updated_at, payload, terminal in await asyncio.to_thread(changes, since):
                if seen.get(vid) != updated_at:
                    seen[vid] = updated_at
                    yield _event("video", payload)
                if video_id is not None and terminal:
                    return
            since = scan_started - _OVERLAP
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=RESCAN_SECONDS)
