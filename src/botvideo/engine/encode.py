"""H.264 encoding of one part of a clip, and the stream-copy join of the parts into the final MP4."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

CRF = 23
# Keyframes at most every 2 s: cheap exact seeks for posters and scrubbing, for ~6 % more bytes.
MAX_KEYFRAME_SECONDS = 2


class PartEncoder:
    """Encodes BGRA frames into one MP4 part with libx264 on a single thread.

    One thread per encoder (x264 and swscale alike) because each core already runs its own part: extra threads
    only fight over the same two cores.
    """

    def __init__(self, path: Path, *, width: int, height: int, fps: int, preset: str) -> None:
        self.container: Any = av.open(str(path), mode="w", format="mp4")
        stream: Any = self.container.add_stream("libx264", rate=fps)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        stream.codec_context.time_base = Fraction(1, fps)
        stream.thread_count = 1
        stream.options = {
            "crf": str(CRF),
            "preset": preset,
            "tune": "animation",
            "g": str(min(MAX_KEYFRAME_SECONDS * fps, 60)),
            "keyint_min": "1",
        }
        self.stream = stream
        self.pts = 0

    def add(self, bgra: np.ndarray) -> None:
        frame = av.VideoFrame.from_ndarray(bgra, format="bgra")
        frame = frame.reformat(format="yuv420p", threads=1)
        frame.pts = self.pts
        self.pts += 1
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()

    def abort(self) -> None:
        with contextlib.suppress(av.FFmpegError, OSError, ValueError):
            self.container.close()


def join_parts(
    parts: Sequence[Path], starts: Sequence[int], fps: int, destination: Path, *, audio: Path | None = None
) -> None:
    """Stream-copy the parts, in order, and the soundtrack (if any) into one faststart MP4 (no re-encode).

    Each part starts on an IDR frame and shares the encoder settings, so shifting timestamps by the part's
    first frame is all a join needs. Packets are written interleaved by time, as players expect."""
    tmp = destination.with_name(f".{destination.name}.join")
    try:
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"}))
            timed: list[tuple[float, int, Any]] = []
            out_video: Any = None
            for part, start in zip(parts, starts, strict=True):
                src = stack.enter_context(av.open(str(part)))
                stream = src.streams.video[0]
                if out_video is None:
                    out_video = out.add_stream_from_template(stream)
                time_base = stream.time_base or Fraction(1, fps)
                offset = round(Fraction(start, fps) / time_base)
                for packet in src.demux(stream):
                    if packet.dts is None:  # the demuxer's end-of-stream marker
                        continue
                    packet.pts = packet.pts + offset if packet.pts is not None else None
                    packet.dts = packet.dts + offset
                    packet.stream = out_video
                    timed.append((float(packet.dts * time_base), 0, packet))
            if audio is not None:
                sound = stack.enter_context(av.open(str(audio)))
                sound_stream: Any = sound.streams.audio[0]
                out_audio: Any = out.add_stream_from_template(sound_stream)
                sound_base = sound_stream.time_base or Fraction(1, 48_000)
                for packet in sound.demux(sound_stream):
                    if packet.dts is None:
                        continue
                    packet.stream = out_audio
                    timed.append((float(packet.dts * sound_base), 1, packet))
            for _, _, packet in sorted(timed, key=lambda item: (item[0], item[1])):
                out.mux(packet)
        os.replace(tmp, destination)
    finally:
        if tmp.exists():
            tmp.unlink()
