"""helpers.positional: sinusoidal eⁱ; self-attention without eⁱ ignores order, with eⁱ it does not;
the relative structure of eⁱ·eʲ, the shift matrix, learned eⁱ."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers.attention import self_attention
from helpers.data import embed, toy_weights
from helpers.positional import (
    local_average_target,
    order_test,
    relative_similarity,
    shift_matrix,
    shuffle_order,
    similarity_matrix,
    sinusoidal_encoding,
    sinusoidal_vs_learned,
    train_learned_encoding,
    unshuffle,
)


@given(n=st.integers(1, 60), d=st.integers(1, 33))
def test_formula_entry_by_entry(n, d):
    e = sinusoidal_encoding(n, d)
    assert e.shape == (n, d)
    for p in {0, n // 2, n - 1}:
        for c in range(d):
            i2 = c - c % 2  # the "2k" of the formula (k the frequency index)
            angle = p / 10000 ** (i2 / d)
            assert_allclose(
                e[p, c], np.sin(angle) if c % 2 == 0 else np.cos(angle), rtol=1e-12, atol=1e-12
            )


def test_known_values_and_bounds():
    e = sinusoidal_encoding(50, 16)
    assert_allclose(e[0, 0::2], 0)  # sin(0)
    assert_allclose(e[0, 1::2], 1)  # cos(0)
    assert_allclose(e[1, 0], np.sin(1.0))
    assert np.all(np.abs(e) <= 1)
    assert_allclose(np.linalg.norm(e, axis=1), np.sqrt(8))  # each (sin, cos) pair has length 1


def test_dot_products_depend_only_on_the_offset():
    """eⁱ·eʲ = Σ cos((i − j)·ω): a function of i − j alone (the relative-position structure)."""
    e = sinusoidal_encoding(40, 32)
    G = e @ e.T
    for offset in (0, 1, 5, 17):
        diag = np.diagonal(G, offset)
        assert_allclose(diag, diag[0], rtol=1e-10, atol=1e-10)
    assert np.all(np.diagonal(G, 0) > np.diagonal(G, 1)[0])  # a position is most like itself


def test_positions_are_distinct():
    e = sinusoidal_encoding(200, 16)
    d = np.linalg.norm(e[:, None] - e[None], axis=-1)
    assert np.all(d[~np.eye(200, dtype=bool)] > 1e-3)


@pytest.mark.parametrize(
    "args, pattern",
    [
        ((0, 4), r"n_positions must be an integer ≥ 1; got 0"),
        ((4, 0), r"d_model must be an integer ≥ 1; got 0"),
        ((4, 2.5), r"d_model must be an integer ≥ 1; got 2.5"),
    ],
)
def test_errors(args, pattern):
    with pytest.raises(ValueError, match=pattern):
        sinusoidal_encoding(*args)


@given(st.integers(1, 30), st.integers(0, 1000))
def test_shuffle_order_is_a_permutation_that_moves_something(n, seed):
    order = shuffle_order(n, seed)
    assert sorted(order.tolist()) == list(range(n))
    if seed == 0 or n == 1:
        assert order.tolist() == list(range(n))
    else:
        assert (order != np.arange(n)).any()
    np.testing.assert_array_equal(order, shuffle_order(n, seed))  # deterministic


@given(st.integers(0, 10_000), st.integers(2, 10), st.integers(1, 50))
def test_without_positions_shuffling_only_permutes(seed, n, shuffle_seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, 6))
    W_q, W_k, W_v = (rng.standard_normal((6, 6)) for _ in range(3))
    r = order_test(A, W_q, W_k, W_v, shuffle_order(n, shuffle_seed))
    assert r["max_change_alpha"] < 1e-12 and r["max_change_B"] < 1e-10
    np.testing.assert_allclose(
        unshuffle(r["alpha_prime_shuffled"], shuffle_order(n, shuffle_seed)),
        r["alpha_prime"],
        atol=1e-12,
    )


@given(st.integers(0, 10_000), st.integers(3, 10), st.integers(1, 50))
def test_with_positions_shuffling_changes_attention(seed, n, shuffle_seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, 6))
    W_q, W_k, W_v = (rng.standard_normal((6, 6)) for _ in range(3))
    order = shuffle_order(n, shuffle_seed)
    r = order_test(A, W_q, W_k, W_v, order, e=sinusoidal_encoding(n, 6))
    assert r["max_change_alpha"] > 1e-6
    # the unshuffled half of the result is plain self-attention on a + e
    B, alpha_prime = self_attention(A + sinusoidal_encoding(n, 6), W_q, W_k, W_v)
    np.testing.assert_allclose(r["alpha_prime"], alpha_prime)
    np.testing.assert_allclose(r["B"], B)


def test_unshuffle_puts_rows_and_columns_back():
    order = np.array([2, 0, 1])
    M = np.arange(9.0).reshape(3, 3)
    shuffled = M[np.ix_(order, order)]
    np.testing.assert_array_equal(unshuffle(shuffled, order), M)


@given(st.integers(2, 40), st.sampled_from([2, 4, 8, 16, 64]))
def test_sinusoidal_similarity_depends_on_offset_only(n, d):
    e = sinusoidal_encoding(n, d)
    offsets, mean, spread = relative_similarity(e)
    assert offsets.tolist() == list(range(-(n - 1), n))
    assert np.all(spread < 1e-9)
    omega = 1.0 / 10000 ** (np.arange(0, d, 2) / d)
    np.testing.assert_allclose(mean, np.cos(np.outer(offsets, omega)).sum(axis=1), atol=1e-9)
    np.testing.assert_allclose(mean, mean[::-1])  # symmetric in i − j
    assert mean.argmax() == n - 1  # highest at offset 0: each eⁱ is most like itself
    np.testing.assert_allclose(similarity_matrix(e), e @ e.T)


@given(st.sampled_from([2, 4, 8, 16, 32]), st.integers(-10, 10), st.integers(1, 30))
def test_shift_matrix_moves_every_position(d, shift, n):
    e = sinusoidal_encoding(n + 2 * abs(shift), d)
    R = shift_matrix(d, shift)
    lo = abs(shift)
    np.testing.assert_allclose(e[lo : lo + n] @ R, e[lo + shift : lo + shift + n], atol=1e-9)
    np.testing.assert_allclose(R @ R.T, np.eye(d), atol=1e-12)  # a rotation: lengths kept


def test_local_average_target():
    T = local_average_target(4)
    np.testing.assert_allclose(
        T, [[0.5, 0.5, 0, 0], [1 / 3, 1 / 3, 1 / 3, 0], [0, 1 / 3, 1 / 3, 1 / 3], [0, 0, 0.5, 0.5]]
    )


def test_learned_encoding_trains_deterministically_and_solves_the_task():
    r1 = train_learned_encoding(16, 8, seed=0)
    r2 = train_learned_encoding(16, 8, seed=0)
    np.testing.assert_array_equal(r1["e"], r2["e"])
    assert r1["e"].shape == (16, 8)
    assert r1["loss"][-20:].mean() < 0.25 * r1["loss"][:5].mean()
    # the learned α′ puts most weight on the token and its neighbours
    A = r1["alpha_prime"]
    band = np.abs(np.subtract.outer(np.arange(16), np.arange(16))) <= 1
    assert (A * band).sum(axis=1).mean() > 0.85
    # its eⁱ·eʲ is high near the diagonal and falls off with distance, but is not exactly a
    # function of i − j
    offsets, mean, spread = relative_similarity(r1["e"])
    assert mean[15] > mean[17] > mean[20]
    assert spread[15] > 1e-3
    both = sinusoidal_vs_learned(16, 8, seed=0)
    np.testing.assert_array_equal(both["learned"], r1["e"])
    np.testing.assert_array_equal(both["sinusoidal"], sinusoidal_encoding(16, 8))


@pytest.mark.parametrize("seed", range(10))
def test_what_lesson_07_reads_from_learned_encodings_holds_for_every_seed(seed):
    # lesson 07: the loss falls, the learned α′ averages the neighbours, eⁱ·eʲ falls off with the
    # distance (a band along the diagonal) but is not exactly a function of i − j
    r = train_learned_encoding(16, 8, seed=seed)
    assert r["loss"][-20:].mean() < 0.2 * r["loss"][0]
    band = np.abs(np.subtract.outer(np.arange(16), np.arange(16))) <= 1
    assert (r["alpha_prime"] * band).sum(axis=1).mean() > 0.85
    offsets, mean, spread = relative_similarity(r["e"])
    assert mean[15] > mean[16] > mean[17] > mean[18] > mean[19]
    assert spread[15:19].max() > 0.3
    # the sinusoid's is (spread 0): the contrast the lesson draws
    assert relative_similarity(sinusoidal_encoding(16, 8))[2].max() < 1e-12


@pytest.mark.parametrize("seed", range(10))
def test_order_claims_hold_for_every_seed_of_the_toy_weights(seed):
    # lesson 07: without eⁱ a shuffle changes nothing but the order; with eⁱ it changes α′
    W = toy_weights(seed, 8, 4, 4)
    A = embed("the dog bit the man".split())
    for shuffle in range(1, 9):
        order = shuffle_order(5, shuffle)
        off = order_test(A, W["W_q"], W["W_k"], W["W_v"], order)
        on = order_test(A, W["W_q"], W["W_k"], W["W_v"], order, e=sinusoidal_encoding(5, 8))
        assert off["max_change_alpha"] < 1e-12 and off["max_change_B"] < 1e-12
        assert on["max_change_alpha"] > 1e-3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sinusoidal_encoding(4, 8, base="big"), "base must be a finite number"),
        (lambda: sinusoidal_encoding(4, 8, base=float("nan")), "base must be a finite number"),
        (lambda: sinusoidal_encoding(0, 8), "n_positions must be an integer ≥ 1"),
        (lambda: sinusoidal_encoding(4, 2.5), "d_model must be an integer"),
        (lambda: train_learned_encoding(4, 4, lr="fast"), "lr must be"),
        (lambda: train_learned_encoding(4, 4, lr=float("nan")), "lr must be"),
        (lambda: shuffle_order(0, 1), "n must be an integer ≥ 1"),
        (lambda: shuffle_order(3, -1), "seed must be an integer ≥ 0"),
        (lambda: unshuffle(np.ones((3, 3)), [0, 0, 1]), "order must be a permutation"),
        (lambda: unshuffle(np.ones((3, 2)), [0, 1, 2]), "must be square"),
        (
            lambda: order_test(np.ones((3, 4)), *[np.eye(4)] * 3, [0, 1, 2], e=np.ones((2, 4))),
            "e must have shape",
        ),
        (
            lambda: order_test(np.ones((3, 4)), *[np.eye(4)] * 3, [0, 1]),
            "order must be a permutation",
        ),
        (lambda: shift_matrix(5, 1), "d_model must be even"),
        (lambda: shift_matrix(4, 1.5), "shift must be an integer"),
        (lambda: similarity_matrix(np.ones(3)), "e must be a 2-D array"),
        (lambda: train_learned_encoding(1, 4), "n_positions must be an integer ≥ 2"),
        (lambda: train_learned_encoding(4, 4, lr=0), "lr must be"),
    ],
)
def test_readable_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
