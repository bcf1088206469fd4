"""The explorers' speed machinery (not the contract: that is `helpers.explorer`).

What lives here, and why:
- `FastCanvas`: ipympl's canvas widget with a faster frame encoder (`encode_png`, deflated by
  ISA-L through the `isal` package when it is installed, as the course's dependencies install it).
- `new_canvas_figure`: a Figure on that canvas, never registered with pyplot.
- `settle_layout`: run a constrained layout to its fixed point once, so blitted backgrounds match.
- `CachedGroup`, `cached_heatmap`, `cached_axis`: pixel caches for groups of artists, a framework
  feature an explorer asks for through `Explorer.cached_heatmap` / `Explorer.cached_axis`.

Workarounds of ipympl internals, each naming the version it was written against (ipympl 0.10.0).
`tests/test_canvas.py` fails when ipympl changes under them:
- importing ipympl calls `matplotlib.use("module://ipympl.backend_nbagg")` when matplotlib is
already
  imported; the course only needs the canvas widget and leaves the learner's pyplot backend alone;
- `FastCanvas.get_diff_image` replaces ipympl's own, reading `_png_is_old`, `_force_full` and
  `_last_buff` as ipympl 0.10 keeps them;
- `no_echo` turns off ipywidgets' echo of a control's moves (per-instance trait metadata);
- `FastCanvas.send_binary` keeps `_data_url` (the first image a view shows) as a full frame *with*
  its `data:image/png;base64,` prefix, which ipympl 0.10 leaves out.

And one of matplotlib's (written against matplotlib 3.11; `tests/test_canvas.py` compares its
pixels with matplotlib's own renderer, so a change in matplotlib fails there):
- `nearest_image_cache` draws a nearest-interpolated `AxesImage` (a heatmap) by looking its
  screen pixels up in a map from pixel to data cell, instead of resampling the data to the
  screen and colour-mapping every screen pixel on each draw (the map is made with matplotlib's
  private `image._resample`; every new map is checked against matplotlib's own `make_image`,
  and the image falls back to it on any difference).
- `GlyphCacheRenderer` draws text as `RendererAgg.draw_text` does, glyph by glyph, but keeps each
  glyph's rendered bitmap (keyed by font, size, glyph, rotation and sub-pixel phase) and each
  string's layout: value texts, tick labels and titles are most of a blit's time, and their
  glyphs come back on every move. A string drawn again at the same place is one "run": its glyphs
  already placed and merged into one bitmap where their inked pixels never meet (Agg leaves pixels
  of coverage 0 alone, so the pixels are the same). `FastCanvas.get_renderer` hands it out.
"""

from __future__ import annotations

import base64
import math
import struct
import warnings
import zlib

import matplotlib
import numpy as np
from matplotlib import colors as mcolors
from matplotlib import image as mimage
from matplotlib.artist import Artist
from matplotlib.backends import backend_agg
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import RenderMode
from matplotlib.text import Text
from matplotlib.transforms import Bbox, TransformedBbox

try:  # ISA-L's deflate: level 1 compresses a frame ~10× faster than zlib's, and smaller
    from isal import isal_zlib as DEFLATE
except ImportError:  # pragma: no cover - a platform with no isal wheel: the standard library's
    DEFLATE = zlib

__all__ = [
    "IPYMPL_VERSION",
    "MATPLOTLIB_VERSION",
    "FastCanvas",
    "GlyphCacheRenderer",
    "draw_in_order",
    "encode_png",
    "encode_png_band",
    "no_echo",
    "new_canvas_figure",
    "settle_layout",
    "figure_labels",
    "CachedGroup",
    "cached_heatmap",
    "cached_axis",
    "nearest_image_cache",
]

IPYMPL_VERSION = "0.10.0"  # the ipympl whose internals the workarounds below were written against
MATPLOTLIB_VERSION = "3.11"  # the matplotlib whose text drawing GlyphCacheRenderer repeats

_use = matplotlib.use
matplotlib.use = lambda *args, **kwargs: None  # ipympl 0.10: its __init__ switches pyplot's backend
try:
    from ipympl.backend_nbagg import Canvas, FigureManager
