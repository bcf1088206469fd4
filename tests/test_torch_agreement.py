"""Agreement with a reference implementation no one here wrote: PyTorch's attention (CPU).

PyTorch is an optional test-only extra: `pip install torch==2.13.0` (or `.venv` via
`python -m pip install -e .[torch]`). `.ci/run` installs it, so these tests always run in CI.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers.attention import band_mask, multi_head_attention, self_attention, truncated_attention

torch = pytest.importorskip(
    "torch",
    reason="PyTorch is not installed; run `.venv/bin/python -m pip install torch==2.13.0` (CPU) to "
    "run the agreement tests",
)
F = torch.nn.functional

TOL = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}
DTYPES = [np.float32, np.float64]


def sdpa_reference(X, W_q, W_k, W_v, mask=None):
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
    Q, K, V = t(X) @ t(W_q), t(X) @ t(W_k), t(X) @ t(W_v)
    out = F.scaled_dot_product_attention(
        Q[None], K[None], V[None], attn_mask=None if mask is None else t(mask)[None]
    )
    return out[0].numpy()


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 24),
    d_in=st.integers(1, 12),
    d_k=st.integers(1, 8),
    d_v=st.integers(1, 8),
    dtype=st.sampled_from(DTYPES),
    masked=st.booleans(),
)
def test_self_attention_agrees_with_scaled_dot_product_attention(
    seed, n, d_in, d_k, d_v, dtype, masked
):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d_in)).astype(dtype)
    W_q, W_k = (rng.normal(size=(d_in, d_k)).astype(dtype) for _ in range(2))
    W_v = rng.normal(size=(d_in, d_v)).astype(dtype)
    mask = None
    if masked:
        mask = rng.random((n, n)) < 0.4
        mask[np.arange(n), np.arange(n)] = True
    B, _ = self_attention(X, W_q, W_k, W_v, mask=mask)
    assert_allclose(B, sdpa_reference(X, W_q, W_k, W_v, mask), **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_truncated_attention_agrees_with_sdpa_under_a_band_mask(dtype):
    rng = np.random.default_rng(7)
    n, d = 300, 16
    X = rng.normal(size=(n, d)).astype(dtype)
    W_q, W_k, W_v = (rng.normal(size=(d, d)).astype(dtype) / 4 for _ in range(3))
    B, _ = truncated_attention(X, W_q, W_k, W_v, window=5)
    assert_allclose(B, sdpa_reference(X, W_q, W_k, W_v, band_mask(n, 5)), **TOL[dtype])


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 12),
    heads_dk=st.sampled_from([(1, 4), (2, 3), (4, 2), (8, 1)]),
    dtype=st.sampled_from(DTYPES),
    masked=st.booleans(),
)
def test_multi_head_agrees_with_torch_multihead_attention(seed, n, heads_dk, dtype, masked):
    n_heads, d_k = heads_dk
    d_model = n_heads * d_k
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d_model)).astype(dtype)
    W_q, W_k, W_v, W_o = (rng.normal(size=(d_model, d_model)).astype(dtype) for _ in range(4))
    mask = band_mask(n, 1) if masked else None
    B, A = multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads=n_heads, mask=mask)

    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    mha = torch.nn.MultiheadAttention(d_model, n_heads, bias=False, batch_first=True, dtype=tdtype)
    with torch.no_grad():
        # torch computes x @ Wᵀ: its weights are our matrices transposed, q, k, v stacked
        # in in_proj.
        mha.in_proj_weight.copy_(torch.from_numpy(np.concatenate([W_q.T, W_k.T, W_v.T])))
        mha.out_proj.weight.copy_(torch.from_numpy(np.ascontiguousarray(W_o.T)))
        x = torch.from_numpy(X)[None]
        # torch's attn_mask is True where attention is NOT allowed: the opposite of ours.
        attn_mask = None if mask is None else torch.from_numpy(~mask)
        out, weights = mha(
            x, x, x, attn_mask=attn_mask, need_weights=True, average_attn_weights=False
        )
    tol = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else TOL[dtype]
    assert_allclose(B, out[0].numpy(), **tol)
    assert_allclose(A, weights[0].numpy(), **tol)
