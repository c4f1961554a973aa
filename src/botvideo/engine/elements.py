"""The library of procedural scenery: skies, sun, moon, planets, stars, meteors, aurora, mountains, water, city,
neon grid, dunes, forest, clouds, rain, snow, fog, embers and abstract shapes.

Every element has a depth (0 = at infinity, 1 = the subject's plane) that sets its parallax under the camera,
draws soft light into the haze (`draw_haze`) and sharp shapes onto the frame (`draw`). Shapes that must move
smoothly by fractions of a pixel (ridges, dunes, trees, rain) are vector paths filled per frame; detail that
never changes (star fields, lit windows, planets) is rendered once and composited.
"""

from __future__ import annotations

import math

import cairocffi as cairo
import numpy as np

from botvideo.engine import anim
from botvideo.engine import layers as L
from botvideo.engine.describe import SceneDescription

Color = L.Color

SKIES: dict[str, tuple[Color, Color, Color]] = {
    # zenith, middle, horizon
    "dawn": (L.hex_color("141a40"), L.hex_color("6a3f78"), L.hex_color("ffa177")),
    "day": (L.hex_color("1d4f9c"), L.hex_color("4f8fd6"), L.hex_color("b9dcf5")),
    "sunset": (L.hex_color("1a0b33"), L.hex_color("8a2352"), L.hex_color("ff8c3a")),
    "night": (L.hex_color("02030a"), L.hex_color("080d24"), L.hex_color("1a2450")),
}


class Element:
    depth = 0.0

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        """Soft light into the quarter-size haze (default: nothing)."""

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        """Sharp shapes onto the frame (default: nothing)."""


def _in_depth(canvas: L.Canvas, ctx: cairo.Context, cam: L.Camera, depth: float) -> None:
    cam.apply(ctx, canvas.width, canvas.height, depth)


class Sky(Element):
    """A three-tone vertical gradient tinted by the palette, with a warm bloom at the horizon."""

    def __init__(self, time_of_day: str, palette: L.Palette, horizon: float, tint: float = 0.25) -> None:
        zenith, middle, low = SKIES.get(time_of_day, SKIES["night"])
        self.stops = (
            L.mix(zenith, palette.deep, tint),
            L.mix(middle, palette.mid, tint),
            L.mix(low, palette.accent, tint * 0.8),
        )
        self.horizon = horizon
        self.glow = L.radial_sprite(L.mix(low, palette.accent, 0.3), 256, falloff=1.4)

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        h = canvas.height
        top, middle, low = self.stops
        y = self.horizon * h + cam.pan_y * 0.1
        gradient = cairo.LinearGradient(0, -0.1 * h, 0, y + 0.02 * h)
        gradient.add_color_stop_rgb(0, *top)
        gradient.add_color_stop_rgb(0.55, *middle)
        gradient.add_color_stop_rgb(1, *low)
        ctx.save()
        ctx.set_source(gradient)
        ctx.paint()
        size = canvas.width * 1.6
        ctx.set_operator(cairo.OPERATOR_ADD)
        ctx.translate(canvas.width / 2 - size / 2 + cam.pan_x * 0.1, y - size * 0.3)
        ctx.scale(size / 256, size * 0.6 / 256)
        ctx.set_source_surface(self.glow, 0, 0)
        ctx.paint_with_alpha(0.35 + 0.05 * math.sin(t * 0.7))
        ctx.restore()


class Glows(Element):
    """Large soft lights drifting slowly (nebulae in space, colour washes in abstract scenes)."""

    def __init__(self, canvas: L.Canvas, rng: np.random.Generator, colors: tuple[Color, ...], count: int = 4) -> None:
        self.sprites = [L.radial_sprite(c, 128, falloff=1.8) for c in colors]
        span = max(canvas.width, canvas.height)
        self.orbs = [
            (
                rng.uniform(0.05, 0.95) * canvas.width,
                rng.uniform(0.05, 0.8) * canvas.height,
                rng.uniform(0.5, 1.0) * span * 0.7,
                rng.uniform(0, math.tau),
                rng.uniform(0.14, 0.26),
                i % len(colors),
            )
            for i in range(count)
        ]
        self.unit = canvas.unit

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        for x, y, size, phase, alpha, which in self.orbs:
            drift = 110 * self.unit
            cx = x + drift * math.sin(t * 0.55 + phase) + cam.pan_x * 0.2
            cy = y + drift * math.cos(t * 0.45 + phase * 1.3) + cam.pan_y * 0.2
            d = size * (1.0 + 0.12 * math.sin(t * 1.1 + phase))
            ctx.save()
            ctx.translate(cx - d / 2, cy - d / 2)
            ctx.scale(d / 128, d / 128)
            ctx.set_source_surface(self.sprites[which], 0, 0)
            ctx.paint_with_alpha(alpha)
            ctx.restore()
        ctx.restore()


