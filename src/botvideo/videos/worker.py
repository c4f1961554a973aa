"""What the video workflows run with: one worker context, set when the process launches its jobs.

DBOS calls workflow steps as plain functions, so they cannot take dependencies the way routes do; this module's
handle is the one place they find the settings, the database, storage, events and providers. Providers hold HTTP
clients, which belong to one event loop, and DBOS may run workflows on a loop other than the server's: the steps'
providers are built on the loop a step runs on, the first time one needs them.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy.orm import Session

from botvideo.core.config import Settings
from botvideo.core.db import Database
from botvideo.core.http import new_http_client
from botvideo.providers.registry import ProviderRegistry
from botvideo.storage.local import LocalStorage
from botvideo.videos.events import VideoEvents
from botvideo.videos.models import BotVideo

RegistryBuilder = Callable[[httpx.AsyncClient], ProviderRegistry]
# The absolute webhook URL a provider is given for a video, or None when the server has no public URL.
WebhookUrl = Callable[[str, uuid.UUID], str | None]


@dataclass
class WorkerContext:
    settings: Settings
    database: Database
    storage: LocalStorage
    events: VideoEvents
    build_providers: RegistryBuilder
    webhook_url: WebhookUrl
    _providers: tuple[asyncio.AbstractEventLoop, httpx.AsyncClient, ProviderRegistry] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def providers(self) -> tuple[ProviderRegistry, httpx.AsyncClient]:
        """The providers (and their HTTP client) of the running loop, DBOS's."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._providers is None or self._providers[0] is not loop:
                http = new_http_client()
                self._providers = (loop, http, self.build_providers(http))
            return self._providers[2], self._providers[1]

    async def aclose(self, timeout_seconds: float = 5.0) -> None:
        """Close the steps' providers and HTTP client on the loop they belong to (while DBOS still runs it)."""
        with self._lock:
            bound, self._providers = self._providers, None
        if bound is None:
            return
        loop, http, registry = bound

        async def close() -> None:
            await registry.aclose()
            await http.aclose()

        if loop is asyncio.get_running_loop():
            await close()
        elif loop.is_running():
            closing = asyncio.run_coroutine_threadsafe(close(), loop)
            await asyncio.wait_for(asyncio.wrap_future(closing), timeout_seconds)

    def change(self, apply: Callable[[Session], BotVideo | None]) -> BotVideo | None:
        """Run one lifecycle change in its own transaction and tell live streams; the changed row, or None."""
        with self.database.transaction() as session:
            video = apply(session)
        if video is not None:
            self.events.publish(video.community_id)
        return video


_context: WorkerContext | None = None


def install(context: WorkerContext | None) -> None:
    global _context
    _context = context


def context() -> WorkerContext:
    if _context is None:
        raise RuntimeError("the video workers are not launched in this process")
    return _context
