"""Wake-ups for live status streams.

A status change is published here by whoever commits it in this process; subscribers then re-read the rows. Writes
from another process (a separate `botvideo worker`) are found by the subscribers' periodic re-read, so the stream is
correct either way and merely faster in-process. Workflow steps run on DBOS's own event loop, hence the thread-safe
hand-off to each subscriber's loop.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


class VideoEvents:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[uuid.UUID, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}

    def publish(self, community_id: uuid.UUID) -> None:
        with self._lock:
            targets = list(self._subscribers.get(community_id, ()))
        for loop, wake in targets:
            if not loop.is_closed():
                loop.call_soon_threadsafe(wake.set)

    @contextmanager
    def subscribe(self, community_id: uuid.UUID) -> Iterator[asyncio.Event]:
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._subscribers.setdefault(community_id, set()).add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                subscribers = self._subscribers.get(community_id)
                if subscribers is not None:
                    subscribers.discard(entry)
                    if not subscribers:
                        del self._subscribers[community_id]
