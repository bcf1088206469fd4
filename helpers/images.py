"""Lesson 09: an image is a set of vectors. Pixels, patches (as in ViT), and a CNN as attention
with a small fixed receptive field.

Conventions: images are (H, W, C) arrays (rows, columns, channels), values in [0, 1]. A sequence of
vectors has one vector per row, in reading order: left to right, then top to bottom. Code indexes
from 0: the lecture's a¹ (the top-left pixel, or patch 1) is row 0.
"""

from __future__ import annotations

import math
import numbers

import matplotlib.cbook
import matplotlib.image
import numpy as np

from ._validate import as_float_array, check_int, check_nonempty, check_rng
from .attention import softmax

__all__ = [
    "lecture_image",
    "image_to_vectors",
    "load_sample_image",
    "patchify",
    "unpatchify",
    "patch_grid",
    "patch_sizes",
    "receptive_field_mask",
    "patch_similarity_attention",
    "attention_to_pixels",
]


def _image(name: str, image) -> np.ndarray:
    img = as_float_array(name, image, 3, "(H, W, C)")
    if 0 in img.shape:
        raise ValueError(
            f"{name} must not be empty: it needs shape (H, W, C) with every size ≥ 1; got shape "
            f"{img.shape}"
        )
    return img


def lecture_image(*, rng: np.random.Generator | None = None) -> np.ndarray:
    """The lecture's example: a 5 × 10 RGB image, shape (5, 10, 3), random colours in [0, 1].

    rng is a numpy Generator (`np.random.default_rng(0)`), not a seed: the notebook passes its one
    `rng` along, so every random draw in it comes from one seeded stream."""
    rng = check_rng("rng", rng)
    return rng.random((5, 10, 3))


def image_to_vectors(image) -> np.ndarray:
    """(H, W, C) → (H·W, C): every pixel one vector aⁱ, in reading order (row by row)."""
    img = _image("image", image)
    H, W, C = img.shape
    return img.reshape(H * W, C)


def load_sample_image(size: int = 96) -> np.ndarray:
    """matplotlib's bundled photo of Grace Hopper, cropped square and shrunk to (size, size,
    3) floats in [0, 1].

    The photo is 512 × 600 (W × H); the top 480 × 480 of its central columns holds the face, which
    is averaged down in blocks (480 must be a multiple of `size`).
    """
    size = check_int("size", size, minimum=1)
    if 480 % size:
        divisors = [d for d in range(8, 481) if 480 % d == 0]
        raise ValueError(
            f"size must divide 480 (the crop is averaged in whole blocks); got {size}; try one of "
            f"{divisors}"
        )
    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
        photo = matplotlib.image.imread(f, format="jpg")  # (600, 512, 3) uint8
    crop = photo[:480, 16:496].astype(np.float64) / 255.0  # (480, 480, 3)
    k = 480 // size
    return crop.reshape(size, k, size, k, 3).mean(axis=(1, 3))  # (size, size, 3)


def _image_shape(shape, name: str = "shape", *, ndim: tuple[int, ...] = (2, 3)) -> tuple:
    """`shape` as a tuple of whole numbers ≥ 1 with ndim entries (H, W) or (H, W, C)."""
    wanted = " or ".join({2: "(H, W)", 3: "(H, W, C)"}[k] for k in ndim)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(
            f"{name} must be an image shape {wanted} of whole numbers ≥ 1; got {shape!r:.60}"
        ) from None
    if len(dims) not in ndim or not all(
        isinstance(k, numbers.Integral) and not isinstance(k, (bool, np.bool_)) and k >= 1
        for k in dims
    ):
        raise ValueError(
            f"{name} must be an image shape {wanted} of whole numbers ≥ 1, e.g. (96, 96, 3); got "
            f"{shape!r:.60}"
        )
    return tuple(int(k) for k in dims)


def patch_grid(shape, patch: int) -> tuple[int, int]:
    """(rows, cols) of whole patches of side `patch` in an image of shape (H, W, …)."""
    patch = check_int("patch", patch, minimum=1)
    H, W = _image_shape(shape)[:2]
    if H % patch or W % patch:
        raise ValueError(
            f"patch = {patch} must divide the image's height {H} and width {W}; got remainders "
            f"{H % patch} and {W % patch}"
        )
    return H // patch, W // patch


