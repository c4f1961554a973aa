"""Probe a stored video and take a poster from it, with PyAV (no ffmpeg binary needed)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

THUMBNAIL_WIDTH = 480


@dataclass(frozen=True)
class VideoProbe:
    duration_seconds: float
    width: int
    height: int
    frames: int
    codec: str

    @property
    def resolution(self) -> str:
        """The usual name for the frame size: 1080p for 1920x1080 and 1080x1920 alike."""
        return f"{min(self.width, self.height)}p"


class NotAVideo(ValueError):
    """The file is not a video PyAV can read."""


def probe_video(path: Path) -> VideoProbe:
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise NotAVideo(f"{path.name} has no video stream")
            stream = container.streams.video[0]
            if container.duration is not None:
                duration = container.duration / av.time_base
            elif stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            else:
                duration = 0.0
            frames = stream.frames or sum(1 for _ in container.demux(stream) if _.size)
            return VideoProbe(
                duration_seconds=round(duration, 3),
                width=stream.codec_context.width,
                height=stream.codec_context.height,
                frames=frames,
                codec=stream.codec_context.name,
            )
    except av.FFmpegError as exc:
        raise NotAVideo(f"{path.name} is not a readable video: {exc}") from exc


def _write_atomically(image: Image.Image, destination: Path, fmt: str, **options: object) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    image.save(tmp, format=fmt, **options)
    os.replace(tmp, destination)


def extract_poster(video: Path, poster: Path, thumbnail: Path | None = None, *, at_seconds: float = 1.0) -> None:
    """Save the frame at `at_seconds` (or the last one before it ends) as a JPEG poster and a small WebP."""
    picked: Image.Image | None = None
    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            for frame in container.decode(stream):
                picked = frame.to_image()  # type: ignore[no-untyped-call]
                if frame.time is not None and frame.time >= at_seconds:
                    break
    except av.FFmpegError as exc:
        raise NotAVideo(f"{video.name} is not a readable video: {exc}") from exc
    if picked is None:
        raise NotAVideo(f"{video.name} has no frames")
    save_poster(picked, poster, thumbnail)


def save_poster(image: Image.Image, poster: Path, thumbnail: Path | None = None) -> None:
    rgb = image.convert("RGB")
    _write_atomically(rgb, poster, "JPEG", quality=85)
    if thumbnail is not None:
        small = rgb.copy()
        small.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH))
        _write_atomically(small, thumbnail, "WEBP", quality=80)
