"""`botvideo`: run the service, manage the database, make videos from the terminal.

Only Typer is imported up front, so `--help` and every usage error answer at once; each command imports what it
needs. Every failure is one line on stderr (`Error: …`) and a non-zero exit: 2 for bad input, 1 otherwise.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from botvideo.core.errors import BotvideoError, InvalidInput
from botvideo.core.kinds import VideoType

if TYPE_CHECKING:
    from botvideo.core.config import Settings
    from botvideo.resources import Resources

app = typer.Typer(
    help="botvideo: short videos of AI bots.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True, rich_markup_mode=None)
videos_app = typer.Typer(help="Videos.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(db_app, name="db")
app.add_typer(videos_app, name="videos")

DEMO_EMAIL = "demo@botvideo.local"
DEMO_PASSWORD = "botvideo-demo"
DEMO_BOT = "Nova"


class CommandFailed(Exception):
    """A command's own failure, already worded for the person at the terminal."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _error(message: str, exit_code: int) -> NoReturn:
    print(f"Error: {message}", file=sys.stderr)
    raise SystemExit(exit_code)


def main() -> None:
    """The `botvideo` entry point: runs the command and turns every failure into one line."""
    try:
        app(standalone_mode=False)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        _error("interrupted", 130)
    except typer.TyperException as exc:  # usage errors: a missing option, a value not among the choices
        _error(exc.format_message(), 2)
    except CommandFailed as exc:
        _error(str(exc), exc.exit_code)
    except BotvideoError as exc:
        _error(exc.message, 2 if exc.status_code < 500 else 1)
    except KeyboardInterrupt:
        _error("interrupted", 130)
    except Exception as exc:
        _error(f"{type(exc).__name__}: {exc}", 1)


def _settings() -> Settings:
    from pydantic import ValidationError

    from botvideo.core.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"BOTVIDEO_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors())
        raise CommandFailed(f"invalid settings: {problems}", 2) from None


