"""helpers.explorers.truncation: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.attention import band_mask
from helpers.explorers.truncation import TruncationExplorer
from helpers.speech import speech_features
from tests.figure_checks import assert_history_free
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
    e = TruncationExplorer()
    # the query slider has one stop per frame (382): the ends and two frames between are enough
    report = sweep_explorer(e, steps=3, values={"query": [0, e.n - 1, 100, 250]})
    assert report["window"]["changed"] and report["query"]["changed"]


def test_truncation_counts_frames_from_one(truncation):
    slider = truncation.controls["query"]
    assert slider.options[0] == ("1", 0) and slider.options[-1] == (
        str(truncation.n),
        truncation.n - 1,
    )
    text = truncation.compute(window=20, query=191)["text"]
    assert "query frame 192 sees frames 172…212" in text


def test_truncation_explorer_same_values_same_pixels_whatever_came_before():
    assert_history_free(
        TruncationExplorer, {"window": 20, "query": 191}, {"window": 100, "query": 0}
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(window=-1), "window must be an integer ≥ 0"),
        (dict(window=101), r"window must be 0 … 100"),
        (dict(window="a"), "window"),
        (dict(query=-1), "query"),
        (dict(query=10**6), r"query must be a frame index 0 … \d+ \(frame 1 is index 0\)"),
        (dict(query=2.5), "query"),
        (dict(seed="a"), "seed"),
        (dict(d_k=0), "d_k"),
    ],
)
def test_truncation_explorer_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TruncationExplorer(**kwargs)
