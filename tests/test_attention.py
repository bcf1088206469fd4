"""The attention maths: properties over shapes, seeds and both float dtypes, and clear errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers.attention import (
    additive_scores,
    band_mask,
    band_to_dense,
    dot_product_scores,
    multi_head_attention,
    normalise,
    self_attention,
    softmax,
    truncated_attention,
    truncated_attention_by_query,
    weighted_sum,
)

DTYPES = [np.float32, np.float64]
TOL = {np.float32: dict(rtol=2e-4, atol=2e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}


def weights(rng, n, d_in, d_k, d_v, dtype):
    X = rng.normal(size=(n, d_in)).astype(dtype)
    W_q, W_k = (rng.normal(size=(d_in, d_k)).astype(dtype) for _ in range(2))
    W_v = rng.normal(size=(d_in, d_v)).astype(dtype)
    return X, W_q, W_k, W_v


def naive_attention(X, W_q, W_k, W_v, mask=None, scale=True):
    """The lecture, one query at a time, in float64: α₁,ᵢ = q¹·kⁱ, α′ = softmax, b¹ = Σ α′ vⁱ."""
    X, W_q, W_k, W_v = (np.asarray(a, dtype=np.float64) for a in (X, W_q, W_k, W_v))
    n = X.shape[0]
    B, A = [], []
    for i in range(n):
        q = X[i] @ W_q
        alpha = np.array([q @ (X[j] @ W_k) for j in range(n)])
        if scale:
            alpha /= np.sqrt(W_q.shape[1])
        allowed = np.ones(n, bool) if mask is None else mask[i]
        e = np.where(allowed, np.exp(alpha - alpha[allowed].max()), 0.0)
        a = e / e.sum()
        A.append(a)
        B.append(sum(a[j] * (X[j] @ W_v) for j in range(n)))
    return np.array(B), np.array(A)


shapes = st.tuples(st.integers(1, 9), st.integers(1, 6), st.integers(1, 5), st.integers(1, 5))


# --- softmax ---------------------------------------------------------------------------------


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 8),
    m=st.integers(1, 8),
    dtype=st.sampled_from(DTYPES),
)
def test_softmax_rows_sum_to_one_and_shift_invariant(seed, n, m, dtype):
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, m)) * 10).astype(dtype)
    p = softmax(x)
    assert p.dtype == dtype
    assert np.all(p >= 0)
    assert_allclose(p.sum(axis=-1), 1, **TOL[dtype])
    shift = rng.normal(size=(n, 1)).astype(dtype) * 100
    assert_allclose(softmax(x + shift), p, rtol=1e-3 if dtype == np.float32 else 1e-9, atol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_huge_scores_stay_finite(dtype):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4]], dtype=dtype)
    p = softmax(x)
    assert np.all(np.isfinite(p))
    assert_allclose(p, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


def test_softmax_axis_and_masked_entries():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    assert_allclose(softmax(x, axis=0).sum(axis=0), [1, 1])
    p = softmax(np.array([1.0, -np.inf, 2.0]))
    assert p[1] == 0.0
    assert_allclose(p[[0, 2]], softmax(np.array([1.0, 2.0])))


@pytest.mark.parametrize(
    "x, kwargs, words",
    [
        (np.array([1.0, np.nan]), {}, "NaN"),
        (np.array([1.0, np.inf]), {}, "+inf"),
        (np.array([-np.inf, -np.inf]), {}, "nothing to attend"),
        (np.array(3.0), {}, "scalar"),
        (np.ones((2, 2)), {"axis": 2}, "axis must be an integer axis -2…1"),
        (np.array(["a"]), {}, "dtype"),
        (np.ones((2, 0)), {}, "no entries"),
    ],
)
def test_softmax_rejects_bad_input(x, kwargs, words):
    with pytest.raises(ValueError, match=words.replace("+", r"\+")):
        softmax(x, **kwargs)


def test_normalise_kinds():
    alpha = np.array([[2.0, -1.0, 0.5]])
    assert_allclose(normalise(alpha, "relu"), [[2.0, 0.0, 0.5]])
    assert_allclose(normalise(alpha, "none"), alpha)
    assert_allclose(normalise(alpha, "softmax", temperature=2.0), softmax(alpha / 2))
    sharp = normalise(alpha, temperature=0.01)
    assert sharp[0, 0] > 0.999  # low temperature → one-hot on the largest score
    flat = normalise(alpha, temperature=1e4)
    assert_allclose(flat, 1 / 3, atol=1e-3)  # high temperature → uniform
    with pytest.raises(ValueError, match="kind"):
        normalise(alpha, "sigmoid")
    with pytest.raises(ValueError, match="temperature"):
        normalise(alpha, temperature=0)


# --- scores and the weighted sum ---------------------------------------------------------------


@given(seed=st.integers(0, 2**32 - 1), shape=shapes)
def test_dot_product_scores_match_the_lecture(seed, shape):
    n, d_in, d_k, _ = shape
    rng = np.random.default_rng(seed)
    X, W_q, W_k, _ = weights(rng, n, d_in, d_k, 1, np.float64)
    alpha = dot_product_scores(X, W_q, W_k, scale=False)
    for i in range(n):
        for j in range(n):
            assert_allclose(alpha[i, j], (X[i] @ W_q) @ (X[j] @ W_k), rtol=1e-10, atol=1e-10)
    assert_allclose(dot_product_scores(X, W_q, W_k), alpha / np.sqrt(d_k))


def test_additive_scores_match_the_lecture():
    rng = np.random.default_rng(1)
    X, W_q, W_k, _ = weights(rng, 4, 3, 5, 1, np.float64)
    w = rng.normal(size=5)
    alpha = additive_scores(X, W_q, W_k, w)
    assert alpha.shape == (4, 4)
    assert_allclose(alpha[2, 1], w @ np.tanh(X[2] @ W_q + X[1] @ W_k))
    with pytest.raises(ValueError, match=r"w must have shape \(d_h,\) with d_h = 5"):
        additive_scores(X, W_q, W_k, np.ones(4))


def test_weighted_sum():
    alpha_prime = np.array([[0.25, 0.75], [1.0, 0.0]])
    V = np.array([[1.0, 0.0], [0.0, 2.0]])
    assert_allclose(weighted_sum(alpha_prime, V), [[0.25, 1.5], [1.0, 0.0]])
    with pytest.raises(ValueError, match=r"V must have shape \(n_keys, d_v\) with n_keys"):
        weighted_sum(alpha_prime, np.ones((3, 2)))


# --- self-attention ----------------------------------------------------------------------------


@given(
    seed=st.integers(0, 2**32 - 1), shape=shapes, dtype=st.sampled_from(DTYPES), scale=st.booleans()
)
def test_self_attention_matches_the_per_query_loop(seed, shape, dtype, scale):
    n, d_in, d_k, d_v = shape
    rng = np.random.default_rng(seed)
    args = weights(rng, n, d_in, d_k, d_v, dtype)
    B, alpha_prime = self_attention(*args, scale=scale)
    B_ref, A_ref = naive_attention(*args, scale=scale)
    assert B.dtype == dtype and alpha_prime.dtype == dtype
    assert B.shape == (n, d_v) and alpha_prime.shape == (n, n)
    assert_allclose(alpha_prime.sum(axis=1), 1, **TOL[dtype])
    assert_allclose(alpha_prime, A_ref, rtol=1e-3 if dtype == np.float32 else 1e-9, atol=1e-5)
    assert_allclose(B, B_ref, rtol=1e-3 if dtype == np.float32 else 1e-9, atol=1e-4)


@given(seed=st.integers(0, 2**32 - 1), shape=shapes, dtype=st.sampled_from(DTYPES))
def test_masked_entries_are_exactly_zero(seed, shape, dtype):
    n, d_in, d_k, d_v = shape
    rng = np.random.default_rng(seed)
    args = weights(rng, n, d_in, d_k, d_v, dtype)
    mask = rng.random((n, n)) < 0.5
    mask[np.arange(n), rng.integers(0, n, size=n)] = True  # every query may see at least one key
    B, alpha_prime = self_attention(*args, mask=mask)
    assert np.all(alpha_prime[~mask] == 0)
    assert_allclose(alpha_prime.sum(axis=1), 1, **TOL[dtype])
    B_ref, A_ref = naive_attention(*args, mask=mask)
    assert_allclose(B, B_ref, rtol=1e-3 if dtype == np.float32 else 1e-9, atol=1e-4)


@given(seed=st.integers(0, 2**32 - 1), shape=shapes, dtype=st.sampled_from(DTYPES))
def test_permutation_equivariance_without_positions(seed, shape, dtype):
    """Shuffle the inputs and the outputs shuffle with them: self-attention alone ignores order."""
    n, d_in, d_k, d_v = shape
    rng = np.random.default_rng(seed)
    X, W_q, W_k, W_v = weights(rng, n, d_in, d_k, d_v, dtype)
    perm = rng.permutation(n)
    B, A = self_attention(X, W_q, W_k, W_v)
    B_p, A_p = self_attention(X[perm], W_q, W_k, W_v)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_allclose(B_p, B[perm], **tol)
    assert_allclose(A_p, A[np.ix_(perm, perm)], **tol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_self_attention_huge_scores_stay_finite(dtype):
    X = np.array([[100.0, 0.0], [0.0, 100.0], [100.0, 100.0]], dtype=dtype)
    W = np.eye(2, dtype=dtype) * 10  # scores of order 1e6
    B, A = self_attention(X, W, W, W)
    assert np.all(np.isfinite(B)) and np.all(np.isfinite(A))
    assert_allclose(A.sum(axis=1), 1, rtol=1e-6)


def test_integer_input_computes_in_float64():
    X = np.arange(6).reshape(3, 2)
    W = np.eye(2, dtype=int)
    B, A = self_attention(X, W, W, W)
    assert B.dtype == np.float64 and A.dtype == np.float64


# --- errors a learner can read -----------------------------------------------------------------

GOOD = dict(X=np.ones((3, 4)), W_q=np.ones((4, 2)), W_k=np.ones((4, 2)), W_v=np.ones((4, 5)))


@pytest.mark.parametrize(
    "change, pattern",
    [
        (dict(X=np.ones(4)), r"X must be a 2-D array of shape \(n, d_in\); got shape \(4,\)"),
        (dict(X=np.ones((3, 4, 1))), r"X must be a 2-D array .* got shape \(3, 4, 1\)"),
        (
            dict(W_q=np.ones((5, 2))),
            r"W_q must have shape \(d_in, d_k\) with d_in .* = 4; got shape \(5, 2\)",
        ),
        (
            dict(W_k=np.ones((4, 3))),
            r"W_q and W_k must have the same number of columns d_k.*\(4, 2\).*\(4, 3\)",
        ),
        (
            dict(W_v=np.ones((2, 5))),
            r"W_v must have shape \(d_in, d_v\) with d_in .* = 4; got shape \(2, 5\)",
        ),
        (dict(X=np.full((3, 4), np.nan)), r"X contains NaN"),
        (dict(W_v=np.full((4, 5), np.inf)), r"W_v contains inf"),
        (dict(X=np.ones((0, 4))), r"X must not be empty"),
        (dict(X=[[1, 2], [3]]), r"X must be a numeric array"),
        (dict(X=np.ones((3, 4), dtype=bool)), r"X must hold real numbers"),
        (
            dict(mask=np.ones((3, 3))),
            r"mask must be a boolean array of shape \(3, 3\).*got dtype float64",
        ),
        (dict(mask=np.ones((3, 2), bool)), r"mask must have shape \(3, 3\).*got shape \(3, 2\)"),
        (
            dict(mask=np.eye(3, dtype=bool) & np.array([True, False, True])),
            r"mask allows no key for query row\(s\) \[1\]",
        ),
    ],
)
def test_self_attention_errors_name_argument_and_shape(change, pattern):
    kwargs = {**GOOD, **change}
    with pytest.raises(ValueError, match=pattern):
        self_attention(**kwargs)


# --- multi-head --------------------------------------------------------------------------------


def naive_multi_head(X, W_q, W_k, W_v, W_o, n_heads):
    d_k = X.shape[1] // n_heads
    heads, alphas = [], []
    for h in range(n_heads):
        cols = slice(h * d_k, (h + 1) * d_k)
        b, a = naive_attention(X, W_q[:, cols], W_k[:, cols], W_v[:, cols])
        heads.append(b)
        alphas.append(a)
    return np.concatenate(heads, axis=1) @ W_o, np.array(alphas)


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 7),
    heads_dk=st.sampled_from([(1, 4), (2, 2), (3, 2), (4, 1), (2, 3)]),
    dtype=st.sampled_from(DTYPES),
)
def test_multi_head_matches_per_head_attention(seed, n, heads_dk, dtype):
    n_heads, d_k = heads_dk
    d_model = n_heads * d_k
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d_model)).astype(dtype)
    Ws = [rng.normal(size=(d_model, d_model)).astype(dtype) for _ in range(4)]
    B, A = multi_head_attention(X, *Ws, n_heads=n_heads)
    B_ref, A_ref = naive_multi_head(X, *Ws, n_heads)
    assert B.dtype == dtype and A.shape == (n_heads, n, n) and B.shape == (n, d_model)
    assert_allclose(A.sum(axis=-1), 1, **TOL[dtype])
    assert_allclose(A, A_ref, rtol=1e-3 if dtype == np.float32 else 1e-9, atol=1e-5)
    assert_allclose(
        B,
        B_ref,
        rtol=1e-3 if dtype == np.float32 else 1e-9,
        atol=1e-3 if dtype == np.float32 else 1e-9,
    )
    perm = rng.permutation(n)
    B_p, _ = multi_head_attention(X[perm], *Ws, n_heads=n_heads)
    assert_allclose(
        B_p,
        B[perm],
        rtol=1e-3 if dtype == np.float32 else 1e-9,
        atol=1e-3 if dtype == np.float32 else 1e-9,
    )


def test_multi_head_mask_and_errors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 6))
    Ws = [rng.normal(size=(6, 6)) for _ in range(4)]
    mask = band_mask(5, 1)
    _, A = multi_head_attention(X, *Ws, n_heads=3, mask=mask)
    assert np.all(A[:, ~mask] == 0)
    with pytest.raises(
        ValueError,
        match=r"n_heads must divide d_model = 6 .* got n_heads = 4 \(try one of \[1, 2, 3, 6\]\)",
    ):
        multi_head_attention(X, *Ws, n_heads=4)
    with pytest.raises(ValueError, match=r"n_heads must be an integer ≥ 1; got 0"):
        multi_head_attention(X, *Ws, n_heads=0)
    with pytest.raises(ValueError, match=r"n_heads must be an integer ≥ 1; got 2.0"):
        multi_head_attention(X, *Ws, n_heads=2.0)
    with pytest.raises(
        ValueError, match=r"W_o must have shape \(d_model, d_model\) = \(6, 6\).*got shape \(6, 4\)"
    ):
        multi_head_attention(X, *Ws[:3], np.ones((6, 4)), n_heads=2)


# --- band mask and truncated attention ---------------------------------------------------------


@given(n=st.integers(1, 30), window=st.integers(0, 35))
def test_band_mask(n, window):
    m = band_mask(n, window)
    assert m.dtype == bool and m.shape == (n, n)
    i, j = np.indices((n, n))
    assert np.array_equal(m, np.abs(i - j) <= window)
    assert np.array_equal(m, m.T) and m.diagonal().all()


@pytest.mark.parametrize(
    "args, pattern",
    [
        ((0, 1), r"n must be an integer ≥ 1; got 0"),
        ((4, -1), r"window must be an integer ≥ 0; got -1"),
        ((4.5, 1), r"n must be an integer ≥ 1; got 4.5"),
    ],
)
def test_band_mask_errors(args, pattern):
    with pytest.raises(ValueError, match=pattern):
        band_mask(*args)


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 40),
    window=st.integers(0, 45),
    block=st.integers(1, 70),
    dtype=st.sampled_from(DTYPES),
)
def test_truncated_equals_band_masked_full_attention(seed, n, window, block, dtype):
    rng = np.random.default_rng(seed)
    args = weights(rng, n, 4, 3, 2, dtype)
    B_full, A_full = self_attention(*args, mask=band_mask(n, window))
    B, alpha_band = truncated_attention(*args, window=window, block=block)
    assert B.dtype == dtype and alpha_band.shape == (n, 2 * window + 1)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_allclose(B, B_full, **tol)
    assert_allclose(band_to_dense(alpha_band, window), A_full, **tol)
    assert_allclose(alpha_band.sum(axis=1), 1, **TOL[dtype])
    keys = np.arange(n)[:, None] - window + np.arange(2 * window + 1)[None, :]
    assert np.all(alpha_band[(keys < 0) | (keys >= n)] == 0)  # keys outside the sequence: exactly 0


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 40),
    window=st.integers(0, 45),
    block=st.integers(1, 70),
    scale=st.booleans(),
    dtype=st.sampled_from(DTYPES),
)
def test_fast_truncated_attention_equals_the_readable_one(seed, n, window, block, scale, dtype):
    rng = np.random.default_rng(seed)
    args = weights(rng, n, 4, 3, 2, dtype)
    B_read, band_read = truncated_attention_by_query(*args, window=window, scale=scale)
    B, band = truncated_attention(*args, window=window, scale=scale, block=block)
    assert B_read.dtype == B.dtype == dtype and band_read.shape == band.shape
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_allclose(B, B_read, **tol)
    assert_allclose(band, band_read, **tol)


def test_truncated_attention_errors():
    with pytest.raises(ValueError, match=r"window must be an integer ≥ 0; got -2"):
        truncated_attention(**GOOD, window=-2)
    with pytest.raises(ValueError, match=r"X must be a 2-D array"):
        truncated_attention(np.ones(3), GOOD["W_q"], GOOD["W_k"], GOOD["W_v"], window=1)
    with pytest.raises(
        ValueError, match=r"alpha_band must have shape \(n, 2·window \+ 1\) = \(3, 5\)"
    ):
        band_to_dense(np.ones((3, 3)), 2)


def test_truncated_attention_never_builds_an_n_by_n_array():
    """At n = 20,000 a full n × n float32 array is 1.6 GB; the banded version stays far below."""
    import tracemalloc

    rng = np.random.default_rng(0)
    n, d = 20_000, 16
    X = rng.normal(size=(n, d)).astype(np.float32)
    W = rng.normal(size=(d, d)).astype(np.float32)
    tracemalloc.start()
    try:
        truncated_attention(X, W, W, W, window=8)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 0.05 * n * n * 4  # a small multiple of n·window, not n²


@pytest.mark.parametrize("dtype", DTYPES)
def test_overflow_inside_q_k_is_a_value_error_not_nan(dtype):
    big = 1e20 if dtype == np.float32 else 1e200
    X = np.ones((3, 4), dtype) * big
    W = np.eye(4, dtype=dtype)
    for call in (
        lambda: self_attention(X, W, W, W),
        lambda: multi_head_attention(X, W, W, W, W, n_heads=2),
        lambda: truncated_attention(X, W, W, W, window=1),
        lambda: truncated_attention_by_query(X, W, W, W, window=1),
    ):
        with pytest.raises(ValueError, match="not finite"):
            call()
