"""What every botvideo process opens, a server or a one-off command: the database (migrated), media storage, the
media URL signer and the token service. Built once by whoever starts the process and handed on, never global."""

from __future__ import annotations

from dataclasses import dataclass

from botvideo.auth.tokens import TokenService
from botvideo.core.config import Settings
from botvideo.core.db import Database
from botvideo.storage.local import LocalStorage
from botvideo.storage.signing import MediaSigner


@dataclass
class Resources:
    settings: Settings
    database: Database
    storage: LocalStorage
    signer: MediaSigner
    tokens: TokenService

    def close(self) -> None:
        self.database.dispose()


def build_resources(settings: Settings, *, migrate: bool = True) -> Resources:
    """Create the data directories and open everything; `migrate` brings the schema up to date first."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.resolved_database_url)
    if migrate:
        from botvideo.migrations import upgrade_database  # Alembic is slow to import; read-only commands skip it

        upgrade_database(database.engine)
    return Resources(
        settings=settings,
        database=database,
        storage=LocalStorage(settings.media_dir),
        signer=MediaSigner(settings.jwt_secret.get_secret_value().encode(), settings.media_url_ttl_seconds),
        tokens=TokenService.from_settings(settings),
    )
