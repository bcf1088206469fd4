"""Lesson 10: `ThreeWaysExplorer`, one sequence drawn three ways: an RNN chain, full attention, and
attention along a graph's edges.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .. import data, plots
from ..explorer import Explorer
from ..graphs import full_mask, graph_mask, hop_counts, rnn_chain_mask


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
    dpi = 80

    def __init__(self, *, tokens=None, edges=None, query: int = 7, layers: int = 1):
        default_tokens, default_edges = data.example_graph()
        self.tokens = list(default_tokens if tokens is None else tokens)
        n = len(self.tokens)
        self.edges = list(default_edges if edges is None else edges)
        self.masks = {
            "RNN chain": rnn_chain_mask(n),
            "self-attention": full_mask(n),
            "graph (GNN)": graph_mask(n, self.edges),
        }
        self.hops = {name: hop_counts(m) for name, m in self.masks.items()}
        style = {"description_width": "initial"}
        self.controls = {
            "query": widgets.Dropdown(
                options=[(f"{i}: {t}", i) for i, t in enumerate(self.tokens)],
                value=query,
                description="query word",
                style=style,
            ),
            "layers": widgets.IntSlider(
                layers, min=1, max=n - 1, description="layers (steps)", style=style
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
                tail = (
                    f"all {n} after {int(D[query].max())} step{'s' if D[query].max() > 1 else ''}"
                )
            else:
                tail = f"{int((~finite).sum())} never reach it"
            state["views"][name] = {
                "reached": reached,
                "reach_matrix": D <= layers,  # (n, n): for every query at once
                "text": f"{int(reached.sum())}/{n} words reached; {tail}",
            }
        return state

    def draw(self, fig, state) -> None:
        n = len(self.tokens)
        gs = fig.add_gridspec(
            2,
            3,
            height_ratios=[1, 1.5],
            left=0.06,
            right=0.99,
            top=0.9,
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
                ax.text(k, -0.35, t, ha="center", va="top", fontsize=8, rotation=40)
            ax.set_xlim(-0.6, n - 0.4)
            ax.set_ylim(-1.1, 0.2 * (n - 1) ** 0.9 + 0.15)
            ax.set_axis_off()
            ax.set_title(name, fontsize=11)
            self.texts[name] = ax.text(
                n / 2 - 0.5, -1.3, "", ha="center", va="top", fontsize=8, transform=ax.transData
            )
            axm = fig.add_subplot(gs[1, col])
            view = state["views"][name]
            self.reach_ims[name] = axm.imshow(
                view["reach_matrix"], cmap=plots.MASK_CMAP, vmin=0, vmax=1, interpolation="nearest"
            )
            axm.set_xticks(range(n), self.tokens, rotation=90, fontsize=7)
            axm.set_yticks(range(n), self.tokens, fontsize=7)
            axm.tick_params(length=0)
            axm.set_xlabel("keys (from)", fontsize=8)
            if col == 0:
                axm.set_ylabel("queries (to)", fontsize=8)
            self.rows[name] = Rectangle(
                (-0.5, state["query"] - 0.5),
                n,
                1,
                fill=False,
                edgecolor=plots.QUERY_COLOR,
                linewidth=2,
            )
            axm.add_patch(self.rows[name])
        self.title = fig.suptitle("", fontsize=10)
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
            self.texts[name].set_text(view["text"])
        k = state["layers"]
        self.title.set_text(
            f"after {k} layer{'s' if k > 1 else ''} (steps): whose information has reached "
            f"“{self.tokens[q]}”? (blue = reached, orange = the query; {n} words)"
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
