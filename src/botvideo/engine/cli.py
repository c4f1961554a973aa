"""`botvideo render`: render one clip straight to a file, without the service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from botvideo.core.errors import BotvideoError
from botvideo.engine import ClipSpec, RenderPool, render_clip, size_for
from botvideo.engine.spec import VIDEO_TYPES, validate_spec

# The service sets this to look a community's bot up by id; it returns a `botvideo.providers.base.BotProfile`
# (or anything with name/description/instructions/token_name/token_symbol/avatar_path attributes).
resolve_community_profile: Callable[[str], Any] | None = None

console = Console(stderr=True)


def render(
    out: Annotated[Path, typer.Option("--out", help="Where to write the MP4 (poster .jpg and .webp go beside it).")],
    video_type: Annotated[str, typer.Option("--type", help=f"One of: {', '.join(VIDEO_TYPES)}.")] = "intro",
    community: Annotated[str | None, typer.Option("--community", help="Render for this community's bot.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The bot's name (when not using --community).")] = None,
    description: Annotated[str, typer.Option(help="The bot's description.")] = "",
    instructions: Annotated[str, typer.Option(help="The bot's instructions.")] = "",
    prompt: Annotated[str, typer.Option(help="The prompt (the custom type turns it into a scene).")] = "",
    token_symbol: Annotated[str | None, typer.Option(help="Token ticker, e.g. NOVA.")] = None,
    token_name: Annotated[str | None, typer.Option(help="Token name.")] = None,
    avatar: Annotated[Path | None, typer.Option(help="Avatar image; a monogram is used without one.")] = None,
    duration: Annotated[float, typer.Option(help="Seconds, 2 to 15.")] = 5.0,
    size: Annotated[str, typer.Option(help="1080p or 720p.")] = "1080p",
    aspect: Annotated[str, typer.Option(help="16:9, 9:16 or 1:1.")] = "16:9",
    seed: Annotated[int, typer.Option(help="Same inputs and seed give the same video.")] = 0,
    preset: Annotated[str, typer.Option(help="libx264 preset.")] = "veryfast",
    no_sound: Annotated[bool, typer.Option("--no-sound", help="Leave the soundtrack out.")] = False,
    scene_prompt: Annotated[str, typer.Option(help="Sets the scene and mood of any type.")] = "",
    link: Annotated[str, typer.Option(help="The bot's handle or link for the promo's call to action.")] = "",
) -> None:
    """Render a motion-graphics clip for a bot with the local engine."""
    try:
        spec = _spec(
            out,
            video_type,
            community,
            name,
            description,
            instructions,
            prompt,
            token_symbol,
            token_name,
            avatar,
            duration,
            size,
            aspect,
            seed,
            preset,
        )
        spec = replace(spec, sound=not no_sound, scene_prompt=scene_prompt, link=link)
        with RenderPool(workers=2) as pool, _progress_bar() as bar:
            task = bar.add_task(f"Rendering {spec.video_type}", total=spec.frame_count)
            result = render_clip(
                spec,
                out,
                pool=pool,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except BotvideoError as exc:
        console.print(f"[red]Error:[/red] {exc.message}")
        raise typer.Exit(code=2) from None
    except KeyboardInterrupt:
        console.print("[yellow]Canceled.[/yellow]")
        raise typer.Exit(code=130) from None
    except Exception as exc:  # a CLI shows a message, never a traceback
        console.print(f"[red]Error:[/red] {type(exc).__name__}: {exc}")
        raise typer.Exit(code=1) from None
    console.print(
        f"[green]Wrote[/green] {result.path} ({result.width}x{result.height}, {result.frames} frames, "
        f"{result.duration_seconds:g} s); poster {result.poster_path.name}, "
        f"thumbnail {result.thumbnail_path.name}"
    )


def _spec(
    out: Path,
    video_type: str,
    community: str | None,
    name: str | None,
    description: str,
    instructions: str,
    prompt: str,
    token_symbol: str | None,
    token_name: str | None,
    avatar: Path | None,
    duration: float,
    size: str,
    aspect: str,
    seed: int,
    preset: str,
) -> ClipSpec:
    from botvideo.core.errors import InvalidInput

    if community is not None and name is not None:
        raise InvalidInput("Give either --community or --name, not both.")
    if community is not None:
        if resolve_community_profile is None:
            raise InvalidInput("--community is not available here: no community lookup is configured. Use --name.")
        profile = resolve_community_profile(community)
        name = profile.name
        description = description or profile.description
        instructions = instructions or profile.instructions
        token_symbol = token_symbol or profile.token_symbol
        token_name = token_name or profile.token_name
        avatar = avatar or profile.avatar_path
    if name is None:
        raise InvalidInput("Give --name (or --community) so the video knows which bot it is about.")
    if out.suffix.lower() != ".mp4":
        raise InvalidInput(f"--out must end in .mp4 (got {out.name}).")
    width, height = size_for(size, aspect)
    spec = ClipSpec(
        video_type=video_type,
        title=name,
        description=description,
        instructions=instructions,
        prompt=prompt,
        token_name=token_name,
        token_symbol=token_symbol,
        avatar_path=avatar,
        width=width,
        height=height,
        duration_seconds=duration,
        seed=seed,
        preset=preset,
    )
    validate_spec(spec)
    return spec


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed}/{task.total} frames"),
        TimeElapsedColumn(),
        console=console,
    )
