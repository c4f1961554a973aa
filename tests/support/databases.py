"""Each test that touches the database runs on SQLite and on PostgreSQL (a fresh database per test)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

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


_created: list[str] = []


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new database for one test. It is dropped when the session ends, not when the test does: a workflow
    stopped at shutdown may still be finishing its last write in a thread, and DBOS retries a vanished database
    forever (by design: it waits out outages), which would keep the test process alive."""
    require_postgres()
    name = f"botvideo_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _created.append(name)
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _wait_for_quiet(connection: sa.Connection, names: list[str], timeout: float = 10.0) -> None:
    """Let the last test's in-flight workflow writes land: wait until no session is mid-statement or
    mid-transaction on these databases."""
    deadline = time.monotonic() + timeout
    busy = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = ANY(:names) AND state IN "
        "('active', 'idle in transaction')"
    )
    while connection.execute(busy, {"names": names}).scalar_one() and time.monotonic() < deadline:
        time.sleep(0.1)


def drop_test_databases() -> None:
    if not _created:
        return
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        _wait_for_quiet(connection, _created)
        for name in _created:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    _created.clear()


@contextmanager
def database_url_for(kind: str, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'botvideo.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url
