"""`render_clip`: validate, split the clip across the pool, report progress, join the parts, publish."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from botvideo.core.errors import BotvideoError
from botvideo.engine import encode
from botvideo.engine.pool import PartJob, RenderPool, default_pool
from botvideo.engine.scenes import SCENES
from botvideo.engine.spec import ClipResult, ClipSpec, RenderCanceled, validate_spec

# Fewer frames than this per part and the extra process start + join costs more than it saves.
MIN_FRAMES_PER_PART = 15
POLL_SECONDS = 0.05
PROGRESS_STEP = 10


class RenderFailed(BotvideoError):
    code = "render_failed"
    message = "The video could not be rendered."


def render_clip(
    spec: ClipSpec,
    out: Path,
    *,
    poster: Path | None = None,
    thumbnail: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    pool: RenderPool | None = None,
    cancel: threading.Event | None = None,
) -> ClipResult:
    """Render `spec` to an MP4 at `out`, with a JPEG poster and a WebP thumbnail beside it.

    Without `pool`, the process-wide warm pool (`default_pool()`, 2 workers) is used.
    `progress(done, total)` is called in this thread at least every ~10 frames.
    Setting `cancel` stops the render (`RenderCanceled`) and
    leaves nothing behind. Outputs appear atomically: a reader sees the old file or the complete new one.
    """
    validate_spec(spec)
    out = Path(out)
    poster = Path(poster) if poster is not None else out.with_suffix(".jpg")
    thumbnail = Path(thumbnail) if thumbnail is not None else out.with_suffix(".webp")
    pool = pool if pool is not None else default_pool()
    total = spec.frame_count
    parts = max(1, min(max(pool.workers, 1), total // MIN_FRAMES_PER_PART))
    bounds = [round(i * total / parts) for i in range(parts + 1)]
    poster_frame = min(total - 1, int(total * SCENES[spec.video_type].poster_fraction))

    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.parent / f".{out.name}.{uuid.uuid4().hex[:8]}.parts"
    scratch.mkdir()
    slot = pool.next_slot()
    jobs = [
        PartJob(
            spec=spec,
            index=i,
            start=bounds[i],
            stop=bounds[i + 1],
            path=scratch / f"part{i}.mp4",
            slot=slot,
            poster_frame=poster_frame,
            poster_path=scratch / "poster.jpg",
            thumbnail_path=scratch / "thumbnail.webp",
        )
        for i in range(parts)
    ]
    handle = pool.start(jobs, slot)
    try:
        if progress is not None:
            progress(0, total)
        if pool.workers == 0:
            _run_inline(handle, jobs, total, progress, cancel)
        else:
            _wait(handle, total, progress, cancel)
        if cancel is not None and cancel.is_set():
            raise RenderCanceled()
        encode.join_parts([job.path for job in jobs], bounds[:-1], spec.fps, scratch / "clip.mp4")
        poster.parent.mkdir(parents=True, exist_ok=True)
        thumbnail.parent.mkdir(parents=True, exist_ok=True)
        # Poster and thumbnail first: whoever sees the MP4 can rely on them being there.
        _publish(scratch / "poster.jpg", poster)
        _publish(scratch / "thumbnail.webp", thumbnail)
        _publish(scratch / "clip.mp4", out)
        if progress is not None:
            progress(total, total)
    except (RenderCanceled, BotvideoError):
        raise
    except CancelledError as exc:
        raise RenderCanceled() from exc
    except BrokenProcessPool as exc:
        pool.recover()
        raise RenderFailed(f"A render worker stopped unexpectedly: {exc}") from exc
    except Exception as exc:
        raise RenderFailed(f"The video could not be rendered: {type(exc).__name__}: {exc}") from exc
    finally:
        if _unfinished(handle):
            handle.cancel()
        pool.finish(handle)
        shutil.rmtree(scratch, ignore_errors=True)
    return ClipResult(
        path=out,
        poster_path=poster,
        thumbnail_path=thumbnail,
        width=spec.width,
        height=spec.height,
        frames=total,
        duration_seconds=total / spec.fps,
    )


def _unfinished(handle: object) -> bool:
    futures = getattr(handle, "futures", [])
    return any(not future.done() for future in futures)


def _wait(
    handle: object,
    total: int,
    progress: Callable[[int, int], None] | None,
    cancel: threading.Event | None,
) -> None:
    from botvideo.engine.pool import JobHandle

    assert isinstance(handle, JobHandle)
    reported = 0
    while True:
        if cancel is not None and cancel.is_set():
            handle.cancel()
            _drain(handle)
            raise RenderCanceled()
        if all(future.done() for future in handle.futures):
            break
        if progress is not None:
            # Report in steps of at most 10 frames even when several arrived since the last poll.
            current = min(handle.frames_done, total - 1)
            while reported < current:
                reported = min(current, reported + PROGRESS_STEP)
                progress(reported, total)
        time.sleep(POLL_SECONDS)
    for future in handle.futures:
        future.result()  # re-raises the first worker error


def _drain(handle: object) -> None:
    """Wait for canceled workers to stop so their part files can be removed."""
    for future in getattr(handle, "futures", []):
        with contextlib.suppress(BaseException):
            future.result(timeout=30)


def _run_inline(
    handle: object,
    jobs: list[PartJob],
    total: int,
    progress: Callable[[int, int], None] | None,
    cancel: threading.Event | None,
) -> None:
    from botvideo.engine.pool import JobHandle

    assert isinstance(handle, JobHandle)
    done_before = 0
    for job in jobs:

        def report(done: int, offset: int = done_before) -> None:
            if cancel is not None and cancel.is_set():
                handle.cancel()
            if progress is not None:
                progress(min(offset + done, total - 1), total)

        from botvideo.engine import part as part_worker

        part_worker.render_part_with(job, report=report, canceled=lambda: bool(cancel is not None and cancel.is_set()))
        done_before += job.stop - job.start


def _publish(source: Path, destination: Path) -> None:
    if not source.exists():
        raise RenderFailed(f"The renderer did not produce {source.name}.")
    tmp = destination.with_name(f".{destination.name}.{uuid.uuid4().hex[:8]}")
    shutil.copyfile(source, tmp)
    os.replace(tmp, destination)
