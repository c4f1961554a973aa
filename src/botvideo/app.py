"""The FastAPI application: API, web pages and (unless told otherwise) the job workers, in one process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from botvideo import __version__
from botvideo.auth.tokens import TokenService
from botvideo.core import jobs
from botvideo.core.config import Settings
from botvideo.core.db import create_db_engine, create_session_factory
from botvideo.core.error_handlers import install_error_handlers
from botvideo.core.migrate import upgrade_database
from botvideo.runtime import RegistryBuilder, Runtime, set_current_runtime
from botvideo.storage.local import LocalStorage
from botvideo.storage.signing import MediaSigner
from botvideo.videos.events import VideoEvents

log = logging.getLogger("botvideo")


def build_runtime(settings: Settings, registry_builder: RegistryBuilder) -> Runtime:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(settings.resolved_database_url)
    upgrade_database(engine)
    secret = settings.jwt_secret.get_secret_value()
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=create_session_factory(engine),
        storage=LocalStorage(settings.media_dir),
        signer=MediaSigner(secret.encode(), settings.media_url_ttl_seconds),
        tokens=TokenService(
            secret,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            ttl_seconds=settings.session_ttl_seconds,
        ),
        events=VideoEvents(),
        jobs=jobs.JobQueue(settings),
        build_registry=registry_builder,
    )


def create_app(
    settings: Settings | None = None,
    *,
    registry_builder: RegistryBuilder | None = None,
    run_workers: bool | None = None,
) -> FastAPI:
    settings = settings or Settings()
    workers = settings.run_workers if run_workers is None else run_workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        render_pool = None
        builder = registry_builder
        if builder is None:
            from botvideo.providers.factory import default_registry_builder

            if workers and settings.provider_name == "local":
                from botvideo.engine import RenderPool

                render_pool = RenderPool(settings.render_workers)
            builder = default_registry_builder(settings, render_pool)
        # Workflow steps hand their database work to threads; asyncio's default pool (cores + 4 threads) would
        # make a few hundred concurrent jobs queue behind six threads.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=settings.worker_threads, thread_name_prefix="botvideo-io")
        )
        runtime = build_runtime(settings, builder)
        set_current_runtime(runtime)
        app.state.runtime = runtime
        log.info(
            "botvideo %s: provider %s (%s), database %s, workers %s",
            __version__,
            settings.provider_name,
            "Higgsfield credentials set" if settings.higgsfield_credentials else "no Higgsfield credentials",
            "SQLite" if settings.is_sqlite else "PostgreSQL",
            "on" if workers else "off",
        )
        await jobs.launch(settings, runtime.jobs, run_workers=workers)
        try:
            yield
        finally:
            jobs.shutdown()
            await runtime.aclose_loop_resources()
            runtime.close()
            set_current_runtime(None)
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
    install_error_handlers(app)

    from botvideo.auth.routes import router as auth_router
    from botvideo.communities.routes import router as communities_router
    from botvideo.providers.webhook_routes import router as webhook_router
    from botvideo.storage.routes import router as media_router
    from botvideo.videos.functions_routes import router as functions_router
    from botvideo.videos.routes import router as videos_router

    for router in (
        auth_router,
        communities_router,
        videos_router,
        functions_router,
        webhook_router,
        media_router,
    ):
        app.include_router(router)
    try:
        from botvideo.web.routes import install_web
    except ImportError:  # the web UI is optional for API-only deployments
        pass
    else:
        install_web(app)
    return app
