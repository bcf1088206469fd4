"""Lessons 00, 03, 04 and 05: `AttentionExplorer` (type a sentence, pick a query, watch α, α′ and
b) and `HeatmapExplorer` (one α′ heatmap under a temperature slider).

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter

from .. import data, plots
from .._validate import as_float_array, check_text
from ..attention import additive_scores, dot_product_scores, normalise, softmax, weighted_sum
from ..explorer import Explorer, ExplorerMessage
from ..language import _
from . import seed_slider

SCORINGS = {
    "scaled dot  q·k/√d": "scaled_dot",
    "dot  q·k": "dot",
    "additive  wᵀtanh(q+k)": "additive",
}


NORMALISATIONS = {"softmax": "softmax", "ReLU": "relu", "none": "none"}


def _scoring_options() -> list[tuple[str, str]]:
    """The score α dropdown: (SCORINGS' label in the edition's language, value)."""
    labels = {
        "scaled_dot": _("scaled dot  q·k/√d"),
        "dot": _("dot  q·k"),
        "additive": _("additive  wᵀtanh(q+k)"),
    }
    return [(labels[value], value) for value in SCORINGS.values()]


def _normalisation_options() -> list[tuple[str, str]]:
    """The α → α′ dropdown: (NORMALISATIONS' label in the edition's language, value)."""
    labels = {"softmax": "softmax", "relu": "ReLU", "none": _("none")}
    return [(labels[value], value) for value in NORMALISATIONS.values()]


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _b_title(query: int, token: str) -> str:
    """The b panel's title in the lecture's count: query index 1 (0-based) is a², its output b²."""
    i = query + 1
    sup, sub = plots.superscript(i), str(i).translate(_SUBSCRIPTS)
    return _("b{sup} = Σⱼ α′{sub},ⱼ vʲ, the output for a{sup} “{token}”").format(
        sup=sup, sub=sub, token=plots.display_label(token)
    )


def _limits(
    alpha: np.ndarray, alpha_prime: np.ndarray, V: np.ndarray, B: np.ndarray, normalisation: str
) -> dict:
    """Axis and colour limits that only change in steps (so most slider moves can blit)."""
    a_lim = plots.nice_limit(np.abs(alpha).max())
    if normalisation == "softmax":
        ap = (0.0, 1.0)
    elif normalisation == "relu":
        ap = (0.0, plots.nice_limit(alpha_prime.max()))
    else:
        m = plots.nice_limit(np.abs(alpha_prime).max())
        ap = (-m, m)
    # under softmax each bⁱ is a convex mix of the vʲ, so |b| ≤ max |V|: the limit moves only
    # with the sentence or weights
    b_lim = plots.nice_limit(max(np.abs(V).max(), np.abs(B).max()))
    return {"alpha": (-a_lim, a_lim), "alpha_prime": ap, "b": b_lim}


class AttentionExplorer(Explorer):
    """Type a sentence, pick a query token, and watch α, α′ and b (lecture: α₁,ᵢ = q¹·kⁱ, α′
    = softmax(α), b¹ = Σᵢ α′₁,ᵢ vⁱ).

    Controls: sentence (text), query (which token's row to follow: a 0-based row index, so a¹ is 0;
    None picks a², or a¹ for a one-word sentence), scoring (scaled dot, dot,
    additive), normalisation (softmax, ReLU, none), temperature T (α′ = normalise(α / T)), seed
    (the weights
    W_q, W_k, W_v). The figure: the α′ matrix (queries × keys) with the query's row framed, the same
    α′ as lines from queries to keys, and for the chosen query its scores α, weights α′ and
    output b.
    """

    figsize = (11.0, 4.4)
    layout_controls = frozenset({"sentence"})  # new tokens: new labels and panel sizes
    static_controls = frozenset()
    max_builds = 8  # sentences whose panels are kept: going back to one shows them as they were
    # each scoring, normalisation and seed has its own limits (axes, colour bars kept as pixels)
    prepare_controls = frozenset({"scoring", "normalisation", "seed"})
    d_in, d_k, d_v = 8, 4, 4

    def __init__(
        self,
        sentence: str = "I saw a saw",
        *,
        query: int | None = None,
        scoring: str = "scaled_dot",
        normalisation: str = "softmax",
        temperature: float = 1.0,
        seed: int = 0,
    ):
        sentence = check_text("sentence", sentence)
        self.controls = {
            "sentence": widgets.Text(
                value=sentence,
                description=_("sentence"),
                placeholder=_("type a sentence"),
                continuous_update=False,
                layout=widgets.Layout(width="340px"),
            ),
            "query": widgets.Dropdown(
                options=self._query_options(sentence),
                description=_("query"),
                layout=widgets.Layout(width="180px"),
            ),
            "scoring": widgets.Dropdown(
                options=_scoring_options(),
                description=_("score α"),
                layout=widgets.Layout(width="270px"),
            ),
            "normalisation": widgets.Dropdown(
                options=_normalisation_options(),
                description="α → α′",
                layout=widgets.Layout(width="190px"),
            ),
            "temperature": widgets.FloatSlider(
                value=1.0,
                min=0.1,
                max=5.0,
                step=0.1,
                description=_("temperature T"),
                readout_format=".1f",
                layout=widgets.Layout(width="320px"),
            ),
            "seed": seed_slider(),
        }
        for control in self.controls.values():
            control.style.description_width = (
                "initial"  # show the whole label ("weights seed", not "weights s…")
            )
        initial = {"scoring": scoring, "normalisation": normalisation}
        initial |= {"temperature": temperature, "seed": seed}
        n = len(self.controls["query"].options)
        if n:  # an empty sentence shows a message, not a query
            initial["query"] = min(1, n - 1) if query is None else query
        super().__init__(**initial)

    @staticmethod
    def _query_options(sentence: str) -> list[tuple[str, int]]:
        toks = data.tokenize(sentence)[: data.MAX_TOKENS]
        # the lecture's count on the label (a¹ is the first token), the 0-based index as the value
        return [(f"a{plots.superscript(i + 1)}: {t}", i) for i, t in enumerate(toks)]

    def sync_controls(self, changed):
        if changed != "sentence":
            return
        dd = self.controls["query"]
        options = self._query_options(self.controls["sentence"].value)
        if [o for o in options] == [tuple(o) for o in dd.options]:
            return
        old = dd.value
        dd.options = options
        dd.value = (old if old is not None and old < len(options) else 0) if options else None

    # -- the pure part -----------------------------------------------------------------------------
    def compute(
        self, sentence: str, query, scoring: str, normalisation: str, temperature: float, seed: int
    ) -> dict:
        """State for these control values: tokens, X, Q, K, V, α (n, n), α′ (n, n), B (n,
        d_v), and the
        chosen query's row of each (alpha_q, alpha_prime_q, b)."""
        all_tokens = data.tokenize(sentence)
        if not all_tokens:
            raise ExplorerMessage(_("Type a sentence to see its attention."))
        tokens = all_tokens[: data.MAX_TOKENS]
        n = len(tokens)
        query = 0 if query is None else int(query)
        if not 0 <= query < n:
            raise ValueError(
                _(
                    "query must be a token index 0…{last} (0 is a¹, the first token); got {query}"
                ).format(last=n - 1, query=query)
            )
        if scoring not in SCORINGS.values():
            raise ValueError(
                _("scoring must be one of {choices}; got {scoring!r}").format(
                    choices=sorted(SCORINGS.values()), scoring=scoring
                )
            )
        X = data.embed(tokens)  # (n, d_in): a¹…aⁿ as rows
        W = data.toy_weights(int(seed), self.d_in, self.d_k, self.d_v)
        if scoring == "additive":
            alpha = additive_scores(X, W["W_q"], W["W_k"], W["w"])  # (n, n)
        else:
            alpha = dot_product_scores(
                X, W["W_q"], W["W_k"], scale=scoring == "scaled_dot"
            )  # (n, n)
        # the temperature divides the scores before any normalisation: it reshapes softmax rows, but
        # only rescales ReLU's (try both)
        alpha_prime = normalise(alpha / float(temperature), normalisation)  # (n, n)
        V = X @ W["W_v"]  # (n, d_v)
        B = weighted_sum(alpha_prime, V)  # (n, d_v)
        return {
            "tokens": tokens,
            "truncated": len(all_tokens) > n,
            "query": query,
            "scoring": scoring,
            "normalisation": normalisation,
            "temperature": float(temperature),
            "X": X,
            "Q": X @ W["W_q"],
            "K": X @ W["W_k"],
            "V": V,
            "alpha": alpha,
            "alpha_prime": alpha_prime,
            "B": B,
            "alpha_q": alpha[query],
            "alpha_prime_q": alpha_prime[query],
            "b": B[query],
            "limits": _limits(alpha, alpha_prime, V, B, normalisation),
        }

    # -- the view ----------------------------------------------------------------------------------
    @staticmethod
    def _ap_title(normalisation: str) -> str:
        """The α′ panel's title for this normalisation, in the edition's language."""
        if normalisation == "none":
            return _("α / T as they are (no normalisation)")
        return {"softmax": "α′ = softmax(α / T)", "relu": "α′ = ReLU(α / T)"}[normalisation]

    # without a normalisation there are no weights α′: the heatmap shows the scores α / T
    _HEAT_LABELS = {"softmax": "α′", "relu": "α′", "none": "α / T"}

    def draw(self, fig, state):
        """Build the panels for these tokens and lay them out once for any limits (the layout
        depends on the tokens only; see `_lay_out`)."""
        fig.set_layout_engine("constrained")
        tokens, n, q = state["tokens"], len(state["tokens"]), state["query"]
        lim = state["limits"]
        gs = fig.add_gridspec(3, 3, width_ratios=[1.25, 0.8, 1.1], height_ratios=[1, 1, 0.45])
        ax_h = fig.add_subplot(gs[:, 0])
        ax_l = fig.add_subplot(gs[:, 1])
        self.ax_a = ax_a = fig.add_subplot(gs[0, 2])
        self.ax_ap = ax_ap = fig.add_subplot(gs[1, 2], sharex=ax_a)
        ax_b = fig.add_subplot(gs[2, 2])
        title = (
            _("α′ (all queries) (first {n} tokens)").format(n=data.MAX_TOKENS)
            if state["truncated"]
            else _("α′ (all queries)")
        )
        self.heat = plots.attention_heatmap(
            state["alpha_prime"],
            tokens,
            ax=ax_h,
            vmin=lim["alpha_prime"][0],
            vmax=lim["alpha_prime"][1],
            highlight_row=q,
            title=title,
        )
        self.lines = plots.token_lines(state["alpha_prime"], tokens, query=q, ax=ax_l)
        x = np.arange(n)
        labels = [plots.display_label(t) for t in tokens]
        self.bars_a = ax_a.bar(x, state["alpha_q"], color=plots.SKY)
        ax_a.axhline(0, color="0.5", linewidth=0.6)
        ax_a.set_title(_("α: the query's score with each key"), fontsize=9)
        self.bars_ap = ax_ap.bar(x, state["alpha_prime_q"], color=plots.BLUE)
        self.title_ap = ax_ap.set_title("", fontsize=9)
        ax_ap.set_xticks(
            x,
            labels,
            rotation=90 if n > 6 else 0,
            fontsize=plots._label_size(n),
            fontfamily=plots.label_fonts(),
        )
        ax_a.tick_params(labelbottom=False)
        for ax in (ax_a, ax_ap):
            ax.tick_params(axis="y", labelsize=8)
            ax.set_xlim(-0.6, n - 0.4)
        self.b_image = ax_b.imshow(state["b"][None, :], cmap="RdBu_r", aspect="auto")
        ax_b.set_yticks([])
        # b's entries by dimension, counted from 1 (bⁱ itself is the output of query aⁱ)
        ax_b.set_xticks(range(self.d_v), [f"{j + 1}" for j in range(self.d_v)], fontsize=8)
        ax_b.set_xlabel(_("dimension"), fontsize=8, labelpad=1)
        self.b_title = ax_b.set_title("", fontsize=9)
        b_cbar = fig.colorbar(self.b_image, ax=ax_b, fraction=0.05, pad=0.02)
        b_cbar.ax.tick_params(labelsize=7)
        self.b_texts = [
            ax_b.text(j, 0, "", ha="center", va="center", fontsize=9) for j in range(self.d_v)
        ]
        # what the limits change (a new seed, scoring, normalisation or temperature): the y axes
        # of the α and α′ bars, both colour bars and two titles. They are blitted, each as a group
        # that remembers its pixels per limits, so a data control never needs a full draw
        colorbars = [c.ax for c in (self.heat.colorbar, b_cbar) if c is not None]
        self._limit_groups = [
            self.cached_group([cax], self._clim_key(cax), self._tight_region(cax))
            for cax in colorbars
        ] + [self.cached_axis(ax.yaxis, lambda ax=ax: ax.get_ylim()) for ax in (ax_a, ax_ap)]
        self._limit_groups += [  # one group per title: their regions must not overlap
            self.cached_group([t], t.get_text, t.get_window_extent)
            for t in (ax_h.title, self.title_ap)
        ]
        self._apply_limits(state)
        self._set_texts(state)  # titles first: the layout leaves room for them
        self._lay_out([ax_a.yaxis, ax_ap.yaxis] + [cax.yaxis for cax in colorbars])

    # a tick label at least as wide as the limits' own (nice limits from 0.1 to 1000 and their
    # ticks: "−0.25", "−1000"), so the layout leaves them room whatever the limits
    _WIDEST_TICK = "−0.00"

    def _lay_out(self, axes) -> None:
        """Run the constrained layout with every limit-dependent tick label as `_WIDEST_TICK`,
        then keep it: the panels sit where they would for any limits, so the same controls draw
        the same pixels whatever came before, and limits can change without a layout pass."""
        formatters = [axis.get_major_formatter() for axis in axes]
        for axis in axes:
            axis.set_major_formatter(FuncFormatter(lambda x, pos: self._WIDEST_TICK))
        try:
            # one pass (~100 ms): it lays the panels out as well as two, and frozen, the same
            # sentence always gets the same layout
            self.freeze_layout(passes=1)
        finally:
            for axis, formatter in zip(axes, formatters, strict=True):
                axis.set_major_formatter(formatter)

    @staticmethod
    def _clim_key(cax):
        return lambda: (cax.get_ylim(), cax.get_ylabel())

    @staticmethod
    def _tight_region(ax):
        return lambda renderer: ax.get_tightbbox(renderer)

    def build_key(self, state):
        """The panels are built for the tokens (their labels, the panels' sizes)."""
        return (tuple(state["tokens"]), state["truncated"])

    def background_key(self):
        """One saved background per build of the panels (the limits are blitted)."""
        return ()

    def _limits_key(self, state):
        return (state["normalisation"], tuple(sorted(state["limits"].items())))

    def _apply_limits(self, state):
        lim = state["limits"]
        self.ax_a.set_ylim(*lim["alpha"])
        self.ax_ap.set_ylim(*lim["alpha_prime"])
        self.title_ap.set_text(self._ap_title(state["normalisation"]))
        label = self._HEAT_LABELS[state["normalisation"]]
        suffix = _(" (first {n} tokens)").format(n=data.MAX_TOKENS) if state["truncated"] else ""
        self.heat.ax.set_title(_("{label} (all queries)").format(label=label) + suffix)
        if self.heat.colorbar is not None:
            self.heat.colorbar.set_label(label)
        self.heat.set_clim(*lim["alpha_prime"])
        self.b_image.set_clim(-lim["b"], lim["b"])
        self._drawn_limits = self._limits_key(state)

    def _set_texts(self, state):
        self.b_title.set_text(_b_title(state["query"], state["tokens"][state["query"]]))
        lim = state["limits"]["b"]
        for t, v in zip(self.b_texts, state["b"], strict=True):
            t.set_text(f"{v:.2f}")
            t.set_color("white" if abs(v) > 0.6 * lim else "black")

    def update(self, state):
        if self._limits_key(state) != self._drawn_limits:  # new tick labels: blitted groups
            self._apply_limits(state)
        artists = list(self._limit_groups)  # first: cached groups go before anything else
        artists += self.heat.update(state["alpha_prime"], highlight_row=state["query"])
        artists += self.lines.update(state["alpha_prime"], state["query"])
        for bars, values in (
            (self.bars_a, state["alpha_q"]),
            (self.bars_ap, state["alpha_prime_q"]),
        ):
            for rect, v in zip(bars, values, strict=True):
                rect.set_height(v)
            artists += list(bars)
        self.b_image.set_data(state["b"][None, :])
        self._set_texts(state)
        return artists + [self.b_image, *self.b_texts, self.b_title]


