"""Contact sheets of the local engine: 8 frames of each video type in each framing, as PNGs under docs/engine/.

    uv run --frozen python benchmarks/contact_sheets.py [--out docs/engine] [--size 720p]

Frames are drawn in this process with `render_still` at evenly spaced moments of a 5 s clip (no encoding), so
the sheets show exactly what the encoder is given.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image

from botvideo.engine import ClipSpec, render_still, size_for

BOT = {
    "title": "Nova 🚀",
    "description": "Tracks yields across twelve chains. Explains risk in plain words. Alerts you before a pool drains.",
    "instructions": "You are Nova, a calm guide to decentralized finance.",
    "prompt": "A lonely lighthouse on the ocean at sunset, calm waves",
    "token_symbol": "NOVA",
    "token_name": "Nova Token",
}
FRAMES = 8
COLUMNS = 4


def sheet(video_type: str, aspect: str, resolution: str) -> Image.Image:
    width, height = size_for(resolution, aspect)
    spec = ClipSpec(video_type, width=width, height=height, **BOT)  # type: ignore[arg-type]
    scale = 0.5
    tile = (int(width * scale), int(height * scale))
    rows = FRAMES // COLUMNS
    out = Image.new("RGB", (tile[0] * COLUMNS + 8 * (COLUMNS - 1), tile[1] * rows + 8 * (rows - 1)), (16, 16, 20))
    for i in range(FRAMES):
        moment = spec.duration_seconds * (i + 0.5) / FRAMES
        frame = render_still(spec, moment).resize(tile, Image.Resampling.LANCZOS)
        out.paste(frame, ((i % COLUMNS) * (tile[0] + 8), (i // COLUMNS) * (tile[1] + 8)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/engine"))
    parser.add_argument("--size", default="720p")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for video_type in ("intro", "promo", "token_reveal", "custom"):
        for aspect, tag in (("16:9", "16x9"), ("9:16", "9x16"), ("1:1", "1x1")):
            path = args.out / f"{video_type}-{tag}.png"
            sheet(video_type, aspect, args.size).save(path, optimize=True)
            print(path)


if __name__ == "__main__":
    main()
