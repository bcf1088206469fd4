"""Moves got ready while the learner reads (`Explorer.prepare`, `prepare_delay`): every other
option of a layout control (a sentence dropdown, a head count, a patch size) is built and its
background drawn on the renderer only, so the move itself only blits. Preparing sends no frame
and leaves the figure on show as it was; a prepared move draws the pixels of a fresh explorer;
in a kernel it runs by itself on the event loop once the page shows the figure, and stops with the
explorer."""

from __future__ import annotations

import asyncio

import ipywidgets as widgets
import numpy as np
import pytest

from benchmarks.explorers import _factories
from helpers.explorer import control_values, option_values
from helpers.explorers.attention import AttentionExplorer
from helpers.explorers.weighted_sum import WeightedSumExplorer
from tests.figure_checks import canvas_rgba

# every explorer as its lesson makes it (the benchmark's factories); WeightedSumExplorer with a
# query that the shorter sentences do not have, so values_for() must move it as sync_controls does
MAKERS = {
    **_factories(),
    "WeightedSumExplorer": lambda: WeightedSumExplorer(query=3, seed=2),
}
SAMPLED = 5  # moves per control compared with a fresh explorer (a slider has up to 63)


def _watch(explorer) -> tuple[list, list]:
    """Count the frames the canvas sends and the full draws it makes from now on."""
    frames, draws = [], [0]
    send = explorer.canvas.send_binary
    explorer.canvas.send_binary = lambda data: (frames.append(len(data)), send(data))[1]
    explorer.canvas.mpl_connect("draw_event", lambda event: draws.__setitem__(0, draws[0] + 1))
    return frames, draws


def _moves(explorer, sample: int | None = None) -> list[tuple[str, object]]:
    """The moves prepare() gets ready (every `sample`-th spread over each control's values)."""
    moves = []
    for name in sorted(explorer.layout_controls | explorer.prepare_controls):
        values = [
            v for v in control_values(explorer.controls[name]) or [] if v != explorer.values[name]
        ]
        if sample is not None and len(values) > sample:
            values = [values[round(k)] for k in np.linspace(0, len(values) - 1, sample)]
        moves += [(name, v) for v in values]
    return moves


def test_option_values_reads_ipywidgets_options():
    """`option_values` reads ipywidgets' private `_options_values`: this fails if it changes."""
    assert option_values(widgets.Dropdown(options=[("one", 1), ("two", 2)])) == [1, 2]
    assert option_values(widgets.SelectionSlider(options=["a", "b"])) == ["a", "b"]
    assert option_values(widgets.ToggleButtons(options=[3, 4])) == [3, 4]
    assert option_values(widgets.Text("x")) is None
    assert option_values(widgets.IntSlider()) is None


@pytest.mark.parametrize("name", list(MAKERS))
def test_values_for_is_what_a_move_gives(name):
    """values_for(name, v) must be the controls' values after the move (sync_controls included),
    or the move prepared is not the move made."""
    ex = MAKERS[name]()
    try:
        for control, v in _moves(ex, SAMPLED):
            start = ex.values
            expected = ex.values_for(control, v)
            ex.set(**{control: v})
            assert ex.values == expected, (control, v)
            ex.set(**start)
    finally:
        ex.close()


@pytest.mark.parametrize("name", list(MAKERS))
def test_prepare_leaves_the_figure_on_show_and_sends_nothing(name):
    ex = MAKERS[name]()
    try:
        ex.canvas.syncing_data_url = False  # a page shows it
        ex.redraw()
        pixels, png, values, state = canvas_rgba(ex), ex.to_png(), ex.values, ex.state
        axes = list(ex.fig.axes)
        frames, _draws = _watch(ex)
        assert ex.prepare() == len(_moves(ex))
        assert frames == [], "preparing sent a frame to the page"
        assert np.array_equal(canvas_rgba(ex), pixels), "preparing changed the pixels on show"
        assert ex.fig.axes == axes and ex.values == values and ex.state is state
        assert ex.to_png() == png
        assert ex.prepare() == 0, "the same moves were prepared twice"
    finally:
        ex.close()


