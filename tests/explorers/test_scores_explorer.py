"""helpers.explorers.scores: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.explorers.scores import ScoreToyExplorer, additive_score
from tests.sweep import sweep_explorer


@pytest.fixture(scope="module")
def toy():
    return ScoreToyExplorer()


def test_toy_scores(toy):
    s = toy.compute(q_angle=0, q_length=2.0, k_angle=90, k_length=1.0)
    assert s["dot"] == pytest.approx(0.0, abs=1e-12) and s["cos"] == pytest.approx(0.0, abs=1e-12)
    s = toy.compute(q_angle=45, q_length=2.0, k_angle=45, k_length=1.5)
    assert s["dot"] == pytest.approx(3.0) and s["cos"] == pytest.approx(1.0)
    s = toy.compute(q_angle=0, q_length=1.0, k_angle=180, k_length=1.0)
    assert s["dot"] == pytest.approx(-1.0)
    assert s["additive"] == pytest.approx(float(np.tanh(0.0) + np.tanh(0.0)), abs=1e-12)


@given(st.integers(0, 71), st.floats(0.2, 2.0), st.integers(0, 71), st.floats(0.2, 2.0))
def test_toy_fields_agree_with_the_scores(qa, ql, ka, kl):
    e = _shared_toy()
    s = e.compute(q_angle=5 * qa, q_length=ql, k_angle=5 * ka, k_length=kl)
    assert s["dot"] == pytest.approx(float(s["q"] @ s["k"]))
    assert s["dot"] == pytest.approx(ql * kl * s["cos"])
    assert abs(s["additive"]) <= 2.0  # |wᵀ tanh(·)| ≤ Σ|w| = 2
    g = e.grid
    np.testing.assert_allclose(s["dot_field"], g @ s["q"])
    np.testing.assert_allclose(s["additive_field"], np.tanh(g + s["q"]) @ np.array([1.0, 1.0]))


_TOY = []


def _shared_toy():
    if not _TOY:
        _TOY.append(ScoreToyExplorer())
    return _TOY[0]


def test_additive_score_broadcasts():
    q = np.array([0.3, -0.2])
    K = np.array([[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5]])
    np.testing.assert_allclose(additive_score(q, K), [additive_score(q, k) for k in K])


def test_toy_sweep():
    report = sweep_explorer(ScoreToyExplorer())
    assert all(r["changed"] for r in report.values())
