"""Explorer builds kept aside (`Explorer.max_builds`, `build_key`): going back to a sentence shown
before brings its panels back as they were (the same axes, no layout pass, the saved background
blitted, the same pixels as drawn fresh); the builds kept are bounded, and only the one on show is
in the figure."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import _canvas, data
from helpers.explorers.attention import AttentionExplorer
from helpers.explorers.multihead import MultiHeadExplorer
from helpers.explorers.positional import OrderExplorer
from helpers.explorers.weighted_sum import WeightedSumExplorer
from tests.figure_checks import canvas_rgba

SENTENCE_CONTROLS = {
    AttentionExplorer: ["I saw a saw", "the cat sat on the mat", "a b"],
    WeightedSumExplorer: None,  # None: the dropdown's own options
    MultiHeadExplorer: None,
    OrderExplorer: None,
}


def _sentences(explorer) -> list:
    given = SENTENCE_CONTROLS[type(explorer)]
    if given is not None:
        return given
    options = explorer.controls["sentence"].options
    return [o[1] if isinstance(o, tuple) else o for o in options][:3]


def _count_draws(explorer) -> list:
    draws = [0]
    explorer.canvas.mpl_connect("draw_event", lambda event: draws.__setitem__(0, draws[0] + 1))
    return draws


@pytest.mark.parametrize("cls", list(SENTENCE_CONTROLS), ids=lambda c: c.__name__)
def test_going_back_to_a_sentence_shows_its_build_again(cls):
    ex, fresh = cls(), cls()
    try:
        first, second = _sentences(ex)[:2]
        ex.set(sentence=first)
        axes = list(ex.fig.axes)
        ex.set(sentence=second)
        assert not set(map(id, ex.fig.axes)) & set(map(id, axes)), "the other build's axes show"
        draws = _count_draws(ex)
        ex.set(sentence=first)
        assert ex.fig.axes == axes, "going back built new axes"
        assert draws[0] == 0, "going back drew the figure in full (no saved background)"
        fresh.set(**ex.values)
        assert np.array_equal(canvas_rgba(ex), canvas_rgba(fresh))
        assert ex.to_png() == fresh.to_png()
    finally:
        ex.close()
        fresh.close()


def test_builds_kept_are_bounded_and_only_the_one_on_show_is_in_the_figure():
    ex = AttentionExplorer()
    try:
        words = data.tokenize("the quick brown fox jumps over a lazy dog and runs far away")
        sentences = [" ".join(words[: k + 2]) for k in range(ex.max_builds + 4)]
        for sentence in sentences:
            ex.set(sentence=sentence)
            n_axes = len(ex.fig.axes)
        assert len(ex._builds) == ex.max_builds
        assert n_axes == 7  # α′, lines, α, α′ bars, b and two colour bars: this build's alone
        kept_backgrounds = {key[0] for key in ex._backgrounds}
        assert kept_backgrounds <= set(ex._builds) | {ex._build_key}
        visible_texts = [t for t in ex.fig.texts if t.get_visible()]
        assert len(visible_texts) <= 1  # at most the shared suptitle
        # the oldest builds went: their sentences are built anew, and look as before
        ex.set(sentence=sentences[0])
        fresh = AttentionExplorer(sentences[0])
        try:
            fresh.set(**ex.values)
            assert np.array_equal(canvas_rgba(ex), canvas_rgba(fresh))
        finally:
            fresh.close()
    finally:
        ex.close()


def test_a_build_put_aside_hides_its_figure_texts_and_keeps_the_shared_suptitle():
    ex = OrderExplorer()
    try:
        first, second = _sentences(ex)[:2]
        ex.set(sentence=first)
        title = ex.verdict
        ex.set(sentence=second)
        assert ex.verdict is title and title.get_visible(), "the suptitle is one per figure"
        assert title.get_text() == ex._verdict(ex.state)
    finally:
        ex.close()


def test_figure_labels_finds_the_one_suptitle_matplotlib_keeps():
    fig = Figure()
    assert _canvas.figure_labels(fig) == []
    title = fig.suptitle("one")
    assert fig.suptitle("two") is title  # set again, not made anew: builds share it
    xlabel = fig.supxlabel("x")
    assert _canvas.figure_labels(fig) == [title, xlabel]
