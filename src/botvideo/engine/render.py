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

from PIL import Image

from botvideo.core.errors import BotvideoError
from botvideo.engine import audio, encode, layers, scenes
from botvideo.engine.plan import plan_for
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
    poster_frame = round(hero_seconds(spec) * spec.fps)

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
    soundtrack = scratch / "audio.m4a" if spec.sound else None
    composer: _Composer | None = None
    try:
        if progress is not None:
            progress(0, total)
        if soundtrack is not None:
            composer = _Composer(spec, soundtrack)
        if pool.workers == 0:
            _run_inline(handle, jobs, total, progress, cancel)
        else:
            _wait(handle, total, progress, cancel)
        if cancel is not None and cancel.is_set():
            raise RenderCanceled()
        if composer is not None:
            composer.result()
        encode.join_parts([job.path for job in jobs], bounds[:-1], spec.fps, scratch / "clip.mp4", audio=soundtrack)
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
        if composer is not None:
            composer.thread.join()  # it writes into the scratch folder: let it finish before removing that
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


class _Composer:
    """Composes and encodes the soundtrack on a thread of the parent while the workers draw.

    The parent is otherwise idle waiting on them, and numpy's FFTs and PyAV's encoder release the GIL, so
    progress reports and cancellation stay responsive meanwhile."""

    def __init__(self, spec: ClipSpec, path: Path) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(spec, path), name="render-soundtrack", daemon=True)
        self.thread.start()

    def _run(self, spec: ClipSpec, path: Path) -> None:
        try:
            audio.write_soundtrack(audio.soundtrack(spec, plan_for(spec)), path)
        except BaseException as exc:  # handed to the caller by result()
            self.error = exc

    def result(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def render_still(spec: ClipSpec, at_seconds: float) -> Image.Image:
    """One frame of the clip at `at_seconds`, drawn in this thread (no pool, no encoder): for previews.

    `at_seconds=0` is the first frame; `hero_seconds(spec)` is the held hero frame the poster shows.
    """
    validate_spec(spec)
    canvas = layers.Canvas(spec.width, spec.height)
    scene = scenes.build_scene(spec, canvas)
    last = (spec.frame_count - 1) / spec.fps
    scene.draw(min(max(0.0, at_seconds), last))
    canvas.surface.flush()
    stride = canvas.surface.get_stride()
    data = bytes(canvas.surface.get_data())
    return Image.frombuffer("RGBA", (spec.width, spec.height), data, "raw", "BGRA", stride, 1).convert("RGB")


def hero_seconds(spec: ClipSpec) -> float:
    """When the hero frame (the poster) is, in seconds."""
    total = spec.frame_count
    return min(total - 1, int(total * SCENES[spec.video_type].hero_fraction)) / spec.fps


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

    def catch_up(current: int) -> None:
        # Report in steps of at most 10 frames even when several arrived since the last poll.
        nonlocal reported
        while progress is not None and reported < current:
            reported = min(current, reported + PROGRESS_STEP)
            progress(reported, total)

    while True:
        if cancel is not None and cancel.is_set():
            handle.cancel()
            _drain(handle)
            raise RenderCanceled()
        if all(future.done() for future in handle.futures):
            break
        catch_up(min(handle.frames_done, total - 1))
        time.sleep(POLL_SECONDS)
    for future in handle.futures:
        future.result()  # re-raises the first worker error
    catch_up(total - 1)  # the frames that finished after the last poll, in the same small steps


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
