"""helpers.explorers.three_ways: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import example_graph
from helpers.explorers.three_ways import ThreeWaysExplorer
from tests.sweep import sweep_explorer

SENTENCE = example_graph()[0]


@pytest.fixture(scope="module")
def three_ways():
    return ThreeWaysExplorer()


def test_three_ways_reach_after_one_layer(three_ways):
    n = len(SENTENCE)
    views = three_ways.compute(query=7, layers=1)["views"]
    np.testing.assert_array_equal(views["RNN chain"]["reached"], np.arange(n) >= 6)
    assert views["self-attention"]["reached"].all()
    np.testing.assert_array_equal(np.flatnonzero(views["graph (GNN)"]["reached"]), [5, 6, 7])


def test_three_ways_rnn_needs_n_minus_one_steps(three_ways):
    n = len(SENTENCE)
    assert not three_ways.compute(query=n - 1, layers=n - 2)["views"]["RNN chain"]["reached"][0]
    assert three_ways.compute(query=n - 1, layers=n - 1)["views"]["RNN chain"]["reached"].all()
    # An RNN reading left to right never brings later words to an earlier one.
    assert three_ways.compute(query=0, layers=n - 1)["views"]["RNN chain"]["reached"].sum() == 1


def test_three_ways_explorer_sweep():
    report = sweep_explorer(ThreeWaysExplorer(), steps=3)
    assert report["query"]["changed"] and report["layers"]["changed"]
