"""Lesson 10: one sequence seen three ways — an RNN chain, full self-attention, and attention that
only runs along a graph's edges (a GNN) — as masks, and how many steps information needs to travel.

A mask is bool (n, n), queries on rows and keys on columns, True where query i may read token j
in one step (one RNN step, or one attention layer).
"""

from __future__ import annotations

import numpy as np

from ._validate import check_int, check_mask

__all__ = ["rnn_chain_mask", "full_mask", "graph_mask", "hop_counts", "compare_costs"]


def rnn_chain_mask(n: int) -> np.ndarray:
    """A left-to-right RNN as a mask: hⁱ is made from aⁱ and hⁱ⁻¹ only, so row i is True at i − 1
    and i."""
    n = check_int("n", n, minimum=1)
    idx = np.arange(n)
    diff = idx[:, None] - idx[None, :]
    return (diff == 0) | (diff == 1)


def full_mask(n: int) -> np.ndarray:
    """Self-attention: every query sees every key, bool (n, n) all True."""
    n = check_int("n", n, minimum=1)
    return np.ones((n, n), dtype=bool)


def graph_mask(n: int, edges) -> np.ndarray:
    """A graph as an attention mask (GNN-style): bool (n, n), True on the diagonal (a node
    keeps its own
    vector) and at (i, j) and (j, i) for every undirected edge (i, j)."""
    n = check_int("n", n, minimum=1)
    edges = np.asarray(list(edges), dtype=np.int64).reshape(-1, 2)
    if edges.size and (edges.min() < 0 or edges.max() >= n):
        raise ValueError(
            f"edges must join nodes 0 … {n - 1}; got an edge with node "
            f"{int(edges.min()) if edges.min() < 0 else int(edges.max())}"
        )
    mask = np.eye(n, dtype=bool)
    mask[edges[:, 0], edges[:, 1]] = True
    mask[edges[:, 1], edges[:, 0]] = True
    return mask


def hop_counts(mask) -> np.ndarray:
    """Steps (layers) information needs to go from token j to query i, shape (n, n), float.

    D[i, j] = length of the shortest chain j → … → i in which every link k → l is allowed
    (mask[l, k]); D[i, i] = 0; inf where j can never reach i.
    """
    mask = np.asarray(mask)
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


def compare_costs(n: int, d: int, n_edges: int, diameter: float) -> list[tuple[str, str, str, str]]:
    """The lecture's comparison for a sequence of n vectors of size d: (model, sequential steps,
    longest path, main multiply-adds per layer) for an RNN, self-attention and a GNN with
    n_edges edges.
    (The projections W^q, W^k, W^v add n·d² to both attention rows.)"""
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=1)
    return [
        (
            "RNN (chain)",
            f"{n} (one after another)",
            f"{n - 1}",
            f"n·d² = {n * d * d:,} (hⁱ from hⁱ⁻¹)",
        ),
        ("self-attention", "1 (all bⁱ in parallel)", "1", f"n²·d = {n * n * d:,} (all scores)"),
        (
            "GNN (graph edges)",
            "1 (all nodes in parallel)",
            f"{diameter:g} (graph diameter)",
            f"(n + 2·edges)·d = {(n + 2 * n_edges) * d:,} (edge scores)",
        ),
    ]
