"""One scene per video type, each a timeline of keyframed elements over a composed background.

A scene builds everything expensive once (text, avatar, coin, sprites), lays it out for its frame (landscape,
portrait with room for social UI overlays, square), and declares its motion as `anim.Track`s keyed to the clip's
`Plan` (the same beats and reveal moment the soundtrack follows). `draw(t)` evaluates those tracks: soft light
into the haze, then the background elements, the subject, foreground elements and the text overlay. Every text
box at rest is recorded in `boxes`, so tests can prove nothing is clipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cairocffi as cairo
import numpy as np

from botvideo.engine import anim, brand
from botvideo.engine import elements as E
from botvideo.engine import layers as L
from botvideo.engine import text as T
from botvideo.engine.anim import Key, Track
from botvideo.engine.describe import SceneDescription
from botvideo.engine.plan import Plan, plan_for, scene_prompt_of
from botvideo.engine.spec import ClipSpec


@dataclass(frozen=True)
class TextBox:
    """Where a piece of text rests on the frame (pixels): what the layout promises not to clip."""

    label: str
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class SafeArea:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


def safe_area(canvas: L.Canvas) -> SafeArea:
    """Margins that keep text clear of the edges; 9:16 also keeps clear of the app UI drawn over the video
    (caption and buttons at the bottom and right, the account bar at the top)."""
    w, h = canvas.width, canvas.height
    if canvas.shape == "portrait":
        return SafeArea(w * 0.08, h * 0.11, w * 0.86, h * 0.78)
    side = 0.07 * min(w, h)
    return SafeArea(side, side, w - side, h - side)


class Scene:
    """Static parts built in `__init__`; `draw(t)` composes the frame at `t` seconds into the canvas."""

    hero_fraction = 0.85  # where the poster is taken: the held hero frame

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        self.spec = spec
        self.canvas = canvas
        self.plan: Plan = plan_for(spec)
        self.duration = self.plan.duration
        self.rng = np.random.default_rng(brand.stable_hash(spec.video_type, spec.title, spec.seed) % 2**63)
        self.u = canvas.unit
        self.safe = safe_area(canvas)
        self.boxes: list[TextBox] = []
        self.name = T.clean_text(spec.title, limit=48).rstrip("…") or "Untitled bot"
        self.avatar_image = L.load_avatar(spec.avatar_path, 96)
        self.desc: SceneDescription = self.plan.scene
        prompted = bool(scene_prompt_of(spec))
        self.palette = brand.palette_for(spec, self.avatar_image, self.desc.colors if prompted else ())
        self.back: list[E.Element] = []
        self.front: list[E.Element] = []
        self.key_light: L.Color = self.palette.accent
        self.horizon = 0.66 if canvas.shape == "landscape" else 0.6
        self.vignette = L.Vignette(canvas, strength=0.6)
        self.motes = L.Motes(
            canvas, self.rng, (L.mix(self.palette.accent, (1, 1, 1), 0.5), self.palette.accent2), count=110, size=1.5
        )
        self.push = 0.07 if self.desc.motion != "fast" else 0.11
        self.brightness = Track(Key(0.0, 0.0), Key(min(0.5, self.duration * 0.1), 1.0, anim.ease_out_cubic))
        self.flashes: list[float] = []

    def compose_background(self, subject_x: float) -> None:
        """The prompt's scenery when there is a scene prompt, else a lit studio in the brand's colours."""
        if scene_prompt_of(self.spec):
            self.back, self.front, self.key_light = E.compose(
                self.desc, self.canvas, self.rng, self.palette, self.duration, horizon=self.horizon, subject_x=subject_x
            )
        else:
            p = self.palette
            self.back = [
                E.Sky("night", p, 0.95, tint=0.6),
                E.Glows(self.canvas, self.rng, (p.accent, p.accent2, L.mix(p.accent, p.mid, 0.5)), count=3),
            ]

    def camera(self, t: float) -> L.Camera:
        """A slow push-in over the whole clip plus a handheld drift: the picture never stands still."""
        push = anim.ease_in_out_sine(t / self.duration)
        amp = 7 * self.u * (1.6 if self.desc.motion == "fast" else 1.0)
        return L.Camera(
            zoom=1.0 + self.push * push,
            pan_x=anim.drift(t, 0.3, amplitude=amp),
            pan_y=anim.drift(t, 2.1, amplitude=amp * 0.6),
            roll=anim.drift(t, 4.2, amplitude=0.004),
        )

    def text(
        self,
        label: str,
        value: str,
        style: T.TextStyle,
        box_w: float,
        box_h: float,
        cx: float,
        cy: float,
        *,
        max_lines: int = 2,
        glow: L.Color | None = None,
    ) -> L.TextNode:
        """Fit `value` into a box centred on (cx, cy), set it, and record where it rests."""
        fitted = T.fit_style(value, style, box_w, box_h, max_lines=max_lines)
        node = L.TextNode(value, fitted, glow=glow, glow_radius=fitted.size * 0.2 if glow else 0.0)
        self.boxes.append(TextBox(label, value, *node.box(cx, cy)))
        return node

    def draw(self, t: float) -> None:
        c = self.canvas
        cam = self.camera(t)
        for element in self.back:
            element.draw_haze(c, t, cam)
        for element in self.front:
            element.draw_haze(c, t, cam)
        self.draw_light(t, cam)
        self.vignette.draw(c)
        hctx = c.haze_ctx
        flash = anim.pulse(t, self.flashes, decay=7.0)
        if flash > 0.01:
            hctx.save()
            hctx.set_operator(cairo.OPERATOR_ADD)
            hctx.set_source_rgba(*L.mix(self.palette.accent, (1, 1, 1), 0.6), 0.28 * flash)
            hctx.paint()
            hctx.restore()
        c.present_haze()
        ctx = c.ctx
        for element in self.back:
            element.draw(c, t, cam)
        self.motes.draw(ctx, t, intensity=1.0, pan_x=cam.pan_x * 2)
        ctx.save()
        cam.apply(ctx, c.width, c.height, 1.0)
        self.draw_subject(t, ctx)
        ctx.restore()
        for element in self.front:
            element.draw(c, t, cam)
        self.draw_overlay(t, ctx, cam)
        darkness = 1.0 - self.brightness(t)
        if darkness > 0.004:
            ctx.set_source_rgba(0, 0, 0, darkness)
            ctx.paint()

    def draw_light(self, t: float, cam: L.Camera) -> None:
        """Scene-specific soft light (halos, sweeps, rays) into the haze."""

    def draw_subject(self, t: float, ctx: cairo.Context) -> None:
        """The subject, in camera space."""

    def draw_overlay(self, t: float, ctx: cairo.Context, cam: L.Camera) -> None:
        """Text and graphics in screen space (they drift only slightly, so they never leave the safe area)."""


# --- Character Intro ----------------------------------------------------------------------------------------


class IntroScene(Scene):
    """Darkness, a sweep of light, the avatar emerging with a rim light, the name letter by letter, the tagline,
    then a held hero frame that keeps breathing."""

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        w, h, s = canvas.width, canvas.height, self.safe
        hit = self.plan.hit
        if canvas.shape == "landscape":
            self.center = (w * 0.31, h * 0.5)
            diameter = h * 0.5
            text_cx, text_w = w * 0.665, s.right - w * 0.45
            name_cy, name_h = h * 0.45, h * 0.22
        else:
            self.center = (w * 0.5, s.top + s.height * 0.3)
            diameter = w * (0.56 if canvas.shape == "portrait" else 0.4)
            text_cx, text_w = w * 0.5, s.width
            name_cy = self.center[1] + diameter * 0.5 + min(w, h) * 0.15
            name_h = min(w, h) * 0.17
        self.compose_background(self.center[0])
        self.avatar = L.AvatarCutout(spec.avatar_path, spec.title, self.palette, diameter)
        short = min(w, h)
        self.name_node = self.text(
            "name",
            self.name,
            T.TextStyle(size=short * 0.14, weight=T.DISPLAY_WEIGHT_BOLD),
            text_w,
            name_h,
            text_cx,
            name_cy,
            glow=self.palette.accent,
        )
        self.name_pos = (text_cx, name_cy)
        tagline = brand.tagline_from(spec.instructions, spec.description)
        self.tagline_node: L.TextNode | None = None
        if tagline:
            y = name_cy + self.name_node.text_height / 2 + short * 0.08
            self.tagline_node = self.text(
                "tagline",
                tagline,
                T.TextStyle(size=short * 0.042, weight=T.DISPLAY_WEIGHT_REGULAR, color=self.palette.muted),
                text_w,
                short * 0.12,
                text_cx,
                y,
            )
            self.tagline_pos = (text_cx, y)
        letters = len(self.name_node.shaped.letters)
        self.name_reveal = L.Reveal(hit + 0.3, length=0.55, spread=min(0.6, 0.05 * letters), unit="letter")
        self.tagline_reveal = L.Reveal(hit + 0.95, length=0.6, spread=0.45, unit="word", easing=anim.ease_out_expo)
        self.scale = Track(Key(hit - 0.35, 0.55), Key(hit + 0.7, 1.0, anim.spring))
        self.alpha = Track(Key(hit - 0.35, 0.0), Key(hit + 0.05, 1.0))
        self.sweep = Track(Key(0.1 * hit, 0.0), Key(hit + 0.15, 1.0, anim.ease_in_out_cubic))
        self.brightness = Track(Key(0.0, 0.05), Key(hit * 0.6, 0.45, anim.ease_in_cubic), Key(hit, 1.0))
        self.underline = Track(Key(hit + 0.6, 0.0), Key(hit + 1.3, 1.0, anim.ease_in_out_cubic))
        self.shine = Track(Key(self.duration - 1.5, 0.0), Key(self.duration - 0.6, 1.0, anim.ease_in_out_sine))
        self.flashes = [hit]
        self.sweep_sprite = L.radial_sprite(L.mix(self.palette.accent, (1, 1, 1), 0.45), 128, falloff=1.4)
        self.rays = ray_fan(L.mix(self.palette.accent, (1, 1, 1), 0.25), count=14)
        self.rays_alpha = Track(Key(hit - 0.2, 0.0), Key(hit + 0.4, 0.55), Key(hit + 1.6, 0.32, anim.ease_in_out_sine))

    def draw_light(self, t: float, cam: L.Camera) -> None:
        c = self.canvas
        progress = self.sweep(t)
        if 0.0 < progress < 1.0 or t < self.plan.hit + 0.6:
            # The opening sweep: a tall band of light travelling across the dark frame.
            ctx = c.haze_ctx
            x = -0.3 * c.width + progress * 1.6 * c.width
            ctx.save()
            ctx.set_operator(cairo.OPERATOR_ADD)
            ctx.translate(x, c.height * 0.5)
            ctx.rotate(0.35)
            ctx.scale(c.width * 0.35 / 128, c.height * 2.2 / 128)
            ctx.set_source_surface(self.sweep_sprite, -64, -64)
            ctx.paint_with_alpha(0.55 * math.sin(math.pi * anim.clamp01(progress)))
            ctx.restore()
        cx, cy = self.center
        # Slow-turning rays behind the subject keep the held hero frame alive.
        breathe = 0.8 + 0.2 * math.sin(t * 1.7)
        draw_rays(c, self.rays, cx + cam.pan_x, cy + cam.pan_y, -t * 0.22, self.rays_alpha(t) * breathe, 1.1)
        self.avatar.draw_glow(
            c, cx + cam.pan_x, cy + cam.pan_y, self.scale(t), self.alpha(t) * (0.8 + 0.2 * math.sin(t * 1.3))
        )

    def draw_subject(self, t: float, ctx: cairo.Context) -> None:
        cx, cy = self.center
        float_y = math.sin(t * 0.9) * 6 * self.u
        self.avatar.draw(ctx, cx, cy + float_y, scale=self.scale(t), alpha=self.alpha(t), rim_angle=-2.3 + 0.6 * t)

    def draw_overlay(self, t: float, ctx: cairo.Context, cam: L.Camera) -> None:
        # Text floats at a third of the camera's drift: a parallax step in front of the background.
        dx, dy = cam.pan_x * 0.3, cam.pan_y * 0.3
        nx, ny = self.name_pos
        self.name_node.draw(ctx, nx + dx, ny + dy, t, self.name_reveal)
        line = self.underline(t)
        if line > 0:
            half = self.name_node.text_width * 0.32 * line
            y = ny + dy + self.name_node.text_height / 2 + 10 * self.u
            gradient = cairo.LinearGradient(nx + dx - half, y, nx + dx + half, y)
            gradient.add_color_stop_rgba(0, *self.palette.accent, 0)
            gradient.add_color_stop_rgba(0.5, *L.mix(self.palette.accent, (1, 1, 1), 0.3), 0.95)
            gradient.add_color_stop_rgba(1, *self.palette.accent, 0)
            ctx.set_source(gradient)
            ctx.rectangle(nx + dx - half, y, 2 * half, max(2.0, 3 * self.u))
            ctx.fill()
        if self.tagline_node is not None:
            tx, ty = self.tagline_pos
            self.tagline_node.draw(ctx, tx + dx, ty + dy, t, self.tagline_reveal)
        shine = self.shine(t)
        if 0 < shine < 1:
            _shine_over(ctx, self.name_node, nx + dx, ny + dy, shine)


def _shine_over(ctx: cairo.Context, node: L.TextNode, cx: float, cy: float, progress: float) -> None:
    """A glint travelling across a title, masked by the title's own letters."""
    x0 = cx - node.text_width / 2
    y0 = cy - node.text_height / 2
    band = node.text_width * 0.18
    x = x0 - band + progress * (node.text_width + 2 * band)
    gradient = cairo.LinearGradient(x - band, y0, x + band, y0 + node.text_height * 0.3)
    gradient.add_color_stop_rgba(0, 1, 1, 1, 0)
    gradient.add_color_stop_rgba(0.5, 1, 1, 1, 0.8)
    gradient.add_color_stop_rgba(1, 1, 1, 1, 0)
    ctx.save()
    ctx.set_source(gradient)
    ctx.mask_surface(node.shaped.surface, round(x0), round(y0))
    ctx.restore()


