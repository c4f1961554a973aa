"""DBOS Transact's configuration, launch and shutdown; the queues and workflows themselves belong to features.

DBOS keeps its tables in the application's own database (the same SQLite file, or the `dbos` schema of the same
PostgreSQL database), so a row and the job that drives it commit in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from dbos import DBOS, DBOSClient, DBOSConfig

from botvideo import __version__
from botvideo.core.config import Settings
from botvideo.core.db import create_db_engine

POOL_SIZE = 20

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueSpec:
    """A DBOS queue as a feature declares it; registered at launch."""

    name: str
    worker_concurrency: int
    polling_interval_seconds: float
    partition_concurrency: int | None = None


def system_database_url(database_url: str) -> str:
    # DBOS builds its own engine and picks the psycopg driver itself.
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def system_engine(settings: Settings) -> sa.Engine | None:
    """On SQLite, DBOS gets an engine with our pragmas: WAL with synchronous=NORMAL (no fsync per commit; DBOS
    checkpoints every step, and a full fsync each time caps the whole pipeline at the disk's flush rate), a busy
    timeout, and write locks taken up front. PostgreSQL needs nothing special."""
    if not settings.is_sqlite:
        return None
    return create_db_engine(settings.resolved_database_url, pool_size=POOL_SIZE)


def client(settings: Settings, engine: sa.Engine | None) -> DBOSClient:
    """A client that enqueues and sends in the caller's transaction. Lazy: `launch` creates the tables."""
    return DBOSClient(
        system_database_url=system_database_url(settings.resolved_database_url),
        system_database_engine=engine,
        lazy=True,
    )


def _config(settings: Settings, engine: sa.Engine | None) -> DBOSConfig:
    config: DBOSConfig = {
        "name": "botvideo",
        "system_database_url": system_database_url(settings.resolved_database_url),
        "executor_id": settings.executor_id,
        # Fixed, so a restarted process recovers the jobs its predecessor left pending (DBOS only recovers
        # workflows of its own application version, which would otherwise be a hash of the code).
        "application_version": __version__,
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.2,
        "sys_db_pool_size": POOL_SIZE,
    }
    if engine is not None:
        config["system_database_engine"] = engine
    return config


async def launch(settings: Settings, engine: sa.Engine | None, queues: list[QueueSpec], *, run_workers: bool) -> None:
    """Start DBOS in this process (the workflows must be imported first). With workers it runs queued jobs and
    recovers this executor's unfinished ones; without, it only enqueues (another process runs `botvideo worker`)."""
    DBOS(config=_config(settings, engine))
    if not run_workers:
        DBOS.listen_queues([])
    DBOS.launch()
    for queue in queues:
        await DBOS.register_queue_async(
            queue.name,
            worker_concurrency=queue.worker_concurrency,
            partition_concurrency=queue.partition_concurrency,
            polling_interval_sec=queue.polling_interval_seconds,
            on_conflict="always_update",
        )
    log.info("jobs.launched executor=%s workers=%s", settings.executor_id, run_workers)


def shutdown(*, timeout_seconds: int = 0) -> None:
    DBOS.destroy(workflow_completion_timeout_sec=timeout_seconds)
