"""Text bitmaps for the scenes: shaped, bidi-aware, with font fallback for emoji and CJK, plus a soft glow.

Pango (through cffi, on the system's libpango/libpangocairo) is the first choice: it resolves a font per
character through fontconfig, so a name mixing Latin, Arabic, CJK and emoji renders with the right font for
each run, in the right direction, with colour emoji. If the Pango libraries cannot be loaded we fall back to
Pillow with raqm (shaping and bidi, one font), and a missing glyph shows as a box rather than failing.
Text is drawn once per clip; frames only paint the cached surface.
"""

from __future__ import annotations

import ctypes.util
import functools
from dataclasses import dataclass, replace
from typing import Any

import cairocffi as cairo
import cffi  # type: ignore[import-untyped]
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Families in order of preference; fontconfig fills in anything they lack (CJK, emoji, other scripts).
SANS_FAMILIES = "Noto Sans, DejaVu Sans, Noto Sans CJK SC"
DISPLAY_WEIGHT_BOLD = 700
DISPLAY_WEIGHT_SEMIBOLD = 600
DISPLAY_WEIGHT_REGULAR = 400

_PANGO_SCALE = 1024
_PANGO_WRAP_WORD_CHAR = 2
_PANGO_ELLIPSIZE_END = 3
_PANGO_ALIGN = {"left": 0, "center": 1, "right": 2}

_PANGO_CDEF = """
typedef struct _cairo cairo_t;
typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;
typedef struct { int x; int y; int width; int height; } PangoRectangle;
PangoLayout *pango_cairo_create_layout (cairo_t *cr);
void pango_cairo_show_layout (cairo_t *cr, PangoLayout *layout);
void pango_layout_set_text (PangoLayout *layout, const char *text, int length);
void pango_layout_set_font_description (PangoLayout *layout, const PangoFontDescription *desc);
void pango_layout_set_width (PangoLayout *layout, int width);
void pango_layout_set_height (PangoLayout *layout, int height);
void pango_layout_set_wrap (PangoLayout *layout, int wrap);
void pango_layout_set_ellipsize (PangoLayout *layout, int ellipsize);
void pango_layout_set_alignment (PangoLayout *layout, int alignment);
void pango_layout_set_spacing (PangoLayout *layout, int spacing);
void pango_layout_get_pixel_extents (PangoLayout *layout, PangoRectangle *ink, PangoRectangle *logical);
PangoFontDescription *pango_font_description_from_string (const char *str);
void pango_font_description_set_absolute_size (PangoFontDescription *desc, double size);
void pango_font_description_set_weight (PangoFontDescription *desc, int weight);
void pango_font_description_free (PangoFontDescription *desc);
void g_object_unref (void *object);
void pango_layout_index_to_pos (PangoLayout *layout, int index, PangoRectangle *pos);
int pango_layout_get_line_count (PangoLayout *layout);
"""


@dataclass(frozen=True)
class TextStyle:
    size: float  # pixels
    weight: int = DISPLAY_WEIGHT_BOLD
    color: tuple[float, float, float] = (1.0, 1.0, 1.0)
    align: str = "center"  # left | center | right
    max_width: int | None = None  # wrap (or ellipsize when max_lines is 1) at this width
    max_lines: int = 1
    line_spacing: float = 0.15  # extra space between lines, as a fraction of the size
    ellipsize: bool = True  # False: wrap onto as many lines as it takes (fitted text never loses characters)


Box = tuple[float, float, float, float]  # x, y, width, height in pixels


@dataclass(frozen=True)
class ShapedText:
    """Text drawn once, with where each word and each letter (grapheme) sits on the surface, for staggers."""

    surface: cairo.ImageSurface
    words: tuple[Box, ...]
    letters: tuple[Box, ...]
    size: float  # the font size it was set at (after fitting)
    lines: int


class _Pango:
    def __init__(self) -> None:
        self.ffi = cffi.FFI()
        self.ffi.cdef(_PANGO_CDEF)
        self.pango = self.ffi.dlopen(_find_library("pango-1.0", "libpango-1.0.so.0"))
        self.pangocairo = self.ffi.dlopen(_find_library("pangocairo-1.0", "libpangocairo-1.0.so.0"))
        self.gobject = self.ffi.dlopen(_find_library("gobject-2.0", "libgobject-2.0.so.0"))


def _find_library(name: str, fallback: str) -> str:
    return ctypes.util.find_library(name) or fallback


@functools.cache
def _pango() -> _Pango | None:
    try:
        return _Pango()
    except (OSError, cffi.FFIError, AttributeError):
        return None


def text_backend() -> str:
    """Which text engine this process uses: 'pango' (full fallback) or 'pillow' (one font, raqm shaping)."""
    return "pango" if _pango() is not None else "pillow"