# --- Promotional --------------------------------------------------------------------------------------------


def _rounded_rect(ctx: cairo.Context, x: float, y: float, w: float, h: float, r: float) -> None:
    r = min(r, w / 2, h / 2)
    ctx.new_sub_path()
    ctx.arc(x + w - r, y + r, r, -math.pi / 2, 0)
    ctx.arc(x + w - r, y + h - r, r, 0, math.pi / 2)
    ctx.arc(x + r, y + h - r, r, math.pi / 2, math.pi)
    ctx.arc(x + r, y + r, r, math.pi, 3 * math.pi / 2)
    ctx.close_path()


def draw_icon(ctx: cairo.Context, icon: str, cx: float, cy: float, size: float, color: L.Color) -> None:
    """A line icon in a circle: chart, shield, bolt, chat, globe, bell, spark or star."""
    ctx.save()
    ctx.translate(cx, cy)
    ctx.arc(0, 0, size * 0.5, 0, math.tau)
    ctx.set_source_rgba(*color, 0.16)
    ctx.fill()
    ctx.set_source_rgb(*color)
    ctx.set_line_width(size * 0.06)
    ctx.set_line_cap(cairo.LINE_CAP_ROUND)
    ctx.set_line_join(cairo.LINE_JOIN_ROUND)
    s = size * 0.22
    if icon == "chart":
        for i, hgt in enumerate((0.5, 0.9, 0.7, 1.3)):
            ctx.rectangle(-s + i * s * 0.55, s - hgt * s, s * 0.32, hgt * s)
        ctx.fill()
    elif icon == "shield":
        ctx.move_to(0, -s * 1.1)
        ctx.curve_to(s * 0.6, -s * 0.8, s, -s * 0.8, s, -s * 0.7)
        ctx.curve_to(s, s * 0.3, s * 0.4, s * 0.9, 0, s * 1.1)
        ctx.curve_to(-s * 0.4, s * 0.9, -s, s * 0.3, -s, -s * 0.7)
        ctx.curve_to(-s, -s * 0.8, -s * 0.6, -s * 0.8, 0, -s * 1.1)
        ctx.stroke()
        ctx.move_to(-s * 0.4, 0)
        ctx.line_to(-s * 0.1, s * 0.3)
        ctx.line_to(s * 0.45, -s * 0.3)
        ctx.stroke()
    elif icon == "bolt":
        for x, y in ((0.2, -1.2), (-0.6, 0.15), (0.0, 0.15), (-0.2, 1.2), (0.6, -0.15), (0.0, -0.15)):
            ctx.line_to(x * s, y * s)
        ctx.close_path()
        ctx.fill()
    elif icon == "chat":
        _rounded_rect(ctx, -s * 1.1, -s * 0.8, s * 2.2, s * 1.4, s * 0.4)
        ctx.move_to(-s * 0.5, s * 0.6)
        ctx.line_to(-s * 0.7, s * 1.1)
        ctx.line_to(-s * 0.1, s * 0.6)
        ctx.stroke()
        for x in (-0.5, 0.0, 0.5):
            ctx.arc(x * s, -s * 0.1, s * 0.1, 0, math.tau)
            ctx.fill()
    elif icon == "globe":
        ctx.arc(0, 0, s, 0, math.tau)
        ctx.stroke()
        ctx.save()
        ctx.scale(0.45, 1)
        ctx.arc(0, 0, s, 0, math.tau)
        ctx.restore()
        ctx.stroke()
        ctx.move_to(-s, 0)
        ctx.line_to(s, 0)
        ctx.stroke()
    elif icon == "bell":
        ctx.move_to(-s * 0.9, s * 0.6)
        ctx.curve_to(-s * 0.6, s * 0.2, -s * 0.8, -s, 0, -s)
        ctx.curve_to(s * 0.8, -s, s * 0.6, s * 0.2, s * 0.9, s * 0.6)
        ctx.close_path()
        ctx.stroke()
        ctx.arc(0, s * 0.85, s * 0.2, 0, math.tau)
        ctx.fill()
    else:
        points = 5 if icon == "star" else 4
        for k in range(points * 2 + 1):
            radius = s * (1.15 if k % 2 == 0 else (0.45 if icon == "star" else 0.25))
            angle = k / (points * 2) * math.tau - math.pi / 2
            ctx.line_to(math.cos(angle) * radius, math.sin(angle) * radius)
        ctx.close_path()
        ctx.fill()
    ctx.restore()


