"""Every lesson's plots (00–11): labelled attention heatmaps, token-to-token line diagrams,
masks, and image
patches with a per-patch overlay.

Every function draws once and returns a small view object holding the figure and the artists a
caller updates; each view's `update(...)` changes those artists in place (no new `imshow`) and
returns the artists it touched, ready for an explorer to blit. Called without `ax`, a function makes
its own pyplot figure, so it also works as a plain static plot.

Orientation (as everywhere in the course): α′ has queries on rows and keys on columns, so row i of a
heatmap is "where token i looks".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from . import fonts
from ._validate import (
    as_bool_array,
    as_float_array,
    check_bool,
    check_float,
    check_int,
    check_nonempty,
    check_words,
)
from .language import _

__all__ = [
    "HEAD_COLORS",
    "HeatmapView",
    "LinesView",
    "PatchView",
    "attention_heatmap",
    "display_label",
    "mask_plot",
    "nice_limit",
    "patch_overlay",
    "token_lines",
]

# Okabe–Ito: distinguishable under the common colour-vision deficiencies; one colour per head.
# The Okabe–Ito palette (readable with every common colour-vision deficiency), the course's
# only colours; GREY is the "not allowed" cell of a mask.
BLUE, ORANGE, GREEN, PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
SKY, VERMILION, YELLOW, BLACK, GREY = "#56B4E9", "#D55E00", "#F0E442", "#000000", "#f2f2f2"
HEAD_COLORS = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILION, YELLOW, BLACK)
MASK_CMAP = mcolors.ListedColormap([GREY, BLUE])  # False, True
QUERY_COLOR = VERMILION

# Fonts that cover CJK, tried in order when installed (a learner's laptop usually has one).
@functools.lru_cache(maxsize=1)
def _font_charmaps():
    """(the label font families, the set of code points they cover): DejaVu Sans, then the
    course's shipped CJK font (`helpers.fonts`)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    fonts.register_cjk_font()
    covered: set[int] = set()
    for path in (font_manager.findfont("DejaVu Sans"), str(fonts.FONT_PATH)):
        covered.update(FT2Font(path).get_charmap())
    return ["DejaVu Sans", fonts.FAMILY], frozenset(covered)


def label_fonts() -> list[str]:
    """Font families for token labels: DejaVu Sans, then the course's CJK font."""
    return list(_font_charmaps()[0])


MAX_LABEL_CHARS = 14  # a longer token is cut to 13 characters + "…", so it cannot crowd a layout


def display_label(token: str) -> str:
    """`token` as it can be drawn: characters no installed font has become U+XXXX (no
    missing-glyph boxes), and a label longer than `MAX_LABEL_CHARS` is cut short with "…"."""
    covered = _font_charmaps()[1]
    out = []
    for ch in str(token):
        out.append(ch if (ord(ch) in covered or ch.isspace()) else f"U+{ord(ch):04X}")
    label = "".join(out) if out else "∅"
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def nice_limit(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ |x| (a stable axis or colour limit); 1 for
    0. Near the largest float, where 10^(k+1) would overflow, |x| itself."""
    x = abs(check_float("x", x))
    if x == 0:
        return 1.0
    k = np.floor(np.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        with np.errstate(over="ignore"):
            limit = m * 10.0**k
        if not np.isfinite(limit):
            return float(x)
        if limit >= x * (1 - 1e-12):
            return float(limit)
    return float(x)


def new_figure(figsize):
    """The course's figure setup for static plots: a pyplot figure with a constrained layout."""
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize, layout="constrained")


def _new_axes(ax, figsize):
    """`ax`'s figure and `ax`, or a new figure (`new_figure`) with one axes when `ax` is None."""
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(figsize)
    return fig, fig.add_subplot()


def _check_tokens(name: str, tokens, n: int) -> list[str]:
    if tokens is None:
        return [str(i) for i in range(n)]
    tokens = [str(t) for t in tokens]
    if len(tokens) != n:
        raise ValueError(
            _("{name} must have one label per row/column: {n} labels; got {count}").format(
                name=name, n=n, count=len(tokens)
            )
        )
    return tokens


def _label_size(n: int) -> float:
    return float(np.clip(220 / max(n, 1), 5, 10))