class StarField(Element):
    """Hundreds of faint stars rendered once, plus a few bright ones that twinkle."""

    depth = 0.05

    def __init__(self, canvas: L.Canvas, rng: np.random.Generator, bottom: float, density: float = 1.0) -> None:
        w, h = canvas.width, max(1, int(canvas.height * bottom))
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, w, h)
        ctx = cairo.Context(self.surface)
        count = int(420 * density * (w * h) / (1920 * 1080 * 0.6))
        xs, ys = rng.uniform(0, w, count), rng.uniform(0, h, count)
        sizes = rng.uniform(0.5, 1.5, count) * canvas.unit
        fades = rng.uniform(0.2, 0.8, count) * np.clip(1.2 - ys / h, 0.2, 1.0)
        for x, y, r, a in zip(xs, ys, sizes, fades, strict=True):
            ctx.arc(float(x), float(y), float(max(0.5, r)), 0, math.tau)
            ctx.set_source_rgba(0.9, 0.93, 1.0, float(a))
            ctx.fill()
        self.surface.flush()
        bright = 28
        self.bx, self.by = rng.uniform(0, w, bright), rng.uniform(0, h * 0.85, bright)
        self.phase = rng.uniform(0, math.tau, bright)
        self.size = rng.uniform(1.2, 2.6, bright) * canvas.unit

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        ctx.save()
        _in_depth(canvas, ctx, cam, self.depth)
        ctx.set_source_surface(self.surface, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_FAST)
        ctx.paint()
        twinkle = 0.45 + 0.55 * np.abs(np.sin(t * 1.7 + self.phase))
        for x, y, r, a in zip(self.bx, self.by, self.size, twinkle, strict=True):
            ctx.arc(float(x), float(y), float(r), 0, math.tau)
            ctx.set_source_rgba(1, 1, 1, float(a))
            ctx.fill()
        ctx.restore()


class Meteors(Element):
    """Shooting stars crossing the sky at seeded moments: a bright head, a fading tail, a glow."""

    depth = 0.1

    def __init__(self, canvas: L.Canvas, rng: np.random.Generator, duration: float, color: Color) -> None:
        count = max(2, int(duration / 1.6))
        self.streaks = [
            (
                rng.uniform(0.0, duration - 0.6),
                rng.uniform(0.15, 1.0) * canvas.width,
                rng.uniform(0.02, 0.3) * canvas.height,
                rng.uniform(0.5, 0.8),
            )
            for _ in range(count)
        ]
        self.length = 260 * canvas.unit
        self.speed = 1500 * canvas.unit
        self.color = color

    def _heads(self, t: float) -> list[tuple[float, float, float]]:
        heads = []
        for start, x, y, life in self.streaks:
            age = t - start
            if 0 <= age <= life:
                travel = self.speed * age
                heads.append((x - travel * 0.82, y + travel * 0.57, math.sin(math.pi * age / life)))
        return heads

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        for hx, hy, alpha in self._heads(t):
            tx, ty = hx + self.length * 0.82, hy - self.length * 0.57
            tail = cairo.LinearGradient(hx, hy, tx, ty)
            tail.add_color_stop_rgba(0, 1, 1, 1, alpha)
            tail.add_color_stop_rgba(0.2, *self.color, 0.6 * alpha)
            tail.add_color_stop_rgba(1, *self.color, 0)
            ctx.set_source(tail)
            ctx.set_line_width(2.4 * canvas.unit)
            ctx.set_line_cap(cairo.LINE_CAP_ROUND)
            ctx.move_to(hx, hy)
            ctx.line_to(tx, ty)
            ctx.stroke()


class Aurora(Element):
    """Curtains of light: wavy bands filled with a vertical gradient, added into the haze."""

    def __init__(self, canvas: L.Canvas, colors: tuple[Color, Color], top: float) -> None:
        self.colors = colors
        self.top = top

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        w, h = canvas.width, canvas.height
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        for band, color in enumerate(self.colors):
            base = h * (self.top + 0.08 * band)
            height = h * (0.28 - 0.06 * band)
            xs = np.linspace(-0.1 * w, 1.1 * w, 40)
            wave = np.sin(xs / w * 5.0 + t * (0.5 + 0.2 * band) + band * 2) * h * 0.05
            wave += np.sin(xs / w * 11.0 - t * 0.8 + band) * h * 0.018
            ctx.move_to(float(xs[0]), float(base + wave[0] + height))
            for x, y in zip(xs, base + wave, strict=True):
                ctx.line_to(float(x), float(y))
            for x, y in zip(xs[::-1], (base + wave + height)[::-1], strict=True):
                ctx.line_to(float(x), float(y))
            ctx.close_path()
            gradient = cairo.LinearGradient(0, base - h * 0.05, 0, base + height)
            gradient.add_color_stop_rgba(0, *color, 0.0)
            gradient.add_color_stop_rgba(0.6, *color, 0.3 + 0.1 * math.sin(t * 1.3 + band))
            gradient.add_color_stop_rgba(1, *color, 0.0)
            ctx.set_source(gradient)
            ctx.fill()
        ctx.restore()


