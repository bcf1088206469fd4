"""Lesson 07: `OrderExplorer` (shuffle the tokens, with or without eⁱ) and `SinusoidExplorer` (the
sinusoidal eⁱ under d_model and position sliders).

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import data, plots
from .._validate import check_int
from ..explorer import Explorer
from ..language import _
from ..positional import order_test, shuffle_order, sinusoidal_encoding

D_ORDER = 8
N_SHUFFLES = 8  # the shuffle slider: 0 = the original order, 1…8 = eight different shuffles


class OrderExplorer(Explorer):
    """Shuffle a sentence, with or without positional vectors, and compare the attention maps.

    Controls: sentence (one of `data.example_sentences("order")`), shuffle (0 = the original order;
    1…8 = different shuffles), positions (add the sinusoidal eⁱ to each aⁱ). Panels: α′ of the
    shuffled sentence (as the model sees it), the same α′ with rows and columns put back into the
    original order, and |difference| from the original α′. Without eⁱ the difference is exactly
    0: self-attention alone cannot see order.
    """

    figsize = (11.0, 4.0)
    layout_controls = frozenset({"sentence"})  # new tokens: new labels and panel sizes
    max_builds = 8  # sentences whose panels are kept: going back to one shows them as they were
    prepare_controls = frozenset({"shuffle"})  # its heatmaps' pixels kept per shuffle
    dpi = 90

    def __init__(
        self,
        sentence: str = "the dog bit the man",
        *,
        shuffle: int = 1,
        positions: bool = False,
        seed: int = 3,
    ):
        sentences = data.example_sentences("order")
        seed = check_int("seed", seed, minimum=0)
        self.controls = {
            "sentence": widgets.Dropdown(options=sentences, description=_("sentence")),
            "shuffle": widgets.IntSlider(min=0, max=N_SHUFFLES, description=_("shuffle #")),
            "positions": widgets.Checkbox(description=_("add positional vectors eⁱ")),
        }
        self.W = data.toy_weights(seed, D_ORDER, 4, 4)
        self._drawn_key = None
        super().__init__(sentence=sentence, shuffle=shuffle, positions=positions)

    def compute(self, sentence: str, shuffle: int, positions: bool) -> dict:
        """tokens (original order), order (a permutation), the shuffled tokens, and
        `order_test`'s results."""
        tokens = data.tokenize(sentence) if isinstance(sentence, str) else []
        if not tokens:
            raise ValueError(
                _("sentence must hold at least one word; got {sentence!r}").format(
                    sentence=sentence
                )
            )
        n = len(tokens)
        order = shuffle_order(n, int(shuffle))
        A = data.embed(tokens)  # (n, 8): a¹…aⁿ
        e = sinusoidal_encoding(n, D_ORDER) if positions else None  # (n, 8): e¹ is e[0], or none
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
            return _("original order: nothing to compare yet, move the shuffle slider")
        if m < 1e-9:
            return _(
                "max |Δα′| = 0.000: the shuffle changed nothing but the order of rows and columns"
            )
        return _("max |Δα′| = {change}: with eⁱ, moving a word changes what it attends to").format(
            change=f"{m:.3f}"
        )

    @staticmethod
    def _shuffled_title(state) -> str:
        tag = _("with eⁱ") if state["positions"] else _("without eⁱ")
        return _("α′ of the shuffled sentence ({tag})").format(tag=tag)

    def draw(self, fig, state):
        fig.set_layout_engine("constrained")
        ax1, ax2, ax3 = fig.subplots(1, 3)
        labels = {"xlabel": _("keys"), "ylabel": _("queries")}
        self.v1 = plots.attention_heatmap(
            state["alpha_prime_shuffled"],
            state["shuffled"],
            ax=ax1,
            title=self._shuffled_title(state),
            **labels,
        )
        self.v2 = plots.attention_heatmap(
            state["alpha_prime_back"],
            state["tokens"],
            ax=ax2,
            title=_("…rows and columns put back in order"),
            **labels,
        )
        self.v3 = plots.attention_heatmap(
            state["diff"],
            state["tokens"],
            ax=ax3,
            cmap="magma",
            vmax=0.5,
            cbar_label="|Δα′|",
            title=_("|difference from the original α′|"),
            **labels,
        )
        for ax in (ax1, ax2, ax3):
            ax.title.set_fontsize(10)
        self.verdict = fig.suptitle(self._verdict(state), fontsize=11)
        self.panels = [
            self.cached_axis(ax1.xaxis, lambda: self._drawn_key[0], ticks=False),
            self.cached_axis(ax1.yaxis, lambda: self._drawn_key[0], ticks=False),
            *(self.cached_heatmap(v) for v in (self.v1, self.v2, self.v3)),
        ]
        # once per sentence, in one pass (a frozen layout needs no fixed point); a shuffle keeps
        # the same words, so the same label sizes
        self.freeze_layout(passes=1)
        self._drawn_key = (tuple(state["shuffled"]), tuple(state["tokens"]))

    def build_key(self, state):
        """The panels are built for the tokens (their labels, the panels' sizes)."""
        return tuple(state["tokens"])

    def background_key(self):
        """One saved background per build: every other control blits."""
        return ()

    def update(self, state):
        shuffled, tokens = tuple(state["shuffled"]), tuple(state["tokens"])
        if shuffled != self._drawn_key[0]:  # same words in another order: only the left labels move
            labels = [plots.display_label(t) for t in shuffled]
            self.v1.ax.set_xticklabels(labels)
            self.v1.ax.set_yticklabels(labels)
            self._drawn_key = (shuffled, tokens)
        self.v1.ax.title.set_text(self._shuffled_title(state))
        self.verdict.set_text(self._verdict(state))
        self.v1.update(state["alpha_prime_shuffled"])
        # rounding: without eⁱ these two are the same for every shuffle up to float noise (1e-16),
        # so their cached pixels are found again instead of being drawn (invisible at 8-bit colour)
        self.v2.update(np.round(state["alpha_prime_back"], 12))
        self.v3.update(np.round(state["diff"], 12))
        # the left panel's axes (its token labels) are blitted too: a shuffle needs no full redraw
        return [*self.panels, self.v1.ax.title, self.verdict]


