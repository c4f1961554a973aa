"""The FastAPI application: API, web pages and (unless told otherwise) the job workers, in one process.

The lifespan builds every resource once and hands each to routes through `app.state` (one dependency per
resource, next to the feature that owns it) and to workflow steps through the video worker context.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from botvideo import __version__
from botvideo.auth.routes import router as auth_router
from botvideo.communities import service as communities
from botvideo.communities.routes import router as communities_router
from botvideo.core import dbos
from botvideo.core.config import Settings
from botvideo.core.error_handlers import install_error_handlers
from botvideo.core.http import new_http_client
from botvideo.engine import RenderPool
from botvideo.providers.factory import build_providers
from botvideo.providers.registry import ProviderRegistry
from botvideo.resources import build_resources
from botvideo.storage.routes import router as media_router
from botvideo.videos import jobs as video_jobs
from botvideo.videos import (
    worker,
    workflows,  # registers the workflows with DBOS before launch
)
from botvideo.videos.events import VideoEvents
from botvideo.videos.functions_routes import router as functions_router
from botvideo.videos.jobs import JobQueue
from botvideo.videos.routes import router as videos_router
from botvideo.videos.webhook_routes import router as webhook_router
from botvideo.videos.worker import RegistryBuilder
from botvideo.web.routes import install_web, render_error_page

log = logging.getLogger("botvideo")

__all__ = ["create_app", "workflows"]


def create_app(
    settings: Settings | None = None,
    *,
    providers: RegistryBuilder | None = None,
    run_workers: bool | None = None,
) -> FastAPI:
    """The app. `providers` builds the provider registry from an HTTP client (tests pass a scripted one)."""
    settings = settings or Settings()
    workers = settings.run_workers if run_workers is None else run_workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        render_pool = None
        builder = providers
        if builder is None:
            if workers and settings.provider_name == "local":
                render_pool = RenderPool(settings.render_workers)

            def builder(http: httpx.AsyncClient) -> ProviderRegistry:
                return build_providers(settings, http, render_pool)

        # Workflow steps hand their database work to threads; asyncio's default pool (cores + 4 threads) would
        # make a few hundred concurrent jobs queue behind six threads.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=settings.worker_threads, thread_name_prefix="botvideo-io")
        )
        resources = build_resources(settings)
        jobs, events = JobQueue(settings), VideoEvents()
        http = new_http_client()
        registry = builder(http)
        for name in ("settings", "database", "storage", "signer", "tokens"):
            setattr(app.state, name, getattr(resources, name))
        app.state.jobs, app.state.events, app.state.providers = jobs, events, registry
        app.state.media_access = communities.may_read_media

        def webhook_url(provider: str, video_id: uuid.UUID) -> str | None:
            if not settings.public_url:
                return None
            path = app.url_path_for("provider_webhook", provider=provider, video_id=str(video_id))
            return settings.public_url.rstrip("/") + path

        steps = worker.WorkerContext(
            settings=settings,
            database=resources.database,
            storage=resources.storage,
            events=events,
            build_providers=builder,
            webhook_url=webhook_url,
        )
        worker.install(steps)
        log.info(
            "botvideo %s: provider %s (%s), database %s, workers %s",
            __version__,
            settings.provider_name,
            "Higgsfield credentials set" if settings.higgsfield_credentials else "no Higgsfield credentials",
            "SQLite" if settings.is_sqlite else "PostgreSQL",
            "on" if workers else "off",
        )
        await dbos.launch(settings, jobs.engine, video_jobs.queues(settings), run_workers=workers)
        try:
            yield
        finally:
            try:
                await steps.aclose()
            finally:
                dbos.shutdown()
                worker.install(None)
                await registry.aclose()
                await http.aclose()
                jobs.close()
                resources.close()
                if render_pool is not None:
                    render_pool.close()

    app = FastAPI(
        title="botvideo",
        version=__version__,
        description="Short videos of AI bots: durable jobs, a local video engine and Higgsfield.",
        lifespan=lifespan,
    )
    # Supabase clients preflight for authorization, apikey, x-client-info and content-type (and more with tracing).
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["*"],
    )
    install_error_handlers(app, render_error_page)
    for router in (auth_router, communities_router, videos_router, functions_router, webhook_router, media_router):
        app.include_router(router)
    install_web(app)
    return app