class Celestial(Element):
    """Sun, moon or a ringed planet: rendered once with its shading, glowing into the haze."""

    def __init__(self, kind: str, canvas: L.Canvas, x: float, y: float, diameter: float, color: Color) -> None:
        self.kind, self.x, self.y, self.diameter, self.color = kind, x, y, diameter, color
        self.depth = 0.15 if kind != "planet" else 0.3
        size = max(8, int(diameter))
        self.size = size
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, size * 2, size * 2)
        ctx = cairo.Context(self.surface)
        c, r = size, size / 2
        if kind == "sun":
            body = cairo.RadialGradient(c, c, 0, c, c, r)
            body.add_color_stop_rgb(0, 1, 1, 0.95)
            body.add_color_stop_rgb(0.7, *L.mix(color, (1, 1, 0.9), 0.6))
            body.add_color_stop_rgb(1, *L.mix(color, (1, 0.9, 0.7), 0.3))
            ctx.arc(c, c, r, 0, math.tau)
            ctx.set_source(body)
            ctx.fill()
        elif kind == "moon":
            ctx.arc(c, c, r, 0, math.tau)
            body = cairo.RadialGradient(c - r * 0.3, c - r * 0.3, r * 0.1, c, c, r)
            body.add_color_stop_rgb(0, 0.98, 0.97, 0.92)
            body.add_color_stop_rgb(1, 0.72, 0.74, 0.8)
            ctx.set_source(body)
            ctx.fill()
            for dx, dy, cr in ((-0.3, -0.1, 0.18), (0.25, 0.2, 0.12), (0.05, -0.35, 0.09), (0.3, -0.25, 0.07)):
                ctx.arc(c + dx * r, c + dy * r, cr * r, 0, math.tau)
                ctx.set_source_rgba(0.45, 0.47, 0.55, 0.22)
                ctx.fill()
        else:
            ctx.save()
            ctx.arc(c, c, r, 0, math.tau)
            ctx.clip()
            body = cairo.LinearGradient(c - r, c - r, c + r, c + r)
            body.add_color_stop_rgb(0, *L.mix(color, (1, 1, 1), 0.35))
            body.add_color_stop_rgb(0.55, *color)
            body.add_color_stop_rgb(1, *L.mix(color, (0, 0, 0), 0.85))
            ctx.set_source(body)
            ctx.paint()
            for band in range(7):
                y = c - r + (band + 0.5) * 2 * r / 7
                ctx.rectangle(c - r, y, 2 * r, r * 0.09)
                ctx.set_source_rgba(0, 0, 0, 0.08 + 0.05 * (band % 2))
                ctx.fill()
            ctx.restore()
            ctx.save()
            ctx.translate(c, c)
            ctx.rotate(-0.35)
            ctx.scale(1.0, 0.22)
            for radius, alpha in ((r * 1.75, 0.55), (r * 1.5, 0.35)):
                ctx.arc(0, 0, radius, math.pi * 0.04, math.pi * 0.96)
                ctx.set_line_width(r * 0.18)
                ctx.set_source_rgba(*L.mix(color, (1, 1, 1), 0.5), alpha)
                ctx.stroke()
            ctx.restore()
        self.surface.flush()
        self.glow = L.radial_sprite(L.mix(color, (1, 1, 1), 0.2), 128, falloff=2.0)

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        d = self.diameter * (4.2 if self.kind == "sun" else 2.6)
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        ctx.translate(self.x + cam.pan_x * self.depth - d / 2, self.y + cam.pan_y * self.depth - d / 2)
        ctx.scale(d / 128, d / 128)
        ctx.set_source_surface(self.glow, 0, 0)
        ctx.paint_with_alpha(0.55 + 0.08 * math.sin(t * 1.1))
        ctx.restore()

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        ctx.save()
        _in_depth(canvas, ctx, cam, self.depth)
        ctx.translate(self.x - self.size, self.y - self.size + math.sin(t * 0.4) * 3 * canvas.unit)
        ctx.set_source_surface(self.surface, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint()
        ctx.restore()


def ridge(rng: np.random.Generator, points: int, roughness: float) -> np.ndarray:
    """A mountain ridge profile 0..1 by midpoint displacement: jagged at every scale like real ridges."""
    size = 1
    heights = np.array([rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)])
    amplitude = 0.5
    while size < points:
        mids = (heights[:-1] + heights[1:]) / 2 + rng.uniform(-amplitude, amplitude, len(heights) - 1)
        merged = np.empty(len(heights) * 2 - 1)
        merged[0::2], merged[1::2] = heights, mids
        heights = merged
        size *= 2
        amplitude *= roughness
    heights -= heights.min()
    return np.asarray(heights / max(heights.max(), 1e-6))