def _uuid(value: str, option: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise CommandFailed(f"{option} must be a UUID, got {value!r}", 2) from None


def _configure_logging() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _provider_line(settings: Settings) -> str:
    if settings.provider_name == "higgsfield":
        return f"videos are made by Higgsfield at {settings.hf_base_url} (HF credentials are set)"
    return "videos are made by the local engine (no Higgsfield credentials: set HF_KEY to use Higgsfield)"


def _resources(settings: Settings, *, migrate: bool = True) -> Resources:
    """Read-only commands do not migrate: they answer faster, and a missing schema is named instead."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from botvideo.resources import build_resources

    resources = build_resources(settings, migrate=migrate)
    if not migrate:
        from botvideo.videos.models import BotVideo

        try:
            with resources.database.transaction() as session:
                session.query(BotVideo.id).limit(1).all()
        except (OperationalError, ProgrammingError):
            resources.close()
            message = "the database has no schema yet: run `botvideo db upgrade` (or `botvideo demo`)"
            raise CommandFailed(message, 2) from None
    return resources


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[bool, typer.Option(help="Also run the video job workers in this process.")] = True,
) -> None:
    """Run the API, the web app and the job workers in one process."""
    import uvicorn

    from botvideo.app import create_app

    settings = _settings()
    _configure_logging()
    application = create_app(settings, run_workers=workers)
    bind_host, bind_port = host or settings.host, port or settings.port
    _say(f"botvideo on http://{bind_host}:{bind_port} (data in {settings.data_dir.resolve()})")
    _say(_provider_line(settings))
    uvicorn.run(application, host=bind_host, port=bind_port, log_level="info", proxy_headers=False)


@app.command()
def worker() -> None:
    """Run only the job workers (scale-out: start several, each with its own BOTVIDEO_EXECUTOR_ID)."""
    import asyncio

    from botvideo.app import create_app

    settings = _settings()
    _configure_logging()
    _say(_provider_line(settings))

    async def run() -> None:
        application = create_app(settings, run_workers=True)
        async with application.router.lifespan_context(application):
            _say(f"worker {settings.executor_id} running; Ctrl-C to stop")
            await asyncio.Event().wait()

    asyncio.run(run())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema."""
    _resources(_settings()).close()
    _say("database is up to date")


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
    """Create the demo admin and its bot Nova (with an avatar) if missing; print them with an access token as JSON."""
    import json

    from botvideo.auth import repository as users
    from botvideo.auth import service as auth_service
    from botvideo.communities import service as communities

    settings = _settings()
    resources = _resources(settings)
    try:
        with resources.database.transaction() as session:
            user = users.get_by_email(session, DEMO_EMAIL) or auth_service.register(
                session, DEMO_EMAIL, DEMO_PASSWORD, "Demo Admin"
            )
            nova = next(
                (m.community for m in communities.my_communities(session, user) if m.community.name == DEMO_BOT), None
            )
            if nova is None:
                nova = communities.create_community(
                    session,
                    user,
                    name=DEMO_BOT,
                    agent_name="Nova the Navigator",
                    agent_instructions="A cheerful space guide who explains the stars and plans stargazing nights.",
                    description="Answers astronomy questions, tracks launches and sends sky alerts.",
                )
                nova.token_name, nova.token_symbol = "Nova Coin", "NOVA"
                admin = communities.require_admin(session, nova.id, user)
                communities.set_avatar(resources.storage, admin, _demo_avatar())
            result = {
                "email": DEMO_EMAIL,
                "password": DEMO_PASSWORD,
                "user_id": str(user.id),
                "community_id": str(nova.id),
                "community_name": nova.name,
                "access_token": resources.tokens.issue(user.auth_user_id, email=user.email),
                "url": f"http://{settings.host}:{settings.port}/",
            }
    finally:
        resources.close()
    print(json.dumps(result, indent=2))


@app.command()
def token(email: Annotated[str, typer.Option(help="The user's email.")]) -> None:
    """Print an access token (JWT) for a user, for API calls: Authorization: Bearer <token>."""
    from botvideo.auth import repository as users

    resources = _resources(_settings(), migrate=False)
    try:
        with resources.database.transaction() as session:
            user = users.get_by_email(session, email)
            if user is None:
                raise CommandFailed(f"no user with email {email!r} (create the demo user with `botvideo demo`)", 2)
            print(resources.tokens.issue(user.auth_user_id, email=user.email))
    finally:
        resources.close()


@app.command()
def generate(
    community: Annotated[str, typer.Option(help="Community (bot) id.")],
    video_type: Annotated[VideoType, typer.Option("--type", help="The kind of video.")] = VideoType.INTRO,
    prompt: Annotated[str | None, typer.Option(help="Your own prompt (required for custom).")] = None,
    model: Annotated[str | None, typer.Option(help="Model id (see the API's /api/v1/models).")] = None,
    duration: Annotated[int | None, typer.Option(help="Seconds.")] = None,
    email: Annotated[str | None, typer.Option(help="Act as this admin (default: the community's creator).")] = None,
    wait: Annotated[bool, typer.Option(help="Run the job here and wait for it, showing progress.")] = False,
) -> None:
    """Start a video. With --wait, the job runs in this process and the stored file's path is printed."""
    import asyncio

    from pydantic import ValidationError

    from botvideo.videos.schemas import CreateVideo

    community_id = _uuid(community, "--community")
    try:
        order = CreateVideo(video_type=video_type, custom_prompt=prompt, model=model, duration=duration)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CommandFailed(f"--{'-'.join(str(p) for p in first['loc'])}: {first['msg']}", 2) from None
    settings = _settings()
    if wait:
        # Its own executor id: this process must never recover jobs that a running server owns.
        settings = settings.model_copy(update={"executor_id": f"cli-{uuid.uuid4().hex[:8]}"})
    asyncio.run(_generate(settings, community_id, order, email, wait))


async def _generate(settings: Settings, community_id: uuid.UUID, order: Any, email: str | None, wait: bool) -> None:
    import asyncio

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from botvideo.app import create_app
    from botvideo.auth import repository as users
    from botvideo.auth.models import User
    from botvideo.communities import repository as communities
    from botvideo.videos import repository as videos
    from botvideo.videos import service

    application = create_app(settings, run_workers=wait)
    async with application.router.lifespan_context(application):
        state = application.state

        def create() -> uuid.UUID:
            with state.database.transaction() as session:
                target = communities.get(session, community_id)
                if target is None:
                    raise CommandFailed(f"no community {community_id}", 2)
                user = users.get_by_email(session, email) if email else None
                if user is None and target.created_by is not None:
                    user = session.get(User, target.created_by)
                if user is None:
                    raise CommandFailed("no admin to act as; pass --email", 2)
                created = service.create_video(
                    session, state.providers, state.storage, state.jobs, user, community_id, order
                )
                return created.video.id

        video_id = await asyncio.to_thread(create)
        _say(f"video {video_id} queued")
        if not wait:
            _say("it runs in `botvideo serve` or `botvideo worker`; follow it with `botvideo videos list`")
            print(video_id)
            return
        columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"))
        with Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True)) as progress:
            task = progress.add_task("pending", total=100)
            while True:
                with state.database.transaction() as session:
                    video = videos.get(session, video_id)
                if video is None:
                    raise CommandFailed("the video was deleted while it was being made")
                progress.update(task, description=video.status, completed=(video.progress or 0) * 100)
                if video.status_enum.is_terminal:
                    break
                await asyncio.sleep(0.5)
        if video.status != "completed" or video.video_key is None:
            raise CommandFailed(f"the video {video.status}: {video.error_message}")
        print(state.storage.local_path(video.video_key))


