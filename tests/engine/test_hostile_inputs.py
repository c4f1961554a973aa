from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from botvideo.engine import ClipSpec, RenderPool, render_clip
from botvideo.engine.media import probe_video
from tests.engine.conftest import decode_frames


def render_small(tmp_path: Path, pool: RenderPool, video_type: str = "intro", **fields: object) -> Path:
    spec = ClipSpec(video_type=video_type, width=640, height=360, duration_seconds=2.0, **fields)  # type: ignore[arg-type]
    return render_clip(spec, tmp_path / "clip.mp4", pool=pool).path


def test_corrupt_avatar_falls_back_to_a_monogram(tmp_path: Path, render_pool: RenderPool) -> None:
    avatar = tmp_path / "avatar.png"
    avatar.write_bytes(b"\x89PNG\r\n\x1a\nthis is not really a png")
    assert probe_video(render_small(tmp_path, render_pool, title="Nova", avatar_path=avatar)).frames == 60


def test_missing_avatar_falls_back_to_a_monogram(tmp_path: Path, render_pool: RenderPool) -> None:
    path = render_small(tmp_path, render_pool, title="Nova", avatar_path=tmp_path / "nowhere.png")
    assert probe_video(path).frames == 60


def test_huge_avatar_renders_without_decoding_it_in_full(tmp_path: Path, render_pool: RenderPool) -> None:
    avatar = tmp_path / "huge.png"
    Image.new("RGB", (9000, 9000), (200, 80, 40)).save(avatar, optimize=False, compress_level=1)
    assert probe_video(render_small(tmp_path, render_pool, title="Nova", avatar_path=avatar)).frames == 60


def test_real_avatar_shows_in_the_intro(tmp_path: Path, render_pool: RenderPool) -> None:
    avatar = tmp_path / "avatar.jpg"
    Image.new("RGB", (256, 256), (250, 20, 20)).save(avatar)
    frames = decode_frames(render_small(tmp_path, render_pool, title="Nova", avatar_path=avatar))
    red = frames[-1][:, :, 0].astype(int) - frames[-1][:, :, 2].astype(int)
    assert (red > 120).mean() > 0.02


@pytest.mark.parametrize("title", ["", "   ", "\x00\x07", "مرحبا بالعالم", "東京ボット", "👩‍🚀🚀✨", "A" * 500])
def test_odd_names_render(title: str, tmp_path: Path, render_pool: RenderPool) -> None:
    assert probe_video(render_small(tmp_path, render_pool, title=title)).frames == 60


@pytest.mark.parametrize("video_type", ["custom", "promo"])
def test_ten_thousand_character_prompt_renders(video_type: str, tmp_path: Path, render_pool: RenderPool) -> None:
    long_text = ("Build a vivid launch film about community and trust. " * 200)[:10_000]
    path = render_small(
        tmp_path,
        render_pool,
        video_type,
        title="Nova",
        prompt=long_text,
        description=long_text,
        instructions=long_text,
    )
    assert probe_video(path).frames == 60


def test_token_reveal_without_a_symbol_derives_one(tmp_path: Path, render_pool: RenderPool) -> None:
    assert probe_video(render_small(tmp_path, render_pool, "token_reveal", title="Nova Bot")).frames == 60
