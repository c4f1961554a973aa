from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from botvideo.app import create_app
from botvideo.auth.tokens import TokenService
from botvideo.core.config import Settings
from botvideo.core.db import Database
from botvideo.providers.registry import ProviderRegistry
from botvideo.storage.local import LocalStorage
from tests.support.databases import Templates, database_url_for
from tests.support.handles import handles
from tests.support.scripted_provider import ProviderLedger, ScriptedProvider

# 64 bytes: long enough for every HMAC algorithm a test signs with (HS512 included).
TEST_JWT_SECRET = "test-secret-for-botvideo-0123456789abcdef-0123456789abcdef-012345"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Sync Playwright keeps an event loop running in the main thread for the whole session (the browser fixture is
    # session-scoped), so async tests collected after a browser test could not start their own loop: run browser
    # tests last whatever paths are given.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop_all()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, templates: Templates, tmp_path: Path) -> Iterator[str]:
    with database_url_for(templates, request.param, tmp_path) as url:
        yield url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        jwt_secret=TEST_JWT_SECRET,  # type: ignore[arg-type]
        provider="local",
        poll_interval_seconds=0.1,
        poll_backoff_after_seconds=60,
        queue_polling_interval_seconds=0.1,
        job_deadline_seconds=60,
        executor_id="test",
    )


@pytest.fixture
def ledger() -> ProviderLedger:
    return ProviderLedger()


@dataclass
class Service:
    """A running app (lifespan entered, DBOS launched) and an HTTP client speaking to it over ASGI."""

    app: FastAPI
    settings: Settings
    database: Database
    storage: LocalStorage
    tokens: TokenService
    client: httpx.AsyncClient
    ledger: ProviderLedger

    async def wait_for(
        self, check: Callable[[], Awaitable[bool]] | Callable[[], bool], *, timeout: float = 30.0
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if asyncio.iscoroutine(result):
                result = await result
            if result:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"condition not met within {timeout} s")

    async def wait_for_status(
        self, video_id: str, headers: dict[str, str], statuses: set[str], timeout: float = 30.0
    ) -> dict[str, Any]:
        latest: dict[str, Any] = {}

        async def reached() -> bool:
            nonlocal latest
            response = await self.client.get(f"/api/v1/videos/{video_id}", headers=headers)
            latest = response.json()
            return latest.get("status") in statuses

        try:
            await self.wait_for(reached, timeout=timeout)
        except AssertionError:
            raise AssertionError(f"video {video_id} stayed {latest.get('status')}: {latest}") from None
        return latest


def scripted_registry(
    settings: Settings, ledger: ProviderLedger, polls_to_finish: int = 2
) -> Callable[[httpx.AsyncClient], ProviderRegistry]:
    def build(http: httpx.AsyncClient) -> ProviderRegistry:
        del http
        settings.work_dir.mkdir(parents=True, exist_ok=True)
        return ProviderRegistry(
            [ScriptedProvider(settings.work_dir, ledger, polls_to_finish=polls_to_finish)], "scripted"
        )

    return build


@pytest.fixture
async def service(settings: Settings, ledger: ProviderLedger) -> AsyncIterator[Service]:
    app = create_app(settings, providers=scripted_registry(settings, ledger), run_workers=True)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        running = handles(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield Service(
                app=app,
                settings=running.settings,
                database=running.database,
                storage=running.storage,
                tokens=running.tokens,
                client=client,
                ledger=ledger,
            )