class Card:
    """A capability card: a frosted panel filled by its icon and a short phrase, set as large as it fits."""

    def __init__(self, scene: Scene, index: int, phrase: str, x: float, y: float, w: float, h: float) -> None:
        p = scene.palette
        self.x, self.y, self.w, self.h = x, y, w, h
        pad = int(24 * scene.u)
        self.pad = pad
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, int(w) + 2 * pad, int(h) + 2 * pad)
        ctx = cairo.Context(self.surface)
        ctx.translate(pad, pad)
        radius = min(w, h) * 0.09
        _rounded_rect(ctx, 0, 0, w, h, radius)
        fill = cairo.LinearGradient(0, 0, w, h)
        fill.add_color_stop_rgba(0, *L.mix(p.mid, (1, 1, 1), 0.14), 0.9)
        fill.add_color_stop_rgba(1, *L.mix(p.deep, p.mid, 0.4), 0.92)
        ctx.set_source(fill)
        ctx.fill_preserve()
        border = cairo.LinearGradient(0, 0, w, h)
        border.add_color_stop_rgba(0, *L.mix(p.accent, (1, 1, 1), 0.3), 0.95)
        border.add_color_stop_rgba(1, *p.accent2, 0.2)
        ctx.set_source(border)
        ctx.set_line_width(max(1.5, 2.5 * scene.u))
        ctx.stroke()
        horizontal = w > h * 1.6
        icon_size = min(h * 0.62, w * 0.3) if horizontal else min(w * 0.42, h * 0.36)
        inset = min(w, h) * 0.1
        if horizontal:
            icon_c = (inset + icon_size / 2, h / 2)
            box = (icon_size + inset * 2, inset, w - icon_size - inset * 3, h - 2 * inset)
        else:
            icon_c = (w / 2, inset + icon_size / 2)
            box = (inset, icon_size + inset * 1.6, w - 2 * inset, h - icon_size - inset * 2.6)
        draw_icon(ctx, brand.icon_for(phrase, index), icon_c[0], icon_c[1], icon_size, L.mix(p.accent, (1, 1, 1), 0.2))
        style = T.TextStyle(
            size=min(w, h) * 0.2, weight=T.DISPLAY_WEIGHT_BOLD, align="left" if horizontal else "center"
        )
        fitted = T.fit_style(phrase, style, box[2], box[3], max_lines=3)
        text = T.render_text(phrase, fitted)
        tx = box[0] + (0 if horizontal else (box[2] - text.get_width()) / 2)
        ty = box[1] + (box[3] - text.get_height()) / 2
        ctx.set_source_surface(text, round(tx), round(ty))
        ctx.paint()
        self.surface.flush()
        scene.boxes.append(
            TextBox(f"card{index + 1}", phrase, x + tx, y + ty, x + tx + text.get_width(), y + ty + text.get_height())
        )

    def draw(self, ctx: cairo.Context, scale: float, alpha: float, dy: float) -> None:
        if alpha <= 0.01:
            return
        ctx.save()
        cx, cy = self.x + self.w / 2, self.y + self.h / 2 + dy
        ctx.translate(cx, cy)
        ctx.scale(scale, scale)
        ctx.set_source_surface(self.surface, -self.w / 2 - self.pad, -self.h / 2 - self.pad)
        ctx.paint_with_alpha(anim.clamp01(alpha))
        ctx.restore()