class HeatmapExplorer(Explorer):
    """The smallest explorer: fixed scores α (n, n), a temperature slider, and the heatmap of
    α′ = softmax(α / temperature), each row a query (used in 00_start_here and the redraw
    benchmark)."""

    T_MIN, T_MAX = 0.1, 5.0  # the temperature slider's range

    def __init__(self, scores, tokens=None, *, temperature: float = 1.0, annotate="auto"):
        S = as_float_array("scores", scores, 2, "(n, n): α, queries × keys")
        if S.shape[0] != S.shape[1] or S.shape[0] == 0:
            raise ValueError(
                _(
                    "scores must be a square (n, n) array of α (queries × keys); got shape {shape}"
                ).format(shape=S.shape)
            )
        self.scores = S
        n = S.shape[0]
        if tokens is None:
            self.tokens = [str(i + 1) for i in range(n)]  # no tokens: 1 … n, the lecture's count
        elif isinstance(tokens, str) or not isinstance(tokens, (list, tuple, np.ndarray)):
            raise ValueError(
                _(
                    "tokens must be a list of {n} labels, one per row of scores; got "
                    "{kind} {tokens!r:.40}"
                ).format(n=n, kind=type(tokens).__name__, tokens=tokens)
            )
        else:
            self.tokens = [str(t) for t in tokens]
        if len(self.tokens) != n:
            raise ValueError(
                _("tokens must have one label per row of scores: {n}; got {count}").format(
                    n=n, count=len(self.tokens)
                )
            )
        if annotate not in ("auto", True, False):
            raise ValueError(
                _("annotate must be 'auto', True or False; got {annotate!r}").format(
                    annotate=annotate
                )
            )
        self._check_temperature(temperature)
        self.annotate = annotate
        n = S.shape[0]
        side = float(np.clip(2.2 + 0.12 * n, 3.5, 9.0))
        self.figsize = (side + 1.0, side)
        self.controls = {
            "temperature": widgets.FloatSlider(
                value=temperature,
                min=self.T_MIN,
                max=self.T_MAX,
                step=0.1,
                description=_("temperature"),
                readout_format=".1f",
                continuous_update=True,
                style={"description_width": "initial"},
            ),
        }
        super().__init__()

    @classmethod
    def _check_temperature(cls, temperature) -> float:
        if (
            isinstance(temperature, bool)
            or not isinstance(temperature, (int, float, np.integer, np.floating))
            or not cls.T_MIN <= temperature <= cls.T_MAX  # NaN fails this too
        ):
            raise ValueError(
                _(
                    "temperature must be a number from {low} to {high} (the slider's range); got "
                    "{temperature!r}"
                ).format(low=cls.T_MIN, high=cls.T_MAX, temperature=temperature)
            )
        return float(temperature)

    def compute(self, temperature: float) -> dict:
        """α′ = softmax(α / temperature) row by row: (n, n)."""
        temperature = self._check_temperature(temperature)
        return {
            "alpha_prime": softmax(self.scores / float(temperature), axis=-1),
            "temperature": float(temperature),
        }

    def draw(self, fig, state):
        fig.set_layout_engine("constrained")
        ax = fig.add_subplot()
        self.view = plots.attention_heatmap(
            state["alpha_prime"],
            self.tokens,
            ax=ax,
            annotate=self.annotate,
            title=_("α′ = softmax(α / temperature)"),
        )

    def update(self, state):
        return self.view.update(state["alpha_prime"])
