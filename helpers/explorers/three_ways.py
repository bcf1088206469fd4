"""Lesson 10: `ThreeWaysExplorer`, one sequence drawn three ways: an RNN chain, full attention, and
attention along a graph's edges.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
Words are counted from 1 wherever the learner reads them (the query dropdown shows "1: the"); its
value, like the state, holds the 0-based index.
"""

from __future__ import annotations

import unicodedata

import ipywidgets as widgets
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .. import data, plots
from .._validate import check_int
from ..explorer import Explorer
from ..graphs import check_edges, full_mask, graph_mask, hop_counts, rnn_chain_mask
from ..language import _, ngettext

MAX_LABEL = 10  # width of a word drawn on the figure (a CJK character counts 2); longer ends in …


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _short(token: str, limit: int = MAX_LABEL) -> str:
    """The word as drawn: at most `limit` wide (Latin letters 1, CJK characters 2), so one long
    word cannot crowd the panels."""
    label = plots.display_label(token)
    if sum(map(_width, label)) <= limit:
        return label
    out, used = "", 1  # room for the "…"
    for ch in label:
        if used + _width(ch) > limit:
            break
        out, used = out + ch, used + _width(ch)
    return out + "…"


def _arc(i: int, j: int, n_points: int = 24) -> np.ndarray:
    """A half-ellipse above the token line from x = i to x = j, shape (n_points, 2)."""
    t = np.linspace(0, np.pi, n_points)
    mid, half = (i + j) / 2, abs(j - i) / 2
    return np.column_stack([mid - half * np.cos(t), 0.18 * abs(j - i) ** 0.9 * np.sin(t)])


