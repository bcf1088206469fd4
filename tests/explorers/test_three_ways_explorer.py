"""helpers.explorers.three_ways: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import example_graph
from helpers.explorers.three_ways import ThreeWaysExplorer
from tests.figure_checks import assert_history_free
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


def test_three_ways_counts_words_from_one(three_ways):
    options = three_ways.controls["query"].options
    assert options[0] == ("1: the", 0) and options[-1] == ("8: mat", 7)
    three_ways.set(query=7, layers=1)
    assert "word 8 “mat”" in three_ways.title.get_text()


def test_three_ways_texts_stay_inside_the_figure(three_ways):
    for query, layers in [(7, 1), (0, 7), (3, 2)]:
        three_ways.set(query=query, layers=layers)
        _texts_inside_the_figure(three_ways)


def test_three_ways_explorer_same_values_same_pixels_whatever_came_before():
    assert_history_free(ThreeWaysExplorer, dict(query=7, layers=1), dict(query=0, layers=7))


LONG = "x" * 340


def _layout(explorer):
    """Where every axes sits, in figure pixels."""
    return [tuple(np.round(ax.get_position().bounds, 6)) for ax in explorer.fig.axes]


def _texts_inside_the_figure(explorer):
    fig = explorer.fig
    renderer = fig.canvas.get_renderer()
    for text in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible()):
        if text.get_text():
            extent = text.get_window_extent(renderer)
            assert fig.bbox.x0 - 1 <= extent.x0 and extent.x1 <= fig.bbox.x1 + 1, text.get_text()[
                :40
            ]


@pytest.mark.parametrize("long_word", [LONG, "我看见一把锯" * 57])
def test_a_340_character_token_does_not_collapse_the_layout(long_word):
    edges = [(0, 1), (1, 3)]
    normal = ThreeWaysExplorer(tokens=["the", "cat", "x", "sat"], edges=edges, query=3)
    long = ThreeWaysExplorer(tokens=["the", "cat", long_word, "sat"], edges=edges, query=3)
    try:
        assert _layout(long) == _layout(normal)
        for query in (3, 2):  # the long word as a key, then as the query named in the title
            long.set(query=query)
            normal.set(query=query)
            assert _layout(long) == _layout(normal)
            _texts_inside_the_figure(long)
        assert "word 3" in long.title.get_text()
        label = long.controls["query"].options[2][0]
        assert label.startswith("3: ") and len(label) < 40
    finally:
        normal.close()
        long.close()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(tokens=["one"], edges=[]), "at least 2 words"),
        (dict(tokens=[], edges=[]), "at least 2 words"),
        (dict(tokens="the cat sat", edges=[]), "tokens must be a list of words"),
        (dict(tokens=["a", ""], edges=[]), "non-empty strings"),
        (dict(tokens=["a", 3], edges=[]), "non-empty strings"),
        (dict(tokens=["a", "b"], edges=[(0, 2)]), r"edges\[0\] = \(0, 2\): node j must be 0 … 1"),
        (dict(tokens=["a", "b"], edges=[(0.5, 1)]), "whole number"),
        (dict(query=8), r"query must be a word index 0 … 7 \(word 1 is 0\)"),
        (dict(query=None), "query"),
        (dict(layers=0), "layers"),
        (dict(layers=8), r"layers must be 1 … 7"),
    ],
)
def test_three_ways_explorer_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ThreeWaysExplorer(**kwargs)


def test_three_ways_with_two_words_works():
    e = ThreeWaysExplorer(tokens=["hello", "world"], edges=[(0, 1)], query=1, layers=1)
    try:
        assert e.state["views"]["graph (GNN)"]["reached"].all()
    finally:
        e.close()


def test_three_ways_speaks_the_edition_language_and_keeps_its_state_keys():
    import helpers.language

    try:
        helpers.language.set_language("zh-Hant")
        explorer = ThreeWaysExplorer(query=7, layers=1)
    finally:
        helpers.language.set_language("en")
    try:
        assert set(explorer.state["views"]) == {"RNN chain", "self-attention", "graph (GNN)"}
        titles = [t.get_text() for t in explorer.texts.values()] + [explorer.title.get_text()]
        assert titles[0].startswith("RNN 鏈\n") and titles[1].startswith("自注意力機制\n")
        assert "第 8 個詞「mat」" in titles[-1], titles[-1]
        assert explorer.controls["query"].description == "查詢詞"
    finally:
        explorer.close()