# ---- heatmap -------------------------------------------------------------------------------------
@dataclass
class HeatmapView:
    """A drawn heatmap. `update(values)` sets new cell values (same shape) and returns the
    changed artists."""

    fig: object
    ax: object
    image: object
    colorbar: object | None
    texts: list = field(default_factory=list)
    highlight: Rectangle | None = None
    fmt: str = "{:.2f}"

    def update(self, values, *, highlight_row: int | None = None) -> list:
        values = np.asarray(values)
        old = self.image.get_array()
        if values.shape != old.shape:
            raise ValueError(
                _(
                    "values must keep the heatmap's shape {shape}; got shape {got} (draw a new "
                    "heatmap instead)"
                ).format(shape=old.shape, got=values.shape)
            )
        self.image.set_data(values)
        artists = [self.image]
        if self.texts:
            flat = values.ravel()
            rgba = self.image.cmap(self.image.norm(flat))  # (cells, 4): one colormap call
            for t, v, cell in zip(self.texts, flat, rgba, strict=True):
                t.set_text(self.fmt.format(v))
                t.set_color(_ink_on(cell))
            artists += self.texts
        if self.highlight is not None:
            if highlight_row is not None:
                self.highlight.set_y(highlight_row - 0.5)
            artists.append(self.highlight)
        return artists

    def set_clim(self, vmin: float, vmax: float) -> bool:
        """Change the colour range; True if it changed (the colour bar then needs a full redraw)."""
        if self.image.get_clim() == (vmin, vmax):
            return False
        self.image.set_clim(vmin, vmax)
        return True


