"""`botvideo`: run the service, manage the database, make videos from the terminal."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from botvideo.core.config import Settings
from botvideo.core.errors import BotvideoError

app = typer.Typer(help="botvideo: short videos of AI bots.", no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
videos_app = typer.Typer(help="Videos.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(videos_app, name="videos")

err = Console(stderr=True)
out = Console()

DEMO_EMAIL = "demo@botvideo.local"
DEMO_PASSWORD = "botvideo-demo"


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def run(main: Callable[[], Any]) -> Any:
    """Every failure ends as one clear line and a non-zero exit code, not a traceback."""
    try:
        return main()
    except typer.Exit:
        raise
    except BotvideoError as exc:
        raise fail(exc.message, 2) from None
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None
    except Exception as exc:
        raise fail(f"{type(exc).__name__}: {exc}") from None


@asynccontextmanager
async def started(settings: Settings, *, run_workers: bool) -> AsyncIterator[Any]:
    from botvideo.app import create_app

    application = create_app(settings, run_workers=run_workers)
    async with application.router.lifespan_context(application):
        yield application.state.runtime


def _configure_logging() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


def _provider_line(settings: Settings) -> str:
    if settings.provider_name == "higgsfield":
        return f"videos are made by [bold]Higgsfield[/] at {settings.hf_base_url} (HF credentials are set)"
    return "videos are made by the [bold]local engine[/] (no Higgsfield credentials: set HF_KEY to use Higgsfield)"


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[bool, typer.Option(help="Also run the video job workers in this process.")] = True,
) -> None:
    """Run the API, the web app and the job workers in one process."""
    import uvicorn

    from botvideo.app import create_app

    def main() -> None:
        settings = Settings()
        _configure_logging()
        application = create_app(settings, run_workers=workers)
        bind_host, bind_port = host or settings.host, port or settings.port
        err.print(f"botvideo on [bold]http://{bind_host}:{bind_port}[/] (data in {settings.data_dir.resolve()})")
        err.print(_provider_line(settings))
        uvicorn.run(application, host=bind_host, port=bind_port, log_level="info", proxy_headers=False)

    run(main)


@app.command()
def worker() -> None:
    """Run only the job workers (scale-out: start several, each with its own BOTVIDEO_EXECUTOR_ID)."""

    async def main() -> None:
        settings = Settings()
        _configure_logging()
        err.print(_provider_line(settings))
        async with started(settings, run_workers=True):
            err.print(f"worker [bold]{settings.executor_id}[/] running; Ctrl-C to stop")
            await asyncio.Event().wait()

    run(lambda: asyncio.run(main()))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema."""
    from botvideo.core.db import create_db_engine
    from botvideo.core.migrate import upgrade_database

    def main() -> None:
        settings = Settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_db_engine(settings.resolved_database_url)
        upgrade_database(engine)
        engine.dispose()
        err.print("database is up to date")

    run(main)


