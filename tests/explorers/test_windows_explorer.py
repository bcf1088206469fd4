"""helpers.explorers.windows: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.explorers.windows import WindowExplorer, example_sentence
from helpers.taggers import window_parameter_count
from tests.sweep import sweep_explorer

WIDTHS, DISTS = [1, 3, 5, 7, 9], [1, 2, 3, 4]


@pytest.fixture
def results():
    """A window_sweep-shaped result with the staircase the lesson shows (no training needed
    here)."""
    acc = np.array([[1.0 if w // 2 >= d else 0.5 for d in DISTS] for w in WIDTHS])
    return {
        "widths": WIDTHS,
        "cue_distances": DISTS,
        "accuracy": acc,
        "majority": np.full(len(DISTS), 0.5),
        "parameters": np.array([window_parameter_count(w, 23, 7, 16) for w in WIDTHS]),
    }


def test_window_explorer_compute(results):
    e = WindowExplorer(results, width=5, cue_distance=3)
    s = e.state
    assert s["tokens"] == ["a", "uh", "um", "saw", "there", "."] == example_sentence(3)
    assert s["tokens"][s["target"]] == "saw" and s["window"] == (1, 5)
    assert not s["cue_inside"] and s["accuracy"] == 0.5
    for w in WIDTHS:
        for d in DISTS:
            s = e.compute(width=w, cue_distance=d)
            lo, hi = s["window"]
            assert s["cue_inside"] == (lo <= 0 <= hi) == (w // 2 >= d)
            assert s["parameters"] == window_parameter_count(w, 23, 7, 16)
            np.testing.assert_array_equal(
                s["accuracy_by_width"], results["accuracy"][:, DISTS.index(d)]
            )


def test_window_explorer_validates(results):
    with pytest.raises(ValueError, match="trained widths"):
        WindowExplorer(results, width=4)
    with pytest.raises(ValueError, match="shape"):
        WindowExplorer({**results, "accuracy": np.zeros((2, 2))})


def test_window_explorer_sweep(results):
    report = sweep_explorer(WindowExplorer(results, width=5, cue_distance=3))
    assert report["width"]["changed"] and report["cue_distance"]["changed"]
