"""The explorer benchmark moves every control as a learner does: every move a change."""

import ipywidgets as widgets
import pytest

from benchmarks.explorers import move_values


@pytest.mark.parametrize(
    "control",
    [
        widgets.Dropdown(options=[("a", 0), ("b", 1)], value=1),
        widgets.ToggleButtons(options=["x", "y", "z"], value="y"),
        widgets.Checkbox(value=False),
        widgets.IntSlider(value=3, min=0, max=10),
        widgets.FloatSlider(value=9.5, min=0.0, max=10.0, step=0.5),
        widgets.SelectionSlider(options=[1, 2, 4, 8], value=2),
    ],
    ids=lambda c: type(c).__name__,
)
def test_every_move_changes_the_value_and_the_last_returns_to_the_start(control):
    start = control.value
    values = move_values(control)
    assert len(values) >= 2
    previous = [start] + values[:-1]
    assert all(v != p for v, p in zip(values, previous, strict=True)), values
    assert values[-1] == start
