"""helpers.explorers.multihead: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import example_sentences
from helpers.explorers.multihead import HEAD_CHOICES, MultiHeadExplorer
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
    with pytest.raises(ValueError, match="n_heads must be one of"):
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
