"""Reading a scene prompt: words become a `SceneDescription` (setting, time of day, weather, mood, palette, motion).

The engine never prints a prompt; it composes what the prompt describes from procedural elements. A small
lexicon maps word stems to fields; where no word matches, the closest mood serves and the seed picks a setting,
so every prompt still gets a designed scene.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

SETTINGS = ("space", "city", "ocean", "mountains", "desert", "forest", "neon", "abstract", "sky")
TIMES = ("dawn", "day", "sunset", "night")
WEATHERS = ("clear", "rain", "snow", "storm", "fog", "clouds")
MOODS = ("calm", "dreamy", "cinematic", "energetic", "dark", "epic", "playful")

# Stems, matched against the start of each word of the prompt ("mountains" matches "mountain").
_SETTING_WORDS: dict[str, tuple[str, ...]] = {
    "space": ("space", "galax", "cosm", "nebula", "orbit", "astronaut", "rocket", "universe", "planet", "saturn"),
    "city": ("city", "urban", "skyline", "street", "downtown", "metropol", "tokyo", "skyscraper", "building"),
    "ocean": ("ocean", "sea", "beach", "wave", "lake", "river", "water", "harbo", "coast", "shore", "island"),
    "mountains": ("mountain", "peak", "alpine", "alps", "hill", "valley", "canyon", "cliff", "summit"),
    "desert": ("desert", "dune", "sand", "sahara", "oasis", "cactus", "pyramid"),
    "forest": ("forest", "wood", "tree", "jungle", "pine", "grove", "nature", "garden", "meadow", "camp"),
    "neon": ("neon", "synthwave", "retro", "arcade", "vaporwave", "cyber", "laser", "rave", "club", "disco"),
    "abstract": ("abstract", "geometr", "shape", "fluid", "pattern", "crystal", "cube", "minimal"),
}
_TIME_WORDS: dict[str, tuple[str, ...]] = {
    "dawn": ("dawn", "sunrise", "morning", "daybreak"),
    "day": ("noon", "sunny", "daylight", "midday", "afternoon", "summer"),
    "sunset": ("sunset", "dusk", "evening", "golden", "twilight"),
    "night": ("night", "midnight", "moon", "dark", "star", "nocturn"),
}
_WEATHER_WORDS: dict[str, tuple[str, ...]] = {
    "rain": ("rain", "drizzl", "wet", "monsoon", "shower"),
    "snow": ("snow", "winter", "blizzard", "frost", "ice", "icy", "frozen"),
    "storm": ("storm", "thunder", "lightning", "tempest"),
    "fog": ("fog", "mist", "haze", "smok"),
    "clouds": ("cloud", "overcast", "sky"),
}
_MOOD_WORDS: dict[str, tuple[str, ...]] = {
    "calm": ("calm", "seren", "peace", "quiet", "gentle", "soft", "relax", "zen", "tranquil", "cozy", "lofi"),
    "dreamy": ("dream", "magic", "fairy", "ethereal", "wonder", "mystic", "float", "surreal", "pastel"),
    "energetic": ("energ", "fast", "hype", "party", "danc", "rave", "dynamic", "bold", "launch", "race", "speed"),
    "dark": ("dark", "myster", "eerie", "haunt", "noir", "ominous", "shadow", "gothic", "spooky"),
    "epic": ("epic", "hero", "grand", "majest", "cinemat", "legend", "victor", "triumph", "power", "dragon"),
    "playful": ("fun", "playful", "cute", "happy", "joy", "cheer", "colorful", "colourful", "candy", "toy"),
}
_EXTRA_WORDS: dict[str, tuple[str, ...]] = {
    "meteors": ("meteor", "shooting", "comet", "falling star"),
    "aurora": ("aurora", "northern light", "borealis"),
    "fire": ("fire", "flame", "ember", "burn", "lava", "volcan", "campfire", "phoenix", "blaze"),
    "planets": ("planet", "saturn", "jupiter", "mars", "moons"),
    "shapes": ("abstract", "geometr", "shape", "crystal", "cube", "prism"),
    "grid": ("synthwave", "retro", "grid", "vaporwave", "arcade"),
}
# Named colours a prompt can ask for (sRGB hex).
COLOR_WORDS: dict[str, str] = {
    "red": "ff3b4e",
    "crimson": "dc143c",
    "orange": "ff8c32",
    "amber": "ffb000",
    "gold": "f5c542",
    "yellow": "ffe14d",
    "green": "3ddc84",
    "emerald": "2ecc71",
    "teal": "14b8a6",
    "cyan": "22d3ee",
    "turquoise": "40e0d0",
    "blue": "3b82f6",
    "navy": "1e3a8a",
    "purple": "8b5cf6",
    "violet": "a855f7",
    "pink": "ff5fa2",
    "magenta": "ff2fd0",
    "white": "f2f5ff",
    "silver": "c7d2e0",
}
SUBJECT_ELEMENTS = ("planet", "moon", "sun")
MOTION_FAST = ("fast", "rush", "speed", "race", "zoom", "energ", "hype", "explo", "action")
MOTION_SLOW = ("slow", "calm", "gentle", "drift", "float", "still", "serene", "peace")


@dataclass(frozen=True)
class SceneDescription:
    subject: str  # "avatar" (the bot) or an element that can be the hero: planet, moon, sun
    setting: str
    time_of_day: str
    weather: str
    mood: str
    colors: tuple[str, ...] = ()  # hex colours the prompt named, in order
    motion: str = "drift"  # slow | drift | fast
    extras: frozenset[str] = field(default_factory=frozenset)


def _hash(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "replace")).digest()
    return int.from_bytes(digest[:8], "big")


def _words(prompt: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", prompt.lower())


def _count(words: list[str], text: str, stems: tuple[str, ...]) -> int:
    hits = 0
    for stem in stems:
        if " " in stem:
            hits += text.count(stem)
        else:
            hits += sum(1 for word in words if word.startswith(stem))
    return hits


def _best(words: list[str], text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    scores = {name: _count(words, text, stems) for name, stems in table.items()}
    top = max(scores.values(), default=0)
    if top == 0:
        return None
    # Ties go to the field named first in the prompt.
    tied = [name for name, score in scores.items() if score == top]
    return min(tied, key=lambda name: _first_index(words, table[name]))


def _first_index(words: list[str], stems: tuple[str, ...]) -> int:
    for index, word in enumerate(words):
        if any(word.startswith(stem) for stem in stems if " " not in stem):
            return index
    return len(words)


def describe(prompt: str, *, seed: int = 0, default_mood: str = "cinematic") -> SceneDescription:
    """The scene a prompt asks for; deterministic for the same prompt and seed."""
    words = _words(prompt)
    text = " ".join(words)
    h = _hash(prompt, seed)
    setting = _best(words, text, _SETTING_WORDS)
    time_of_day = _best(words, text, _TIME_WORDS)
    weather = _best(words, text, _WEATHER_WORDS) or "clear"
    mood = _best(words, text, _MOOD_WORDS)
    extras = {name for name, stems in _EXTRA_WORDS.items() if _count(words, text, stems)}
    if setting is None:
        setting = ("sky", "abstract", "mountains", "ocean", "space")[h % 5] if words else "abstract"
    if time_of_day is None:
        time_of_day = {"space": "night", "neon": "night", "city": "night", "desert": "sunset"}.get(
            setting, TIMES[(h >> 8) % len(TIMES)]
        )
    if mood is None:
        # The closest mood to what was described: places and light carry a feeling of their own.
        mood = {
            "space": "epic",
            "neon": "energetic",
            "city": "cinematic",
            "ocean": "calm",
            "forest": "calm",
            "desert": "cinematic",
            "mountains": "epic",
            "abstract": "dreamy",
        }.get(setting, default_mood)
        if weather == "storm" or (time_of_day == "night" and weather == "rain"):
            mood = "dark"
    colors = tuple(dict.fromkeys(COLOR_WORDS[w] for w in words if w in COLOR_WORDS))
    if not colors:
        # Some things carry their own colour: fire is warm, rain and snow are cool, neon is electric.
        if "fire" in extras:
            colors = (COLOR_WORDS["orange"], COLOR_WORDS["red"])
        elif weather in ("rain", "snow", "storm"):
            colors = (COLOR_WORDS["cyan"], COLOR_WORDS["blue"])
    subject = next((w for w in words if w in SUBJECT_ELEMENTS), "avatar")
    fast = _count(words, text, MOTION_FAST)
    slow = _count(words, text, MOTION_SLOW)
    motion = "fast" if fast > slow else "slow" if slow > fast else ("fast" if mood == "energetic" else "drift")
    if setting == "neon":
        extras.add("grid")
    if setting == "space":
        extras.add("planets")
    return SceneDescription(
        subject=subject,
        setting=setting,
        time_of_day=time_of_day,
        weather=weather,
        mood=mood,
        colors=colors,
        motion=motion,
        extras=frozenset(extras),
    )
