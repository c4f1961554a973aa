"""What a running botvideo process holds: built once at start-up, reachable from routes and workflow steps."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from botvideo.auth.tokens import TokenService
from botvideo.core.config import Settings
from botvideo.core.jobs import JobQueue
from botvideo.providers.registry import ProviderRegistry
from botvideo.storage.local import LocalStorage
from botvideo.storage.signing import MediaSigner
from botvideo.videos.events import VideoEvents

RegistryBuilder = Callable[[httpx.AsyncClient], ProviderRegistry]


def new_http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=False)


@dataclass
class Runtime:
    settings: Settings
    engine: sa.Engine
    sessions: sessionmaker[Session]
    storage: LocalStorage
    signer: MediaSigner
    tokens: TokenService
    events: VideoEvents
    jobs: JobQueue
    build_registry: RegistryBuilder
    # An httpx client (and the providers using it) belongs to one event loop; requests and DBOS workflows may
    # run on different loops, so each loop gets its own.
    _per_loop: dict[asyncio.AbstractEventLoop | None, tuple[httpx.AsyncClient, ProviderRegistry]] = field(
        default_factory=dict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _for_current_loop(self) -> tuple[httpx.AsyncClient, ProviderRegistry]:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None  # synchronous callers only validate and list models; they make no HTTP calls
        with self._lock:
            entry = self._per_loop.get(loop)
            if entry is None:
                http = new_http_client()
                entry = (http, self.build_registry(http))
                self._per_loop[loop] = entry
            return entry

    def provider_registry(self) -> ProviderRegistry:
        return self._for_current_loop()[1]

    @property
    def http(self) -> httpx.AsyncClient:
        return self._for_current_loop()[0]

    async def aclose_loop_resources(self) -> None:
        """Close the clients of the running loop (the others close with `close`)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._per_loop.pop(loop, None)
        if entry is not None:
            await entry[1].aclose()
            await entry[0].aclose()

    def close(self) -> None:
        self.jobs.close()
        self.engine.dispose()


_current: Runtime | None = None


def set_current_runtime(runtime: Runtime | None) -> None:
    global _current
    _current = runtime


def current_runtime() -> Runtime:
    if _current is None:
        raise RuntimeError("botvideo is not started: no runtime")
    return _current
