"""One scene per video type, each a small composition of layers on a timeline.

Timelines are written for a 5 s clip and compressed for shorter ones (`Scene.at`), so a 2 s clip still plays
every entrance; longer clips hold and breathe. Layout adapts to landscape, portrait and square frames with
safe margins (7 % of the short side) so nothing is cropped by players that overlay controls.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re

import cairocffi as cairo
import numpy as np

from botvideo.engine import layers as L
from botvideo.engine import text as T
from botvideo.engine.spec import ClipSpec

REFERENCE_SECONDS = 5.0


def stable_hash(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "replace")).digest()
    return int.from_bytes(digest[:8], "big")


def sentences(text: str) -> list[str]:
    flat = T.clean_text(text, limit=4000)
    pieces = re.split(r"(?<=[.!?。！？])\s+|\s*[\n•;]\s*|\s+-\s+", flat)
    return [p.strip(" .,-") for p in pieces if len(p.strip(" .,-")) >= 3]


def tagline_from(instructions: str, description: str) -> str:
    """A short line about the bot: the first sentence of its description, else of its instructions."""
    for source in (description, instructions):
        for sentence in sentences(source):
            # "You are Nova, a guide to ..." reads better on screen as "A guide to ...".
            line = re.sub(r"^(you are|you're|i am|i'm)\s+", "", sentence, flags=re.IGNORECASE)
            line = re.sub(r"^[^,]{1,40},\s+(?=(a|an|the|your)\b)", "", line, flags=re.IGNORECASE)
            if line:
                return T.clean_text(line[0].upper() + line[1:], limit=110)
    return ""


def capabilities_from(description: str, instructions: str, limit: int) -> list[str]:
    found: list[str] = []
    for sentence in sentences(description) + sentences(instructions):
        line = re.sub(r"^(you are|you're|you|i am|i|it|this bot|always|please)\s+", "", sentence, flags=re.I)
        line = T.clean_text(line[:1].upper() + line[1:], limit=72)
        if line and line.lower() not in (f.lower() for f in found):
            found.append(line)
        if len(found) >= limit:
            break
    return found


class Scene:
    """Static layers are built in `__init__`; `draw` composes one frame at time `t` seconds."""

    poster_fraction = 0.72
    background: L.GradientBackground
    vignette: L.Vignette

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        self.spec = spec
        self.canvas = canvas
        self.duration = spec.duration_seconds
        self.rng = np.random.default_rng(stable_hash(spec.video_type, spec.title, spec.seed) % 2**63)
        self.pace = min(1.0, self.duration / REFERENCE_SECONDS)
        self.u = canvas.unit
        self.margin = 0.07 * min(canvas.width, canvas.height)
        self.safe_width = canvas.width - 2 * self.margin

    def at(self, seconds: float) -> float:
        """A moment on the 5 s reference timeline, compressed to fit a shorter clip."""
        return seconds * self.pace

    def draw(self, t: float) -> None:
        """Compose the frame at `t` seconds into the canvas."""
        light = self.outro(t)
        self.background.draw(self.canvas, t, brightness=light)
        self.draw_haze(t, light)
        self.vignette.draw(self.canvas)
        self.canvas.present_haze()
        self.draw_sharp(t, light)

    def draw_haze(self, t: float, light: float) -> None:
        """Soft light into the quarter-size haze (gradient and vignette are handled by `draw`)."""

    def draw_sharp(self, t: float, light: float) -> None:
        raise NotImplementedError

    def outro(self, t: float) -> float:
        """Overall brightness: a slight settle in the last half second, never to black (posters, loops)."""
        return 1.0 - 0.25 * L.window(t, self.duration - 0.5, 0.5, L.ease_in_out_sine)


def pick_palette(spec: ClipSpec, *, prefer: tuple[str, ...] = ()) -> L.Palette:
    if prefer:
        return L.palette_named(prefer[stable_hash(spec.title, spec.seed) % len(prefer)])
    return L.PALETTES[stable_hash(spec.title, spec.seed) % len(L.PALETTES)]


# --- Character Intro ----------------------------------------------------------------------------------------


class IntroScene(Scene):
    """The avatar revealed with a camera push-in and a light sweep, the name as a title, a tagline below."""

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        w, h = canvas.width, canvas.height
        self.palette = pick_palette(spec)
        p = self.palette
        self.background = L.GradientBackground(p, canvas)
        self.orbs = L.LightOrbs(p, canvas, self.rng)
        self.particles = L.Particles(p, canvas, self.rng, count=70)
        self.vignette = L.Vignette(canvas)
        short = min(w, h)
        self.diameter = {"landscape": 0.40, "portrait": 0.50, "square": 0.42}[canvas.shape] * (
            short if canvas.shape != "portrait" else w
        )
        self.center_y = h * (0.40 if canvas.shape != "portrait" else 0.42)
        self.portrait = L.Portrait(spec.avatar_path, spec.title, p, self.diameter)
        title_size = short * (0.085 if canvas.shape == "landscape" else 0.095)
        self.title = L.Title(
            T.clean_text(spec.title, limit=80) or "Untitled bot",
            T.TextStyle(size=title_size, max_width=int(self.safe_width)),
            glow=p.accent,
            glow_radius=title_size * 0.18,
        )
        tagline = tagline_from(spec.instructions, spec.description)
        self.tagline = (
            L.Title(
                tagline,
                T.TextStyle(
                    size=short * 0.036,
                    weight=T.DISPLAY_WEIGHT_REGULAR,
                    color=p.muted,
                    max_width=int(min(self.safe_width, short * 1.3)),
                    max_lines=2,
                ),
            )
            if tagline
            else None
        )
        self.sweep = L.LightSweep()
        gap = short * 0.06
        self.title_y = self.center_y + self.diameter / 2 + gap + self.title.text_height / 2
        self.tagline_y = self.title_y + self.title.text_height / 2 + short * 0.035
        if self.tagline is not None:
            self.tagline_y += self.tagline.text_height / 2

    def draw_haze(self, t: float, light: float) -> None:
        self.orbs.draw(self.canvas, t, intensity=light)

    def draw_sharp(self, t: float, light: float) -> None:
        c, p = self.canvas, self.palette
        ctx = c.ctx
        push = L.ease_in_out_sine(t / self.duration)
        camera = L.Camera(zoom=1.0 + 0.09 * push, pan_y=-12 * self.u * push)
        ctx.save()
        camera.apply(ctx, c.width, c.height)
        self.particles.draw(c, t, intensity=0.8 * light)
        enter = L.window(t, self.at(0.15), self.at(0.9), L.ease_out_back)
        alpha = L.window(t, self.at(0.15), self.at(0.5))
        ring = L.window(t, self.at(0.35), self.at(1.2), L.ease_in_out_cubic)
        cx = c.width / 2
        self.portrait.draw(c, cx, self.center_y, scale=0.7 + 0.3 * enter, alpha=alpha, ring=ring)
        sweep = L.window(t, self.at(1.1), self.at(0.9), L.ease_in_out_sine)
        self.sweep.draw(c, cx, self.center_y, self.diameter / 2 * (0.7 + 0.3 * enter), sweep, alpha=0.45)
        ctx.restore()

        rise = L.window(t, self.at(0.7), self.at(0.9), L.ease_out_expo)
        self.title.draw(c, cx, self.title_y, alpha=rise, dy=(1 - rise) * 40 * self.u)
        bar = L.window(t, self.at(1.0), self.at(0.8), L.ease_in_out_cubic)
        if bar > 0:
            half = self.title.text_width * 0.35 * bar
            y = self.title_y + self.title.text_height / 2 + 12 * self.u
            gradient = cairo.LinearGradient(cx - half, y, cx + half, y)
            gradient.add_color_stop_rgba(0, *p.accent, 0)
            gradient.add_color_stop_rgba(0.5, *p.accent2, 0.9)
            gradient.add_color_stop_rgba(1, *p.accent, 0)
            ctx.set_source(gradient)
            ctx.rectangle(cx - half, y, 2 * half, max(2, 3 * self.u))
            ctx.fill()
        if self.tagline is not None:
            fade = L.window(t, self.at(1.3), self.at(0.9))
            self.tagline.draw(c, cx, self.tagline_y + 18 * self.u, alpha=fade, dy=(1 - fade) * 24 * self.u)


# --- Promotional --------------------------------------------------------------------------------------------


class Card:
    """One capability: a frosted card with an index number and up to three lines, built once."""

    def __init__(self, index: int, text: str, palette: L.Palette, width: int, height: int, unit: float) -> None:
        shadow = int(28 * unit)
        self.width, self.height, self.pad = width, height, shadow
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width + 2 * shadow, height + 2 * shadow)
        ctx = cairo.Context(self.surface)
        radius = 26 * unit
        # Soft accent glow under the card.
        glow = L.radial_sprite(palette.accent, 128, falloff=2.0)
        ctx.save()
        ctx.scale((width + 2 * shadow) / 128, (height + 2 * shadow) / 128)
        ctx.set_source_surface(glow, 0, 0)
        ctx.paint_with_alpha(0.35)
        ctx.restore()
        ctx.translate(shadow, shadow)
        _rounded_rect(ctx, 0, 0, width, height, radius)
        fill = cairo.LinearGradient(0, 0, width, height)
        fill.add_color_stop_rgba(0, *L.mix(palette.mid, (1, 1, 1), 0.12), 0.92)
        fill.add_color_stop_rgba(1, *L.mix(palette.deep, palette.mid, 0.5), 0.92)
        ctx.set_source(fill)
        ctx.fill_preserve()
        border = cairo.LinearGradient(0, 0, width, height)
        border.add_color_stop_rgba(0, *palette.accent, 0.9)
        border.add_color_stop_rgba(1, *palette.accent2, 0.25)
        ctx.set_source(border)
        ctx.set_line_width(max(1.5, 2.5 * unit))
        ctx.stroke()
        inset = 34 * unit
        number = T.render_text(f"{index:02d}", T.TextStyle(size=44 * unit, color=palette.accent, align="left"))
        ctx.set_source_surface(number, inset, inset * 0.8)
        ctx.paint()
        body = T.render_text(
            text,
            T.TextStyle(
                size=34 * unit,
                weight=T.DISPLAY_WEIGHT_SEMIBOLD,
                align="left",
                max_width=int(width - 2 * inset),
                max_lines=3 if height > 200 * unit else 2,
            ),
        )
        ctx.set_source_surface(body, inset, inset * 0.8 + number.get_height() + 14 * unit)
        ctx.paint()
        self.surface.flush()

    def draw(self, canvas: L.Canvas, x: float, y: float, *, alpha: float, scale: float) -> None:
        if alpha <= 0.01:
            return
        ctx = canvas.ctx
        ctx.save()
        if abs(scale - 1.0) < 1e-3:
            # Whole pixels: a blit rather than a resample.
            ctx.set_source_surface(self.surface, round(x - self.pad), round(y - self.pad))
        else:
            ctx.translate(x + self.width / 2, y + self.height / 2)
            ctx.scale(scale, scale)
            ctx.set_source_surface(self.surface, -self.width / 2 - self.pad, -self.height / 2 - self.pad)
        ctx.paint_with_alpha(min(1.0, alpha))
        ctx.restore()


def _rounded_rect(ctx: cairo.Context, x: float, y: float, w: float, h: float, r: float) -> None:
    ctx.new_sub_path()
    ctx.arc(x + w - r, y + r, r, -math.pi / 2, 0)
    ctx.arc(x + w - r, y + h - r, r, 0, math.pi / 2)
    ctx.arc(x + r, y + h - r, r, math.pi / 2, math.pi)
    ctx.arc(x + r, y + r, r, math.pi, 3 * math.pi / 2)
    ctx.close_path()


DEFAULT_CAPABILITIES = (
    "Answers in seconds, day or night",
    "Knows your community inside out",
    "Speaks your language",
)


class PromoScene(Scene):
    """The bot's capabilities as cards that rise in turn; long clips page through more of them."""

    poster_fraction = 0.45

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        w, h = canvas.width, canvas.height
        self.palette = pick_palette(spec)
        p = self.palette
        self.background = L.GradientBackground(p, canvas, sway=0.2)
        self.orbs = L.LightOrbs(p, canvas, self.rng, count=3)
        self.particles = L.Particles(p, canvas, self.rng, count=45)
        self.vignette = L.Vignette(canvas, strength=0.45)
        per_page = 3
        pages = 2 if self.duration >= 8 else 1
        items = capabilities_from(spec.description, spec.instructions, per_page * pages)
        if not items:
            items = list(DEFAULT_CAPABILITIES)
        self.pages = [items[i : i + per_page] for i in range(0, len(items), per_page)]
        short = min(w, h)
        self.kicker = L.Title("MEET", T.TextStyle(size=short * 0.03, color=p.accent, weight=T.DISPLAY_WEIGHT_SEMIBOLD))
        title_size = short * 0.07
        self.title = L.Title(
            T.clean_text(spec.title, limit=60) or "Untitled bot",
            T.TextStyle(size=title_size, max_width=int(self.safe_width)),
            glow=p.accent,
            glow_radius=title_size * 0.16,
        )
        top = self.margin + (h * 0.06 if canvas.shape == "portrait" else 0)
        self.kicker_y = top + self.kicker.text_height / 2
        self.title_y = self.kicker_y + self.kicker.text_height / 2 + 8 * self.u + self.title.text_height / 2
        area_top = self.title_y + self.title.text_height / 2 + short * 0.06
        area_bottom = h - self.margin - (h * 0.05 if canvas.shape == "portrait" else 0)
        gap = short * 0.035
        self.slots: list[list[tuple[float, float]]] = []
        self.cards: list[list[Card]] = []
        for number_base, page in enumerate(self.pages):
            n = len(page)
            if canvas.shape == "landscape":
                card_w = (self.safe_width - gap * (n - 1)) / n
                card_h = min(area_bottom - area_top, card_w * 0.58)
                y0 = area_top + (area_bottom - area_top - card_h) / 2
                slots = [(self.margin + i * (card_w + gap), y0) for i in range(n)]
            else:
                card_w = self.safe_width * (1.0 if canvas.shape == "portrait" else 0.8)
                card_h = min((area_bottom - area_top - gap * (n - 1)) / n, card_w * 0.42)
                total = n * card_h + (n - 1) * gap
                y0 = area_top + (area_bottom - area_top - total) / 2
                slots = [((w - card_w) / 2, y0 + i * (card_h + gap)) for i in range(n)]
            self.slots.append(slots)
            self.cards.append(
                [
                    Card(number_base * per_page + i + 1, text, p, int(card_w), int(card_h), self.u)
                    for i, text in enumerate(page)
                ]
            )

    def draw_haze(self, t: float, light: float) -> None:
        self.orbs.draw(self.canvas, t, intensity=light)

    def draw_sharp(self, t: float, light: float) -> None:
        c = self.canvas
        self.particles.draw(c, t, intensity=0.6 * light)
        head = L.window(t, self.at(0.1), self.at(0.7), L.ease_out_expo)
        self.kicker.draw(c, c.width / 2, self.kicker_y, alpha=head, dy=(1 - head) * -20 * self.u)
        self.title.draw(c, c.width / 2, self.title_y, alpha=head, scale=0.94 + 0.06 * head)

        page_length = self.duration / len(self.pages)
        for index, (cards, slots) in enumerate(zip(self.cards, self.slots, strict=True)):
            start = index * page_length
            local = t - start
            if local < -0.01 or (local > page_length + 0.01 and index < len(self.pages) - 1):
                continue
            first = index == 0
            leave = 0.0
            if index < len(self.pages) - 1:
                leave = L.window(local, page_length - 0.45, 0.45, L.ease_in_out_cubic)
            for i, (card, (x, y)) in enumerate(zip(cards, slots, strict=True)):
                delay = (self.at(0.6) if first else 0.1) + i * self.at(0.35)
                enter = L.window(local, delay, self.at(0.8), L.ease_out_back)
                fade = L.window(local, delay, self.at(0.4))
                shift_x = -leave * c.width * 0.25
                card.draw(
                    c,
                    x + shift_x,
                    y + (1 - enter) * 90 * self.u,
                    alpha=fade * (1 - leave),
                    scale=1.0 if enter >= 1.0 else 0.92 + 0.08 * enter,
                )


