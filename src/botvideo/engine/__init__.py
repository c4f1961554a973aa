"""The local video engine: procedural motion graphics for a bot, rendered to H.264 MP4 on the CPU.

`render_clip(ClipSpec(...), out)` renders a clip with its soundtrack; `render_still(spec, seconds)` draws one frame
for a preview; `RenderPool` keeps warm worker processes for a service.
"""

from __future__ import annotations

from botvideo.engine.pool import RenderPool, default_pool
from botvideo.engine.render import RenderFailed, hero_seconds, render_clip, render_still
from botvideo.engine.spec import (
    ASPECT_RATIOS,
    MAX_DURATION_SECONDS,
    MIN_DURATION_SECONDS,
    RESOLUTIONS,
    VIDEO_TYPES,
    BadFrameSize,
    BadRenderSetting,
    ClipResult,
    ClipSpec,
    DurationOutOfRange,
    RenderCanceled,
    UnknownVideoType,
    size_for,
)

__all__ = [
    "ASPECT_RATIOS",
    "MAX_DURATION_SECONDS",
    "MIN_DURATION_SECONDS",
    "RESOLUTIONS",
    "VIDEO_TYPES",
    "BadFrameSize",
    "BadRenderSetting",
    "ClipResult",
    "ClipSpec",
    "DurationOutOfRange",
    "RenderCanceled",
    "RenderFailed",
    "RenderPool",
    "UnknownVideoType",
    "default_pool",
    "hero_seconds",
    "render_clip",
    "render_still",
    "size_for",
]
