from __future__ import annotations

import numpy as np

from botvideo.engine import text
from botvideo.engine.brand import capabilities_from, tagline_from, token_ticker
from botvideo.engine.layers import first_grapheme
from botvideo.engine.spec import ClipSpec


def coverage(value: str) -> float:
    surface = text.render_text(value, text.TextStyle(size=48))
    return float(text.surface_alpha(surface).mean())


def test_emoji_cjk_and_arabic_all_draw_ink() -> None:
    for value in ("🚀", "東京", "مرحبا", "Nova"):
        assert coverage(value) > 0.05, value


def test_colour_emoji_keeps_its_own_colours_when_pango_is_available() -> None:
    surface = text.render_text("🚀", text.TextStyle(size=64, color=(1.0, 1.0, 1.0)))
    surface.flush()
    h, w, stride = surface.get_height(), surface.get_width(), surface.get_stride()
    data = np.ndarray((h, stride // 4, 4), dtype=np.uint8, buffer=surface.get_data())[:, :w]
    spread = data[:, :, :3].astype(int).max(axis=2) - data[:, :, :3].astype(int).min(axis=2)
    if text.text_backend() == "pango":
        assert spread.max() > 60


def test_clean_text_cuts_long_text_on_a_word_with_an_ellipsis() -> None:
    cut = text.clean_text("word " * 1000, limit=50)
    assert len(cut) <= 51
    assert cut.endswith("…")


def test_first_grapheme_keeps_emoji_sequences_whole() -> None:
    assert first_grapheme("👩‍🚀 crew") == "👩‍🚀"
    assert first_grapheme("nova") == "N"
    assert first_grapheme("") == "?"


def test_tagline_reads_like_a_line_about_the_bot() -> None:
    assert tagline_from("You are Nova, a calm guide to DeFi. Be brief.", "") == "A calm guide to DeFi"


def test_capabilities_come_from_the_description_first() -> None:
    found = capabilities_from("Tracks yields. Explains risk.", "You answer fast.", 3)
    assert found == ["Tracks yields", "Explains risk", "Answer fast"]


def test_ticker_is_derived_from_the_name_without_a_symbol() -> None:
    assert token_ticker(ClipSpec("token_reveal", "Nova Bot")) == "NOVAB"
    assert token_ticker(ClipSpec("token_reveal", "Nova", token_symbol="$nova")) == "nova"
