"""Every lesson (behind the scenes): input checks for the public functions of `helpers`: a
learner gets a ValueError that names the
argument, the shape it got and the shape it needs, never a bare numpy traceback."""

from __future__ import annotations

import contextlib
import math
import numbers

import numpy as np

from .language import _


def as_float_array(
    name: str, value, ndim: int | None, expected: str, *, allow_neg_inf: bool = False
) -> np.ndarray:
    """Return `value` as a float ndarray of rank `ndim` (None: any rank ≥ 1); `expected` describes
    the shape, e.g. "(n, d_in)". Entries must be finite (-inf too, with `allow_neg_inf`: a masked
    score)."""
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(
            f"{name} must hold real numbers (an array of shape {expected}); got {shown(value)}"
        )
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
    if arr.ndim == 0 and ndim != 0:
        raise ValueError(f"{name} must be an array of shape {expected}; got a scalar, shape ()")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D array of shape {expected}; got shape {arr.shape}"
        )
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    finite = np.isfinite(arr) | (np.isneginf(arr) if allow_neg_inf else False)
    if not np.all(finite):
        bad = "NaN" if np.isnan(arr).any() else ("+inf" if allow_neg_inf else "inf")
        masked = " (-inf marks a masked entry)" if allow_neg_inf else ""
        raise ValueError(
            f"{name} contains {bad}; every entry must be finite{masked} (shape {arr.shape})"
        )
    return arr


def as_bool_array(name: str, value) -> np.ndarray:
    """np.asarray(value), with a ValueError naming `name` when it cannot be read as an array (the
    caller checks dtype and shape)."""
    try:
        return np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(
            f"{name} must be a boolean array (True where a query may attend to a key); could not "
            f"read it ({exc})"
        ) from None


def check_axis(name: str, axis, ndim: int) -> int:
    """An axis of an array of rank `ndim`: an integer −ndim … ndim − 1."""
    if not _is_int(axis) or not -ndim <= axis < ndim:
        raise ValueError(
            _("{name} must be an integer axis {lo}…{hi} (the array has {ndim} axes); got "
              "{value}").format(name=name, lo=-ndim, hi=ndim - 1, ndim=ndim, value=shown(axis))
        )  # fmt: skip
    return int(axis)


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


