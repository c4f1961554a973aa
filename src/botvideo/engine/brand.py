"""The bot's brand as the scenes use it: a palette from its avatar, short lines from its description, its ticker
and its call to action.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
from typing import cast

from PIL import Image

from botvideo.engine import layers as L
from botvideo.engine import text as T
from botvideo.engine.spec import ClipSpec

MIN_ACCENT_CONTRAST = 3.0  # accent against the deep background (WCAG "large text / graphics")
MIN_INK_CONTRAST = 7.0  # titles against the lit background


def stable_hash(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "replace")).digest()
    return int.from_bytes(digest[:8], "big")


def dominant_hues(image: Image.Image, count: int = 6) -> list[tuple[float, float, float, float]]:
    """(hue, lightness, saturation, share) of the avatar's main colours, most prominent first."""
    small = image.convert("RGB").resize((48, 48), Image.Resampling.BILINEAR)
    quantized = small.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    # Pillow types getcolors() loosely; for a "P" image it is (count, palette index) pairs.
    colors = sorted(cast("list[tuple[int, int]]", quantized.getcolors() or []), reverse=True)
    total = sum(c for c, _ in colors) or 1
    found = []
    for share, index in colors:
        r, g, b = (palette[index * 3 + k] / 255 for k in range(3))
        h, lightness, s = colorsys.rgb_to_hls(r, g, b)
        found.append((h, lightness, s, share / total))
    return found


def palette_from_hue(hue: float, hue2: float, saturation: float = 0.75) -> L.Palette:
    """A dark, lit palette around a brand hue, contrast-checked for text and glows."""
    s = max(0.45, min(0.95, saturation))
    deep = L.hls(hue, 0.05, s * 0.7)
    mid = L.hls(hue, 0.17, s * 0.6)
    accent = L.hls(hue, 0.58, s)
    lightness = 0.58
    while L.contrast(accent, deep) < MIN_ACCENT_CONTRAST and lightness < 0.9:
        lightness += 0.04
        accent = L.hls(hue, lightness, s)
    accent2 = L.hls(hue2, 0.62, max(0.55, s * 0.9))
    ink = (1.0, 1.0, 1.0)
    while L.contrast(ink, mid) < MIN_INK_CONTRAST:
        mid = L.mix(mid, deep, 0.3)
    muted = L.mix(ink, accent, 0.18)
    return L.Palette(deep=deep, mid=mid, accent=accent, accent2=accent2, ink=ink, muted=muted)


def palette_for(spec: ClipSpec, avatar: Image.Image | None, colors: tuple[str, ...] = ()) -> L.Palette:
    """From colours the scene prompt names, else the avatar's most colourful prominent hue, else the name."""
    if colors:
        named_hue, _, named_saturation = colorsys.rgb_to_hls(*L.hex_color(colors[0]))
        other_hue = colorsys.rgb_to_hls(*L.hex_color(colors[1]))[0] if len(colors) > 1 else named_hue + 0.12
        return palette_from_hue(named_hue, other_hue, max(0.6, named_saturation))
    if avatar is not None:
        hues = [h for h in dominant_hues(avatar) if h[2] > 0.25 and 0.12 < h[1] < 0.9]
        if hues:
            # Prominence weighted by colourfulness: a small vivid logo beats a large grey background.
            best = max(hues, key=lambda h: h[3] * (0.3 + h[2]))
            others = [h for h in hues if abs((h[0] - best[0] + 0.5) % 1.0 - 0.5) > 0.08]
            second = max(others, key=lambda h: h[3] * (0.3 + h[2]))[0] if others else best[0] + 0.1
            return palette_from_hue(best[0], second, best[2])
    h = stable_hash(spec.title, spec.seed)
    hue = (h % 360) / 360
    return palette_from_hue(hue, hue + (0.1 if h & 1 else -0.12), 0.8)


def sentences(text: str) -> list[str]:
    flat = T.clean_text(text, limit=4000)
    pieces = re.split(r"(?<=[.!?。！？])\s+|\s*[\n•;]\s*|\s+-\s+", flat)
    return [p.strip(" .,-") for p in pieces if len(p.strip(" .,-")) >= 3]


_LEAD = re.compile(r"^(you are|you're|you|i am|i'm|i|it|this bot|always|please|can|will)\s+", re.IGNORECASE)