class Silhouettes(Element):
    """A filled skyline shape (mountain ridge, dunes, tree line) at one depth, lit along its top edge."""

    def __init__(
        self,
        canvas: L.Canvas,
        xs: np.ndarray,
        ys: np.ndarray,
        color: Color,
        depth: float,
        *,
        rim: Color | None = None,
        sway: float = 0.0,
        bottom: float | None = None,
    ) -> None:
        self.xs, self.ys, self.color, self.depth, self.rim, self.sway = xs, ys, color, depth, rim, sway
        self.bottom = canvas.height * 1.2 if bottom is None else bottom

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        ctx.save()
        _in_depth(canvas, ctx, cam, self.depth)
        ys = self.ys
        if self.sway:
            ys = ys + np.sin(self.xs * 0.01 + t * 1.2) * self.sway
        ctx.move_to(float(self.xs[0]), self.bottom)
        for x, y in zip(self.xs, ys, strict=True):
            ctx.line_to(float(x), float(y))
        ctx.line_to(float(self.xs[-1]), self.bottom)
        ctx.close_path()
        ctx.set_source_rgb(*self.color)
        if self.rim is not None:
            ctx.fill_preserve()
            ctx.new_path()
            ctx.move_to(float(self.xs[0]), float(ys[0]))
            for x, y in zip(self.xs, ys, strict=True):
                ctx.line_to(float(x), float(y))
            ctx.set_source_rgba(*self.rim, 0.55)
            ctx.set_line_width(1.6 * canvas.unit)
            ctx.stroke()
        else:
            ctx.fill()
        ctx.restore()


def mountains(canvas: L.Canvas, rng: np.random.Generator, horizon: float, sky: Color, rim: Color) -> list[Element]:
    w, h = canvas.width, canvas.height
    layers: list[Element] = []
    for i, (depth, height, shade) in enumerate(((0.25, 0.26, 0.55), (0.5, 0.2, 0.75), (0.8, 0.13, 0.92))):
        profile = ridge(rng, 128, 0.55)
        xs = np.linspace(-0.15 * w, 1.15 * w, len(profile))
        ys = h * horizon - profile * h * height + h * 0.03 * i
        color = L.mix(sky, (0.01, 0.01, 0.03), shade)
        layers.append(Silhouettes(canvas, xs, ys, color, depth, rim=rim if i == 0 else None))
    return layers


def dunes(canvas: L.Canvas, rng: np.random.Generator, horizon: float, color: Color) -> list[Element]:
    w, h = canvas.width, canvas.height
    layers: list[Element] = []
    for i, depth in enumerate((0.3, 0.55, 0.85)):
        xs = np.linspace(-0.15 * w, 1.15 * w, 90)
        phase = rng.uniform(0, math.tau)
        ys = h * (horizon + 0.06 * i) - h * (0.05 + 0.03 * i) * (
            0.6 * np.sin(xs / w * (2.5 + i) + phase) + 0.4 * np.sin(xs / w * (5.3 + i) + phase * 2)
        )
        shade = L.mix(color, (0.05, 0.02, 0.02), 0.35 + 0.2 * i)
        layers.append(Silhouettes(canvas, xs, ys, shade, depth, rim=L.mix(color, (1, 0.9, 0.7), 0.5)))
    return layers


def forest(canvas: L.Canvas, rng: np.random.Generator, horizon: float, sky: Color) -> list[Element]:
    """Tree lines as one outline each: pines (stacked triangles) along a gently rolling ground."""
    w, h = canvas.width, canvas.height
    layers: list[Element] = []
    for i, (depth, tree_h, shade) in enumerate(((0.3, 0.12, 0.6), (0.55, 0.18, 0.8), (0.85, 0.27, 0.95))):
        ground = h * (horizon + 0.04 * i)
        xs_list: list[float] = [-0.15 * w]
        ys_list: list[float] = [ground]
        x = -0.15 * w
        while x < 1.15 * w:
            height = tree_h * h * rng.uniform(0.6, 1.1)
            width = height * rng.uniform(0.32, 0.42)
            for tier in range(3):
                frac = tier / 3
                xs_list += [x + width * (0.5 - 0.5 * (1 - frac) * 0.9), x + width * 0.5]
                ys_list += [ground - height * (frac + 0.28), ground - height * (frac + 0.38)]
            xs_list += [x + width * 0.5, x + width * (0.5 + 0.45 * 0.4), x + width]
            ys_list += [ground - height * 1.02, ground - height * 0.55, ground]
            x += width * rng.uniform(0.55, 0.95)
        xs_list.append(1.15 * w)
        ys_list.append(ground)
        color = L.mix(sky, (0.0, 0.02, 0.01), shade)
        layers.append(Silhouettes(canvas, np.array(xs_list), np.array(ys_list), color, depth))
    return layers


