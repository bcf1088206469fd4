"""helpers.explorers.multihead: compute is right, every control swept over its range, in-place
updates, readable figures whose pixels do not depend on history, readable errors."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import example_sentences
from helpers.explorers.multihead import HEAD_CHOICES, MultiHeadExplorer
from tests.figure_checks import assert_history_free, assert_readable
from tests.sweep import sweep_explorer

SENTENCES = example_sentences("multihead")


@pytest.fixture(scope="module")
def multi_head():
    return MultiHeadExplorer()


def test_multi_head_default_shows_two_different_heads(multi_head):
    state = multi_head.state
    assert state["n_heads"] == 2 and state["alpha_prime"].shape == (2, 11, 11)
    assert [r["kind"] for r in state["report"]] == ["same word", "previous token"]


@pytest.mark.parametrize("sentence", list(SENTENCES))
@pytest.mark.parametrize("n_heads", HEAD_CHOICES)
def test_multi_head_compute(multi_head, sentence, n_heads):
    state = multi_head.compute(n_heads=n_heads, sentence=sentence, positions=True)
    n = len(sentence.split())
    assert state["alpha_prime"].shape == (n_heads, n, n)
    np.testing.assert_allclose(state["alpha_prime"].sum(axis=-1), 1.0)
    kinds = [r["kind"] for r in state["report"]]
    assert "previous token" in kinds  # some head always got the fast waves of eⁱ
    if n_heads == 2:
        assert kinds == ["same word", "previous token"]


def test_multi_head_without_positions_loses_the_previous_token_head(multi_head):
    state = multi_head.compute(n_heads=2, sentence=list(SENTENCES)[0], positions=False)
    assert [r["kind"] for r in state["report"]] == ["same word", "mixed"]


def test_multi_head_rejects_other_head_counts(multi_head):
    with pytest.raises(ValueError, match="n_heads must divide"):
        multi_head.compute(n_heads=3, sentence=list(SENTENCES)[0], positions=True)


def test_multi_head_sweep():
    report = sweep_explorer(MultiHeadExplorer())
    assert set(report) == {"n_heads", "sentence", "positions"}
    assert all(r["changed"] for r in report.values())


def test_multi_head_blits_when_only_positions_change():
    ex = MultiHeadExplorer()
    artists = ex.update(ex.compute(n_heads=2, sentence=list(SENTENCES)[0], positions=False))
    assert artists is not None and len(artists) > 0  # updated in place, no full redraw
    assert (
        ex.update(ex.compute(n_heads=4, sentence=list(SENTENCES)[0], positions=False)) is None
    )  # new panels


def test_multi_head_titles_report_one_measure_that_adds_up(multi_head):
    state = multi_head.compute(n_heads=1, sentence=SENTENCES[0], positions=True)
    (row,) = state["report"]
    title = MultiHeadExplorer._title(row)
    assert title.startswith("head 1: previous token")  # heads count from 1
    percents = [int(w.rstrip("%")) for w in title.replace("\n", " ").split() if w.endswith("%")]
    assert len(percents) == 3 and sum(percents) == 100, title  # previous + same word + other
    assert "previous token + same word + other = 100%" in MultiHeadExplorer._suptitle(state)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_heads": 3}, r"n_heads must be one of \[1, 2, 4\]"),
        ({"n_heads": None}, "n_heads must be one of"),
        ({"n_heads": float("nan")}, "got nan"),
        ({"sentence": "a sentence it does not know"}, "sentence must be one of"),
        ({"positions": "yes"}, "positions must be True or False"),
    ],
)
def test_multi_head_bad_values_give_readable_errors(multi_head, kwargs, message):
    with pytest.raises(ValueError, match=message):
        MultiHeadExplorer(**kwargs)
    before = dict(multi_head.values)
    with pytest.raises(ValueError, match=message):
        multi_head.set(**kwargs)
    assert multi_head.values == before  # a refused value leaves the controls as they were
    with pytest.raises(ValueError, match=message) as err:
        multi_head.set(**kwargs)
    if "sentence" in kwargs:
        assert all(s in str(err.value) for s in SENTENCES)  # the message lists the choices


@pytest.mark.parametrize("n_heads", HEAD_CHOICES)
def test_multi_head_is_readable_at_its_stored_size(multi_head, n_heads):
    for sentence in SENTENCES:
        multi_head.set(n_heads=n_heads, sentence=sentence, positions=True)
        assert_readable(multi_head)


def test_multi_head_same_values_same_pixels_whatever_came_before():
    default = {"n_heads": 2, "sentence": SENTENCES[0], "positions": True}
    other = {"n_heads": 4, "sentence": SENTENCES[2], "positions": False}
    # each control moved alone, then all at once, then a sentence with other head counts
    before = [{**default, name: other[name]} for name in default] + [other]
    before += [{**other, "n_heads": 1}, {**other, "n_heads": 2, "sentence": SENTENCES[1]}]
    for a in (default, other):
        assert_history_free(MultiHeadExplorer, a, before)


@pytest.fixture(params=["zh-Hant", "zh-Hans"])
def chinese(request):
    from helpers.language import set_language

    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.mark.parametrize("n_heads", HEAD_CHOICES)
def test_multi_head_speaks_chinese_readably_with_every_glyph(chinese, n_heads, recwarn):
    ex = MultiHeadExplorer(n_heads=n_heads, positions=False)
    try:
        head = "第 1 個頭：" if chinese == "zh-Hant" else "第 1 个头："
        titles = [view.ax.title.get_text() for view in ex.views]
        assert all(t.startswith(head.replace("1", str(k + 1))) for k, t in enumerate(titles))
        for t in titles:  # the three shares still add up to 100 in the translated words
            assert sum(int(w.rstrip("%")) for w in t.split() if w.endswith("%")) == 100, t
        assert "heads" not in ex.suptitle.get_text() and "queries" not in ex.suptitle.get_text()
        assert_readable(ex)
        ex.to_png()
        assert not [w for w in recwarn if "Glyph" in str(w.message)]  # no missing glyph
    finally:
        ex.close()
