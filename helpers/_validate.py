"""Every lesson (behind the scenes): input checks for the public functions of `helpers`: a
learner gets a ValueError that names the
argument, the shape it got and the shape it needs, never a bare numpy traceback."""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(name: str, value, ndim: int, expected: str) -> np.ndarray:
    """Return `value` as a float ndarray of rank `ndim`; `expected` describes the shape, e.g.
    "(n, d_in)"."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(
            f"{name} must be a numeric array of shape {expected}; could not read it ({exc})"
        ) from None
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)
    ):
        raise ValueError(
            f"{name} must hold real numbers (float or int), shape {expected}; got dtype {arr.dtype}"
        )
    if arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array of shape {expected}; got shape {arr.shape}"
        )
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} contains {bad}; every entry must be finite (shape {arr.shape})")
    return arr


def check_rows(name: str, arr: np.ndarray, rows: int, rows_name: str, expected: str) -> None:
    if arr.shape[0] != rows:
        raise ValueError(
            f"{name} must have shape {expected} with {rows_name} = {rows}; got shape {arr.shape}"
        )


def check_nonempty(name: str, arr: np.ndarray, expected: str) -> None:
    if 0 in arr.shape:
        raise ValueError(
            f"{name} must not be empty: it needs shape {expected} with every size ≥ 1; got shape "
            f"{arr.shape}"
        )


def check_int(name: str, value, *, minimum: int) -> int:
    """A plain integer ≥ minimum (bools are refused: `True` is not a size)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{name} must be an integer ≥ {minimum}; got {value!r} of type {type(value).__name__}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}; got {value}")
    return int(value)


def check_mask(mask, n_queries: int, n_keys: int, name: str = "mask") -> np.ndarray:
    """A boolean (n_queries, n_keys) array, True where a query may attend to a key, with ≥ 1 True
    per row."""
    expected = f"({n_queries}, {n_keys})"
    arr = np.asarray(mask)
    if arr.dtype != bool:
        raise ValueError(
            f"{name} must be a boolean array of shape {expected} (True where a query may attend to "
            f"a key); got dtype {arr.dtype}"
        )
    if arr.shape != (n_queries, n_keys):
        raise ValueError(
            f"{name} must have shape {expected} (queries × keys); got shape {arr.shape}"
        )
    empty = np.flatnonzero(~arr.any(axis=1))
    if empty.size:
        raise ValueError(
            f"{name} allows no key for query row(s) {empty[:10].tolist()}; every row needs at "
            "least one True "
            "(a query that may look at nothing has no defined softmax)"
        )
    return arr


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """float32 stays float32, anything wider (or int) computes in float64."""
    return np.result_type(*arrays, np.float32)