class ThreeWaysExplorer(Explorer):
    """One sentence as an RNN chain, as full self-attention and as graph-restricted attention (GNN).

    Pick a query word and a number of layers (steps): every panel colours the words whose
    information
    has reached the query by then, and draws the links one layer may use.
    """

    figsize = (10.4, 5.4)
    prepare_controls = frozenset({"layers"})  # each depth's texts placed once beforehand
    dpi = 80

    def __init__(self, *, tokens=None, edges=None, query: int = 7, layers: int = 1):
        """tokens: the words (a list of at least 2 strings; default: lesson 10's sentence); edges:
        the graph's undirected edges as 0-based (i, j) pairs; query: the query word's 0-based
        index (word 1 is 0); layers: 1 … len(tokens) − 1."""
        default_tokens, default_edges = data.example_graph()
        if tokens is None:
            tokens = default_tokens
        if isinstance(tokens, str) or not isinstance(tokens, (list, tuple)):
            raise ValueError(
                _(
                    "tokens must be a list of words, e.g. 'the cat sat'.split(); got {kind} "
                    "{tokens!r:.60}"
                ).format(kind=type(tokens).__name__, tokens=tokens)
            )
        if len(tokens) < 2 or not all(isinstance(t, str) and t for t in tokens):
            raise ValueError(
                _(
                    "tokens must hold at least 2 words (non-empty strings): with one word there "
                    "is nothing to connect; got {tokens!r:.80}"
                ).format(tokens=list(tokens))
            )
        self.tokens = list(tokens)
        n = len(self.tokens)
        if edges is None:
            edges = default_edges if tokens is default_tokens else []
        self.edges = [tuple(e) for e in check_edges(n, edges)]
        query = check_int("query", query, minimum=0)
        if query >= n:
            raise ValueError(
                _("query must be a word index 0 … {last} (word 1 is 0); got {query}").format(
                    last=n - 1, query=query
                )
            )
        layers = check_int("layers", layers, minimum=1)
        if layers > n - 1:
            raise ValueError(
                _("layers must be 1 … {last} for {n} words; got {layers}").format(
                    last=n - 1, n=n, layers=layers
                )
            )
        self.masks = {
            "RNN chain": rnn_chain_mask(n),
            "self-attention": full_mask(n),
            "graph (GNN)": graph_mask(n, self.edges),
        }
        # the panels' names as the learner reads them (the state keeps the English keys above)
        self.labels = {
            "RNN chain": _("RNN chain"),
            "self-attention": _("self-attention"),
            "graph (GNN)": _("graph (GNN)"),
        }
        self.hops = {name: hop_counts(m) for name, m in self.masks.items()}
        style = {"description_width": "initial"}
        self.controls = {
            "query": widgets.Dropdown(
                options=[(f"{i + 1}: {_short(t, 24)}", i) for i, t in enumerate(self.tokens)],
                value=query,
                description=_("query word"),
                style=style,
            ),
            "layers": widgets.IntSlider(
                layers, min=1, max=n - 1, description=_("layers (steps)"), style=style
            ),
        }
        super().__init__()

    def compute(self, query: int, layers: int) -> dict:
        state = {"query": query, "layers": layers, "views": {}}
        for name, D in self.hops.items():
            reached = (
                D[query] <= layers
            )  # (n,): whose information is at the query after `layers` steps
            finite = np.isfinite(D[query])
            n = len(self.tokens)
            if finite.all():
                steps = int(D[query].max())
                tail = ngettext("all after {k} step", "all after {k} steps", steps).format(k=steps)
            else:
                tail = _("{count} never").format(count=int((~finite).sum()))
            state["views"][name] = {
                "reached": reached,
                "reach_matrix": D <= layers,  # (n, n): for every query at once
                "text": _("{reached}/{n} reached; {tail}").format(
                    reached=int(reached.sum()), n=n, tail=tail
                ),
            }
        return state

    def draw(self, fig, state) -> None:
        n = len(self.tokens)
        gs = fig.add_gridspec(
            2,
            3,
            height_ratios=[1, 1.5],
            left=0.1,
            right=0.99,
            top=0.84,
            bottom=0.1,
            hspace=0.5,
            wspace=0.35,
        )
        self.nodes, self.arcs, self.reach_ims, self.rows, self.texts = {}, {}, {}, {}, {}
        self.pairs = {}
        for col, (name, mask) in enumerate(self.masks.items()):
            ax = fig.add_subplot(gs[0, col])
            pairs = [
                (j, i)
                for i in range(n)
                for j in range(n)
                if mask[i, j] and i != j and (j < i or not mask[j, i])
            ]
            self.pairs[name] = pairs
            self.arcs[name] = LineCollection([_arc(j, i) for j, i in pairs], linewidths=1.0)
            ax.add_collection(self.arcs[name])
            self.nodes[name] = ax.scatter(
                np.arange(n), np.zeros(n), s=140, zorder=3, edgecolors="black", linewidths=0.6
            )
            for k, t in enumerate(self.tokens):
                ax.text(k, -0.35, _short(t), ha="center", va="top", fontsize=10, rotation=40)
            ax.set_xlim(-0.6, n - 0.4)
            ax.set_ylim(-1.1, 0.2 * (n - 1) ** 0.9 + 0.15)
            ax.set_axis_off()
            # the panel's name and, below it, how many words have reached the query
            self.texts[name] = ax.set_title(self.labels[name], fontsize=10.5)
            axm = fig.add_subplot(gs[1, col])
            view = state["views"][name]
            self.reach_ims[name] = axm.imshow(
                view["reach_matrix"], cmap=plots.MASK_CMAP, vmin=0, vmax=1, interpolation="nearest"
            )
            labels = [_short(t) for t in self.tokens]
            size = float(np.clip(160 / n, 5, 10))
            axm.set_xticks(range(n), labels, rotation=90, fontsize=size)
            axm.set_yticks(range(n), labels, fontsize=size)
            axm.tick_params(length=0)
            axm.set_xlabel(_("keys (from)"), fontsize=9)
            if col == 0:
                axm.set_ylabel(_("queries (to)"), fontsize=9)
            self.rows[name] = Rectangle(
                (-0.5, state["query"] - 0.5),
                n,
                1,
                fill=False,
                edgecolor=plots.QUERY_COLOR,
                linewidth=2,
            )
            axm.add_patch(self.rows[name])
        self.title = fig.suptitle("", fontsize=11)
        self._style(state)

    def _style(self, state) -> None:
        q, n = state["query"], len(self.tokens)
        for name, view in state["views"].items():
            fc = np.where(
                view["reached"][:, None], mcolors.to_rgba(plots.BLUE), mcolors.to_rgba(plots.GREY)
            )
            fc[q] = mcolors.to_rgba(plots.QUERY_COLOR)
            self.nodes[name].set_facecolors(fc)
            into = np.array([i == q or j == q for j, i in self.pairs[name]])
            rgba = np.where(
                into[:, None],
                mcolors.to_rgba(plots.QUERY_COLOR, 0.95),
                mcolors.to_rgba("0.55", 0.35),
            )
            self.arcs[name].set_color(rgba)
            self.arcs[name].set_linewidths(np.where(into, 2.0, 0.8))
            self.reach_ims[name].set_data(view["reach_matrix"])
            self.rows[name].set_y(q - 0.5)
            self.texts[name].set_text(f"{self.labels[name]}\n{view['text']}")
        k = state["layers"]
        self.title.set_text(
            ngettext(
                "after {k} layer (steps): whose information has reached word {q} “{word}”? "
                "(blue = reached, orange = the query; {n} words)",
                "after {k} layers (steps): whose information has reached word {q} “{word}”? "
                "(blue = reached, orange = the query; {n} words)",
                k,
            ).format(k=k, q=q + 1, word=_short(self.tokens[q]), n=n)
        )

    def update(self, state) -> list:
        self._style(state)
        return [
            *self.nodes.values(),
            *self.arcs.values(),
            *self.reach_ims.values(),
            *self.rows.values(),
            *self.texts.values(),
            self.title,
        ]
