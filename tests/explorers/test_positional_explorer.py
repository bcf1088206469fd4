"""helpers.explorers.positional: compute is right, every control swept over its range, in-place
updates, readable figures whose pixels do not depend on history, readable errors."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import example_sentences
from helpers.explorers.positional import OrderExplorer, SinusoidExplorer
from helpers.positional import sinusoidal_encoding
from tests.figure_checks import assert_history_free, assert_readable
from tests.sweep import sweep_explorer

ORDER_SENTENCES = example_sentences("order")


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


@pytest.mark.parametrize("d_model", [4, 5, 6, 8, 16, 25, 32, 64, 128])
def test_sinusoid_peaks_at_p_but_is_not_monotone_in_the_offset(sinusoid, d_model):
    # the title's claims: highest (d_model/2 when even) at p′ = p, another peak further away
    state = sinusoid.compute(d_model=d_model, position=10)
    sim = state["similarity"]
    assert sim.argmax() == 10 and abs(sim.max() - d_model / 2) <= 0.5
    offset, value = state["rival"]
    assert offset != 0 and value < sim.max() and np.isclose(sim[10 + offset], value)
    assert sim[10 + offset] > sim[10 + offset - 1] and sim[10 + offset] >= sim[10 + offset + 1]
    assert f"at |p′ − p| = {abs(offset)}" in SinusoidExplorer._peak_title(state)
    if d_model == 4:
        # few columns: a far position scores almost as high as p itself
        assert value > 0.95 * d_model / 2


def test_sinusoid_labels_keep_position_and_frequency_apart(sinusoid):
    sinusoid.set(d_model=32, position=10)
    ax1, ax2, ax3 = sinusoid.axes
    assert ax1.get_ylabel().startswith("position p") and ax3.get_xlabel() == "position p′"
    assert ax2.get_xlabel() == "frequency index k"
    texts = [ax.get_xlabel() + ax.get_ylabel() + ax.get_title() for ax in sinusoid.axes]
    assert not any(" i " in f" {t} " or "i =" in t for t in texts), texts


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: OrderExplorer("a sentence it does not know"), "sentence must be one of"),
        (lambda: OrderExplorer(shuffle=9), "shuffle must be an integer 0…8"),
        (lambda: OrderExplorer(shuffle=float("nan")), "got nan"),
        (lambda: OrderExplorer(positions=None), "positions must be True or False"),
        (lambda: OrderExplorer(seed=-1), "seed must be an integer"),
        (lambda: SinusoidExplorer(d_model=130), "d_model must be an integer 4…128"),
        (lambda: SinusoidExplorer(position=50), "position must be an integer 0…49"),
        (lambda: SinusoidExplorer(n_positions=1), "n_positions must be an integer 2…1000"),
    ],
)
def test_constructors_give_readable_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_order_lists_its_sentences_when_given_another():
    with pytest.raises(ValueError) as err:
        OrderExplorer("the man bit the dog")
    assert all(repr(s) in str(err.value) for s in ORDER_SENTENCES)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"sentence": "nope"}, "sentence must be one of"),
        ({"shuffle": None}, "shuffle must be an integer 0…8; got None"),
        ({"shuffle": float("nan")}, "shuffle must be an integer 0…8; got nan"),
        ({"positions": float("nan")}, "positions must be True or False; got nan"),
    ],
)
def test_order_set_from_code_gives_readable_errors(order, values, message):
    before = dict(order.values)
    with pytest.raises(ValueError, match=message):
        order.set(**values)
    assert order.values == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"d_model": None}, "d_model must be an integer 4…128; got None"),
        ({"d_model": float("nan")}, "got nan"),
        ({"position": -1}, "position must be an integer 0…49"),
        ({"position": 2.5}, "position must be an integer"),
    ],
)
def test_sinusoid_set_from_code_gives_readable_errors(sinusoid, values, message):
    before = dict(sinusoid.values)
    with pytest.raises(ValueError, match=message):
        sinusoid.set(**values)
    assert sinusoid.values == before


def test_order_is_readable_at_its_stored_size(order):
    for sentence in ORDER_SENTENCES:
        for positions in (False, True):
            order.set(sentence=sentence, shuffle=3, positions=positions)
            assert_readable(order)


@pytest.mark.parametrize("d_model", [4, 10, 32, 128])
def test_sinusoid_is_readable_at_its_stored_size(sinusoid, d_model):
    for position in (0, 10, 49):
        sinusoid.set(d_model=d_model, position=position)
        assert_readable(sinusoid)


def test_order_same_values_same_pixels_whatever_came_before():
    a = {"sentence": ORDER_SENTENCES[0], "shuffle": 3, "positions": True}
    before = [
        {**a, "shuffle": 0},
        {**a, "shuffle": 8},
        {**a, "positions": False},
        {"sentence": ORDER_SENTENCES[1], "shuffle": 3, "positions": True},
        {"sentence": ORDER_SENTENCES[2], "shuffle": 5, "positions": False},
    ]
    for values in (a, before[-1]):
        assert_history_free(OrderExplorer, values, before)


def test_sinusoid_same_values_same_pixels_whatever_came_before():
    a = {"d_model": 32, "position": 10}
    before = [{"d_model": d, "position": p} for d, p in ((4, 0), (128, 49), (6, 10), (32, 0))]
    for values in (a, {"d_model": 6, "position": 49}):
        assert_history_free(SinusoidExplorer, values, before)


@pytest.fixture(params=["zh-Hant", "zh-Hans"])
def chinese(request):
    from helpers.language import set_language

    set_language(request.param)
    yield request.param
    set_language("en")


def test_peak_title_has_no_mathtext_in_any_edition(sinusoid, chinese):
    state = sinusoid.compute(d_model=32, position=10)
    # mathtext has no Chinese glyphs, and parses each new title again (slow on a slider)
    title = SinusoidExplorer._peak_title(state)
    assert "$" not in title and title.startswith("eᵖ·eᵖ′：") and "次高峰" in title, title


def test_peak_title_english_names_its_formula(sinusoid):
    title = SinusoidExplorer._peak_title(sinusoid.compute(d_model=32, position=10))
    assert title.startswith("eᵖ·eᵖ′: highest (16) at p′ = p"), title


@pytest.mark.parametrize("make", [OrderExplorer, SinusoidExplorer])
def test_positional_explorers_speak_chinese_readably_with_every_glyph(make, chinese, recwarn):
    ex = make()
    try:
        ex.set(**({"positions": True, "shuffle": 3} if make is OrderExplorer else {"d_model": 4}))
        texts = [t.get_text() for ax in ex.fig.axes for t in (ax.title, ax.xaxis.label)]
        assert not any(w in " ".join(texts) for w in ("keys", "position", "column", "shuffled"))
        assert_readable(ex)
        ex.to_png()
        assert not [w for w in recwarn if "Glyph" in str(w.message) or "glyph" in str(w.message)]
    finally:
        ex.close()


def test_sinusoid_keeps_its_moving_axes_for_every_d_model():
    # d_model moves the ticks of three axes; a drag back over values seen before pastes them
    from matplotlib.axis import Axis

    ex = SinusoidExplorer(d_model=4)
    try:
        ex.canvas.syncing_data_url = False
        values = list(range(4, 129, 2))
        for d in values:
            ex.set(d_model=d)
        drawn = []
        draw = Axis.draw
        Axis.draw = lambda self, renderer: (drawn.append(self), draw(self, renderer))[1]
        try:
            for d in reversed(values):
                ex.set(d_model=d)
        finally:
            Axis.draw = draw
        assert drawn == []
        assert [len(group._cache) for group in ex.cached_axes] == [len(values)] * 3
    finally:
        ex.close()