# --- Token Launch -------------------------------------------------------------------------------------------


def token_ticker(spec: ClipSpec) -> str:
    raw = spec.token_symbol or spec.token_name or spec.title
    cleaned = T.clean_text(raw, limit=40).lstrip("$").strip()
    if spec.token_symbol is None:
        # Derive a ticker from a name: letters only, upper case, short.
        letters = "".join(ch for ch in cleaned if ch.isalnum())
        cleaned = letters[:5].upper() if letters else cleaned[:5]
    return cleaned[:10] or "TOKEN"


GOLD_BRIGHT = L.hex_color("fff3c4")
GOLD = L.hex_color("f2b632")
GOLD_DARK = L.hex_color("8a5a00")
GOLD_EDGE = L.hex_color("6e4700")


class Coin:
    """A gold coin face with the ticker embossed; drawn once, spun with a horizontal squash per frame."""

    def __init__(self, symbol: str, diameter: float) -> None:
        size = int(diameter)
        self.size = size
        self.face = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
        ctx = cairo.Context(self.face)
        r = size / 2
        metal = cairo.RadialGradient(r * 0.7, r * 0.6, r * 0.1, r, r, r)
        metal.add_color_stop_rgb(0, *GOLD_BRIGHT)
        metal.add_color_stop_rgb(0.55, *GOLD)
        metal.add_color_stop_rgb(1, *GOLD_DARK)
        ctx.arc(r, r, r, 0, math.tau)
        ctx.set_source(metal)
        ctx.fill()
        for radius, width, shade in ((r * 0.92, r * 0.035, 0.35), (r * 0.8, r * 0.018, 0.25)):
            ctx.arc(r, r, radius, 0, math.tau)
            ctx.set_line_width(width)
            ctx.set_source_rgba(*GOLD_DARK, shade + 0.3)
            ctx.stroke()
        label = symbol if len(symbol) <= 4 else symbol[:6]
        size_factor = {1: 0.9, 2: 0.7, 3: 0.5, 4: 0.4}.get(len(label), 0.3)
        style = T.TextStyle(size=size * size_factor * 0.62, max_width=int(size * 0.72))
        dark = T.render_text(label, dataclasses.replace(style, color=L.mix(GOLD_DARK, (0, 0, 0), 0.35)))
        light = T.render_text(label, dataclasses.replace(style, color=GOLD_BRIGHT))
        x = (size - dark.get_width()) / 2
        y = (size - dark.get_height()) / 2
        # Emboss: a highlight up-left, the engraving down-right.
        ctx.set_source_surface(light, x - size * 0.006, y - size * 0.006)
        ctx.paint_with_alpha(0.7)
        ctx.set_source_surface(dark, x, y)
        ctx.paint()
        self.face.flush()
        self.edge = GOLD_EDGE

    def draw(self, canvas: L.Canvas, cx: float, cy: float, angle: float, alpha: float, shine: float) -> None:
        if alpha <= 0.01:
            return
        ctx = canvas.ctx
        squash = max(0.04, abs(math.cos(angle)))
        r = self.size / 2
        thickness = r * 0.09 * math.sin(angle)
        ctx.save()
        ctx.translate(cx, cy)
        # The rim: the same disc, darker, offset along the spin so the coin reads as solid.
        for step in (1.0, 0.66, 0.33):
            ctx.save()
            ctx.translate(thickness * step, 0)
            ctx.scale(squash, 1)
            ctx.arc(0, 0, r, 0, math.tau)
            ctx.restore()
            ctx.set_source_rgba(*self.edge, alpha)
            ctx.fill()
        ctx.save()
        ctx.scale(squash, 1)
        ctx.set_source_surface(self.face, -r, -r)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint_with_alpha(alpha)
        ctx.restore()
        ctx.restore()
        if shine > 0:
            ctx.save()
            ctx.translate(cx, cy)
            ctx.scale(squash, 1)
            L.LightSweep((1.0, 0.97, 0.85), width_ratio=0.25).draw(canvas, 0, 0, r, shine, alpha=0.55 * alpha)
            ctx.restore()


