"""Drawing building blocks: the canvas, colour, soft light, the avatar cut-out, animated text and particles.

Each block builds its expensive parts (bitmaps, glows, sprites) once and only composites them per frame.
Soft light goes into the quarter-size "haze" surface (blown up with nearest-neighbour scaling, which is
invisible on content that smooth); sharp things go straight onto the frame. Everything random comes from a
seeded generator: the same inputs and seed give the same pixels.
"""

from __future__ import annotations

import colorsys
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cairocffi as cairo
import numpy as np
from PIL import Image, ImageFilter, ImageOps

from botvideo.engine import anim
from botvideo.engine import text as text_engine

Color = tuple[float, float, float]

# Avatars larger than this are not decoded in full (JPEGs are decoded at reduced size instead).
MAX_AVATAR_PIXELS = 40_000_000
MAX_AVATAR_BYTES = 40 * 1024 * 1024
HAZE_FACTOR = 4


# --- colour -------------------------------------------------------------------------------------------------


def hex_color(value: str) -> Color:
    value = value.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def mix(a: Color, b: Color, x: float) -> Color:
    return (anim.lerp(a[0], b[0], x), anim.lerp(a[1], b[1], x), anim.lerp(a[2], b[2], x))


def hls(h: float, lightness: float, s: float) -> Color:
    r, g, b = colorsys.hls_to_rgb(h % 1.0, anim.clamp01(lightness), anim.clamp01(s))
    return (r, g, b)


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio, 1..21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@dataclass(frozen=True)
class Palette:
    deep: Color  # the darkest background tone
    mid: Color  # the lit background tone
    accent: Color  # glows, rims, rays: the brand colour
    accent2: Color  # the second light
    ink: Color = (1.0, 1.0, 1.0)  # titles
    muted: Color = (0.8, 0.82, 0.9)  # secondary text


# --- canvas and camera --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Camera:
    """Where the virtual camera is: push-in zoom, drift in pixels and a slight roll (radians)."""

    zoom: float = 1.0
    pan_x: float = 0.0
    pan_y: float = 0.0
    roll: float = 0.0

    def apply(self, ctx: cairo.Context, width: int, height: int, depth: float = 1.0) -> None:
        """Transform `ctx` for a layer at `depth` (0 = infinitely far, stays put; 1 = the subject's plane)."""
        zoom = 1.0 + (self.zoom - 1.0) * depth
        ctx.translate(width / 2 + self.pan_x * depth, height / 2 + self.pan_y * depth)
        if self.roll:
            ctx.rotate(self.roll * depth)
        ctx.scale(zoom, zoom)
        ctx.translate(-width / 2, -height / 2)


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


def first_grapheme(title: str) -> str:
    """The first user-perceived character: a letter, a CJK ideograph, or a whole emoji sequence."""
    clusters = text_engine.graphemes(title.strip())
    if not clusters:
        return "?"
    out = clusters[0][1]
    return out.upper() if out.isalpha() and len(out) == 1 else out


