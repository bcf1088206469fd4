"""Lesson 10: one sequence seen three ways — an RNN chain, full self-attention, and attention that
only runs along a graph's edges (a GNN) — as masks, and how many steps information needs to travel.

A mask is bool (n, n), queries on rows and keys on columns, True where query i may read token j
in one step (one RNN step, or one attention layer). Code indexes words and nodes from 0: the
lecture's a¹ is row 0, and an edge (0, 1) joins a¹ and a².
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._validate import as_bool_array, check_int, check_mask
from .language import _, pad, text_width

__all__ = [
    "rnn_chain_mask",
    "full_mask",
    "check_edges",
    "graph_mask",
    "hop_counts",
    "compare_costs",
    "format_costs",
]


def rnn_chain_mask(n: int, *, bidirectional: bool = False) -> np.ndarray:
    """A left-to-right RNN as a mask: hⁱ is made from aⁱ and hⁱ⁻¹ only, so row i is True at i − 1
    and i. bidirectional=True adds the right-to-left chain (row i also True at i + 1): the output
    at i then hears both sides, one step per word of distance."""
    n = check_int("n", n, minimum=1)
    if not isinstance(bidirectional, (bool, np.bool_)):
        raise ValueError(f"bidirectional must be True or False; got {bidirectional!r}")
    idx = np.arange(n)
    diff = idx[:, None] - idx[None, :]
    return (np.abs(diff) <= 1) if bidirectional else (diff == 0) | (diff == 1)


def full_mask(n: int) -> np.ndarray:
    """Self-attention: every query sees every key, bool (n, n) all True."""
    n = check_int("n", n, minimum=1)
    return np.ones((n, n), dtype=bool)


def check_edges(n: int, edges) -> np.ndarray:
    """`edges` as an int array (n_edges, 2), or a ValueError that names the edge at fault.

    Every edge is a pair (i, j) of whole numbers 0 … n − 1 (0-based: node a¹ is 0). A fraction, a
    bool, a string or a pair of the wrong length is refused, never rounded or guessed.
    """
    n = check_int("n", n, minimum=1)
    wanted = f"a list of (i, j) pairs of node numbers 0 … {n - 1}, e.g. [(0, 1), (1, 2)]"
    if edges is None or isinstance(edges, (str, bytes, dict)):
        raise ValueError(f"edges must be {wanted} ([] for none); got {edges!r:.60}")
    try:
        edges = list(edges)
    except TypeError:
        raise ValueError(f"edges must be {wanted}; got {edges!r:.60}") from None
    out = np.zeros((len(edges), 2), dtype=np.int64)
    for k, edge in enumerate(edges):
        if isinstance(edge, (str, bytes, dict)) or not hasattr(edge, "__len__") or len(edge) != 2:
            raise ValueError(f"edges[{k}] must be a pair (i, j) of node numbers; got {edge!r:.60}")
        for end, node in zip("ij", edge, strict=True):
            if isinstance(node, (bool, np.bool_)) or not isinstance(node, numbers.Integral):
                raise ValueError(
                    f"edges[{k}] = {tuple(edge)!r:.60}: node {end} must be a whole number "
                    f"0 … {n - 1}; got {node!r} ({type(node).__name__})"
                )
            if not 0 <= node < n:
                raise ValueError(
                    f"edges[{k}] = {tuple(edge)!r:.60}: node {end} must be 0 … {n - 1} (the graph "
                    f"has {n} nodes); got {node}"
                )
        out[k] = [int(edge[0]), int(edge[1])]
    return out


def graph_mask(n: int, edges) -> np.ndarray:
    """A graph as an attention mask (GNN-style): bool (n, n), True on the diagonal (a node
    keeps its own vector) and at (i, j) and (j, i) for every undirected edge (i, j) (0-based
    node numbers, see `check_edges`)."""
    n = check_int("n", n, minimum=1)
    edges = check_edges(n, edges)  # (n_edges, 2)
    mask = np.eye(n, dtype=bool)
    mask[edges[:, 0], edges[:, 1]] = True
    mask[edges[:, 1], edges[:, 0]] = True
    return mask


def hop_counts(mask) -> np.ndarray:
    """Steps (layers) information needs to go from token j to query i, shape (n, n), float.

    D[i, j] = length of the shortest chain j → … → i in which every link k → l is allowed
    (mask[l, k]); D[i, i] = 0; inf where j can never reach i.
    """
    mask = as_bool_array("mask", mask)
    if mask.ndim != 2 or mask.shape[0] != mask.shape[1]:
        raise ValueError(f"mask must be a square (n, n) bool array; got shape {mask.shape}")
    n = mask.shape[0]
    mask = check_mask(mask, n, n)
    D = np.full((n, n), np.inf)
    reach = np.eye(n, dtype=bool)  # reach[i, j]: j's information is already at i
    D[reach] = 0
    step = mask.astype(np.int64)
    for k in range(1, n):
        new = (
            step @ reach.astype(np.int64)
        ) > 0  # one more layer: i reads from any l that already holds j
        fresh = new & ~reach
        if not fresh.any():
            break
        D[fresh] = k
        reach |= new
    return D


def compare_costs(n: int, d: int, n_edges: int, diameter: float) -> list[dict]:
    """The lecture's comparison for a sequence of n vectors of size d, one layer each: a
    left-to-right RNN, a bidirectional RNN, self-attention, and a GNN with n_edges undirected edges
    (graph diameter `diameter`, inf if it is not connected).

    Each row: model, steps (how many must run one after another: an int), path (the most steps
    between two words), projections and mixing (multiply-adds: making each word's own vectors, then
    mixing words), total, formula (how they were counted):
      RNN                hⁱ = tanh(W aⁱ + U hⁱ⁻¹): n·d² for W aⁱ, n·d² for U hⁱ⁻¹
      bidirectional RNN  two such chains, one each way: twice that
      self-attention     its own projections q, k, v: 3·n·d²; then n² scores q·k (n²·d) and the
                         weighted sums b (n²·d)
      GNN                the same projections; scores and sums only along the n + 2·edges links
    """
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=1)
    n_edges = check_int("n_edges", n_edges, minimum=0)
    if (
        isinstance(diameter, bool)
        or not isinstance(diameter, numbers.Real)
        or math.isnan(diameter)
        or diameter < 0
    ):
        raise ValueError(
            f"diameter must be a number ≥ 0 (inf for a graph in pieces); got {diameter!r}"
        )
    links = n + 2 * n_edges  # the graph mask's True entries: self-loops and both ways along edges
    # model and formula in the edition's language: format_costs prints them as they are
    rows = [
        (_("RNN (left to right)"), n, f"{n - 1}", n * d * d, n * d * d, "n·d² + n·d²"),
        (_("bidirectional RNN"), n, f"{n - 1}", 2 * n * d * d, 2 * n * d * d, _("twice that")),
        (_("self-attention"), 1, "1", 3 * n * d * d, 2 * n * n * d, "3·n·d² + 2·n²·d"),
        (_("GNN (graph edges)"), 1, f"{diameter:g}", 3 * n * d * d, 2 * links * d,
         _("3·n·d² + 2·(n + 2·edges)·d")),
    ]  # fmt: skip
    return [
        dict(
            model=model,
            steps=steps,
            path=path,
            projections=proj,
            mixing=mix,
            total=proj + mix,
            formula=formula,
        )
        for model, steps, path, proj, mix, formula in rows
    ]


def format_costs(rows: list[dict]) -> str:
    """The rows of `compare_costs` as a fixed-width text table."""
    keys = ("model", "steps", "path", "projections", "mixing", "total", "formula")
    if not isinstance(rows, (list, tuple)) or not rows:
        raise ValueError(f"rows must be the list compare_costs returns; got {rows!r:.60}")
    for k, r in enumerate(rows):
        if not isinstance(r, dict) or any(key not in r for key in keys):
            raise ValueError(f"rows[{k}] must be a row of compare_costs with keys {list(keys)}")
    # the headers and model names as the edition writes them, padded by display width (CJK: 2)
    head = (
        f"{'':19} | {pad(_('in a row'), 8, '>')} | {pad(_('path'), 5, '>')} | "
        f"{pad(_('projections'), 11, '>')} + {pad(_('mixing'), 7, '>')} = "
        f"{pad(_('total'), 6, '>')} | {_('counted as')}"
    )
    lines = [head, "-" * text_width(head)]
    for r in rows:
        lines.append(
            f"{pad(str(r['model']), 19)} | {r['steps']:>8} | {r['path']:>5} | "
            f"{r['projections']:>11,} + {r['mixing']:>7,} = {r['total']:>6,} | {r['formula']}"
        )
    return "\n".join(lines)