class TokenRevealScene(Scene):
    """Particles converge into a coin bearing the ticker; it spins in front of rotating rays."""

    poster_fraction = 0.8

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        w, h = canvas.width, canvas.height
        self.palette = pick_palette(spec, prefer=("gold", "ember", "gold", "lagoon", "aurora"))
        p = self.palette
        self.background = L.GradientBackground(p, canvas, sway=0.25)
        self.orbs = L.LightOrbs(p, canvas, self.rng, count=3)
        self.vignette = L.Vignette(canvas, strength=0.6)
        short = min(w, h)
        self.diameter = short * (0.42 if canvas.shape == "landscape" else 0.5)
        self.center = (w / 2, h * (0.42 if canvas.shape != "portrait" else 0.40))
        self.ticker = token_ticker(spec)
        self.coin = Coin(self.ticker, self.diameter)
        self.glow = L.Halo(L.mix(GOLD_BRIGHT, p.accent, 0.4))
        self.rays = L.Rays(L.mix(p.accent, (1, 1, 1), 0.3), radius=max(w, h) * 0.75)
        # Particle targets: mostly on the rim, the rest inside the face.
        n = 320
        angle = self.rng.uniform(0, math.tau, n)
        on_rim = self.rng.random(n) < 0.6
        radius = np.where(on_rim, 0.97, np.sqrt(self.rng.random(n)) * 0.9) * self.diameter / 2
        self.target_x = self.center[0] + radius * np.cos(angle)
        self.target_y = self.center[1] + radius * np.sin(angle)
        spread = max(w, h) * 0.75
        launch = self.rng.uniform(0, math.tau, n)
        distance = self.rng.uniform(0.45, 1.0, n) * spread
        self.start_x = self.center[0] + distance * np.cos(launch)
        self.start_y = self.center[1] + distance * np.sin(launch)
        self.delay = self.rng.uniform(0.0, 0.35, n)
        self.dot = (1.5 + 3.0 * self.rng.random(n)) * self.u
        self.spark = L.mix(p.accent, (1, 1, 1), 0.55)
        ticker_size = short * 0.1
        self.ticker_title = L.Title(
            f"${self.ticker}",
            T.TextStyle(size=ticker_size, max_width=int(self.safe_width)),
            glow=p.accent,
            glow_radius=ticker_size * 0.2,
        )
        name = spec.token_name or spec.title
        self.name_title = L.Title(
            T.clean_text(name, limit=60),
            T.TextStyle(
                size=short * 0.036,
                weight=T.DISPLAY_WEIGHT_REGULAR,
                color=p.muted,
                max_width=int(self.safe_width),
            ),
        )
        self.ticker_y = self.center[1] + self.diameter / 2 + short * 0.07 + self.ticker_title.text_height / 2
        self.name_y = self.ticker_y + self.ticker_title.text_height / 2 + short * 0.04

    def draw_haze(self, t: float, light: float) -> None:
        self.orbs.draw(self.canvas, t, intensity=0.8 * light)
        formed = L.window(t, self.at(1.3), self.at(0.7), L.ease_in_out_cubic)
        cx, cy = self.center
        self.rays.draw(self.canvas, cx, cy, t * 0.25, alpha=0.8 * formed * light, scale=0.9 + 0.1 * formed)
        self.glow.draw(self.canvas, cx, cy, self.diameter * 2.6, 0.7 * formed * light)

    def draw_sharp(self, t: float, light: float) -> None:
        c, ctx = self.canvas, self.canvas.ctx
        form_end = self.at(2.0)
        formed = L.window(t, self.at(1.3), self.at(0.7), L.ease_in_out_cubic)
        cx, cy = self.center

        ctx.save()
        camera = L.Camera(zoom=1.0 + 0.05 * L.ease_in_out_sine(t / self.duration))
        camera.apply(ctx, c.width, c.height)
        # Particles fly in, then fade as the coin solidifies.
        progress = np.clip((t / max(form_end, 1e-6) - self.delay) / (1 - 0.35), 0, 1)
        eased = 1 - (1 - progress) ** 3
        swirl = (1 - eased) * 1.2
        dx = self.start_x - cx
        dy = self.start_y - cy
        sx = cx + dx * np.cos(swirl) - dy * np.sin(swirl)
        sy = cy + dx * np.sin(swirl) + dy * np.cos(swirl)
        x = sx + (self.target_x - sx) * eased
        y = sy + (self.target_y - sy) * eased
        particle_alpha = (0.35 + 0.65 * eased) * (1 - formed)
        if float(particle_alpha.max()) > 0.01:
            ctx.save()
            ctx.set_operator(cairo.OPERATOR_ADD)
            for i in range(len(x)):
                ctx.set_source_rgba(*self.spark, float(particle_alpha[i]))
                ctx.arc(float(x[i]), float(y[i]), float(self.dot[i]), 0, math.tau)
                ctx.fill()
            ctx.restore()
        # One eased full turn as it forms, then a slow idle spin.
        spin = math.tau * L.window(t, self.at(1.3), self.at(1.6), L.ease_out_cubic)
        spin += 0.6 * max(0.0, t - self.at(2.9)) * math.sin(max(0.0, t - self.at(2.9)) * 0.9)
        shine = L.window(t, self.at(3.0), self.at(0.9), L.ease_in_out_sine)
        bob = math.sin(t * 1.6) * 6 * self.u * formed
        self.coin.draw(c, cx, cy + bob, spin, formed, shine)
        ctx.restore()

        rise = L.window(t, self.at(2.2), self.at(0.9), L.ease_out_expo)
        self.ticker_title.draw(c, cx, self.ticker_y, alpha=rise, dy=(1 - rise) * 50 * self.u)
        sub = L.window(t, self.at(2.6), self.at(0.8))
        self.name_title.draw(c, cx, self.name_y + 10 * self.u, alpha=sub, reveal=sub)


