"""Lessons 00 and 03–11: the attention maths of the lecture, in numpy: scores α, softmax α′, the
weighted sum b, multi-head
attention and truncated (banded) attention.

Conventions (lecture → code): tokens a¹…aⁿ are the *rows* of X (the lecture stacks them as
columns); queries index the rows of every α and α′, keys the columns; masks are boolean, True where
a query may attend to a key. Every attention function returns `(output, alpha_prime)`.
float32 inputs compute in float32; everything else in float64.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from ._validate import (
    as_float_array,
    check_axis,
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_mask,
    check_nonempty,
    check_rows,
    result_dtype,
)

__all__ = [
    "softmax",
    "normalise",
    "dot_product_scores",
    "additive_scores",
    "weighted_sum",
    "self_attention",
    "multi_head_attention",
    "split_heads",
    "combine_heads",
    "band_mask",
    "truncated_attention",
    "truncated_attention_by_query",
    "band_to_dense",
]


def _softmax_inplace(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Stable softmax that overwrites `scores` (already validated). -inf entries become exactly 0.

    A row whose largest score is not finite means Q Kᵀ overflowed (or held NaN): that is a
    ValueError here, not a row of NaN weights with only a RuntimeWarning."""
    top = scores.max(axis=axis, keepdims=True)
    if not np.isfinite(top).all():
        raise ValueError(
            f"the scores α = q·k are not finite ({scores.dtype}, shape {scores.shape}): the inputs "
            "or weights are too large (q·k overflowed) or hold NaN; scale X or the weights down"
        )
    scores -= top
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=axis, keepdims=True)
    return scores


