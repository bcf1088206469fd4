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
    # the fields are outer sums (one term per coordinate): the same numbers, to rounding
    np.testing.assert_allclose(s["dot_field"], g @ s["q"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        s["additive_field"], np.tanh(g + s["q"]) @ np.array([1.0, 1.0]), rtol=1e-12, atol=1e-12
    )


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


def test_additive_is_largest_along_w_not_where_k_follows_q():
    # the counter-example: q and k both at 225° agree (dot > 0), but q + k points away from
    # w = (1, 1), so the additive score is negative
    toy = ScoreToyExplorer(q_angle=225, k_angle=225)
    s = toy.state
    assert s["dot"] == pytest.approx(2.25)
    assert s["additive"] == pytest.approx(-1.94, abs=0.005)
    assert s["angle_q_plus_k_w"] == pytest.approx(180.0)
    np.testing.assert_allclose(s["q_plus_k"], s["q"] + s["k"])
    # for a fixed q, the best k on the plane is where q + k points along w (largest wᵀ(q + k) ...)
    g = toy.grid.reshape(-1, 2)
    best = g[np.argmax(s["additive_field"].ravel())]
    along = (s["q"] + best) @ np.array([1.0, 1.0]) / np.sqrt(2)
    assert along == pytest.approx(np.max((s["q"] + g) @ np.array([1.0, 1.0]) / np.sqrt(2)))
    # ... and not where k points the way q does (that is the dot product's rule)
    assert s["dot_field"].ravel()[np.argmax(s["additive_field"].ravel())] < 0
    # and the title says so
    assert "along w" in toy.titles[1].get_text() and "180° off" in toy.titles[1].get_text()


def test_toy_constructor_validates():
    with pytest.raises(ValueError, match="q_angle"):
        ScoreToyExplorer(q_angle=400)
    with pytest.raises(ValueError, match="k_length"):
        ScoreToyExplorer(k_length=float("nan"))


def test_lesson_03_explorer_says_alpha_not_alpha_prime_without_normalisation():
    from helpers.attention import dot_product_scores
    from helpers.data import embed, toy_weights
    from helpers.explorers.attention import AttentionExplorer

    e = AttentionExplorer("I saw a saw.", query=1, scoring="scaled_dot", normalisation="none")
    W = toy_weights(0)
    # lesson 03's static heatmap: the same embedding, weights and sentence, so the same numbers
    np.testing.assert_allclose(
        e.state["alpha_prime"], dot_product_scores(embed("I saw a saw."), W["W_q"], W["W_k"])
    )
    shown = [e.heat.ax.get_title(), e.heat.colorbar.ax.get_ylabel(), e.title_ap.get_text()]
    assert not any("α′" in t for t in shown), shown
    assert e.heat.colorbar.ax.get_ylabel() == "α / T"
    e.set(normalisation="softmax")
    assert e.heat.colorbar.ax.get_ylabel() == "α′" and e.heat.ax.get_title().startswith("α′")
    e.close()
