"""Lesson 09: `PatchExplorer` (an image regridded into patches; a picked patch's α′ overlaid) and
`ReceptiveFieldExplorer` (a CNN's receptive field as an attention mask).

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
Patches, pixels and pixel coordinates are counted from 1 wherever the learner reads them (patch 1
is row 0 of the sequence); the controls' values and the state hold 0-based indices.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .. import plots
from .._validate import check_int
from ..explorer import Explorer
from ..images import (
    attention_to_pixels,
    load_sample_image,
    patch_grid,
    patch_similarity_attention,
    patchify,
    receptive_field_mask,
)
from ..language import _

TEMPERATURES = (0.02, 0.5)  # the temperature slider's range


def _numbered(n: int, value: int, description: str, **kwargs) -> widgets.SelectionSlider:
    """A slider over 0-based indices 0 … n − 1 whose readout counts 1 … n, as the lecture does."""
    return widgets.SelectionSlider(
        options=[(str(k + 1), k) for k in range(n)], value=value, description=description, **kwargs
    )


def _index(name: str, value, n: int, what: str) -> int:
    """`value` as a 0-based index below n; `what` names it in the message ("pixel row")."""
    value = check_int(name, value, minimum=0)
    if value >= n:
        raise ValueError(
            _("{name} must be a {what} 0 … {last} ({what} 1 is 0); got {value}").format(
                name=name, what=what, last=n - 1, value=value
            )
        )
    return value


def _cell_lines(height: int, width: int, step: int = 1) -> list:
    """Segments between the cells (`step` pixels wide) of a height × width image drawn with
    imshow (pixel centres on the integers)."""
    xs = np.arange(0, width + 1, step) - 0.5
    ys = np.arange(0, height + 1, step) - 0.5
    return [((x, -0.5), (x, height - 0.5)) for x in xs] + [
        ((-0.5, y), (width - 0.5, y)) for y in ys
    ]


class PatchExplorer(Explorer):
    """Grace Hopper's photo cut into patches: a patch-size slider regrids the image and the
    sequence of
    patch vectors; the picked patch's α′ (content similarity, W_q = W_k = I) is painted over the
    image."""

    figsize = (9.6, 4.4)
    layout_controls = frozenset({"patch"})  # another patch size: another grid, sequence shape
    dpi = 80

    def __init__(
        self,
        *,
        patch: int = 12,
        pick_x: int = 40,
        pick_y: int = 36,
        temperature: float = 0.1,
        size: int = 96,
    ):
        self.image = load_sample_image(size)  # (size, size, 3)
        options = [p for p in (4, 6, 8, 12, 16, 24, 32, 48) if size % p == 0 and size // p >= 2]
        if not options:
            raise ValueError(
                _(
                    "size = {size} cuts into no patch grid this explorer offers (patch sides 4, "
                    "6, 8, 12, 16, 24, 32, 48, at least 2 × 2 patches); try size = 96"
                ).format(size=size)
            )
        if isinstance(patch, bool) or patch not in options:
            raise ValueError(
                _(
                    "patch must be one of {options} for a {size} × {size} image; got {patch!r}"
                ).format(options=options, size=size, patch=patch)
            )
        pick_x = _index("pick_x", pick_x, size, _("pixel column"))
        pick_y = _index("pick_y", pick_y, size, _("pixel row"))
        lo, hi = TEMPERATURES
        if (
            isinstance(temperature, bool)
            or not isinstance(temperature, (int, float, np.integer, np.floating))
            or not lo <= temperature <= hi
        ):
            raise ValueError(
                _("temperature must be a number in [{lo}, {hi}]; got {temperature!r}").format(
                    lo=lo, hi=hi, temperature=temperature
                )
            )
        style = {"description_width": "initial"}
        self.controls = {
            "patch": widgets.SelectionSlider(
                options=options, value=patch, description=_("patch size (pixels)"), style=style
            ),
            "pick_x": _numbered(size, pick_x, _("pick x (column)"), style=style),
            "pick_y": _numbered(size, pick_y, _("pick y (row)"), style=style),
            "temperature": widgets.FloatSlider(
                float(temperature),
                min=lo,
                max=hi,
                step=0.01,
                description=_("temperature"),
                style=style,
            ),
        }
        self._drawn_patch = None
        super().__init__()

    def compute(self, patch: int, pick_x: int, pick_y: int, temperature: float) -> dict:
        H, W, C = self.image.shape
        rows, cols = patch_grid(self.image.shape, patch)
        patches = patchify(self.image, patch)  # (rows·cols, patch·patch·3)
        query = (pick_y // patch) * cols + pick_x // patch
        alpha_prime = patch_similarity_attention(patches, temperature=temperature)  # (n, n)
        row = alpha_prime[query]
        others = np.delete(row, query)
        r, c = divmod(int(query), cols)
        return {
            # Colour scale: the largest weight on any *other* patch (the patch itself,
            # most like itself, would swamp it).
            "vmax": float(others.max()) if others.size else 1.0,
            "patch": patch,
            "grid": (rows, cols),
            "query": int(query),
            "weights": row,
            "heat": attention_to_pixels(row, self.image.shape, patch),  # (H, W)
            "sequence": patches.reshape(
                rows * cols, patch * patch, C
            ),  # row i = patch i's pixels, in order
            "title": _(
                "{rows}×{cols} = {n} patches of {p}×{p} px → vectors of size {p}·{p}·3 = {d}"
            ).format(rows=rows, cols=cols, n=rows * cols, p=patch, d=patch * patch * C),
            "pick_title": _("α′ of patch {patch} (row {row}, col. {col})").format(
                patch=query + 1, row=r + 1, col=c + 1
            ),
        }

    def _grid_segments(self, patch: int):
        H, W, _ = self.image.shape
        return _cell_lines(H, W, patch)

    def draw(self, fig, state) -> None:
        gs = fig.add_gridspec(
            1,
            3,
            width_ratios=[1, 1, 0.9],
            left=0.01,
            right=0.99,
            top=0.86,
            bottom=0.08,
            wspace=0.2,
        )
        ax_i = fig.add_subplot(gs[0, 0])
        ax_o = fig.add_subplot(gs[0, 1])
        ax_s = fig.add_subplot(gs[0, 2])
        ax_i.imshow(self.image, interpolation="nearest")
        self.grid = LineCollection(
            self._grid_segments(state["patch"]), colors="white", linewidths=0.7, alpha=0.9
        )
        ax_i.add_collection(self.grid)
        ax_i.set_title(_("the image, cut into patches"), fontsize=11)
        ax_o.imshow(self.image.mean(axis=2), cmap="gray", interpolation="nearest")
        self.heat = ax_o.imshow(
            state["heat"],
            cmap="magma",
            alpha=0.7,
            vmin=0,
            vmax=state["vmax"],
            interpolation="nearest",
        )
        p = state["patch"]
        r, c = divmod(state["query"], state["grid"][1])
        self.pick_i = Rectangle(
            (c * p - 0.5, r * p - 0.5), p, p, fill=False, edgecolor=plots.SKY, linewidth=2.5
        )
        self.pick_o = Rectangle(
            (c * p - 0.5, r * p - 0.5), p, p, fill=False, edgecolor=plots.SKY, linewidth=2.5
        )
        ax_i.add_patch(self.pick_i)
        ax_o.add_patch(self.pick_o)
        self.pick_title = ax_o.set_title(state["pick_title"], fontsize=11)
        for ax in (ax_i, ax_o):
            ax.set_xticks([])
            ax.set_yticks([])
        self.ax_s = ax_s
        # Patch k + 1 is row k: the extent puts patch 1 … n on the y axis, as the lecture counts.
        n, d = state["sequence"].shape[:2]
        self.seq = ax_s.imshow(
            state["sequence"],
            aspect="auto",
            interpolation="nearest",
            extent=(-0.5, d - 0.5, n + 0.5, 0.5),
        )
        self.seq_pick = Rectangle(
            (-0.5, state["query"] + 0.5),
            state["sequence"].shape[1],
            1,
            fill=False,
            edgecolor=plots.SKY,
            linewidth=2.0,
            clip_on=False,
        )
        ax_s.add_patch(self.seq_pick)
        self.seq_title = ax_s.set_title(
            _("the sequence: {n} patch vectors").format(n=n), fontsize=11, pad=9
        )
        ax_s.set_xlabel(_("its pixels, in order (the vector)"), fontsize=10)
        ax_s.set_ylabel(_("patch"), fontsize=10)
        ax_s.set_xticks([])
        ax_s.set_yticks(self._seq_ticks(n))
        ax_s.tick_params(labelsize=9)
        self.title = fig.suptitle(state["title"], fontsize=11)
        self._drawn_patch = p

    @staticmethod
    def _seq_ticks(n: int) -> list[int]:
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if n / s <= 8)
        return [1, *range(step, n + 1, step)] if step > 1 else list(range(1, n + 1))

    def background_key(self):
        """The background changes only with the patch size (the grid, the sequence's shape)."""
        return self._drawn_patch

    def update(self, state) -> list | None:
        p = state["patch"]
        r, c = divmod(state["query"], state["grid"][1])
        for rect in (self.pick_i, self.pick_o):
            rect.set_xy((c * p - 0.5, r * p - 0.5))
            rect.set_width(p)
            rect.set_height(p)
        self.heat.set_data(state["heat"])
        self.heat.set_clim(0, state["vmax"])
        self.seq_pick.set_y(state["query"] + 0.5)
        self.pick_title.set_text(state["pick_title"])
        if p == self._drawn_patch:
            return [self.heat, self.pick_i, self.pick_o, self.seq_pick, self.pick_title]
        # The grid and the sequence change shape: move them, then redraw everything (axes
        # limits change).
        n, d = state["sequence"].shape[:2]
        self.grid.set_segments(self._grid_segments(p))
        self.seq.set_data(state["sequence"])
        self.seq.set_extent((-0.5, d - 0.5, n + 0.5, 0.5))
        self.ax_s.set_xlim(-0.5, d - 0.5)
        self.ax_s.set_ylim(n + 0.5, 0.5)
        self.ax_s.set_yticks(self._seq_ticks(n))
        self.seq_title.set_text(_("the sequence: {n} patch vectors").format(n=n))
        self.seq_pick.set_width(d)
        self.title.set_text(state["title"])
        self._drawn_patch = p
        return None


class ReceptiveFieldExplorer(Explorer):
    """A CNN layer is self-attention with a fixed, small receptive field: the kernel × kernel window
    around a pixel, drawn on the pixel grid and as an attention mask beside full
    self-attention's."""

    figsize = (9.6, 3.6)
    dpi = 80

    KERNELS = (1, 3, 5, 7, 9, 11)

    def __init__(self, *, rows: int = 6, cols: int = 6, kernel: int = 3, pixel: int = 14):
        """rows × cols pixels (each 1 … 16); kernel: one of 1, 3, 5, 7, 9, 11; pixel: the query
        pixel as a 0-based index in reading order (pixel 1 is 0)."""
        rows, cols = (check_int(k, v, minimum=1) for k, v in (("rows", rows), ("cols", cols)))
        if rows > 16 or cols > 16:
            raise ValueError(
                _("rows and cols must be 1 … 16 (a small image); got {rows} × {cols}").format(
                    rows=rows, cols=cols
                )
            )
        if isinstance(kernel, bool) or kernel not in self.KERNELS:
            raise ValueError(
                _("kernel must be one of {kernels} (odd); got {kernel!r}").format(
                    kernels=list(self.KERNELS), kernel=kernel
                )
            )
        pixel = _index("pixel", pixel, rows * cols, _("pixel"))
        self.rows, self.cols = rows, cols
        style = {"description_width": "initial"}
        self.controls = {
            "kernel": widgets.SelectionSlider(
                options=list(self.KERNELS), value=kernel, description=_("CNN kernel"), style=style
            ),
            "pixel": _numbered(rows * cols, pixel, _("pixel (query)"), style=style),
        }
        super().__init__()

    def compute(self, kernel: int, pixel: int) -> dict:
        mask = receptive_field_mask(self.rows, self.cols, kernel)  # (n, n)
        field = mask[pixel].reshape(self.rows, self.cols)
        n = self.rows * self.cols
        return {
            "mask": mask,
            "field": field,
            "pixel": pixel,
            "kernel": kernel,
            "text": _(
                "CNN {k}×{k}: pixel {pixel} sees {seen} of {n} pixels; self-attention sees all {n}"
            ).format(k=kernel, pixel=pixel + 1, seen=int(field.sum()), n=n),
        }

    def draw(self, fig, state) -> None:
        n = self.rows * self.cols
        gs = fig.add_gridspec(1, 3, left=0.04, right=0.98, top=0.84, bottom=0.12, wspace=0.3)
        ax_g = fig.add_subplot(gs[0, 0])
        ax_c = fig.add_subplot(gs[0, 1])
        ax_f = fig.add_subplot(gs[0, 2])
        self.field = ax_g.imshow(state["field"], cmap=plots.MASK_CMAP, vmin=0, vmax=1)
        r, c = divmod(state["pixel"], self.cols)
        self.dot = ax_g.scatter([c], [r], s=60, color=plots.QUERY_COLOR, zorder=3)
        # the pixel grid as lines of its own, not the axes' grid: blitted over the field on every
        # move, a line collection costs a tenth of redrawing the axes' ticks
        ax_g.add_collection(
            LineCollection(_cell_lines(self.rows, self.cols), colors="white", linewidths=1)
        )
        ax_g.set_xticks([])
        ax_g.set_yticks([])
        ax_g.set_title(_("receptive field on the image"), fontsize=11)
        # Pixels 1 … n on both axes of the masks, as the lecture counts (pixel k + 1 is row k).
        extent = (0.5, n + 0.5, n + 0.5, 0.5)
        self.cnn = ax_c.imshow(
            state["mask"],
            cmap=plots.MASK_CMAP,
            vmin=0,
            vmax=1,
            interpolation="nearest",
            extent=extent,
        )
        self.crow = ax_c.axhline(state["pixel"] + 1, color=plots.QUERY_COLOR, linewidth=1.2)
        ax_f.imshow(
            np.ones((n, n)),
            cmap=plots.MASK_CMAP,
            vmin=0,
            vmax=1,
            interpolation="nearest",
            extent=extent,
        )
        self.frow = ax_f.axhline(state["pixel"] + 1, color=plots.QUERY_COLOR, linewidth=1.2)
        ax_c.set_title(_("CNN as an attention mask"), fontsize=11)
        ax_f.set_title(_("self-attention: every pixel"), fontsize=11)
        ticks = [1, *range(5, n + 1, 5)] if n > 8 else list(range(1, n + 1))
        for ax in (ax_c, ax_f):
            ax.set_xlabel(_("keys (pixels)"), fontsize=10)
            ax.set_ylabel(_("queries (pixels)"), fontsize=10)
            ax.set_xticks(ticks)
            ax.set_yticks(ticks)
            ax.tick_params(labelsize=9)
        self.text = fig.suptitle(state["text"], fontsize=11)

    def update(self, state) -> list:
        r, c = divmod(state["pixel"], self.cols)
        self.field.set_data(state["field"])
        self.dot.set_offsets([[c, r]])
        self.cnn.set_data(state["mask"])
        self.crow.set_ydata([state["pixel"] + 1] * 2)
        self.frow.set_ydata([state["pixel"] + 1] * 2)
        self.text.set_text(state["text"])
        return [self.field, self.dot, self.cnn, self.crow, self.frow, self.text]