def _overflow_is_a_value_error(func):
    """Run an attention function with numpy's overflow warnings off: an overflow shows up as
    non-finite scores, which `_softmax_inplace` turns into a ValueError that says so, and a
    non-finite output B is one too."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            B, alpha_prime = func(*args, **kwargs)
        if not np.isfinite(B).all():
            raise ValueError(
                f"the output B is not finite ({B.dtype}, shape {B.shape}): the values v = W_v a "
                "overflowed; scale X or W_v down"
            )
        return B, alpha_prime

    return wrapper


def softmax(x, axis: int = -1) -> np.ndarray:
    """α′ = exp(α − max α) / Σ exp(α − max α) along `axis` (the keys). Any shape; -inf means
    "masked".

    Subtracting the row maximum changes nothing mathematically (softmax is shift invariant) but
    keeps
    exp() from overflowing: scores of ±1e4 stay finite even in float32.
    """
    arr = as_float_array("x", x, None, "(…, n_keys)", allow_neg_inf=True)
    axis = check_axis("axis", axis, arr.ndim)
    if arr.shape[axis] == 0:
        raise ValueError(
            f"x has no entries along axis {axis} (shape {arr.shape}); softmax needs at least one"
        )
    out = arr.astype(np.result_type(arr.dtype, np.float32), copy=True)
    if np.isneginf(out).all(axis=axis).any():
        raise ValueError(
            f"x has a row that is -inf everywhere along axis {axis}: that row has nothing to "
            "attend to"
        )
    return _softmax_inplace(out, axis=axis)


def normalise(
    alpha, kind: str = "softmax", *, temperature: float = 1.0, axis: int = -1
) -> np.ndarray:
    """Turn scores α into weights α′ the lecture's three ways: "softmax" (of α /
    temperature), "relu"
    (max(α, 0), rows not forced to sum to 1) or "none" (α unchanged)."""
    arr = as_float_array("alpha", alpha, None, "(n_queries, n_keys)")
    check_nonempty("alpha", arr, "(n_queries, n_keys)")
    kind = check_choice("kind", kind, ("softmax", "relu", "none"))
    temperature = check_float("temperature", temperature, above=0)
    axis = check_axis("axis", axis, arr.ndim)
    if kind == "softmax":
        return softmax(arr / temperature, axis=axis)
    arr = arr.astype(np.result_type(arr.dtype, np.float32))
    return np.maximum(arr, 0) if kind == "relu" else arr.copy()


def _projections(X, W_q, W_k, W_v, *, same_d_model: bool = False):
    """Validate X and the three weight matrices; return them as arrays of one float dtype."""
    X = as_float_array("X", X, 2, "(n, d_in)")
    check_nonempty("X", X, "(n, d_in)")
    d_in = X.shape[1]
    W_q = as_float_array("W_q", W_q, 2, "(d_in, d_k)")
    W_k = as_float_array("W_k", W_k, 2, "(d_in, d_k)")
    W_v = as_float_array("W_v", W_v, 2, "(d_in, d_v)")
    for name, W in (("W_q", W_q), ("W_k", W_k), ("W_v", W_v)):
        check_rows(
            name,
            W,
            d_in,
            "d_in (the columns of X)",
            "(d_in, d_k)" if name != "W_v" else "(d_in, d_v)",
        )
        check_nonempty(name, W, "(d_in, d_k)")
    if W_q.shape[1] != W_k.shape[1]:
        raise ValueError(
            "W_q and W_k must have the same number of columns d_k (q·k needs equal lengths); got "
            f"W_q {W_q.shape} and W_k {W_k.shape}"
        )
    dtype = result_dtype(X, W_q, W_k, W_v)
    return (
        X.astype(dtype, copy=False),
        W_q.astype(dtype, copy=False),
        W_k.astype(dtype, copy=False),
        W_v.astype(dtype, copy=False),
    )


def dot_product_scores(X, W_q, W_k, *, scale: bool = True) -> np.ndarray:
    """α[i, j] = qⁱ·kʲ (÷ √d_k when `scale`), with q = X W_q, k = X W_k. Shape (n, n): queries ×
    keys."""
    X, W_q, W_k, _ = _projections(X, W_q, W_k, W_k)
    scale = check_bool("scale", scale)
    Q = X @ W_q  # (n, d_k)
    K = X @ W_k  # (n, d_k)
    alpha = Q @ K.T  # (n, n)
    if scale:
        alpha /= np.sqrt(W_q.shape[1])
    return alpha


def additive_scores(X, W_q, W_k, w) -> np.ndarray:
    """The lecture's additive score: α[i, j] = wᵀ tanh(qⁱ + kʲ), q = X W_q, k = X W_k.

    X (n, d_in); W_q, W_k (d_in, d_h); w (d_h,). Returns α of shape (n, n), queries × keys.
    """
    X, W_q, W_k, _ = _projections(X, W_q, W_k, W_k)
    w = as_float_array("w", w, 1, "(d_h,)")
    if w.shape[0] != W_q.shape[1]:
        raise ValueError(
            f"w must have shape (d_h,) with d_h = {W_q.shape[1]} (the columns of W_q); got shape "
            f"{w.shape}"
        )
    Q = X @ W_q  # (n, d_h)
    K = X @ W_k  # (n, d_h)
    return np.tanh(Q[:, None, :] + K[None, :, :]) @ w.astype(X.dtype, copy=False)  # (n, n)


def weighted_sum(alpha_prime, V) -> np.ndarray:
    """bⁱ = Σⱼ α′[i, j] vʲ for every query i: α′ (n_q, n_k) @ V (n_k, d_v) → B (n_q, d_v)."""
    alpha_prime = as_float_array("alpha_prime", alpha_prime, 2, "(n_queries, n_keys)")
    V = as_float_array("V", V, 2, "(n_keys, d_v)")
    check_rows("V", V, alpha_prime.shape[1], "n_keys (the columns of alpha_prime)", "(n_keys, d_v)")
    return alpha_prime @ V


@_overflow_is_a_value_error
def self_attention(X, W_q, W_k, W_v, *, mask=None, scale: bool = True):
    """Single-head self-attention. Returns `(B, alpha_prime)`.

    X (n, d_in); W_q, W_k (d_in, d_k); W_v (d_in, d_v); mask None or bool (n, n).
    alpha_prime (n, n) = softmax(Q Kᵀ / √d_k) row by row; B (n, d_v) = alpha_prime V.
    """
    X, W_q, W_k, W_v = _projections(X, W_q, W_k, W_v)
    scale = check_bool("scale", scale)
    n, d_k = X.shape[0], W_q.shape[1]
    if mask is not None:
        mask = check_mask(mask, n, n)
    Q = X @ W_q  # (n, d_k)
    if scale:
        # scaling Q (n × d_k) is cheaper than scaling α (n × n)
        Q *= Q.dtype.type(1.0 / np.sqrt(d_k))
    K = X @ W_k  # (n, d_k)
    V = X @ W_v  # (n, d_v)
    alpha = Q @ K.T  # (n, n): queries on rows, keys on columns
    if mask is not None:
        np.copyto(alpha, -np.inf, where=~mask)
    alpha_prime = _softmax_inplace(alpha)
    return alpha_prime @ V, alpha_prime


def split_heads(M, n_heads: int) -> np.ndarray:
    """(n, d_model) → (n_heads, n, d_k): head h takes columns h·d_k … (h+1)·d_k (head 1 is
    index 0)."""
    M = as_float_array("M", M, 2, "(n, d_model)")
    n, d_model = M.shape
    n_heads = check_int("n_heads", n_heads, minimum=1)
    if d_model % n_heads:
        raise ValueError(
            f"n_heads must divide d_model = {d_model} (the columns of M); got "
            f"n_heads = {n_heads} (try one of {_divisors(d_model)})"
        )
    return M.reshape(n, n_heads, d_model // n_heads).transpose(1, 0, 2)


def _divisors(d: int) -> list[int]:
    return [h for h in range(1, d + 1) if d % h == 0]


def _concat_heads(heads: np.ndarray) -> np.ndarray:
    """(n_heads, n, d_k) → (n, n_heads·d_k), head h in columns h·d_k … (h+1)·d_k."""
    h, n, d_k = heads.shape
    return heads.transpose(1, 0, 2).reshape(n, h * d_k)


def _check_multi_head(X, W_q, W_k, W_v, W_o, n_heads, mask):
    """Validate multi-head inputs (shared by `multi_head_attention` and
    `helpers.multihead.per_head`);
    return them as arrays of one float dtype, n_heads as an int and the mask as bool (or None)."""
    X = as_float_array("X", X, 2, "(n, d_model)")
    check_nonempty("X", X, "(n, d_model)")
    n, d_model = X.shape
    expected = f"(d_model, d_model) = ({d_model}, {d_model})"
    mats = {}
    for name, W in (("W_q", W_q), ("W_k", W_k), ("W_v", W_v), ("W_o", W_o)):
        W = as_float_array(name, W, 2, expected)
        if W.shape != (d_model, d_model):
            raise ValueError(
                f"{name} must have shape {expected}, d_model being the columns of X; got shape "
                f"{W.shape}"
            )
        mats[name] = W
    n_heads = check_int("n_heads", n_heads, minimum=1)
    if d_model % n_heads:
        raise ValueError(
            f"n_heads must divide d_model = {d_model} so each head gets "
            f"d_k = d_model / n_heads columns; got n_heads = {n_heads} "
            f"(try one of {_divisors(d_model)})"
        )
    if mask is not None:
        mask = check_mask(mask, n, n)
    dtype = result_dtype(X, *mats.values())
    X = X.astype(dtype, copy=False)
    W_q, W_k, W_v, W_o = (mats[k].astype(dtype, copy=False) for k in ("W_q", "W_k", "W_v", "W_o"))
    return X, W_q, W_k, W_v, W_o, n_heads, mask


@_overflow_is_a_value_error
def multi_head_attention(X, W_q, W_k, W_v, W_o, *, n_heads: int, mask=None):
    """Multi-head self-attention (多头注意力). Returns `(B, alpha_prime)`.

    X (n, d_model); W_q, W_k, W_v, W_o (d_model, d_model); d_k = d_model / n_heads. Head h uses
    columns h·d_k … (h+1)·d_k of W_q, W_k, W_v; the heads' outputs are concatenated and mixed by
    W_o. B (n, d_model); alpha_prime (n_heads, n, n).
    """
    X, W_q, W_k, W_v, W_o, n_heads, mask = _check_multi_head(X, W_q, W_k, W_v, W_o, n_heads, mask)
    n, d_model = X.shape
    d_k = d_model // n_heads
    Q = split_heads(X @ W_q, n_heads) * X.dtype.type(1.0 / np.sqrt(d_k))  # (h, n, d_k)
    K = split_heads(X @ W_k, n_heads)  # (h, n, d_k)
    V = split_heads(X @ W_v, n_heads)  # (h, n, d_k)
    alpha = Q @ K.transpose(0, 2, 1)  # (h, n, n)
    if mask is not None:
        np.copyto(alpha, -np.inf, where=~mask[None])
    alpha_prime = _softmax_inplace(alpha)
    heads = alpha_prime @ V  # (h, n, d_k): b^{i,h}
    return _concat_heads(heads) @ W_o, alpha_prime  # concat (n, d_model): [b^{i,1} … b^{i,h}]


def combine_heads(heads, W_o=None) -> np.ndarray:
    """Concatenate per-head outputs side by side and (if W_o is given) mix them: the lecture's
    bⁱ = W^O [b^{i,1}; b^{i,2}; …].

    heads (n_heads, n, d_k) → concat (n, n_heads·d_k), head h in columns h·d_k … (h+1)·d_k;
    with W_o (n_heads·d_k, d_out) returns concat @ W_o, shape (n, d_out)."""
    heads = as_float_array("heads", heads, 3, "(n_heads, n, d_k)")
    check_nonempty("heads", heads, "(n_heads, n, d_k)")
    h, n, d_k = heads.shape
    concat = _concat_heads(heads)  # (n, h·d_k)
    if W_o is None:
        return concat
    W_o = as_float_array("W_o", W_o, 2, f"({h * d_k}, d_out)")
    if W_o.shape[0] != h * d_k:
        raise ValueError(
            f"W_o must have shape (n_heads·d_k, d_out) with n_heads·d_k = {h * d_k}; got shape "
            f"{W_o.shape}"
        )
    return concat @ W_o


def band_mask(n: int, window: int) -> np.ndarray:
    """Bool (n, n), True where |i − j| ≤ window: truncated self-attention's allowed pairs."""
    n = check_int("n", n, minimum=1)
    window = check_int("window", window, minimum=0)
    # Two triangles, one byte per entry (|i − j| on int64 would cost 8 bytes per entry at n²).
    return np.tri(n, n, window, dtype=bool) & ~np.tri(n, n, -window - 1, dtype=bool)