class PromoScene(Scene):
    """Cut to the beat: a hook line, three capability cards, the avatar, a call to action and an end card."""

    hero_fraction = 0.9

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        w, h, s = canvas.width, canvas.height, self.safe
        short = min(w, h)
        cuts = list(self.plan.cuts)
        while len(cuts) < 7:
            cuts.append(cuts[-1] + self.plan.beat)
        self.cuts = cuts
        self.flashes = cuts[1:]
        self.compose_background(w * 0.5)
        p = self.palette
        hook = brand.tagline_from(spec.instructions, spec.description) or f"Meet {self.name}"
        self.hook = self.text(
            "hook",
            hook,
            T.TextStyle(size=short * 0.1),
            s.width * 0.92,
            s.height * 0.5,
            w / 2,
            h / 2,
            max_lines=3,
            glow=p.accent,
        )
        items = brand.capabilities_from(spec.description, spec.instructions, 3)
        for default in brand.DEFAULT_CAPABILITIES:
            if len(items) < 3:
                items.append(default)
        gap = short * 0.035
        self.cards: list[Card] = []
        if canvas.shape == "landscape":
            card_w = (s.width - 2 * gap) / 3
            card_h = s.height * 0.86
            for i, phrase in enumerate(items):
                self.cards.append(
                    Card(self, i, phrase, s.left + i * (card_w + gap), s.top + s.height * 0.07, card_w, card_h)
                )
        else:
            card_h = (s.height - 2 * gap) / 3
            for i, phrase in enumerate(items):
                self.cards.append(Card(self, i, phrase, s.left, s.top + i * (card_h + gap), s.width, card_h))
        diameter = short * 0.5
        self.avatar = L.AvatarCutout(spec.avatar_path, spec.title, p, diameter)
        self.avatar_center = (w / 2, s.top + s.height * 0.42)
        self.avatar_name = self.text(
            "avatar-name",
            self.name,
            T.TextStyle(size=short * 0.08),
            s.width,
            short * 0.13,
            w / 2,
            self.avatar_center[1] + diameter * 0.5 + short * 0.1,
            glow=p.accent,
        )
        headline, handle = brand.call_to_action(spec, self.name)
        self.cta = self.text(
            "cta", headline, T.TextStyle(size=short * 0.13), s.width, s.height * 0.35, w / 2, h * 0.45, glow=p.accent
        )
        self.handle_text = handle or "Chat now →"
        pill_y = h * 0.45 + self.cta.text_height / 2 + short * 0.1
        self.handle = self.text(
            "handle",
            self.handle_text,
            T.TextStyle(size=short * 0.05, color=p.deep),
            s.width * 0.8,
            short * 0.08,
            w / 2,
            pill_y,
            max_lines=1,
        )
        self.handle_pos = (w / 2, pill_y)
        end_d = short * 0.3
        self.end_avatar_center = (w / 2, s.top + s.height * 0.36)
        self.end_avatar = L.AvatarCutout(spec.avatar_path, spec.title, p, end_d)
        end_name_y = self.end_avatar_center[1] + end_d / 2 + short * 0.1
        self.end_name = self.text(
            "end-name",
            self.name,
            T.TextStyle(size=short * 0.09),
            s.width,
            short * 0.14,
            w / 2,
            end_name_y,
            glow=p.accent,
        )
        self.end_line_y = end_name_y + self.end_name.text_height / 2 + short * 0.06
        self.end_line = self.text(
            "end-line",
            handle or headline,
            T.TextStyle(size=short * 0.045, color=p.muted, weight=T.DISPLAY_WEIGHT_REGULAR),
            s.width,
            short * 0.08,
            w / 2,
            self.end_line_y,
            max_lines=1,
        )
        self.brightness = Track(Key(0.0, 0.3), Key(0.25, 1.0))

    def section(self, t: float) -> tuple[int, float]:
        """Which section plays at `t` (0 hook, 1-3 cards, 4 avatar, 5 call to action, 6 end) and since when."""
        index = 0
        for i, cut in enumerate(self.cuts[:7]):
            if t >= cut:
                index = i
        return index, t - self.cuts[index]

    def camera(self, t: float) -> L.Camera:
        base = super().camera(t)
        # A small punch-in on every cut, decaying: the edit is felt on the beat.
        bump = 0.035 * anim.pulse(t, self.flashes, decay=5.0)
        return replace(base, zoom=base.zoom + bump)

    def draw_light(self, t: float, cam: L.Camera) -> None:
        index, _ = self.section(t)
        if index in (4, 6):
            cx, cy = self.avatar_center if index == 4 else self.end_avatar_center
            avatar = self.avatar if index == 4 else self.end_avatar
            avatar.draw_glow(self.canvas, cx, cy, 1.0, 0.9)

    def draw_subject(self, t: float, ctx: cairo.Context) -> None:
        index, since = self.section(t)
        if index == 4:
            grow = anim.spring(since / 0.6)
            cx, cy = self.avatar_center
            self.avatar.draw(ctx, cx, cy, scale=0.6 + 0.4 * grow, alpha=anim.clamp01(since / 0.12), rim_angle=-2.2 + t)

    def draw_overlay(self, t: float, ctx: cairo.Context, cam: L.Camera) -> None:
        index, since = self.section(t)
        w, h = self.canvas.width, self.canvas.height
        if index == 0:
            self.hook.draw(
                ctx, w / 2, h / 2, t, L.Reveal(0.05, length=0.4, spread=min(0.5, self.cuts[1] * 0.4), unit="word")
            )
        elif 1 <= index <= 3:
            for i, card in enumerate(self.cards[:index]):
                age = t - self.cuts[1 + i]
                pop = anim.ease_out_back(age / 0.35)
                card.draw(
                    ctx,
                    0.85 + 0.15 * pop,
                    anim.clamp01(age / 0.12),
                    (1 - pop) * 40 * self.u + math.sin(t * 1.4 + i) * 3 * self.u,
                )
        elif index == 4:
            ax, ay = self.avatar_center[0], self.avatar_center[1] + self.avatar.diameter * 0.5 + min(w, h) * 0.1
            self.avatar_name.draw(ctx, ax, ay, t, L.Reveal(self.cuts[4] + 0.1, length=0.4, spread=0.3, unit="letter"))
        elif index == 5:
            self.cta.draw(ctx, w / 2, h * 0.45, t, L.Reveal(self.cuts[5], length=0.4, spread=0.2, unit="word"))
            self._draw_pill(ctx, since)
        else:
            grow = anim.spring(since / 0.7)
            cx, cy = self.end_avatar_center
            ctx.save()
            cam.apply(ctx, w, h, 0.6)
            self.end_avatar.draw(
                ctx, cx, cy, scale=0.7 + 0.3 * grow, alpha=anim.clamp01(since / 0.15), rim_angle=-2.0 + t * 0.8
            )
            ctx.restore()
            self.end_name.draw(
                ctx,
                w / 2,
                self.end_avatar_center[1] + self.end_avatar.diameter / 2 + min(w, h) * 0.1,
                t,
                L.Reveal(self.cuts[6] + 0.15, length=0.5, spread=0.35, unit="letter"),
            )
            self.end_line.draw(
                ctx, w / 2, self.end_line_y, t, L.Reveal(self.cuts[6] + 0.45, length=0.5, spread=0.2, unit="word")
            )

    def _draw_pill(self, ctx: cairo.Context, since: float) -> None:
        grow = anim.ease_out_back(anim.clamp01((since - 0.15) / 0.35))
        if grow <= 0:
            return
        cx, cy = self.handle_pos
        pw = (self.handle.text_width + 60 * self.u) * grow
        ph = self.handle.text_height + 24 * self.u
        _rounded_rect(ctx, cx - pw / 2, cy - ph / 2, pw, ph, ph / 2)
        gradient = cairo.LinearGradient(cx - pw / 2, cy, cx + pw / 2, cy)
        gradient.add_color_stop_rgb(0, *L.mix(self.palette.accent, (1, 1, 1), 0.25))
        gradient.add_color_stop_rgb(1, *self.palette.accent2)
        ctx.set_source(gradient)
        ctx.fill()
        if grow >= 0.95:
            self.handle.draw(ctx, cx, cy, since, L.Reveal(0.0, length=0.01, unit="line"))


