"""Alembic's environment: our tables only (DBOS keeps its own in the same database)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool
from sqlalchemy.sql.schema import SchemaItem

from botvideo.migrations import metadata

config = context.config
target_metadata = metadata


def _is_our_table(
    item: SchemaItem, name: str | None, type_: str, reflected: bool, compare_to: SchemaItem | None
) -> bool:
    del item, reflected, compare_to
    # The DBOS system tables share the database (so a video row and its job commit together); they are not ours.
    return not (type_ == "table" and name is not None and (name.startswith("dbos") or name in _DBOS_TABLES))


_DBOS_TABLES = {
    "workflow_status",
    "operation_outputs",
    "notifications",
    "workflow_events",
    "workflow_events_history",
    "streams",
    "event_dispatch_kv",
    "workflow_queue",
    "queues",
    "application_versions",
    "workflow_schedules",
    "dbos_migrations",
}


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        include_object=_is_our_table,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
