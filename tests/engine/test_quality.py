"""The measures of a postable clip: motion throughout, text never clipped, loudness, true peak, custom variety."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest

from botvideo.engine import ClipSpec, RenderPool, audio, hero_seconds, layers, render_clip, render_still, scenes
from botvideo.engine.plan import plan_for

# Mean absolute change of luma (0-255) between consecutive frames, averaged over each 0.5 s window, at 30 fps.
MIN_MOTION = 0.2
FRAMINGS = {"16:9": (384, 216), "9:16": (216, 384), "1:1": (288, 288)}
TYPES = ("intro", "promo", "token_reveal", "custom")
BOT = {
    "title": "Nova 🚀",
    "description": "Tracks yields across twelve chains. Explains risk in plain words. Alerts you early.",
    "instructions": "You are Nova, a calm guide to decentralized finance.",
    "prompt": "Snowy mountains at night under the aurora",
    "token_symbol": "NOVA",
    "token_name": "Nova Token",
}
PROMPTS = (
    "A lonely lighthouse on the ocean at sunset, calm waves",
    "Neon synthwave city at midnight, fast and electric",
    "Snowy mountains at night under the aurora",
    "Golden desert dunes at dawn",
    "A quiet pine forest in the morning fog",
    "Deep space with a ringed planet and shooting stars",
    "Rainy cyberpunk downtown streets at night",
    "Abstract floating crystals in pink and teal",
    "A campfire with embers under the stars",
    "Bright sunny day above the clouds",
)


def luma(canvas: layers.Canvas) -> np.ndarray:
    return canvas.bgra[:, :, :3].astype(np.float32) @ np.array([0.114, 0.587, 0.299], dtype=np.float32)


def frames_of(spec: ClipSpec) -> list[np.ndarray]:
    canvas = layers.Canvas(spec.width, spec.height)
    scene = scenes.build_scene(spec, canvas)
    out = []
    for number in range(spec.frame_count):
        scene.draw(number / spec.fps)
        canvas.surface.flush()
        out.append(luma(canvas))
    return out


@pytest.mark.parametrize(("video_type", "framing"), list(itertools.product(TYPES, FRAMINGS)))
def test_every_half_second_of_every_type_and_framing_moves(video_type: str, framing: str) -> None:
    width, height = FRAMINGS[framing]
    frames = frames_of(ClipSpec(video_type, width=width, height=height, **BOT))
    changes = np.array([np.abs(b - a).mean() for a, b in itertools.pairwise(frames)])
    windows = [changes[i : i + 15].mean() for i in range(0, len(changes) - 14, 15)]
    assert len(windows) == 9
    assert min(windows) > MIN_MOTION, [round(float(w), 2) for w in windows]


NAMES = {
    "latin": ("N", "Supercalifragilisticexpi"),
    "cjk": ("東", "東京ボット東京ボット東京ボット東京ボット東京ボッ"),
    "arabic": ("م", "مرحبا بالعالم مرحبا بالعالم"[:24]),
    "emoji": ("🚀", "🚀✨👩‍🚀🌙" * 4),
}


@pytest.mark.parametrize(
    ("video_type", "script", "framing"),
    [(t, s, f) for t in TYPES for s in NAMES for f in FRAMINGS],
)
def test_text_boxes_stay_whole_inside_the_frame(video_type: str, script: str, framing: str) -> None:
    width, height = FRAMINGS[framing]
    for name in NAMES[script]:
        spec = ClipSpec(video_type, name, token_symbol=name, width=width, height=height, description=BOT["description"])
        scene = scenes.build_scene(spec, layers.Canvas(width, height))
        assert scene.boxes, "the layout reports its text boxes"
        for box in scene.boxes:
            assert 0 <= box.x0 < box.x1 <= width, (box, name)
            assert 0 <= box.y0 < box.y1 <= height, (box, name)
            assert "…" not in box.text, box
        labels = {box.label: box.text for box in scene.boxes}
        if video_type == "token_reveal":
            assert labels["coin-ticker"] == name
            assert labels["ticker"] == f"${name}"


def test_text_in_9_16_keeps_clear_of_the_app_overlays() -> None:
    for video_type in TYPES:
        scene = scenes.build_scene(ClipSpec(video_type, width=216, height=384, **BOT), layers.Canvas(216, 384))
        for box in scene.boxes:
            assert box.y0 >= 384 * 0.1, box
            assert box.y1 <= 384 * 0.8, box


@pytest.mark.parametrize("video_type", TYPES)
def test_soundtrack_is_minus_14_lufs_with_true_peak_under_minus_1_dbtp(video_type: str) -> None:
    spec = ClipSpec(video_type, **BOT)
    samples = audio.soundtrack(spec, plan_for(spec))
    assert samples.shape == (2, 5 * audio.RATE)
    loudness = pyloudnorm.Meter(audio.RATE).integrated_loudness(samples.T.astype(np.float64))
    assert -16.0 <= loudness <= -12.0
    assert audio.true_peak_db(samples) <= -1.0


@pytest.mark.parametrize("video_type", TYPES)
def test_soundtrack_is_never_silent_for_half_a_second_before_the_tail(video_type: str) -> None:
    spec = ClipSpec(video_type, duration_seconds=8.0, **BOT)
    plan = plan_for(spec)
    samples = audio.soundtrack(spec, plan)
    hop = audio.RATE // 20
    rms = np.sqrt((samples[:, : samples.shape[1] // hop * hop].reshape(2, -1, hop) ** 2).mean(axis=(0, 2)))
    quiet = rms[: int(plan.tail_start * 20)] < 10 ** (-50 / 20)
    longest = max((len(list(run)) for is_quiet, run in itertools.groupby(quiet) if is_quiet), default=0)
    assert longest * 0.05 <= 0.5


def test_same_spec_gives_the_same_soundtrack() -> None:
    spec = ClipSpec("promo", **BOT)
    assert np.array_equal(audio.soundtrack(spec, plan_for(spec)), audio.soundtrack(spec, plan_for(spec)))


def test_promo_cuts_land_on_the_beat() -> None:
    plan = plan_for(ClipSpec("promo", duration_seconds=7.0, **BOT))
    assert len(plan.cuts) == 7
    for cut in plan.cuts:
        assert cut / plan.beat == pytest.approx(round(cut / plan.beat), abs=1e-6)


def decoded_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.codec_context.channels) == ("aac", 2)
        chunks = [frame.to_ndarray() for frame in container.decode(stream)]
    return np.concatenate(chunks, axis=1)


@pytest.mark.xfail(
    strict=True,
    reason="known shortfall: AAC overshoots ~3 dB on the promo's drums, and lowering the level to stay under "
    "-1 dBTP leaves it at about -16.8 LUFS; the mix needs softer transients",
)
def test_rendered_clip_carries_its_aac_soundtrack_without_clipping(tmp_path: Path, render_pool: RenderPool) -> None:
    # The promo's drums are the hardest case: AAC overshoots most on sharp transients.
    spec = ClipSpec("promo", width=320, height=180, duration_seconds=5.0, **BOT)
    samples = decoded_audio(render_clip(spec, tmp_path / "clip.mp4", pool=render_pool).path)
    assert samples.shape[1] >= 5 * audio.RATE
    assert audio.true_peak_db(samples) <= -1.0
    assert audio.integrated_loudness(samples[:, : 5 * audio.RATE]) == pytest.approx(-14, abs=2)


def test_sound_false_leaves_the_audio_stream_out(tmp_path: Path, render_pool: RenderPool) -> None:
    spec = ClipSpec("intro", width=320, height=180, duration_seconds=2.0, sound=False, **BOT)
    with av.open(str(render_clip(spec, tmp_path / "clip.mp4", pool=render_pool).path)) as container:
        assert not container.streams.audio


def hero_thumbnail(prompt: str) -> np.ndarray:
    spec = ClipSpec("custom", "Nova", prompt=prompt, width=192, height=108)
    return np.asarray(render_still(spec, hero_seconds(spec)), dtype=np.float32)


def test_ten_prompts_give_ten_visibly_different_scenes() -> None:
    images = [hero_thumbnail(prompt) for prompt in PROMPTS]
    histograms = []
    layouts = []
    for image in images:
        bins = (image // 64).astype(int)
        index = bins[:, :, 0] * 16 + bins[:, :, 1] * 4 + bins[:, :, 2]
        histograms.append(np.bincount(index.ravel(), minlength=64) / index.size)
        gray = image.mean(axis=2)
        layouts.append(gray.reshape(9, 12, 12, 16).mean(axis=(1, 3)))
    for a, b in itertools.combinations(range(len(PROMPTS)), 2):
        colour_distance = np.abs(histograms[a] - histograms[b]).sum()
        layout_distance = np.abs(layouts[a] - layouts[b]).mean()
        assert colour_distance > 0.25 or layout_distance > 12, (
            PROMPTS[a],
            PROMPTS[b],
            colour_distance,
            layout_distance,
        )


def test_custom_never_puts_the_prompt_on_screen() -> None:
    for prompt in PROMPTS:
        scene = scenes.build_scene(
            ClipSpec("custom", "Nova", prompt=prompt, width=192, height=108), layers.Canvas(192, 108)
        )
        shown = " ".join(box.text.lower() for box in scene.boxes)
        for word in re.findall(r"[a-z]{3,}", prompt.lower()):
            assert word not in shown, (word, prompt)


def test_scene_prompt_override_sets_the_scene_of_an_intro() -> None:
    plain = ClipSpec("intro", "Nova", width=192, height=108)
    prompted = ClipSpec("intro", "Nova", width=192, height=108, scene_prompt="Golden desert dunes at sunset")
    a = np.asarray(render_still(plain, hero_seconds(plain)), dtype=np.float32)
    b = np.asarray(render_still(prompted, hero_seconds(prompted)), dtype=np.float32)
    assert np.abs(a - b).mean() > 10
    assert plan_for(prompted).scene.setting == "desert"


def test_render_still_gives_the_first_and_the_hero_frame() -> None:
    spec = ClipSpec("intro", width=320, height=180, **BOT)
    first = np.asarray(render_still(spec, 0.0), dtype=np.float32)
    hero = np.asarray(render_still(spec, hero_seconds(spec)), dtype=np.float32)
    assert first.shape == hero.shape == (180, 320, 3)
    assert hero.mean() > first.mean() + 10, "the intro opens in darkness and lands on a lit hero frame"
    assert math.isclose(hero_seconds(spec), 4.233, abs_tol=0.05)
