"""What a render worker runs: draw frames `start..stop` of a clip and encode them into one MP4 part."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PIL import Image

from botvideo.engine import encode, layers, media, scenes, text

if TYPE_CHECKING:
    from botvideo.engine.pool import PartJob

PROGRESS_EVERY = 5  # frames between progress messages

_queue: Any = None
_cancel_flags: Any = None


def init_worker(queue: Any, cancel_flags: Any) -> None:
    global _queue, _cancel_flags
    _queue = queue
    _cancel_flags = cancel_flags


def warm_up() -> None:
    """Load fonts and the text engine so the first clip does not pay for them."""
    text.render_text("Warm up 0123 漢字 🙂", text.TextStyle(size=24))


def render_part(job: PartJob) -> None:
    def report(done: int) -> None:
        if _queue is not None:
            _queue.put((job.slot, job.index, done))

    def canceled() -> bool:
        return _cancel_flags is not None and bool(_cancel_flags[job.slot])

    render_part_with(job, report=report, canceled=canceled)


def render_part_with(job: PartJob, *, report: Callable[[int], None], canceled: Callable[[], bool]) -> None:
    # Imported here so `pool` can import this module at top level without a cycle.
    from botvideo.engine.spec import RenderCanceled

    spec = job.spec
    canvas = layers.Canvas(spec.width, spec.height)
    scene = scenes.build_scene(spec, canvas)
    encoder = encode.PartEncoder(job.path, width=spec.width, height=spec.height, fps=spec.fps, preset=spec.preset)
    try:
        for number in range(job.start, job.stop):
            if canceled():
                raise RenderCanceled()
            scene.draw(number / spec.fps)
            canvas.surface.flush()
            encoder.add(canvas.bgra)
            if number == job.poster_frame:
                save_poster_from(canvas, job)
            done = number - job.start + 1
            if done % PROGRESS_EVERY == 0 or number == job.stop - 1:
                report(done)
        encoder.close()
    except BaseException:
        encoder.abort()
        raise


def save_poster_from(canvas: layers.Canvas, job: PartJob) -> None:
    """Poster and thumbnail straight from the frame in memory (no decode of the finished video)."""
    stride = canvas.surface.get_stride()
    image = Image.frombuffer(
        "RGBA", (canvas.width, canvas.height), bytes(canvas.surface.get_data()), "raw", "BGRA", stride, 1
    )
    media.save_poster(image, job.poster_path, job.thumbnail_path)