# --- Token Launch -------------------------------------------------------------------------------------------


def ray_fan(color: L.Color, count: int = 18) -> cairo.ImageSurface:
    """Light rays fanning from a centre, drawn anti-aliased at 512 px and blurred once: smooth edges at any
    scale, even after the haze's 4x blow-up."""

    def fan(ctx: cairo.Context) -> None:
        ctx.translate(256, 256)
        fade = cairo.RadialGradient(0, 0, 10, 0, 0, 250)
        fade.add_color_stop_rgba(0, *color, 0.9)
        fade.add_color_stop_rgba(0.5, *color, 0.3)
        fade.add_color_stop_rgba(1, *color, 0.0)
        ctx.set_source(fade)
        for i in range(count):
            direction = i / count * math.tau
            spread = math.tau / count * (0.22 if i % 2 else 0.1)
            ctx.move_to(0, 0)
            ctx.arc(0, 0, 250, direction - spread, direction + spread)
            ctx.close_path()
        ctx.fill()

    return L.blurred_sprite(fan, (512, 512), 5)


def draw_rays(
    canvas: L.Canvas, rays: cairo.ImageSurface, cx: float, cy: float, angle: float, alpha: float, reach: float
) -> None:
    """The ray fan turned to `angle`, added into the haze, `reach` times the frame's long side across."""
    if alpha <= 0.01:
        return
    ctx = canvas.haze_ctx
    size = max(canvas.width, canvas.height) * reach
    ctx.save()
    ctx.set_operator(cairo.OPERATOR_ADD)
    ctx.translate(cx, cy)
    ctx.rotate(angle)
    ctx.scale(size / 512, size / 512)
    ctx.set_source_surface(rays, -256, -256)
    ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
    ctx.paint_with_alpha(min(1.0, alpha))
    ctx.restore()


