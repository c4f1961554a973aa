"""The schema: every feature's tables in one metadata, and Alembic driven from code (`botvideo db upgrade`)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from botvideo.auth.models import User
from botvideo.communities.models import Community, CommunityMember
from botvideo.core.db import Base
from botvideo.videos.models import BotVideo, WebhookDelivery

MIGRATIONS_DIR = Path(__file__).resolve().parent

# Imported so that `Base.metadata` holds every table Alembic compares against the migrations.
MODELS = (User, Community, CommunityMember, BotVideo, WebhookDelivery)
metadata = Base.metadata


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(engine: sa.Engine) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
