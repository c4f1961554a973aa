"""What a clip is asked to be, what came out, and the checks that run before any frame is drawn."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from botvideo.core.errors import InvalidInput
from botvideo.core.kinds import VideoType

VIDEO_TYPES: tuple[str, ...] = tuple(kind.value for kind in VideoType)
MIN_DURATION_SECONDS = 2.0
MAX_DURATION_SECONDS = 15.0
RESOLUTIONS: dict[str, int] = {"1080p": 1080, "720p": 720}
ASPECT_RATIOS: dict[str, tuple[int, int]] = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1)}
PRESETS: tuple[str, ...] = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)
MIN_SIDE = 64
MAX_SIDE = 3840
MAX_PIXELS = 3840 * 2160


class UnknownVideoType(InvalidInput):
    code = "unknown_video_type"


class DurationOutOfRange(InvalidInput):
    code = "duration_out_of_range"


class BadFrameSize(InvalidInput):
    code = "bad_frame_size"


class BadRenderSetting(InvalidInput):
    code = "bad_render_setting"


class RenderCanceled(Exception):
    """The caller stopped the render; nothing was written."""


@dataclass(frozen=True)
class ClipSpec:
    video_type: str  # intro | promo | token_reveal | custom
    title: str  # bot name (agent_name or name)
    description: str = ""  # bot description
    instructions: str = ""  # bot instructions
    prompt: str = ""  # final prompt (custom uses it; others may show nothing of it)
    token_name: str | None = None
    token_symbol: str | None = None
    avatar_path: Path | None = None
    width: int = 1920
    height: int = 1080
    fps: int = 30
    duration_seconds: float = 5.0
    seed: int = 0
    preset: str = "veryfast"
    sound: bool = True  # an AAC stereo soundtrack composed to the scene; False leaves the video silent
    scene_prompt: str = ""  # sets the scene and mood of any type (intro/promo/token keep their structure)
    link: str = ""  # the bot's handle or link for the promo's call to action ("Try <name>" without one)

    @property
    def frame_count(self) -> int:
        return max(1, round(self.duration_seconds * self.fps))


@dataclass(frozen=True)
class ClipResult:
    path: Path
    poster_path: Path
    thumbnail_path: Path
    width: int
    height: int
    frames: int
    duration_seconds: float


def size_for(resolution: str, aspect_ratio: str) -> tuple[int, int]:
    """Frame size for a resolution name and aspect ratio: the short side is the resolution's line count."""
    lines = RESOLUTIONS.get(resolution)
    if lines is None:
        raise BadFrameSize(f"Unknown resolution {resolution!r}; choose one of {', '.join(RESOLUTIONS)}.")
    ratio = ASPECT_RATIOS.get(aspect_ratio)
    if ratio is None:
        raise BadFrameSize(f"Unknown aspect ratio {aspect_ratio!r}; choose one of {', '.join(ASPECT_RATIOS)}.")
    across, down = ratio
    if across >= down:
        return _even(lines * across / down), lines
    return lines, _even(lines * down / across)


def _even(value: float) -> int:
    return int(round(value / 2) * 2)


def validate_spec(spec: ClipSpec) -> None:
    """Raise an `InvalidInput` subclass with a message a user can act on."""
    if spec.video_type not in VIDEO_TYPES:
        raise UnknownVideoType(f"Unknown video type {spec.video_type!r}; choose one of {', '.join(VIDEO_TYPES)}.")
    duration = spec.duration_seconds
    if not isinstance(duration, int | float) or not math.isfinite(duration):
        raise DurationOutOfRange("The duration must be a number of seconds.")
    if not MIN_DURATION_SECONDS <= duration <= MAX_DURATION_SECONDS:
        raise DurationOutOfRange(
            f"The duration must be between {MIN_DURATION_SECONDS:g} and {MAX_DURATION_SECONDS:g} seconds "
            f"(got {duration:g})."
        )
    width, height = spec.width, spec.height
    if not (isinstance(width, int) and isinstance(height, int)):
        raise BadFrameSize("The frame size must be whole pixels.")
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE) or width * height > MAX_PIXELS:
        raise BadFrameSize(f"The frame size {width}x{height} is outside {MIN_SIDE}..{MAX_SIDE} px per side.")
    if width % 2 or height % 2:
        raise BadFrameSize(f"The frame size {width}x{height} must be even on both sides (H.264 4:2:0).")
    if not (isinstance(spec.fps, int) and 1 <= spec.fps <= 60):
        raise BadRenderSetting(f"The frame rate must be a whole number from 1 to 60 (got {spec.fps!r}).")
    if spec.preset not in PRESETS:
        raise BadRenderSetting(f"Unknown x264 preset {spec.preset!r}; choose one of {', '.join(PRESETS)}.")
