"""Lesson 07: `OrderExplorer` (shuffle the tokens, with or without eⁱ) and `SinusoidExplorer` (the
sinusoidal eⁱ under d_model and position sliders).

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import data, plots
from ..explorer import Explorer
from ..positional import order_test, shuffle_order, sinusoidal_encoding

D_ORDER = 8


class OrderExplorer(Explorer):
    """Shuffle a sentence, with or without positional vectors, and compare the attention maps.

    Controls: sentence, shuffle (0 = the original order; 1…8 = different shuffles), positions (add
    the sinusoidal eⁱ to each aⁱ). Panels: α′ of the shuffled sentence (as the model sees it),
    the same
    α′ with rows and columns put back into the original order, and |difference| from the
    original α′.
    Without eⁱ the difference is exactly 0: self-attention alone cannot see order.
    """

    figsize = (12.0, 3.9)
    dpi = 72

    def __init__(
        self,
        sentence: str = "the dog bit the man",
        *,
        shuffle: int = 1,
        positions: bool = False,
        seed: int = 3,
    ):
        self.controls = {
            "sentence": widgets.Dropdown(
                options=data.example_sentences("order"), value=sentence, description="sentence"
            ),
            "shuffle": widgets.IntSlider(value=shuffle, min=0, max=8, description="shuffle #"),
            "positions": widgets.Checkbox(value=positions, description="add positional vectors eⁱ"),
        }
        self.W = data.toy_weights(seed, D_ORDER, 4, 4)
        self._drawn_key = None
        super().__init__()

    def compute(self, sentence: str, shuffle: int, positions: bool) -> dict:
        """tokens (original order), order (a permutation), the shuffled tokens, and
        `order_test`'s results."""
        tokens = sentence.split()
        n = len(tokens)
        order = shuffle_order(n, int(shuffle))
        A = data.embed(tokens)  # (n, 8): a¹…aⁿ
        e = sinusoidal_encoding(n, D_ORDER) if positions else None  # (n, 8) or none
        r = order_test(A, self.W["W_q"], self.W["W_k"], self.W["W_v"], order, e=e)
        diff = np.abs(r["alpha_prime_back"] - r["alpha_prime"])  # (n, n)
        return {
            "tokens": tokens,
            "order": order,
            "shuffled": [tokens[i] for i in order],
            "positions": bool(positions),
            "diff": diff,
            **r,
        }

    @staticmethod
    def _verdict(state) -> str:
        m = state["max_change_alpha"]
        if np.array_equal(state["order"], np.arange(len(state["order"]))):
            return "original order: nothing to compare yet, move the shuffle slider"
        if m < 1e-9:
            return (
                "max |Δα′| = 0.000: the shuffle changed nothing but the order of rows and columns"
            )
        return f"max |Δα′| = {m:.3f}: with eⁱ, moving a word changes what it attends to"

    def draw(self, fig, state):
        fig.clear()
        fig.set_layout_engine("constrained")
        ax1, ax2, ax3 = fig.subplots(1, 3)
        tag = "with eⁱ" if state["positions"] else "without eⁱ"
        self.v1 = plots.attention_heatmap(
            state["alpha_prime_shuffled"],
            state["shuffled"],
            ax=ax1,
            title=f"α′ of the shuffled sentence ({tag})",
        )
        self.v2 = plots.attention_heatmap(
            state["alpha_prime_back"],
            state["tokens"],
            ax=ax2,
            title="…rows and columns put back in order",
        )
        self.v3 = plots.attention_heatmap(
            state["diff"],
            state["tokens"],
            ax=ax3,
            cmap="magma",
            vmax=0.5,
            cbar_label="|Δα′|",
            title="|difference from the original α′|",
        )
        for ax in (ax1, ax2, ax3):
            ax.title.set_fontsize(9)
        self.verdict = fig.suptitle(self._verdict(state), fontsize=10)
        self.panels = [
            self.cached_axis(ax1.xaxis, lambda: self._drawn_key[0], ticks=False),
            self.cached_axis(ax1.yaxis, lambda: self._drawn_key[0], ticks=False),
            *(self.cached_heatmap(v) for v in (self.v1, self.v2, self.v3)),
        ]
        # once per sentence; a shuffle keeps the same words, so the same label sizes
        self.freeze_layout()
        self._drawn_key = (tuple(state["shuffled"]), tuple(state["tokens"]))

    def update(self, state):
        shuffled, tokens = tuple(state["shuffled"]), tuple(state["tokens"])
        if tokens != self._drawn_key[1]:  # another sentence: new sizes, new labels
            self.draw(self.fig, state)
            return None
        if (
            shuffled != self._drawn_key[0]
        ):  # same words in another order: only the left panel's labels move
            labels = [plots.display_label(t) for t in shuffled]
            self.v1.ax.set_xticklabels(labels)
            self.v1.ax.set_yticklabels(labels)
            self._drawn_key = (shuffled, tokens)
        tag = "with eⁱ" if state["positions"] else "without eⁱ"
        self.v1.ax.title.set_text(f"α′ of the shuffled sentence ({tag})")
        self.verdict.set_text(self._verdict(state))
        self.v1.update(state["alpha_prime_shuffled"])
        # rounding: without eⁱ these two are the same for every shuffle up to float noise
        # (1e-16), so
        # their cached pixels are found again instead of being drawn (invisible at 8-bit colour)
        self.v2.update(np.round(state["alpha_prime_back"], 12))
        self.v3.update(np.round(state["diff"], 12))
        # the left panel's axes (its token labels) are blitted too, so a shuffle needs no
        # full redraw
        return [*self.panels, self.v1.ax.title, self.verdict]