def _ink_on(rgba) -> str:
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def attention_heatmap(
    alpha_prime,
    tokens=None,
    *,
    key_tokens=None,
    ax=None,
    annotate: bool | str = "auto",
    cmap: str = "viridis",
    vmin: float | None = 0.0,
    vmax: float | None = 1.0,
    colorbar: bool = True,
    highlight_row: int | None = None,
    title: str | None = None,
    xlabel: str = "keys",
    ylabel: str = "queries",
    cbar_label: str = "α′",
    fmt: str = "{:.2f}",
) -> HeatmapView:
    """Labelled heatmap of an attention matrix: queries on rows, keys on columns.

    alpha_prime (n_queries, n_keys); tokens: n_queries labels (also used for the keys when
    `key_tokens` is None and the matrix is square). annotate: write each value in its cell (True,
    False, or "auto" = only when both sides are ≤ 10). vmin/vmax: colour range (None = the data's).
    highlight_row: frame one query's row. The default labels ("keys", "queries") speak the
    edition's language (`helpers.language`). Returns a `HeatmapView`.
    """
    if isinstance(alpha_prime, np.ndarray) and alpha_prime.dtype == bool:
        alpha_prime = alpha_prime.astype(float)  # a mask, drawn as 0 and 1
    A = as_float_array("alpha_prime", alpha_prime, 2, "(n_queries, n_keys)", allow_neg_inf=True)
    check_nonempty("alpha_prime", A, "(n_queries, n_keys)")
    A = A.astype(float)
    annotate = annotate if annotate == "auto" else check_bool("annotate", annotate)
    colorbar = check_bool("colorbar", colorbar)
    nq, nk = A.shape
    q_labels = _check_tokens("tokens", tokens, nq)
    if key_tokens is None and tokens is not None and nq == nk:
        key_tokens = tokens
    k_labels = _check_tokens("key_tokens", key_tokens, nk)
    fig, ax = _new_axes(ax, (0.9 + 0.32 * nk + 1.0, 0.6 + 0.3 * nq + 0.6))
    finite = A[np.isfinite(A)]
    vmin = float(finite.min()) if vmin is None and finite.size else vmin
    vmax = float(finite.max()) if vmax is None and finite.size else vmax
    if vmin is not None and vmax is not None and vmin >= vmax:
        vmax = vmin + 1.0
    image = ax.imshow(A, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest", aspect="auto")
    fonts = label_fonts()
    size = _label_size(max(nq, nk))
    rotate = nk > 6 or any(len(t) > 3 for t in k_labels)
    ax.set_xticks(
        range(nk),
        [display_label(t) for t in k_labels],
        rotation=90 if rotate else 0,
        fontsize=size,
        fontfamily=fonts,
    )
    ax.set_yticks(range(nq), [display_label(t) for t in q_labels], fontsize=size, fontfamily=fonts)
    ax.tick_params(length=0)
    # the English defaults, looked up in the edition's catalog; any other text is drawn as given
    ax.set_xlabel(_("keys") if xlabel == "keys" else xlabel)
    ax.set_ylabel(_("queries") if ylabel == "queries" else ylabel)
    if title:
        ax.set_title(title)
    cbar = (
        ax.figure.colorbar(image, ax=ax, label=cbar_label, fraction=0.05, pad=0.02)
        if colorbar
        else None
    )
    texts = []
    if annotate is True or (annotate == "auto" and max(nq, nk) <= 10):
        for i in range(nq):
            for j in range(nk):
                v = A[i, j]
                texts.append(
                    ax.text(
                        j,
                        i,
                        fmt.format(v),
                        ha="center",
                        va="center",
                        fontsize=max(6.0, size - 1),
                        color=_ink_on(image.cmap(image.norm(v))),
                    )
                )
    highlight = None
    if highlight_row is not None:
        highlight = Rectangle(
            (-0.5, highlight_row - 0.5),
            nk,
            1,
            fill=False,
            edgecolor=VERMILION,
            linewidth=2.0,
            clip_on=False,
        )
        ax.add_patch(highlight)
    return HeatmapView(fig, ax, image, cbar, texts, highlight, fmt)


def mask_plot(
    mask, tokens=None, *, ax=None, title: str | None = "mask (True = may attend)"
) -> HeatmapView:
    """A boolean mask (n_queries, n_keys) as a two-colour grid: dark = allowed, light = masked.

    Same orientation and labels as `attention_heatmap`; `update(new_mask)` redraws it in place.
    The default title speaks the edition's language (`helpers.language`); title=None draws none.
    """
    M = as_bool_array("mask", mask)
    if M.dtype != bool or M.ndim != 2 or 0 in M.shape:
        raise ValueError(
            _(
                "mask must be a non-empty boolean array (n_queries, n_keys); got dtype {dtype}, "
                "shape {shape}"
            ).format(dtype=M.dtype, shape=M.shape)
        )
    if title == "mask (True = may attend)":  # the default, in the edition's language
        title = _("mask (True = may attend)")
    cmap = MASK_CMAP
    view = attention_heatmap(
        M.astype(float),
        tokens,
        ax=ax,
        annotate=False,
        cmap=cmap,
        vmin=0,
        vmax=1,
        colorbar=False,
        title=title,
    )
    view.ax.set_xticks(np.arange(-0.5, M.shape[1]), minor=True)
    view.ax.set_yticks(np.arange(-0.5, M.shape[0]), minor=True)
    view.ax.grid(which="minor", color="white", linewidth=0.5)
    view.ax.tick_params(which="minor", length=0)
    return view


# ---- token-to-token lines ------------------------------------------------------------------------
@dataclass
class LinesView:
    """A drawn line diagram. `update(alpha_prime, query)` reweights the lines and moves the
    highlight."""

    fig: object
    ax: object
    collections: list
    left_texts: list
    right_texts: list
    colors: tuple
    max_width: float
    highlight: Rectangle
    query: int | None = None

    def update(self, alpha_prime, query: int | None = None) -> list:
        A = _as_heads(alpha_prime)
        h, n = A.shape[:2]
        if h != len(self.collections) or n != len(self.left_texts):
            raise ValueError(
                _("alpha_prime must keep the shape {shape} heads × tokens; got {got}").format(
                    shape=(len(self.collections), len(self.left_texts)), got=A.shape
                )
            )
        for coll, color, a in zip(self.collections, self.colors, A, strict=True):
            widths, rgba = _line_style(a, query, color, self.max_width)
            coll.set_linewidths(widths)
            coll.set_color(rgba)
        if query is None:
            self.highlight.set_visible(False)
        else:
            self.highlight.set_visible(True)
            self.highlight.set_y(-query - 0.42)
        self.query = query
        return [*self.collections, self.highlight]


def _as_heads(alpha_prime) -> np.ndarray:
    A = np.asarray(alpha_prime, dtype=float)
    if A.ndim == 2:
        A = A[None]
    if A.ndim != 3 or A.shape[1] != A.shape[2] or 0 in A.shape:
        raise ValueError(
            _("alpha_prime must be (n, n) or (n_heads, n, n); got shape {shape}").format(
                shape=np.shape(alpha_prime)
            )
        )
    return A


def _line_style(a: np.ndarray, query: int | None, color, max_width: float):
    """Widths (n·n,) and RGBA (n·n, 4) for one head's lines: width and opacity follow α′ (clipped
    to [0, 1])."""
    n = a.shape[0]
    w = np.clip(np.nan_to_num(a, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
    strength = w.copy()
    if query is not None:
        others = np.ones(n, dtype=bool)
        others[query] = False
        strength[others] *= 0.08  # the other queries fade into the background
    rgba = np.empty((n * n, 4))
    rgba[:, :3] = mcolors.to_rgb(color)
    rgba[:, 3] = np.clip(strength.ravel() * 0.95, 0.0, 1.0)
    return max_width * strength.ravel(), rgba


def token_lines(
    alpha_prime,
    tokens,
    *,
    query: int | None = 0,
    ax=None,
    colors=HEAD_COLORS,
    max_width: float = 6.0,
    title: str | None = None,
) -> LinesView:
    """bertviz-style head view: queries in the left column, keys in the right, a line from
    query i to
    key j whose width and opacity follow α′[i, j]; one colour per head; `query` (an index, or None
    for all queries equally) is highlighted and the others fade.

    alpha_prime (n, n) or (n_heads, n, n); tokens: n labels. Returns a `LinesView`.
    """
    A = _as_heads(alpha_prime)
    h, n = A.shape[:2]
    labels = [display_label(t) for t in _check_tokens("tokens", tokens, n)]
    if query is not None and not (isinstance(query, (int, np.integer)) and 0 <= query < n):
        raise ValueError(
            _("query must be None or a token index 0…{last}; got {query!r}").format(
                last=n - 1, query=query
            )
        )
    if len(colors) < h:
        raise ValueError(
            _("colors must give one colour per head: {h} heads; got {count} colours").format(
                h=h, count=len(colors)
            )
        )
    fig, ax = _new_axes(ax, (3.2, 0.5 + 0.28 * n))
    y = -np.arange(n, dtype=float)
    xl, xr = 0.0, 1.0
    segs = np.empty((n, n, 2, 2))
    segs[:, :, 0, 0] = xl
    segs[:, :, 1, 0] = xr
    segs[:, :, 0, 1] = y[:, None]
    segs[:, :, 1, 1] = y[None, :]
    segs = segs.reshape(n * n, 2, 2)
    colls = []
    for k in range(h):
        widths, rgba = _line_style(A[k], query, colors[k], max_width / h**0.5)
        coll = LineCollection(segs, linewidths=widths, colors=rgba, capstyle="round")
        ax.add_collection(coll)
        colls.append(coll)
    fonts = label_fonts()
    size = _label_size(n) + 1
    left = [
        ax.text(
            xl - 0.04, y[i], labels[i], ha="right", va="center", fontsize=size, fontfamily=fonts
        )
        for i in range(n)
    ]
    right = [
        ax.text(xr + 0.04, y[i], labels[i], ha="left", va="center", fontsize=size, fontfamily=fonts)
        for i in range(n)
    ]
    # the chosen query: a translucent band over its label (one artist to move, the labels stay put)
    highlight = Rectangle(
        (-0.74, -(query or 0) - 0.42), 0.74, 0.84, facecolor=ORANGE, alpha=0.35, edgecolor="none"
    )
    highlight.set_visible(query is not None)
    ax.add_patch(highlight)
    ax.set_xlim(-0.75, 1.75)
    ax.set_ylim(-n + 0.4, 0.8)
    ax.text(xl, 0.65, _("query"), ha="center", fontsize=9.5, color="0.3")
    ax.text(xr, 0.65, _("key"), ha="center", fontsize=9.5, color="0.3")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return LinesView(
        fig, ax, colls, left, right, tuple(colors[:h]), max_width / h**0.5, highlight, query
    )


# ---- images and patches --------------------------------------------------------------------------
@dataclass
class PatchView:
    """An image with its patch grid. `update(weights, selected)` recolours the overlay and moves
    the frame."""

    fig: object
    ax: object
    image: object
    overlay: object
    grid: LineCollection
    highlight: Rectangle
    patch_size: int
    grid_shape: tuple

    def update(self, weights=None, selected: int | None = None) -> list:
        artists = []
        if weights is not None:
            W = _patch_weights(weights, self.grid_shape)
            self.overlay.set_data(W)
            self.overlay.set_visible(True)
            artists.append(self.overlay)
        if selected is not None:
            r, c = divmod(int(selected), self.grid_shape[1])
            self.highlight.set_xy((c * self.patch_size - 0.5, r * self.patch_size - 0.5))
            self.highlight.set_visible(True)
        artists.append(self.highlight)
        return artists


def _patch_weights(weights, grid_shape) -> np.ndarray:
    W = np.asarray(weights, dtype=float)
    if W.size != grid_shape[0] * grid_shape[1]:
        raise ValueError(
            _(
                "weights must have one value per patch: {rows}×{cols} = {n_patches}; got shape "
                "{shape}"
            ).format(
                rows=grid_shape[0],
                cols=grid_shape[1],
                n_patches=grid_shape[0] * grid_shape[1],
                shape=W.shape,
            )
        )
    return W.reshape(grid_shape)


def patch_overlay(
    image,
    patch_size: int,
    weights=None,
    *,
    selected: int | None = None,
    ax=None,
    cmap: str = "magma",
    alpha: float = 0.55,
    vmin: float = 0.0,
    vmax: float | None = None,
    title: str | None = None,
) -> PatchView:
    """An image (H, W) or (H, W, 3|4) cut into patch_size × patch_size patches (row-major order, as
    in ViT), with a per-patch overlay `weights` (n_patches,) or (rows, cols), e.g. what the
    `selected` patch attends to. Pixels beyond the last whole patch are dropped. Returns a
    `PatchView`.
    """
    img = np.asarray(image)
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (3, 4)) or 0 in img.shape:
        raise ValueError(
            _("image must have shape (H, W) or (H, W, 3|4); got shape {shape}").format(
                shape=img.shape
            )
        )
    if (
        isinstance(patch_size, bool)
        or not isinstance(patch_size, (int, np.integer))
        or patch_size < 1
    ):
        raise ValueError(
            _("patch_size must be an integer ≥ 1; got {patch_size!r}").format(patch_size=patch_size)
        )
    rows, cols = img.shape[0] // patch_size, img.shape[1] // patch_size
    if rows == 0 or cols == 0:
        raise ValueError(
            _("patch_size = {patch_size} is larger than the image ({H}×{W} pixels)").format(
                patch_size=patch_size, H=img.shape[0], W=img.shape[1]
            )
        )
    img = img[: rows * patch_size, : cols * patch_size]
    fig, ax = _new_axes(ax, (4.0, 4.0 * rows / cols + 0.4))
    shown = ax.imshow(img, cmap="gray" if img.ndim == 2 else None, interpolation="nearest")
    W = np.zeros((rows, cols)) if weights is None else _patch_weights(weights, (rows, cols))
    h, w = rows * patch_size, cols * patch_size
    overlay = ax.imshow(
        W,
        cmap=cmap,
        alpha=alpha,
        vmin=vmin,
        vmax=vmax if vmax is not None else max(float(W.max()), 1e-12),
        extent=(-0.5, w - 0.5, h - 0.5, -0.5),
        interpolation="nearest",
    )
    overlay.set_visible(weights is not None)
    xs = np.arange(cols + 1) * patch_size - 0.5
    ys = np.arange(rows + 1) * patch_size - 0.5
    segs = [((x, -0.5), (x, h - 0.5)) for x in xs] + [((-0.5, y), (w - 0.5, y)) for y in ys]
    grid = LineCollection(segs, colors="white", linewidths=0.8, alpha=0.8)
    ax.add_collection(grid)
    highlight = Rectangle(
        (-0.5, -0.5), patch_size, patch_size, fill=False, edgecolor=SKY, linewidth=2.5
    )
    ax.add_patch(highlight)
    highlight.set_visible(selected is not None)
    if selected is not None:
        r, c = divmod(int(selected), cols)
        highlight.set_xy((c * patch_size - 0.5, r * patch_size - 0.5))
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return PatchView(fig, ax, shown, overlay, grid, highlight, patch_size, (rows, cols))


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(i: int) -> str:
    """3 → "³", 12 → "¹²" (the lecture's a¹ … aⁿ)."""
    return str(check_int("i", i, minimum=0)).translate(_SUPERSCRIPTS)


def plot_graph_vectors(features, edges, names, feature_names=None):
    """A graph as a vector set: the nodes drawn on a circle with their edges (left) and the node
    vectors as rows of a heatmap (right). features (n, d); edges [(i, j), …]; names n labels;
    feature_names d column labels (default "feature 1" …)."""
    F = as_float_array("features", features, 2, "(n, d)")
    names = check_words("names", names)
    if F.shape[0] != len(names):
        raise ValueError(
            _("features must have shape (n, d) with n = len(names) = {n}; got {shape}").format(
                n=len(names), shape=F.shape
            )
        )
    n = F.shape[0]
    fig = new_figure((8.0, 3.2))
    ax_g, ax_v = fig.subplots(1, 2, width_ratios=[1.0, 1.3])
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    xy = np.stack([np.cos(angle), np.sin(angle)], 1)  # (n, 2)
    for i, j in edges:
        ax_g.plot(*xy[[i, j]].T, color="0.6", linewidth=1.5, zorder=1)
    ax_g.scatter(*xy.T, s=560, color=SKY, zorder=2)
    for (x, y), name in zip(xy, names, strict=True):
        ax_g.text(x, y, name, ha="center", va="center", fontsize=10, zorder=3)
    ax_g.set_xlim(-1.4, 1.4)
    ax_g.set_ylim(-1.3, 1.3)
    ax_g.set_aspect("equal")
    ax_g.set_axis_off()
    ax_g.set_title(
        _("a graph: {n} nodes, {n_edges} edges").format(n=n, n_edges=len(edges)), fontsize=10.5
    )
    im = ax_v.imshow(F, cmap="viridis", aspect="auto")
    ax_v.set_yticks(
        range(n), [f"{name}  a{superscript(i + 1)}" for i, name in enumerate(names)], fontsize=10
    )
    if feature_names is None:
        feature_names = [_("feature {j}").format(j=j + 1) for j in range(F.shape[1])]
    ax_v.set_xticks(range(F.shape[1]), list(feature_names), fontsize=10)
    ax_v.set_title(_("… is a set of {n} vectors (one per node)").format(n=n), fontsize=10.5)
    fig.colorbar(im, ax=ax_v, fraction=0.05).ax.tick_params(labelsize=9)
    return fig


def _rgb_image(name: str, image) -> np.ndarray:
    """An RGB image (H, W, 3) as floats in [0, 1]: uint8 0 … 255 is divided by 255, floats must
    already lie in [0, 1]; anything else is a ValueError (matplotlib would clip it silently)."""
    try:
        img = np.asarray(image)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(
            _("{name} must be an array of shape (H, W, 3); could not read it ({error})").format(
                name=name, error=exc
            )
        ) from None
    if img.ndim != 3 or img.shape[2] != 3 or 0 in img.shape:
        raise ValueError(
            _("{name} must have shape (H, W, 3) (R, G, B); got shape {shape}").format(
                name=name, shape=img.shape
            )
        )
    if img.dtype == np.uint8:
        return img.astype(float) / 255.0
    if not np.issubdtype(img.dtype, np.floating):
        if np.issubdtype(img.dtype, np.integer):
            message = _(
                "{name} must hold floats in [0, 1] or uint8 values 0 … 255; got dtype {dtype} "
                "(convert with image.astype(np.uint8) if its values are 0 … 255)"
            )
        else:
            message = _(
                "{name} must hold floats in [0, 1] or uint8 values 0 … 255; got dtype {dtype}"
            )
        raise ValueError(message.format(name=name, dtype=img.dtype))
    img = img.astype(float)
    if not np.all(np.isfinite(img)):
        raise ValueError(
            _("{name} contains NaN or inf; every value must lie in [0, 1]").format(name=name)
        )
    lo, hi = float(img.min()), float(img.max())
    if lo < 0 or hi > 1:
        if hi <= 255 and lo >= 0:
            message = _(
                "{name} is float, so its values must lie in [0, 1]; got {lo:.3g} … {hi:.3g} "
                "(values 0 … 255? divide by 255, or pass uint8)"
            )
        else:
            message = _(
                "{name} is float, so its values must lie in [0, 1]; got {lo:.3g} … {hi:.3g}"
            )
        raise ValueError(message.format(name=name, lo=lo, hi=hi))
    return img


def plot_image_vectors(image):
    """An image (H, W, 3) as a vector set: the image with its pixel grid (left) and the H·W pixel
    vectors in reading order as a strip of colour swatches (right, wrapped every W pixels).

    The image is floats in [0, 1] or uint8 in 0 … 255 (as image files load), nothing else: other
    values would be clipped to black or white without a word, so they raise a ValueError."""
    img = _rgb_image("image", image)
    H, W = img.shape[:2]
    fig = new_figure((8.0, 2.4))
    ax_i, ax_v = fig.subplots(1, 2, width_ratios=[1.0, 2.2])
    ax_i.imshow(img, interpolation="nearest")
    ax_i.set_xticks(np.arange(-0.5, W), minor=True)
    ax_i.set_yticks(np.arange(-0.5, H), minor=True)
    ax_i.grid(which="minor", color="white", linewidth=0.8)
    ax_i.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    ax_i.set_title(_("a {H} × {W} RGB image").format(H=H, W=W), fontsize=10.5)
    ax_v.imshow(img.reshape(1, H * W, 3), interpolation="nearest", aspect="auto")
    ax_v.set_yticks([])
    ticks = [0, *range(W - 1, H * W, W)]
    ax_v.set_xticks(ticks, [f"a{superscript(t + 1)}" for t in ticks], fontsize=10)
    ax_v.set_title(
        _(
            "… is a set of {n} vectors, each of {channels} numbers (R, G, B), read row by row"
        ).format(n=H * W, channels=img.shape[2]),
        fontsize=10.5,
    )
    return fig


def plot_output_types(tokens, tags):
    """The lecture's three kinds of output for a vector set: a label per vector (sequence
    labelling),
    one label for the whole sequence, and a sequence of any length (seq2seq)."""
    tokens = check_words("tokens", tokens)
    tags = check_words("tags", tags)
    if len(tags) != len(tokens):
        raise ValueError(
            _("tags must have one label per token: {n}; got {count}").format(
                n=len(tokens), count=len(tags)
            )
        )
    n = len(tokens)
    fig = new_figure((9.6, 3.0))
    axes = fig.subplots(1, 3)
    box = {"boxstyle": "round,pad=0.25", "facecolor": "#deebf7", "edgecolor": BLUE}
    out = {"boxstyle": "round,pad=0.25", "facecolor": "#fde0c5", "edgecolor": VERMILION}
    arrow = {"arrowstyle": "->", "color": "0.4"}
    titles = [
        _("1 · a label per vector\n(sequence labelling, e.g. POS tags)"),
        _("2 · one label for the whole sequence\n(e.g. sentiment, speaker)"),
        _("3 · the model decides how many labels\n(seq2seq, e.g. translation to French)"),
    ]
    seq2seq = ["j'ai", "vu", "une", "scie"]  # French for "I saw a saw"
    for k, ax in enumerate(axes):
        ax.set_xlim(-0.7, max(n, len(seq2seq)) - 0.3)
        ax.set_ylim(-0.6, 2.6)
        ax.set_axis_off()
        ax.set_title(titles[k], fontsize=10)
        for i, t in enumerate(tokens):
            ax.text(
                i,
                0,
                display_label(t),
                ha="center",
                va="center",
                fontsize=9.5,
                bbox=box,
                fontfamily=label_fonts(),
            )
        if k == 0:
            for i, tag in enumerate(tags):
                ax.annotate("", xy=(i, 1.75), xytext=(i, 0.3), arrowprops=arrow)
                ax.text(i, 2.0, tag, ha="center", va="center", fontsize=8.5, bbox=out)
        elif k == 1:
            mid = (n - 1) / 2
            for i in range(n):
                ax.annotate("", xy=(mid, 1.75), xytext=(i, 0.3), arrowprops=arrow)
            ax.text(mid, 2.0, _("neutral"), ha="center", va="center", fontsize=9.5, bbox=out)
        else:
            ax.text(
                (n - 1) / 2,
                1.0,
                _("model"),
                ha="center",
                va="center",
                fontsize=9.5,
                color="0.3",
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "0.5"},
            )
            for i, w in enumerate(seq2seq):
                ax.text(
                    i * (n - 1) / max(len(seq2seq) - 1, 1),
                    2.0,
                    w,
                    ha="center",
                    va="center",
                    fontsize=9.5,
                    bbox=out,
                    fontfamily=label_fonts(),
                )
    return fig