finally:
    matplotlib.use = _use


class GlyphCacheRenderer(backend_agg.RendererAgg):
    """matplotlib's Agg renderer, drawing plain text from cached glyph bitmaps (same pixels).

    `RendererAgg.draw_text` lays the string out, then renders every glyph with FreeType at its
    sub-pixel position and blends it in. The bitmap depends only on the font, size, glyph,
    rotation and the position's sub-pixel phase (1/64 px), so it is kept under that key and only
    shifted by whole pixels; the layout is kept per string and font. Mathtext and TeX go to
    matplotlib unchanged.
    """

    MAX_GLYPHS = 20000  # bitmaps kept (a few hundred bytes each); the cache starts afresh past it
    MAX_LAYOUTS = 4000
    MAX_RUNS = 4000  # placed strings (one merged bitmap or a few each)
    MAX_TEXT_LAYOUTS = 4000  # plain texts' offsets from their anchor (`draw_plain_text`)

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._glyphs: dict = {}
        self._layouts: dict = {}
        self._runs: dict = {}
        self._unmerged: set = set()  # keys of runs drawn once, not merged yet
        self._heights: dict = {}
        self._text_layouts: dict = {}

    def _get_font_height_metrics(self, prop):
        """(min ascent, min descent, line gap) of `prop`'s font in pixels, as `Text._get_layout`
        computes them when a renderer has no such method (matplotlib 3.11), kept per font, size
        and dpi: every text's layout asks for them."""
        key = (hash(prop), prop.get_size_in_points(), self.dpi)
        hit = self._heights.get(key)
        if hit is None:
            hit = (None, None, None)
            font = get_font(fontManager._find_fonts_by_props(prop))
            for table_name, gap_key, ascent_key, descent_key in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"),
            ):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
                scale = 1 / units_per_em * prop.get_size_in_points() * self.dpi / 72
                hit = (
                    table[ascent_key] * scale,
                    -table[descent_key] * scale,
                    table[gap_key] * scale,
                )
                break
            self._heights[key] = hit
        return hit

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        flags = backend_agg.get_hinting_flag()
        key = (s, hash(prop), size, self.dpi, flags, features, language)
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        # the same string at the same place (a value text in its cell, a title, a tick label)
        # comes back on most moves: its bitmaps, already placed, are kept as one "run"
        # (merged when it is drawn a second time: a string drawn once, say a value text that
        # changes on every move, does not pay for the merge)
        run_key = (key, x, y, angle, mode, self.height)
        run = self._runs.get(run_key)
        if run is None:
            run = self._place_glyphs(key, x, y, prop, angle, mode, flags)
            if len(self._runs) >= self.MAX_RUNS:
                self._runs.clear()
                self._unmerged.clear()
            self._runs[run_key] = run
            self._unmerged.add(run_key)
        elif run_key in self._unmerged:
            self._unmerged.discard(run_key)
            run = self._runs[run_key] = _merge_glyphs(run)
        for buffer, left, bottom in run:
            self._renderer.draw_text_image(buffer, left, bottom, 0, gc)

    def draw_plain_text(self, text: Text) -> bool:
        """Draw `text` as `Text.draw` does (matplotlib 3.11), if it is a plain one: a `Text` (not
        an annotation), one line, no `$`, no TeX, box, path effects, clip, filter, sketch or
        rasterizing, not rotated by its transform. Return False, having drawn nothing, for any
        other text (draw it with `text.draw`).

        `Text.draw` lays the string out and sets its drawing up on every call, which costs a value
        text 3–4 times what drawing its glyphs does; here the string's offset from its anchor
        (from `Text._get_layout`) is kept per string, font, size, rotation, alignment and dpi,
        and the rest is the same arithmetic, so the pixels are the same
        (`tests/test_canvas.py` compares them)."""
        if type(text) is not Text:
            return False
        s = text.get_text()
        if not text.get_visible() or not s:
            return True  # Text.draw draws nothing either
        if (
            "\n" in s
            or "$" in s
            or text.get_usetex()
            or text.get_wrap()
            or text.get_bbox_patch() is not None
            or text.get_path_effects()
            or text.get_rasterized()
            or text.get_agg_filter() is not None
            or text.get_sketch_params() is not None
            or text.get_transform_rotates_text()
            or (
                text.get_clip_on()
                and (text.get_clip_box() is not None or text.get_clip_path() is not None)
            )
        ):
            return False
        prop = text.get_fontproperties()
        angle = text.get_rotation()
        key = (
            s,
            hash(prop),
            prop.get_size_in_points(),
            angle,
            text.get_rotation_mode(),
            text.get_horizontalalignment(),
            text.get_verticalalignment(),
            text.get_linespacing(),
            text.get_fontfeatures(),
            text.get_language(),
            self.dpi,
        )
        offset = self._text_layouts.get(key)
        if offset is None:
            _, info, _ = text._get_layout(self)
            offset = info[0][2]
            if len(self._text_layouts) >= self.MAX_TEXT_LAYOUTS:
                self._text_layouts.clear()
            self._text_layouts[key] = offset
        posx, posy = text.get_transform().transform(text.get_unitless_position())
        if not (np.isfinite(posx) and np.isfinite(posy)):
            return False  # Text.draw's own warning or silence
        gc = self.new_gc()
        gc.set_foreground(mcolors.to_rgba(text.get_color()), isRGBA=True)
        gc.set_alpha(text.get_alpha())
        gc.set_url(text.get_url())
        gc.set_antialiased(text.get_antialiased())
        gc.set_snap(text.get_snap())
        x, y = offset
        self.draw_text(gc, x + posx, self.height - (y + posy), s, prop, angle, mtext=text)
        gc.restore()
        text.stale = False
        return True

    def _place_glyphs(self, key, x, y, prop, angle, mode, flags) -> list:
        """[(bitmap, left column, bottom row as draw_text_image takes it)] for each glyph of the
        string, as `RendererAgg.draw_text` places them (matplotlib 3.11)."""
        s, _, size, _, _, features, language = key
        items = self._layouts.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = [
                (item.ft_object, item.glyph_index, item.x, item.y)
                for item in font._layout(s, flags=flags, features=features, language=language)
            ]
            if len(self._layouts) >= self.MAX_LAYOUTS:
                self._layouts.clear()
            self._layouts[key] = items
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (
            (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        )  # as matplotlib: no slant, no extend for plain text
        mkey = tuple(matrix.ravel())
        height = self.height
        placed = []
        for ft_object, glyph_index, dx, dy in items:
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            gkey = (id(ft_object), ft_object.fname, size, glyph_index, mkey, mode, flags)
            gkey += (px & 63, py & 63)
            glyph = self._glyphs.get(gkey)
            if glyph is None:
                ft_object.set_size(size, self.dpi)
                ft_object._set_transform(matrix, [px & 63, py & 63])
                bitmap = ft_object._render_glyph(glyph_index, flags, mode)
                buffer = np.array(bitmap.buffer, copy=True)
                if mode is RenderMode.MONO:
                    buffer *= 0xFF
                glyph = (buffer, bitmap.left, bitmap.top)
                if len(self._glyphs) >= self.MAX_GLYPHS:
                    self._glyphs.clear()
                self._glyphs[gkey] = glyph
            buffer, left, top = glyph
            left += px >> 6
            top += py >> 6
            # draw_text_image's y is downwards & the bitmap's bottom side (as matplotlib)
            placed.append((buffer, left, int(height) - top + buffer.shape[0]))
        return placed


def _merge_glyphs(placed: list) -> list:
    """Placed glyph bitmaps [(bitmap, left, bottom)] → as few bitmaps as draw the same pixels.

    Agg blends each bitmap pixel by pixel and leaves pixels of coverage 0 alone, so glyphs whose
    inked pixels never meet can be drawn as one bitmap; a glyph that inks a pixel another one in
    its bitmap already inks (a tight kerning pair) starts another, drawn after it, as before."""
    if len(placed) < 2:
        return placed
    top = min(bottom - buffer.shape[0] for buffer, _, bottom in placed)
    left = min(column for _, column, _ in placed)
    height = max(bottom for _, _, bottom in placed) - top
    width = max(column + buffer.shape[1] for buffer, column, _ in placed) - left
    batches: list = []  # [(glyphs, their inked pixels over the string's box)] in drawing order
    for glyph in placed:
        buffer, column, bottom = glyph
        r0, c0 = bottom - buffer.shape[0] - top, column - left
        box = (slice(r0, r0 + buffer.shape[0]), slice(c0, c0 + buffer.shape[1]))
        ink = buffer > 0
        if batches and not (batches[-1][1][box] & ink).any():
            batches[-1][0].append(glyph)
            batches[-1][1][box] |= ink
        else:  # the order of overlapping glyphs is kept: only the last batch can take it
            inked = np.zeros((height, width), dtype=bool)
            inked[box] = ink
            batches.append(([glyph], inked))
    merged = []
    for glyphs, _ in batches:
        if len(glyphs) == 1:
            merged.append(glyphs[0])
            continue
        top = min(b - buf.shape[0] for buf, _, b in glyphs)
        bottom = max(b for _, _, b in glyphs)
        left = min(c for _, c, _ in glyphs)
        right = max(c + buf.shape[1] for buf, c, _ in glyphs)
        canvas = np.zeros((bottom - top, right - left), dtype=np.uint8)
        for buf, c, b in glyphs:
            r0, c0 = b - buf.shape[0] - top, c - left
            region = canvas[r0 : r0 + buf.shape[0], c0 : c0 + buf.shape[1]]
            np.maximum(region, buf, out=region)  # inked pixels never meet: max = either one
        merged.append((canvas, left, bottom))
    return merged


def draw_in_order(renderer, artists) -> None:
    """Draw `artists` in order on `renderer`, as `Figure.draw_artist` does for each, plain texts
    through `GlyphCacheRenderer.draw_plain_text`."""
    plain = getattr(renderer, "draw_plain_text", None)
    for a in artists:
        if plain is None or not plain(a):
            a.draw(renderer)


class FastCanvas(Canvas):
    """ipympl's canvas widget, with a faster encoder for the frames it sends.

    After a blit ipympl sends a full-size RGBA PNG that is transparent except where pixels changed.
    PIL spends most of its time choosing PNG row filters for it; runs of zeros need none, so the
    frame is written with filter 0 and ISA-L's deflate at level 1 (`DEFLATE`; same pixels, a
    frame's band in ~0.15 ms where zlib's level 1 takes ~1.5 ms and PIL twice that). The widget
    model and the frontend view are ipympl's own.
    """

    def get_renderer(self):
        """As `FigureCanvasAgg.get_renderer`, with a `GlyphCacheRenderer`."""
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = GlyphCacheRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer

    def get_diff_image(self):
        if not self._png_is_old:
            return None
        renderer = self.get_renderer()
        pixels = np.asarray(renderer.buffer_rgba())
        buff = pixels.view(np.uint32).squeeze(2)
        if self._force_full or buff.shape != self._last_buff.shape or not _opaque(pixels, buff):
            self.set_image_mode("full")
            output = buff
        else:
            self.set_image_mode("diff")
            changed = buff != self._last_buff
            rows = np.flatnonzero(changed.any(axis=1))
            r0, r1 = (int(rows[0]), int(rows[-1]) + 1) if rows.size else (0, 0)
            # the changed pixels of those rows, straight into the PNG's rows (filter byte 0 first);
            # the others stay transparent
            band = buff[r0:r1] * changed[r0:r1]  # uint32 × bool: 0 where nothing changed
            raw = np.empty((r1 - r0, buff.shape[1] * 4 + 1), dtype=np.uint8)
            raw[:, 0] = 0
            raw[:, 1:] = band.view(np.uint8).reshape(r1 - r0, buff.shape[1] * 4)
            self._last_buff[r0:r1] = buff[r0:r1]
            self._force_full = False
            self._png_is_old = False
            # only the rows that changed are compressed; the transparent rows around them come
            # from a cache (same PNG pixels as compressing the whole frame)
            return _png_of_rows(raw, buff.shape[1], r0, buff.shape[0])
        self._last_buff = buff.copy()
        self._force_full = False
        self._png_is_old = False
        return encode_png(output.view(dtype=np.uint8).reshape((*output.shape, 4)))

    def send_binary(self, data):
        """Send a frame; until a frontend has said "initialized", also keep `_data_url` (the image a
        view shows first) as a full frame *with* its `data:image/png;base64,` prefix (ipympl 0.10
        stores bare base64 there, which the browser reads as a broken relative URL)."""
        if self.syncing_data_url:
            full = self._last_buff.view(dtype=np.uint8).reshape((*self._last_buff.shape, 4))
            self._data_url = "data:image/png;base64," + base64.b64encode(encode_png(full)).decode(
                "ascii"
            )
        self.send({"data": '{"type": "binary"}'}, buffers=[data])


def encode_png(rgba: np.ndarray, level: int = 1) -> bytes:
    """RGBA uint8 (H, W, 4) → PNG bytes (no row filter, deflate `level`)."""
    return encode_png_band(rgba, 0, rgba.shape[0], level)


_ADLER = 65521
_ZERO_DEFLATE: dict = {}  # (bytes of zeros) → their raw deflate, flushed to a byte boundary


def _zeros_deflate(n: int, level: int) -> bytes:
    """A raw deflate segment of n zero bytes (a transparent run of rows), kept per length."""
    key = (n, level)
    seg = _ZERO_DEFLATE.get(key)
    if seg is None:
        c = DEFLATE.compressobj(level, DEFLATE.DEFLATED, -15)
        seg = c.compress(bytes(n)) + c.flush(DEFLATE.Z_FULL_FLUSH)
        if len(_ZERO_DEFLATE) > 256:
            _ZERO_DEFLATE.clear()
        _ZERO_DEFLATE[key] = seg
    return seg


def _adler32_zeros(value: int, n: int) -> int:
    """zlib.adler32(bytes(n), value) without reading n bytes: zeros leave the sum a alone and
    add n·a to b."""
    a, b = value & 0xFFFF, value >> 16
    return ((b + n * a) % _ADLER) << 16 | a


def _opaque(pixels: np.ndarray, buff: np.ndarray) -> bool:
    """Every pixel's alpha is 255 (read on the uint32 view where the byte order allows: RGBA in
    memory is A·2²⁴ + B·2¹⁶ + G·2⁸ + R on a little-endian machine)."""
    if np.little_endian:
        return not (buff < 0xFF000000).any()
    return not (pixels[:, :, 3] != 255).any()


def encode_png_band(band: np.ndarray, top: int, height: int, level: int = 1) -> bytes:
    """PNG bytes of a (height, W, 4) RGBA frame that is transparent (all zeros) except rows
    top … top + len(band), which hold `band` (B, W, 4) uint8. Only the band is compressed: the
    zero rows are deflate segments kept per length (the deflate stream is a concatenation of
    independently compressed, byte-aligned segments, which PNG readers take as one stream)."""
    b, w, _ = band.shape
    raw = np.empty((b, w * 4 + 1), dtype=np.uint8)
    raw[:, 0] = 0  # filter type "None" for every row
    raw[:, 1:] = band.reshape(b, w * 4)
    return _png_of_rows(raw, w, top, height, level)


def _png_of_rows(raw: np.ndarray, w: int, top: int, height: int, level: int = 1) -> bytes:
    """`encode_png_band` from the band's PNG rows already made: `raw` (B, 4·W + 1) uint8, each
    row its filter byte 0 and its RGBA bytes (compressed as they are: no copy to bytes)."""
    b, row = raw.shape
    before, after = top * row, (height - top - b) * row
    c = DEFLATE.compressobj(level, DEFLATE.DEFLATED, -15)
    deflate = (
        _zeros_deflate(before, level)
        + c.compress(raw)
        + c.flush(DEFLATE.Z_FULL_FLUSH)
        + _zeros_deflate(after, level)
        + b"\x03\x00"  # an empty final block ends the stream
    )
    check = _adler32_zeros(DEFLATE.adler32(raw, _adler32_zeros(1, before)), after)
    idat = b"\x78\x01" + deflate + struct.pack(">I", check)

    header = struct.pack(">IIBBBBB", w, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


ECHOED_TRAITS = ("value", "index")  # what a control's view sends when the learner moves it


def no_echo(control) -> None:
    """Stop ipywidgets 8 echoing a control's moves back to the page.

    On every state update from the page, ipywidgets sends an `echo_update` message back before
    any observer runs (so that other views of the widget learn the value). The explorer's page is
    the one view; the echo is one more message per move, arriving while the figure is drawn, on
    the two cores the browser shares with the kernel. traitlets reads per-instance trait
    metadata from `_<trait>_metadata` (`HasTraits.trait_metadata`), and ipywidgets asks it for
    `echo_update`; `tests/test_canvas.py` fails if a move is echoed again.
    """
    for name in ECHOED_TRAITS:
        if control.has_trait(name):
            meta = dict(getattr(control, f"_{name}_metadata", None) or {})
            meta["echo_update"] = False
            setattr(control, f"_{name}_metadata", meta)


def new_canvas_figure(figsize=(6.4, 4.0), dpi: int = 90) -> Figure:
    """A Figure on a clean ipympl canvas widget (no header, toolbar, footer; fixed size).

    Not registered with pyplot: nothing is shown unless the canvas widget is displayed.
    """
    fig = Figure(figsize=figsize, dpi=dpi)
    canvas = FastCanvas(fig)
    with warnings.catch_warnings():
        # ipympl's Toolbar passes the canvas on to traitlets, which warns (ipympl's issue, harmless)
        warnings.filterwarnings(
            "ignore", message="Passing unrecognized arguments", category=DeprecationWarning
        )
        FigureManager(canvas, 0)
    w, h = fig.bbox.size
    canvas._size = (
        float(w),
        float(h),
    )  # the view's size in CSS pixels until the frontend reports its own
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False
    return fig


def figure_labels(fig) -> list:
    """The figure's suptitle, supxlabel and supylabel texts that exist: one each per figure, which
    `Figure.suptitle` and friends set again rather than make anew (matplotlib 3.11 keeps them as
    `_suptitle`, `_supxlabel`, `_supylabel`; `tests/explorers/test_builds.py` checks that)."""
    return [
        t for t in (getattr(fig, n, None) for n in ("_suptitle", "_supxlabel", "_supylabel"))
        if t is not None
    ]  # fmt: skip


def settle_layout(fig, *, freeze: bool = False, passes: int = 2) -> None:
    """Run the figure's constrained (or tight) layout now, twice: it settles on its second pass, so
    every full draw after this one (and so every blitted background) is pixel-identical to the
    next. With `freeze`, the layout is then kept fixed (no layout pass on later redraws); a frozen
    layout needs no fixed point, so `passes=1` is enough when its first pass looks right."""
    engine = fig.get_layout_engine()
    if engine is None or type(engine).__name__ not in (
        "ConstrainedLayoutEngine",
        "TightLayoutEngine",
    ):
        return
    for _ in range(passes):
        engine.execute(fig)
    if freeze:
        fig.set_layout_engine("none")


class CachedGroup(Artist):
    """A group of artists blitted as one, which remembers the pixels it drew.

    Text is what a blit spends its time on (about 0.5 ms per value text, 5 ms per axis with its tick
    labels). This artist draws `artists` and keys the result by `key()` (the children's data, texts,
    limits), by the canvas size and by the explorer's saved background (`background()`); when a
    key comes back (another
    panel moved, or the learner slides back to a value seen before) it pastes the pixels of
    `region(renderer)` it copied then, which are exactly what drawing the children again would give.
    Put cached groups first in the list `update()` returns, so that nothing else blitted is in those
    pixels yet, and give them regions that do not overlap. Any full redraw (a new background) or
    another canvas size starts a fresh cache.
    """

    def __init__(self, background, artists: list, key, region, maxsize: int = 12):
        super().__init__()
        self._background_of, self._children = background, list(artists)
        self._key_of, self._region_of = key, region
        self._maxsize = maxsize
        self._cache: dict = {}
        self._cache_background = None

    @property
    def children(self) -> list:
        """The artists this group draws."""
        return list(self._children)

    def set_animated(self, b):
        for (
            a
        ) in self._children:  # the children leave (or join) the saved background with their group
            a.set_animated(b)
        return super().set_animated(b)

    def draw(self, renderer):
        background = self._background_of()
        if background is not self._cache_background:
            self._cache.clear()
            self._cache_background = background
        key = (renderer.width, renderer.height, self._key_of())
        pixels = self._cache.get(key)
        if pixels is not None:
            renderer.restore_region(pixels)
            return
        draw_in_order(renderer, self._children)
        if background is None:
            return
        x0, y0, x1, y1 = self._region_of(renderer).extents
        if len(self._cache) >= self._maxsize:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = renderer.copy_from_bbox(
            Bbox.from_extents(np.floor(x0) - 1, np.floor(y0) - 1, np.ceil(x1) + 1, np.ceil(y1) + 1)
        )


def cached_heatmap(background, view) -> CachedGroup:
    """A heatmap's image and value texts as one cached group (region: the axes)."""

    def key():
        return (
            view.image.get_array().tobytes(),
            view.image.get_clim(),
            tuple((t.get_text(), t.get_color()) for t in view.texts),
        )

    return CachedGroup(background, [view.image, *view.texts], key, lambda renderer: view.ax.bbox)


def cached_axis(background, axis, key, *, ticks: bool = True, maxsize: int = 12) -> CachedGroup:
    """A bottom x or left y axis (tick labels, label and, if `ticks`, tick marks) as one cached
    group, keyed by `key()`, remembering up to `maxsize` keys. Heatmaps have no tick marks: pass
    ticks=False so the region stays clear of the axes."""

    def region(renderer):
        box = axis.get_tightbbox(renderer)  # the labels only
        if not ticks:
            return box
        x0, y0, x1, y1 = (
            axis.axes.bbox.extents
        )  # add a strip along the axes' edge for the tick marks
        edge = (
            Bbox.from_extents(x0 - 2, y0 - 12, x1 + 2, y0 + 2)
            if axis.axis_name == "x"
            else Bbox.from_extents(x0 - 12, y0 - 2, x0 + 2, y1 + 2)
        )
        return Bbox.union([box, edge])

    return CachedGroup(background, [axis], key, region, maxsize=maxsize)


class _NearestImageCache:
    """`make_image` for one nearest-interpolated `AxesImage`: the same pixels from a cached map.

    A nearest-neighbour image on screen shows, at each pixel, the colour of one data cell (or
    nothing, outside the image). matplotlib finds that cell for every pixel on every draw
    (resampling the data to the screen, then colour-mapping every pixel: ~4 ms for a heatmap
    filling a 300 px panel). Here the pixel → cell map is made once per geometry (data shape,
    screen box, clip box, magnification) with matplotlib's own resampler, and each draw
    colour-maps only the (n, m) cells and looks the screen pixels up. On each new geometry the
    result is compared with matplotlib's `make_image`; if it differs (say, a matplotlib whose
    resampling changed), this image keeps matplotlib's way for that geometry.
    """

    maxsize = 8

    def __init__(self, image):
        self.image = image
        self.original = image.make_image  # the bound method of the class (matplotlib's)
        self.maps: dict = {}
        self.hits = self.misses = 0  # draws from a map; draws of a geometry without one
        self.streak = 0  # draws without a map since the last draw from one
        self.seen: dict = {}  # geometries drawn without learning their map

    def _fast_ok(self, unsampled) -> bool:
        im = self.image
        A = im.get_array()
        alpha = im.get_alpha()
        return (
            not unsampled
            and A is not None
            and A.ndim == 2
            and A.size > 0
            and im.get_interpolation() == "nearest"
            and (alpha is None or np.ndim(alpha) == 0)
            and not np.ma.getmaskarray(A).any()
            and im.get_transform().is_affine
        )

    def _key(self, magnification):
        im = self.image
        x1, x2, y1, y2 = im.get_extent()
        box = TransformedBbox(Bbox(np.array([[x1, y1], [x2, y2]])), im.get_transform())
        clip = (
            (im.get_clip_box() or im.axes.bbox)
            if im.get_clip_on()
            else im.get_figure(root=True).bbox
        )
        return (
            im.get_array().shape,
            tuple(np.round(box.extents, 9)),
            tuple(np.round(clip.extents, 9)),
            magnification,
            im.origin,
            im.get_interpolation_stage(),
            im.get_resample(),
            im.get_alpha(),
        )

    def _colours(self, A) -> np.ndarray:
        """(n·m + 1,) uint32: RGBA of each cell, row by row, after a transparent 0th entry."""
        rgba = self.image.to_rgba(np.ma.getdata(A), bytes=True)  # (n, m, 4) uint8
        table = np.zeros(A.size + 1, dtype=np.uint32)
        table[1:] = np.ascontiguousarray(rgba).view(np.uint32).reshape(-1)
        return table

    def __call__(self, renderer, magnification=1.0, unsampled=False):
        if not self._fast_ok(unsampled):
            return self.original(renderer, magnification, unsampled)
        key = self._key(magnification)
        entry = self.maps.get(key)
        if entry is None:
            out, left, bottom, t = self.original(renderer, magnification, unsampled)
            self.misses += 1
            # a map costs more than a draw: when the geometry changed on each of the last draws
            # (say, the image's extent follows a slider), learn only a geometry seen before
            self.streak += 1
            if self.streak > 2 and self.seen.pop(key, None) is None:
                self.seen[key] = True
                if len(self.seen) > self.maxsize:
                    self.seen.pop(next(iter(self.seen)))
                return out, left, bottom, t
            learnt = self._learn(out, t)
            if len(self.maps) >= self.maxsize:
                self.maps.pop(next(iter(self.maps)))
            self.maps[key] = False if learnt is None else (*learnt, left, bottom, t)
            return out, left, bottom, t
        if entry is False:
            return self.original(renderer, magnification, unsampled)
        cells, outside, fill, left, bottom, t = entry
        self.streak = 0
        pixels = self._colours(self.image.get_array())[cells]
        pixels[outside] = fill
        self.hits += 1
        return pixels.view(np.uint8).reshape((*cells.shape, 4)), left, bottom, t

    def _learn(self, out, t):
        """The pixel → cell map behind matplotlib's `out`, or None if it does not reproduce it."""
        if out is None or out.dtype != np.uint8:
            return None
        A = self.image.get_array()
        n, m = A.shape
        numbers = np.arange(1, n * m + 1, dtype=np.float64).reshape(n, m)  # 0 is "outside"
        found = mimage._resample(self.image, numbers, out.shape[:2], t)
        cells = np.rint(found).astype(np.intp)
        if not np.array_equal(cells, found) or cells.min() < 0 or cells.max() > n * m:
            return None
        outside = cells == 0
        mine = np.ascontiguousarray(out).view(np.uint32).reshape(cells.shape)
        fill = mine[outside].copy()
        pixels = self._colours(A)[cells]
        pixels[outside] = fill
        if not np.array_equal(pixels, mine):
            return None
        return cells, outside, fill


def nearest_image_cache(image) -> _NearestImageCache | None:
    """Give a nearest-interpolated `AxesImage` the cached pixel → cell map (idempotent: the
    cache is kept as the image's instance `make_image`, which `AxesImage.draw` calls). Other
    image classes (say, `NonUniformImage`) are left alone: None."""
    cache = image.__dict__.get("make_image")
    if isinstance(cache, _NearestImageCache) or type(image) is not mimage.AxesImage:
        return cache
    cache = _NearestImageCache(image)
    image.make_image = cache
    return cache
