"""Lesson 06: `MultiHeadExplorer`, per-head α′ heatmaps side by side under a heads slider.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import plots
from ..data import example_sentences
from ..explorer import Explorer
from ..language import _, ngettext
from ..multihead import (
    D_MODEL,
    designed_weights,
    head_report,
    per_head,
    share_texts,
    toy_inputs,
    toy_tokens,
)

HEAD_CHOICES = (1, 2, 4)  # divisors of d_model = 16 that still leave each head a readable picture


class MultiHeadExplorer(Explorer):
    """Per-head α′ heatmaps side by side for the hand-built weights of lesson 06.

    Controls: n_heads (1, 2 or 4: the same W_q, W_k, W_v split into that many column blocks),
    sentence (one of `example_sentences("multihead")`), positions (add the positional vectors eⁱ or
    not). With 2 heads, head 1 attends to the same word and head 2 to the previous token; 1 head
    must mix both; 4 heads leave two heads nearly blind. Under each head's title: how its queries
    2…n share out their weight (previous token + same word + other = 100%, `head_report`).
    """

    figsize = (11.0, 5.0)
    # new tokens: new labels; another head count: another number of panels
    layout_controls = frozenset({"sentence", "n_heads"})
    max_builds = 8  # sentences whose panels are kept: going back to one shows them as they were
    dpi = 90
    # fixed margins (figure fractions): room for the two-line suptitle, the two-line head titles
    # above the panels and the rotated key labels below; no layout engine, so a full redraw costs
    # no layout pass and the same controls always give the same layout
    _margins = {"left": 0.06, "right": 0.925, "bottom": 0.15, "top": 0.745}

    def __init__(
        self,
        n_heads: int = 2,
        sentence: str = "the cat saw the dog and the dog saw the cat",
        *,
        positions: bool = True,
    ):
        sentences = example_sentences("multihead")
        self.controls = {
            "n_heads": widgets.SelectionSlider(options=list(HEAD_CHOICES), description=_("heads")),
            "sentence": widgets.Dropdown(
                options=sentences,
                description=_("sentence"),
                layout=widgets.Layout(width="420px"),
            ),
            "positions": widgets.Checkbox(description=_("add positional vectors eⁱ")),
        }
        self.W = designed_weights()
        self._shown = None
        super().__init__(n_heads=n_heads, sentence=sentence, positions=positions)

    def compute(self, n_heads: int, sentence: str, positions: bool) -> dict:
        """tokens, per-head α′ (n_heads, n, n), B (n, 16), and per head a report of what it
        attends to (`head_report`)."""
        tokens, vocab = toy_tokens(sentence)
        X = toy_inputs(tokens, vocab, use_position=bool(positions))  # (n, 16) = a + e
        r = per_head(X, **self.W, n_heads=n_heads)
        return {
            "tokens": tokens,
            "n_heads": n_heads,
            "positions": bool(positions),
            "alpha_prime": r["alpha_prime"],
            "B": r["B"],
            "report": head_report(r["alpha_prime"], tokens),
        }

    @staticmethod
    def _title(row: dict) -> str:
        # short lines: four panels side by side leave each title about 200 px
        previous, same, other = share_texts(row)
        head = _("head {head}: {kind}").format(head=row["head"], kind=row["kind"])
        return f"{head}\n{previous} · {same}\n{other}"

    @staticmethod
    def _suptitle(state) -> str:
        h = state["n_heads"]
        where = _("with eⁱ") if state["positions"] else _("without eⁱ (no position information)")
        heads = ngettext(
            "α′ of each head: {h} head of d_k = {d_k}, {where}",
            "α′ of each head: {h} heads of d_k = {d_k}, {where}",
            h,
        ).format(h=h, d_k=D_MODEL // h, where=where)
        return (
            heads
            + "\n"
            + _(
                "under each title, where queries 2…n put their weight "
                "(previous token + same word + other = 100%)"
            )
        )

    def draw(self, fig, state):
        fig.set_layout_engine("none")
        self.suptitle = fig.suptitle(self._suptitle(state), fontsize=10, y=0.985, va="top")
        # the panels of every head count, built once per sentence (their data and titles
        # are set by update)
        self._panels = {h: self._build(h, state["tokens"]) for h in HEAD_CHOICES}
        self._show(state)

    def _build(self, h: int, tokens: list[str]) -> tuple:
        fig, m, n = self.fig, self._margins, len(tokens)
        gs = fig.add_gridspec(1, h, wspace=0.32 if h > 2 else 0.2, **m)
        views = []
        for k in range(h):
            ax = fig.add_subplot(gs[0, k])
            view = plots.attention_heatmap(
                np.zeros((n, n)),
                tokens,
                ax=ax,
                annotate=False,
                colorbar=False,
                title="\n\n",
                xlabel=_("keys"),
                ylabel=_("queries") if k == 0 else "",
            )
            ax.title.set_fontsize(9.5)
            views.append(view)
        cax = fig.add_axes((m["right"] + 0.012, m["bottom"], 0.012, m["top"] - m["bottom"]))
        fig.colorbar(views[0].image, cax=cax, label="α′")
        return views, cax

    def _show(self, state) -> None:
        """Make the panels for state's head count the visible ones."""
        h = state["n_heads"]
        for k, (views, cax) in self._panels.items():
            for view in views:
                view.ax.set_visible(k == h)
            cax.set_visible(k == h)
        self.views = self._panels[h][0]
        self._shown = h

    def update(self, state):
        redraw = state["n_heads"] != self._shown
        if redraw:  # another head count: show its panels (built once per sentence)
            self._show(state)
        artists = []
        for view, A, row in zip(self.views, state["alpha_prime"], state["report"], strict=True):
            artists += view.update(A)
            view.ax.title.set_text(self._title(row))
            artists.append(view.ax.title)
        self.suptitle.set_text(self._suptitle(state))
        return None if redraw else artists + [self.suptitle]

    def build_key(self, state):
        """The panels of every head count are built for the tokens (their labels)."""
        return tuple(state["tokens"])

    def background_key(self):
        """The panels of each head count have their own static background (tick labels, colour bar:
        most of a full draw's cost): switching back to a head count drawn before only blits (the
        sentence is the build's, `build_key`)."""
        return (self._shown,)
