"""Reusable layers a scene is composed of: background, light, particles, image, title, camera and easing.

Each layer builds its expensive parts (bitmaps, glows, sprites) once in `__init__` and only composites them in
`draw`, so a 1080p frame costs ~10 ms. Everything random comes from a seeded generator: the same inputs and
seed give the same pixels.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cairocffi as cairo
import numpy as np
from PIL import Image, ImageOps

from botvideo.engine import text as text_engine

Color = tuple[float, float, float]
Easing = Callable[[float], float]

# Avatars larger than this are not decoded in full (JPEGs are decoded at reduced size instead).
MAX_AVATAR_PIXELS = 40_000_000
MAX_AVATAR_BYTES = 40 * 1024 * 1024
HAZE_FACTOR = 4


# --- easing -------------------------------------------------------------------------------------------------


def clamp01(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def ease_out_cubic(x: float) -> float:
    x = clamp01(x)
    return 1.0 - (1.0 - x) ** 3


def ease_in_out_cubic(x: float) -> float:
    x = clamp01(x)
    return 4 * x**3 if x < 0.5 else 1 - (-2 * x + 2) ** 3 / 2


def ease_out_back(x: float) -> float:
    x = clamp01(x)
    c1 = 1.4
    return 1 + (c1 + 1) * (x - 1) ** 3 + c1 * (x - 1) ** 2


def ease_out_expo(x: float) -> float:
    x = clamp01(x)
    return 1.0 if x >= 1.0 else 1 - 2 ** (-10 * x)


def ease_in_out_sine(x: float) -> float:
    return -(math.cos(math.pi * clamp01(x)) - 1) / 2


def window(t: float, start: float, length: float, easing: Easing = ease_out_cubic) -> float:
    """Eased progress 0..1 of an animation that starts at `start` seconds and lasts `length`."""
    if length <= 0:
        return 1.0 if t >= start else 0.0
    return easing((t - start) / length)


def lerp(a: float, b: float, x: float) -> float:
    return a + (b - a) * x


# --- palette ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Palette:
    name: str
    deep: Color  # background, darkest corner
    mid: Color  # background, lit corner
    accent: Color  # glows, rings, rays
    accent2: Color  # second light
    ink: Color = (1.0, 1.0, 1.0)  # titles
    muted: Color = (0.78, 0.8, 0.88)  # secondary text


def hex_color(value: str) -> Color:
    value = value.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


PALETTES: tuple[Palette, ...] = (
    Palette("aurora", hex_color("05060f"), hex_color("1b1550"), hex_color("7c5cff"), hex_color("22d3ee")),
    Palette("ember", hex_color("0c0504"), hex_color("4a1208"), hex_color("ff7a18"), hex_color("ffd166")),
    Palette("lagoon", hex_color("020b12"), hex_color("06384a"), hex_color("2ee6c5"), hex_color("3a86ff")),
    Palette("orchid", hex_color("0b0410"), hex_color("3d0d46"), hex_color("ff4fd8"), hex_color("8b5cf6")),
    Palette("gold", hex_color("080603"), hex_color("3a2a08"), hex_color("f5c542"), hex_color("ff9f1c")),
    Palette("mint", hex_color("030d0a"), hex_color("0b3b2c"), hex_color("4ade80"), hex_color("a3e635")),
    Palette("crimson", hex_color("0d0306"), hex_color("4c0a1e"), hex_color("ff3d6e"), hex_color("ff9f43")),
    Palette("glacier", hex_color("04070d"), hex_color("1c2d4f"), hex_color("9ad1ff"), hex_color("c4b5fd")),
)


def palette_named(name: str) -> Palette:
    return next((p for p in PALETTES if p.name == name), PALETTES[0])


def mix(a: Color, b: Color, x: float) -> Color:
    return (lerp(a[0], b[0], x), lerp(a[1], b[1], x), lerp(a[2], b[2], x))


# --- canvas -------------------------------------------------------------------------------------------------


class Canvas:
    """One cairo image surface whose pixels are also a numpy array (BGRA, native-endian ARGB32)."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
        stride = self.surface.get_stride()
        data = self.surface.get_data()
        self.packed = np.ndarray((height, stride // 4), dtype=np.uint32, buffer=data)[:, :width]
        self.bgra = np.ndarray((height, stride // 4, 4), dtype=np.uint8, buffer=data)[:, :width, :]
        self.ctx = cairo.Context(self.surface)
        self.unit = min(width, height) / 1080.0  # 1 unit = 1 px on a 1080-line frame
        # Soft layers (gradient, light orbs, rays, vignette) are drawn at a quarter of the size and blown up
        # with nearest-neighbour scaling: pixman's bilinear costs ~20 ms for a 1080p frame on this CPU,
        # nearest ~2 ms, and content this smooth changes by less than one level per step.
        self.haze_factor = HAZE_FACTOR
        self.haze_width = -(-width // HAZE_FACTOR)
        self.haze_height = -(-height // HAZE_FACTOR)
        self.haze = cairo.ImageSurface(cairo.FORMAT_ARGB32, self.haze_width, self.haze_height)
        haze_stride = self.haze.get_stride()
        self.haze_packed = np.ndarray(
            (self.haze_height, haze_stride // 4), dtype=np.uint32, buffer=self.haze.get_data()
        )[:, : self.haze_width]
        self.haze_ctx = cairo.Context(self.haze)
        # Soft layers draw in full-frame coordinates; this context maps them onto the small surface.
        self.haze_ctx.scale(1 / HAZE_FACTOR, 1 / HAZE_FACTOR)

    def present_haze(self) -> None:
        """Blow the soft layers up to fill the frame; crisp layers are drawn on top afterwards."""
        self.haze.flush()
        ctx = self.ctx
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_SOURCE)
        ctx.scale(self.haze_factor, self.haze_factor)
        ctx.set_source_surface(self.haze, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_FAST)
        ctx.paint()
        ctx.restore()

    @property
    def shape(self) -> str:
        if self.width > self.height * 1.2:
            return "landscape"
        if self.height > self.width * 1.2:
            return "portrait"
        return "square"


@dataclass(frozen=True)
class Camera:
    """A push-in and drift applied to world layers; the background and overlays stay in screen space."""

    zoom: float = 1.0
    pan_x: float = 0.0  # pixels
    pan_y: float = 0.0
    rotate: float = 0.0  # radians

    def apply(self, ctx: cairo.Context, width: int, height: int) -> None:
        ctx.translate(width / 2 + self.pan_x, height / 2 + self.pan_y)
        if self.rotate:
            ctx.rotate(self.rotate)
        ctx.scale(self.zoom, self.zoom)
        ctx.translate(-width / 2, -height / 2)


# --- background ---------------------------------------------------------------------------------------------


class GradientBackground:
    """A full-frame linear gradient written straight into the canvas as packed uint32.

    A linear gradient is row(x) + col(y) per channel; packing B, G, R, A into one uint32 makes the whole
    frame a single broadcast add (under 1 ms at 1080p). Both parts are floored and non-negative,
    so no byte carries.
    """

    def __init__(self, palette: Palette, canvas: Canvas, *, sway: float = 0.35) -> None:
        width, height = canvas.haze_width, canvas.haze_height
        self.deep = np.array(palette.deep[::-1], dtype=np.float64) * 255  # BGR
        self.mid = np.array(palette.mid[::-1], dtype=np.float64) * 255
        self.xs = np.arange(width, dtype=np.float64)
        self.ys = np.arange(height, dtype=np.float64)
        self.width = width
        self.height = height
        self.sway = sway
        self.shifts = np.array([0, 8, 16], dtype=np.uint32)

    def draw(self, canvas: Canvas, t: float, *, brightness: float = 1.0) -> None:
        angle = math.radians(35) + self.sway * math.sin(t * 0.6)
        dx, dy = math.cos(angle), math.sin(angle)
        corners = [0.0, dx * self.width, dy * self.height, dx * self.width + dy * self.height]
        low, high = min(corners), max(corners)
        span = max(high - low, 1.0)
        a, b, c = dx / span, dy / span, -low / span  # s = a*x + b*y + c spans 0..1 over the frame
        delta = (self.mid - self.deep) * brightness
        start = self.deep * (0.6 + 0.4 * brightness)
        row = start[None, :] + delta[None, :] * (a * self.xs[:, None] + c)
        col = delta[None, :] * (b * self.ys[:, None])
        shift = col.min(axis=0)
        row += shift[None, :]
        col -= shift[None, :]
        row_packed = (np.floor(np.clip(row, 0, 255)).astype(np.uint32) << self.shifts).sum(axis=1, dtype=np.uint32)
        row_packed |= np.uint32(0xFF000000)
        col_packed = (np.floor(np.clip(col, 0, 255)).astype(np.uint32) << self.shifts).sum(axis=1, dtype=np.uint32)
        canvas.haze.flush()
        np.add(row_packed[None, :], col_packed[:, None], out=canvas.haze_packed)
        canvas.haze.mark_dirty()


def radial_sprite(color: Color, size: int = 256, *, falloff: float = 2.2) -> cairo.ImageSurface:
    """A soft round light (premultiplied), drawn once and scaled per frame."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    r = np.hypot(xx - (size - 1) / 2, yy - (size - 1) / 2) / (size / 2)
    alpha = np.clip(1.0 - r, 0.0, 1.0) ** falloff
    return text_engine._surface_from_alpha(alpha, color)


class Vignette:
    """Darkens the frame edges so titles read and the frame feels lit from the centre (built once)."""

    def __init__(self, canvas: Canvas, strength: float = 0.55) -> None:
        small_w, small_h = canvas.haze_width, canvas.haze_height
        yy, xx = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
        nx = (xx / (small_w - 1) - 0.5) * 2
        ny = (yy / (small_h - 1) - 0.5) * 2
        r = np.sqrt(nx**2 * 0.8 + ny**2 * 0.8)
        alpha = np.clip((r - 0.45) / 0.9, 0.0, 1.0) ** 1.6 * strength
        self.surface = text_engine._surface_from_alpha(alpha, (0.0, 0.0, 0.0))

    def draw(self, canvas: Canvas) -> None:
        ctx = canvas.haze_ctx
        ctx.save()
        ctx.identity_matrix()
        ctx.set_source_surface(self.surface, 0, 0)
        ctx.paint()
        ctx.restore()


# --- light --------------------------------------------------------------------------------------------------


class LightOrbs:
    """A few large soft lights drifting behind everything: the 'cinematic haze'."""

    def __init__(self, palette: Palette, canvas: Canvas, rng: np.random.Generator, count: int = 4) -> None:
        self.sprites = [radial_sprite(palette.accent), radial_sprite(palette.accent2)]
        self.orbs = [
            (
                rng.uniform(0.1, 0.9) * canvas.width,
                rng.uniform(0.1, 0.9) * canvas.height,
                rng.uniform(0.55, 1.0) * max(canvas.width, canvas.height) * 0.55,
                rng.uniform(0, math.tau),
                rng.uniform(0.18, 0.32),
                i % 2,
            )
            for i in range(count)
        ]
        self.unit = canvas.unit

    def draw(self, canvas: Canvas, t: float, *, intensity: float = 1.0) -> None:
        ctx = canvas.haze_ctx
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        for x, y, diameter, phase, alpha, which in self.orbs:
            drift = 60 * self.unit
            cx = x + drift * math.sin(t * 0.5 + phase)
            cy = y + drift * math.cos(t * 0.4 + phase * 1.3)
            breathe = 1.0 + 0.08 * math.sin(t * 1.1 + phase)
            size = diameter * breathe
            sprite = self.sprites[which]
            scale = size / sprite.get_width()
            ctx.save()
            ctx.translate(cx - size / 2, cy - size / 2)
            ctx.scale(scale, scale)
            ctx.set_source_surface(sprite, 0, 0)
            ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
            ctx.paint_with_alpha(alpha * intensity)
            ctx.restore()
        ctx.restore()


class Rays:
    """Light rays fanning from a point and turning slowly; drawn as paths into the quarter-size haze."""

    def __init__(self, color: Color, radius: float, count: int = 16) -> None:
        self.color = color
        self.radius = radius
        self.count = count

    def draw(self, canvas: Canvas, cx: float, cy: float, angle: float, alpha: float, scale: float = 1.0) -> None:
        if alpha <= 0.01:
            return
        ctx = canvas.haze_ctx
        radius = self.radius * scale
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        ctx.translate(cx, cy)
        ctx.rotate(angle)
        fade = cairo.RadialGradient(0, 0, radius * 0.05, 0, 0, radius)
        fade.add_color_stop_rgba(0, *self.color, 0.5 * alpha)
        fade.add_color_stop_rgba(0.45, *self.color, 0.14 * alpha)
        fade.add_color_stop_rgba(1, *self.color, 0.0)
        ctx.set_source(fade)
        for i in range(self.count):
            direction = i / self.count * math.tau
            spread = math.tau / self.count * (0.2 if i % 2 else 0.09)
            ctx.move_to(0, 0)
            ctx.arc(0, 0, radius, direction - spread, direction + spread)
            ctx.close_path()
        ctx.fill()
        ctx.restore()


class LightSweep:
    """A bright diagonal band passing over a shape once (the 'shine' on an avatar or a coin)."""

    def __init__(self, color: Color = (1.0, 1.0, 1.0), *, width_ratio: float = 0.35) -> None:
        self.color = color
        self.width_ratio = width_ratio

    def draw(self, canvas: Canvas, cx: float, cy: float, radius: float, progress: float, alpha: float = 0.6) -> None:
        if progress <= 0.0 or progress >= 1.0:
            return
        ctx = canvas.ctx
        ctx.save()
        ctx.arc(cx, cy, radius, 0, math.tau)
        ctx.clip()
        ctx.set_operator(cairo.OPERATOR_ADD)
        band = radius * 2 * self.width_ratio
        x = cx - radius * 1.6 + progress * radius * 3.2
        gradient = cairo.LinearGradient(x - band, cy - radius, x + band, cy + radius)
        gradient.add_color_stop_rgba(0, *self.color, 0)
        gradient.add_color_stop_rgba(0.5, *self.color, alpha)
        gradient.add_color_stop_rgba(1, *self.color, 0)
        ctx.set_source(gradient)
        ctx.paint()
        ctx.restore()


# --- particles ----------------------------------------------------------------------------------------------


class Particles:
    """Drifting motes of light with depth (near ones move faster and are larger)."""

    def __init__(self, palette: Palette, canvas: Canvas, rng: np.random.Generator, count: int = 90) -> None:
        self.x = rng.uniform(0, canvas.width, count)
        self.y = rng.uniform(0, canvas.height, count)
        self.depth = rng.uniform(0.2, 1.0, count)
        self.radius = (1.2 + 4.5 * self.depth**2) * canvas.unit
        self.speed = (10 + 40 * self.depth) * canvas.unit
        self.phase = rng.uniform(0, math.tau, count)
        self.alpha = rng.uniform(0.25, 0.8, count)
        self.color = [palette.accent2 if i % 3 == 0 else mix(palette.accent, (1, 1, 1), 0.5) for i in range(count)]
        self.width = canvas.width
        self.height = canvas.height

    def positions(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        x = (self.x + 12 * np.sin(t * 0.8 + self.phase) * self.depth) % self.width
        y = (self.y - self.speed * t) % (self.height + 20) - 10
        return x, y

    def draw(self, canvas: Canvas, t: float, *, intensity: float = 1.0) -> None:
        ctx = canvas.ctx
        x, y = self.positions(t)
        twinkle = 0.65 + 0.35 * np.sin(t * 3.0 + self.phase * 3)
        alphas = self.alpha * twinkle * intensity
        for i in range(len(x)):
            ctx.set_source_rgba(*self.color[i], float(alphas[i]))
            ctx.arc(float(x[i]), float(y[i]), float(self.radius[i]), 0, math.tau)
            ctx.fill()


# --- image --------------------------------------------------------------------------------------------------


def load_avatar(path: Path | None, size: int) -> Image.Image | None:
    """The avatar as a square RGBA image of `size` px, or None if it is missing, broken or absurd."""
    if path is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size > MAX_AVATAR_BYTES:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format == "JPEG":
                    image.draft("RGB", (size, size))  # decode a huge JPEG at reduced size
                if image.width * image.height > MAX_AVATAR_PIXELS:
                    return None
                image.load()
                oriented = ImageOps.exif_transpose(image).convert("RGBA")
        return ImageOps.fit(oriented, (size, size), Image.Resampling.LANCZOS)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    except Exception:  # Pillow plugins raise assorted errors on hostile files; a broken avatar must not fail a video
        return None


def first_grapheme(title: str) -> str:
    """The first user-perceived character: a letter, a CJK ideograph, or a whole emoji sequence."""
    stripped = title.strip()
    if not stripped:
        return "?"
    out = stripped[0]
    for ch in stripped[1:]:
        # Keep joiners, variation selectors, skin tones and combining marks with their base.
        if (
            ch in "\u200d\ufe0f\ufe0e"
            or 0x1F3FB <= ord(ch) <= 0x1F3FF
            or out.endswith("\u200d")
            or 0x0300 <= ord(ch) <= 0x036F
        ):
            out += ch
        else:
            break
    return out.upper() if out.isalpha() and len(out) == 1 else out


def monogram(title: str, palette: Palette, size: int) -> cairo.ImageSurface:
    """A lettermark on a lit disc, used when the bot has no usable avatar."""
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
    ctx = cairo.Context(surface)
    gradient = cairo.LinearGradient(0, 0, size, size)
    gradient.add_color_stop_rgb(0, *mix(palette.accent, (1, 1, 1), 0.1))
    gradient.add_color_stop_rgb(1, *mix(palette.accent2, palette.deep, 0.35))
    ctx.rectangle(0, 0, size, size)
    ctx.set_source(gradient)
    ctx.fill()
    letter = text_engine.render_text(first_grapheme(title), text_engine.TextStyle(size=size * 0.46))
    ctx.set_source_surface(letter, (size - letter.get_width()) / 2, (size - letter.get_height()) / 2 - size * 0.01)
    ctx.paint()
    surface.flush()
    return surface


def surface_from_image(image: Image.Image) -> cairo.ImageSurface:
    rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
    alpha = rgba[:, :, 3]
    height, width = alpha.shape
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
    stride = surface.get_stride()
    buffer = np.ndarray((height, stride // 4, 4), dtype=np.uint8, buffer=surface.get_data())
    for dst, src in ((0, 2), (1, 1), (2, 0)):
        buffer[:, :width, dst] = (rgba[:, :, src] * alpha * 255 + 0.5).astype(np.uint8)
    buffer[:, :width, 3] = (alpha * 255 + 0.5).astype(np.uint8)
    surface.mark_dirty()
    return surface


class Portrait:
    """The bot's avatar (or monogram) in a circle with a glowing ring; drawn at its final size once."""

    def __init__(self, avatar: Path | None, title: str, palette: Palette, diameter: float) -> None:
        self.diameter = diameter
        size = max(8, int(diameter * 1.15))  # headroom for the camera push-in
        image = load_avatar(avatar, size)
        face = surface_from_image(image) if image is not None else monogram(title, palette, size)
        self.has_avatar = image is not None
        self.size = size
        self.disc = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
        ctx = cairo.Context(self.disc)
        ctx.arc(size / 2, size / 2, size / 2, 0, math.tau)
        ctx.clip()
        ctx.set_source_surface(face, 0, 0)
        ctx.paint()
        # A little inner shade at the bottom gives the disc volume.
        shade = cairo.LinearGradient(0, 0, 0, size)
        shade.add_color_stop_rgba(0.55, 0, 0, 0, 0)
        shade.add_color_stop_rgba(1, 0, 0, 0, 0.35)
        ctx.set_source(shade)
        ctx.paint()
        self.disc.flush()
        self.halo = Halo(palette.accent)
        self.palette = palette

    def draw(self, canvas: Canvas, cx: float, cy: float, *, scale: float, alpha: float, ring: float) -> None:
        if alpha <= 0.01:
            return
        radius = self.diameter / 2 * scale
        self.draw_halo(canvas, cx, cy, radius, alpha)
        ctx = canvas.ctx

        ctx.save()
        k = radius * 2 / self.size
        ctx.translate(cx - radius, cy - radius)
        ctx.scale(k, k)
        ctx.set_source_surface(self.disc, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint_with_alpha(alpha)
        ctx.restore()

        if ring > 0:
            ctx.save()
            ctx.set_line_width(max(2.0, radius * 0.035))
            ring_gradient = cairo.LinearGradient(cx - radius, cy - radius, cx + radius, cy + radius)
            ring_gradient.add_color_stop_rgba(0, *self.palette.accent, alpha)
            ring_gradient.add_color_stop_rgba(1, *self.palette.accent2, alpha)
            ctx.set_source(ring_gradient)
            start = -math.pi / 2
            ctx.arc(cx, cy, radius * 1.06, start, start + math.tau * clamp01(ring))
            ctx.stroke()
            ctx.restore()

    def draw_halo(self, canvas: Canvas, cx: float, cy: float, radius: float, alpha: float) -> None:
        self.halo.draw(canvas, cx, cy, radius * 3.2, 0.55 * alpha)


class Halo:
    """A soft light behind a subject. It is blurry by nature, so it is drawn into the quarter-size haze."""

    def __init__(self, color: Color) -> None:
        self.sprite = radial_sprite(color, 256, falloff=1.6)

    def draw(self, canvas: Canvas, cx: float, cy: float, diameter: float, alpha: float) -> None:
        if alpha <= 0.01:
            return
        ctx = canvas.haze_ctx
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        ctx.translate(cx - diameter / 2, cy - diameter / 2)
        ctx.scale(diameter / 256, diameter / 256)
        ctx.set_source_surface(self.sprite, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint_with_alpha(min(1.0, alpha))
        ctx.restore()


# --- text ---------------------------------------------------------------------------------------------------


class Title:
    """A line (or a few) of text with its glow, rendered once and then faded, slid and scaled per frame."""

    def __init__(
        self,
        text: str,
        style: text_engine.TextStyle,
        *,
        glow: Color | None = None,
        glow_radius: float = 0.0,
    ) -> None:
        bare = text_engine.render_text(text, style)
        if glow is not None and glow_radius > 0:
            self.surface, self.pad = text_engine.with_glow(bare, glow, radius=glow_radius)
        else:
            self.surface, self.pad = bare, 0
        self.width = self.surface.get_width()
        self.height = self.surface.get_height()
        self.text_height = bare.get_height()
        self.text_width = bare.get_width()

    def draw(
        self,
        canvas: Canvas,
        cx: float,
        cy: float,
        *,
        alpha: float = 1.0,
        dy: float = 0.0,
        scale: float = 1.0,
        reveal: float = 1.0,
    ) -> None:
        """Centred on (cx, cy); `reveal` < 1 wipes it in from the left."""
        if alpha <= 0.01 or reveal <= 0.0:
            return
        ctx = canvas.ctx
        ctx.save()
        if abs(scale - 1.0) < 1e-3 and _is_translation(ctx):
            # Whole-pixel placement lets pixman blit instead of resampling (and keeps glyphs crisp).
            ctx.translate(round(cx - self.width / 2), round(cy + dy - self.height / 2))
            x, y = 0.0, 0.0
        else:
            ctx.translate(cx, cy + dy)
            ctx.scale(scale, scale)
            x, y = -self.width / 2, -self.height / 2
        if reveal < 1.0:
            ctx.rectangle(x, y, self.width * reveal, self.height)
            ctx.clip()
        ctx.set_source_surface(self.surface, x, y)
        ctx.paint_with_alpha(min(1.0, alpha))
        ctx.restore()


def _is_translation(ctx: cairo.Context) -> bool:
    m = ctx.get_matrix()
    return bool(m.xx == 1.0 and m.yy == 1.0 and m.xy == 0.0 and m.yx == 0.0)