class SinusoidExplorer(Explorer):
    """The sinusoidal eⁱ as a heatmap (positions × dimensions), one position's vector, and its dot
    product with every other position.

    Controls: d_model (even, 4…128), position (0…n_positions − 1). The right panel, eᵖ·eʲ against j,
    keeps its shape wherever p is: it depends on j − p only.
    """

    figsize = (12.0, 3.8)
    dpi = 72
    _grid = {"left": 0.06, "right": 0.955, "bottom": 0.15, "top": 0.9, "wspace": 0.3}

    def __init__(self, d_model: int = 32, position: int = 10, *, n_positions: int = 50):
        self.n_positions = n_positions
        self.controls = {
            "d_model": widgets.IntSlider(
                value=d_model, min=4, max=128, step=2, description="d_model"
            ),
            "position": widgets.IntSlider(
                value=position, min=0, max=n_positions - 1, description="position p"
            ),
        }
        super().__init__()

    def compute(self, d_model: int, position: int) -> dict:
        """e (n_positions, d_model), the chosen row eᵖ (d_model,), and eᵖ·eʲ for every j
        (n_positions,)."""
        e = sinusoidal_encoding(self.n_positions, int(d_model))  # (n_positions, d_model)
        p = int(position)
        if not 0 <= p < self.n_positions:
            raise ValueError(f"position must be 0…{self.n_positions - 1}; got {position}")
        return {"e": e, "d_model": int(d_model), "position": p, "e_p": e[p], "similarity": e @ e[p]}

    def draw(self, fig, state):
        fig.clear()
        # fixed margins (no layout engine): every control is blitted, the axes whose ticks
        # move included
        fig.set_layout_engine("none")
        ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[1.2, 1, 1], gridspec_kw=self._grid)
        d, n, p = state["d_model"], self.n_positions, state["position"]
        self.image = ax1.imshow(
            state["e"], cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest"
        )
        fig.colorbar(self.image, ax=ax1, fraction=0.05, pad=0.02)
        self.row = ax1.axhline(p, color=plots.ORANGE, linewidth=2)
        ax1.set_xlabel("dimension (even: sin, odd: cos)")
        ax1.set_ylabel("position i")
        self.title1 = ax1.set_title("", fontsize=9)
        # an odd d_model has one sin column more than cos columns
        (self.line,) = ax2.plot(
            np.arange((d + 1) // 2),
            state["e_p"][0::2],
            "o-",
            color=plots.BLUE,
            markersize=3,
            label="sin (even dims)",
        )
        (self.line_cos,) = ax2.plot(
            np.arange(d // 2),
            state["e_p"][1::2],
            "s-",
            color=plots.VERMILION,
            markersize=3,
            label="cos (odd dims)",
        )
        ax2.set_ylim(-1.1, 1.1)
        ax2.set_xlabel("frequency index i (dims 2i, 2i+1)")
        ax2.legend(loc="lower right", fontsize=7)
        self.title2 = ax2.set_title("", fontsize=9)
        (self.sim,) = ax3.plot(np.arange(n), state["similarity"], color=plots.BLUE)
        self.vline = ax3.axvline(p, color=plots.ORANGE, linestyle="--")
        ax3.set_xlim(0, n - 1)
        ax3.set_xlabel("position j")
        ax3.set_title("eᵖ·eʲ: peaks at j = p, same shape for every p", fontsize=9)
        self.axes = (ax1, ax2, ax3)
        self.cached_axes = [
            self.cached_axis(ax1.xaxis, ax1.get_xlim),
            self.cached_axis(ax2.xaxis, ax2.get_xlim),
            self.cached_axis(ax3.yaxis, ax3.get_ylim),
        ]

    def update(self, state):
        d, p = state["d_model"], state["position"]
        ax1, ax2, ax3 = self.axes
        self.image.set_data(state["e"])
        self.image.set_extent((-0.5, d - 0.5, self.n_positions - 0.5, -0.5))
        ax1.set_xlim(-0.5, d - 0.5)
        self.title1.set_text(f"eⁱ for i = 0…{self.n_positions - 1}, d_model = {d}")
        self.row.set_ydata([p, p])
        self.line.set_data(np.arange((d + 1) // 2), state["e_p"][0::2])
        self.line_cos.set_data(np.arange(d // 2), state["e_p"][1::2])
        ax2.set_xlim(-0.5, (d + 1) // 2 - 0.5)
        self.title2.set_text(f"eᵖ for p = {p}: fast waves left, slow right")
        self.sim.set_ydata(state["similarity"])
        self.vline.set_xdata([p, p])
        ax3.set_ylim(-d / 2 * 0.45, d / 2 * 1.05)
        # d_model moves the ticks of three axes: those axes are blitted too (their spines
        # over the image)
        return [
            *self.cached_axes,
            self.image,
            *ax1.spines.values(),
            self.row,
            self.title1,
            self.line,
            self.line_cos,
            self.title2,
            self.sim,
            self.vline,
        ]