def band_to_dense(alpha_band, window: int) -> np.ndarray:
    """Spread a banded (n, 2·window + 1) α′ back into the (n, n) matrix (for plots and tests).

    alpha_band[i, j] belongs to key i − window + j; entries outside 0…n−1 are dropped.
    """
    alpha_band = as_float_array("alpha_band", alpha_band, 2, "(n, 2·window + 1)")
    window = check_int("window", window, minimum=0)
    n = alpha_band.shape[0]
    if alpha_band.shape[1] != 2 * window + 1:
        raise ValueError(
            f"alpha_band must have shape (n, 2·window + 1) = ({n}, {2 * window + 1}); got "
            f"{alpha_band.shape}"
        )
    dense = np.zeros((n, n + 2 * window), dtype=alpha_band.dtype)
    s0, s1 = dense.strides
    as_strided(dense, shape=alpha_band.shape, strides=(s0 + s1, s1), writeable=True)[...] = (
        alpha_band
    )
    return dense[:, window : window + n].copy()


@_overflow_is_a_value_error
def truncated_attention_by_query(X, W_q, W_k, W_v, *, window: int, scale: bool = True):
    """Truncated self-attention as the lecture draws it: query i looks only at the keys
    i − window … i + window. The same `(B, alpha_band)` as `truncated_attention`, one query at a
    time (readable, not fast): alpha_band[i, j] is the weight of key i − window + j.
    """
    X, W_q, W_k, W_v = _projections(X, W_q, W_k, W_v)
    scale = check_bool("scale", scale)
    window = check_int("window", window, minimum=0)
    Q, K, V = X @ W_q, X @ W_k, X @ W_v  # (n, d_k), (n, d_k), (n, d_v)
    n, d_k = Q.shape
    alpha_band = np.zeros((n, 2 * window + 1), dtype=X.dtype)
    B = np.empty((n, V.shape[1]), dtype=X.dtype)
    for i in range(n):
        lo, hi = max(0, i - window), min(n, i + window + 1)  # the keys query i may see
        alpha = K[lo:hi] @ Q[i] / (np.sqrt(d_k) if scale else 1.0)  # α_{i,lo} … α_{i,hi−1}
        alpha_prime = _softmax_inplace(alpha.astype(X.dtype))
        B[i] = alpha_prime @ V[lo:hi]  # bⁱ = Σⱼ α′ᵢⱼ vʲ over the window only
        alpha_band[i, lo - (i - window) : hi - (i - window)] = alpha_prime
    return B, alpha_band


