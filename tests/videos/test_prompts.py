"""The final prompt is a pure function of the video type, the bot and the user's own words."""

from __future__ import annotations

import pytest

from botvideo.core.errors import InvalidInput
from botvideo.providers.base import BotProfile
from botvideo.videos.prompts import MAX_PROMPT_LENGTH, build_prompt

BOT = BotProfile(name="Nova", description="Explains the stars.", instructions="A cheerful space guide.")


def test_intro_prefers_instructions_for_the_persona() -> None:
    assert "A cheerful space guide." in build_prompt("intro", BOT)


def test_intro_falls_back_to_the_description() -> None:
    assert "Explains the stars." in build_prompt("intro", BotProfile(name="Nova", description="Explains the stars."))


def test_promo_names_the_bot() -> None:
    assert build_prompt("promo", BOT).count("Nova") >= 2


def test_token_reveal_uses_name_and_symbol() -> None:
    prompt = build_prompt("token_reveal", BotProfile(name="Nova", token_name="Nova Coin", token_symbol="nova"))
    assert "Nova Coin ($NOVA)" in prompt


def test_token_reveal_without_a_token_names_the_bot() -> None:
    assert "the Nova token" in build_prompt("token_reveal", BotProfile(name="Nova"))


def test_long_instructions_are_summarised() -> None:
    prompt = build_prompt("intro", BotProfile(name="Nova", instructions="word " * 500))
    assert len(prompt) < 800
    assert "…" in prompt


def test_custom_prompt_is_trimmed() -> None:
    assert build_prompt("custom", BOT, "  a comet  ") == "a comet"


def test_an_edited_template_prompt_replaces_the_template() -> None:
    assert build_prompt("intro", BOT, "my own words") == "my own words"


@pytest.mark.parametrize(
    ("prompt", "message"),
    [
        (None, "Write a prompt"),
        ("   ", "Write a prompt"),
        ("x" * (MAX_PROMPT_LENGTH + 1), "the limit is"),
        ("nul\x00byte", "control characters"),
        ("bidi\u202eoverride", "control characters"),
    ],
)
def test_bad_custom_prompts_are_refused_clearly(prompt: str | None, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        build_prompt("custom", BOT, prompt)


def test_unknown_type_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Unknown video type"):
        build_prompt("trailer", BOT)


def test_emoji_joiners_are_allowed_in_prompts() -> None:
    assert build_prompt("custom", BOT, "family 👨\u200d👩\u200d👧") == "family 👨\u200d👩\u200d👧"
