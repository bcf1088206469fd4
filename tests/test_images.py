"""helpers.images: pixels as vectors, patchify/unpatchify, CNN receptive-field masks, patch
attention."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.images import (
    attention_to_pixels,
    image_to_vectors,
    lecture_image,
    load_sample_image,
    patch_grid,
    patch_similarity_attention,
    patch_sizes,
    patchify,
    receptive_field_mask,
    unpatchify,
)
from helpers.plots import plot_image_vectors


def test_the_lectures_image_is_50_vectors_of_size_3():
    img = lecture_image(rng=np.random.default_rng(0))
    assert img.shape == (5, 10, 3)
    X = image_to_vectors(img)
    assert X.shape == (50, 3)
    # reading order, counted as the lecture does: a¹³ is row 2, column 3, i.e. X[12] = img[1, 2]
    np.testing.assert_array_equal(X[12], img[1, 2])
    np.testing.assert_array_equal(X[0], img[0, 0])  # a¹ is X[0], the top-left pixel


@pytest.mark.parametrize("rng", [0, 7, None, "0", np.random.RandomState(0)])
def test_lecture_image_wants_a_generator_and_says_so(rng):
    with pytest.raises(ValueError, match=r"rng must be a numpy Generator.*default_rng"):
        lecture_image(rng=rng)


def test_lecture_image_names_the_seed_it_was_given():
    with pytest.raises(ValueError, match=r"pass rng=np\.random\.default_rng\(0\)"):
        lecture_image(rng=0)
    with pytest.raises(ValueError, match="Generator"):
        lecture_image()


def test_sample_image_is_small_and_in_range():
    img = load_sample_image(96)
    assert img.shape == (96, 96, 3)
    assert 0 <= img.min() and img.max() <= 1 and img.std() > 0.1
    with pytest.raises(ValueError, match="size must divide 480"):
        load_sample_image(100)


def test_patchify_matches_a_hand_loop():
    rng = np.random.default_rng(0)
    img = rng.random((6, 9, 3))
    p = 3
    want = []
    for r in range(0, 6, p):
        for c in range(0, 9, p):
            want.append(img[r : r + p, c : c + p].reshape(-1))
    np.testing.assert_array_equal(patchify(img, p), np.array(want))


@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 5),
    st.sampled_from([1, 3]),
    st.integers(0, 1000),
)
def test_unpatchify_inverts_patchify(rows, cols, p, C, seed):
    img = np.random.default_rng(seed).random((rows * p, cols * p, C))
    patches = patchify(img, p)
    assert patches.shape == (rows * cols, p * p * C)
    np.testing.assert_array_equal(unpatchify(patches, img.shape, p), img)


def test_patch_of_one_pixel_is_the_pixel_vectors():
    img = np.random.default_rng(1).random((4, 5, 3))
    np.testing.assert_array_equal(patchify(img, 1), image_to_vectors(img))


def test_patchify_refuses_a_patch_that_does_not_divide():
    with pytest.raises(ValueError, match="must divide"):
        patchify(np.zeros((6, 8, 3)), 4)
    with pytest.raises(ValueError, match=r"image must be a 3-D array"):
        patchify(np.zeros((6, 8)), 2)
    with pytest.raises(ValueError, match="shape"):
        unpatchify(np.zeros((3, 12)), (4, 4, 3), 2)


@pytest.mark.parametrize("shape, patch", [((5, 4, 3), 2), ((4, 6, 3), 4), ((7, 7, 1), 2)])
def test_unpatchify_refuses_a_shape_the_patch_does_not_divide(shape, patch):
    with pytest.raises(ValueError, match=rf"patch = {patch} must divide the image's height"):
        unpatchify(np.zeros((4, patch * patch * shape[2])), shape, patch)


@pytest.mark.parametrize("shape", [(4, 4), None, 16, (4.0, 4, 3), (-4, 4, 3), (4, 4, 0), "443"])
def test_unpatchify_refuses_a_malformed_shape(shape):
    with pytest.raises(ValueError, match=r"shape must be an image shape \(H, W, C\)"):
        unpatchify(np.zeros((4, 12)), shape, 2)


@pytest.mark.parametrize("shape", [None, (4,), (4.5, 4), 12])
def test_patch_grid_and_sizes_refuse_a_malformed_shape(shape):
    with pytest.raises(ValueError, match="shape must be an image shape"):
        patch_grid(shape, 2)
    with pytest.raises(ValueError, match="shape must be an image shape"):
        patch_sizes(shape)


def test_patch_grid_and_sizes():
    assert patch_grid((96, 96, 3), 16) == (6, 6)
    assert patch_sizes((12, 12)) == [2, 3, 4, 6]


def test_receptive_field_mask_3x3():
    m = receptive_field_mask(4, 5, 3)
    assert m.shape == (20, 20) and m.dtype == bool
    field = m[1 * 5 + 1].reshape(4, 5)  # pixel (1, 1)
    want = np.zeros((4, 5), dtype=bool)
    want[0:3, 0:3] = True
    np.testing.assert_array_equal(field, want)
    corner = m[0].reshape(4, 5)
    assert corner.sum() == 4  # the window is cut at the border


@given(st.integers(1, 6), st.integers(1, 6), st.sampled_from([1, 3, 5]))
def test_receptive_field_is_symmetric_and_covers_the_diagonal(rows, cols, k):
    m = receptive_field_mask(rows, cols, k)
    np.testing.assert_array_equal(m, m.T)
    assert m.diagonal().all()
    if k == 1:
        np.testing.assert_array_equal(m, np.eye(rows * cols, dtype=bool))


def test_receptive_field_as_big_as_the_image_is_full_attention():
    assert receptive_field_mask(3, 4, 7).all()


def test_receptive_field_refuses_even_kernels():
    with pytest.raises(ValueError, match="odd"):
        receptive_field_mask(3, 3, 2)


@given(st.integers(2, 20), st.integers(1, 12), st.integers(0, 1000))
def test_patch_attention_rows_sum_to_one_and_favour_itself(n, d, seed):
    X = np.random.default_rng(seed).random((n, d))
    A = patch_similarity_attention(X, temperature=0.1)
    assert A.shape == (n, n)
    np.testing.assert_allclose(A.sum(axis=1), 1, atol=1e-9)
    distinct = np.linalg.norm(X - X.mean(axis=0), axis=1) > 1e-9
    for i in np.flatnonzero(distinct):
        assert A[i, i] >= A[i].max() - 1e-12


def test_patch_attention_prefers_the_similar_patch():
    X = np.array([[1.0, 0, 0], [0.9, 0.1, 0], [0, 0, 1.0], [0, 1.0, 0]])
    A = patch_similarity_attention(X, temperature=0.1)
    assert A[0, 1] > A[0, 2] and A[0, 1] > A[0, 3]
    with pytest.raises(ValueError, match="temperature"):
        patch_similarity_attention(X, temperature=0)


@pytest.mark.parametrize("temperature", ["a", None, True, float("nan"), float("inf"), -1, 1e-310])
def test_patch_attention_refuses_a_bad_temperature(temperature):
    X = np.random.default_rng(0).random((4, 3))
    with pytest.raises(ValueError, match="temperature"):
        patch_similarity_attention(X, temperature=temperature)


# ---- plots.plot_image_vectors: what an image may hold --------------------------------------------
def _drawn_image(fig):
    return np.asarray(fig.axes[0].images[0].get_array())


def test_plot_image_vectors_reads_uint8_as_0_to_255():
    import matplotlib.pyplot as plt

    img = np.random.default_rng(0).integers(0, 256, size=(5, 10, 3)).astype(np.uint8)
    fig = plot_image_vectors(img)
    try:
        drawn = _drawn_image(fig)
        np.testing.assert_allclose(drawn, img / 255.0)  # the colours, not clipped to white
        assert drawn.max() <= 1 and drawn.std() > 0.1
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    "image, match",
    [
        (np.full((5, 10, 3), 200.0), r"values must lie in \[0, 1\].*divide by 255"),
        (np.full((5, 10, 3), -0.5), r"must lie in \[0, 1\]"),
        (np.full((5, 10, 3), 200, dtype=np.int64), "uint8"),
        (np.full((5, 10, 3), np.nan), "NaN"),
        (np.zeros((5, 10, 3), dtype=bool), "dtype bool"),
        (np.zeros((5, 10)), r"shape \(H, W, 3\)"),
        (np.zeros((0, 10, 3)), r"shape \(H, W, 3\)"),
        (None, r"shape \(H, W, 3\)"),
        ("abc", r"shape \(H, W, 3\)"),
        ([[[0, 0, 0]], [[0, 0]]], "could not read it"),
    ],
)
def test_plot_image_vectors_refuses_what_it_would_clip(image, match):
    with pytest.raises(ValueError, match=match):
        plot_image_vectors(image)


def test_attention_to_pixels_paints_each_patch():
    heat = attention_to_pixels(np.array([0.1, 0.2, 0.3, 0.4]), (4, 4, 3), 2)
    assert heat.shape == (4, 4)
    assert heat[0, 0] == heat[1, 1] == 0.1 and heat[3, 3] == 0.4 and heat[0, 3] == 0.2
    with pytest.raises(ValueError, match="n_patches"):
        attention_to_pixels(np.ones(3), (4, 4, 3), 2)