@videos_app.command("list")
def videos_list(
    community: Annotated[str | None, typer.Option(help="Only this community.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.", min=1, max=1000)] = 20,
) -> None:
    """List videos, newest first."""
    import sqlalchemy as sa
    from rich.console import Console
    from rich.table import Table

    from botvideo.videos.models import BotVideo

    query = sa.select(BotVideo).order_by(BotVideo.created_at.desc()).limit(limit)
    if community:
        query = query.where(BotVideo.community_id == _uuid(community, "--community"))
    resources = _resources(_settings(), migrate=False)
    try:
        with resources.database.transaction() as session:
            rows = list(session.scalars(query))
    finally:
        resources.close()
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
    Console().print(table)


class Size(StrEnum):
    P1080 = "1080p"
    P720 = "720p"


class Framing(StrEnum):
    LANDSCAPE = "16:9"
    PORTRAIT = "9:16"
    SQUARE = "1:1"


@app.command()
def render(
    out: Annotated[Path, typer.Option("--out", help="Where to write the MP4 (poster .jpg and .webp go beside it).")],
    video_type: Annotated[VideoType, typer.Option("--type", help="The kind of video.")] = VideoType.INTRO,
    community: Annotated[str | None, typer.Option("--community", help="Render for this community's bot.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The bot's name (when not using --community).")] = None,
    description: Annotated[str, typer.Option(help="The bot's description.")] = "",
    instructions: Annotated[str, typer.Option(help="The bot's instructions.")] = "",
    prompt: Annotated[str, typer.Option(help="The scene, in words (custom videos).")] = "",
    token_symbol: Annotated[str | None, typer.Option(help="Token ticker, e.g. NOVA.")] = None,
    token_name: Annotated[str | None, typer.Option(help="Token name.")] = None,
    avatar: Annotated[Path | None, typer.Option(help="Avatar image; a monogram is used without one.")] = None,
    duration: Annotated[float, typer.Option(help="Seconds, 2 to 15.")] = 5.0,
    size: Annotated[Size, typer.Option(help="Frame size.")] = Size.P1080,
    aspect: Annotated[Framing, typer.Option(help="Framing.")] = Framing.LANDSCAPE,
    seed: Annotated[int, typer.Option(help="Same inputs and seed give the same video.")] = 0,
    preset: Annotated[str, typer.Option(help="libx264 preset.")] = "veryfast",
    sound: Annotated[bool, typer.Option(help="Add the soundtrack (--no-sound leaves it out).")] = True,
    scene_prompt: Annotated[str, typer.Option(help="Sets the scene and mood of any type.")] = "",
    link: Annotated[str, typer.Option(help="The bot's handle or link, for the promo's call to action.")] = "",
) -> None:
    """Render a motion-graphics clip for a bot with the local engine, without the service."""
    if community is not None and name is not None:
        raise InvalidInput("Give either --community or --name, not both.")
    if community is not None:
        profile = _community_profile(_uuid(community, "--community"))
        name = profile.name
        description = description or profile.description
        instructions = instructions or profile.instructions
        token_symbol = token_symbol or profile.token_symbol
        token_name = token_name or profile.token_name
        avatar = avatar or profile.avatar_path
    if name is None:
        raise InvalidInput("Give --name (or --community) so the video knows which bot it is about.")
    from botvideo.engine.cli import render_to_file

    render_to_file(
        out=out,
        video_type=video_type.value,
        name=name,
        description=description,
        instructions=instructions,
        prompt=prompt,
        token_symbol=token_symbol,
        token_name=token_name,
        avatar=avatar,
        duration=duration,
        size=size.value,
        aspect=aspect.value,
        seed=seed,
        preset=preset,
        sound=sound,
        scene_prompt=scene_prompt,
        link=link,
    )


def _community_profile(community_id: uuid.UUID) -> Any:
    """`botvideo render --community ID`: the bot's own name, words and avatar."""
    from botvideo.communities import repository as communities
    from botvideo.communities import service as communities_service

    resources = _resources(_settings(), migrate=False)
    try:
        with resources.database.transaction() as session:
            target = communities.get(session, community_id)
            if target is None:
                raise CommandFailed(f"no community {community_id}", 2)
            return communities_service.bot_profile(target, resources.storage)
    finally:
        resources.close()


def _standin_command() -> Callable[..., None]:
    from botvideo.providers.higgsfield.standin.cli import higgsfield_standin

    return higgsfield_standin


@app.command(
    "higgsfield-standin",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
)
def higgsfield_standin(ctx: typer.Context) -> None:
    """Serve a local stand-in for the Higgsfield API (`botvideo higgsfield-standin --help` for its options)."""
    standin = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    standin.command()(_standin_command())
    standin(ctx.args, prog_name="botvideo higgsfield-standin", standalone_mode=False)


if __name__ == "__main__":
    main()
