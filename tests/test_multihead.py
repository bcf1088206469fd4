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
    D_WORD,
    designed_weights,
    format_shares,
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


def test_one_head_reports_one_measure_that_adds_up():
    # the lesson's heads = 1 panel: one denominator (the weight of queries 2…n), three shares
    tokens, vocab = toy_tokens("the cat saw the dog and the dog saw the cat")
    (one,) = head_report(
        per_head(toy_inputs(tokens, vocab), **designed_weights(), n_heads=1)["alpha_prime"], tokens
    )
    assert one["previous"] + one["same_word"] + one["other"] == pytest.approx(1.0)
    assert one["kind"] == "previous token" and 0.6 < one["previous"] < 0.95
    assert 0.02 < one["same_word"] < 0.3  # some weight still goes to the same word
    text = format_shares(one)
    assert sum(int(part.split()[-1].rstrip("%")) for part in text.split(" · ")) == 100


@given(
    st.integers(0, 10_000),
    st.integers(1, 3),
    st.lists(st.sampled_from("abc"), min_size=1, max_size=9),
)
def test_head_report_shares_add_up_to_one(seed, n_heads, tokens):
    rng = np.random.default_rng(seed)
    n = len(tokens)
    A = rng.random((n_heads, n, n)) ** 4
    A /= A.sum(axis=-1, keepdims=True)
    for h, row in enumerate(head_report(A, tokens)):
        assert row["head"] == h + 1  # heads count from 1
        shares = [row["previous"], row["same_word"], row["other"]]
        assert min(shares) >= 0 and sum(shares) == pytest.approx(1.0)
        text = format_shares(row)
        assert sum(int(part.split()[-1].rstrip("%")) for part in text.split(" · ")) == 100
        # the same denominator for all three: queries 2…n (query 1 has no previous token)
        rows = slice(1, None) if n > 1 else slice(None)
        assert row["previous"] == pytest.approx(np.diagonal(A[h], -1).mean() if n > 1 else 0.0)
        same = np.equal.outer(tokens, tokens) & ~np.eye(n, k=-1, dtype=bool)
        assert row["same_word"] == pytest.approx((A[h] * same)[rows].sum(axis=1).mean())


def test_head_report_counts_a_previous_token_that_is_the_same_word_once():
    # "saw saw": key 2 is both the previous token and the same word of query 3; it counts as
    # previous only, so the shares still add up to 1
    tokens = ["a", "saw", "saw"]
    A = np.array([[[1, 0, 0], [0, 1, 0], [0, 1, 0]]], dtype=float)  # queries 2, 3 → key 2
    (row,) = head_report(A, tokens)
    assert row["previous"] == pytest.approx(0.5)  # query 3 → key 2: previous, not same word
    assert row["same_word"] == pytest.approx(0.5)  # query 2 → itself
    assert row["other"] == pytest.approx(0.0)


def test_toy_inputs_layout():
    tokens, vocab = toy_tokens("I saw a saw")
    assert tokens == ["i", "saw", "a", "saw"] and vocab == ["i", "saw", "a"]
    X = toy_inputs(tokens, vocab)
    assert X.shape == (4, D_MODEL)
    np.testing.assert_array_equal(X[:, :8].argmax(axis=1), [0, 1, 2, 1])
    np.testing.assert_allclose(X[0, 8:], [0, 1] * 4)  # e¹ (position p = 0) = sin 0, cos 0, …
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
        (lambda: head_report(np.ones((1, 2, 2)), ["a", "b"]), "rows add up to 1"),
        (lambda: head_report(np.ones((1, 1, 1)), "a"), "list of words, not one str"),
        # more distinct words than the one-hot block holds: they would land in e's columns
        (lambda: toy_inputs(list("abcdefghi"), list("abcdefghi")), f"at most D_WORD = {D_WORD}"),
        (lambda: toy_inputs("a b", ["a", "b"]), "tokens must be a list of words, not one str"),
        (lambda: toy_inputs([], ["a"]), "tokens must hold at least one word"),
        (lambda: toy_inputs(["a"], ["a", "a"]), "each word once"),
        (lambda: toy_inputs(["a"], ["a"], use_position="yes"), "use_position must be True"),
        (lambda: toy_inputs([1], ["a"]), "must hold words"),
        (lambda: designed_weights(word_sharpness=float("nan")), "word_sharpness must be"),
        (lambda: designed_weights(position_sharpness="big"), "position_sharpness must be"),
        (lambda: per_head(np.ones((3, 12)), *[np.eye(12)] * 4, n_heads=0), "n_heads must be"),
        (lambda: per_head(np.ones((3, 12)), *[np.eye(12)] * 4, n_heads=2.0), "n_heads must be"),
        (lambda: split_heads(np.ones((3, 12)), 5), "n_heads must divide"),
        (lambda: format_shares({"previous": 1}), "row must be one of head_report"),
    ],
)
def test_readable_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
