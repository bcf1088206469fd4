"""Tests for helpers.plots: labelled heatmaps, line diagrams, masks and patch overlays."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from helpers import plots
from helpers.attention import softmax


def _axes():
    fig = Figure(figsize=(4, 3))
    return fig, fig.add_subplot()


def _alpha_prime(n, seed=0, heads=None):
    rng = np.random.default_rng(seed)
    shape = (n, n) if heads is None else (heads, n, n)
    return softmax(rng.standard_normal(shape) * 2)


def test_heatmap_labels_data_and_colorbar():
    A = _alpha_prime(4)
    tokens = ["I", "saw", "a", "saw"]
    fig, ax = _axes()
    view = plots.attention_heatmap(A, tokens, ax=ax)
    np.testing.assert_array_equal(view.image.get_array(), A)
    assert [t.get_text() for t in ax.get_xticklabels()] == tokens
    assert [t.get_text() for t in ax.get_yticklabels()] == tokens
    assert ax.get_ylabel() == "queries" and ax.get_xlabel() == "keys"
    assert view.colorbar is not None and view.image.get_cmap().name == "viridis"
    assert view.image.get_clim() == (0.0, 1.0)
    assert (
        len(view.texts) == 16 and view.texts[1].get_text() == f"{A[0, 1]:.2f}"
    )  # row-major: query 0, key 1


def test_heatmap_annotates_only_small_matrices_by_default():
    fig, ax = _axes()
    assert plots.attention_heatmap(_alpha_prime(12), ax=ax).texts == []
    fig, ax = _axes()
    assert len(plots.attention_heatmap(_alpha_prime(12), ax=ax, annotate=True).texts) == 144


def test_heatmap_update_in_place_returns_the_artists():
    fig, ax = _axes()
    view = plots.attention_heatmap(_alpha_prime(3), list("abc"), ax=ax, highlight_row=0)
    image_before = view.image
    B = _alpha_prime(3, seed=1)
    artists = view.update(B, highlight_row=2)
    assert view.image is image_before and view.image in artists and view.highlight in artists
    np.testing.assert_array_equal(view.image.get_array(), B)
    assert view.texts[8].get_text() == f"{B[2, 2]:.2f}"
    assert view.highlight.get_y() == pytest.approx(1.5)
    with pytest.raises(ValueError, match=r"shape \(3, 3\)"):
        view.update(np.ones((4, 4)))


def test_heatmap_rejects_bad_input_with_names_and_shapes():
    with pytest.raises(ValueError, match=r"alpha_prime.*shape \(3,\)"):
        plots.attention_heatmap(np.ones(3))
    with pytest.raises(ValueError, match=r"tokens.*3 labels; got 2"):
        plots.attention_heatmap(np.ones((3, 3)), ["a", "b"])


def test_heatmap_rectangular_with_key_tokens():
    fig, ax = _axes()
    view = plots.attention_heatmap(
        np.full((2, 3), 1 / 3), ["q1", "q2"], key_tokens=["k1", "k2", "k3"], ax=ax
    )
    assert [t.get_text() for t in ax.get_xticklabels()] == ["k1", "k2", "k3"]
    assert view.image.get_array().shape == (2, 3)


def test_heatmap_static_figure_without_axes():
    before = set(plt.get_fignums())
    view = plots.attention_heatmap(_alpha_prime(3), list("abc"))
    assert view.fig is view.ax.figure
    plt.close(view.fig)
    assert set(plt.get_fignums()) == before


def test_non_ascii_labels_draw_without_warnings():
    tokens = list("我看见一把锯") + ["café", "!"]
    fig, ax = _axes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        plots.attention_heatmap(_alpha_prime(8), tokens, ax=ax)
        fig.canvas.draw()
    assert plots.display_label("café") == "café"
    long = plots.display_label("x" * 340)  # a 340-character token cannot crowd a layout
    assert len(long) == plots.MAX_LABEL_CHARS and long.endswith("…")
    assert plots.display_label("x" * plots.MAX_LABEL_CHARS) == "x" * plots.MAX_LABEL_CHARS
    label = plots.display_label("我")
    assert label == "我" or label == "U+6211"


def test_token_lines_widths_and_opacity_follow_alpha_prime():
    A = _alpha_prime(4)
    fig, ax = _axes()
    view = plots.token_lines(A, list("abcd"), query=1, ax=ax, max_width=6.0)
    (coll,) = view.collections
    assert len(coll.get_segments()) == 16
    widths = np.asarray(coll.get_linewidths()).reshape(4, 4)
    np.testing.assert_allclose(widths[1], 6.0 * A[1])  # the query's lines: width ∝ α′
    assert np.all(widths[0] <= 6.0 * A[0] * 0.1 + 1e-12)  # other queries fade
    alphas = np.asarray(coll.get_colors())[:, 3].reshape(4, 4)
    assert np.argmax(alphas[1]) == np.argmax(A[1])
    seg = coll.get_segments()[1 * 4 + 2]  # query 1 → key 2: left y = -1, right y = -2
    np.testing.assert_allclose(seg, [[0, -1], [1, -2]])
    view.update(A, query=3)
    assert view.highlight.get_y() == pytest.approx(-3.42)
    np.testing.assert_allclose(np.asarray(coll.get_linewidths()).reshape(4, 4)[3], 6.0 * A[3])


def test_token_lines_one_colour_per_head():
    A = _alpha_prime(5, heads=3)
    fig, ax = _axes()
    view = plots.token_lines(A, list("abcde"), query=None, ax=ax)
    assert len(view.collections) == 3
    colours = {tuple(np.round(c.get_colors()[0, :3], 3)) for c in view.collections}
    assert len(colours) == 3
    with pytest.raises(ValueError, match="query"):
        plots.token_lines(A, list("abcde"), query=5, ax=ax)
    with pytest.raises(ValueError, match=r"alpha_prime.*\(2, 3\)"):
        plots.token_lines(np.ones((2, 3)), list("ab"), ax=ax)


def test_mask_plot():
    from helpers.attention import band_mask

    M = band_mask(5, 1)
    fig, ax = _axes()
    view = plots.mask_plot(M, list("abcde"), ax=ax)
    np.testing.assert_array_equal(view.image.get_array(), M.astype(float))
    view.update(band_mask(5, 2).astype(float))
    np.testing.assert_array_equal(view.image.get_array(), band_mask(5, 2))
    with pytest.raises(ValueError, match="boolean"):
        plots.mask_plot(np.ones((3, 3)))


def test_patch_overlay_grid_overlay_and_highlight():
    img = np.random.default_rng(0).random((32, 48, 3))
    fig, ax = _axes()
    view = plots.patch_overlay(img, 16, selected=None, ax=ax)
    assert view.grid_shape == (2, 3)
    assert len(view.grid.get_segments()) == (3 + 1) + (2 + 1)
    assert not view.overlay.get_visible() and not view.highlight.get_visible()
    w = np.arange(6.0) / 5
    artists = view.update(w, selected=4)  # row 1, column 1
    assert view.overlay in artists and view.overlay.get_visible()
    np.testing.assert_array_equal(view.overlay.get_array(), w.reshape(2, 3))
    assert view.highlight.get_xy() == (15.5, 15.5) and view.highlight.get_visible()
    with pytest.raises(ValueError, match="one value per patch"):
        view.update(np.ones(5))
    with pytest.raises(ValueError, match="patch_size"):
        plots.patch_overlay(img, 0)
    with pytest.raises(ValueError, match="larger than the image"):
        plots.patch_overlay(img, 64)
    with pytest.raises(ValueError, match=r"image.*\(4, 4, 2\)"):
        plots.patch_overlay(np.ones((4, 4, 2)), 2)


@given(st.floats(min_value=1e-6, max_value=1e6, allow_nan=False))
def test_nice_limit_bounds(x):
    lim = plots.nice_limit(x)
    assert x <= lim * (1 + 1e-9)
    assert lim <= 2.0 * x * (1 + 1e-9)
    assert plots.nice_limit(-x) == lim


def test_nice_limit_degenerate():
    assert plots.nice_limit(0) == 1.0
    with pytest.raises(ValueError, match="x must be a finite number"):
        plots.nice_limit(np.inf)
    assert (
        plots.nice_limit(0.3) == 0.5 and plots.nice_limit(2.2) == 2.5 and plots.nice_limit(7) == 10
    )