# --- Custom -------------------------------------------------------------------------------------------------

MOODS: dict[str, tuple[str, ...]] = {
    "ember": ("fire", "flame", "hot", "burn", "sunset", "warm", "lava", "energy", "rocket"),
    "lagoon": ("ocean", "sea", "water", "wave", "blue", "calm", "cool", "ice", "sky"),
    "mint": ("nature", "forest", "green", "grow", "leaf", "eco", "money", "plant"),
    "orchid": ("neon", "party", "club", "pink", "love", "dream", "vibe", "magic"),
    "gold": ("gold", "luxury", "premium", "rich", "king", "crown", "token", "coin", "launch"),
    "crimson": ("red", "danger", "power", "bold", "fight", "rage", "war"),
    "glacier": ("minimal", "clean", "snow", "winter", "silver", "future", "space", "moon"),
    "aurora": ("night", "star", "galaxy", "ai", "cyber", "tech", "purple"),
}
ENERGETIC = ("fast", "energy", "energetic", "hype", "explosive", "dynamic", "bold", "launch", "epic", "!")
CALM = ("calm", "serene", "soft", "gentle", "minimal", "elegant", "dreamy", "slow", "peaceful", "quiet")


def mood_of(prompt: str) -> str:
    lowered = prompt.lower()
    energetic = sum(lowered.count(word) for word in ENERGETIC)
    calm = sum(lowered.count(word) for word in CALM)
    if energetic > calm:
        return "energetic"
    if calm > energetic:
        return "calm"
    return "balanced"


