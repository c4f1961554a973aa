"""The stand-in's output videos: the local engine's render when it is there, else a tiny solid-colour MP4."""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from pathlib import Path

import av
import numpy as np

log = logging.getLogger(__name__)

_FPS = 12


def render_video(
    destination: Path,
    *,
    prompt: str,
    width: int,
    height: int,
    duration_seconds: float,
    use_engine: bool,
) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if use_engine and _render_with_engine(destination, prompt, width, height, duration_seconds):
        return
    render_placeholder(destination, prompt=prompt, width=width, height=height, duration_seconds=duration_seconds)


def _render_with_engine(destination: Path, prompt: str, width: int, height: int, duration_seconds: float) -> bool:
    # Imported lazily and by name: the engine is written in parallel and may not exist (or may fail) yet.
    try:
        engine = importlib.import_module("botvideo.engine")
        clip_spec = engine.ClipSpec
        render_clip = engine.render_clip
    except (ImportError, AttributeError):
        return False
    try:
        spec = clip_spec(
            video_type="custom",
            title="Higgsfield stand-in",
            prompt=prompt,
            width=width,
            height=height,
            duration_seconds=duration_seconds,
        )
        render_clip(spec, destination)
    except Exception:
        log.warning("standin.engine_render_failed: falling back to a placeholder clip", exc_info=True)
        return False
    return destination.exists() and destination.stat().st_size > 0


def render_placeholder(destination: Path, *, prompt: str, width: int, height: int, duration_seconds: float) -> None:
    """A real, playable H.264 MP4 (yuv420p, faststart): a colour picked from the prompt and a sliding bar."""
    colour = np.frombuffer(hashlib.sha256(prompt.encode()).digest()[:3], dtype=np.uint8)
    frames = max(1, round(duration_seconds * _FPS))
    partial = destination.with_name(destination.name + ".part")
    even_width, even_height = width - width % 2, height - height % 2
    with av.open(str(partial), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=_FPS)
        stream.width = even_width
        stream.height = even_height
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast"}
        image = np.empty((even_height, even_width, 3), dtype=np.uint8)
        bar = max(2, even_width // 16)
        for index in range(frames):
            image[:] = colour
            left = (index * even_width // frames) % even_width
            image[:, left : left + bar] = 255 - colour
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    os.replace(partial, destination)