def shown(value) -> str:
    """A value as an error message shows it: its repr (cut at 60 characters) and its type."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "…"
    return f"{text} ({type(value).__name__})"


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def check_int(name: str, value, *, minimum: int, maximum: int | None = None) -> int:
    """A plain integer in minimum…maximum (bools are refused: `True` is not a size)."""
    if not _is_int(value) or value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            want = _("an integer ≥ {minimum}").format(minimum=minimum)
        else:
            want = _("an integer {minimum}…{maximum}").format(minimum=minimum, maximum=maximum)
        raise ValueError(
            _("{name} must be {want}; got {value}").format(name=name, want=want, value=shown(value))
        )
    return int(value)


def check_int_list(name: str, values, *, minimum: int) -> list[int]:
    """A non-empty list (tuple, range, 1-D array) of integers ≥ minimum."""
    if isinstance(values, np.ndarray) and values.ndim == 1:
        values = values.tolist()
    if not isinstance(values, (list, tuple, range)) or len(values) == 0:
        raise ValueError(
            _("{name} must be a non-empty list of integers ≥ {minimum}; got {value}").format(
                name=name, minimum=minimum, value=shown(values)
            )
        )
    return [check_int(f"{name}[{k}]", v, minimum=minimum) for k, v in enumerate(values)]


def check_float(
    name: str, value, *, minimum: float | None = None, maximum: float | None = None,
    above: float | None = None,
) -> float:  # fmt: skip
    """A finite real number (not a bool), ≥ minimum, ≤ maximum and > above where given."""
    ok = (
        isinstance(value, numbers.Real)
        and not isinstance(value, (bool, np.bool_))
        and math.isfinite(value)
        and (minimum is None or value >= minimum)
        and (maximum is None or value <= maximum)
        and (above is None or value > above)
    )
    if not ok:
        parts = [f"> {above:g}"] if above is not None else []
        parts += [f"≥ {minimum:g}"] if minimum is not None else []
        parts += [f"≤ {maximum:g}"] if maximum is not None else []
        want = _("a finite number") + (" " + ", ".join(parts) if parts else "")
        raise ValueError(
            _("{name} must be {want}; got {value}").format(name=name, want=want, value=shown(value))
        )
    return float(value)


def check_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(
            _("{name} must be True or False; got {value}").format(name=name, value=shown(value))
        )
    return bool(value)


def check_choice(name: str, value, options) -> object:
    """One of `options` (compared with ==, never by truthiness)."""
    options = list(options)
    try:
        ok = any(type(value) is type(option) and value == option for option in options)
    except Exception:  # an array compared with a string, and the like
        ok = False
    if not ok:
        raise ValueError(
            _("{name} must be one of {options}; got {value}").format(
                name=name, options=options, value=shown(value)
            )
        )
    return value


def check_text(name: str, value) -> str:
    if not isinstance(value, str):
        raise ValueError(
            _("{name} must be a str (text); got {value}").format(name=name, value=shown(value))
        )
    return value


def check_words(name: str, value, *, allow_empty: bool = False) -> list[str]:
    """A list (or tuple) of non-empty strings: one per token. A bare str is refused, since it
    would be read one character at a time."""
    if isinstance(value, str):
        raise ValueError(
            _(
                "{name} must be a list of tokens, e.g. ['i', 'saw', 'a', 'saw', '.'] (or "
                "helpers.data.tokenize(text)); got the str {text!r}, which would be read one "
                "letter at a time"
            ).format(name=name, text=value[:40])
        )
    want = _("{name} must be a list of str (e.g. tokenize('I saw a saw'))").format(name=name)
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError(
                _("{want}; got an array of shape {shape}").format(want=want, shape=value.shape)
            )
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise ValueError(
            _("{want}; got {kind} {value}").format(
                want=want, kind=type(value).__name__, value=f"{value!r:.40}"
            )
        )
    for word in value:
        if not isinstance(word, str):
            raise ValueError(
                _("{want}; it holds {word} of type {kind}").format(
                    want=want, word=f"{word!r:.40}", kind=type(word).__name__
                )
            )
        if not word:
            raise ValueError(
                _("{want}; it holds an empty token '' (every token is a word)").format(want=want)
            )
    if not value and not allow_empty:
        raise ValueError(
            _("{where} is empty: a sentence needs at least one token").format(where=name)
        )
    return list(value)


def check_rng(name: str, value) -> np.random.Generator:
    """A numpy Generator, not a seed: a notebook passes its one `rng` along, so every random draw
    in it comes from one seeded stream."""
    if not isinstance(value, np.random.Generator):
        hint = (
            _(" (to use the seed {seed}, pass {name}=np.random.default_rng({seed}))").format(
                seed=value, name=name
            )
            if _is_int(value)
            else ""
        )
        raise ValueError(
            _(
                "{name} must be a numpy Generator, e.g. {name} = np.random.default_rng(0); got "
                "{value}"
            ).format(name=name, value=shown(value))
            + hint
        )
    return value


def check_mask(mask, n_queries: int, n_keys: int, name: str = "mask") -> np.ndarray:
    """A boolean (n_queries, n_keys) array, True where a query may attend to a key, with ≥ 1 True
    per row."""
    expected = f"({n_queries}, {n_keys})"
    arr = as_bool_array(name, mask)
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


@contextlib.contextmanager
def argument(name: str):
    """Name the argument in a ValueError raised inside the block by a helper that knows it under
    another name (`make_tagging_corpus`'s n_sentences is window_sweep's n_train)."""
    try:
        yield
    except ValueError as exc:
        if name in str(exc):
            raise
        raise ValueError(f"{name}: {exc}") from None
