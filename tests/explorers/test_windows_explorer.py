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


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (None, "must be the dict window_sweep"),
        ({"parameters": None}, "missing ['parameters']"),
        ({"accuracy": np.full((5, 4), np.nan)}, "results['accuracy'] must be finite"),
        ({"accuracy": np.full((5, 4), 2.0)}, "in [0, 1]"),
        ({"accuracy": "x"}, "must be numbers of shape (5, 4)"),
        ({"majority": [0.5]}, "results['majority'] must have shape"),
        ({"parameters": [1]}, "results['parameters'] must have shape"),
        ({"widths": [1, 2, 3, 5, 7]}, "must be odd"),
        ({"widths": [1, 1, 3, 5, 7]}, "must not repeat"),
        ({"widths": []}, "at least one value"),
        ({"cue_distances": [0, 1, 2, 3]}, "integers ≥ 1"),
        ({"cue_distances": [1.5, 2, 3, 4]}, "integers ≥ 1"),
    ],
)
def test_window_explorer_names_bad_results(results, change, said):
    if change is None:
        bad = None
    else:
        bad = {k: v for k, v in {**results, **change}.items() if v is not None}
    with pytest.raises(ValueError) as info:
        WindowExplorer(bad)
    assert said in str(info.value), info.value


@pytest.mark.parametrize("bad", [4, "3", None, True, 3.5])
def test_window_explorer_names_a_bad_width(results, bad):
    if bad is None:
        assert WindowExplorer(results, width=None).state["width"] == 5  # None: the middle width
        return
    with pytest.raises(ValueError, match="width must be one of the trained widths"):
        WindowExplorer(results, width=bad)


@pytest.mark.parametrize("bad", [0, -1, "a", 1.5, None])
def test_example_sentence_wants_a_positive_int(bad):
    with pytest.raises(ValueError, match="cue_distance must be an integer ≥ 1"):
        example_sentence(bad)


def test_window_explorer_legend_never_covers_a_bar(results):
    e = WindowExplorer(results, width=5, cue_distance=3)
    e.to_png()
    legend = e.ax_a.get_legend().get_window_extent()
    for bar in e.bars:
        assert not legend.overlaps(bar.get_window_extent())
    assert e.fig.dpi == 90


@pytest.mark.parametrize("language", ["zh-Hant", "zh-Hans"])
def test_window_explorer_speaks_the_edition(results, language):
    """Built after `set_language`, the figure and the controls hold no English word but the
    example sentence's tokens, at both ends of the cue distance."""
    import re

    from helpers.language import set_language
    from tests.figure_checks import english_words, readability_problems

    tokens = {"saw", "there", "uh", "um", "er", "hmm", "pad"}
    set_language(language)
    explorer = WindowExplorer(results)
    try:
        for d in (1, 4):
            explorer.set(cue_distance=d)
            assert english_words(explorer.fig, tokens) == []
            assert readability_problems(explorer.fig, min_px=9) == []
        for control in explorer.controls.values():
            assert not re.findall(r"[A-Za-z]{2,}", control.description), control.description
    finally:
        explorer.close()
        set_language("en")
