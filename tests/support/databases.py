"""Each test that touches the database runs on SQLite and on PostgreSQL, each time on a fresh copy of a database
migrated once per test process (our tables and DBOS's): a copied SQLite file, or `CREATE DATABASE … TEMPLATE`."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from botvideo.core import dbos
from botvideo.core.config import Settings
from botvideo.resources import build_resources

POSTGRES_ADMIN_URL = os.environ.get("BOTVIDEO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_available() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


def require_postgres() -> None:
    if postgres_available():
        return
    message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must run every test on PostgreSQL too.")
    pytest.skip(f"{message} (start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)")


def _postgres_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _admin() -> sa.Engine:
    return sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _migrate(url: str, directory: Path) -> None:
    """Our schema by Alembic, DBOS's by one launch: what every copy starts from."""
    settings = Settings(data_dir=directory, database_url=url, executor_id="template")
    resources = build_resources(settings)
    engine = dbos.system_engine(settings)

    async def launch_once() -> None:
        await dbos.launch(settings, engine, [], run_workers=False)
        dbos.shutdown()

    # In a thread of its own: a test session may already run an event loop in this one (sync Playwright does).
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(lambda: asyncio.run(launch_once())).result()
    if engine is not None:
        engine.dispose()
    resources.close()


class Templates:
    """The migrated template of each database kind, made on first use in this test process."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._sqlite: Path | None = None
        self._postgres: str | None = None
        self._created: list[str] = []

    def sqlite_copy(self, destination: Path) -> str:
        if self._sqlite is None:
            template = self._directory / "template.db"
            _migrate(f"sqlite:///{template}", self._directory / "sqlite-template")
            with sqlite3.connect(template) as connection:  # fold the WAL into the file, so one file is the copy
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._sqlite = template
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._sqlite, destination)
        return f"sqlite:///{destination}"

    def postgres_copy(self) -> str:
        require_postgres()
        if self._postgres is None:
            name = f"botvideo_template_{uuid.uuid4().hex[:10]}"
            self._create(f'CREATE DATABASE "{name}"', name)
            _migrate(_postgres_url(name), self._directory / "postgres-template")
            self._postgres = name
        name = f"botvideo_test_{uuid.uuid4().hex[:12]}"
        self._create(f'CREATE DATABASE "{name}" TEMPLATE "{self._postgres}"', name)
        return _postgres_url(name)

    def _create(self, statement: str, name: str) -> None:
        admin = _admin()
        with admin.connect() as connection:
            connection.execute(sa.text(statement))
        admin.dispose()
        self._created.append(name)

    def drop_all(self) -> None:
        """At the end of the session, not of each test: a workflow stopped at shutdown may still be finishing its
        last write in a thread, and DBOS retries a vanished database forever (it waits out outages by design)."""
        if not self._created:
            return
        admin = _admin()
        with admin.connect() as connection:
            _wait_for_quiet(connection, self._created)
            for name in reversed(self._created):
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        self._created.clear()


def _wait_for_quiet(connection: sa.Connection, names: list[str], timeout: float = 10.0) -> None:
    """Let the last tests' in-flight workflow writes land: wait until no session on these databases is
    mid-statement or mid-transaction."""
    deadline = time.monotonic() + timeout
    busy = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = ANY(:names) AND state IN "
        "('active', 'idle in transaction')"
    )
    while connection.execute(busy, {"names": names}).scalar_one() and time.monotonic() < deadline:
        time.sleep(0.1)


@contextmanager
def database_url_for(templates: Templates, kind: str, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield templates.sqlite_copy(directory / "botvideo.db")
    else:
        yield templates.postgres_copy()