class City(Element):
    """A skyline with lit windows and blinking roof lights; one layer per depth, rendered once."""

    def __init__(
        self, canvas: L.Canvas, rng: np.random.Generator, horizon: float, depth: float, color: Color, glow: Color
    ) -> None:
        self.depth = depth
        w, h = canvas.width, canvas.height
        self.margin = int(0.12 * w)
        top = int(h * (horizon - 0.42 * depth - 0.1))
        self.top = top
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, w + 2 * self.margin, h - top + 40)
        ctx = cairo.Context(self.surface)
        ground = h * horizon - top + 20 * depth
        x = 0.0
        self.beacons: list[tuple[float, float, float]] = []
        unit = canvas.unit
        while x < w + 2 * self.margin:
            bw = rng.uniform(50, 130) * unit * (0.6 + depth)
            bh = rng.uniform(0.1, 0.42) * h * (0.5 + depth)
            ctx.rectangle(x, ground - bh, bw - 3 * unit, h)
            ctx.set_source_rgb(*color)
            ctx.fill()
            win = 7 * unit * (0.6 + depth)
            for wy in np.arange(ground - bh + win * 2, ground - win, win * 2.2):
                for wx in np.arange(x + win, x + bw - win * 1.5, win * 1.9):
                    if rng.random() < 0.35:
                        ctx.rectangle(float(wx), float(wy), win, win * 1.1)
                        ctx.set_source_rgba(*L.mix(glow, (1, 0.9, 0.7), rng.random() * 0.6), rng.uniform(0.4, 0.9))
                        ctx.fill()
            if rng.random() < 0.3:
                self.beacons.append((x + bw / 2, ground - bh - 4 * unit + top, rng.uniform(0, math.tau)))
            x += bw
        self.surface.flush()
        self.unit = unit

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        ctx.save()
        _in_depth(canvas, ctx, cam, self.depth)
        ctx.translate(-self.margin + math.sin(t * 0.2) * 6 * self.unit * self.depth, self.top)
        ctx.set_source_surface(self.surface, 0, 0)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint()
        ctx.translate(self.margin, -self.top)
        for x, y, phase in self.beacons:
            ctx.arc(x - self.margin, y, 2.5 * self.unit, 0, math.tau)
            ctx.set_source_rgba(1, 0.2, 0.25, 0.4 + 0.6 * max(0.0, math.sin(t * 3 + phase)))
            ctx.fill()
        ctx.restore()


class Water(Element):
    """Water below the horizon: the sky's colours mirrored and darkened, a shimmering reflection column of the
    brightest light, and ripple lines that slide towards the viewer."""

    depth = 0.6

    def __init__(
        self, canvas: L.Canvas, rng: np.random.Generator, horizon: float, sky: Color, light: Color, x: float
    ) -> None:
        self.horizon, self.sky, self.light, self.x = horizon, sky, light, x
        self.sprite = L.radial_sprite(light, 128, falloff=1.5)
        count = 46
        self.rows = rng.uniform(0, 1, count)
        self.offsets = rng.uniform(-1, 1, count)
        self.lengths = rng.uniform(20, 90, count) * canvas.unit
        self.phase = rng.uniform(0, math.tau, count)

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        w, h = canvas.width, canvas.height
        y0 = h * self.horizon
        gradient = cairo.LinearGradient(0, y0, 0, h)
        gradient.add_color_stop_rgb(0, *L.mix(self.sky, (0, 0, 0), 0.25))
        gradient.add_color_stop_rgb(1, *L.mix(self.sky, (0, 0, 0), 0.85))
        ctx.save()
        ctx.rectangle(0, y0, w, h - y0)
        ctx.set_source(gradient)
        ctx.fill()
        ctx.set_operator(cairo.OPERATOR_ADD)
        column = w * 0.22
        ctx.translate(self.x - column / 2, y0)
        ctx.scale(column / 128, (h - y0) * 1.6 / 128)
        ctx.set_source_surface(self.sprite, 0, -64)
        ctx.paint_with_alpha(0.55)
        ctx.restore()

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        w, h = canvas.width, canvas.height
        y0 = h * self.horizon
        ctx.save()
        ctx.set_line_width(2.0 * canvas.unit)
        # Glints in the reflection column: short dashes whose brightness ripples.
        for row, offset, length, phase in zip(self.rows, self.offsets, self.lengths, self.phase, strict=True):
            depth = ((row + t * 0.06) % 1.0) ** 1.6
            y = y0 + 4 + depth * (h - y0)
            spread = (0.04 + 0.16 * depth) * w
            x = self.x + offset * spread + math.sin(t * 1.5 + phase) * 8 * canvas.unit
            alpha = (0.25 + 0.6 * max(0.0, math.sin(t * 2.4 + phase))) * (1 - 0.5 * depth)
            ctx.move_to(x - length * (0.5 + depth) / 2, y)
            ctx.line_to(x + length * (0.5 + depth) / 2, y)
            ctx.set_source_rgba(*L.mix(self.light, (1, 1, 1), 0.4), alpha)
            ctx.stroke()
        ctx.restore()


