"""A real botvideo server for browser tests: uvicorn on 127.0.0.1, the local engine plus a scripted provider
(whose prompt markers make a render fail on purpose), and seeded people and bots."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

from botvideo.app import create_app
from botvideo.communities import service as communities_service
from botvideo.communities.models import CommunityRole
from botvideo.core.config import Settings
from botvideo.providers.base import VideoProvider
from botvideo.providers.registry import ProviderRegistry
from tests.factories import DEFAULT_PASSWORD, add_member, avatar_png, create_community, create_user
from tests.support.handles import Handles, handles
from tests.support.scripted_provider import ProviderLedger, ScriptedProvider
from tests.support.standin import serving

JWT_SECRET = "browser-test-secret-0123456789abcdef0123"


@dataclass
class LiveServer:
    base_url: str
    app: FastAPI
    handles: Handles
    admin_email: str
    member_email: str
    bot_id: uuid.UUID  # an onboarded bot with an avatar and a token, where both people belong
    password: str = DEFAULT_PASSWORD


def browser_settings(data_dir: Path, database_url: str | None = None) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url or f"sqlite:///{data_dir}/botvideo.db",
        jwt_secret=JWT_SECRET,  # type: ignore[arg-type]
        provider="local",
        render_preset="ultrafast",
        poll_interval_seconds=0.5,
        poll_backoff_after_seconds=60,
        queue_polling_interval_seconds=0.2,
        job_deadline_seconds=300,
        executor_id="browser-tests",
    )


def registry_builder(settings: Settings, ledger: ProviderLedger):  # type: ignore[no-untyped-def]
    def build(http: httpx.AsyncClient) -> ProviderRegistry:
        del http
        from botvideo.providers.local import LocalProvider

        settings.work_dir.mkdir(parents=True, exist_ok=True)
        providers: list[VideoProvider] = [
            LocalProvider(settings.work_dir, preset=settings.render_preset),
            ScriptedProvider(settings.work_dir, ledger, polls_to_finish=2),
        ]
        return ProviderRegistry(providers, default="local")

    return build


@contextmanager
def live_server(data_dir: Path, database_url: str | None = None) -> Iterator[LiveServer]:
    settings = browser_settings(data_dir, database_url)
    app = create_app(settings, providers=registry_builder(settings, ProviderLedger()), run_workers=True)
    with serving(app) as base_url:
        running = handles(app)
        with running.database.transaction() as session:
            admin = create_user(session, "ada@example.com")
            member = create_user(session, "max@example.com")
            bot = create_community(
                session,
                admin,
                name="Nova",
                agent_name="Nova the Navigator",
                token_name="Nova Coin",
                token_symbol="NOVA",
            )
            add_member(session, bot, member, CommunityRole.MEMBER)
            membership = communities_service.require_admin(session, bot.id, admin)
            communities_service.set_avatar(running.storage, membership, avatar_png())
            session.commit()
            bot_id = bot.id
        yield LiveServer(
            base_url=base_url,
            app=app,
            handles=running,
            admin_email="ada@example.com",
            member_email="max@example.com",
            bot_id=bot_id,
        )