GOLD_BRIGHT = L.hex_color("fff3c4")
GOLD = L.hex_color("f2b632")
GOLD_DARK = L.hex_color("8a5a00")
GOLD_EDGE = L.hex_color("5e3c00")


class Coin:
    """A gold coin: the ticker embossed whole on its face (fitted to the inner ring), the bot's avatar on the
    back; spun in 3-D by a horizontal squash with a visible rim."""

    def __init__(self, ticker: str, scene: Scene, diameter: float) -> None:
        size = int(diameter)
        self.size = size
        r = size / 2
        self.face = self._blank(size)
        ctx = cairo.Context(self.face)
        inner = r * 0.74
        style = T.TextStyle(size=size * 0.36, weight=T.DISPLAY_WEIGHT_BOLD)
        fitted = T.fit_style(ticker, style, inner * 1.55, inner * 1.2, max_lines=2)
        dark = T.render_text(ticker, replace(fitted, color=L.mix(GOLD_DARK, (0, 0, 0), 0.45)))
        light = T.render_text(ticker, replace(fitted, color=GOLD_BRIGHT))
        x = (size - dark.get_width()) / 2
        y = (size - dark.get_height()) / 2
        ctx.set_source_surface(light, x - size * 0.005, y - size * 0.005)
        ctx.paint_with_alpha(0.75)
        ctx.set_source_surface(dark, x, y)
        ctx.paint()
        self.face.flush()
        self.ticker_box = (x, y, dark.get_width(), dark.get_height())
        self.back = self._blank(size)
        ctx = cairo.Context(self.back)
        avatar = L.AvatarCutout(scene.spec.avatar_path, scene.spec.title, scene.palette, inner * 1.6)
        ctx.translate(r, r)
        ctx.scale(1.0, 1.0)
        avatar.draw(ctx, 0, 0, scale=1.0, alpha=0.95, rim_angle=-2.3)
        self.back.flush()
        self.sweep = L.mix(GOLD_BRIGHT, (1, 1, 1), 0.5)

    @staticmethod
    def _blank(size: int) -> cairo.ImageSurface:
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
        ctx = cairo.Context(surface)
        r = size / 2
        metal = cairo.RadialGradient(r * 0.65, r * 0.55, r * 0.05, r, r, r)
        metal.add_color_stop_rgb(0, *GOLD_BRIGHT)
        metal.add_color_stop_rgb(0.5, *GOLD)
        metal.add_color_stop_rgb(1, *GOLD_DARK)
        ctx.arc(r, r, r - 0.5, 0, math.tau)
        ctx.set_source(metal)
        ctx.fill()
        for radius, width, shade in ((r * 0.93, r * 0.04, 0.55), (r * 0.8, r * 0.018, 0.45)):
            ctx.arc(r, r, radius, 0, math.tau)
            ctx.set_line_width(width)
            ctx.set_source_rgba(*GOLD_DARK, shade)
            ctx.stroke()
        # Milled edge: fine ticks around the rim.
        for k in range(90):
            angle = k / 90 * math.tau
            ctx.move_to(r + math.cos(angle) * r * 0.955, r + math.sin(angle) * r * 0.955)
            ctx.line_to(r + math.cos(angle) * r * 0.995, r + math.sin(angle) * r * 0.995)
        ctx.set_line_width(max(1.0, r * 0.012))
        ctx.set_source_rgba(*GOLD_EDGE, 0.5)
        ctx.stroke()
        return surface

    def draw(
        self, ctx: cairo.Context, cx: float, cy: float, angle: float, scale: float, alpha: float, shine: float
    ) -> None:
        if alpha <= 0.01 or scale <= 0.01:
            return
        squash = max(0.03, abs(math.cos(angle)))
        r = self.size / 2
        thickness = r * 0.1 * math.sin(angle)
        ctx.save()
        ctx.translate(cx, cy)
        ctx.scale(scale, scale)
        for step in (1.0, 0.75, 0.5, 0.25):
            ctx.save()
            ctx.translate(thickness * step, 0)
            ctx.scale(squash, 1)
            ctx.arc(0, 0, r, 0, math.tau)
            ctx.restore()
            ctx.set_source_rgba(*L.mix(GOLD_EDGE, GOLD, 0.4 * step), alpha)
            ctx.fill()
        ctx.save()
        ctx.scale(squash, 1)
        ctx.set_source_surface(self.face if math.cos(angle) >= 0 else self.back, -r, -r)
        ctx.get_source().set_filter(cairo.FILTER_BILINEAR)
        ctx.paint_with_alpha(alpha)
        if 0 < shine < 1:
            ctx.arc(0, 0, r * 0.99, 0, math.tau)
            ctx.clip()
            x = -r * 1.6 + shine * r * 3.2
            band = cairo.LinearGradient(x - r * 0.3, -r, x + r * 0.3, r)
            band.add_color_stop_rgba(0, *self.sweep, 0)
            band.add_color_stop_rgba(0.5, *self.sweep, 0.6 * alpha)
            band.add_color_stop_rgba(1, *self.sweep, 0)
            ctx.set_source(band)
            ctx.set_operator(cairo.OPERATOR_ADD)
            ctx.paint()
        ctx.restore()
        ctx.restore()


