"""helpers.multihead: the step-by-step multi-head attention agrees with helpers.attention, the
hand-built heads really attend to what lesson 06 says they do, and bad inputs give readable
errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.attention import combine_heads, multi_head_attention, split_heads
from helpers.data import example_sentences
from helpers.multihead import (
    D_MODEL,
    designed_weights,
    head_report,
    per_head,
    toy_inputs,
    toy_tokens,
)


@given(st.integers(0, 10_000), st.integers(1, 9), st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_per_head_agrees_with_multi_head_attention(seed, n, n_heads):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 12))
    W_q, W_k, W_v, W_o = (rng.standard_normal((12, 12)) for _ in range(4))
    r = per_head(X, W_q, W_k, W_v, W_o, n_heads=n_heads)
    B, alpha_prime = multi_head_attention(X, W_q, W_k, W_v, W_o, n_heads=n_heads)
    np.testing.assert_allclose(r["B"], B, atol=1e-10)
    np.testing.assert_allclose(r["alpha_prime"], alpha_prime, atol=1e-12)
    d_k = 12 // n_heads
    assert r["Q"].shape == r["K"].shape == r["V"].shape == r["heads"].shape == (n_heads, n, d_k)
    np.testing.assert_allclose(r["alpha_prime"].sum(axis=-1), 1.0)
    # head h is the contiguous block of columns h·d_k … (h+1)·d_k
    for h in range(n_heads):
        np.testing.assert_allclose(r["Q"][h], (X @ W_q)[:, h * d_k : (h + 1) * d_k])
        np.testing.assert_allclose(r["concat"][:, h * d_k : (h + 1) * d_k], r["heads"][h])


@given(st.integers(0, 10_000), st.integers(1, 4), st.integers(1, 6), st.integers(1, 4))
def test_combine_heads_is_hstack_then_W_o(seed, n_heads, n, d_k):
    rng = np.random.default_rng(seed)
    heads = rng.standard_normal((n_heads, n, d_k))
    W_o = rng.standard_normal((n_heads * d_k, 3))
    np.testing.assert_allclose(combine_heads(heads), np.hstack(list(heads)))
    np.testing.assert_allclose(combine_heads(heads, W_o), np.hstack(list(heads)) @ W_o)
    np.testing.assert_allclose(
        combine_heads(split_heads(np.hstack(list(heads)), n_heads)), np.hstack(list(heads))
    )


@pytest.mark.parametrize("text", example_sentences("multihead"))
def test_designed_heads_do_what_the_lesson_says(text):
    tokens, vocab = toy_tokens(text)
    X = toy_inputs(tokens, vocab)
    r = per_head(X, **designed_weights(), n_heads=2)
    head1, head2 = head_report(r["alpha_prime"], tokens)
    assert head1["kind"] == "same word" and head1["same_word"] > 0.95 and head1["previous"] < 0.1
    assert head2["kind"] == "previous token" and head2["previous"] > 0.95
    # head 2 carries the previous word: b^{i,2} ≈ one-hot of token i − 1
    onehot = X[:, :8]
    np.testing.assert_allclose(r["heads"][1][1:], onehot[:-1], atol=0.05)
    # with W_o = I, B is just the concatenation
    np.testing.assert_allclose(r["B"], r["concat"])


def test_previous_token_head_needs_positions():
    tokens, vocab = toy_tokens("the cat saw the dog and the dog saw the cat")
    X = toy_inputs(tokens, vocab, use_position=False)
    head1, head2 = head_report(per_head(X, **designed_weights(), n_heads=2)["alpha_prime"], tokens)
    assert head1["kind"] == "same word"  # word identity needs no position
    assert (
        head2["kind"] == "mixed" and head2["previous"] < 0.2
    )  # without eⁱ: uniform, blind to order


def test_one_head_must_mix_and_four_heads_waste_dimensions():
    tokens, vocab = toy_tokens("the cat saw the dog and the dog saw the cat")
    X = toy_inputs(tokens, vocab)
    W = designed_weights()
    (one,) = head_report(per_head(X, **W, n_heads=1)["alpha_prime"], tokens)
    assert one["previous"] < 0.95 and one["same_word"] < 0.95  # one softmax cannot peak at both
    four = head_report(per_head(X, **W, n_heads=4)["alpha_prime"], tokens)
    assert [h["kind"] for h in four] == ["same word", "mixed", "previous token", "mixed"]


def test_toy_inputs_layout():
    tokens, vocab = toy_tokens("I saw a saw")
    assert tokens == ["i", "saw", "a", "saw"] and vocab == ["i", "saw", "a"]
    X = toy_inputs(tokens, vocab)
    assert X.shape == (4, D_MODEL)
    np.testing.assert_array_equal(X[:, :8].argmax(axis=1), [0, 1, 2, 1])
    np.testing.assert_allclose(X[0, 8:], [0, 1] * 4)  # e⁰ = sin 0, cos 0, …
    assert not toy_inputs(tokens, vocab, use_position=False)[:, 8:].any()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: toy_tokens(""), "at least one word"),
        (lambda: toy_tokens("a b c d e f g h i"), "at most 8 distinct words"),
        (lambda: toy_tokens(3), "must be a str"),
        (lambda: toy_inputs(["x"], ["y"]), "not in vocab"),
        (
            lambda: per_head(np.ones((3, 12)), *[np.eye(12)] * 4, n_heads=5),
            "n_heads must divide d_model = 12",
        ),
        (
            lambda: per_head(np.ones((3, 12)), np.eye(11), *[np.eye(12)] * 3, n_heads=2),
            "W_q must have shape",
        ),
        (lambda: per_head(np.ones(12), *[np.eye(12)] * 4, n_heads=2), "X must be a 2-D array"),
        (lambda: combine_heads(np.ones((2, 3, 4)), np.ones((7, 2))), "W_o must have shape"),
        (lambda: head_report(np.ones((2, 3, 3)) / 3, ["a", "b"]), "with n = len"),
    ],
)
def test_readable_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