def clean_text(text: str, *, limit: int) -> str:
    """Drop control characters and collapse whitespace, then cut at `limit` characters on a word boundary."""
    # Joiners and variation selectors are "unprintable" but hold emoji sequences (👩‍🚀) together.
    kept = "".join(ch if ch.isprintable() or ch in " \n\u200d\ufe0e\ufe0f" else " " for ch in text)
    flat = " ".join(kept.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[: limit // 2 * 2] else flat[:limit]
    return cut.rstrip(" ,;:-") + "…"


def render_text(text: str, style: TextStyle) -> cairo.ImageSurface:
    """The text on a transparent surface just large enough to hold it (premultiplied ARGB32)."""
    text = text or " "
    pango = _pango()
    if pango is not None:
        return _render_with_pango(pango, text, style)
    return _render_with_pillow(text, style)


def _render_with_pango(p: _Pango, text: str, style: TextStyle) -> cairo.ImageSurface:
    ffi = p.ffi
    scratch = cairo.ImageSurface(cairo.FORMAT_ARGB32, 1, 1)
    layout, desc = _pango_layout(p, cairo.Context(scratch), text, style)
    ink = ffi.new("PangoRectangle *")
    logical = ffi.new("PangoRectangle *")
    p.pango.pango_layout_get_pixel_extents(layout, ink, logical)
    # Ink can stick out of the logical box (italics, emoji, accents): keep both inside the surface.
    left = min(ink.x, logical.x)
    top = min(ink.y, logical.y)
    right = max(ink.x + ink.width, logical.x + logical.width)
    bottom = max(ink.y + ink.height, logical.y + logical.height)
    p.gobject.g_object_unref(layout)
    width, height = max(1, right - left + 2), max(1, bottom - top + 2)
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*style.color)
    ctx.translate(1 - left, 1 - top)
    layout, desc2 = _pango_layout(p, ctx, text, style)
    p.pangocairo.pango_cairo_show_layout(_cairo_pointer(p, ctx), layout)
    p.gobject.g_object_unref(layout)
    p.pango.pango_font_description_free(desc)
    p.pango.pango_font_description_free(desc2)
    surface.flush()
    return surface


def _cairo_pointer(p: _Pango, ctx: cairo.Context) -> Any:
    return p.ffi.cast("cairo_t *", int(cairo.ffi.cast("uintptr_t", ctx._pointer)))


def _pango_layout(p: _Pango, ctx: cairo.Context, text: str, style: TextStyle) -> tuple[Any, Any]:
    layout = p.pangocairo.pango_cairo_create_layout(_cairo_pointer(p, ctx))
    desc = p.pango.pango_font_description_from_string(SANS_FAMILIES.encode())
    p.pango.pango_font_description_set_absolute_size(desc, style.size * _PANGO_SCALE)
    p.pango.pango_font_description_set_weight(desc, style.weight)
    p.pango.pango_layout_set_font_description(layout, desc)
    if style.max_width is not None:
        p.pango.pango_layout_set_width(layout, int(style.max_width * _PANGO_SCALE))
        p.pango.pango_layout_set_wrap(layout, _PANGO_WRAP_WORD_CHAR)
        if style.ellipsize:
            p.pango.pango_layout_set_ellipsize(layout, _PANGO_ELLIPSIZE_END)
            # A negative height means "at most this many lines" to Pango.
            p.pango.pango_layout_set_height(layout, -max(1, style.max_lines))
    p.pango.pango_layout_set_alignment(layout, _PANGO_ALIGN.get(style.align, 1))
    p.pango.pango_layout_set_spacing(layout, int(style.size * style.line_spacing * _PANGO_SCALE))
    encoded = text.encode("utf-8", "replace")
    p.pango.pango_layout_set_text(layout, encoded, len(encoded))
    return layout, desc


_PILLOW_FONTS = {
    DISPLAY_WEIGHT_BOLD: ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    DISPLAY_WEIGHT_SEMIBOLD: ("NotoSans-SemiBold.ttf", "NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    DISPLAY_WEIGHT_REGULAR: ("NotoSans-Regular.ttf", "DejaVuSans.ttf"),
}


@functools.cache
def _pillow_font(weight: int, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    names = _PILLOW_FONTS.get(weight, _PILLOW_FONTS[DISPLAY_WEIGHT_REGULAR])
    for name in names:
        for folder in ("/usr/share/fonts/truetype/noto/", "/usr/share/fonts/truetype/dejavu/", ""):
            try:
                return ImageFont.truetype(folder + name, size)
            except OSError:
                continue
    return ImageFont.load_default(size)


def _render_with_pillow(text: str, style: TextStyle) -> cairo.ImageSurface:
    font = _pillow_font(style.weight, max(1, round(style.size)))
    lines = _wrap_for_pillow(text, font, style)
    spacing = round(style.size * style.line_spacing)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    joined = "\n".join(lines)
    box = probe.multiline_textbbox((0, 0), joined, font=font, spacing=spacing, align=style.align)
    width, height = max(1, int(box[2] - box[0]) + 4), max(1, int(box[3] - box[1]) + 4)
    mask = Image.new("L", (width, height), 0)
    ImageDraw.Draw(mask).multiline_text(
        (2 - box[0], 2 - box[1]), joined, fill=255, font=font, spacing=spacing, align=style.align
    )
    alpha = np.asarray(mask, dtype=np.float32) / 255.0
    return _surface_from_alpha(alpha, style.color)


def _wrap_for_pillow(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, style: TextStyle) -> list[str]:
    if style.max_width is None:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= style.max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > style.max_lines:
        lines = lines[: style.max_lines]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return lines


def _surface_from_alpha(alpha: np.ndarray, color: tuple[float, float, float]) -> cairo.ImageSurface:
    """A premultiplied ARGB32 surface of one colour with the given coverage (floats 0..1, shape h×w)."""
    height, width = alpha.shape
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
    stride = surface.get_stride()
    buffer = np.ndarray((height, stride // 4, 4), dtype=np.uint8, buffer=surface.get_data())
    a = np.clip(alpha, 0.0, 1.0)
    red, green, blue = color
    # Cairo's ARGB32 is native-endian: bytes are B, G, R, A on x86.
    buffer[:, :width, 0] = (a * blue * 255 + 0.5).astype(np.uint8)
    buffer[:, :width, 1] = (a * green * 255 + 0.5).astype(np.uint8)
    buffer[:, :width, 2] = (a * red * 255 + 0.5).astype(np.uint8)
    buffer[:, :width, 3] = (a * 255 + 0.5).astype(np.uint8)
    surface.mark_dirty()
    return surface


def surface_alpha(surface: cairo.ImageSurface) -> np.ndarray:
    """The coverage of a surface as floats 0..1 (h×w)."""
    height, width = surface.get_height(), surface.get_width()
    stride = surface.get_stride()
    surface.flush()
    data = np.ndarray((height, stride // 4, 4), dtype=np.uint8, buffer=surface.get_data())
    return data[:, :width, 3].astype(np.float32) / 255.0


def with_glow(
    surface: cairo.ImageSurface,
    glow_color: tuple[float, float, float],
    *,
    radius: float,
    strength: float = 0.9,
) -> tuple[cairo.ImageSurface, int]:
    """The text over a blurred halo of `glow_color`; returns the surface and the padding added on each side.

    The blur runs once per clip in Pillow because cairo has none, and re-blurring per frame costs ~4 ms.
    """
    pad = max(1, int(radius * 3))
    width, height = surface.get_width() + 2 * pad, surface.get_height() + 2 * pad
    mask = Image.new("L", (width, height), 0)
    coverage = Image.fromarray((surface_alpha(surface) * 255).astype(np.uint8), "L")
    mask.paste(coverage, (pad, pad))
    blurred = mask.filter(ImageFilter.GaussianBlur(radius))
    halo = np.asarray(blurred, dtype=np.float32) / 255.0 * strength
    result = _surface_from_alpha(np.minimum(halo * 1.6, 1.0), glow_color)
    ctx = cairo.Context(result)
    ctx.set_source_surface(surface, pad, pad)
    ctx.paint()
    result.flush()
    return result, pad


# --- fitting and clusters -----------------------------------------------------------------------------------

MIN_FIT_SIZE = 6.0


def graphemes(text: str) -> list[tuple[int, str]]:
    """(character offset, cluster) for each user-perceived character: emoji sequences and marks stay whole."""
    clusters: list[tuple[int, str]] = []
    for index, ch in enumerate(text):
        joins = clusters and (
            ch in "\u200d\ufe0f\ufe0e"
            or 0x1F3FB <= ord(ch) <= 0x1F3FF
            or clusters[-1][1].endswith("\u200d")
            or 0x0300 <= ord(ch) <= 0x036F
            or 0x064B <= ord(ch) <= 0x065F
            or 0xE0020 <= ord(ch) <= 0xE007F
        )
        if joins:
            start, cluster = clusters[-1]
            clusters[-1] = (start, cluster + ch)
        else:
            clusters.append((index, ch))
    return clusters


def measure(text: str, style: TextStyle) -> tuple[int, int, int]:
    """Width, height and line count the text takes in `style` (no drawing)."""
    text = text or " "
    p = _pango()
    if p is None:
        font = _pillow_font(style.weight, max(1, round(style.size)))
        lines = _wrap_for_pillow(text, font, style)
        probe = ImageDraw.Draw(Image.new("L", (1, 1)))
        box = probe.multiline_textbbox(
            (0, 0), "\n".join(lines), font=font, spacing=round(style.size * style.line_spacing)
        )
        return int(box[2] - box[0]) + 4, int(box[3] - box[1]) + 4, len(lines)
    scratch = cairo.ImageSurface(cairo.FORMAT_ARGB32, 1, 1)
    layout, desc = _pango_layout(p, cairo.Context(scratch), text, style)
    ink = p.ffi.new("PangoRectangle *")
    logical = p.ffi.new("PangoRectangle *")
    p.pango.pango_layout_get_pixel_extents(layout, ink, logical)
    line_count = _line_count(p, layout)
    p.gobject.g_object_unref(layout)
    p.pango.pango_font_description_free(desc)
    width = max(ink.x + ink.width, logical.x + logical.width) - min(ink.x, logical.x) + 2
    height = max(ink.y + ink.height, logical.y + logical.height) - min(ink.y, logical.y) + 2
    return int(width), int(height), line_count


def _line_count(p: _Pango, layout: Any) -> int:
    return int(p.pango.pango_layout_get_line_count(layout))


def fit_style(text: str, style: TextStyle, max_width: float, max_height: float, *, max_lines: int = 2) -> TextStyle:
    """The largest size of `style` at which the whole text fits the box: it shrinks first, then wraps.

    A name or ticker is never ellipsized: one line is kept while the text can stay at least 60 % of the
    asked size, then up to `max_lines` lines are tried, and past that it keeps shrinking until it fits.
    """
    single = replace(style, max_width=None, max_lines=1, ellipsize=False)
    wrapped = replace(style, max_width=max(8, int(max_width)), max_lines=99, ellipsize=False)
    size = style.size
    while size > MIN_FIT_SIZE:
        candidate = replace(single, size=size)
        width, height, _ = measure(text, candidate)
        if width <= max_width and height <= max_height:
            return candidate
        if size < style.size * 0.6:
            candidate = replace(wrapped, size=size, max_width=max(8, int(max_width - 2)))
            width, height, lines = measure(text, candidate)
            if width <= max_width and height <= max_height and lines <= max_lines:
                return candidate
        size *= 0.92
    floor = replace(wrapped, size=MIN_FIT_SIZE)
    return floor


def shape_text(text: str, style: TextStyle) -> ShapedText:
    """Render once and locate every word and letter on the result (Pango's own cluster positions)."""
    text = text or " "
    surface = render_text(text, style)
    p = _pango()
    whole: Box = (0.0, 0.0, float(surface.get_width()), float(surface.get_height()))
    if p is None:
        return ShapedText(surface, (whole,), (whole,), style.size, 1)
    scratch = cairo.ImageSurface(cairo.FORMAT_ARGB32, 1, 1)
    layout, desc = _pango_layout(p, cairo.Context(scratch), text, style)
    ink = p.ffi.new("PangoRectangle *")
    logical = p.ffi.new("PangoRectangle *")
    p.pango.pango_layout_get_pixel_extents(layout, ink, logical)
    left = min(ink.x, logical.x)
    top = min(ink.y, logical.y)
    rect = p.ffi.new("PangoRectangle *")
    encoded_offsets: list[int] = []
    offset = 0
    for ch in text:
        encoded_offsets.append(offset)
        offset += len(ch.encode("utf-8", "replace"))
    letters: list[Box] = []
    letter_words: list[int] = []
    word = 0
    previous_space = False
    for index, cluster in graphemes(text):
        if cluster.isspace():
            previous_space = True
            continue
        if previous_space and letters:
            word += 1
        previous_space = False
        p.pango.pango_layout_index_to_pos(layout, encoded_offsets[index], rect)
        x = rect.x / _PANGO_SCALE
        w = rect.width / _PANGO_SCALE
        if w < 0:  # right-to-left clusters report a negative width from their leading edge
            x, w = x + w, -w
        # Letter boxes take the full line height and a little slack for ink past the advance (italics, emoji).
        x0 = max(0.0, x - left + 1 - 2)
        x1 = min(float(surface.get_width()), x - left + 1 + w + 2)
        letters.append((x0, rect.y / _PANGO_SCALE - top + 1, max(1.0, x1 - x0), rect.height / _PANGO_SCALE))
        letter_words.append(word)
    p.gobject.g_object_unref(layout)
    p.pango.pango_font_description_free(desc)
    words: list[Box] = []
    for number in range(word + 1):
        mine = [box for box, owner in zip(letters, letter_words, strict=True) if owner == number]
        if mine:
            x0 = min(b[0] for b in mine)
            y0 = min(b[1] for b in mine)
            x1 = max(b[0] + b[2] for b in mine)
            y1 = max(b[1] + b[3] for b in mine)
            words.append((x0, y0, x1 - x0, y1 - y0))
    return ShapedText(
        surface,
        tuple(words) or (whole,),
        tuple(letters) or (whole,),
        style.size,
        max(1, len({round(b[1]) for b in letters})),
    )