class TokenRevealScene(Scene):
    """Sparks gather, a flash forms the coin, it spins and settles facing the camera behind smooth rays; then
    "$TICKER" and the token's name, and an end card."""

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        if not (scene_prompt_of(spec) or spec.avatar_path):
            # A token reads as gold unless the brand (avatar or scene prompt) says otherwise.
            self.palette = brand.palette_from_hue(0.11, 0.07, 0.85)
        w, h, s = canvas.width, canvas.height, self.safe
        short = min(w, h)
        hit = self.plan.hit
        self.hit = hit
        self.settle = min(self.duration - 1.2, hit + 0.42 * self.duration)
        portrait = canvas.shape == "portrait"
        diameter = short * (0.62 if portrait else 0.5)
        self.center = (w / 2, s.top + s.height * (0.36 if portrait else 0.4))
        self.compose_background(w / 2)
        self.ticker = brand.token_ticker(spec)
        self.coin = Coin(self.ticker, self, diameter)
        fx, fy, fw, fh = self.coin.ticker_box
        # The coin's face ticker rests at the coin's size (scale 1) once settled.
        cx, cy = self.center
        self.boxes.append(
            TextBox(
                "coin-ticker",
                self.ticker,
                cx - diameter / 2 + fx,
                cy - diameter / 2 + fy,
                cx - diameter / 2 + fx + fw,
                cy - diameter / 2 + fy + fh,
            )
        )
        title_y = cy + diameter / 2 + short * 0.12
        self.title = self.text(
            "ticker",
            f"${self.ticker}",
            T.TextStyle(size=short * 0.12),
            s.width,
            short * 0.14,
            w / 2,
            title_y,
            max_lines=2,
            glow=self.palette.accent,
        )
        self.title_y = title_y
        token_name = T.clean_text(spec.token_name or f"{self.name} Token", limit=48).rstrip("…")
        self.sub_y = title_y + self.title.text_height / 2 + short * 0.05
        self.subtitle = self.text(
            "token-name",
            token_name,
            T.TextStyle(size=short * 0.05, color=self.palette.muted, weight=T.DISPLAY_WEIGHT_SEMIBOLD),
            s.width,
            short * 0.08,
            w / 2,
            self.sub_y,
        )
        self.by_y = min(s.bottom - short * 0.03, self.sub_y + self.subtitle.text_height / 2 + short * 0.06)
        self.byline = self.text(
            "byline",
            f"by {self.name}",
            T.TextStyle(size=short * 0.032, color=self.palette.muted, weight=T.DISPLAY_WEIGHT_REGULAR),
            s.width,
            short * 0.05,
            w / 2,
            self.by_y,
            max_lines=1,
        )
        self.flashes = [hit]
        turns = 3 if self.settle - hit > 1.2 else 2
        self.spin = Track(Key(hit, -turns * math.tau + 0.0), Key(self.settle, 0.0, anim.ease_out_cubic))
        self.coin_scale = Track(Key(hit - 0.1, 0.2), Key(hit + 0.6, 1.0, anim.spring))
        self.brightness = Track(Key(0.0, 0.55), Key(hit, 1.0, anim.ease_in_cubic))
        self.rays = ray_fan(L.mix(self.palette.accent, (1, 0.95, 0.8), 0.4))
        self.coin_sprite = L.radial_sprite(L.mix(self.palette.accent, GOLD, 0.5), 128, falloff=1.5)
        self.rays_alpha = Track(Key(hit * 0.4, 0.0), Key(hit, 0.9, anim.ease_in_cubic), Key(hit + 0.8, 0.6))
        count = 260
        self.spark_angle = self.rng.uniform(0, math.tau, count)
        self.spark_radius = self.rng.uniform(0.5, 1.0, count) * max(w, h) * 0.75
        self.spark_size = np.maximum(1.2, self.rng.uniform(1.5, 4.0, count) * self.u)
        self.spark_delay = self.rng.uniform(0, 0.35, count)
        self.burst = self.rng.uniform(0.3, 1.0, count) * short * 0.8

    def draw_light(self, t: float, cam: L.Camera) -> None:
        c = self.canvas
        alpha = self.rays_alpha(t) * (0.85 + 0.15 * math.sin(t * 2.0))
        draw_rays(c, self.rays, self.center[0] + cam.pan_x, self.center[1] + cam.pan_y, t * 0.18, alpha, 1.5)
        self.coin_glow(t)

    def coin_glow(self, t: float) -> None:
        if t < self.hit - 0.4:
            return
        c = self.canvas
        sprite = self.coin_sprite
        d = self.coin.size * 2.6 * self.coin_scale(t)
        ctx = c.haze_ctx
        ctx.save()
        ctx.set_operator(cairo.OPERATOR_ADD)
        ctx.translate(self.center[0] - d / 2, self.center[1] - d / 2)
        ctx.scale(d / 128, d / 128)
        ctx.set_source_surface(sprite, 0, 0)
        ctx.paint_with_alpha(0.7)
        ctx.restore()

    def draw_subject(self, t: float, ctx: cairo.Context) -> None:
        cx, cy = self.center
        hit = self.hit
        # Build-up: sparks spiral in (a damped orbit) and vanish into the coin at the hit; then burst outwards.
        if t < hit:
            progress = anim.clamp01(t / hit)
            k = np.clip((progress - self.spark_delay) / (1 - self.spark_delay), 0, 1)
            radius = self.spark_radius * (1 - anim.ease_in_cubic(1.0) * k**1.6)
            angle = self.spark_angle + k * 2.4
            xs, ys = cx + np.cos(angle) * radius, cy + np.sin(angle) * radius
            alpha = 0.35 + 0.6 * float(progress)
        else:
            age = t - hit
            travel = self.burst * (1 - math.exp(-age * 2.5))
            xs = cx + np.cos(self.spark_angle) * (self.coin.size * 0.5 + travel)
            ys = cy + np.sin(self.spark_angle) * (self.coin.size * 0.5 + travel) + 60 * self.u * age**2
            alpha = 0.9 * math.exp(-age * 1.4)
        if alpha > 0.02:
            for x, y, r in zip(xs, ys, self.spark_size, strict=True):
                ctx.move_to(float(x) + float(r), float(y))
                ctx.arc(float(x), float(y), float(r), 0, math.tau)
            ctx.set_source_rgba(*L.mix(GOLD_BRIGHT, self.palette.accent, 0.3), alpha)
            ctx.fill()
        if t >= hit - 0.1:
            wobble = (
                0.18 * math.exp(-(t - self.settle) * 3.5) * math.sin((t - self.settle) * 9) if t > self.settle else 0.0
            )
            float_y = math.sin(t * 1.1) * 5 * self.u
            shine = anim.window(t, self.duration - 1.3, 0.9, anim.ease_in_out_sine)
            self.coin.draw(
                ctx,
                cx,
                cy + float_y,
                self.spin(t) + wobble,
                self.coin_scale(t),
                anim.clamp01((t - hit + 0.1) / 0.15),
                shine,
            )

    def draw_overlay(self, t: float, ctx: cairo.Context, cam: L.Camera) -> None:
        w = self.canvas.width
        dx = cam.pan_x * 0.3
        self.title.draw(
            ctx, w / 2 + dx, self.title_y, t, L.Reveal(self.settle - 0.3, length=0.5, spread=0.35, unit="letter")
        )
        self.subtitle.draw(
            ctx,
            w / 2 + dx,
            self.sub_y,
            t,
            L.Reveal(self.settle + 0.15, length=0.5, spread=0.3, unit="word", easing=anim.ease_out_expo),
        )
        self.byline.draw(
            ctx, w / 2 + dx, self.by_y, t, L.Reveal(self.settle + 0.5, length=0.5, unit="line"), alpha=0.85
        )


