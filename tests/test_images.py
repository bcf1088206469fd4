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


def test_the_lectures_image_is_50_vectors_of_size_3():
    img = lecture_image(rng=np.random.default_rng(0))
    assert img.shape == (5, 10, 3)
    X = image_to_vectors(img)
    assert X.shape == (50, 3)
    np.testing.assert_array_equal(X[12], img[1, 2])  # reading order: row 1, column 2 → 1·10 + 2


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


def test_attention_to_pixels_paints_each_patch():
    heat = attention_to_pixels(np.array([0.1, 0.2, 0.3, 0.4]), (4, 4, 3), 2)
    assert heat.shape == (4, 4)
    assert heat[0, 0] == heat[1, 1] == 0.1 and heat[3, 3] == 0.4 and heat[0, 3] == 0.2
    with pytest.raises(ValueError, match="n_patches"):
        attention_to_pixels(np.ones(3), (4, 4, 3), 2)