def tagline_from(instructions: str, description: str) -> str:
    """A short line about the bot: the first sentence of its description, else of its instructions."""
    for source in (description, instructions):
        for sentence in sentences(source):
            # "You are Nova, a guide to ..." reads better on screen as "A guide to ...".
            line = re.sub(r"^(you are|you're|i am|i'm)\s+", "", sentence, flags=re.IGNORECASE)
            line = re.sub(r"^[^,]{1,40},\s+(?=(a|an|the|your)\b)", "", line, flags=re.IGNORECASE)
            if line:
                return short_phrase(line[0].upper() + line[1:], 8)
    return ""


def short_phrase(text: str, words: int) -> str:
    """At most `words` words, cut at a natural break (comma, 'and', 'with') when there is one."""
    parts = text.split()
    if len(parts) <= words:
        return text.strip(" ,;:")
    head = " ".join(parts[:words])
    for breaker in (",", " and ", " with ", " for ", " to "):
        cut = head.rfind(breaker)
        if cut > len(head) // 3:
            return head[:cut].strip(" ,;:")
    return head.strip(" ,;:")


def capabilities_from(description: str, instructions: str, limit: int) -> list[str]:
    """Short capability phrases: sentences and comma/and-separated clauses, lead words dropped."""
    found: list[str] = []
    for sentence in sentences(description) + sentences(instructions):
        for clause in re.split(r",\s*(?:and\s+)?|\s+and\s+(?=[a-z]+s\b)", sentence):
            line = _LEAD.sub("", clause.strip())
            line = short_phrase(line[:1].upper() + line[1:], 6)
            if len(line) >= 3 and line.lower() not in (f.lower() for f in found):
                found.append(line)
            if len(found) >= limit:
                return found
    return found


DEFAULT_CAPABILITIES = ("Answers in seconds", "Knows your community", "Speaks your language")

# Glyphs for capability cards, chosen by a word in the phrase (drawn as vector icons by the scene).
ICON_WORDS: dict[str, tuple[str, ...]] = {
    "chart": ("yield", "price", "chart", "market", "track", "trade", "growth", "data", "analy", "stat"),
    "shield": ("risk", "safe", "secur", "protect", "trust", "guard", "privacy"),
    "bolt": ("fast", "instant", "second", "quick", "speed", "alert", "real-time", "now"),
    "chat": ("answer", "chat", "talk", "explain", "speak", "language", "reply", "question", "word"),
    "globe": ("chain", "global", "world", "web", "network", "communit", "everywhere"),
    "bell": ("notif", "remind", "alert", "early", "watch"),
}


def icon_for(phrase: str, index: int) -> str:
    lowered = phrase.lower()
    for icon, stems in ICON_WORDS.items():
        if any(stem in lowered for stem in stems):
            return icon
    return ("spark", "star", "bolt")[index % 3]


def token_ticker(spec: ClipSpec) -> str:
    """The ticker as given (without "$"), or one derived from the token's or bot's name; never cut."""
    raw = spec.token_symbol or spec.token_name or spec.title
    cleaned = T.clean_text(raw, limit=64).lstrip("$").strip()
    if cleaned.endswith("…"):
        cleaned = cleaned[:-1]
    if spec.token_symbol is None:
        # Derive a ticker from a name: letters only, upper case, short.
        letters = "".join(ch for ch in cleaned if ch.isalnum())
        cleaned = letters[:5].upper() if letters else cleaned[:5]
    return cleaned or "TOKEN"


_HANDLE = re.compile(r"(@[A-Za-z0-9_]{2,32}|(?:https?://)?(?:t\.me|x\.com|discord\.gg|[a-z0-9-]+\.[a-z]{2,})/[\w/-]+)")


def call_to_action(spec: ClipSpec, name: str) -> tuple[str, str]:
    """(headline, handle) for the promo's call to action: the bot's link when it has one, else "Try <name>"."""
    link = spec.link.strip()
    if not link:
        match = _HANDLE.search(f"{spec.description} {spec.instructions}")
        link = match.group(0) if match else ""
    link = re.sub(r"^https?://", "", link)
    return (f"Try {name}", link) if link else (f"Try {name}", "")
