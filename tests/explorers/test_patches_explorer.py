"""helpers.explorers.patches: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.explorers.patches import PatchExplorer, ReceptiveFieldExplorer
from helpers.images import load_sample_image, patchify
from tests.figure_checks import assert_history_free
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
    # pick x / pick y have one stop per pixel (96): the ends and a few between are enough
    picks = [0, 95, 30, 60]
    report = sweep_explorer(PatchExplorer(), steps=3, values={"pick_x": picks, "pick_y": picks})
    assert all(r["changed"] for r in report.values())


def test_patch_explorer_counts_patches_and_pixels_from_one(patches):
    assert patches.controls["pick_x"].options[0] == ("1", 0)
    assert patches.controls["pick_y"].options[-1] == ("96", 95)
    state = patches.compute(patch=12, pick_x=40, pick_y=36, temperature=0.1)
    assert state["query"] == 27 and "patch 28 (row 4, col. 4)" in state["pick_title"]


@pytest.mark.parametrize(
    "a, b",
    [
        (dict(patch=12, pick_x=40, pick_y=36), dict(patch=4, pick_x=0, pick_y=95)),
        (dict(patch=48, pick_x=90, pick_y=5), dict(patch=6, pick_x=10, pick_y=10)),
        (dict(temperature=0.1), dict(temperature=0.5, patch=32)),
    ],
)
def test_patch_explorer_same_values_same_pixels_whatever_came_before(a, b):
    assert_history_free(PatchExplorer, a, b)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(patch=5), r"patch must be one of \[4, 6, 8"),
        (dict(patch=True), "patch must be one of"),
        (dict(pick_x=-1), "pick_x"),
        (dict(pick_y=96), r"pick_y must be a pixel row 0 … 95"),
        (dict(temperature=float("nan")), "temperature"),
        (dict(temperature=0), r"temperature must be a number in \[0.02, 0.5\]"),
        (dict(temperature="hot"), "temperature"),
        (dict(size=100), "size must divide 480"),
        (dict(size=10), "no patch grid"),
    ],
)
def test_patch_explorer_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PatchExplorer(**kwargs)


def test_patch_explorer_refuses_a_nan_temperature_set_from_code(patches):
    with pytest.raises(ValueError, match="temperature"):
        patches.set(temperature=float("nan"))
    patches.set(temperature=0.1)


def test_receptive_field_state():
    e = ReceptiveFieldExplorer()
    state = e.compute(kernel=3, pixel=14)
    assert state["field"].sum() == 9 and state["mask"].shape == (36, 36)
    assert e.compute(kernel=11, pixel=0)["mask"].all()


def test_receptive_field_explorer_sweep():
    report = sweep_explorer(ReceptiveFieldExplorer(), steps=3)
    assert report["kernel"]["changed"] and report["pixel"]["changed"]


def test_receptive_field_counts_pixels_from_one():
    e = ReceptiveFieldExplorer()
    assert e.controls["pixel"].options[14] == ("15", 14)
    assert "pixel 15 sees 9 of 36 pixels" in e.compute(kernel=3, pixel=14)["text"]


def test_receptive_field_explorer_same_values_same_pixels_whatever_came_before():
    assert_history_free(ReceptiveFieldExplorer, dict(kernel=3, pixel=14), dict(kernel=11, pixel=0))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(kernel=4), r"kernel must be one of \[1, 3, 5"),
        (dict(pixel=36), r"pixel must be a pixel 0 … 35 \(pixel 1 is 0\)"),
        (dict(pixel=-1), "pixel"),
        (dict(rows=0), "rows"),
        (dict(cols=17), "rows and cols must be 1 … 16"),
        (dict(rows=2.5), "rows"),
    ],
)
def test_receptive_field_explorer_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReceptiveFieldExplorer(**kwargs)
