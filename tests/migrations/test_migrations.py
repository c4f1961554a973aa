"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from botvideo.core.db import create_db_engine
from botvideo.migrations import metadata, upgrade_database


def _ours(item: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    del item, reflected, compare_to
    return not (type_ == "table" and name is not None and not name.startswith(("users", "communit", "bot_", "webhook")))


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_db_engine(database_url)
    upgrade_database(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _ours, "compare_type": True})
        differences = [
            diff
            for diff in compare_metadata(context, metadata)
            # SQLite cannot reflect expression indexes, so it reports the gallery index as missing.
            if not (engine.dialect.name == "sqlite" and "ix_bot_videos_community_created" in str(diff))
        ]
    engine.dispose()
    assert differences == []


def test_upgrading_twice_is_harmless(database_url: str) -> None:
    engine = create_db_engine(database_url)
    upgrade_database(engine)
    upgrade_database(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
    engine.dispose()
