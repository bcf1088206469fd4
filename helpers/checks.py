"""Every lesson's exercise checks (00–11): each says ✅ or gives a specific hint, and returns
True/False.

The reporting is shared here; each lesson's checks follow in a section of their own
(`# --- lesson NN ---`), and each is tested against typical wrong answers in `tests/test_checks.py`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np


def report(ok: bool, message: str) -> bool:
    """Print ✅ or ❌ with the message and return `ok`, so a check reads well in a notebook and a
    test."""
    print(("✅ " if ok else "❌ ") + message)
    return bool(ok)


# Shared plumbing for every check: call the learner's function without letting its exceptions or
# numpy's overflow warnings escape into the notebook; a crash becomes a ❌ with the error's message.


def _call(func, *args, **kwargs):
    """(result, None) or (None, "what went wrong"); numpy floating-point warnings silenced.

    An answer that changes an input array in place is rejected too: it would corrupt the caller's
    data (and the next test the check runs on the same array)."""
    before = {i: a.copy() for i, a in enumerate(args) if isinstance(a, np.ndarray)}
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = func(*args, **kwargs)
    except Exception as exc:  # the learner's bug is reported, not raised
        return None, f"raised {type(exc).__name__}: {exc}"
    for i, old in before.items():
        if old.shape != args[i].shape or not np.array_equal(old, args[i], equal_nan=True):
            return None, (
                f"changed its input (argument {i + 1}) in place: work on a new "
                "array, e.g. `x = x - x.max(...)` rather than `x -= x.max(...)`"
            )
    return result, None


def _as_array(value):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


# --- lesson 01 ---
def check_count_frames(count_frames) -> bool:
    """Lesson 01: `count_frames(duration_s, window_ms=25, hop_ms=10)` → number of vectors (frames).

    The lecture's count: one vector per hop, ⌈duration / hop⌉ (1 s → 100), last frames zero-padded.
    """

    from .speech import n_frames

    if not callable(count_frames):
        return report(
            False, "pass the function itself: check_count_frames(count_frames), without calling it"
        )
    cases = [
        (1.0, 25, 10),
        (2.0, 25, 10),
        (0.5, 25, 10),
        (1.0, 25, 20),
        (1.005, 25, 10),
        (0.25, 40, 15),
        (3.0, 25, 10),
    ]
    for duration, window, hop in cases:
        got, err = _call(count_frames, duration, window_ms=window, hop_ms=hop)
        want = n_frames(duration, window_ms=window, hop_ms=hop)
        where = f"count_frames({duration}, window_ms={window}, hop_ms={hop})"
        if err:
            return report(False, f"{where} {err}")
        if got is None:
            return report(
                False,
                f"{where} returned None: replace the placeholder with your formula and `return` "
                "the count",
            )
        try:
            value = float(got)
        except (TypeError, ValueError):
            return report(False, f"{where} returned {got!r}; return a single whole number (an int)")
        if value == want and value != int(value):
            return report(
                False, f"{where} returned {got!r}; a count is a whole number: wrap it in int(...)"
            )
        if value != int(value):
            return report(
                False,
                f"{where} returned {got!r}, which is not a whole number: you cannot have part of a "
                "vector. Round up with math.ceil",
            )
        value = int(value)
        if value == want:
            continue
        samples_ms = duration * 1000
        if value == want + 1:
            hint = (
                "one too many: frames start at 0, hop, 2·hop, … and only starts *inside* the clip "
                "count (no + 1)"
            )
        elif value == want - 1 and math.floor(samples_ms / hop + 1e-9) == value:
            hint = (
                "one too few: a partial last hop still starts a frame (pad it with zeros), so "
                "round *up* with math.ceil, not down"
            )
        elif value == 1 + math.floor((samples_ms - window) / hop + 1e-9):
            hint = (
                "that is the count without padding, 1 + ⌊(T − window) / hop⌋ (98 for 1 s); the "
                "lecture counts one vector "
                "per hop and zero-pads the last windows, ⌈T / hop⌉ = 100 for 1 s"
            )
        elif value == math.ceil(samples_ms / window - 1e-9) or value == math.floor(
            samples_ms / window + 1e-9
        ):
            hint = (
                "you divided by the window; frames overlap, so a new one starts every *hop* (10 "
                "ms), not every window (25 ms)"
            )
        elif value == round(duration / hop) or value == math.ceil(duration / hop):
            hint = (
                "mind the units: duration is in seconds and hop_ms in milliseconds (1 s = 1000 ms)"
            )
        else:
            hint = "a new vector starts every hop_ms milliseconds; how many starts fit in the clip?"
        return report(False, f"{where} gave {value}, expected {want}: {hint}")
    return report(
        True, "one vector per hop: 1 s at a 10 ms hop is 100 vectors, whatever the window length."
    )


# --- lesson 02 ---
def check_window(window_of) -> bool:
    """Lesson 02: `window_of(tokens, i, width)` → the `width` tokens centred on token i
    (width = 2r + 1),
    "<pad>" where the window runs past either end of the sentence."""
    if not callable(window_of):
        return report(
            False, "pass the function itself: check_window(window_of), without calling it"
        )
    tokens = ["i", "saw", "a", "saw", "."]
    pad = "<pad>"
    for i, width in [(1, 3), (0, 3), (4, 3), (2, 1), (3, 5), (2, 7), (0, 5)]:
        r = width // 2
        padded = [pad] * r + tokens + [pad] * r
        want = padded[i : i + width]
        where = f"window_of({tokens}, i={i}, width={width})"
        got, err = _call(window_of, list(tokens), i, width)
        if err:
            return report(False, f"{where} {err}")
        if got is None:
            return report(
                False,
                "window_of returned None: replace the placeholder and `return` the list of tokens",
            )
        try:
            got = [str(t) for t in got]
        except TypeError:
            return report(False, f"{where} returned {got!r}; return a list of tokens (strings)")
        if got == want:
            continue
        if len(got) == 2 * width + 1 or (len(got) == width + 1 and width > 1):
            hint = (
                f"width is the whole window, 2r + 1 tokens: r = width // 2 = {r} neighbours on "
                "each side, not width"
            )
        elif got == tokens[max(0, i - r) : i + r + 1]:
            hint = (
                f"near the ends you return fewer than {width} tokens; pad with '{pad}' so every "
                "window has exactly "
                "width tokens (the tagger's input has a fixed size)"
            )
        elif got in (
            (tokens + [pad] * width)[i : i + width],
            ([pad] * width + tokens)[i + 1 : i + 1 + width],
        ):
            hint = (
                f"the window must be centred on token i: {r} tokens before it, token i, {r} after"
            )
        elif len(got) != width:
            hint = (
                f"a window of width {width} holds exactly {width} tokens; you returned {len(got)}"
            )
        else:
            hint = f"expected {want}"
        return report(False, f"{where} gave {got}: {hint}")
    return report(
        True,
        "the window holds token i and r = width // 2 neighbours on each side, padded at the ends.",
    )


# --- lessons 03–05: what a learner's answer is, in words ---
def _real_array(value):
    """`_as_array`, refusing complex numbers too (None rather than a ComplexWarning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)
        try:
            return _as_array(value)
        except np.exceptions.ComplexWarning:
            return None