class NeonGrid(Element):
    """The retro floor: perspective lines to a vanishing point and cross lines rushing towards the viewer."""

    depth = 0.7

    def __init__(self, canvas: L.Canvas, horizon: float, color: Color, speed: float) -> None:
        self.horizon, self.color, self.speed = horizon, color, speed

    def _path(self, ctx: cairo.Context, canvas: L.Canvas, t: float) -> None:
        w, h = canvas.width, canvas.height
        y0 = h * self.horizon
        vx = w / 2
        for i in range(-14, 15):
            ctx.move_to(vx + i * w * 0.012, y0)
            ctx.line_to(vx + i * w * 0.16, h * 1.05)
        for k in range(14):
            z = ((k + (t * self.speed) % 1.0) / 14) ** 2.2
            y = y0 + z * (h * 1.05 - y0)
            ctx.move_to(0, y)
            ctx.line_to(w, y)

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        ctx.save()
        ctx.rectangle(0, canvas.height * self.horizon, canvas.width, canvas.height)
        ctx.set_source_rgb(*L.mix(self.color, (0, 0, 0), 0.92))
        ctx.fill()
        ctx.set_operator(cairo.OPERATOR_ADD)
        self._path(ctx, canvas, t)
        ctx.set_source_rgba(*self.color, 0.5)
        ctx.set_line_width(14 * canvas.unit)
        ctx.stroke()
        ctx.restore()

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        ctx.save()
        ctx.rectangle(0, canvas.height * self.horizon, canvas.width, canvas.height)
        ctx.clip()
        self._path(ctx, canvas, t)
        ctx.set_source_rgba(*L.mix(self.color, (1, 1, 1), 0.35), 0.9)
        ctx.set_line_width(2.2 * canvas.unit)
        ctx.stroke()
        ctx.restore()


class Clouds(Element):
    """Soft clouds drifting across: clusters of blurred puffs in the haze."""

    def __init__(self, canvas: L.Canvas, rng: np.random.Generator, color: Color, top: float, bottom: float) -> None:
        self.sprite = L.radial_sprite(color, 64, falloff=1.3)
        w, h = canvas.width, canvas.height
        self.puffs = []
        for _ in range(7):
            cx, cy = rng.uniform(-0.2, 1.2) * w, rng.uniform(top, bottom) * h
            size = rng.uniform(0.18, 0.36) * w
            for _ in range(5):
                self.puffs.append(
                    (
                        cx + rng.uniform(-0.6, 0.6) * size,
                        cy + rng.uniform(-0.12, 0.12) * size,
                        size * rng.uniform(0.5, 0.9),
                    )
                )
        self.speed = 22 * canvas.unit
        self.width = w

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        ctx.save()
        span = self.width * 1.6
        for x, y, d in self.puffs:
            cx = (x + self.speed * t + cam.pan_x * 0.3 + self.width * 0.3) % span - self.width * 0.3
            ctx.save()
            ctx.translate(cx - d / 2, y - d * 0.3)
            ctx.scale(d / 64, d * 0.6 / 64)
            ctx.set_source_surface(self.sprite, 0, 0)
            ctx.paint_with_alpha(0.28)
            ctx.restore()
        ctx.restore()


class Precipitation(Element):
    """Rain (slanted streaks) or snow (drifting flakes) at three depths; one path per depth band."""

    depth = 0.9

    def __init__(self, canvas: L.Canvas, rng: np.random.Generator, kind: str, count: int = 170) -> None:
        self.kind = kind
        self.x = rng.uniform(0, canvas.width, count)
        self.y = rng.uniform(0, canvas.height, count)
        self.layer = rng.integers(0, 3, count)
        self.phase = rng.uniform(0, math.tau, count)
        self.unit = canvas.unit
        self.width, self.height = canvas.width, canvas.height

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        u = self.unit
        ctx.save()
        for band in range(3):
            near = (band + 1) / 3
            chosen = self.layer == band
            if self.kind == "rain":
                speed = (900 + 900 * near) * u
                x = (self.x[chosen] - speed * 0.18 * t) % self.width
                y = (self.y[chosen] + speed * t) % (self.height + 60) - 30
                for xi, yi in zip(x, y, strict=True):
                    ctx.move_to(float(xi), float(yi))
                    ctx.line_to(float(xi - 6 * u * near), float(yi - 34 * u * near))
                ctx.set_source_rgba(0.75, 0.82, 0.95, 0.18 + 0.2 * near)
                ctx.set_line_width((0.8 + 1.0 * near) * u)
                ctx.stroke()
            else:
                speed = (40 + 70 * near) * u
                phase = self.phase[chosen]
                x = (self.x[chosen] + 25 * u * np.sin(t * 0.8 + phase) + cam.pan_x * near) % self.width
                y = (self.y[chosen] + speed * t) % (self.height + 20) - 10
                r = (1.2 + 2.6 * near) * u
                for xi, yi in zip(x, y, strict=True):
                    ctx.move_to(float(xi) + r, float(yi))
                    ctx.arc(float(xi), float(yi), r, 0, math.tau)
                ctx.set_source_rgba(1, 1, 1, 0.35 + 0.4 * near)
                ctx.fill()
        ctx.restore()


class Lightning(Element):
    """Storm flashes at seeded moments: the whole sky lights up for a few frames."""

    def __init__(self, rng: np.random.Generator, duration: float) -> None:
        self.times = sorted(rng.uniform(0.6, max(0.7, duration - 0.8), max(1, int(duration / 2.5))).tolist())

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        flash = anim.pulse(t, self.times, decay=9.0)
        if flash > 0.02:
            ctx = canvas.haze_ctx
            ctx.save()
            ctx.set_operator(cairo.OPERATOR_ADD)
            ctx.set_source_rgba(0.7, 0.75, 1.0, 0.35 * flash)
            ctx.paint()
            ctx.restore()