@pytest.mark.parametrize("name", list(MAKERS))
def test_a_prepared_move_only_blits_and_draws_what_a_fresh_explorer_draws(name):
    ex = MAKERS[name]()
    try:
        ex.prepare()
        start = ex.values
        _frames, draws = _watch(ex)
        for control, v in _moves(ex, SAMPLED):
            ex.set(**{control: v})
            assert draws[0] == 0, f"{control} = {v!r} was drawn in full after prepare()"
            fresh = MAKERS[name]()
            try:
                fresh.set(**ex.values)
                assert np.array_equal(canvas_rgba(ex), canvas_rgba(fresh)), (control, v)
            finally:
                fresh.close()
            ex.set(**{control: start[control]})
    finally:
        ex.close()


def test_a_text_box_is_not_prepared():
    ex = AttentionExplorer()
    try:
        ex.prepare()
        assert all(name != "sentence" for name, _v, _key in ex._prepare_moves())
        assert not any(dict(key).get("sentence") != ex.values["sentence"] for key in ex._prepared)
    finally:
        ex.close()


def test_control_values_lists_a_sliders_steps():
    assert control_values(widgets.IntSlider(min=4, max=10, step=2)) == [4, 6, 8, 10]
    assert control_values(widgets.FloatSlider(min=5.0, max=6.0, step=0.5)) == [5.0, 5.5, 6.0]
    assert control_values(widgets.Text("x")) is None
    assert control_values(widgets.FloatLogSlider()) is None


def _initialized(explorer) -> None:
    """What ipympl's view sends when the page shows the canvas."""
    explorer.canvas._handle_custom_msg({"type": "initialized"}, [])


def test_in_a_kernel_it_prepares_by_itself_once_the_page_shows_the_figure():
    async def main():
        ex = WeightedSumExplorer()
        ex.prepare_delay = 0.05
        try:
            frames, _draws = _watch(ex)
            await asyncio.sleep(0.2)
            assert not ex._prepared, "prepared with no page showing the figure"
            _initialized(ex)
            assert not ex.canvas.syncing_data_url  # ipympl heard from its view
            for _ in range(200):
                await asyncio.sleep(0.02)
                if not ex._prepare_moves():
                    break
            assert not ex._prepare_moves(), "the moves were not all prepared"
            assert frames == [], "preparing sent a frame"
            _frames, draws = _watch(ex)
            ex.set(sentence=next(v for name, v in _moves(ex) if name == "sentence"))
            assert draws[0] == 0
            # a move re-arms the timer; closing cancels it
            assert ex._prepare_handle is not None
            handle = ex._prepare_handle
            ex.close()
            assert handle.cancelled()
        finally:
            ex.close()

    asyncio.run(main())


def test_a_move_of_another_explorer_holds_the_preparation_back():
    async def main():
        ex, other = WeightedSumExplorer(), WeightedSumExplorer()
        ex.prepare_delay = 0.3
        try:
            _initialized(ex)
            for seed in range(6):  # the learner busy with another explorer's slider
                other.set(seed=seed)
                await asyncio.sleep(0.1)
            assert not ex._prepared, "prepared while the learner was moving a control"
            await asyncio.sleep(0.6)
            assert ex._prepared, "did not prepare once the learner paused"
        finally:
            ex.close()
            other.close()

    asyncio.run(main())


def test_without_an_event_loop_or_with_prepare_delay_none_nothing_runs_by_itself():
    ex = WeightedSumExplorer()
    try:
        _initialized(ex)
        ex.set(seed=3)
        assert ex._prepare_handle is None  # no running loop: only prepare() prepares
    finally:
        ex.close()

    async def main():
        ex = WeightedSumExplorer()
        ex.prepare_delay = None
        try:
            _initialized(ex)
            ex.set(seed=3)
            assert ex._prepare_handle is None
        finally:
            ex.close()

    asyncio.run(main())
