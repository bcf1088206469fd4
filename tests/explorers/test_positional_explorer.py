"""helpers.explorers.positional: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.explorers.positional import OrderExplorer, SinusoidExplorer
from helpers.positional import sinusoidal_encoding
from tests.sweep import sweep_explorer


@pytest.fixture(scope="module")
def order():
    return OrderExplorer()


@pytest.fixture(scope="module")
def sinusoid():
    return SinusoidExplorer()


def test_order_default_shows_that_order_is_invisible(order):
    state = order.state
    assert state["positions"] is False
    assert not np.array_equal(state["order"], np.arange(5))
    assert state["max_change_alpha"] < 1e-12
    assert "changed nothing" in order._verdict(state)


@pytest.mark.parametrize("shuffle", range(1, 9))
def test_order_with_positions_every_shuffle_changes_attention(order, shuffle):
    off = order.compute(sentence="the dog bit the man", shuffle=shuffle, positions=False)
    on = order.compute(sentence="the dog bit the man", shuffle=shuffle, positions=True)
    assert off["max_change_alpha"] < 1e-12 and off["max_change_B"] < 1e-12
    assert on["max_change_alpha"] > 1e-3
    assert [off["tokens"][i] for i in off["order"]] == off["shuffled"]


def test_order_shuffle_zero_is_the_original(order):
    state = order.compute(sentence="i saw a saw", shuffle=0, positions=True)
    assert state["shuffled"] == state["tokens"] and state["max_change_alpha"] == 0
    assert "nothing to compare" in order._verdict(state)


def test_order_sweep():
    report = sweep_explorer(OrderExplorer())
    assert set(report) == {"sentence", "shuffle", "positions"}
    assert all(r["changed"] for r in report.values())


@pytest.mark.parametrize(("d_model", "position"), [(4, 0), (32, 10), (128, 49), (6, 25)])
def test_sinusoid_compute(sinusoid, d_model, position):
    state = sinusoid.compute(d_model=d_model, position=position)
    np.testing.assert_allclose(state["e"], sinusoidal_encoding(50, d_model))
    sim = state["similarity"]
    assert sim.argmax() == position and np.isclose(sim[position], d_model / 2)
    # the same shape wherever p is: eᵖ·eᵖ⁺ᐞ does not depend on p
    other = sinusoid.compute(d_model=d_model, position=(position + 7) % 50)
    p, q = position, (position + 7) % 50
    for delta in (-3, 1, 2):
        if 0 <= p + delta < 50 and 0 <= q + delta < 50:
            assert np.isclose(sim[p + delta], other["similarity"][q + delta])


def test_sinusoid_position_change_blits(sinusoid):
    artists = sinusoid.update(sinusoid.compute(d_model=sinusoid.values["d_model"], position=3))
    assert artists is not None
    sinusoid.redraw()


def test_sinusoid_sweep():
    report = sweep_explorer(SinusoidExplorer())
    assert set(report) == {"d_model", "position"}
    assert all(r["changed"] for r in report.values())