class Fog(Element):
    """Low banks of mist sliding sideways in the haze."""

    def __init__(self, canvas: L.Canvas, horizon: float) -> None:
        self.sprite = L.radial_sprite((0.85, 0.88, 0.95), 64, falloff=1.2)
        self.horizon = horizon

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        w, h = canvas.width, canvas.height
        ctx.save()
        for i in range(5):
            x = ((i * 0.31 + t * 0.02 * (1 + i % 2)) % 1.4 - 0.2) * w
            y = h * (self.horizon - 0.05 + 0.07 * i)
            ctx.save()
            ctx.translate(x - w * 0.4, y - h * 0.08)
            ctx.scale(w * 0.8 / 64, h * 0.16 / 64)
            ctx.set_source_surface(self.sprite, 0, 0)
            ctx.paint_with_alpha(0.22)
            ctx.restore()
        ctx.restore()


class Embers(Element):
    """Sparks rising from a fire: buoyancy, drag and a turbulent sway, cooling from yellow to red as they rise."""

    depth = 0.85

    def __init__(self, canvas: L.Canvas, rng: np.random.Generator, count: int = 90) -> None:
        self.x0 = rng.uniform(0.1, 0.9, count) * canvas.width
        self.birth = rng.uniform(0, 3.0, count)
        self.life = rng.uniform(1.6, 3.0, count)
        self.lift = rng.uniform(160, 380, count) * canvas.unit
        self.phase = rng.uniform(0, math.tau, count)
        self.size = rng.uniform(1.2, 3.6, count) * canvas.unit
        self.width, self.height, self.unit = canvas.width, canvas.height, canvas.unit
        self.glow = L.radial_sprite((1.0, 0.45, 0.12), 128, falloff=1.6)

    def draw_haze(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.haze_ctx
        w, h = canvas.width, canvas.height
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        ctx.translate(-w * 0.2, h * 0.62)
        ctx.scale(w * 1.4 / 128, h * 0.8 / 128)
        ctx.set_source_surface(self.glow, 0, 0)
        ctx.paint_with_alpha(0.55 + 0.12 * math.sin(t * 7) * math.sin(t * 3.1))
        ctx.restore()

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        age = (t + self.birth) % self.life
        life = age / self.life
        # Rising with buoyancy against drag: fast at first, then slowing (1 - e^-kt).
        rise = self.lift * (1 - np.exp(-age * 1.1)) * 1.6
        x = self.x0 + 40 * self.unit * np.sin(age * 2.3 + self.phase) * life + cam.pan_x * self.depth
        y = self.height * 1.02 - rise
        heat = 1 - life
        for band, (lo, hi) in enumerate(((0.0, 0.33), (0.33, 0.66), (0.66, 1.01))):
            chosen = (heat >= lo) & (heat < hi)
            for xi, yi, r in zip(x[chosen], y[chosen], self.size[chosen], strict=True):
                ctx.move_to(float(xi) + float(r), float(yi))
                ctx.arc(float(xi), float(yi), float(r), 0, math.tau)
            color = ((1.0, 0.3, 0.1), (1.0, 0.55, 0.15), (1.0, 0.85, 0.45))[band]
            ctx.set_source_rgba(*color, 0.5 + 0.2 * band)
            ctx.fill()


class Shapes(Element):
    """Floating geometric outlines (rings, triangles, squares) at several depths, turning slowly."""

    def __init__(self, canvas: L.Canvas, rng: np.random.Generator, colors: tuple[Color, Color], count: int = 9) -> None:
        self.items = [
            (
                rng.uniform(0.05, 0.95) * canvas.width,
                rng.uniform(0.05, 0.95) * canvas.height,
                rng.uniform(30, 120) * canvas.unit,
                int(rng.integers(0, 3)),
                rng.uniform(0, math.tau),
                rng.uniform(0.2, 1.0),
                colors[i % 2],
            )
            for i in range(count)
        ]
        self.unit = canvas.unit

    def draw(self, canvas: L.Canvas, t: float, cam: L.Camera) -> None:
        ctx = canvas.ctx
        for x, y, size, kind, phase, depth, color in self.items:
            ctx.save()
            ctx.translate(
                x + cam.pan_x * depth * 2, y + cam.pan_y * depth * 2 + math.sin(t * 0.6 + phase) * 20 * self.unit
            )
            ctx.rotate(phase + t * 0.25 * (1 if kind % 2 else -1))
            if kind == 0:
                ctx.arc(0, 0, size, 0, math.tau)
            else:
                sides = 3 if kind == 1 else 4
                for k in range(sides + 1):
                    angle = k / sides * math.tau
                    ctx.line_to(math.cos(angle) * size, math.sin(angle) * size)
                ctx.close_path()
            ctx.set_line_width((1.5 + 2.5 * depth) * self.unit)
            ctx.set_source_rgba(*color, 0.3 + 0.5 * depth)
            ctx.stroke()
            ctx.restore()


def compose(
    desc: SceneDescription,
    canvas: L.Canvas,
    rng: np.random.Generator,
    palette: L.Palette,
    duration: float,
    *,
    horizon: float,
    subject_x: float,
) -> tuple[list[Element], list[Element], Color]:
    """The elements a description calls for, as (behind the subject, in front of it) and the key light colour."""
    time_of_day = desc.time_of_day
    if desc.setting == "space":
        time_of_day = "night"
    sky = Sky(time_of_day, palette, horizon if desc.setting not in ("space", "abstract") else 1.0)
    zenith, middle, low = sky.stops
    back: list[Element] = [sky]
    front: list[Element] = []
    night = time_of_day in ("night", "dawn") or desc.setting in ("space", "neon")
    light = {"day": (1.0, 0.96, 0.85), "sunset": (1.0, 0.6, 0.3), "dawn": (1.0, 0.7, 0.55)}.get(
        time_of_day, (0.85, 0.9, 1.0)
    )
    w, h = canvas.width, canvas.height
    if desc.setting in ("space", "abstract", "neon"):
        back.append(Glows(canvas, rng, (palette.accent, palette.accent2, L.mix(palette.accent, (1, 1, 1), 0.3))))
    if night and desc.weather in ("clear", "fog"):
        back.append(StarField(canvas, rng, bottom=horizon if desc.setting != "space" else 1.0))
    if "aurora" in desc.extras:
        back.append(Aurora(canvas, (palette.accent, palette.accent2), 0.08))
    if "meteors" in desc.extras or (desc.setting == "space" and desc.mood in ("epic", "energetic")):
        back.append(Meteors(canvas, rng, duration, palette.accent2))
    # The sky's main light: a named celestial subject is the hero, big and central.
    hero = desc.subject if desc.subject != "avatar" else None
    celestial_x = w * (0.72 if subject_x < w * 0.5 else 0.28) if desc.subject == "avatar" else w * 0.5
    if desc.setting == "space" or hero == "planet" or "planets" in desc.extras:
        size = min(w, h) * (0.5 if hero == "planet" else 0.26)
        back.append(Celestial("planet", canvas, celestial_x, h * (0.45 if hero else 0.3), size, palette.accent2))
    elif hero == "moon" or (time_of_day == "night" and desc.weather == "clear" and desc.setting != "neon"):
        size = min(w, h) * (0.42 if hero else 0.13)
        back.append(Celestial("moon", canvas, celestial_x, h * (0.42 if hero else horizon * 0.35), size, light))
    elif desc.weather in ("clear", "clouds") and desc.setting != "neon" and time_of_day != "night":
        size = min(w, h) * (0.4 if hero == "sun" else 0.16)
        sun_y = h * horizon * (0.88 if time_of_day in ("sunset", "dawn") else 0.35)
        back.append(
            Celestial("sun", canvas, celestial_x, h * 0.4 if hero else sun_y, size, L.mix(light, palette.accent, 0.2))
        )
        light = L.mix(light, palette.accent, 0.2)
    if desc.setting == "neon":
        back.append(Celestial("sun", canvas, w * 0.5, h * horizon * 0.78, min(w, h) * 0.34, palette.accent))
    if desc.weather in ("clouds", "rain", "storm") or desc.setting == "sky":
        back.append(Clouds(canvas, rng, L.mix(low, (0.9, 0.9, 0.95), 0.5), 0.1, horizon * 0.8))
    if desc.setting == "mountains":
        back.extend(mountains(canvas, rng, horizon + 0.12, middle, light))
    elif desc.setting == "desert":
        back.extend(dunes(canvas, rng, horizon, L.mix(low, (0.8, 0.45, 0.2), 0.5)))
    elif desc.setting == "forest":
        back.extend(forest(canvas, rng, horizon, middle))
    elif desc.setting == "city":
        back.append(City(canvas, rng, horizon, 0.35, L.mix(middle, (0, 0, 0), 0.55), palette.accent))
        back.append(City(canvas, rng, horizon + 0.06, 0.7, L.mix(zenith, (0, 0, 0), 0.7), (1.0, 0.8, 0.5)))
    elif desc.setting == "ocean":
        profile = ridge(rng, 64, 0.5)
        xs = np.linspace(-0.15 * w, 1.15 * w, len(profile))
        far = L.mix(middle, (0.01, 0.01, 0.03), 0.6)
        back.append(Silhouettes(canvas, xs, h * horizon - profile * h * 0.07, far, 0.2, bottom=h * horizon + 1))
        back.append(Water(canvas, rng, horizon, low, light, celestial_x))
    elif desc.setting == "neon":
        back.append(NeonGrid(canvas, horizon, palette.accent2, 1.6 if desc.motion == "fast" else 0.8))
    if desc.setting == "abstract" or "shapes" in desc.extras:
        front.append(Shapes(canvas, rng, (palette.accent, palette.accent2)))
    if desc.weather == "fog":
        front.append(Fog(canvas, horizon))
    if desc.weather in ("rain", "storm"):
        front.append(Precipitation(canvas, rng, "rain"))
    if desc.weather == "storm":
        back.append(Lightning(rng, duration))
    if desc.weather == "snow":
        front.append(Precipitation(canvas, rng, "snow", count=150))
    if "fire" in desc.extras:
        front.append(Embers(canvas, rng))
    return back, front, light