class SinusoidExplorer(Explorer):
    """The sinusoidal positional vectors as a heatmap (positions × columns), one position's vector,
    and its dot product with every other position.

    Positions p count from 0, as in Vaswani et al. (the lecture's token aⁱ sits at p = i − 1).
    Column pair (2k, 2k + 1) holds sin and cos of p / 10000^(2k/d_model): k is the frequency index.
    Controls: d_model (4…128, even on the slider), position p (0…n_positions − 1). The right
    panel, eᵖ·eᵖ′ against p′, is highest at p′ = p and keeps its shape wherever p is (for an even
    d_model it depends on p′ − p only), but it is not monotone in the offset: its title names the
    next-highest peak.
    """

    figsize = (11.0, 4.0)
    dpi = 90
    # each d_model moves three axes, blitted from pixels kept per value: got ready beforehand
    prepare_controls = frozenset({"d_model"})
    _grid = {"left": 0.065, "right": 0.975, "bottom": 0.14, "top": 0.85, "wspace": 0.36}
    D_MODEL_RANGE = (4, 128)

    def __init__(self, d_model: int = 32, position: int = 10, *, n_positions: int = 50):
        self.n_positions = check_int("n_positions", n_positions, minimum=2, maximum=1000)
        self.controls = {
            "d_model": widgets.IntSlider(
                min=self.D_MODEL_RANGE[0],
                max=self.D_MODEL_RANGE[1],
                step=2,
                description="d_model",
            ),
            "position": widgets.IntSlider(
                min=0, max=self.n_positions - 1, description=_("position p")
            ),
        }
        # d_model: odd values only from code (the slider moves by 2)
        super().__init__(d_model=d_model, position=position)

    def compute(self, d_model: int, position: int) -> dict:
        """e (n_positions, d_model), the chosen row eᵖ (d_model,), eᵖ·eᵖ′ for every p′
        (n_positions,), and the next-highest peak of that curve ("rival": offset p′ − p and value,
        or None when the curve has no other peak in view)."""
        d, p = int(d_model), int(position)
        e = sinusoidal_encoding(self.n_positions, d)  # (n_positions, d_model): row p is eᵖ
        similarity = e @ e[p]  # (n_positions,)
        return {
            "e": e,
            "d_model": d,
            "position": p,
            "e_p": e[p],
            "similarity": similarity,
            "rival": _next_peak(similarity, p),
        }

    @staticmethod
    def _peak_title(state) -> str:
        top_value = state["similarity"][state["position"]]  # d_model / 2 for an even d_model
        # the formula in Unicode, not mathtext: mathtext has no Chinese glyphs, and it parses
        # every new title again (~25 ms on each d_model move)
        formula = "eᵖ·eᵖ′"
        top = _("{formula}: highest ({value}) at p′ = p").format(
            formula=formula, value=f"{top_value:.3g}"
        )
        if state["rival"] is None:
            return top + "\n" + _("and lower on both sides, as far as shown")
        offset, value = state["rival"]
        share = value / top_value
        rival = _("next peak: {value} ({share}) at |p′ − p| = {offset}").format(
            value=f"{value:.3g}", share=f"{share:.0%}", offset=abs(offset)
        )
        return f"{top}\n{rival}"

    def draw(self, fig, state):
        fig.clear()
        # fixed margins (no layout engine): every control is blitted, the axes whose ticks
        # move included, and the same controls always give the same layout
        fig.set_layout_engine("none")
        ax1, ax2, ax3 = fig.subplots(1, 3, width_ratios=[1.1, 0.9, 1.15], gridspec_kw=self._grid)
        d, n, p = state["d_model"], self.n_positions, state["position"]
        self.image = ax1.imshow(
            state["e"], cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest"
        )
        fig.colorbar(self.image, ax=ax1, fraction=0.05, pad=0.02, ticks=[-1, -0.5, 0, 0.5, 1])
        self.row = ax1.axhline(p, color=plots.ORANGE, linewidth=2)
        ax1.set_xlabel(_("column (2k: sin, 2k+1: cos)"))
        ax1.set_ylabel(_("position p (from 0)"))
        self.title1 = ax1.set_title("", fontsize=10)
        # an odd d_model has one sin column more than cos columns
        (self.line,) = ax2.plot(
            np.arange((d + 1) // 2),
            state["e_p"][0::2],
            "o-",
            color=plots.BLUE,
            markersize=3,
            label=_("sin (column 2k)"),
        )
        (self.line_cos,) = ax2.plot(
            np.arange(d // 2),
            state["e_p"][1::2],
            "s-",
            color=plots.VERMILION,
            markersize=3,
            label=_("cos (column 2k+1)"),
        )
        ax2.set_ylim(-1.1, 1.65)  # the legend sits above the waves (which stay within ±1)
        ax2.set_yticks([-1, -0.5, 0, 0.5, 1])
        ax2.set_xlabel(_("frequency index k"))
        ax2.legend(loc="upper center", ncols=2, fontsize=9, handlelength=1.5, columnspacing=1.0)
        self.title2 = ax2.set_title("", fontsize=10)
        (self.sim,) = ax3.plot(np.arange(n), state["similarity"], color=plots.BLUE)
        self.vline = ax3.axvline(p, color=plots.ORANGE, linestyle="--")
        (self.rival,) = ax3.plot([], [], "o", color=plots.VERMILION, markersize=6)
        ax3.set_xlim(0, n - 1)
        ax3.set_xlabel(_("position p′"))
        self.title3 = ax3.set_title("", fontsize=10)
        for ax in (ax1, ax2, ax3):  # columns, frequency indices and positions are whole numbers
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        self.axes = (ax1, ax2, ax3)
        # each d_model moves these three axes: their pixels are kept for every value of the
        # slider (a few MB at most), so dragging back over values seen before pastes them
        slider = self.controls["d_model"]
        values = (slider.max - slider.min) // slider.step + 1
        self.cached_axes = [
            self.cached_axis(ax1.xaxis, ax1.get_xlim, maxsize=values),
            self.cached_axis(ax2.xaxis, ax2.get_xlim, maxsize=values),
            self.cached_axis(ax3.yaxis, ax3.get_ylim, maxsize=values),
        ]

    def update(self, state):
        d, p = state["d_model"], state["position"]
        ax1, ax2, ax3 = self.axes
        self.image.set_data(state["e"])
        self.image.set_extent((-0.5, d - 0.5, self.n_positions - 0.5, -0.5))
        ax1.set_xlim(-0.5, d - 0.5)
        self.title1.set_text(
            _("eᵖ for p = 0…{last} (rows), d_model = {d_model}").format(
                last=self.n_positions - 1, d_model=d
            )
        )
        self.row.set_ydata([p, p])
        self.line.set_data(np.arange((d + 1) // 2), state["e_p"][0::2])
        self.line_cos.set_data(np.arange(d // 2), state["e_p"][1::2])
        ax2.set_xlim(-0.5, (d + 1) // 2 - 0.5)
        self.title2.set_text(_("eᵖ for p = {p}: fast waves left, slow right").format(p=p))
        self.sim.set_ydata(state["similarity"])
        self.vline.set_xdata([p, p])
        rival = state["rival"]
        # the next peak on both sides of p where both are in view (the curve depends on |p′ − p|)
        at = [] if rival is None else [p - abs(rival[0]), p + abs(rival[0])]
        at = [q for q in at if 0 <= q < self.n_positions]
        self.rival.set_data(at, state["similarity"][at])
        self.title3.set_text(self._peak_title(state))
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
            self.rival,
            self.title3,
        ]


def _next_peak(similarity: np.ndarray, p: int):
    """The highest local maximum of `similarity` other than p itself, as (offset p′ − p, value),
    or None. Endpoints do not count: a curve still falling at the edge has no peak there."""
    s = similarity
    inner = np.arange(1, len(s) - 1)
    peaks = inner[(s[inner] > s[inner - 1]) & (s[inner] >= s[inner + 1]) & (inner != p)]
    if peaks.size == 0:
        return None
    best = int(peaks[np.argmax(s[peaks])])
    return best - p, float(s[best])
