"""helpers.explorers.weighted_sum: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.attention import self_attention
from helpers.data import embed, toy_weights
from helpers.explorers.weighted_sum import WeightedSumExplorer
from tests.sweep import sweep_explorer


def test_weighted_sum_explorer_compute():
    e = WeightedSumExplorer()
    s = e.state
    assert s["tokens"] == ["i", "saw", "a", "saw", "."] and s["query"] == 3
    W = toy_weights(0)
    B, alpha_prime = self_attention(embed(s["tokens"]), W["W_q"], W["W_k"], W["W_v"])
    np.testing.assert_allclose(s["alpha_prime"], alpha_prime)
    np.testing.assert_allclose(s["b"], B[3])
    np.testing.assert_allclose(
        s["weighted"].sum(axis=0), s["b"]
    )  # b is the sum of the weighted values
    np.testing.assert_allclose(s["b"], s["alpha_prime_q"] @ s["V"])
    # the two saws have the same vector and the same neighbours: the same α′ row up to the
    # keys' order
    np.testing.assert_allclose(s["alpha_prime"][1], s["alpha_prime"][3])
    with pytest.raises(ValueError, match="query"):
        e.compute(sentence="I saw a saw.", query=9, seed=0)


def test_weighted_sum_explorer_sweep():
    report = sweep_explorer(WeightedSumExplorer())
    assert all(r["changed"] for r in report.values())


def test_weighted_sum_explorer_counts_from_one():
    e = WeightedSumExplorer()
    assert e.controls["query"].options[0] == ("1: i", 0)  # label counts from 1, value is X[0]
    assert e.controls["query"].value == 3
    assert e.w_title.get_text() == "weights α′ of query 4: a⁴ “saw”"
    assert e.b_title.get_text().endswith("b⁴")
    labels = [t.get_text() for t in e.b_image.axes.get_yticklabels()]
    assert labels[0] == "α′·v¹ i" and labels[-1] == "b = Σ"
    assert [t.get_text() for t in e.b_image.axes.get_xticklabels()] == ["1", "2", "3", "4"]
    e.set(query=1)
    assert e.w_title.get_text() == "weights α′ of query 2: a² “saw”"
    with pytest.raises(ValueError, match="a¹ is X\\[0\\]"):
        e.compute(sentence="i saw a saw .", query=5, seed=0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"query": None}, "query"),
        ({"query": -1}, "query"),
        ({"query": 1.5}, "query"),
        ({"query": 5}, "query"),  # "i saw a saw ." has rows 0…4: not silently clamped
        ({"seed": -1}, "seed"),
        ({"seed": None}, "seed"),
        ({"seed": 21}, "seed"),
        ({"sentence": "not offered"}, "sentence"),
    ],
)
def test_weighted_sum_explorer_refuses_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        WeightedSumExplorer(**kwargs)