def blurred_sprite(draw: Callable[[cairo.Context], None], size: tuple[int, int], radius: float) -> cairo.ImageSurface:
    """A premultiplied sprite drawn by `draw(ctx)` then Gaussian-blurred once (soft rays, glows, streaks)."""
    width, height = size
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
    ctx = cairo.Context(surface)
    draw(ctx)
    surface.flush()
    stride = surface.get_stride()
    data = np.ndarray((height, stride // 4, 4), dtype=np.uint8, buffer=surface.get_data())[:, :width]
    image = Image.fromarray(np.ascontiguousarray(data), "RGBA").filter(ImageFilter.GaussianBlur(radius))
    data[:] = np.asarray(image)
    surface.mark_dirty()
    return surface


# --- the avatar ---------------------------------------------------------------------------------------------


class AvatarCutout:
    """The bot's avatar (or a monogram) cut into a clean circle, lit from behind with a rim light.

    The disc is rendered once at its largest on-screen size; per frame it is scaled, a rim highlight orbits
    its edge (a gradient stroke) and a halo breathes behind it in the haze.
    """

    def __init__(self, avatar: Path | None, title: str, palette: Palette, diameter: float) -> None:
        self.diameter = diameter
        size = max(8, int(diameter * 1.12))
        image = load_avatar(avatar, size)
        face = surface_from_image(image) if image is not None else monogram(title, palette, size)
        self.has_avatar = image is not None
        self.size = size
        self.palette = palette
        self.disc = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
        ctx = cairo.Context(self.disc)
        ctx.arc(size / 2, size / 2, size / 2 - 0.5, 0, math.tau)
        ctx.clip()
        ctx.set_source_surface(face, 0, 0)
        ctx.paint()
        # Inner shading: light from the upper left, shade at the lower right, so the disc reads as a volume.
        shade = cairo.RadialGradient(size * 0.35, size * 0.3, size * 0.1, size * 0.5, size * 0.5, size * 0.72)
        shade.add_color_stop_rgba(0, 1, 1, 1, 0.1)
        shade.add_color_stop_rgba(0.6, 0, 0, 0, 0.0)
        shade.add_color_stop_rgba(1, 0, 0, 0, 0.45)
        ctx.set_source(shade)
        ctx.paint()
        self.disc.flush()
        self.halo = radial_sprite(palette.accent, 256, falloff=1.7)

    def draw_glow(self, canvas: Canvas, cx: float, cy: float, scale: float, alpha: float) -> None:
        if alpha <= 0.01:
            return
        diameter = self.diameter * scale * 3.0
        ctx = canvas.haze_ctx
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        ctx.translate(cx - diameter / 2, cy - diameter / 2)
        ctx.scale(diameter / 256, diameter / 256)
        ctx.set_source_surface(self.halo, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint_with_alpha(min(1.0, 0.75 * alpha))
        ctx.restore()

    def draw(self, ctx: cairo.Context, cx: float, cy: float, *, scale: float, alpha: float, rim_angle: float) -> None:
        if alpha <= 0.01 or scale <= 0.01:
            return
        radius = self.diameter / 2 * scale
        ctx.save()
        k = radius * 2 / self.size
        ctx.translate(cx - radius, cy - radius)
        ctx.scale(k, k)
        ctx.set_source_surface(self.disc, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint_with_alpha(alpha)
        ctx.restore()
        # Rim light: bright where the light is (rim_angle), fading to a faint line on the far side.
        ctx.save()
        width = max(1.5, radius * 0.03)
        lx, ly = math.cos(rim_angle) * radius, math.sin(rim_angle) * radius
        rim = cairo.LinearGradient(cx + lx, cy + ly, cx - lx, cy - ly)
        rim.add_color_stop_rgba(0, *mix(self.palette.accent, (1, 1, 1), 0.65), alpha)
        rim.add_color_stop_rgba(0.45, *self.palette.accent, 0.55 * alpha)
        rim.add_color_stop_rgba(1, *self.palette.accent2, 0.12 * alpha)
        ctx.set_source(rim)
        ctx.set_line_width(width)
        ctx.arc(cx, cy, radius + width * 0.4, 0, math.tau)
        ctx.stroke()
        ctx.restore()


# --- text ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reveal:
    """How a text enters: per `unit` ("word", "letter" or "line"), starting at `start` s, each unit taking
    `length` s, the units spread over `spread` s; `rise` is how far (as a fraction of the line height) they
    come up from behind a mask at the baseline."""

    start: float
    length: float = 0.6
    spread: float = 0.5
    unit: str = "letter"
    rise: float = 0.9
    easing: anim.Easing = anim.ease_out_back


class TextNode:
    """Text set once (fitted to its box, with its glow), revealed by words or letters on a timeline.

    `box` is where it sits on the frame at rest: scenes report these so a test can check nothing is clipped.
    """

    def __init__(
        self,
        text: str,
        style: text_engine.TextStyle,
        *,
        glow: Color | None = None,
        glow_radius: float = 0.0,
    ) -> None:
        self.text = text
        shaped = text_engine.shape_text(text, style)
        self.shaped = shaped
        if glow is not None and glow_radius > 0:
            self.surface, self.pad = text_engine.with_glow(shaped.surface, glow, radius=glow_radius, strength=0.7)
        else:
            self.surface, self.pad = shaped.surface, 0
        self.text_width = shaped.surface.get_width()
        self.text_height = shaped.surface.get_height()

    def box(self, cx: float, cy: float) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1 of the text's ink box (without glow) when centred on (cx, cy)."""
        x0 = round(cx - self.text_width / 2)
        y0 = round(cy - self.text_height / 2)
        return (x0, y0, x0 + self.text_width, y0 + self.text_height)

    def draw(self, ctx: cairo.Context, cx: float, cy: float, t: float, reveal: Reveal, *, alpha: float = 1.0) -> None:
        if alpha <= 0.01 or t < reveal.start:
            return
        x0 = round(cx - self.text_width / 2) - self.pad
        y0 = round(cy - self.text_height / 2) - self.pad
        if reveal.unit == "line" or t >= reveal.start + reveal.spread + reveal.length:
            progress = anim.window(t, reveal.start, reveal.length, reveal.easing)
            fade = anim.window(t, reveal.start, reveal.length * 0.6)
            if progress >= 1.0 and fade >= 1.0:
                ctx.set_source_surface(self.surface, x0, y0)
                ctx.paint_with_alpha(min(1.0, alpha))
                return
            self._draw_piece(ctx, x0, y0, (0, 0, self.text_width, self.text_height), progress, fade * alpha, reveal)
            return
        boxes = self.shaped.letters if reveal.unit == "letter" else self.shaped.words
        count = len(boxes)
        # Left-to-right in reading order on screen, whatever the script's direction.
        order = sorted(range(count), key=lambda i: (round(boxes[i][1]), boxes[i][0]))
        for rank, i in enumerate(order):
            start = anim.stagger(rank, count, reveal.start, reveal.spread)
            if t < start:
                continue
            progress = anim.window(t, start, reveal.length, reveal.easing)
            fade = anim.window(t, start, reveal.length * 0.6)
            self._draw_piece(ctx, x0, y0, boxes[i], progress, fade * alpha, reveal)

    def _draw_piece(
        self,
        ctx: cairo.Context,
        x0: float,
        y0: float,
        box: tuple[float, float, float, float],
        progress: float,
        alpha: float,
        reveal: Reveal,
    ) -> None:
        bx, by, bw, bh = box
        pad = self.pad
        ctx.save()
        # The mask: the piece's own cell (plus its glow), so it rises from behind the baseline.
        ctx.rectangle(x0 + bx, y0 + by - pad, bw + 2 * pad, bh + 2 * pad)
        ctx.clip()
        offset = (1.0 - progress) * bh * reveal.rise
        ctx.set_source_surface(self.surface, x0, y0 + round(offset))
        ctx.paint_with_alpha(anim.clamp01(alpha))
        ctx.restore()


# --- particles ----------------------------------------------------------------------------------------------


class Motes:
    """Drifting specks of light at several depths, with buoyancy, sway and twinkle (closed-form, so any
    frame can be drawn on its own and the two halves of a clip agree)."""

    def __init__(
        self,
        canvas: Canvas,
        rng: np.random.Generator,
        colors: tuple[Color, ...],
        *,
        count: int = 70,
        rise: float = 18.0,
        size: float = 1.0,
    ) -> None:
        self.x = rng.uniform(0, canvas.width, count)
        self.y = rng.uniform(0, canvas.height, count)
        self.depth = rng.uniform(0.25, 1.0, count)
        # At least a pixel across, so small previews still show them moving.
        self.radius = np.maximum(0.7, (0.8 + 3.2 * self.depth**2) * canvas.unit * size)
        self.speed = (rise * (0.4 + self.depth)) * canvas.unit
        self.phase = rng.uniform(0, math.tau, count)
        self.alpha = rng.uniform(0.3, 0.85, count)
        self.which = rng.integers(0, len(colors), count)
        self.colors = colors
        self.width = canvas.width
        self.height = canvas.height
        self.unit = canvas.unit

    def draw(self, ctx: cairo.Context, t: float, *, intensity: float = 1.0, pan_x: float = 0.0) -> None:
        if intensity <= 0.01:
            return
        sway = 14 * self.unit * np.sin(t * 0.9 + self.phase) * self.depth
        x = (self.x + sway + pan_x * self.depth) % self.width
        y = (self.y - self.speed * t) % (self.height + 20) - 10
        twinkle = 0.6 + 0.4 * np.sin(t * 2.7 + self.phase * 3)
        alphas = self.alpha * twinkle * intensity
        # One path per colour and brightness band: a handful of fills instead of one per mote.
        bands = np.minimum((alphas * 4).astype(int), 3)
        for color_index, color in enumerate(self.colors):
            for band in range(4):
                chosen = np.nonzero((self.which == color_index) & (bands == band))[0]
                if chosen.size == 0:
                    continue
                for i in chosen:
                    ctx.move_to(float(x[i] + self.radius[i]), float(y[i]))
                    ctx.arc(float(x[i]), float(y[i]), float(self.radius[i]), 0, math.tau)
                ctx.set_source_rgba(*color, (band + 0.5) / 4)
                ctx.fill()
