"""The same control values draw the same pixels, whatever came before, for the explorers of
lessons 00–05 (those of lessons 06–11 check it in their own test files, with views chosen for
them). Here the view far away is built from the controls themselves: every slider at its maximum,
every dropdown at its last option, every checkbox flipped, every text box a longer sentence."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest

from helpers import taggers
from helpers.explorers.attention import AttentionExplorer, HeatmapExplorer
from helpers.explorers.scores import ScoreToyExplorer
from helpers.explorers.softmax import SoftmaxExplorer
from helpers.explorers.vectors import AudioFramesExplorer, SentenceVectorsExplorer
from helpers.explorers.weighted_sum import WeightedSumExplorer
from helpers.explorers.windows import WindowExplorer
from tests.figure_checks import assert_history_free

LONGER = "the old man the boats while the young sail the sea ."


_RESULTS = taggers.window_sweep(
    [1, 3, 5], [1, 2, 3], n_train=20, n_test=20, rng=np.random.default_rng(0)
)


MAKERS = {
    "AttentionExplorer": AttentionExplorer,
    "HeatmapExplorer": lambda: HeatmapExplorer([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0], [2.0, 2.0, 1.0]],
                                               ["i", "saw", "it"]),  # fmt: skip
    "SentenceVectorsExplorer": SentenceVectorsExplorer,
    "AudioFramesExplorer": AudioFramesExplorer,
    "ScoreToyExplorer": ScoreToyExplorer,
    "SoftmaxExplorer": SoftmaxExplorer,
    "WeightedSumExplorer": WeightedSumExplorer,
    "WindowExplorer": lambda: WindowExplorer(_RESULTS),
}


def far_values(explorer) -> dict:
    """A view far from the defaults, read off the controls."""
    far = {}
    for name, control in explorer.controls.items():
        if isinstance(control, widgets.FloatLogSlider):
            far[name] = control.base**control.max
        elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            far[name] = control.max
        elif isinstance(control, (widgets.Dropdown, widgets.SelectionSlider,
                                  widgets.ToggleButtons, widgets.RadioButtons)):  # fmt: skip
            option = control.options[-1]
            far[name] = option[1] if isinstance(option, tuple) else option
        elif isinstance(control, widgets.Checkbox):
            far[name] = not control.value
        elif isinstance(control, widgets.Text):
            far[name] = LONGER
    return far


@pytest.mark.parametrize("name", list(MAKERS))
def test_the_same_values_draw_the_same_pixels_whatever_came_before(name):
    make = MAKERS[name]
    probe = make()
    try:
        defaults, far = probe.values, far_values(probe)
    finally:
        probe.close()
    # a sentence control's dependent options (the query) change with it: set the sentence first
    first = {k: v for k, v in far.items() if k == "sentence"}
    rest = {k: v for k, v in far.items() if k != "sentence"}
    assert_history_free(make, defaults, [first, {**first, **rest}] if first else [rest])
