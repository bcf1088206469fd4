"""Positional encoding (位置編碼 / 位置编码), lesson 07; `shift_matrix` also builds lesson 06's
"previous token" head.

The vectors eⁱ added to aⁱ so self-attention can tell positions apart: the hand-crafted sinusoidal
eⁱ of Vaswani et al. (positions p count from 0 there, and here: the lecture's token aⁱ sits at
position p = i − 1, so e¹ is row 0), shuffling a sentence to show that attention alone ignores
order, the relative-position structure of eⁱ·eʲ, the shift matrix that turns eⁱ into eⁱ⁺ᐞ, and a
tiny trainer for *learned* eⁱ.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_float_array, check_float, check_int, check_nonempty
from .attention import _softmax_inplace, self_attention


def sinusoidal_encoding(n_positions: int, d_model: int, *, base: float = 10000.0) -> np.ndarray:
    """The hand-crafted eⁱ of "Attention is all you need", shape (n_positions, d_model), float64.

    Row p is position p, counted from 0 as in Vaswani et al.; k is the frequency index:
    e[p, 2k] = sin(p / base^(2k/d_model)), e[p, 2k+1] = cos(p / base^(2k/d_model)). An odd
    d_model ends with a sin column that has no cos partner.
    """
    n_positions = check_int("n_positions", n_positions, minimum=1)
    d_model = check_int("d_model", d_model, minimum=1)
    base = check_float("base", base, above=1)
    p = np.arange(n_positions)[:, None]  # (n_positions, 1)
    two_k = np.arange(0, d_model, 2)  # (ceil(d_model / 2),): 0, 2, 4, …
    angle = p / base ** (two_k / d_model)  # (n_positions, ceil(d_model / 2))
    e = np.empty((n_positions, d_model))
    e[:, 0::2] = np.sin(angle)
    e[:, 1::2] = np.cos(angle[:, : d_model // 2])
    return e


def shuffle_order(n: int, seed: int) -> np.ndarray:
    """A permutation of 0…n−1 (int array, shape (n,)): seed 0 is the original order, any other
    seed a shuffle that moves at least one token (when n ≥ 2). Code index p of the shuffled
    sentence is code index `order[p]` of the original (token 1 is index 0)."""
    n = check_int("n", n, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if seed == 0 or n == 1:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        if (order != np.arange(n)).any():
            return order


def unshuffle(alpha_prime, order) -> np.ndarray:
    """Put an α′ computed on a shuffled sentence back into the original token order.

    alpha_prime (n, n) with rows/columns in the shuffled order (token p is original token order[p]);
    returns (n, n) with rows/columns in the original order."""
    alpha_prime = as_float_array("alpha_prime", alpha_prime, 2, "(n, n)")
    order = np.asarray(order)
    n = alpha_prime.shape[0]
    if alpha_prime.shape != (n, n):
        raise ValueError(f"alpha_prime must be square (n, n); got shape {alpha_prime.shape}")
    if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
        raise ValueError(
            f"order must be a permutation of 0…{n - 1}, shape ({n},); got {order.tolist()}"
        )
    inverse = np.argsort(order)  # original token t sits at shuffled position inverse[t]
    return alpha_prime[np.ix_(inverse, inverse)]


def order_test(A, W_q, W_k, W_v, order, e=None) -> dict:
    """Self-attention on a sentence and on a shuffled copy, with or without positional vectors.

    A (n, d) word vectors a¹…aⁿ in the original order; order: a permutation (`shuffle_order`);
    e None, or (≥ n, d) positional vectors: position p always gets e[p], whichever word sits there.
    Returns a dict with
      alpha_prime, B            α′ (n, n) and outputs (n, d_v) of the original sentence
      alpha_prime_shuffled, B_shuffled   the same for the shuffled sentence (shuffled order)
      alpha_prime_back, B_back  the shuffled results put back into the original token order
      max_change_alpha, max_change_B     max |difference| between the original and the put-back
                                         results
    Without e both changes are 0 (up to rounding): self-attention ignores order.
    """
    A = as_float_array("A", A, 2, "(n, d)")
    check_nonempty("A", A, "(n, d)")
    n, d = A.shape
    order = np.asarray(order)
    if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
        raise ValueError(
            f"order must be a permutation of 0…{n - 1}, shape ({n},); got {order.tolist()}"
        )
    X, X_shuffled = A.copy(), A[order]
    if e is not None:
        e = as_float_array("e", e, 2, f"(n_positions ≥ {n}, {d})")
        if e.shape[0] < n or e.shape[1] != d:
            raise ValueError(
                f"e must have shape (n_positions ≥ {n}, {d}) to add to A of shape {A.shape}; got "
                f"{e.shape}"
            )
        X = X + e[:n]  # position p gets e[p] …
        X_shuffled = X_shuffled + e[:n]  # … whichever word now sits there
    B, alpha_prime = self_attention(X, W_q, W_k, W_v)
    B_s, alpha_s = self_attention(X_shuffled, W_q, W_k, W_v)
    inverse = np.argsort(order)
    alpha_back = alpha_s[np.ix_(inverse, inverse)]
    B_back = B_s[inverse]
    return {
        "alpha_prime": alpha_prime,
        "B": B,
        "alpha_prime_shuffled": alpha_s,
        "B_shuffled": B_s,
        "alpha_prime_back": alpha_back,
        "B_back": B_back,
        "max_change_alpha": float(np.abs(alpha_back - alpha_prime).max()),
        "max_change_B": float(np.abs(B_back - B).max()),
    }


def similarity_matrix(e) -> np.ndarray:
    """S[i, j] = eⁱ·eʲ for positional vectors e (n, d): shape (n, n)."""
    e = as_float_array("e", e, 2, "(n_positions, d_model)")
    check_nonempty("e", e, "(n_positions, d_model)")
    return e @ e.T


def relative_similarity(e):
    """eⁱ·eʲ as a function of the offset Δ = j − i.

    e (n, d). Returns (offsets, mean, spread), each of shape (2n − 1,): offsets −(n−1)…n−1, the mean
    of eⁱ·eⁱ⁺ᐞ over all i where both exist, and its spread (max − min) over those i. A spread of 0
    for every offset means eⁱ·eʲ depends on i − j only (true for sinusoidal eⁱ with even d_model).
    In code, offset Δ is `mean[n - 1 + Δ]` (offset 0 is the middle entry)."""
    S = similarity_matrix(e)
    n = S.shape[0]
    offsets = np.arange(-(n - 1), n)
    mean = np.array([np.diagonal(S, k).mean() for k in offsets])
    spread = np.array([np.ptp(np.diagonal(S, k)) for k in offsets])
    return offsets, mean, spread


def shift_matrix(d_model: int, shift: int, *, base: float = 10000.0) -> np.ndarray:
    """R (d_model, d_model) with e[p + shift] = e[p] @ R for the sinusoidal e, every position p.

    For each frequency ω the pair (sin ωp, cos ωp) is rotated by the angle ω·shift, so R does not
    depend on p: moving by a fixed offset is one linear map. d_model must be even (sin and cos in
    pairs)."""
    d_model = check_int("d_model", d_model, minimum=2)
    if d_model % 2:
        raise ValueError(
            f"d_model must be even (each frequency has a sin and a cos column); got {d_model}"
        )
    if isinstance(shift, bool) or not isinstance(shift, (int, np.integer)):
        raise ValueError(f"shift must be an integer (a number of positions); got {shift!r}")
    base = check_float("base", base, above=1)
    omega = 1.0 / base ** (np.arange(0, d_model, 2) / d_model)  # (d_model / 2,)
    c, s = np.cos(omega * shift), np.sin(omega * shift)
    R = np.zeros((d_model, d_model))
    R[0::2, 0::2] = np.diag(c)  # sin(ω(p+k)) = sin ωp cos ωk + cos ωp sin ωk
    R[1::2, 0::2] = np.diag(s)
    R[0::2, 1::2] = np.diag(-s)  # cos(ω(p+k)) = cos ωp cos ωk − sin ωp sin ωk
    R[1::2, 1::2] = np.diag(c)
    return R


def local_average_target(n: int) -> np.ndarray:
    """The toy task's ideal α′ (n, n): each position averages itself and its two neighbours
    (1/3 each; 1/2 each at the two ends). Order matters: only a model that knows positions can do
    it."""
    n = check_int("n", n, minimum=2)
    idx = np.arange(n)
    T = (np.abs(idx[:, None] - idx[None, :]) <= 1).astype(float)
    return T / T.sum(axis=1, keepdims=True)


def train_learned_encoding(
    n_positions: int = 16,
    d_model: int = 8,
    *,
    steps: int = 300,
    batch: int = 32,
    lr: float = 0.05,
    seed: int = 0,
) -> dict:
    """Learn positional vectors eⁱ from scratch on a toy task where order matters.

    Task ("local average"): a sequence of n_positions random numbers x; the target at position i is
    the mean of x over positions i−1, i, i+1. The model is one attention layer whose scores come
    from the positions alone, α′ = softmax(e eᵀ / √d_model), output b = α′ x; only e
    (n_positions, d_model) is learned, by Adam on the mean squared error over random batches.
    Deterministic for a given seed; what lesson 07 reads from it holds for every seed (tested).

    Returns {"e": learned (n_positions, d_model), "loss": (steps,) training loss per step,
    "alpha_prime": the learned α′ (n_positions, n_positions), "target": `local_average_target`}.
    """
    n_positions = check_int("n_positions", n_positions, minimum=2)
    d_model = check_int("d_model", d_model, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    batch = check_int("batch", batch, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a finite number > 0; got {lr!r}")
    rng = np.random.default_rng(seed)
    T = local_average_target(n_positions)  # (n, n): the α′ that solves the task
    e = 0.1 * rng.standard_normal((n_positions, d_model))  # learned eⁱ start small and random
    m, v = np.zeros_like(e), np.zeros_like(e)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    scale = 1.0 / np.sqrt(d_model)
    losses = np.empty(steps)
    for t in range(1, steps + 1):
        x = rng.standard_normal((batch, n_positions))  # (batch, n) random sequences
        y = x @ T.T  # (batch, n): the local averages
        alpha_prime = _softmax_inplace(e @ e.T * scale)  # (n, n)
        b = x @ alpha_prime.T  # (batch, n): b_i = Σ_j α′[i, j] x_j
        err = b - y
        losses[t - 1] = np.mean(err**2)
        d_alpha_prime = 2.0 / err.size * err.T @ x  # (n, n): ∂loss/∂α′
        d_alpha = alpha_prime * (
            d_alpha_prime - (d_alpha_prime * alpha_prime).sum(axis=1, keepdims=True)
        )  # softmax backward
        grad = (d_alpha + d_alpha.T) @ e * scale  # α = e eᵀ/√d is symmetric in e
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        e = e - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    alpha_prime = _softmax_inplace(e @ e.T * scale)
    return {"e": e, "loss": losses, "alpha_prime": alpha_prime, "target": T}


def sinusoidal_vs_learned(n_positions: int = 16, d_model: int = 8, **train_kwargs) -> dict:
    """Both kinds of eⁱ side by side (for lesson 07's comparison): {"sinusoidal": e, "learned": e,
    "train": the `train_learned_encoding` result}."""
    train = train_learned_encoding(n_positions, d_model, **train_kwargs)
    return {
        "sinusoidal": sinusoidal_encoding(n_positions, d_model),
        "learned": train["e"],
        "train": train,
    }