def patch_sizes(shape, minimum: int = 2) -> list[int]:
    """Patch sides that cut an image of shape (H, W, …) into whole patches, at least 2 × 2 of
    them."""
    H, W = _image_shape(shape)[:2]
    minimum = check_int("minimum", minimum, minimum=1)
    return [p for p in range(minimum, min(H, W) // 2 + 1) if H % p == 0 and W % p == 0]


def patchify(image, patch: int) -> np.ndarray:
    """Cut an image into patch × patch squares, as ViT does: (H, W, C) → (n_patches, patch·patch·C).

    Patches are numbered in reading order (row of patches by row, left to right); each patch is
    flattened in the order (row in patch, column in patch, channel), i.e. the patch's own pixels
    read like a little image.
    """
    img = _image("image", image)
    rows, cols = patch_grid(img.shape, patch)
    C = img.shape[2]
    blocks = img.reshape(rows, patch, cols, patch, C).transpose(
        0, 2, 1, 3, 4
    )  # (rows, cols, p, p, C)
    return blocks.reshape(rows * cols, patch * patch * C)


def unpatchify(patches, shape, patch: int) -> np.ndarray:
    """The inverse of `patchify`: (n_patches, patch·patch·C) → image of `shape` (H, W, C).

    `patch` must divide H and W, as it did when the image was cut (ValueError otherwise)."""
    H, W, C = _image_shape(shape, ndim=(3,))
    rows, cols = patch_grid((H, W, C), patch)
    patches = as_float_array(
        "patches", patches, 2, f"(n_patches, patch·patch·C) = ({rows * cols}, {patch * patch * C})"
    )
    if patches.shape != (rows * cols, patch * patch * C):
        raise ValueError(
            f"patches must have shape (n_patches, patch·patch·C) = ({rows * cols}, "
            f"{patch * patch * C}); got {patches.shape}"
        )
    return patches.reshape(rows, cols, patch, patch, C).transpose(0, 2, 1, 3, 4).reshape(H, W, C)


def receptive_field_mask(rows: int, cols: int, kernel: int) -> np.ndarray:
    """A CNN layer as an attention mask: bool (rows·cols, rows·cols), True where pixel j is
    inside the
    kernel × kernel window centred on pixel i (pixels in reading order). `kernel` must be odd."""
    rows = check_int("rows", rows, minimum=1)
    cols = check_int("cols", cols, minimum=1)
    kernel = check_int("kernel", kernel, minimum=1)
    if kernel % 2 == 0:
        raise ValueError(
            f"kernel must be odd so the window is centred on the pixel (1, 3, 5, …); got {kernel}"
        )
    r, c = np.divmod(np.arange(rows * cols), cols)
    half = kernel // 2
    return (np.abs(r[:, None] - r[None, :]) <= half) & (np.abs(c[:, None] - c[None, :]) <= half)


def patch_similarity_attention(patches, *, temperature: float = 0.1) -> np.ndarray:
    """α′ between patches with no learned weights: W_q = W_k = I on the centred, unit-length
    patch vectors.

    patches (n, d) → α′ (n, n) = softmax(cos(xⁱ − x̄, xʲ − x̄) / temperature) row by row: a patch
    attends to the patches whose pixels look most like its own (position plays no part).
    """
    X = as_float_array("patches", patches, 2, "(n_patches, d)")
    check_nonempty("patches", X, "(n_patches, d)")
    if (
        isinstance(temperature, (bool, np.bool_))
        or not isinstance(temperature, numbers.Real)
        or not math.isfinite(temperature)
        or temperature <= 0
    ):
        raise ValueError(f"temperature must be a finite number > 0; got {temperature!r}")
    X = X - X.mean(axis=0)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    X = X / np.where(norms == 0, 1.0, norms)
    with np.errstate(over="ignore", invalid="ignore"):
        scores = X @ X.T / temperature  # (n, n): cosines in [−1, 1], divided by the temperature
    if not np.all(np.isfinite(scores)):
        raise ValueError(
            f"temperature = {temperature!r} is so small that cos / temperature overflows; use a "
            "larger temperature (0.1 is the lesson's)"
        )
    return softmax(scores)  # (n, n): queries × keys


def attention_to_pixels(weights, shape, patch: int) -> np.ndarray:
    """One query's α′ over the patches, (n_patches,) → (H, W): each patch's weight painted on its
    pixels."""
    rows, cols = patch_grid(shape, patch)
    w = as_float_array("weights", weights, 1, f"(n_patches,) = ({rows * cols},)")
    if w.shape[0] != rows * cols:
        raise ValueError(f"weights must have shape (n_patches,) = ({rows * cols},); got {w.shape}")
    return np.kron(w.reshape(rows, cols), np.ones((patch, patch)))
