"""Wall time of the local engine per video type against libx264 alone on the same frames, and real time.

    uv run --frozen python benchmarks/render_bench.py [--runs 3] [--preset veryfast]

For each type: render a 5 s 1080p30 clip with its soundtrack with a warm 2-worker pool (what the service does),
then encode the very same 150 frames (pre-rendered to yuv420p in memory) with libx264 alone, same settings,
2 threads. Targets: render / encode-only <= 1.5, render at least 2x faster than real time (<= 2.5 s). Also
prints the soundtrack's loudness (LUFS, BS.1770) and true peak (4x oversampled) measured on the decoded AAC.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from botvideo.engine import ClipSpec, RenderPool, audio, layers, render_clip, scenes
from botvideo.engine import encode as engine_encode

BOT = {
    "title": "Nova 🚀",
    "description": "Tracks yields across twelve chains. Explains risk in plain words. Alerts you before a pool drains.",
    "instructions": "You are Nova, a calm guide to decentralized finance.",
    "prompt": "A bold neon launch party for the future of on-chain art!",
    "token_symbol": "NOVA",
    "token_name": "Nova Token",
}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def encode_only_seconds(spec: ClipSpec) -> float:
    canvas = layers.Canvas(spec.width, spec.height)
    scene = scenes.build_scene(spec, canvas)
    frames = []
    for number in range(spec.frame_count):
        scene.draw(number / spec.fps)
        canvas.surface.flush()
        frames.append(av.VideoFrame.from_ndarray(canvas.bgra, format="bgra").reformat(format="yuv420p"))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with av.open(str(Path(tmp) / "x.mp4"), "w", options={"movflags": "+faststart"}) as container:
            stream = container.add_stream("libx264", rate=spec.fps)
            stream.width, stream.height, stream.pix_fmt = spec.width, spec.height, "yuv420p"
            stream.time_base = Fraction(1, spec.fps)
            stream.thread_count = 2
            stream.options = {
                "crf": str(engine_encode.CRF),
                "preset": spec.preset,
                "tune": "animation",
                "g": "60",
            }
            for pts, frame in enumerate(frames):
                frame.pts = pts
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="ultrafast")
    args = parser.parse_args()
    print(
        f"machine: nproc={os.cpu_count()}, CPU={cpu_model()}, Python {platform.python_version()}, av {av.__version__}"
    )
    print(f"clip: 5 s, 1920x1080, 30 fps, preset {args.preset}, {args.runs} runs each (min / median)\n")
    print(
        f"{'type':<13} {'render s':>13} {'x264 only s':>13} {'ratio':>6} {'x real time':>11} {'MB':>6} "
        f"{'LUFS':>6} {'dBTP':>6}"
    )
    with RenderPool(workers=2) as pool, tempfile.TemporaryDirectory() as tmp:
        time.sleep(2)  # let the workers finish warming up
        for video_type in ("intro", "promo", "token_reveal", "custom"):
            spec = ClipSpec(video_type=video_type, preset=args.preset, **BOT)  # type: ignore[arg-type]
            render_clip(spec, Path(tmp) / "warm.mp4", pool=pool)  # first clip per type warms caches
            renders, encodes = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                result = render_clip(spec, Path(tmp) / f"{video_type}.mp4", pool=pool)
                renders.append(time.perf_counter() - started)
                encodes.append(encode_only_seconds(spec))
            size_mb = result.path.stat().st_size / 1e6
            with av.open(str(result.path)) as container:
                stream = container.streams.audio[0]
                samples = np.concatenate([f.to_ndarray() for f in container.decode(stream)], axis=1)
            lufs = audio.integrated_loudness(samples[:, : 5 * audio.RATE])
            peak = audio.true_peak_db(samples)
            r_min, r_med = min(renders), statistics.median(renders)
            e_min, e_med = min(encodes), statistics.median(encodes)
            print(
                f"{video_type:<13} {r_min:>6.2f} / {r_med:<5.2f} {e_min:>6.2f} / {e_med:<5.2f} "
                f"{r_med / e_med:>6.2f} {spec.duration_seconds / r_med:>10.1f}x {size_mb:>6.2f} "
                f"{lufs:>6.1f} {peak:>6.1f}"
            )
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"\npeak RSS: this process {parent:.0f} MB (includes the 150 in-memory frames of the x264-only run), "
        f"largest worker {children:.0f} MB"
    )


if __name__ == "__main__":
    main()