# --- Custom -------------------------------------------------------------------------------------------------


class CustomScene(Scene):
    """The prompt as a place: composed from procedural elements, the bot's avatar as the subject unless the
    prompt names one (a planet, the moon, the sun). The prompt's words are never drawn."""

    def __init__(self, spec: ClipSpec, canvas: L.Canvas) -> None:
        super().__init__(spec, canvas)
        w, h = canvas.width, canvas.height
        short = min(w, h)
        hit = self.plan.hit
        portrait = canvas.shape == "portrait"
        self.center = (w * 0.5, h * (0.4 if portrait else 0.42))
        diameter = short * (0.5 if portrait else 0.36)
        self.compose_background(self.center[0])
        self.has_subject = self.desc.subject == "avatar"
        self.avatar = L.AvatarCutout(spec.avatar_path, spec.title, self.palette, diameter)
        self.scale = Track(Key(hit - 0.3, 0.5), Key(hit + 0.8, 1.0, anim.spring))
        self.alpha = Track(Key(hit - 0.3, 0.0), Key(hit + 0.2, 1.0))
        self.brightness = Track(Key(0.0, 0.0), Key(min(0.8, hit), 1.0, anim.ease_out_cubic))
        self.flashes = [hit] if self.desc.mood in ("epic", "energetic") else []
        sig_y = self.safe.bottom - short * 0.05
        self.signature = self.text(
            "signature",
            self.name,
            T.TextStyle(size=short * 0.045, weight=T.DISPLAY_WEIGHT_SEMIBOLD),
            self.safe.width * 0.8,
            short * 0.08,
            w / 2,
            sig_y,
            max_lines=1,
        )
        self.signature_y = sig_y
        self.push = {"slow": 0.05, "drift": 0.08, "fast": 0.14}[self.desc.motion]

    def draw_light(self, t: float, cam: L.Camera) -> None:
        if self.has_subject:
            cx, cy = self.center
            self.avatar.draw_glow(self.canvas, cx + cam.pan_x, cy + cam.pan_y, self.scale(t), self.alpha(t))

    def draw_subject(self, t: float, ctx: cairo.Context) -> None:
        if not self.has_subject:
            return
        cx, cy = self.center
        float_y = math.sin(t * 0.8) * 8 * self.u
        angle = math.atan2(-1, -0.6) + 0.3 * math.sin(t * 0.5)
        self.avatar.draw(ctx, cx, cy + float_y, scale=self.scale(t), alpha=self.alpha(t), rim_angle=angle)

    def draw_overlay(self, t: float, ctx: cairo.Context, cam: L.Camera) -> None:
        start = self.duration - min(1.6, self.duration * 0.35)
        self.signature.draw(
            ctx,
            self.canvas.width / 2,
            self.signature_y,
            t,
            L.Reveal(start, length=0.6, spread=0.3, unit="letter", easing=anim.ease_out_expo),
            alpha=0.9,
        )


SCENES: dict[str, type[Scene]] = {
    "intro": IntroScene,
    "promo": PromoScene,
    "token_reveal": TokenRevealScene,
    "custom": CustomScene,
}


def build_scene(spec: ClipSpec, canvas: L.Canvas) -> Scene:
    return SCENES[spec.video_type](spec, canvas)
