"""Lesson 08: `TruncationExplorer`, a window slider over the clip's spectrogram redraws the band of
frames one query frame may attend to.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
Frames are counted from 1 wherever the learner reads them (frame 1 is a¹, row X[0]); the controls'
values and the state hold 0-based indices.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from .. import plots, speech
from .._validate import check_int
from ..attention import band_mask, band_to_dense, truncated_attention
from ..explorer import Explorer
from ..language import _
from ..speech import FRAMES_PER_SECOND, random_projections

MAX_WINDOW = 100  # the slider's end: ±1 s of context either side


class TruncationExplorer(Explorer):
    """A window slider over the clip's spectrogram: the band of frames one query frame may
    attend to, its α′ over time, and the whole L × L truncation mask with the cost of full vs
    truncated attention.

    window: frames on each side (0 … 100); query: the query frame as a 0-based index (None: the
    middle of the clip); seed: the seeded random W^q, W^k, W^v; d_k: their width.
    """

    figsize = (9.6, 4.8)
    prepare_controls = frozenset({"window"})  # each width's texts placed once beforehand
    dpi = 80

    def __init__(self, *, window: int = 20, query: int | None = None, seed: int = 0, d_k: int = 16):
        window = check_int("window", window, minimum=0)
        if window > MAX_WINDOW:
            raise ValueError(
                _("window must be 0 … {most} frames on each side; got {window}").format(
                    most=MAX_WINDOW, window=window
                )
            )
        seed = check_int("seed", seed, minimum=0)
        d_k = check_int("d_k", d_k, minimum=1)
        self.spec, self.X = speech.speech_features()
        self.n = self.X.shape[0]
        if query is None:
            query = self.n // 2
        query = check_int("query", query, minimum=0)
        if query >= self.n:
            message = _("query must be a frame index 0 … {last} (frame 1 is index 0); got {query}")
            raise ValueError(message.format(last=self.n - 1, query=query))
        self.W_q, self.W_k, self.W_v = random_projections(
            self.X.shape[1], d_k, rng=np.random.default_rng(seed)
        )
        style = {"description_width": "initial"}
        self.controls = {
            "window": widgets.IntSlider(
                window,
                min=0,
                max=MAX_WINDOW,
                description=_("window w (frames each side)"),
                style=style,
                layout=widgets.Layout(width="420px"),
            ),
            # The lecture's count on the readout (frame 1 … L), the 0-based index as the value.
            "query": widgets.SelectionSlider(
                options=[(str(k + 1), k) for k in range(self.n)],
                value=query,
                description=_("query frame"),
                style=style,
                layout=widgets.Layout(width="380px"),
            ),
        }
        super().__init__()

    def compute(self, window: int, query: int) -> dict:
        n = self.n
        mask = band_mask(n, window)  # (n, n) bool: |i − j| ≤ w
        _B, alpha_band = truncated_attention(
            self.X, self.W_q, self.W_k, self.W_v, window=window
        )  # (n, 2w + 1)
        row = band_to_dense(alpha_band, window)[query]  # (n,): frame q + 1 is row q
        n_trunc = int(mask.sum())
        lo, hi = max(0, query - window), min(n - 1, query + window)
        return {
            "mask": mask,
            "row": row,
            "query": query,
            "window": window,
            "span": (lo, hi),
            "n_full": n * n,
            "n_trunc": n_trunc,
            "text": "\n".join(
                [
                    _("full: L² = {n}² = {scores:,} scores").format(n=n, scores=n * n),
                    _("truncated ≈ L·(2w+1): {kept:,} ({percent:.1f} %)").format(
                        kept=n_trunc, percent=100 * n_trunc / (n * n)
                    ),
                    _("query frame {frame} sees frames {first}…{last}").format(
                        frame=query + 1, first=lo + 1, last=hi + 1
                    ),
                    _("(w = ±{window} frames = ±{ms} ms)").format(window=window, ms=10 * window),
                ]
            ),
        }

    def draw(self, fig, state) -> None:
        n, hop = self.n, 1.0 / FRAMES_PER_SECOND
        gs = fig.add_gridspec(
            2,
            2,
            width_ratios=[2.1, 1],
            height_ratios=[3, 1],
            left=0.07,
            right=0.98,
            top=0.93,
            bottom=0.11,
            wspace=0.27,
            hspace=0.12,
        )
        ax_s = fig.add_subplot(gs[0, 0])
        ax_a = fig.add_subplot(gs[1, 0], sharex=ax_s)
        ax_m = fig.add_subplot(gs[0, 1])
        top = float(self.spec.max())
        ax_s.imshow(
            self.spec.T,
            origin="lower",
            aspect="auto",
            cmap="magma",
            extent=(-hop / 2, (n - 0.5) * hop, 0.5, self.spec.shape[1] + 0.5),
            interpolation="nearest",
            vmin=top - 70,
            vmax=top,
        )  # a 70 dB range: digital silence would swamp it
        ax_s.set_yticks([1, 10, 20, 30, 40][: 1 + self.spec.shape[1] // 10])
        ax_s.set_ylabel(_("mel band"), fontsize=10)
        ax_s.set_title(_("the clip: one vector aⁱ per 10 ms frame"), fontsize=11)
        ax_s.tick_params(labelbottom=False, labelsize=9)
        lo, hi = state["span"]
        self.band = Rectangle(
            ((lo - 0.5) * hop, 0.5),
            (hi - lo + 1) * hop,
            self.spec.shape[1],
            facecolor=plots.SKY,
            alpha=0.35,
            edgecolor="white",
            linewidth=1.5,
        )
        ax_s.add_patch(self.band)
        self.qline = ax_s.axvline(state["query"] * hop, color="white", linewidth=1.2)
        self.strip = ax_a.imshow(
            state["row"][None, :],
            aspect="auto",
            cmap="viridis",
            vmin=0,
            vmax=max(state["row"].max(), 1e-9),
            extent=(-hop / 2, (n - 0.5) * hop, 0, 1),
            interpolation="nearest",
        )
        ax_a.set_yticks([])
        ax_a.set_ylabel("α′", rotation=0, labelpad=12, fontsize=11)
        ax_a.set_xlabel(_("time (s)"), fontsize=10)
        ax_a.tick_params(labelsize=9)
        # Frames 1 … L on both axes, as the lecture counts them (pixel k holds frame k + 1).
        self.mask_im = ax_m.imshow(
            state["mask"],
            cmap=plots.MASK_CMAP,
            vmin=0,
            vmax=1,
            interpolation="nearest",
            extent=(0.5, n + 0.5, n + 0.5, 0.5),
        )
        ticks = [1, *range(100, n + 1, 100)]
        ax_m.set_xticks(ticks)
        ax_m.set_yticks(ticks)
        ax_m.tick_params(labelsize=9)
        self.mrow = ax_m.axhline(state["query"] + 1, color=plots.QUERY_COLOR, linewidth=1.0)
        ax_m.set_title(_("truncation mask (L × L)"), fontsize=11)
        ax_m.set_xlabel(_("keys (frames)"), fontsize=10)
        ax_m.set_ylabel(_("queries (frames)"), fontsize=10)
        # the default family list: DejaVu Sans first, the shipped CJK font where it has no glyph
        self.text = fig.text(0.665, 0.01, state["text"], fontsize=9, va="bottom", ha="left")

    def update(self, state) -> list:
        hop = 1.0 / FRAMES_PER_SECOND
        lo, hi = state["span"]
        self.band.set_x((lo - 0.5) * hop)
        self.band.set_width((hi - lo + 1) * hop)
        self.qline.set_xdata([state["query"] * hop] * 2)
        self.strip.set_data(state["row"][None, :])
        self.strip.set_clim(0, max(state["row"].max(), 1e-9))
        self.mask_im.set_data(state["mask"])
        self.mrow.set_ydata([state["query"] + 1] * 2)
        self.text.set_text(state["text"])
        return [self.band, self.qline, self.strip, self.mask_im, self.mrow, self.text]