def palette_for_prompt(spec: ClipSpec) -> L.Palette:
    words = set(re.findall(r"[\w$]+", spec.prompt.lower()))
    scores = {name: sum(1 for k in keys if k in words) for name, keys in MOODS.items()}
    best = max(scores.values())
    if best > 0:
        winners = sorted(name for name, score in scores.items() if score == best)
        return L.palette_named(winners[stable_hash(spec.title, spec.seed) % len(winners)])
    return L.PALETTES[stable_hash(spec.prompt, spec.title, spec.seed) % len(L.PALETTES)]


def headline_from(prompt: str, fallback: str) -> str:
    first = sentences(prompt)
    text = first[0] if first else T.clean_text(prompt, limit=400)
    return T.clean_text(text or fallback, limit=110)


class CustomScene(Scene):
    """The prompt as kinetic typography: lines wipe up one by one, with the bot's name as the signature."""

    poster_fraction = 0.8

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        w, h = canvas.width, canvas.height
        self.palette = palette_for_prompt(spec)
        p = self.palette
        self.mood = mood_of(spec.prompt)
        self.background = L.GradientBackground(p, canvas, sway=0.5 if self.mood == "energetic" else 0.25)
        self.orbs = L.LightOrbs(p, canvas, self.rng, count=5 if self.mood != "calm" else 3)
        self.particles = L.Particles(p, canvas, self.rng, count=60 if self.mood == "energetic" else 35)
        self.vignette = L.Vignette(canvas)
        short = min(w, h)
        headline = headline_from(spec.prompt, spec.description or spec.title or "Hello")
        size = short * (0.085 if len(headline) < 40 else 0.065 if len(headline) < 80 else 0.052)
        width = self.safe_width * (0.88 if canvas.shape == "landscape" else 1.0)
        style = T.TextStyle(size=size, max_width=None)
        self.lines = [
            L.Title(line, style, glow=p.accent, glow_radius=size * 0.14)
            for line in wrap_lines(headline, style, width, max_lines=5 if canvas.shape == "portrait" else 4)
        ]
        line_height = size * 1.28
        block = line_height * len(self.lines)
        top = h * 0.47 - block / 2
        self.line_y = [top + line_height * (i + 0.5) for i in range(len(self.lines))]
        self.quote = L.Title(
            "“", T.TextStyle(size=short * 0.22, color=p.accent), glow=p.accent, glow_radius=18 * self.u
        )
        self.signature = L.Title(
            "— " + (T.clean_text(spec.title, limit=50) or "botvideo"),
            T.TextStyle(size=short * 0.034, weight=T.DISPLAY_WEIGHT_SEMIBOLD, color=p.muted),
        )
        self.signature_y = min(h - self.margin - self.signature.text_height, self.line_y[-1] + line_height * 1.1)
        widest = max(line.text_width for line in self.lines)
        self.quote_x = max(self.margin + self.quote.text_width / 2, w / 2 - widest / 2 - self.quote.text_width * 0.2)
        self.quote_y = top - self.quote.text_height * 0.12
        self.stagger = {"energetic": 0.22, "balanced": 0.35, "calm": 0.5}[self.mood]
        self.easing: L.Easing = {
            "energetic": L.ease_out_back,
            "balanced": L.ease_out_expo,
            "calm": L.ease_in_out_sine,
        }[self.mood]

    def draw_haze(self, t: float, light: float) -> None:
        self.orbs.draw(self.canvas, t, intensity=light)

    def draw_sharp(self, t: float, light: float) -> None:
        c, ctx = self.canvas, self.canvas.ctx
        self.particles.draw(c, t * (1.6 if self.mood == "energetic" else 1.0), intensity=0.7 * light)
        ctx.save()
        zoom = 0.06 if self.mood == "energetic" else 0.035
        shake = 3 * self.u * math.sin(t * 9) * (1 - L.window(t, 0, self.at(1.5))) if self.mood == "energetic" else 0
        L.Camera(zoom=1 + zoom * L.ease_in_out_sine(t / self.duration), pan_x=shake).apply(ctx, c.width, c.height)
        q = L.window(t, self.at(0.1), self.at(0.8), self.easing)
        self.quote.draw(c, self.quote_x, self.quote_y, alpha=0.85 * q, scale=0.6 + 0.4 * q)
        for i, (line, y) in enumerate(zip(self.lines, self.line_y, strict=True)):
            start = self.at(0.35 + i * self.stagger)
            x = L.window(t, start, self.at(0.9), self.easing)
            fade = L.window(t, start, self.at(0.5))
            # Each line rises from behind a mask at its baseline, like a type slide.
            ctx.save()
            ctx.rectangle(0, y - line.height / 2, c.width, line.height)
            ctx.clip()
            line.draw(c, c.width / 2, y, alpha=fade, dy=(1 - x) * line.height * 0.7)
            ctx.restore()
        sign = L.window(t, self.at(0.6 + len(self.lines) * self.stagger), self.at(0.8))
        self.signature.draw(c, c.width / 2, self.signature_y, alpha=sign, reveal=sign)
        ctx.restore()


