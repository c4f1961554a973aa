from __future__ import annotations

import threading
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from botvideo.core.errors import InvalidInput
from botvideo.engine import (
    ClipSpec,
    DurationOutOfRange,
    RenderCanceled,
    RenderPool,
    UnknownVideoType,
    render_clip,
    size_for,
)
from botvideo.engine.media import THUMBNAIL_WIDTH, probe_video
from tests.engine.conftest import decode_frames

BOT = {
    "title": "Nova 🚀",
    "description": "Tracks yields across twelve chains. Explains risk in plain words. Alerts you early.",
    "instructions": "You are Nova, a calm guide to decentralized finance.",
    "prompt": "A bold neon launch party for the future of on-chain art!",
    "token_symbol": "NOVA",
    "token_name": "Nova Token",
}


def small(video_type: str, **overrides: object) -> ClipSpec:
    fields: dict[str, object] = {**BOT, "width": 640, "height": 360, "duration_seconds": 2.0}
    fields.update(overrides)
    return ClipSpec(video_type=video_type, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("video_type", ["intro", "promo", "token_reveal", "custom"])
def test_every_type_renders_a_decodable_clip_of_the_right_length_and_size(
    video_type: str, tmp_path: Path, render_pool: RenderPool
) -> None:
    result = render_clip(small(video_type), tmp_path / "clip.mp4", pool=render_pool)
    probe = probe_video(result.path)
    assert (probe.width, probe.height, probe.frames, probe.codec) == (640, 360, 60, "h264")
    assert probe.duration_seconds == pytest.approx(2.0, abs=0.05)
    assert len(decode_frames(result.path)) == 60


@pytest.mark.parametrize("video_type", ["intro", "promo", "token_reveal", "custom"])
def test_every_type_draws_visible_frames_that_move(video_type: str, tmp_path: Path, render_pool: RenderPool) -> None:
    result = render_clip(small(video_type), tmp_path / "clip.mp4", pool=render_pool)
    frames = decode_frames(result.path)
    middle = frames[len(frames) // 2].astype(np.int16)
    assert middle.std() > 8, "the frame is nearly flat"
    assert middle.max() > 150, "nothing bright is on screen"
    assert np.abs(frames[10].astype(np.int16) - frames[40].astype(np.int16)).mean() > 1.0
    assert (np.abs(frames[40].astype(np.int16) - frames[41].astype(np.int16)) > 2).sum() > 50


@pytest.mark.parametrize(("aspect", "size"), [("9:16", (720, 1280)), ("1:1", (720, 720)), ("16:9", (1280, 720))])
def test_720p_framings_render_at_their_size(
    aspect: str, size: tuple[int, int], tmp_path: Path, render_pool: RenderPool
) -> None:
    width, height = size_for("720p", aspect)
    result = render_clip(small("intro", width=width, height=height), tmp_path / "clip.mp4", pool=render_pool)
    probe = probe_video(result.path)
    assert (probe.width, probe.height, probe.frames) == (*size, 60)


def test_default_clip_is_1080p_30fps_5s_with_faststart_and_short_gops(tmp_path: Path, render_pool: RenderPool) -> None:
    result = render_clip(ClipSpec("intro", "Nova"), tmp_path / "clip.mp4", pool=render_pool)
    with av.open(str(result.path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (1920, 1080)
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert stream.average_rate == 30
        keyframes = [p.pts * p.time_base for p in container.demux(stream) if p.is_keyframe and p.pts is not None]
    assert probe_video(result.path).frames == 150
    gaps = np.diff([float(k) for k in sorted(keyframes)] + [5.0])
    assert gaps.max() <= 2.0 + 1e-6
    head = result.path.read_bytes()[:4096]
    assert head.find(b"moov") != -1
    assert head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")


def test_poster_and_thumbnail_are_valid_images_of_the_right_size(tmp_path: Path, render_pool: RenderPool) -> None:
    spec = small("promo", width=720, height=1280)
    result = render_clip(spec, tmp_path / "clip.mp4", pool=render_pool)
    with Image.open(result.poster_path) as poster:
        assert (poster.format, poster.size) == ("JPEG", (720, 1280))
    with Image.open(result.thumbnail_path) as thumbnail:
        assert thumbnail.format == "WEBP"
        assert thumbnail.size == (THUMBNAIL_WIDTH * 720 // 1280, THUMBNAIL_WIDTH)


def test_same_inputs_and_seed_give_identical_frames(tmp_path: Path, render_pool: RenderPool) -> None:
    first = render_clip(small("token_reveal"), tmp_path / "a.mp4", pool=render_pool)
    second = render_clip(small("token_reveal"), tmp_path / "b.mp4", pool=render_pool)
    assert first.path.read_bytes() == second.path.read_bytes()


def test_progress_reaches_the_total_in_small_steps(tmp_path: Path, render_pool: RenderPool) -> None:
    seen: list[tuple[int, int]] = []
    render_clip(small("custom"), tmp_path / "clip.mp4", pool=render_pool, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 60)
    assert seen[-1] == (60, 60)
    done = [d for d, _ in seen]
    assert done == sorted(done)
    assert max(np.diff(done)) <= 12


def test_inline_pool_renders_without_worker_processes(tmp_path: Path) -> None:
    with RenderPool(workers=0) as pool:
        result = render_clip(small("intro"), tmp_path / "clip.mp4", pool=pool)
    assert probe_video(result.path).frames == 60


def test_cancel_stops_the_render_and_leaves_no_files(tmp_path: Path, render_pool: RenderPool) -> None:
    cancel = threading.Event()

    def stop_early(done: int, _total: int) -> None:
        if done >= 5:
            cancel.set()

    with pytest.raises(RenderCanceled):
        render_clip(
            small("intro", duration_seconds=6.0),
            tmp_path / "clip.mp4",
            pool=render_pool,
            progress=stop_early,
            cancel=cancel,
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        (ClipSpec("music_video", "Nova"), UnknownVideoType),
        (ClipSpec("intro", "Nova", duration_seconds=1.0), DurationOutOfRange),
        (ClipSpec("intro", "Nova", duration_seconds=16.0), DurationOutOfRange),
        (ClipSpec("intro", "Nova", duration_seconds=float("nan")), DurationOutOfRange),
        (ClipSpec("intro", "Nova", width=641, height=360), InvalidInput),
        (ClipSpec("intro", "Nova", width=100_000, height=360), InvalidInput),
        (ClipSpec("intro", "Nova", preset="ludicrous"), InvalidInput),
    ],
)
def test_bad_specs_fail_with_a_clear_invalid_input(spec: ClipSpec, error: type[Exception], tmp_path: Path) -> None:
    with pytest.raises(error) as caught:
        render_clip(spec, tmp_path / "clip.mp4", pool=RenderPool(workers=0))
    assert isinstance(caught.value, InvalidInput)
    assert str(caught.value)
    assert not (tmp_path / "clip.mp4").exists()


@pytest.mark.parametrize(
    ("resolution", "aspect", "size"),
    [
        ("1080p", "16:9", (1920, 1080)),
        ("1080p", "9:16", (1080, 1920)),
        ("1080p", "1:1", (1080, 1080)),
        ("720p", "16:9", (1280, 720)),
        ("720p", "9:16", (720, 1280)),
        ("720p", "1:1", (720, 720)),
    ],
)
def test_size_for_maps_resolution_and_aspect_to_pixels(resolution: str, aspect: str, size: tuple[int, int]) -> None:
    assert size_for(resolution, aspect) == size


def test_size_for_rejects_unknown_names() -> None:
    with pytest.raises(InvalidInput):
        size_for("4k", "16:9")