# ---- the fast route: the same truncated attention, in blocks of queries, one BLAS product each ---
# Tested equal to `truncated_attention_by_query` (tests/test_attention.py). Its time and memory grow
# as n·window; the lesson-08 benchmark runs it at n = 65,536.
@_overflow_is_a_value_error
def truncated_attention(X, W_q, W_k, W_v, *, window: int, scale: bool = True, block: int = 64):
    """Truncated (banded) self-attention: query i only sees keys i − window … i + window.

    Returns `(B, alpha_band)`: B (n, d_v) equals `self_attention(..., mask=band_mask(n, window))`;
    alpha_band (n, 2·window + 1), where alpha_band[i, j] is the weight of key i − window + j (0
    where
    that key is outside the sequence). Time and memory grow as n·window: no n × n array is built.
    Queries go through in blocks of `block`; each block's scores against its slab of
    block + 2·window keys are one BLAS matrix product.
    """
    X, W_q, W_k, W_v = _projections(X, W_q, W_k, W_v)
    scale = check_bool("scale", scale)
    window = check_int("window", window, minimum=0)
    block = check_int("block", block, minimum=1)
    n, d_k, d_v = X.shape[0], W_q.shape[1], W_v.shape[1]
    dtype = X.dtype
    width = 2 * window + 1
    n_blocks = -(-n // block)
    padded = n_blocks * block  # queries padded up to whole blocks
    slab = block + 2 * window  # keys one block of queries can see

    # Keys and values, padded with `window` zero rows in front and enough behind for the last slab.
    K_pad = np.zeros((padded + 2 * window, d_k), dtype=dtype)
    V_pad = np.zeros((padded + 2 * window, d_v), dtype=dtype)
    np.matmul(X, W_k, out=K_pad[window : window + n])
    np.matmul(X, W_v, out=V_pad[window : window + n])
    K_slabs = sliding_window_view(K_pad, slab, axis=0)[
        ::block
    ]  # (n_blocks, d_k, slab): a view, Kᵀ per block
    V_slabs = sliding_window_view(V_pad, slab, axis=0)[::block]  # (n_blocks, d_v, slab)

    alpha_band = np.empty((n, width), dtype=dtype)
    B = np.empty((n, d_v), dtype=dtype)
    q_scale = dtype.type(1.0 / np.sqrt(d_k)) if scale else None
    offsets = np.arange(width) - window  # key index minus query index
    chunk = max(1, 4096 // block)  # blocks per step: bounds the temporaries to ~4096 × slab
    for b0 in range(0, n_blocks, chunk):
        b1 = min(n_blocks, b0 + chunk)
        r0, r1 = b0 * block, min(n, b1 * block)
        Q = np.zeros(((b1 - b0) * block, d_k), dtype=dtype)
        np.matmul(X[r0:r1], W_q, out=Q[: r1 - r0])
        if q_scale is not None:
            Q *= q_scale
        S = np.matmul(Q.reshape(b1 - b0, block, d_k), K_slabs[b0:b1])  # (blocks, block, slab)
        s0, s1, s2 = S.strides
        band = as_strided(
            S, shape=(b1 - b0, block, width), strides=(s0, s1 + s2, s2), writeable=True
        )
        scores = band.copy().reshape(-1, width)  # (blocks·block, width): a copy, S is reused below
        keys = np.arange(r0, b1 * block)[:, None] + offsets[None, :]
        outside = (keys < 0) | (keys >= n)
        outside[r1 - r0 :] = False  # padding queries past n: finite rows, thrown away below
        if outside.any():
            scores[outside] = -np.inf
        _softmax_inplace(scores)
        alpha_band[r0:r1] = scores[: r1 - r0]
        S[...] = 0
        band[...] = scores.reshape(b1 - b0, block, width)  # scatter α′ back into the slab layout
        out = np.matmul(S, V_slabs[b0:b1].transpose(0, 2, 1))  # (blocks, block, d_v)
        B[r0:r1] = out.reshape(-1, d_v)[: r1 - r0]
    return B, alpha_band
