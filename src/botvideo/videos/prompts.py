"""The final prompt for each video type, written the way video models respond to best.

Video models follow concrete shot language (subject, camera move, light, lens, pacing) far better than adjectives,
so each template reads like a one-shot brief to a cinematographer, filled from the bot's own words.
"""

from __future__ import annotations

import re
import unicodedata

from botvideo.core.errors import InvalidInput
from botvideo.core.kinds import VideoType
from botvideo.providers.base import BotProfile

MAX_PROMPT_LENGTH = 2000
_SUMMARY_LENGTH = 220


def _one_line(text: str, limit: int) -> str:
    collapsed = re.sub(r"\s+", " ", text).strip()
    if len(collapsed) <= limit:
        return collapsed
    cut = collapsed[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut}…"


def _persona(bot: BotProfile) -> str:
    return _one_line(bot.instructions or bot.description, _SUMMARY_LENGTH)


def intro_prompt(bot: BotProfile) -> str:
    persona = _persona(bot)
    character = f' The character embodies: "{persona}".' if persona else ""
    return (
        f"Cinematic character reveal of {bot.name}, an AI companion. Open in darkness; a slow dolly push-in as a "
        f"volumetric light sweep uncovers the character's face, rim-lit against a deep gradient backdrop with "
        f"drifting particles.{character} Shallow depth of field, 35mm anamorphic look, subtle lens flare, "
        f"confident final pose facing camera, premium title-sequence mood."
    )


def promo_prompt(bot: BotProfile) -> str:
    persona = _persona(bot)
    showcase = f' showcasing what it does: "{persona}"' if persona else " showcasing its capabilities"
    return (
        f"Dynamic promotional video for {bot.name}, an AI assistant,{showcase}. Fast-paced sequence of sleek "
        f"interface cards and glowing holographic panels sliding into frame, smooth camera orbits and whip "
        f"transitions, vibrant modern palette, clean studio lighting, energetic rhythm, ending on a bold hero "
        f"shot of {bot.name}."
    )


def token_reveal_prompt(bot: BotProfile) -> str:
    symbol = (bot.token_symbol or "").strip().upper()
    token = (bot.token_name or "").strip()
    if symbol and token:
        coin = f"the {token} (${symbol}) coin"
    elif symbol or token:
        coin = f"the ${symbol} coin" if symbol else f"the {token} coin"
    else:
        coin = f"the {bot.name} token"
    return (
        f"Epic token launch reveal: {coin} for {bot.name} forms out of swirling golden particles in space, "
        f"then spins slowly as god rays burst behind it. Metallic embossed surface with the ticker engraved, "
        f"sparks and light streaks, low-angle hero camera rising, dramatic cinematic lighting, celebratory "
        f"crescendo ending on the coin centred in frame."
    )


_TEMPLATES = {VideoType.INTRO: intro_prompt, VideoType.PROMO: promo_prompt, VideoType.TOKEN_REVEAL: token_reveal_prompt}


def clean_custom_prompt(prompt: str | None) -> str:
    """A user's own prompt: trimmed, length-limited, and free of control characters."""
    text = (prompt or "").strip()
    if not text:
        raise InvalidInput("Write a prompt for a custom video.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t\u200d" for ch in text):
        raise InvalidInput("The prompt contains control characters. Remove them and try again.")
    if len(text) > MAX_PROMPT_LENGTH:
        raise InvalidInput(f"The prompt is {len(text)} characters long; the limit is {MAX_PROMPT_LENGTH}.")
    return text


def build_prompt(video_type: str, bot: BotProfile, custom_prompt: str | None = None) -> str:
    """The prompt sent to the provider. For the template types a non-empty `custom_prompt` replaces the template,
    which is how the UI's edited preview reaches the provider."""
    if video_type == VideoType.CUSTOM or (custom_prompt or "").strip():
        return clean_custom_prompt(custom_prompt)
    template = _TEMPLATES.get(VideoType(video_type)) if video_type in set(VideoType) else None
    if template is None:
        choices = ", ".join(VideoType)
        raise InvalidInput(f"Unknown video type {video_type!r}. Choose one of: {choices}.")
    return template(bot)