def _demo_avatar() -> bytes:
    import io

    from PIL import Image, ImageDraw

    size = 512
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for y in range(size):
        draw.line([(0, y), (size, y)], fill=(30 + y // 8, 20 + y // 12, 90 + y // 5))
    draw.ellipse((96, 96, 416, 416), fill=(255, 196, 80))
    draw.ellipse((176, 200, 226, 250), fill=(40, 30, 70))
    draw.ellipse((286, 200, 336, 250), fill=(40, 30, 70))
    draw.arc((186, 250, 326, 350), start=20, end=160, fill=(40, 30, 70), width=14)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@app.command()
def demo() -> None:
    """Create a demo admin and a demo bot with an avatar; print them with an access token as JSON."""
    from botvideo.app import build_runtime
    from botvideo.auth import repository as users
    from botvideo.auth import service as auth_service
    from botvideo.communities import service as communities
    from botvideo.core.db import unit_of_work
    from botvideo.providers.factory import default_registry_builder

    def main() -> None:
        settings = Settings()
        runtime = build_runtime(settings, default_registry_builder(settings, render_pool=None))
        with unit_of_work(runtime.sessions) as session:
            user = users.get_by_email(session, DEMO_EMAIL) or auth_service.register(
                session, DEMO_EMAIL, DEMO_PASSWORD, "Demo Admin"
            )
            mine = communities.my_communities(session, user)
            if mine:
                community = mine[0].community
            else:
                community = communities.create_community(
                    session,
                    user,
                    name="Nova",
                    agent_name="Nova the Navigator",
                    agent_instructions="A cheerful space guide who explains the stars and plans stargazing nights.",
                    description="Answers astronomy questions, tracks launches and sends sky alerts.",
                )
                community.token_name, community.token_symbol = "Nova Coin", "NOVA"
                communities.set_avatar(
                    runtime.storage, communities.require_admin(session, community.id, user), _demo_avatar()
                )
            token = runtime.tokens.issue(user.auth_user_id, email=user.email)
            result = {
                "email": DEMO_EMAIL,
                "password": DEMO_PASSWORD,
                "user_id": str(user.id),
                "community_id": str(community.id),
                "community_name": community.name,
                "access_token": token,
                "url": f"http://{settings.host}:{settings.port}/",
            }
        runtime.close()
        print(json.dumps(result, indent=2))

    run(main)


@app.command()
def token(email: Annotated[str, typer.Option(help="The user's email.")]) -> None:
    """Print an access token (JWT) for a user, for API calls: Authorization: Bearer <token>."""
    from botvideo.auth import repository as users
    from botvideo.auth.tokens import TokenService
    from botvideo.core.db import create_db_engine, create_session_factory

    def main() -> None:
        settings = Settings()
        engine = create_db_engine(settings.resolved_database_url)
        with create_session_factory(engine)() as session:
            user = users.get_by_email(session, email)
        engine.dispose()
        if user is None:
            raise fail(f"no user with email {email!r} (create the demo user with `botvideo demo`)", 2)
        tokens = TokenService(
            settings.jwt_secret.get_secret_value(),
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            ttl_seconds=settings.session_ttl_seconds,
        )
        print(tokens.issue(user.auth_user_id, email=user.email))

    run(main)


def _parse_uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise fail(f"{what} must be a UUID, got {value!r}", 2) from None


@app.command()
def generate(
    community: Annotated[str, typer.Option(help="Community (bot) id.")],
    video_type: Annotated[str, typer.Option("--type", help="intro, promo, token_reveal or custom.")] = "intro",
    prompt: Annotated[str | None, typer.Option(help="Your own prompt (required for custom).")] = None,
    model: Annotated[str | None, typer.Option(help="Model id (see the API's /api/v1/models).")] = None,
    duration: Annotated[int | None, typer.Option(help="Seconds.")] = None,
    email: Annotated[str | None, typer.Option(help="Act as this admin (default: the community's creator).")] = None,
    wait: Annotated[bool, typer.Option(help="Run the job here and wait for it, showing progress.")] = False,
) -> None:
    """Start a video. With --wait, the job runs in this process and the stored file's path is printed."""
    from botvideo.auth import repository as users
    from botvideo.communities import repository as communities
    from botvideo.core.db import unit_of_work
    from botvideo.videos import repository as videos
    from botvideo.videos import service
    from botvideo.videos.schemas import CreateVideo

    community_id = _parse_uuid(community, "--community")

    async def main() -> None:
        settings = Settings()
        if wait:
            # Its own executor id: this process must never recover jobs that a running server owns.
            settings = settings.model_copy(update={"executor_id": f"cli-{uuid.uuid4().hex[:8]}"})
        try:
            order = CreateVideo(video_type=video_type, custom_prompt=prompt, model=model, duration=duration)
        except ValueError as exc:
            raise fail(str(exc).splitlines()[-1] if str(exc) else "invalid options", 2) from None
        async with started(settings, run_workers=wait) as runtime:

            def create() -> uuid.UUID:
                with unit_of_work(runtime.sessions) as session:
                    target = communities.get(session, community_id)
                    if target is None:
                        raise fail(f"no community {community_id}", 2)
                    user = users.get_by_email(session, email) if email else None
                    if user is None and target.created_by is not None:
                        from botvideo.auth.models import User

                        user = session.get(User, target.created_by)
                    if user is None:
                        raise fail("no admin to act as; pass --email", 2)
                    return service.create_video(session, runtime, user, community_id, order).video.id

            video_id = await asyncio.to_thread(create)
            err.print(f"video [bold]{video_id}[/] queued")
            if not wait:
                err.print("it runs in `botvideo serve` or `botvideo worker`; follow it with `botvideo videos list`")
                print(video_id)
                return
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=err,
            ) as progress:
                task = progress.add_task("pending", total=100)
                while True:
                    with runtime.sessions() as session:
                        video = videos.get(session, video_id)
                    assert video is not None
                    progress.update(task, description=video.status, completed=(video.progress or 0) * 100)
                    if video.status_enum.is_terminal:
                        break
                    await asyncio.sleep(0.5)
            if video.status != "completed" or video.video_key is None:
                raise fail(f"the video {video.status}: {video.error_message}")
            print(runtime.storage.local_path(video.video_key))

    run(lambda: asyncio.run(main()))


@videos_app.command("list")
def videos_list(
    community: Annotated[str | None, typer.Option(help="Only this community.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
) -> None:
    """List videos, newest first."""
    import sqlalchemy as sa

    from botvideo.core.db import create_db_engine, create_session_factory
    from botvideo.videos.models import BotVideo

    def main() -> None:
        settings = Settings()
        engine = create_db_engine(settings.resolved_database_url)
        query = sa.select(BotVideo).order_by(BotVideo.created_at.desc()).limit(limit)
        if community:
            query = query.where(BotVideo.community_id == _parse_uuid(community, "--community"))
        with create_session_factory(engine)() as session:
            rows = list(session.scalars(query))
        engine.dispose()
        table = Table("id", "type", "status", "progress", "provider", "created", "error")
        for video in rows:
            progress = f"{(video.progress or 0) * 100:.0f}%" if video.progress is not None else ""
            table.add_row(
                str(video.id),
                video.video_type,
                video.status,
                progress,
                video.provider,
                video.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                video.error_message or "",
            )
        out.print(table)

    run(main)


def _register_provider_commands() -> None:
    from botvideo.engine import cli as render_cli
    from botvideo.providers.higgsfield.standin.cli import higgsfield_standin

    render_cli.resolve_community_profile = _community_profile
    app.command("render")(render_cli.render)
    app.command("higgsfield-standin")(higgsfield_standin)


def _community_profile(community_id: str) -> Any:
    """`botvideo render --community ID`: the bot's own name, words and avatar."""
    from botvideo.communities import repository as communities
    from botvideo.communities import service as communities_service
    from botvideo.core.db import create_db_engine, create_session_factory
    from botvideo.storage.local import LocalStorage

    settings = Settings()
    engine = create_db_engine(settings.resolved_database_url)
    with create_session_factory(engine)() as session:
        target = communities.get(session, _parse_uuid(community_id, "--community"))
    engine.dispose()
    if target is None:
        raise fail(f"no community {community_id}", 2)
    return communities_service.bot_profile(target, LocalStorage(settings.media_dir))


_register_provider_commands()

if __name__ == "__main__":
    sys.exit(app())