def wrap_lines(text: str, style: T.TextStyle, max_width: float, *, max_lines: int) -> list[str]:
    """Greedy line breaking by measured width; words longer than a line (CJK runs) break by character."""

    def fits(candidate: str) -> bool:
        return bool(T.render_text(candidate, style).get_width() <= max_width)

    words: list[str] = []
    for word in text.split():
        if fits(word):
            words.append(word)
            continue
        piece = ""
        for ch in word:
            if piece and not fits(piece + ch):
                words.append(piece)
                piece = ch
            else:
                piece += ch
        if piece:
            words.append(piece)
    lines: list[str] = []
    current = ""
    for word in words:
        joiner = "" if _is_cjk(word) and _is_cjk(current[-1:]) else " "
        candidate = f"{current}{joiner}{word}" if current else word
        if current and not fits(candidate):
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return lines or [text]


def _is_cjk(text: str) -> bool:
    return bool(text) and 0x2E80 <= ord(text[0]) <= 0x9FFF


SCENES: dict[str, type[Scene]] = {
    "intro": IntroScene,
    "promo": PromoScene,
    "token_reveal": TokenRevealScene,
    "custom": CustomScene,
}


def build_scene(spec: ClipSpec, canvas: L.Canvas) -> Scene:
    return SCENES[spec.video_type](spec, canvas)
