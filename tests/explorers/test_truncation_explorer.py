"""helpers.explorers.truncation: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.attention import band_mask
from helpers.explorers.truncation import TruncationExplorer
from helpers.speech import speech_features
from tests.sweep import sweep_explorer


@pytest.fixture(scope="module")
def truncation():
    return TruncationExplorer()


def test_speech_features_are_the_clip_frames():
    spec, X = speech_features()
    assert spec.shape == X.shape and X.shape[1] == 40
    assert 300 < X.shape[0] < 450  # the 3.8 s clip: ~100 frames a second


def test_truncation_state_is_the_band(truncation):
    n = truncation.n
    state = truncation.compute(window=5, query=100)
    np.testing.assert_array_equal(state["mask"], band_mask(n, 5))
    row = state["row"]
    assert row.shape == (n,)
    np.testing.assert_allclose(row.sum(), 1.0, rtol=1e-5)
    assert (row[:95] == 0).all() and (row[106:] == 0).all() and (row[95:106] > 0).all()
    assert state["span"] == (95, 105)
    assert state["n_full"] == n * n and state["n_trunc"] == int(band_mask(n, 5).sum())


def test_truncation_at_the_edges_and_window_zero(truncation):
    n = truncation.n
    state = truncation.compute(window=0, query=0)
    assert state["row"][0] == pytest.approx(1.0) and state["row"][1:].sum() == 0
    state = truncation.compute(window=30, query=n - 1)
    assert state["span"] == (n - 31, n - 1)
    np.testing.assert_allclose(state["row"].sum(), 1.0, rtol=1e-5)


def test_truncation_cost_grows_with_the_window_not_quadratically(truncation):
    small = truncation.compute(window=10, query=50)["n_trunc"]
    big = truncation.compute(window=20, query=50)["n_trunc"]
    assert 1.8 < big / small < 2.1


def test_truncation_explorer_sweep():
    report = sweep_explorer(TruncationExplorer(), steps=3)
    assert report["window"]["changed"] and report["query"]["changed"]
