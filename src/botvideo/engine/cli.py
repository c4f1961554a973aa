"""`botvideo render`'s work: render one clip straight to a file with a progress bar, without the service."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from botvideo.engine import ClipSpec, RenderPool, render_clip, size_for
from botvideo.engine.spec import validate_spec

console = Console(stderr=True)


def render_to_file(
    *,
    out: Path,
    video_type: str,
    name: str,
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
    sound: bool = True,
    scene_prompt: str = "",
    link: str = "",
) -> None:
    """Render a motion-graphics clip for a bot; raises `InvalidInput` (bad options) or `RenderFailed`."""
    from botvideo.core.errors import InvalidInput

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
        sound=sound,
        scene_prompt=scene_prompt,
        link=link,
    )
    validate_spec(spec)
    with RenderPool(workers=2) as pool, _progress_bar() as bar:
        task = bar.add_task(f"Rendering {spec.video_type}", total=spec.frame_count)
        result = render_clip(
            spec, out, pool=pool, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    console.print(
        f"Wrote {result.path} ({result.width}x{result.height}, {result.frames} frames, "
        f"{result.duration_seconds:g} s); poster {result.poster_path.name}, thumbnail {result.thumbnail_path.name}",
        markup=False,
        highlight=False,
    )


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed}/{task.total} frames"),
        TimeElapsedColumn(),
        console=console,
    )
