"""helpers.explorers.patches: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.explorers.patches import PatchExplorer, ReceptiveFieldExplorer
from helpers.images import load_sample_image, patchify
from tests.sweep import sweep_explorer


@pytest.fixture(scope="module")
def patches():
    return PatchExplorer()


def test_patch_state_regrids(patches):
    for p in (4, 12, 48):
        state = patches.compute(patch=p, pick_x=50, pick_y=10, temperature=0.1)
        rows, cols = state["grid"]
        assert (rows, cols) == (96 // p, 96 // p)
        assert state["sequence"].shape == (rows * cols, p * p, 3)
        assert state["query"] == (10 // p) * cols + 50 // p
        np.testing.assert_allclose(state["weights"].sum(), 1.0)
        assert state["heat"].shape == (96, 96)
        assert 0 < state["vmax"] <= state["weights"].max()


def test_patch_sequence_rows_are_the_patches(patches):
    state = patches.compute(patch=16, pick_x=0, pick_y=0, temperature=0.1)
    np.testing.assert_array_equal(
        state["sequence"].reshape(36, -1), patchify(load_sample_image(96), 16)
    )


def test_patch_temperature_sharpens(patches):
    sharp = patches.compute(patch=12, pick_x=40, pick_y=36, temperature=0.02)["weights"]
    flat = patches.compute(patch=12, pick_x=40, pick_y=36, temperature=0.5)["weights"]
    assert sharp.max() > flat.max()


def test_patch_explorer_sweep():
    report = sweep_explorer(PatchExplorer(), steps=3)
    assert all(r["changed"] for r in report.values())


def test_receptive_field_state():
    e = ReceptiveFieldExplorer()
    state = e.compute(kernel=3, pixel=14)
    assert state["field"].sum() == 9 and state["mask"].shape == (36, 36)
    assert e.compute(kernel=11, pixel=0)["mask"].all()


def test_receptive_field_explorer_sweep():
    sweep_explorer(ReceptiveFieldExplorer(), steps=3)
