"""Lesson 05: `WeightedSumExplorer`, pick a sentence, a query and the weights' seed; see α′, the
query's weights, each weighted value α′ᵢⱼ vʲ and their sum bⁱ.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import plots
from ..attention import self_attention
from ..data import embed, example_sentences, tokenize, toy_weights
from ..explorer import Explorer
from ..language import _
from . import seed_slider


class WeightedSumExplorer(Explorer):
    """b = Σⱼ α′ᵢⱼ vʲ for a chosen query: α′ (queries × keys, the query's row framed), the query's
    weights, each weighted value α′ᵢⱼ vʲ, and their sum bⁱ at the bottom.

    Inputs aⁱ are the course's word vectors (`helpers.data.embed`); W_q, W_k, W_v come from the
    seed (`helpers.data.toy_weights`), and α′, B from `helpers.attention.self_attention`.
    Everything a learner reads counts from 1 as the lecture does (query 4 is a⁴, b⁴); the query
    control's value is the row index (a¹ is `X[0]`), so `query=3` is a⁴.
    """

    figsize = (11.0, 4.2)
    layout_controls = frozenset({"sentence"})  # new tokens: new labels and panel sizes
    max_builds = 8  # sentences whose panels are kept: going back to one shows them as they were
    prepare_controls = frozenset({"seed"})  # each seed's limits and texts, got ready beforehand
    dpi = 80
    d_k = d_v = 4

    def __init__(
        self, sentences=None, *, sentence: str | None = None, query: int = 3, seed: int = 0
    ):
        if sentences is None:
            sentences = example_sentences("weighted_sum")
        if isinstance(sentences, str) or not isinstance(sentences, (list, tuple)):
            sentences = None
        self.sentences = sentences
        if not self.sentences or not all(
            isinstance(s, str) and tokenize(s) for s in self.sentences
        ):
            raise ValueError(_("sentences must be a non-empty list of non-empty str"))
        sentence = self.sentences[0] if sentence is None else sentence
        if sentence not in self.sentences:
            raise ValueError(
                _("sentence must be one of {sentences}; got {sentence!r}").format(
                    sentences=self.sentences, sentence=sentence
                )
            )
        self.controls = {
            "sentence": widgets.Dropdown(
                options=self.sentences,
                value=sentence,
                description=_("sentence"),
                layout=widgets.Layout(width="300px"),
            ),
            "query": widgets.Dropdown(
                options=self._query_options(sentence),
                description=_("query"),
                layout=widgets.Layout(width="170px"),
            ),
            "seed": seed_slider("300px"),
        }
        super().__init__(query=query, seed=seed)

    @staticmethod
    def _query_options(sentence: str) -> list[tuple[str, int]]:
        return [(f"{i + 1}: {t}", i) for i, t in enumerate(tokenize(sentence))]  # a¹ is X[0]

    @staticmethod
    def _query_after(old, sentence: str) -> int:
        """The query a new sentence keeps: the same row if it has one, else a¹."""
        return old if old is not None and old < len(tokenize(sentence)) else 0

    def sync_controls(self, changed):
        if changed != "sentence":
            return
        dd = self.controls["query"]
        old = dd.value
        sentence = self.controls["sentence"].value
        dd.options = self._query_options(sentence)
        dd.value = self._query_after(old, sentence)

    def values_for(self, name, value):
        values = super().values_for(name, value)
        if name == "sentence":  # as sync_controls moves the query
            values["query"] = self._query_after(values["query"], value)
        return values

    def compute(self, sentence: str, query: int, seed: int) -> dict:
        """X (n, 8) = embed(tokens); α′ (n, n) and B (n, d_v) by self_attention; for the query i:
        its weights α′ᵢ (n,), the weighted values α′ᵢⱼ vʲ (n, d_v) and bⁱ (d_v,)."""
        tokens = tokenize(sentence)
        n = len(tokens)
        query = 0 if query is None else int(query)
        if not 0 <= query < n:
            raise ValueError(
                _(
                    "query must be a row index 0…{last} (a¹ is X[0], a{sup} is X[{last}]); "
                    "got {query}"
                ).format(last=n - 1, sup=plots.superscript(n), query=query)
            )
        X = embed(tokens)  # (n, 8): a¹…aⁿ as rows
        W = toy_weights(int(seed), X.shape[1], self.d_k, self.d_v)
        B, alpha_prime = self_attention(X, W["W_q"], W["W_k"], W["W_v"])  # (n, d_v), (n, n)
        V = X @ W["W_v"]  # (n, d_v)
        weighted = alpha_prime[query][:, None] * V  # (n, d_v): row j is α′ᵢⱼ vʲ
        return {
            "tokens": tokens,
            "query": query,
            "X": X,
            **W,
            "V": V,
            "alpha_prime": alpha_prime,
            "B": B,
            "alpha_prime_q": alpha_prime[query],
            "weighted": weighted,
            "b": B[query],
        }

    def _stack(self, state) -> np.ndarray:
        return np.vstack(
            [state["weighted"], state["b"][None]]
        )  # (n + 1, d_v): the terms, then their sum

    def draw(self, fig, state):
        tokens, n, q = state["tokens"], len(state["tokens"]), state["query"]
        gs = fig.add_gridspec(
            1,
            3,
            width_ratios=[1.2, 0.9, 1.0],
            left=0.08,
            right=0.97,
            top=0.88,
            bottom=0.2,
            wspace=0.45,
        )
        ax_h = fig.add_subplot(gs[0, 0])
        self.heat = plots.attention_heatmap(
            state["alpha_prime"],
            tokens,
            ax=ax_h,
            highlight_row=q,
            colorbar=False,
            title=_("α′ (queries × keys)"),
        )
        ax_w = self.ax_w = fig.add_subplot(gs[0, 1])
        y = np.arange(n)
        self.bars = ax_w.barh(y, state["alpha_prime_q"], color=plots.BLUE)
        ax_w.set_yticks(y, [plots.display_label(t) for t in tokens], fontfamily=plots.label_fonts())
        ax_w.invert_yaxis()
        ax_w.set_xlim(0, 1)
        ax_w.set_xlabel(_("α′ᵢⱼ (sums to 1)"))
        self.w_title = ax_w.set_title("", fontsize=10)
        ax_b = fig.add_subplot(gs[0, 2])
        stack = self._stack(state)
        lim = plots.nice_limit(float(np.abs(state["V"]).max()))
        self.b_image = ax_b.imshow(
            stack, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest"
        )
        ax_b.axhline(n - 0.5, color="black", linewidth=2)
        ax_b.set_yticks(
            range(n + 1),
            [
                f"α′·v{plots.superscript(j + 1)} {plots.display_label(t)}"
                for j, t in enumerate(tokens)
            ]
            + ["b = Σ"],
            fontsize=9,
            fontfamily=plots.label_fonts(),
        )
        ax_b.set_xticks(
            range(self.d_v), [str(j + 1) for j in range(self.d_v)], fontsize=9
        )  # the d_v entries of each vector, counted from 1
        ax_b.set_xlabel(_("entry of the vector"), fontsize=9)
        self.b_title = ax_b.set_title("", fontsize=10)
        self.b_texts = [
            ax_b.text(j, i, "", ha="center", va="center", fontsize=8)
            for i in range(n + 1)
            for j in range(self.d_v)
        ]
        self._lim = lim
        self._set_dynamic(state)

    def _set_dynamic(self, state):
        stack = self._stack(state)
        self.b_image.set_data(stack)
        for t, v in zip(self.b_texts, stack.ravel(), strict=True):
            t.set_text(f"{v:.2f}")
            t.set_color("white" if abs(v) > 0.6 * self._lim else "black")
        for bar, v in zip(self.bars, state["alpha_prime_q"], strict=True):
            bar.set_width(v)
        i = state["query"] + 1  # the lecture's count: row 0 is query 1, a¹
        self.w_title.set_text(
            _("weights α′ of query {i}: a{sup} “{token}”").format(
                i=i,
                sup=plots.superscript(i),
                token=plots.display_label(state["tokens"][state["query"]]),
            )
        )
        self.b_title.set_text(
            _("weighted values α′ vʲ and their sum b{sup}").format(sup=plots.superscript(i))
        )

    def build_key(self, state):
        """The panels are built for the tokens (their labels, the panels' sizes)."""
        return tuple(state["tokens"])

    def background_key(self):
        """One saved background per build: every other control blits."""
        return ()

    def update(self, state):
        lim = plots.nice_limit(float(np.abs(state["V"]).max()))
        if (
            lim != self._lim
        ):  # another seed's |V|: the right panel has no colour bar, so no full redraw
            self._lim = lim
            self.b_image.set_clim(-lim, lim)
        artists = self.heat.update(state["alpha_prime"], highlight_row=state["query"])
        self._set_dynamic(state)
        return [*artists, *self.bars, self.w_title, self.b_title, self.b_image, *self.b_texts]
