"""DBOS Transact, confined to this module and the workflows: launch, the video queue, enqueue, messages.

The DBOS system tables live in the application's own database (the same SQLite file, or the `dbos` schema of the
same PostgreSQL database), so a video row and the job that drives it commit in one transaction.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from dbos import DBOS, DBOSClient, DBOSConfig
from sqlalchemy.orm import Session

from botvideo import __version__
from botvideo.core.config import Settings
from botvideo.core.db import create_db_engine

DBOS_POOL_SIZE = 20
QUEUE_NAME = "videos"
CLEANUP_QUEUE_NAME = "video-cleanup"
GENERATE_VIDEO_WORKFLOW = "botvideo.generate_video"
CLEANUP_WORKFLOW = "botvideo.clean_up_deleted_video"
PROVIDER_UPDATE_TOPIC = "provider-update"

log = logging.getLogger(__name__)


def dbos_url(database_url: str) -> str:
    # DBOS builds its own engine and picks the psycopg driver itself.
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def dbos_engine(settings: Settings) -> sa.Engine | None:
    """On SQLite, DBOS gets an engine with our pragmas: WAL with synchronous=NORMAL (no fsync per commit; DBOS
    checkpoints every step, and a full fsync each time caps the whole pipeline at the disk's flush rate), a busy
    timeout, and write locks taken up front. PostgreSQL needs nothing special."""
    if not settings.is_sqlite:
        return None
    return create_db_engine(settings.resolved_database_url, pool_size=DBOS_POOL_SIZE)


def dbos_config(settings: Settings, engine: sa.Engine | None = None) -> DBOSConfig:
    config: DBOSConfig = {
        "name": "botvideo",
        "system_database_url": dbos_url(settings.resolved_database_url),
        "executor_id": settings.executor_id,
        # Fixed, so a restarted process recovers the jobs its predecessor left pending (DBOS only recovers
        # workflows of its own application version, which would otherwise be a hash of the code).
        "application_version": __version__,
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.2,
        "sys_db_pool_size": DBOS_POOL_SIZE,
    }
    if engine is not None:
        config["system_database_engine"] = engine
    return config


class JobQueue:
    """Enqueues video jobs and talks to running ones."""

    def __init__(self, settings: Settings) -> None:
        self._engine = dbos_engine(settings)
        # Lazy: the DBOS tables are created by `launch`, which may run after this is built.
        self._client = DBOSClient(
            system_database_url=dbos_url(settings.resolved_database_url), system_database_engine=self._engine, lazy=True
        )

    @property
    def engine(self) -> sa.Engine | None:
        return self._engine

    def enqueue_video(self, session: Session, video_id: str, *, provider: str) -> None:
        """Enqueue in the caller's transaction: the job exists exactly when the row does."""
        self._client.enqueue_in_transaction(
            session,
            {
                "workflow_name": GENERATE_VIDEO_WORKFLOW,
                "queue_name": QUEUE_NAME,
                "workflow_id": video_id,
                # The provider's concurrency cap is the queue's per-partition limit.
                "queue_partition_key": provider,
            },
            video_id,
        )

    def enqueue_cleanup(
        self,
        session: Session,
        video_id: str,
        *,
        provider: str,
        request_ids: list[str],
        storage_keys: list[str],
        stop_generation: bool,
    ) -> None:
        """Enqueued with the row's deletion, so files and the provider's copy are removed even after a crash."""
        self._client.enqueue_in_transaction(
            session,
            {
                "workflow_name": CLEANUP_WORKFLOW,
                "queue_name": CLEANUP_QUEUE_NAME,
                "workflow_id": f"cleanup-{video_id}",
            },
            video_id,
            provider,
            request_ids,
            storage_keys,
            stop_generation,
        )

    async def wake(self, video_id: str, reason: str, *, idempotency_key: str | None = None) -> None:
        """Make a waiting job re-read its provider status now instead of at its next poll."""
        await self._client.send_async(
            video_id, {"reason": reason}, PROVIDER_UPDATE_TOPIC, idempotency_key=idempotency_key
        )

    def close(self) -> None:
        self._client.destroy()
        if self._engine is not None:
            self._engine.dispose()


async def launch(settings: Settings, queue: JobQueue, *, run_workers: bool) -> None:
    """Start DBOS in this process. With workers, it runs queued video jobs and recovers this executor's
    unfinished ones; without, it only serves the API (another process runs `botvideo worker`)."""
    import botvideo.videos.workflows  # noqa: F401 - registers the workflow before launch

    DBOS(config=dbos_config(settings, queue.engine))
    if not run_workers:
        DBOS.listen_queues([])
    DBOS.launch()
    await DBOS.register_queue_async(
        QUEUE_NAME,
        partition_concurrency=settings.provider_concurrency,
        worker_concurrency=settings.worker_concurrency,
        polling_interval_sec=settings.queue_polling_interval_seconds,
        on_conflict="always_update",
    )
    await DBOS.register_queue_async(
        CLEANUP_QUEUE_NAME, worker_concurrency=4, polling_interval_sec=1.0, on_conflict="always_update"
    )
    log.info("jobs.launched executor=%s workers=%s", settings.executor_id, run_workers)


def shutdown(*, timeout_seconds: int = 0) -> None:
    DBOS.destroy(workflow_completion_timeout_sec=timeout_seconds)