def _kind(value) -> str:
    """What an answer is, for a hint: "None", "a str", "a float (nan)", "an array of shape (3,)"."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return f"a str ({value[:30]!r})"
    if isinstance(value, (int, float, np.number)):
        return f"a single number ({value!r})"
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):
        return f"an array of shape {shape}"
    return f"a {type(value).__name__}"


def _precision_hint(raw) -> str:
    """A hint when the answer was computed in low precision (float16 keeps about 3 digits)."""
    if getattr(raw, "dtype", None) == np.float16:
        return (
            "your result is float16, which keeps only about 3 significant digits: compute in "
            "float64 (the inputs' dtype) and do not cast"
        )
    return ""


def _error_hint(err: str, shape_hint: str) -> str:
    """A hint for a crash: a loop written for one shape, or a shape mix-up."""
    if "IndexError" in err or "out of bounds" in err:
        return (
            " — an index ran past the end: a loop written for one shape? Take the sizes from the "
            "inputs (x.shape), the check tries several"
        )
    if any(w in err for w in ("broadcast", "shape", "aligned", "mismatch", "dimension")):
        return f" — {shape_hint}"
    return ""


# --- lesson 03 ---
def _dot_hint(got: np.ndarray, Q: np.ndarray, K: np.ndarray, passed_d_k=None) -> str:
    """The mix-up behind a wrong (right-shaped) score matrix, or "" if none is recognised.
    `passed_d_k`: the d_k of an earlier case the answer got right."""
    n_q, d_k = Q.shape
    n_k = K.shape[0]
    raw = Q @ K.T
    if passed_d_k is not None and np.allclose(got, raw / np.sqrt(passed_d_k)):
        return (
            f"right for d_k = {passed_d_k} but wrong for d_k = {d_k}: you divided by "
            f"√{passed_d_k} whatever the inputs: take d_k from the inputs, d_k = K.shape[-1], not "
            "a fixed number"
        )
    if np.allclose(got, raw):
        return (
            "the dot products are right but not scaled: divide by √d_k (np.sqrt(K.shape[-1])), "
            "so scores do not grow with the vector length"
        )
    if np.allclose(got, raw / d_k):
        return "you divided by d_k; divide by its square root, √d_k"
    if np.allclose(got, raw / np.sqrt(n_k)) or np.allclose(got, raw / np.sqrt(n_q)):
        return "you divided by √(number of tokens); d_k is the length of each q and k: K.shape[-1]"
    if np.allclose(got, raw * np.sqrt(d_k)):
        return "you multiplied by √d_k; divide instead"
    ratio = np.divide(raw, got, out=np.full_like(raw, np.nan), where=got != 0)
    if np.all(np.isfinite(ratio)) and np.allclose(ratio, ratio.flat[0]) and ratio.flat[0] > 0:
        return (
            f"you divided by {ratio.flat[0]:.3g} whatever the inputs: here d_k = {d_k}, so divide "
            "by √d_k = "
            f"{np.sqrt(d_k):.3g}: take d_k from the inputs, d_k = K.shape[-1], not a fixed number"
        )
    return ""


def check_dot_scores(dot_scores) -> bool:
    """Lesson 03: `dot_scores(Q, K)` → α of shape (n_q, n_k), α[i, j] = qⁱ·kʲ / √d_k (queries on
    rows). Tried on three shapes (d_k = 16, 4, 9), Q and K always separate arrays."""
    if not callable(dot_scores):
        return report(
            False, "pass the function itself: check_dot_scores(dot_scores), without calling it"
        )
    rng = np.random.default_rng(3)
    # n_q, n_k and d_k all differ within a case, so every mix-up has its own shape or value
    passed_d_k = None
    for n_q, n_k, d_k in [(3, 5, 16), (2, 6, 4), (1, 3, 9)]:
        Q = rng.standard_normal((n_q, d_k))
        K = rng.standard_normal((n_k, d_k))
        want = Q @ K.T / np.sqrt(d_k)
        where = f"dot_scores(Q, K) with Q {Q.shape} and K {K.shape}"
        raw, err = _call(dot_scores, Q.copy(), K.copy())
        if err:
            shape_hint = "Q @ K.T multiplies (n_q, d_k) by (d_k, n_k): transpose K, not Q"
            return report(False, f"{where} {err}{_error_hint(err, shape_hint)}")
        if raw is None:
            return report(
                False,
                "dot_scores returned None: replace the placeholder and `return` the score matrix "
                "alpha",
            )
        got = _real_array(raw)
        if got is None:
            return report(False, f"{where} must return an array of numbers; got {_kind(raw)}")
        if got.shape == (n_k, n_q):
            return report(
                False,
                f"{where}: shape {got.shape} is keys × queries; put the queries on the rows: "
                f"Q @ K.T, shape (n_q, n_k) = {(n_q, n_k)}",
            )
        if got.shape != (n_q, n_k):
            return report(
                False,
                f"{where}: the scores need shape (n_q, n_k) = {(n_q, n_k)}, one per (query, key) "
                f"pair; got {got.shape}. Hint: Q @ K.T",
            )
        if np.allclose(got, want):
            passed_d_k = d_k if passed_d_k is None else passed_d_k
            continue
        hint = (
            _precision_hint(raw)
            or _dot_hint(got, Q, K, passed_d_k)
            or (
                "the values are off: α[i, j] is the dot product of row i of Q with row j of K, "
                "divided by √d_k"
            )
        )
        return report(False, f"{where}: {hint}")
    return report(True, "α[i, j] = qⁱ·kʲ / √d_k, queries on rows and keys on columns.")


# --- lesson 04 ---
def _softmax_reference(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def check_softmax(my_softmax) -> bool:
    """Lesson 04: `my_softmax(x)` → α′, softmax along the last axis (each row of scores sums to
    1), stable for huge scores. Tried on two shapes, huge scores and a single row."""
    if not callable(my_softmax):
        return report(
            False, "pass the function itself: check_softmax(my_softmax), without calling it"
        )
    x = np.array(
        [[1.0, 2.0, 3.0, 0.5], [0.0, -1.0, 4.0, 2.0], [2.0, 2.0, 2.0, 2.0]]
    )  # (3 queries, 4 keys)
    want = _softmax_reference(x)
    raw, err = _call(my_softmax, x.copy())
    if err:
        hint = _error_hint(
            err,
            "a row sum of shape (n,) cannot divide an (n, m) matrix: sum with keepdims=True",
        )
        return report(False, f"my_softmax(x) with x of shape {x.shape} {err}{hint}")
    if raw is None:
        return report(
            False, "my_softmax returned None: replace the placeholder and `return` the weights"
        )
    got = _real_array(raw)
    if got is None:
        return report(False, f"my_softmax must return an array of numbers; got {_kind(raw)}")
    if got.shape != x.shape:
        hint = (
            " Did you sum without keepdims=True?"
            if got.shape in ((x.shape[0],), (x.shape[1],), x.shape[::-1])
            else ""
        )
        return report(
            False,
            f"softmax keeps the shape: x {x.shape} → α′ {x.shape}; got {got.shape}.{hint}",
        )
    if np.allclose(got, _softmax_reference(x, axis=0)) or np.allclose(got.sum(axis=0), 1.0):
        return report(
            False,
            "your columns sum to 1, not your rows: normalise along the last axis (axis=-1, "
            "keepdims=True), one query's scores over all keys",
        )
    if np.allclose(got, np.exp(x) / np.exp(x).sum()):
        return report(
            False,
            "you normalised over the whole matrix; each row (one query) must sum to 1: "
            ".sum(axis=-1, keepdims=True)",
        )
    if np.allclose(got, np.exp(x)):
        return report(False, "you exponentiated but did not divide by the row's sum")
    if not np.allclose(got, want):
        return report(
            False,
            _precision_hint(raw)
            or "the values are off: α′ = exp(α) / Σ exp(α), each row summing to 1",
        )
    # another shape: a loop written for (3, 4) shows up here
    x2 = np.array([[0.5, -1.0, 2.0, 0.0, 1.5], [3.0, 1.0, -2.0, 0.5, 0.0]])  # (2, 5)
    raw, err = _call(my_softmax, x2.copy())
    got2 = None if err or raw is None else _real_array(raw)
    if err or got2 is None or got2.shape != x2.shape:
        what = err or f"returned {_kind(raw)}"
        return report(
            False,
            f"right for x of shape {x.shape} but not for shape {x2.shape}: it {what}. A loop or "
            "an array written for one shape? Take the sizes from x (x.shape), or use "
            "x.max(axis=-1, keepdims=True) and .sum(axis=-1, keepdims=True)",
        )
    if not np.allclose(got2, _softmax_reference(x2)):
        return report(
            False,
            f"right for x of shape {x.shape} but the values are off for shape {x2.shape}: do not "
            "hard-code sizes or values",
        )
    big = np.array([[1e4, 0.0, -1e4], [1000.0, 1001.0, 999.0]])
    want_big = _softmax_reference(big)
    raw, err = _call(my_softmax, big.copy())
    if err:
        return report(
            False,
            f"my_softmax(x) with huge scores {big.tolist()} {err}{_error_hint(err, '')}",
        )
    got_big = None if raw is None else _real_array(raw)
    if got_big is None or got_big.shape != big.shape:
        return report(
            False,
            f"my_softmax(x) with huge scores, shape {big.shape}, returned {_kind(raw)}; it must "
            "keep the shape",
        )
    finite_rows = np.all(np.isfinite(got_big), axis=-1)
    if finite_rows[0] and not finite_rows[1] and np.allclose(got_big[0], want_big[0]):
        return report(
            False,
            "you subtracted the maximum of the whole matrix (10000): in the row [1000, 1001, 999] "
            "every exp(score − 10000) underflows to 0, and 0 / 0 = nan. Subtract each row's own "
            "maximum, x.max(axis=-1, keepdims=True)",
        )
    if not finite_rows.all():
        return report(
            False,
            "right for small scores, but scores like 1e4 overflow: exp(10000) = inf and inf / inf "
            "= nan. Subtract each row's maximum first (x − x.max(axis=-1, keepdims=True)); "
            "softmax does not change",
        )
    if not np.allclose(got_big, want_big):
        return report(
            False,
            "huge scores give finite but wrong weights; subtract the maximum of each row, not of "
            "the whole matrix",
        )
    row = np.array([0.5, -2.0, 3.0])
    raw, err = _call(my_softmax, row.copy())
    got_row = None if err or raw is None else _real_array(raw)
    if got_row is None or not np.allclose(got_row, _softmax_reference(row)):
        what = f" (it {err})" if err else ""
        return report(
            False,
            "works on a matrix but not on a single row of scores (shape (3,)): use axis=-1 rather "
            f"than axis=1{what}",
        )
    return report(True, "α′ rows sum to 1, and scores of ±10,000 stay finite.")


# --- lesson 05 ---
def check_weighted_sum(my_weighted_sum) -> bool:
    """Lesson 05: `my_weighted_sum(alpha_prime, V)` → B of shape (n_queries, d_v), bⁱ = Σⱼ α′[i,
    j] vʲ."""
    if not callable(my_weighted_sum):
        return report(
            False,
            "pass the function itself: check_weighted_sum(my_weighted_sum), without calling it",
        )
    rng = np.random.default_rng(5)
    # square first (every index mix-up still runs, so it can be named), then queries ≠ keys
    for n_q, n_k, d_v in [(4, 4, 3), (3, 5, 2), (1, 6, 4)]:
        scores = rng.standard_normal((n_q, n_k)) * 2
        alpha_prime = np.exp(scores) / np.exp(scores).sum(
            axis=1, keepdims=True
        )  # rows sum to 1, not symmetric
        V = rng.standard_normal((n_k, d_v))
        want = alpha_prime @ V
        where = f"my_weighted_sum(alpha_prime {alpha_prime.shape}, V {V.shape})"
        raw, err = _call(my_weighted_sum, alpha_prime.copy(), V.copy())
        if err:
            hint = ""
            if any(w in err for w in ("index", "shape", "broadcast", "aligned", "mismatch")):
                hint = (
                    " — with more keys than queries, summing over the wrong index (or a loop "
                    "written for one shape) runs off the end: bⁱ = Σⱼ α′[i, j] vʲ takes row i of "
                    "alpha_prime (query i) and runs j over its columns (the keys) and over the "
                    "rows of V"
                )
            return report(False, f"{where} {err}{hint}")
        if raw is None:
            return report(
                False, "my_weighted_sum returned None: replace the placeholder and `return` B"
            )
        got = _real_array(raw)
        if got is None:
            return report(
                False, f"my_weighted_sum must return an array of numbers; got {_kind(raw)}"
            )
        if got.shape == (d_v, n_q) and d_v != n_q and np.allclose(got, want.T):
            return report(
                False,
                "right numbers, transposed: B has one row per query, shape (n_queries, d_v) = "
                f"{want.shape}",
            )
        if got.shape != want.shape:
            return report(
                False,
                f"{where} must return B of shape (n_queries, d_v) = {want.shape}, one bⁱ per row; "
                f"got {got.shape}",
            )
        if np.allclose(got, want):
            continue
        if n_q == n_k and np.allclose(got, alpha_prime.T @ V):
            return report(
                False,
                "b summed over the wrong index: you used α′[j, i] (column i); bⁱ = Σⱼ α′[i, j] vʲ "
                "uses row i of alpha_prime, the weights of query i over all keys j",
            )
        if np.allclose(got, np.broadcast_to(V.sum(axis=0), want.shape)) or np.allclose(
            got, np.broadcast_to(V.mean(axis=0), want.shape)
        ):
            return report(
                False,
                "every bⁱ is the same plain sum/mean of the vʲ: weight each vʲ by α′[i, j] before "
                "adding",
            )
        if np.allclose(got, alpha_prime.sum(axis=1, keepdims=True) * V.sum(axis=0)):
            return report(
                False,
                "you multiplied the sums; multiply each vʲ by its own weight α′[i, j], then add "
                "them up",
            )
        if np.allclose(got, (alpha_prime @ V) / n_k):
            return report(
                False,
                "no division: α′ already sums to 1 over the keys, so Σⱼ α′[i, j] vʲ is the "
                "weighted average",
            )
        return report(
            False,
            f"{where}: "
            + (
                _precision_hint(raw)
                or "the shape is right but the values are off; b¹ (row 1, B[0]) should be "
                f"{np.round(want[0], 3).tolist()}, yours is {np.round(got[0], 3).tolist()}"
            ),
        )
    return report(True, "bⁱ = Σⱼ α′[i, j] vʲ for every query i: the matrix form is B = α′ V.")


# --- lesson 05: the capstone, the whole layer ---
def _attention_variants(X, W_q, W_k, W_v) -> dict:
    """The right layer and the typical wrong ones, all in row form: name → (B, alpha_prime)."""
    n, d_in = X.shape
    d_k = W_q.shape[1]
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    alpha = Q @ K.T  # (n, n)
    with np.errstate(all="ignore"):
        soft = _softmax_reference
        right = soft(alpha / np.sqrt(d_k))
        e_global = np.exp(alpha / np.sqrt(d_k) - (alpha / np.sqrt(d_k)).max())
        weights = {
            "right": right,
            "no_scale": soft(alpha),
            "by_d_k": soft(alpha / d_k),
            "by_d_in": soft(alpha / np.sqrt(d_in)),
            "by_n": soft(alpha / np.sqrt(n)),
            "times_scale": soft(alpha * np.sqrt(d_k)),
            "softmax_axis_0": soft(alpha / np.sqrt(d_k), axis=0),
            "scores_transposed": soft(alpha.T / np.sqrt(d_k)),
            "whole_matrix": np.exp(alpha / np.sqrt(d_k)) / np.exp(alpha / np.sqrt(d_k)).sum(),
            "no_softmax": alpha / np.sqrt(d_k),
            "keys_from_W_q": soft(Q @ Q.T / np.sqrt(d_k)),
            "global_max": e_global / e_global.sum(axis=-1, keepdims=True),
        }
    variants = {name: (a @ V, a) for name, a in weights.items()}
    variants["B_transposed"] = (right.T @ V, right)
    variants["B_from_X"] = (right @ X, right)
    variants["B_from_Q"] = (right @ Q, right)
    variants["B_from_K"] = (right @ K, right)
    return variants


_ALPHA_HINTS = {
    "rows": {
        "no_scale": "α′ is softmax(Q Kᵀ) without the 1/√d_k: divide the scores by √d_k, "
        "d_k = W_q.shape[1]",
        "by_d_k": "you divided the scores by d_k; divide by its square root, √d_k",
        "by_d_in": "you divided by √d_in (the columns of X); d_k is the length of q and k: "
        "W_q.shape[1]",
        "by_n": "you divided by √n (the number of tokens); d_k is the length of q and k: "
        "W_q.shape[1]",
        "times_scale": "you multiplied the scores by √d_k; divide instead",
        "softmax_axis_0": "your α′ columns sum to 1, not its rows: in row form each query is a "
        "row, so softmax along the keys, axis=-1",
        "scores_transposed": "your scores are K Qᵀ (row i holds kⁱ·qʲ); queries go on the rows: "
        "α = Q Kᵀ, then softmax each row",
        "whole_matrix": "you normalised over the whole matrix; each row (one query) must sum to "
        "1: softmax along axis=-1",
        "no_softmax": "α′ is the raw scores Q Kᵀ/√d_k: normalise each row with a softmax",
        "keys_from_W_q": "the keys are X W_k, not X W_q (you scored every query against the "
        "queries)",
        "global_max": "you subtracted the maximum of the whole score matrix: a row far below it "
        "underflows to 0 / 0 = nan. Subtract each row's own maximum",
    },
    "columns": {
        "no_scale": "A′ is softmax(Kᵀ Q) without the 1/√d_k: divide A by √d_k, d_k = W_q.shape[0]",
        "by_d_k": "you divided A by d_k; divide by its square root, √d_k",
        "by_d_in": "you divided by √d_in (the rows of I); d_k is the length of q and k: "
        "W_q.shape[0]",
        "by_n": "you divided by √n (the number of tokens); d_k is the length of q and k: "
        "W_q.shape[0]",
        "times_scale": "you multiplied A by √d_k; divide instead",
        "softmax_axis_0": "your A′ rows sum to 1, not its columns: in the lecture's form column "
        "i is query i, so softmax each column, axis=0",
        "scores_transposed": "your A is Qᵀ K (column i holds kⁱ·qʲ); the lecture's A = Kᵀ Q has "
        "query i in column i",
        "whole_matrix": "you normalised over the whole matrix; each column (one query) must sum "
        "to 1: softmax along axis=0",
        "no_softmax": "A′ is the raw scores Kᵀ Q/√d_k: normalise each column with a softmax",
        "keys_from_W_q": "the keys are K = W^k I, not W^q I (you scored every query against the "
        "queries)",
        "global_max": "you subtracted the maximum of the whole matrix A: a column far below it "
        "underflows to 0 / 0 = nan. Subtract each column's own maximum",
    },
}

_B_HINTS = {
    "rows": {
        "B_transposed": "B = α′ᵀ V sums over the wrong index: B = α′ V, so bⁱ = Σⱼ α′[i, j] vʲ "
        "takes row i of α′ (query i)",
        "B_from_X": "you weighted the inputs X; weight the values V = X W_v",
        "B_from_Q": "you weighted the queries Q; weight the values V = X W_v",
        "B_from_K": "you weighted the keys K; weight the values V = X W_v",
    },
    "columns": {
        "B_transposed": "O = V A′ᵀ sums over the wrong index: O = V A′, so column i of O is "
        "Σⱼ A′[j, i] vʲ",
        "B_from_X": "you weighted the inputs I; weight the values V = W^v I",
        "B_from_Q": "you weighted the queries Q; weight the values V = W^v I",
        "B_from_K": "you weighted the keys K; weight the values V = W^v I",
    },
}


def _self_attention_cases():
    """(X, W_q, W_k, W_v) in row form: n, d_in, d_k and d_v all differ within a case (so every
    mix-up has its own shape or value), the sizes change between cases (so a loop written for one
    shape shows), one case has scores in the thousands (so a softmax without its max subtraction
    shows), and one has a single token."""
    rng = np.random.default_rng(11)
    cases = []
    for n, d_in, d_k, d_v, scale in [
        (5, 6, 4, 3, 1.0),
        (3, 4, 9, 5, 1.0),
        (7, 3, 2, 6, 1.0),
        (4, 5, 3, 2, 25.0),  # scores ≈ ±1000
        (1, 4, 2, 3, 1.0),
    ]:
        X = rng.standard_normal((n, d_in))
        W_q, W_k = (rng.standard_normal((d_in, d_k)) * scale for _ in range(2))
        W_v = rng.standard_normal((d_in, d_v))
        cases.append((X, W_q, W_k, W_v))
    return cases


def check_self_attention(my_self_attention, *, form: str = "rows") -> bool:
    """Lesson 05, the capstone: the whole layer, compared with `helpers.attention.self_attention`
    on five cases of different shapes (one with huge scores, one with a single token).

    form="rows" (the code's form): `my_self_attention(X, W_q, W_k, W_v)` with X (n, d_in), W_q,
    W_k (d_in, d_k), W_v (d_in, d_v) → `(B, alpha_prime)`, B (n, d_v) and α′ (n, n) with the
    queries on the rows.
    form="columns" (the lecture's form): `f(I, W_q, W_k, W_v)` with I (d_in, n), the lecture's
    W^q, W^k (d_k, d_in), W^v (d_v, d_in) → `(O, A_prime)`, O (d_v, n) and A′ = softmax of each
    column of A = Kᵀ Q / √d_k, (n, n) with query i in column i.
    """
    from .attention import self_attention

    if form not in ("rows", "columns"):
        return report(False, f"form must be 'rows' or 'columns'; got {form!r}")
    name = "check_self_attention"
    if not callable(my_self_attention):
        return report(False, f"pass the function itself: {name}(my_function), without calling it")
    cols = form == "columns"
    out_name, w_name = ("(O, A_prime)", "A′") if cols else ("(B, alpha_prime)", "α′")
    for X, W_q, W_k, W_v in _self_attention_cases():
        n, d_in = X.shape
        d_k, d_v = W_q.shape[1], W_v.shape[1]
        B, alpha_prime = self_attention(X, W_q, W_k, W_v)
        if cols:
            args = (X.T.copy(), W_q.T.copy(), W_k.T.copy(), W_v.T.copy())
            where = (
                f"f(I {args[0].shape}, W_q {args[1].shape}, W_k {args[2].shape}, "
                f"W_v {args[3].shape})"
            )
            b_shape, b_word = (d_v, n), "O (d_v, n): column i is bⁱ"
        else:
            args = (X.copy(), W_q.copy(), W_k.copy(), W_v.copy())
            where = f"f(X {X.shape}, W_q {W_q.shape}, W_k {W_k.shape}, W_v {W_v.shape})"
            b_shape, b_word = (n, d_v), "B (n, d_v): row i is bⁱ"
        sizes = f"here n = {n}, d_in = {d_in}, d_k = {d_k}, d_v = {d_v}"
        raw, err = _call(my_self_attention, *args)
        if err:
            shape_hint = f"check each product's shapes ({sizes}): " + (
                "Q = W_q @ I is (d_k, n), A = K.T @ Q is (n, n), O = V @ A′ is (d_v, n)"
                if cols
                else "Q = X @ W_q is (n, d_k), α = Q @ K.T is (n, n), B = α′ @ V is (n, d_v)"
            )
            return report(False, f"{where} {err}{_error_hint(err, shape_hint)}")
        if raw is None or (
            isinstance(raw, (tuple, list)) and len(raw) == 2 and raw[0] is None and raw[1] is None
        ):
            return report(
                False,
                f"{where} returned {_kind(raw) if raw is None else '(None, None)'}: replace the "
                f"placeholder and `return` the pair {out_name}",
            )
        if not (isinstance(raw, (tuple, list)) and len(raw) == 2):
            single = _real_array(raw)
            if single is not None and single.shape == b_shape:
                return report(
                    False,
                    f"{where} returned only {'O' if cols else 'B'}: return both, the outputs and "
                    f"the weights, `return {out_name[1:-1]}` (as helpers.attention.self_attention "
                    "does)",
                )
            if single is not None and single.shape == (n, n):
                return report(
                    False,
                    f"{where} returned only the weights {w_name}: return both, "
                    f"`return {out_name[1:-1]}`",
                )
            return report(False, f"{where} must return a pair {out_name}; got {_kind(raw)}")
        got_b, got_a = _real_array(raw[0]), _real_array(raw[1])
        if got_b is None or got_a is None:
            return report(
                False,
                f"{where} must return two arrays of numbers {out_name}; got "
                f"({_kind(raw[0])}, {_kind(raw[1])})",
            )
        if got_b.shape == (n, n) and got_a.shape == b_shape and b_shape != (n, n):
            return report(
                False,
                f"{where}: the pair is the wrong way round; return {out_name}, the outputs "
                "first, as helpers.attention.self_attention does",
            )
        precision = _precision_hint(raw[0]) or _precision_hint(raw[1])
        if precision:
            return report(False, f"{where}: {precision}")
        # the learner's answer in row form, to compare with every variant
        if got_a.shape != (n, n):
            return report(
                False,
                f"{where}: the weights {w_name} need shape (n, n) = {(n, n)}, one per (query, "
                f"key) pair ({sizes}); got {got_a.shape}",
            )
        if cols and got_b.shape == (n, d_v) and d_v != n:
            return report(
                False,
                f"{where}: O has the shape of the code's B, (n, d_v) = {(n, d_v)}; in the "
                f"lecture's form O = V A′ has one column per token, shape (d_v, n) = {(d_v, n)}",
            )
        if not cols and got_b.shape == (d_v, n) and d_v != n:
            return report(
                False,
                f"{where}: B has the shape of the lecture's O, (d_v, n) = {(d_v, n)}; in the "
                f"code's form B = α′ V has one row per token, shape (n, d_v) = {(n, d_v)}",
            )
        rows_b = got_b.T if cols else got_b
        rows_a = got_a.T if cols else got_a
        variants = _attention_variants(X, W_q, W_k, W_v)
        # the weights first: every mistake in them also spoils B
        if not np.allclose(rows_a, alpha_prime, atol=1e-6):
            if not np.all(np.isfinite(rows_a)):
                if np.allclose(rows_a, variants["global_max"][1], equal_nan=True):
                    hint = _ALPHA_HINTS[form]["global_max"]
                else:
                    hint = (
                        "the weights hold nan or inf for scores in the thousands: exp(1000) = "
                        "inf and inf / inf = nan. Subtract each query's largest score before exp"
                    )
                return report(False, f"{where}: {hint}")
            for key, hint in _ALPHA_HINTS[form].items():
                with np.errstate(all="ignore"):
                    if np.allclose(rows_a, variants[key][1], atol=1e-6):
                        return report(False, f"{where}: {hint}")
            line = "column 1 of A′ (query a¹, I[:, 0])" if cols else "row 1 of α′ (query a¹, X[0])"
            return report(
                False,
                f"{where}: the weights are off; {line} should be "
                f"{np.round(alpha_prime[0], 3).tolist()}, yours is "
                f"{np.round(rows_a[0], 3).tolist()}",
            )
        for key, hint in _B_HINTS[form].items():
            vb = variants[key][0]
            if vb.shape == rows_b.shape and np.allclose(rows_b, vb, atol=1e-6):
                if vb.shape != B.shape or not np.allclose(vb, B, atol=1e-6):
                    return report(False, f"{where}: the weights are right, but {hint}")
        if got_b.shape != b_shape:
            return report(
                False,
                f"{where}: the weights are right; the outputs need {b_word}, shape {b_shape} "
                f"({sizes}); got {got_b.shape}",
            )
        if np.allclose(rows_b, B, atol=1e-6):
            continue
        line = "column 1 of O" if cols else "row 1 of B"
        return report(
            False,
            f"{where}: the weights are right but the outputs are off; b¹ ({line}) should be "
            f"{np.round(B[0], 3).tolist()}, yours is {np.round(rows_b[0], 3).tolist()}",
        )
    done = (
        "O = V A′ with A′ = softmax of each column of Kᵀ Q / √d_k: the lecture's form, the same "
        "numbers as helpers.attention.self_attention, transposed."
        if cols
        else "B, α′ = the whole self-attention layer: the same as "
        "helpers.attention.self_attention on every shape tried."
    )
    return report(True, done)


# --- lesson 06 ---
def _heads_reference(M, n_heads):
    n, d_model = M.shape
    return M.reshape(n, n_heads, d_model // n_heads).transpose(1, 0, 2)


def check_split_heads(my_split_heads) -> bool:
    """Lesson 06: `my_split_heads(M, n_heads)` → (n_heads, n, d_k), head h = columns h·d_k …
    (h+1)·d_k of M."""
    if not callable(my_split_heads):
        return report(
            False, "pass the function itself: check_split_heads(my_split_heads), without calling it"
        )
    M = np.arange(5 * 12, dtype=float).reshape(5, 12)  # (n=5, d_model=12): entry = 12·row + column
    for n_heads in (2, 3, 4):
        d_k = 12 // n_heads
        want = _heads_reference(M, n_heads)
        got, err = _call(my_split_heads, M.copy(), n_heads)
        if err:
            return report(False, f"my_split_heads(M, {n_heads}) with M of shape {M.shape} {err}")
        if got is None:
            return report(
                False,
                "my_split_heads returned None: replace the placeholder and `return` the heads",
            )
        got = _as_array(got)
        if got is None or got.shape != want.shape:
            shape = None if got is None else got.shape
            if shape == (5, n_heads, d_k):
                return report(
                    False,
                    f"shape {shape} is (n, n_heads, d_k): put the heads first with .transpose(1, "
                    f"0, 2) → {want.shape}",
                )
            return report(
                False,
                f"with M {M.shape} and n_heads = {n_heads} the heads need shape (n_heads, n, d_k) "
                f"= {want.shape}; got {shape}",
            )
        if np.array_equal(got, M.reshape(5, d_k, n_heads).transpose(2, 0, 1)):
            return report(
                False,
                f"head h took every {n_heads}-th column (interleaved); it must take one contiguous "
                "block, "
                "columns h·d_k … (h+1)·d_k: reshape to (n, n_heads, d_k), not (n, d_k, n_heads)",
            )
        if not np.array_equal(got, want):
            bad = [h for h in range(n_heads) if not np.array_equal(got[h], want[h])]
            return report(
                False,
                f"with n_heads = {n_heads}, head {bad[0]} is wrong: it should be M[:, "
                f"{bad[0] * d_k}:{(bad[0] + 1) * d_k}] "
                f"(d_k = d_model / n_heads = {d_k} columns)",
            )
    return report(True, "head h is the block of columns h·d_k … (h+1)·d_k, for 2, 3 and 4 heads.")


def check_combine_heads(my_combine_heads) -> bool:
    """Lesson 06: `my_combine_heads(heads, W_o)` → B = [b^{i,1}, …, b^{i,h}] W_o, shape (n,
    d_out)."""
    if not callable(my_combine_heads):
        return report(
            False,
            "pass the function itself: check_combine_heads(my_combine_heads), without calling it",
        )
    rng = np.random.default_rng(6)
    n_heads, n, d_k, d_out = 3, 4, 2, 5
    heads = rng.standard_normal((n_heads, n, d_k))  # (h, n, d_k)
    W_o = rng.standard_normal((n_heads * d_k, d_out))  # (h·d_k, d_out)
    concat = heads.transpose(1, 0, 2).reshape(n, n_heads * d_k)  # (n, h·d_k)
    want = concat @ W_o
    got, err = _call(my_combine_heads, heads.copy(), W_o.copy())
    if err:
        return report(
            False,
            f"my_combine_heads(heads, W_o) with heads {heads.shape} and W_o {W_o.shape} {err}",
        )
    if got is None:
        return report(
            False, "my_combine_heads returned None: replace the placeholder and `return` B"
        )
    got = _as_array(got)
    if got is not None and got.shape == concat.shape and np.allclose(got, concat):
        return report(
            False,
            "that is the concatenation [b^{i,1}, …, b^{i,h}] — now mix it with W^O: return concat "
            "@ W_o",
        )
    if (
        got is not None
        and got.shape in ((n, d_k), (n, d_out))
        and any(
            got.shape == s.shape and np.allclose(got, s)
            for s in (heads.sum(axis=0), heads.sum(axis=0) @ W_o[:d_k])
        )
    ):
        return report(
            False, "the heads are concatenated side by side (n, n_heads·d_k), not added up"
        )
    if got is None or got.shape != want.shape:
        shape = None if got is None else got.shape
        if shape == (n * n_heads, d_out) or shape == (n_heads * n, d_k):
            return report(
                False,
                f"got shape {shape}: you stacked the heads under each other (more rows); put them "
                "side by side "
                "so each token keeps one row: heads.transpose(1, 0, 2).reshape(n, n_heads * d_k)",
            )
        return report(
            False,
            f"B must have shape (n, d_out) = {want.shape} for heads {heads.shape} and W_o "
            f"{W_o.shape}; got {shape}",
        )
    interleaved = heads.transpose(1, 2, 0).reshape(
        n, n_heads * d_k
    )  # columns in the order d_k-major
    if np.allclose(got, interleaved @ W_o):
        return report(
            False,
            "the columns are interleaved (one column of each head in turn); head h must fill the "
            "block "
            "h·d_k … (h+1)·d_k: transpose to (n, n_heads, d_k) before the reshape",
        )
    if np.allclose(got, (concat @ W_o) / n_heads) or np.allclose(
        got, heads.mean(axis=0) @ W_o[:d_k]
    ):
        return report(False, "no averaging: the heads are concatenated and W^O does the mixing")
    if not np.allclose(got, want):
        return report(
            False,
            "the shape is right but the values are off: B = concat @ W_o with concat = [b^{i,1}, "
            "…, b^{i,h}] "
            "(head h in columns h·d_k … (h+1)·d_k)",
        )
    return report(
        True, "the heads sit side by side, head h in columns h·d_k … (h+1)·d_k, and W^O mixes them."
    )


# --- lesson 07 ---
def _sinusoid_variants(n_positions, d_model):
    """The right eⁱ and the usual wrong ones, name → (n_positions, d_model)."""
    p = np.arange(n_positions)[:, None]
    two_i = np.arange(0, d_model, 2)
    angle = p / 10000 ** (two_i / d_model)  # (n, d/2)
    variants = {}
    right = np.empty((n_positions, d_model))
    right[:, 0::2], right[:, 1::2] = np.sin(angle), np.cos(angle)
    variants["right"] = right
    swapped = np.empty_like(right)
    swapped[:, 0::2], swapped[:, 1::2] = np.cos(angle), np.sin(angle)
    variants["swapped"] = swapped
    variants["halves"] = np.concatenate([np.sin(angle), np.cos(angle)], axis=1)
    variants["halves_swapped"] = np.concatenate([np.cos(angle), np.sin(angle)], axis=1)
    j = np.arange(d_model)
    own = p / 10000 ** (j / d_model)  # every column its own frequency (cos columns one step off)
    w = np.empty_like(right)
    w[:, 0::2], w[:, 1::2] = np.sin(own[:, 0::2]), np.cos(own[:, 1::2])
    variants["own_frequency"] = w
    for name, a in (
        ("no_divide", p / 10000 ** two_i.astype(float)),
        ("times", p * 10000 ** (two_i / d_model)),
        ("index_not_2i", p / 10000 ** ((two_i // 2) / d_model)),
        ("degrees", np.deg2rad(p / 10000 ** (two_i / d_model))),
    ):
        v = np.empty_like(right)
        with np.errstate(all="ignore"):
            v[:, 0::2], v[:, 1::2] = np.sin(a), np.cos(a)
        variants[name] = v
    return variants


_SINUSOID_HINTS = {
    "swapped": "sin and cos are swapped: even columns 2i get sin, odd columns 2i+1 get cos (e⁰ "
    "starts 0, 1, 0, 1, …)",
    "halves": "you put all the sines in the first half and all the cosines in the second; "
    "interleave them: "
    "column 2i = sin, column 2i+1 = cos, both with the same frequency",
    "halves_swapped": "cosines first, then sines, in two halves; interleave them instead: column "
    "2i = sin, column 2i+1 = cos",
    "own_frequency": "each cos column used its own exponent (2i+1)/d_model; a cos column shares "
    "the frequency of the "
    "sin column just before it: both use 10000^(2i/d_model)",
    "no_divide": "the exponent is 2i / d_model, not 2i: divide by d_model, or every frequency but "
    "the first is ~0",
    "times": "divide the position by 10000^(2i/d_model) (slower and slower waves), do not multiply",
    "index_not_2i": "the exponent uses 2i (the even column index: 0, 2, 4, …), not the pair number "
    "i: 10000^(2i/d_model)",
    "degrees": "the angle is in radians: sin(p / 10000^(2i/d_model)) directly, no conversion to "
    "degrees",
}


def check_sinusoidal(my_sinusoidal) -> bool:
    """Lesson 07: `my_sinusoidal(n_positions, d_model)` → e (n_positions, d_model),
    e[p, 2i] = sin(p / 10000^(2i/d_model)), e[p, 2i+1] = cos(p / 10000^(2i/d_model))."""
    if not callable(my_sinusoidal):
        return report(
            False, "pass the function itself: check_sinusoidal(my_sinusoidal), without calling it"
        )
    for n_positions, d_model in ((10, 8), (7, 6), (50, 16)):
        variants = _sinusoid_variants(n_positions, d_model)
        want = variants["right"]
        got, err = _call(my_sinusoidal, n_positions, d_model)
        if err:
            return report(False, f"my_sinusoidal({n_positions}, {d_model}) {err}")
        if got is None:
            return report(
                False, "my_sinusoidal returned None: replace the placeholder and `return` e"
            )
        got = _as_array(got)
        if got is None or got.shape != want.shape:
            shape = None if got is None else got.shape
            if shape == want.shape[::-1]:
                return report(
                    False,
                    f"got shape {shape}, the transpose: one row per position, e of shape "
                    f"(n_positions, d_model) = {want.shape}",
                )
            return report(
                False,
                f"my_sinusoidal({n_positions}, {d_model}) must return shape (n_positions, d_model) "
                f"= {want.shape}; got {shape}",
            )
        if np.allclose(got, want):
            continue
        for name, hint in _SINUSOID_HINTS.items():
            if np.allclose(got, variants[name], equal_nan=True):
                return report(False, hint)
        if np.allclose(got[0], want[0]) and not np.allclose(got[:, :2], want[:, :2]):
            # columns 0 and 1 (frequency 1) do not depend on the exponent: the
            # position itself is off
            return report(
                False,
                "row 0 is right but later positions are not: check the angle p / "
                "10000^(2i/d_model), p the position",
            )
        bad = int(np.flatnonzero(~np.isclose(got, want).all(axis=0))[0])
        kind = "sin" if bad % 2 == 0 else "cos"
        return report(
            False,
            f"column {bad} is wrong (d_model = {d_model}); it should be {kind}(p / "
            f"10000^({bad - bad % 2}/{d_model}))",
        )
    return report(True, "your eⁱ matches the sinusoidal encoding for (10, 8), (7, 6) and (50, 16).")


# --- lesson 08 ---
def _bool_matrix(got, want, where: str):
    """None if `got` equals the bool array `want`; else a hint about shape or dtype (or
    "values")."""
    if got is None:
        return f"{where} returned None: build the mask and `return` it"
    arr = np.asarray(got)
    if arr.shape != want.shape:
        return (
            f"{where} has shape {arr.shape}; it needs {want.shape} (queries on rows, keys on "
            "columns)"
        )
    if arr.dtype != bool:
        if np.issubdtype(arr.dtype, np.number) and np.array_equal(arr != 0, want):
            return (
                f"{where} has the right pattern but dtype {arr.dtype}: return a boolean array (a "
                "comparison such as `<=` gives one)"
            )
        return (
            f"{where} must be a boolean array (True where attention is allowed); got dtype "
            f"{arr.dtype}"
        )
    return None if np.array_equal(arr, want) else "values"


def check_band_mask(my_band_mask) -> bool:
    """Lesson 08: `my_band_mask(n, window)` → bool (n, n), True where |i − j| ≤ window."""
    if not callable(my_band_mask):
        return report(
            False, "pass the function itself: check_band_mask(my_band_mask), without calling it"
        )
    for n, window in [(7, 2), (6, 1), (5, 0), (4, 10), (9, 3)]:
        where = f"my_band_mask({n}, {window})"
        got, err = _call(my_band_mask, n, window)
        if err:
            return report(False, f"{where} {err}")
        i, j = np.indices((n, n))
        want = np.abs(i - j) <= window
        hint = _bool_matrix(got, want, where)
        if hint is None:
            continue
        if hint != "values":
            return report(False, hint)
        got = np.asarray(got)
        if np.array_equal(got, np.abs(i - j) < window):
            return report(
                False,
                f"{where} is one short on each side: the window includes its edge, so use |i − j| "
                "≤ window "
                "(window = 0 still lets each frame see itself)",
            )
        if np.array_equal(got, want & (j <= i)) or np.array_equal(got, want & (j >= i)):
            return report(
                False,
                f"{where} only looks one way: truncated self-attention sees `window` frames before "
                "AND after "
                "(take the absolute value of i − j)",
            )
        if not got.diagonal().all():
            return report(
                False,
                f"{where} has False on the diagonal: a frame must always be allowed to attend to "
                "itself",
            )
        return report(
            False,
            f"{where} differs from |i − j| ≤ window at {int((got != want).sum())} of {n * n} "
            "places; "
            f"row 0 should be {want[0].astype(int).tolist()}, yours is "
            f"{got[0].astype(int).tolist()}",
        )
    return report(
        True,
        "True exactly where |i − j| ≤ window: each frame sees `window` frames on each side and "
        "itself.",
    )


# --- lesson 09 ---
def check_patchify(my_patchify) -> bool:
    """Lesson 09: `my_patchify(image, patch)` → (n_patches, patch·patch·C), patches in
    reading order,
    each flattened as (row in patch, column in patch, channel)."""
    from .images import patchify

    if not callable(my_patchify):
        return report(
            False, "pass the function itself: check_patchify(my_patchify), without calling it"
        )
    rng = np.random.default_rng(9)
    for H, W, C, p in [(6, 9, 3, 3), (4, 8, 3, 2), (8, 4, 1, 4), (4, 4, 3, 1)]:
        image = rng.random((H, W, C))
        where = f"my_patchify(image of shape {(H, W, C)}, {p})"
        got, err = _call(my_patchify, image.copy(), p)
        if err:
            return report(False, f"{where} {err}")
        if got is None:
            return report(
                False, f"{where} returned None: `return` the (n_patches, patch·patch·C) array"
            )
        got = _as_array(got)
        rows, cols = H // p, W // p
        want = patchify(image, p)
        if got is None or got.shape != want.shape:
            shape = None if got is None else got.shape
            return report(
                False,
                f"{where} has shape {shape}; it needs (n_patches, patch·patch·C) = {want.shape}: "
                f"{rows}×{cols} patches, each {p}·{p}·{C} numbers long",
            )
        if np.allclose(got, want):
            continue
        blocks = image.reshape(rows, p, cols, p, C)
        wrong = {
            "column_order": blocks.transpose(2, 0, 1, 3, 4).reshape(rows * cols, -1),
            "transposed": blocks.transpose(0, 2, 3, 1, 4).reshape(rows * cols, -1),
            "channels_first": blocks.transpose(0, 2, 4, 1, 3).reshape(rows * cols, -1),
        }
        if np.allclose(got, wrong["column_order"]):
            return report(
                False,
                f"{where}: the patches come column by column; number them in reading order, "
                "left to right along the top row of patches, then the next row",
            )
        if np.allclose(got, wrong["transposed"]):
            return report(
                False,
                f"{where}: each patch is flattened column by column (transposed); read a patch's "
                "pixels "
                "row by row, as in the image: order (row in patch, column in patch, channel)",
            )
        if np.allclose(got, wrong["channels_first"]):
            return report(
                False,
                f"{where}: each patch lists all its red values, then green, then blue; keep a "
                "pixel's "
                "channels together: order (row in patch, column in patch, channel)",
            )
        if np.allclose(got, image.reshape(rows * cols, -1)):
            return report(
                False,
                f"{where} takes {p}·{p}·{C} numbers in a row straight from the image: that is a "
                "strip of "
                f"pixels along one image row, not a {p}×{p} square. Reshape to (H/p, p, W/p, p, C) "
                "and "
                "move the axes so each patch's rows come together",
            )
        if np.allclose(np.sort(got, axis=None), np.sort(want, axis=None)):
            i, k = np.argwhere(~np.isclose(got, want))[0]
            return report(
                False,
                f"{where} has the right numbers in the wrong places: the first difference is patch "
                f"{i}, "
                f"number {k}, which should be {want[i, k]:.3f}; yours is {got[i, k]:.3f}",
            )
        return report(
            False, f"{where} holds values that are not the image's pixels cut into patches"
        )
    return report(
        True,
        "patches in reading order, each read row by row with its channels together, as in ViT.",
    )


# --- lesson 10 ---
def check_graph_mask(my_graph_mask) -> bool:
    """Lesson 10: `my_graph_mask(n, edges)` → bool (n, n), True on the diagonal and both ways
    along every edge."""
    if not callable(my_graph_mask):
        return report(
            False, "pass the function itself: check_graph_mask(my_graph_mask), without calling it"
        )
    for n, edges in [
        (5, [(0, 1), (1, 2), (3, 4)]),
        (4, [(3, 0)]),
        (6, [(0, 5), (2, 1), (2, 4)]),
        (3, []),
    ]:
        where = f"my_graph_mask({n}, {edges})"
        got, err = _call(my_graph_mask, n, [tuple(e) for e in edges])
        if err:
            return report(False, f"{where} {err}")
        want = np.eye(n, dtype=bool)
        for i, j in edges:
            want[i, j] = want[j, i] = True
        hint = _bool_matrix(got, want, where)
        if hint is None:
            continue
        if hint != "values":
            return report(False, hint)
        got = np.asarray(got)
        if not got.any():
            return report(
                False,
                f"{where} is all False: every node attends at least to itself (the diagonal), "
                "and to its neighbours along the edges",
            )
        if not got.diagonal().all() and np.array_equal(got | np.eye(n, dtype=bool), want):
            return report(
                False,
                f"{where} leaves the diagonal False: a node must also attend to itself (add "
                "self-loops), "
                "or it forgets its own vector",
            )
        if not np.array_equal(got, got.T):
            return report(
                False,
                f"{where} is not symmetric: an edge (i, j) joins both nodes, so set mask[i, j] and "
                "mask[j, i]",
            )
        return report(
            False,
            f"{where} differs from the graph at {int((got != want).sum())} of {n * n} places; "
            f"expected rows {want.astype(int).tolist()}",
        )
    return report(
        True, "each node attends to itself and to its neighbours, both ways along every edge."
    )
