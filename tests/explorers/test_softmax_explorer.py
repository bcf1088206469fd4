"""helpers.explorers.softmax: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.attention import softmax
from helpers.explorers.softmax import SoftmaxExplorer, naive_softmax, softmax_demo_scores
from tests.sweep import sweep_explorer


@pytest.fixture(scope="module")
def softmax_explorer():
    return SoftmaxExplorer()


def test_softmax_explorer_default_is_a_softmax(softmax_explorer):
    s = softmax_explorer.state
    np.testing.assert_allclose(s["alpha_prime"], softmax(s["alpha"]))
    np.testing.assert_allclose(s["row_sums"], 1.0)
    assert s["naive_nan_rows"] == 0
    assert s["alpha_prime"][1].argmax() in (1, 3)  # the default picture: "saw" attends to the saws


def _entropy(P):
    return -(P * np.log(np.clip(P, 1e-300, None))).sum(
        axis=1
    )  # (n,): 0 = one key takes all, ln n = uniform


@given(st.floats(-1.7, 1.3), st.floats(-1.7, 1.3), st.booleans(), st.sampled_from([1, 8, 64, 512]))
def test_temperature_sharpens_and_flattens(log_t1, log_t2, scale, d_k):
    e = _shared_softmax()
    lo, hi = sorted((10**log_t1, 10**log_t2))
    cold = e.compute(temperature=lo, kind="softmax", scale=scale, d_k=d_k)["alpha_prime"]
    hot = e.compute(temperature=hi, kind="softmax", scale=scale, d_k=d_k)["alpha_prime"]
    assert np.all(_entropy(cold) <= _entropy(hot) + 1e-9)  # every row: colder is sharper


def test_temperature_extremes(softmax_explorer):
    hot = softmax_explorer.compute(temperature=20.0, kind="softmax", scale=True, d_k=64)[
        "alpha_prime"
    ]
    np.testing.assert_allclose(hot, 1 / hot.shape[1], atol=0.05)  # T → ∞: uniform rows
    cold = softmax_explorer.compute(temperature=0.02, kind="softmax", scale=True, d_k=64)[
        "alpha_prime"
    ]
    assert (
        cold[1, [1, 3]].sum() > 0.99
    )  # T → 0: the query "saw" puts everything on the (two equal) saws


_SOFTMAX = []


def _shared_softmax():
    if not _SOFTMAX:
        _SOFTMAX.append(SoftmaxExplorer())
    return _SOFTMAX[0]


def test_scale_keeps_the_spread_and_unscaled_grows(softmax_explorer):
    tokens = softmax_explorer.tokens
    for d_k in (1, 16, 512):
        scaled = softmax_demo_scores(tokens, d_k, scale=True)
        np.testing.assert_allclose(
            softmax_demo_scores(tokens, d_k, scale=False), scaled * np.sqrt(d_k)
        )
    assert (
        softmax_demo_scores(tokens, 512, scale=False).std()
        > 10 * softmax_demo_scores(tokens, 512, scale=True).std()
    )


def test_huge_scores_stay_finite_but_naive_overflows(softmax_explorer):
    s = softmax_explorer.compute(temperature=10**-1.7, kind="softmax", scale=False, d_k=512)
    assert s["max_abs"] > 710 and s["naive_nan_rows"] >= 1
    assert np.all(np.isfinite(s["alpha_prime"]))
    np.testing.assert_allclose(s["row_sums"], 1.0)


def test_relu_and_none(softmax_explorer):
    s = softmax_explorer.compute(temperature=1.0, kind="relu", scale=True, d_k=64)
    np.testing.assert_allclose(s["alpha_prime"], np.maximum(s["alpha"], 0))
    s = softmax_explorer.compute(temperature=1.0, kind="none", scale=True, d_k=64)
    np.testing.assert_allclose(s["alpha_prime"], s["alpha"])


def test_naive_softmax_is_the_unstable_one():
    with np.errstate(all="raise"):  # naive_softmax silences its own overflow
        out = naive_softmax(np.array([1000.0, 0.0]))
    assert np.isnan(out).any()
    np.testing.assert_allclose(naive_softmax(np.array([1.0, 2.0])), softmax(np.array([1.0, 2.0])))


def test_softmax_explorer_blits_even_when_the_limits_change():
    # the titles, the bars' y axes and the colour bar are blitted groups, not background
    e = SoftmaxExplorer()
    first = e.update(e.compute(temperature=1.1220184543019633, kind="softmax", scale=True, d_k=64))
    assert first is not None
    again = e.update(e.compute(temperature=1.0, kind="none", scale=False, d_k=512))  # new limits
    assert again is not None and [id(a) for a in again] == [id(a) for a in first]


def test_softmax_explorer_sweep():
    report = sweep_explorer(SoftmaxExplorer())
    assert all(r["changed"] for r in report.values())


def test_without_normalisation_nothing_is_called_alpha_prime():
    e = SoftmaxExplorer()
    assert e.heat.ax.get_title() == "α′ for every query (rows)"
    assert e.heat.colorbar.ax.get_ylabel() == "α′"
    assert e.w_title.get_text() == "weights α′₂,ᵢ (softmax)"  # query a², the lecture's count
    assert "a² “saw”" in e.ax_a.get_title()
    e.set(kind="none")
    texts = [e.heat.ax.get_title(), e.heat.colorbar.ax.get_ylabel(), e.w_title.get_text()]
    texts.append(e.notes.get_text())
    assert not any("α′" in t for t in texts), texts
    assert e.heat.colorbar.ax.get_ylabel() == "α / T"
    e.set(kind="relu")
    assert e.heat.colorbar.ax.get_ylabel() == "α′" and "relu" in e.w_title.get_text()


@pytest.mark.parametrize("temperature", [0.0, -1.0, float("nan"), float("inf")])
def test_softmax_explorer_names_a_bad_temperature(softmax_explorer, temperature):
    with pytest.raises(ValueError, match="temperature must be a finite number > 0"):
        softmax_explorer.compute(temperature=temperature, kind="softmax", scale=True, d_k=64)
    with pytest.raises(ValueError, match="d_k must be one of"):
        softmax_explorer.compute(temperature=1.0, kind="softmax", scale=True, d_k=3)


def test_the_demo_seed_shows_saw_attending_to_a_saw_at_every_d_k():
    from helpers import data
    from helpers.explorers.softmax import D_K_CHOICES

    tokens = data.tokenize(data.example_sentences("softmax")[0])
    for d_k in D_K_CHOICES:
        assert softmax_demo_scores(tokens, d_k, scale=True)[1].argmax() in (1, 3), d_k
