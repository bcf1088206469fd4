"""Every lesson's exercise checks (00–11): each says ✅ or gives a specific hint, and returns
True/False.

The reporting is shared here; each lesson's checks follow in a section of their own
(`# --- lesson NN ---`), and each is tested against typical wrong answers in `tests/test_checks.py`.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np

from .language import _, ngettext


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
        return None, _("raised {error_type}: {error}").format(
            error_type=type(exc).__name__, error=exc
        )
    for i, old in before.items():
        if old.shape != args[i].shape or not np.array_equal(old, args[i], equal_nan=True):
            return None, _(
                "changed its input (argument {position}) in place: work on a new "
                "array, e.g. `x = x - x.max(...)` rather than `x -= x.max(...)`"
            ).format(position=i + 1)
    return result, None


def _as_array(value):
    """`value` as a float array, or None if it is not one (complex numbers included)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError, np.exceptions.ComplexWarning):
        return None
    return arr


# Every check is wrapped in `_never_crash`: whatever the answer returns (None, a str, nan, a ragged
# list, an int too large for a float, ...), anything the check did not foresee becomes a ❌ with the
# error's message, never a traceback, and no numpy warning reaches the notebook. Hints call the
# answer by its own name (so `band_mask_solution` is called by its name).
def _answer_name(func, default: str) -> str:
    name = getattr(func, "__name__", "")
    return name if isinstance(name, str) and name.isidentifier() else default


def _never_crash(default_name: str):
    def wrap(check):
        @functools.wraps(check)
        def guarded(func, *args, **kwargs) -> bool:
            try:
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return check(func, *args, **kwargs)
            except Exception as exc:  # what the answer returned broke the comparison itself
                return report(
                    False,
                    _(
                        "{name} returned something the check cannot compare ({error_type}: "
                        "{error}); look at what it returns"
                    ).format(
                        name=_answer_name(func, default_name),
                        error_type=type(exc).__name__,
                        error=exc,
                    ),
                )

        return guarded

    return wrap


def _wrong_count(where: str, value, want, hint: str) -> bool:
    """The ❌ of a check whose answer is a count: what it gave, what was expected, and why."""
    return report(
        False,
        _("{where} gave {value}, expected {want}: {hint}").format(
            where=where, value=value, want=want, hint=hint
        ),
    )


# --- lesson 00 ---
@_never_crash("count_scores")
def check_count_scores(count_scores) -> bool:
    """Lesson 00: `count_scores(n)` → how many attention scores α a sentence of n tokens gets.

    Every query aⁱ scores every key aʲ, itself included, and αᵢ,ⱼ ≠ αⱼ,ᵢ in general: n · n."""
    if not callable(count_scores):
        return report(
            False,
            _("pass the function itself: check_count_scores(count_scores), without calling it"),
        )
    for n in (4, 5, 1, 2, 24):
        where = f"count_scores({n})"
        got, err = _call(count_scores, n)
        if err:
            return report(False, f"{where} {err}")
        if got is None:
            return report(
                False,
                _("{where} returned None: replace the placeholder and `return` the count").format(
                    where=where
                ),
            )
        value, why = _whole_number(got)
        if why:
            return report(False, f"{where} {why}")
        want = n * n
        if value == want:
            continue
        if value == n * (n - 1):
            hint = _(
                "each vector also scores itself: α₁,₁ = q¹·k¹ is one of the scores (the diagonal "
                "of the heatmap)"
            )
        elif value in (n * (n - 1) // 2, n * (n + 1) // 2):
            hint = _(
                "α is not symmetric: α₁,₂ = q¹·k² and α₂,₁ = q²·k¹ differ (W^q ≠ W^k), so both "
                "count"
            )
        elif value == n:
            hint = _(
                "that is one score per query; each query aⁱ gets one score for *every* key aʲ"
            )
        elif value == 2 * n:
            hint = _("the scores form an n × n grid (queries × keys), not two rows of n")
        else:
            hint = _("the heatmap has one cell per score: n rows (queries) × n columns (keys)")
        return _wrong_count(where, value, want, hint)
    return report(
        True,
        _("n queries × n keys = n² scores α, each vector with itself included (4 tokens → 16)."),
    )


# --- lesson 01 ---
def _whole_number(got):
    """(int, None) for a whole number (int, numpy integer, or a float with no fractional part);
    (None, "why not") for anything else: a str, a list, None, NaN, inf, a fraction."""
    if isinstance(got, (bool, np.bool_)):
        return None, _(
            "returned {got!r}, a bool; return the count, a whole number (an int)"
        ).format(got=got)
    if isinstance(got, (str, bytes)):
        return None, _(
            "returned the text {got!r}; return the number itself (an int), not a str"
        ).format(got=got)
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, (int, np.integer)):
        return int(got), None  # (float() of a huge int would overflow)
    if not isinstance(got, (float, np.floating)):
        return None, _(
            "returned {kind} {got!r:.60}; return a single whole number (an int)"
        ).format(kind=type(got).__name__, got=got)
    value = float(got)
    if math.isnan(value):
        return None, _("returned nan (not a number); return a whole number of vectors (an int)")
    if math.isinf(value):
        return None, _(
            "returned {value}; a clip of finite length gives a finite number of vectors"
        ).format(value=value)
    if value != int(value):
        return None, _(
            "returned {got!r}, which is not a whole number: you cannot have part of a vector. "
            "Round up with math.ceil"
        ).format(got=got)
    return int(value), None


@_never_crash("count_frames")
def check_count_frames(count_frames) -> bool:
    """Lesson 01: `count_frames(duration_s, window_ms=25, hop_ms=10)` → number of vectors (frames).

    The lecture's count: one vector per hop, ⌈duration / hop⌉ (1 s → 100), last frames zero-padded.
    The durations include some (4.03 s, 8.05 s, …) whose `duration_s * 1000 / hop_ms` lands a hair
    above a whole number in floating point, so a bare math.ceil counts one vector too many.
    """

    from .speech import n_frames

    if not callable(count_frames):
        return report(
            False,
            _("pass the function itself: check_count_frames(count_frames), without calling it"),
        )
    cases = [
        (1.0, 25, 10),
        (2.0, 25, 10),
        (0.5, 25, 10),
        (1.0, 25, 20),
        (1.005, 25, 10),
        (0.25, 40, 15),
        (3.0, 25, 10),
        (4.03, 25, 10),
        (4.07, 25, 10),
        (8.05, 25, 10),
        (8.06, 25, 10),
        (8.13, 25, 10),
        (8.14, 25, 10),
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
                _(
                    "{where} returned None: replace the placeholder with your formula and "
                    "`return` the count"
                ).format(where=where),
            )
        value, why = _whole_number(got)
        if why:
            return report(False, f"{where} {why}")
        if value == want:
            continue
        samples_ms = duration * 1000
        raw = samples_ms / hop
        if value == want + 1 and value == math.ceil(raw) and abs(raw - want) < 1e-6:
            hint = _(
                "floating point: {duration} * 1000 / {hop} is {raw!r}, a hair above {want}, and "
                "math.ceil turns that hair into one more vector. Round away the noise first, e.g. "
                "math.ceil(round(duration_s * 1000, 6) / hop_ms)"
            ).format(duration=duration, hop=hop, raw=raw, want=want)
        elif value == want + 1:
            hint = _(
                "one too many: frames start at 0, hop, 2·hop, … and only starts *inside* the clip "
                "count (no + 1)"
            )
        elif value == want - 1 and math.floor(samples_ms / hop + 1e-9) == value:
            hint = _(
                "one too few: a partial last hop still starts a frame (pad it with zeros), so "
                "round *up* with math.ceil, not down"
            )
        elif value == 1 + math.floor((samples_ms - window) / hop + 1e-9):
            hint = _(
                "that is the count without padding, 1 + ⌊(T − window) / hop⌋ (98 for 1 s); the "
                "lecture counts one vector "
                "per hop and zero-pads the last windows, ⌈T / hop⌉ = 100 for 1 s"
            )
        elif value == math.ceil(samples_ms / window - 1e-9) or value == math.floor(
            samples_ms / window + 1e-9
        ):
            hint = _(
                "you divided by the window; frames overlap, so a new one starts every *hop* (10 "
                "ms), not every window (25 ms)"
            )
        elif value == round(duration / hop) or value == math.ceil(duration / hop):
            hint = _(
                "mind the units: duration is in seconds and hop_ms in milliseconds (1 s = 1000 ms)"
            )
        else:
            hint = _(
                "a new vector starts every hop_ms milliseconds; how many starts fit in the clip?"
            )
        return _wrong_count(where, value, want, hint)
    return report(
        True,
        _("one vector per hop: 1 s at a 10 ms hop is 100 vectors, whatever the window length."),
    )


# --- lesson 02 ---
def _tokens_word(k: int) -> str:
    return ngettext("{k} token", "{k} tokens", k).format(k=k)


@_never_crash("window_of")
def check_window(window_of) -> bool:
    """Lesson 02: `window_of(tokens, i, width)` → the `width` tokens centred on tokens[i]
    (width = 2r + 1), "<pad>" where the window runs past either end of the sentence.

    i is a Python index (a¹ is tokens[0]); the hints say tokens[i] so they read the same way."""
    if not callable(window_of):
        return report(
            False, _("pass the function itself: check_window(window_of), without calling it")
        )
    tokens = ["i", "saw", "a", "saw", "."]
    n = len(tokens)
    pad = "<pad>"
    for i, width in [(1, 3), (0, 3), (4, 3), (2, 1), (3, 5), (2, 7), (0, 5)]:
        r = width // 2
        padded = [pad] * r + tokens + [pad] * r
        want = padded[i : i + width]
        where = f"window_of({tokens}, i={i}, width={width})"
        given = list(tokens)
        got, err = _call(window_of, given, i, width)
        if err:
            if "IndexError" in err:
                err += _(
                    "; near the end, tokens[i + {r}] runs past the last token: put '{pad}' "
                    "there instead of indexing"
                ).format(r=r, pad=pad)
            return report(False, f"{where} {err}")
        if given != tokens:
            return report(
                False,
                _(
                    "{where} changed the tokens list it was given (now {given}): build a new "
                    "list, e.g. padded = ['<pad>'] * r + list(tokens) + ['<pad>'] * r"
                ).format(where=where, given=given),
            )
        if got is None:
            return report(
                False,
                _(
                    "window_of returned None: replace the placeholder and `return` the list of "
                    "tokens"
                ),
            )
        if isinstance(got, (str, bytes)):
            return report(
                False,
                _(
                    "{where} returned the text {got!r}; return a list of tokens, one per slot"
                ).format(where=where, got=got),
            )
        try:
            items = list(got)
        except Exception:  # not iterable: a number, NaN, inf …
            return report(
                False,
                _("{where} returned {got!r:.60}; return a list of tokens (strings)").format(
                    where=where, got=got
                ),
            )
        if items and all(
            isinstance(t, (int, np.integer)) and not isinstance(t, bool) for t in items
        ):
            return report(
                False,
                _(
                    "{where} returned {items}: those look like positions; return the tokens "
                    "themselves (with '{pad}' past the ends), e.g. {want}"
                ).format(where=where, items=items, pad=pad, want=want),
            )
        got = [str(t) for t in items]
        if got == want:
            continue
        wrapped = [tokens[j] if j < n else pad for j in range(i - r, i + r + 1)]
        if got == wrapped or got == [tokens[j % n] for j in range(i - r, i + r + 1)]:
            hint = _(
                "the window wrapped around: before the start, i − r is negative, and in Python "
                "tokens[-1] is the *last* token ({last!r}), not nothing. Use '{pad}' for "
                "every position j < 0 (and j ≥ len(tokens))"
            ).format(last=tokens[-1], pad=pad)
        elif len(got) == 2 * width + 1 or (len(got) == width + 1 and width > 1):
            hint = _(
                "width is the whole window, 2r + 1 tokens: r = width // 2 = {r} neighbours on "
                "each side, not width"
            ).format(r=r)
        elif got == tokens[max(0, i - r) : i + r + 1]:
            hint = _(
                "near the ends you return fewer than {width_tokens}; pad with '{pad}' so "
                "every window has exactly width tokens (the tagger's input has a fixed size)"
            ).format(width_tokens=_tokens_word(width), pad=pad)
        elif got in (
            (tokens + [pad] * width)[i : i + width],
            ([pad] * width + tokens)[i + 1 : i + 1 + width],
        ):
            hint = _(
                "the window must be centred on tokens[i]: {r_tokens} before it, "
                "tokens[i], {r_tokens} after"
            ).format(r_tokens=_tokens_word(r))
        elif len(got) != width:
            hint = _(
                "a window of width {width} holds exactly {width_tokens}; you returned {count}"
            ).format(width=width, width_tokens=_tokens_word(width), count=len(got))
        else:
            hint = _("expected {want}").format(want=want)
        return report(
            False, _("{where} gave {got}: {hint}").format(where=where, got=got, hint=hint)
        )
    return report(
        True,
        _(
            "the window holds tokens[i] and r = width // 2 neighbours on each side, padded at the "
            "ends."
        ),
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
        return _("a str ({text!r})").format(text=value[:30])
    if isinstance(value, (int, float, np.number)):
        return _("a single number ({value!r})").format(value=value)
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):
        return _("an array of shape {shape}").format(shape=shape)
    arr = _as_array(value) if isinstance(value, (list, tuple)) else None
    if arr is not None:
        return _("a {type} of shape {shape}").format(type=type(value).__name__, shape=arr.shape)
    return _("a {type}").format(type=type(value).__name__)


def _precision_hint(raw) -> str:
    """A hint when the answer was computed in low precision (float16 keeps about 3 digits)."""
    if getattr(raw, "dtype", None) == np.float16:
        return _(
            "your result is float16, which keeps only about 3 significant digits: compute in "
            "float64 (the inputs' dtype) and do not cast"
        )
    return ""


def _error_hint(err: str, shape_hint: str) -> str:
    """A hint for a crash: a loop written for one shape, or a shape mix-up."""
    if "IndexError" in err or "out of bounds" in err:
        return _(
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
        return _(
            "right for d_k = {passed} but wrong for d_k = {d_k}: you divided by "
            "√{passed} whatever the inputs: take d_k from the inputs, d_k = K.shape[-1], not "
            "a fixed number"
        ).format(passed=passed_d_k, d_k=d_k)
    if np.allclose(got, raw):
        return _(
            "the dot products are right but not scaled: divide by √d_k (np.sqrt(K.shape[-1])), "
            "so scores do not grow with the vector length"
        )
    if np.allclose(got, raw / d_k):
        return _("you divided by d_k; divide by its square root, √d_k")
    if np.allclose(got, raw / np.sqrt(n_k)) or np.allclose(got, raw / np.sqrt(n_q)):
        return _(
            "you divided by √(number of tokens); d_k is the length of each q and k: K.shape[-1]"
        )
    if np.allclose(got, raw * np.sqrt(d_k)):
        return _("you multiplied by √d_k; divide instead")
    ratio = np.divide(raw, got, out=np.full_like(raw, np.nan), where=got != 0)
    if np.all(np.isfinite(ratio)) and np.allclose(ratio, ratio.flat[0]) and ratio.flat[0] > 0:
        return _(
            "you divided by {ratio:.3g} whatever the inputs: here d_k = {d_k}, so divide "
            "by √d_k = {root:.3g}: take d_k from the inputs, d_k = K.shape[-1], not a fixed number"
        ).format(ratio=ratio.flat[0], d_k=d_k, root=np.sqrt(d_k))
    return ""


@_never_crash("dot_scores")
def check_dot_scores(dot_scores) -> bool:
    """Lesson 03: `dot_scores(Q, K)` → α of shape (n_q, n_k), α[i, j] = qⁱ·kʲ / √d_k (queries on
    rows). Tried on three shapes (d_k = 16, 4, 9), Q and K always separate arrays."""
    if not callable(dot_scores):
        return report(
            False, _("pass the function itself: check_dot_scores(dot_scores), without calling it")
        )
    rng = np.random.default_rng(3)
    # n_q, n_k and d_k all differ within a case, so every mix-up has its own shape or value
    passed_d_k = None
    for n_q, n_k, d_k in [(3, 5, 16), (2, 6, 4), (1, 3, 9)]:
        Q = rng.standard_normal((n_q, d_k))
        K = rng.standard_normal((n_k, d_k))
        want = Q @ K.T / np.sqrt(d_k)
        where = _("dot_scores(Q, K) with Q {q} and K {k}").format(q=Q.shape, k=K.shape)
        raw, err = _call(dot_scores, Q.copy(), K.copy())
        if err:
            shape_hint = _("Q @ K.T multiplies (n_q, d_k) by (d_k, n_k): transpose K, not Q")
            return report(False, f"{where} {err}{_error_hint(err, shape_hint)}")
        if raw is None:
            return report(
                False,
                _(
                    "dot_scores returned None: replace the placeholder and `return` the score "
                    "matrix alpha"
                ),
            )
        got = _real_array(raw)
        if got is None:
            return report(
                False,
                _("{where} must return an array of numbers; got {kind}").format(
                    where=where, kind=_kind(raw)
                ),
            )
        if got.shape == (n_k, n_q):
            return report(
                False,
                _(
                    "{where}: shape {got} is keys × queries; put the queries on the rows: "
                    "Q @ K.T, shape (n_q, n_k) = {want}"
                ).format(where=where, got=got.shape, want=(n_q, n_k)),
            )
        if got.shape != (n_q, n_k):
            return report(
                False,
                _(
                    "{where}: the scores need shape (n_q, n_k) = {want}, one per (query, key) "
                    "pair; got {got}. Hint: Q @ K.T"
                ).format(where=where, want=(n_q, n_k), got=got.shape),
            )
        if np.allclose(got, want):
            passed_d_k = d_k if passed_d_k is None else passed_d_k
            continue
        hint = (
            _precision_hint(raw)
            or _dot_hint(got, Q, K, passed_d_k)
            or _(
                "the values are off: α[i, j] is the dot product of row i of Q with row j of K, "
                "divided by √d_k"
            )
        )
        return report(False, _("{where}: {hint}").format(where=where, hint=hint))
    return report(True, _("α[i, j] = qⁱ·kʲ / √d_k, queries on rows and keys on columns."))


# --- lesson 04 ---
def _softmax_reference(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@_never_crash("my_softmax")
def check_softmax(my_softmax) -> bool:
    """Lesson 04: `my_softmax(x)` → α′, softmax along the last axis (each row of scores sums to
    1), stable for huge scores. Tried on two shapes, huge scores and a single row."""
    if not callable(my_softmax):
        return report(
            False, _("pass the function itself: check_softmax(my_softmax), without calling it")
        )
    x = np.array(
        [[1.0, 2.0, 3.0, 0.5], [0.0, -1.0, 4.0, 2.0], [2.0, 2.0, 2.0, 2.0]]
    )  # (3 queries, 4 keys)
    want = _softmax_reference(x)
    raw, err = _call(my_softmax, x.copy())
    if err:
        hint = _error_hint(
            err,
            _("a row sum of shape (n,) cannot divide an (n, m) matrix: sum with keepdims=True"),
        )
        return report(
            False,
            _("my_softmax(x) with x of shape {shape} {err}{hint}").format(
                shape=x.shape, err=err, hint=hint
            ),
        )
    if raw is None:
        return report(
            False, _("my_softmax returned None: replace the placeholder and `return` the weights")
        )
    got = _real_array(raw)
    if got is None:
        return report(
            False,
            _("my_softmax must return an array of numbers; got {kind}").format(kind=_kind(raw)),
        )
    if got.shape != x.shape:
        hint = (
            _(" Did you sum without keepdims=True?")
            if got.shape in ((x.shape[0],), (x.shape[1],), x.shape[::-1])
            else ""
        )
        return report(
            False,
            _("softmax keeps the shape: x {shape} → α′ {shape}; got {got}.{hint}").format(
                shape=x.shape, got=got.shape, hint=hint
            ),
        )
    if np.allclose(got, _softmax_reference(x, axis=0)) or np.allclose(got.sum(axis=0), 1.0):
        return report(
            False,
            _(
                "your columns sum to 1, not your rows: normalise along the last axis (axis=-1, "
                "keepdims=True), one query's scores over all keys"
            ),
        )
    if np.allclose(got, np.exp(x) / np.exp(x).sum()):
        return report(
            False,
            _(
                "you normalised over the whole matrix; each row (one query) must sum to 1: "
                ".sum(axis=-1, keepdims=True)"
            ),
        )
    if np.allclose(got, np.exp(x)):
        return report(False, _("you exponentiated but did not divide by the row's sum"))
    if not np.allclose(got, want):
        return report(
            False,
            _precision_hint(raw)
            or _("the values are off: α′ = exp(α) / Σ exp(α), each row summing to 1"),
        )
    # another shape: a loop written for (3, 4) shows up here
    x2 = np.array([[0.5, -1.0, 2.0, 0.0, 1.5], [3.0, 1.0, -2.0, 0.5, 0.0]])  # (2, 5)
    raw, err = _call(my_softmax, x2.copy())
    got2 = None if err or raw is None else _real_array(raw)
    if err or got2 is None or got2.shape != x2.shape:
        what = err or _("returned {kind}").format(kind=_kind(raw))
        return report(
            False,
            _(
                "right for x of shape {shape} but not for shape {shape2}: it {what}. A loop or "
                "an array written for one shape? Take the sizes from x (x.shape), or use "
                "x.max(axis=-1, keepdims=True) and .sum(axis=-1, keepdims=True)"
            ).format(shape=x.shape, shape2=x2.shape, what=what),
        )
    if not np.allclose(got2, _softmax_reference(x2)):
        return report(
            False,
            _(
                "right for x of shape {shape} but the values are off for shape {shape2}: do not "
                "hard-code sizes or values"
            ).format(shape=x.shape, shape2=x2.shape),
        )
    big = np.array([[1e4, 0.0, -1e4], [1000.0, 1001.0, 999.0]])
    want_big = _softmax_reference(big)
    raw, err = _call(my_softmax, big.copy())
    if err:
        return report(
            False,
            _("my_softmax(x) with huge scores {big} {err}{hint}").format(
                big=big.tolist(), err=err, hint=_error_hint(err, "")
            ),
        )
    got_big = None if raw is None else _real_array(raw)
    if got_big is None or got_big.shape != big.shape:
        return report(
            False,
            _(
                "my_softmax(x) with huge scores, shape {shape}, returned {kind}; it must "
                "keep the shape"
            ).format(shape=big.shape, kind=_kind(raw)),
        )
    finite_rows = np.all(np.isfinite(got_big), axis=-1)
    if finite_rows[0] and not finite_rows[1] and np.allclose(got_big[0], want_big[0]):
        return report(
            False,
            _(
                "you subtracted the maximum of the whole matrix (10000): in the row "
                "[1000, 1001, 999] every exp(score − 10000) underflows to 0, and 0 / 0 = nan. "
                "Subtract each row's own maximum, x.max(axis=-1, keepdims=True)"
            ),
        )
    if not finite_rows.all():
        return report(
            False,
            _(
                "right for small scores, but scores like 1e4 overflow: exp(10000) = inf and "
                "inf / inf = nan. Subtract each row's maximum first "
                "(x − x.max(axis=-1, keepdims=True)); softmax does not change"
            ),
        )
    if not np.allclose(got_big, want_big):
        return report(
            False,
            _(
                "huge scores give finite but wrong weights; subtract the maximum of each row, not "
                "of the whole matrix"
            ),
        )
    row = np.array([0.5, -2.0, 3.0])
    raw, err = _call(my_softmax, row.copy())
    got_row = None if err or raw is None else _real_array(raw)
    if got_row is None or not np.allclose(got_row, _softmax_reference(row)):
        what = _(" (it {err})").format(err=err) if err else ""
        return report(
            False,
            _(
                "works on a matrix but not on a single row of scores (shape (3,)): use axis=-1 "
                "rather than axis=1{what}"
            ).format(what=what),
        )
    return report(True, _("α′ rows sum to 1, and scores of ±10,000 stay finite."))


# --- lesson 05 ---
@_never_crash("my_weighted_sum")
def check_weighted_sum(my_weighted_sum) -> bool:
    """Lesson 05: `my_weighted_sum(alpha_prime, V)` → B of shape (n_queries, d_v), bⁱ = Σⱼ α′[i,
    j] vʲ."""
    if not callable(my_weighted_sum):
        return report(
            False,
            _("pass the function itself: check_weighted_sum(my_weighted_sum), without calling it"),
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
        where = _("my_weighted_sum(alpha_prime {a}, V {v})").format(a=alpha_prime.shape, v=V.shape)
        raw, err = _call(my_weighted_sum, alpha_prime.copy(), V.copy())
        if err:
            hint = ""
            if any(w in err for w in ("index", "shape", "broadcast", "aligned", "mismatch")):
                hint = _(
                    " — with more keys than queries, summing over the wrong index (or a loop "
                    "written for one shape) runs off the end: bⁱ = Σⱼ α′[i, j] vʲ takes row i of "
                    "alpha_prime (query i) and runs j over its columns (the keys) and over the "
                    "rows of V"
                )
            return report(False, _("{where} {err}{hint}").format(where=where, err=err, hint=hint))
        if raw is None:
            return report(
                False, _("my_weighted_sum returned None: replace the placeholder and `return` B")
            )
        got = _real_array(raw)
        if got is None:
            return report(
                False,
                _("my_weighted_sum must return an array of numbers; got {kind}").format(
                    kind=_kind(raw)
                ),
            )
        if got.shape == (d_v, n_q) and d_v != n_q and np.allclose(got, want.T):
            return report(
                False,
                _(
                    "right numbers, transposed: B has one row per query, shape (n_queries, d_v) = "
                    "{shape}"
                ).format(shape=want.shape),
            )
        if got.shape != want.shape:
            return report(
                False,
                _(
                    "{where} must return B of shape (n_queries, d_v) = {want}, one bⁱ per row; "
                    "got {got}"
                ).format(where=where, want=want.shape, got=got.shape),
            )
        if np.allclose(got, want):
            continue
        if n_q == n_k and np.allclose(got, alpha_prime.T @ V):
            return report(
                False,
                _(
                    "b summed over the wrong index: you used α′[j, i] (column i); "
                    "bⁱ = Σⱼ α′[i, j] vʲ uses row i of alpha_prime, the weights of query i over "
                    "all keys j"
                ),
            )
        if np.allclose(got, np.broadcast_to(V.sum(axis=0), want.shape)) or np.allclose(
            got, np.broadcast_to(V.mean(axis=0), want.shape)
        ):
            return report(
                False,
                _(
                    "every bⁱ is the same plain sum/mean of the vʲ: weight each vʲ by α′[i, j] "
                    "before adding"
                ),
            )
        if np.allclose(got, alpha_prime.sum(axis=1, keepdims=True) * V.sum(axis=0)):
            return report(
                False,
                _(
                    "you multiplied the sums; multiply each vʲ by its own weight α′[i, j], then "
                    "add them up"
                ),
            )
        if np.allclose(got, (alpha_prime @ V) / n_k):
            return report(
                False,
                _(
                    "no division: α′ already sums to 1 over the keys, so Σⱼ α′[i, j] vʲ is the "
                    "weighted average"
                ),
            )
        return report(
            False,
            _("{where}: {hint}").format(
                where=where,
                hint=_precision_hint(raw)
                or _(
                    "the shape is right but the values are off; b¹ (row 1, B[0]) should be "
                    "{want}, yours is {got}"
                ).format(want=np.round(want[0], 3).tolist(), got=np.round(got[0], 3).tolist()),
            ),
        )
    return report(True, _("bⁱ = Σⱼ α′[i, j] vʲ for every query i: the matrix form is B = α′ V."))


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


def _alpha_hints() -> dict:
    """The hints for wrong weights, by form and mix-up (looked up in the edition's language)."""
    return {
        "rows": {
            "no_scale": _(
                "α′ is softmax(Q Kᵀ) without the 1/√d_k: divide the scores by √d_k, "
                "d_k = W_q.shape[1]"
            ),
            "by_d_k": _("you divided the scores by d_k; divide by its square root, √d_k"),
            "by_d_in": _(
                "you divided by √d_in (the columns of X); d_k is the length of q and k: "
                "W_q.shape[1]"
            ),
            "by_n": _(
                "you divided by √n (the number of tokens); d_k is the length of q and k: "
                "W_q.shape[1]"
            ),
            "times_scale": _("you multiplied the scores by √d_k; divide instead"),
            "softmax_axis_0": _(
                "your α′ columns sum to 1, not its rows: in row form each query is a "
                "row, so softmax along the keys, axis=-1"
            ),
            "scores_transposed": _(
                "your scores are K Qᵀ (row i holds kⁱ·qʲ); queries go on the rows: "
                "α = Q Kᵀ, then softmax each row"
            ),
            "whole_matrix": _(
                "you normalised over the whole matrix; each row (one query) must sum to "
                "1: softmax along axis=-1"
            ),
            "no_softmax": _("α′ is the raw scores Q Kᵀ/√d_k: normalise each row with a softmax"),
            "keys_from_W_q": _(
                "the keys are X W_k, not X W_q (you scored every query against the queries)"
            ),
            "global_max": _(
                "you subtracted the maximum of the whole score matrix: a row far below it "
                "underflows to 0 / 0 = nan. Subtract each row's own maximum"
            ),
        },
        "columns": {
            "no_scale": _(
                "A′ is softmax(Kᵀ Q) without the 1/√d_k: divide A by √d_k, d_k = W_q.shape[0]"
            ),
            "by_d_k": _("you divided A by d_k; divide by its square root, √d_k"),
            "by_d_in": _(
                "you divided by √d_in (the rows of I); d_k is the length of q and k: W_q.shape[0]"
            ),
            "by_n": _(
                "you divided by √n (the number of tokens); d_k is the length of q and k: "
                "W_q.shape[0]"
            ),
            "times_scale": _("you multiplied A by √d_k; divide instead"),
            "softmax_axis_0": _(
                "your A′ rows sum to 1, not its columns: in the lecture's form column "
                "i is query i, so softmax each column, axis=0"
            ),
            "scores_transposed": _(
                "your A is Qᵀ K (column i holds kⁱ·qʲ); the lecture's A = Kᵀ Q has "
                "query i in column i"
            ),
            "whole_matrix": _(
                "you normalised over the whole matrix; each column (one query) must sum "
                "to 1: softmax along axis=0"
            ),
            "no_softmax": _("A′ is the raw scores Kᵀ Q/√d_k: normalise each column with a softmax"),
            "keys_from_W_q": _(
                "the keys are K = W^k I, not W^q I (you scored every query against the queries)"
            ),
            "global_max": _(
                "you subtracted the maximum of the whole matrix A: a column far below it "
                "underflows to 0 / 0 = nan. Subtract each column's own maximum"
            ),
        },
    }


def _b_hints() -> dict:
    """The hints for wrong outputs, by form and mix-up."""
    return {
        "rows": {
            "B_transposed": _(
                "B = α′ᵀ V sums over the wrong index: B = α′ V, so bⁱ = Σⱼ α′[i, j] vʲ "
                "takes row i of α′ (query i)"
            ),
            "B_from_X": _("you weighted the inputs X; weight the values V = X W_v"),
            "B_from_Q": _("you weighted the queries Q; weight the values V = X W_v"),
            "B_from_K": _("you weighted the keys K; weight the values V = X W_v"),
        },
        "columns": {
            "B_transposed": _(
                "O = V A′ᵀ sums over the wrong index: O = V A′, so column i of O is Σⱼ A′[j, i] vʲ"
            ),
            "B_from_X": _("you weighted the inputs I; weight the values V = W^v I"),
            "B_from_Q": _("you weighted the queries Q; weight the values V = W^v I"),
            "B_from_K": _("you weighted the keys K; weight the values V = W^v I"),
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


@_never_crash("my_self_attention")
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
        return report(False, _("form must be 'rows' or 'columns'; got {form!r}").format(form=form))
    name = "check_self_attention"
    if not callable(my_self_attention):
        return report(
            False,
            _("pass the function itself: {name}(my_function), without calling it").format(
                name=name
            ),
        )
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
            b_shape, b_word = (d_v, n), _("O (d_v, n): column i is bⁱ")
        else:
            args = (X.copy(), W_q.copy(), W_k.copy(), W_v.copy())
            where = f"f(X {X.shape}, W_q {W_q.shape}, W_k {W_k.shape}, W_v {W_v.shape})"
            b_shape, b_word = (n, d_v), _("B (n, d_v): row i is bⁱ")
        sizes = _("here n = {n}, d_in = {d_in}, d_k = {d_k}, d_v = {d_v}").format(
            n=n, d_in=d_in, d_k=d_k, d_v=d_v
        )
        raw, err = _call(my_self_attention, *args)
        if err:
            shape_hint = _("check each product's shapes ({sizes}): ").format(sizes=sizes) + (
                _("Q = W_q @ I is (d_k, n), A = K.T @ Q is (n, n), O = V @ A′ is (d_v, n)")
                if cols
                else _("Q = X @ W_q is (n, d_k), α = Q @ K.T is (n, n), B = α′ @ V is (n, d_v)")
            )
            return report(False, f"{where} {err}{_error_hint(err, shape_hint)}")
        if raw is None or (
            isinstance(raw, (tuple, list)) and len(raw) == 2 and raw[0] is None and raw[1] is None
        ):
            return report(
                False,
                _(
                    "{where} returned {kind}: replace the placeholder and `return` the pair {out}"
                ).format(
                    where=where, kind=_kind(raw) if raw is None else "(None, None)", out=out_name
                ),
            )
        if not (isinstance(raw, (tuple, list)) and len(raw) == 2):
            single = _real_array(raw)
            if single is not None and single.shape == b_shape:
                return report(
                    False,
                    _(
                        "{where} returned only {b}: return both, the outputs and the weights, "
                        "`return {pair}` (as helpers.attention.self_attention does)"
                    ).format(where=where, b="O" if cols else "B", pair=out_name[1:-1]),
                )
            if single is not None and single.shape == (n, n):
                return report(
                    False,
                    _("{where} returned only the weights {w}: return both, `return {pair}`").format(
                        where=where, w=w_name, pair=out_name[1:-1]
                    ),
                )
            return report(
                False,
                _("{where} must return a pair {out}; got {kind}").format(
                    where=where, out=out_name, kind=_kind(raw)
                ),
            )
        got_b, got_a = _real_array(raw[0]), _real_array(raw[1])
        if got_b is None or got_a is None:
            return report(
                False,
                _(
                    "{where} must return two arrays of numbers {out}; got ({first}, {second})"
                ).format(where=where, out=out_name, first=_kind(raw[0]), second=_kind(raw[1])),
            )
        if got_b.shape == (n, n) and got_a.shape == b_shape and b_shape != (n, n):
            return report(
                False,
                _(
                    "{where}: the pair is the wrong way round; return {out}, the outputs "
                    "first, as helpers.attention.self_attention does"
                ).format(where=where, out=out_name),
            )
        precision = _precision_hint(raw[0]) or _precision_hint(raw[1])
        if precision:
            return report(False, _("{where}: {hint}").format(where=where, hint=precision))
        # the learner's answer in row form, to compare with every variant
        if got_a.shape != (n, n):
            return report(
                False,
                _(
                    "{where}: the weights {w} need shape (n, n) = {want}, one per (query, "
                    "key) pair ({sizes}); got {got}"
                ).format(where=where, w=w_name, want=(n, n), sizes=sizes, got=got_a.shape),
            )
        if cols and got_b.shape == (n, d_v) and d_v != n:
            return report(
                False,
                _(
                    "{where}: O has the shape of the code's B, (n, d_v) = {rows}; in the "
                    "lecture's form O = V A′ has one column per token, shape (d_v, n) = {cols}"
                ).format(where=where, rows=(n, d_v), cols=(d_v, n)),
            )
        if not cols and got_b.shape == (d_v, n) and d_v != n:
            return report(
                False,
                _(
                    "{where}: B has the shape of the lecture's O, (d_v, n) = {cols}; in the "
                    "code's form B = α′ V has one row per token, shape (n, d_v) = {rows}"
                ).format(where=where, cols=(d_v, n), rows=(n, d_v)),
            )
        rows_b = got_b.T if cols else got_b
        rows_a = got_a.T if cols else got_a
        variants = _attention_variants(X, W_q, W_k, W_v)
        # the weights first: every mistake in them also spoils B
        if not np.allclose(rows_a, alpha_prime, atol=1e-6):
            if not np.all(np.isfinite(rows_a)):
                if np.allclose(rows_a, variants["global_max"][1], equal_nan=True):
                    hint = _alpha_hints()[form]["global_max"]
                else:
                    hint = _(
                        "the weights hold nan or inf for scores in the thousands: exp(1000) = "
                        "inf and inf / inf = nan. Subtract each query's largest score before exp"
                    )
                return report(False, _("{where}: {hint}").format(where=where, hint=hint))
            for key, hint in _alpha_hints()[form].items():
                with np.errstate(all="ignore"):
                    if np.allclose(rows_a, variants[key][1], atol=1e-6):
                        return report(False, _("{where}: {hint}").format(where=where, hint=hint))
            line = (
                _("column 1 of A′ (query a¹, I[:, 0])")
                if cols
                else _("row 1 of α′ (query a¹, X[0])")
            )
            return report(
                False,
                _("{where}: the weights are off; {line} should be {want}, yours is {got}").format(
                    where=where,
                    line=line,
                    want=np.round(alpha_prime[0], 3).tolist(),
                    got=np.round(rows_a[0], 3).tolist(),
                ),
            )
        for key, hint in _b_hints()[form].items():
            vb = variants[key][0]
            if vb.shape == rows_b.shape and np.allclose(rows_b, vb, atol=1e-6):
                if vb.shape != B.shape or not np.allclose(vb, B, atol=1e-6):
                    return report(
                        False,
                        _("{where}: the weights are right, but {hint}").format(
                            where=where, hint=hint
                        ),
                    )
        if got_b.shape != b_shape:
            return report(
                False,
                _(
                    "{where}: the weights are right; the outputs need {b_word}, shape {want} "
                    "({sizes}); got {got}"
                ).format(where=where, b_word=b_word, want=b_shape, sizes=sizes, got=got_b.shape),
            )
        if np.allclose(rows_b, B, atol=1e-6):
            continue
        line = _("column 1 of O") if cols else _("row 1 of B")
        return report(
            False,
            _(
                "{where}: the weights are right but the outputs are off; b¹ ({line}) should be "
                "{want}, yours is {got}"
            ).format(
                where=where,
                line=line,
                want=np.round(B[0], 3).tolist(),
                got=np.round(rows_b[0], 3).tolist(),
            ),
        )
    done = (
        _(
            "O = V A′ with A′ = softmax of each column of Kᵀ Q / √d_k: the lecture's form, the "
            "same numbers as helpers.attention.self_attention, transposed."
        )
        if cols
        else _(
            "B, α′ = the whole self-attention layer: the same as "
            "helpers.attention.self_attention on every shape tried."
        )
    )
    return report(True, done)


# --- lesson 06 ---
def _heads_reference(M, n_heads):
    n, d_model = M.shape
    return M.reshape(n, n_heads, d_model // n_heads).transpose(1, 0, 2)


def _every_nth_column(n: int) -> str:
    """ "every second column" … for a hint about interleaved heads."""
    if n == 2:
        return _("every second column")
    if n == 3:
        return _("every third column")
    if n == 4:
        return _("every fourth column")
    return _("every {n}th column").format(n=n)


@_never_crash("my_split_heads")
def check_split_heads(my_split_heads) -> bool:
    """Lesson 06: `my_split_heads(M, n_heads)` → (n_heads, n, d_k); head 1 (index 0) is the block
    of columns 0 … d_k − 1 of M, head 2 the next d_k columns, and so on."""
    if not callable(my_split_heads):
        return report(
            False,
            _("pass the function itself: check_split_heads(my_split_heads), without calling it"),
        )
    M = np.arange(5 * 12, dtype=float).reshape(5, 12)  # (n=5, d_model=12): entry = 12·row + column
    for n_heads in (2, 3, 4):
        d_k = 12 // n_heads
        want = _heads_reference(M, n_heads)
        got, err = _call(my_split_heads, M.copy(), n_heads)
        if err:
            return report(
                False,
                _("my_split_heads(M, {n_heads}) with M of shape {shape} {err}").format(
                    n_heads=n_heads, shape=M.shape, err=err
                ),
            )
        if got is None:
            return report(
                False,
                _("my_split_heads returned None: replace the placeholder and `return` the heads"),
            )
        raw, got = got, _as_array(got)
        if got is None or got.shape != want.shape or isinstance(raw, (str, bytes)):
            shape = None if got is None else got.shape
            if shape == (5, n_heads, d_k):
                return report(
                    False,
                    _(
                        "shape {shape} is (n, n_heads, d_k): put the heads first with "
                        ".transpose(1, 0, 2) → {want}"
                    ).format(shape=shape, want=want.shape),
                )
            return report(
                False,
                _(
                    "with M {shape} and n_heads = {n_heads} the heads need shape "
                    "(n_heads, n, d_k) = {want}; got {got}"
                ).format(shape=M.shape, n_heads=n_heads, want=want.shape, got=_kind(raw)),
            )
        if np.array_equal(got, M.reshape(5, d_k, n_heads).transpose(2, 0, 1)):
            return report(
                False,
                _(
                    "with {n_heads} heads each head took {every_column} (interleaved); it must "
                    "take one contiguous block of d_k columns (head 1 = M[:, :d_k], head 2 = "
                    "M[:, d_k:2*d_k], …): reshape to (n, n_heads, d_k), not (n, d_k, n_heads)"
                ).format(n_heads=n_heads, every_column=_every_nth_column(n_heads)),
            )
        if not np.array_equal(got, want):
            bad = next(h for h in range(n_heads) if not np.array_equal(got[h], want[h]))
            return report(
                False,
                _(
                    "with n_heads = {n_heads}, head {head} is wrong: it should be "
                    "M[:, {start}:{stop}] (d_k = d_model / n_heads = {d_k} columns; head 1 "
                    "is index 0)"
                ).format(
                    n_heads=n_heads, head=bad + 1, start=bad * d_k, stop=(bad + 1) * d_k, d_k=d_k
                ),
            )
    return report(
        True, _("each head is one contiguous block of d_k columns, for 2, 3 and 4 heads.")
    )


_COMBINE_SIZES = {"n": 4, "d_model": 12, "d_out": 5}  # the test's token count and widths


def _combine_one(my_combine_heads, n_heads: int, rng) -> tuple[str, bool] | None:
    """Check one head count: None if right, else (hint, specific); a hint that is not specific
    only says that something is off (an error, a shape, the values), without naming the
    call, which `check_combine_heads` adds."""
    n, d_model, d_out = _COMBINE_SIZES.values()
    d_k = d_model // n_heads
    heads = rng.standard_normal((n_heads, n, d_k))  # (h, n, d_k)
    W_o = rng.standard_normal((n_heads * d_k, d_out))  # (h·d_k, d_out)
    concat = heads.transpose(1, 0, 2).reshape(n, n_heads * d_k)  # (n, h·d_k)
    want = concat @ W_o
    given = (heads.copy(), W_o.copy())
    got, err = _call(my_combine_heads, *given)
    if err:
        # an answer that changed its input gets that hint alone (whatever the language of err)
        in_place = any(not np.array_equal(a, b) for a, b in zip(given, (heads, W_o), strict=True))
        return f"my_combine_heads(heads, W_o) {err}", in_place
    if got is None:
        return _("my_combine_heads returned None: replace the placeholder and `return` B"), True
    raw, got = got, _as_array(got)
    if got is None or isinstance(raw, (str, bytes)):
        return (
            _("B must be an array of shape {want}; got {got}").format(
                want=want.shape, got=_kind(raw)
            ),
            False,
        )

    def close(a, b):
        return a.shape == b.shape and np.allclose(a, b)

    if close(got, concat) and not close(concat, want):
        hint = _(
            "that is the concatenation [b^{i,1}, …, b^{i,h}]: now mix it with W^O, "
            "return concat @ W_o"
        )
        return hint, True
    no_transpose = heads.reshape(n, n_heads * d_k)  # each row mixes several tokens
    if n_heads > 1 and (close(got, no_transpose @ W_o) or close(got, no_transpose)):
        return (
            _(
                "you reshaped heads (n_heads, n, d_k) straight to (n, n_heads·d_k); that "
                "pours the numbers in row after row, so one row of the result mixes several "
                "tokens. Move the heads axis first: heads.transpose(1, 0, 2).reshape(n, n_heads * "
                "d_k)"
            ),
            True,
        )
    summed = heads.sum(axis=0)  # (n, d_k)
    if n_heads > 1 and (close(got, summed) or close(got, summed @ W_o[:d_k])):
        return _("the heads are concatenated side by side (n, n_heads·d_k), not added up"), True
    averaged = (close(got, want / n_heads), close(got, heads.mean(axis=0) @ W_o[:d_k]))
    if n_heads > 1 and any(averaged):
        return _("no averaging: the heads are concatenated and W^O does the mixing"), True
    if got.shape != want.shape:
        if n_heads > 1 and got.shape in ((n * n_heads, d_out), (n_heads * n, d_k)):
            return (
                _(
                    "got shape {shape}, the heads stacked under each other (more rows); put "
                    "them side by side so each token keeps one row: "
                    "heads.transpose(1, 0, 2).reshape(n, n_heads * d_k)"
                ).format(shape=got.shape),
                True,
            )
        return (
            _("B must have shape (n, d_out) = {want}; got {got}").format(
                want=want.shape, got=got.shape
            ),
            False,
        )
    if not np.all(np.isfinite(got)):
        return _("B holds NaN or inf; for finite heads and W_o every entry is finite"), False
    if getattr(raw, "dtype", None) == np.float16 and np.allclose(got, want, rtol=1e-2, atol=1e-2):
        return (
            _(
                "the values are right to about 3 digits only: float16 rounds them; keep the dtype "
                "of the input (float64)"
            ),
            True,
        )
    interleaved = heads.transpose(1, 2, 0).reshape(n, n_heads * d_k)  # d_k-major columns
    if n_heads > 1 and np.allclose(got, interleaved @ W_o):
        return (
            _(
                "the columns are interleaved (one column of each head in turn); each head must "
                "fill one block of d_k columns: transpose to (n, n_heads, d_k) before the reshape"
            ),
            True,
        )
    if not np.allclose(got, want):
        return (
            _(
                "the shape is right but the values are off: B = concat @ W_o with concat "
                "= [b^{i,1}, …, b^{i,h}] (head 1 in the first d_k columns, head 2 in the next, …)"
            ),
            False,
        )
    return None


@_never_crash("my_combine_heads")
def check_combine_heads(my_combine_heads) -> bool:
    """Lesson 06: `my_combine_heads(heads, W_o)` → B = [b^{i,1}, …, b^{i,h}] W_o, shape (n,
    d_out), for 3, 2, 4 and 1 heads (an answer written for one head count fails the others)."""
    if not callable(my_combine_heads):
        return report(
            False,
            _(
                "pass the function itself: check_combine_heads(my_combine_heads), without "
                "calling it"
            ),
        )
    rng = np.random.default_rng(6)
    counts = (3, 2, 4, 1)
    results = {h: _combine_one(my_combine_heads, h, rng) for h in counts}
    passed = [h for h in counts if results[h] is None]
    for h in counts:
        if results[h] is None:
            continue
        hint, specific = results[h]
        if specific:
            return report(False, hint)
        n, d_model, d_out = _COMBINE_SIZES.values()
        shapes = f"heads ({h}, {n}, {d_model // h}), W_o ({d_model}, {d_out})"
        where = ngettext("with {h} head ({shapes})", "with {h} heads ({shapes})", h).format(
            h=h, shapes=shapes
        )
        if passed:
            works = _(" and ").join(str(k) for k in passed)
            return report(
                False,
                ngettext(
                    "right for {works} head, but {where}: {hint}. Do not write the number of "
                    "heads into the code; read it from the input: n_heads, n, d_k = heads.shape",
                    "right for {works} heads, but {where}: {hint}. Do not write the number of "
                    "heads into the code; read it from the input: n_heads, n, d_k = heads.shape",
                    1 if passed == [1] else 2,
                ).format(works=works, where=where, hint=hint),
            )
        return report(False, _("{where}: {hint}").format(where=where, hint=hint))
    return report(
        True,
        _(
            "the heads sit side by side, head 1 in the first d_k columns, head 2 in the next, …, "
            "and W^O mixes them (for 1, 2, 3 and 4 heads)."
        ),
    )


# --- lesson 07 ---
def _interleave(sin_part, cos_part):
    """Columns 0, 2, 4, … from sin_part and 1, 3, … from cos_part (an odd d_model has one sin
    column more)."""
    n, d_sin = sin_part.shape
    d_model = d_sin + cos_part.shape[1]
    e = np.empty((n, d_model))
    e[:, 0::2], e[:, 1::2] = sin_part, cos_part
    return e


def _sinusoid_variants(n_positions, d_model):
    """The right eⁱ and the usual wrong ones, name → (n_positions, d_model). Positions p count
    from 0 (Vaswani et al.); column pair (2k, 2k + 1) has the frequency 1 / 10000^(2k/d_model)."""
    p = np.arange(n_positions)[:, None]
    two_k = np.arange(0, d_model, 2)  # (ceil(d_model / 2),): 0, 2, 4, …
    n_cos = d_model // 2  # an odd d_model ends with a sin column that has no cos partner
    variants = {}
    with np.errstate(all="ignore"):
        angle = p / 10000 ** (two_k / d_model)  # (n, ceil(d/2))
        variants["right"] = _interleave(np.sin(angle), np.cos(angle[:, :n_cos]))
        swapped = np.empty((n_positions, d_model))
        swapped[:, 0::2], swapped[:, 1::2] = np.cos(angle), np.sin(angle[:, :n_cos])
        variants["swapped"] = swapped
        variants["halves"] = np.concatenate([np.sin(angle), np.cos(angle[:, :n_cos])], axis=1)
        variants["halves_swapped"] = np.concatenate(
            [np.cos(angle[:, :n_cos]), np.sin(angle)], axis=1
        )
        own = p / 10000 ** (np.arange(d_model) / d_model)  # each column its own frequency
        variants["own_frequency"] = _interleave(np.sin(own[:, 0::2]), np.cos(own[:, 1::2]))
        one_based = (p + 1) / 10000 ** (two_k / d_model)
        variants["one_based"] = _interleave(np.sin(one_based), np.cos(one_based[:, :n_cos]))
        for name, a in (
            ("no_divide", p / 10000 ** two_k.astype(float)),
            ("times", p * 10000 ** (two_k / d_model)),
            ("index_not_2i", p / 10000 ** ((two_k // 2) / d_model)),
            ("degrees", np.deg2rad(p / 10000 ** (two_k / d_model))),
        ):
            variants[name] = _interleave(np.sin(a), np.cos(a[:, :n_cos]))
    return variants


def _sinusoid_hints() -> dict[str, str]:
    """The hint for each wrong form of `_sinusoid_variants`, in the edition's language."""
    return {
        "one_based": _(
            "your positions start at 1; Vaswani et al. count them from p = 0, so the first "
            "row (the first token's vector, e¹ in the lecture) is sin 0 = 0, cos 0 = 1, …: use "
            "p = np.arange(n_positions)"
        ),
        "swapped": _(
            "sin and cos are swapped: even columns 2k get sin, odd columns 2k+1 get cos (the "
            "row of p = 0 starts 0, 1, 0, 1, …)"
        ),
        "halves": _(
            "you put all the sines in the first half and all the cosines in the second; "
            "interleave them: column 2k = sin, column 2k+1 = cos, both with the same frequency"
        ),
        "halves_swapped": _(
            "cosines first, then sines, in two halves; interleave them instead: column "
            "2k = sin, column 2k+1 = cos"
        ),
        "own_frequency": _(
            "each cos column used its own exponent (2k+1)/d_model; a cos column shares "
            "the frequency of the sin column just before it: both use 10000^(2k/d_model)"
        ),
        "no_divide": _(
            "the exponent is 2k / d_model, not 2k: divide by d_model, or every frequency but "
            "the first is ~0"
        ),
        "times": _(
            "divide the position by 10000^(2k/d_model) (slower and slower waves), do not multiply"
        ),
        "index_not_2i": _(
            "the exponent uses the even column index 2k (0, 2, 4, …), not the pair number "
            "k: 10000^(2k/d_model)"
        ),
        "degrees": _(
            "the angle is in radians: sin(p / 10000^(2k/d_model)) directly, no conversion to "
            "degrees"
        ),
    }


_SINUSOID_ATOL = 1e-4  # float32 arithmetic is off by ~1e-6 here; every wrong form by far more
_SINUSOID_SHAPES = ((10, 8), (7, 6), (50, 16), (9, 7))  # the last: an odd d_model


@_never_crash("my_sinusoidal")
def check_sinusoidal(my_sinusoidal) -> bool:
    """Lesson 07: `my_sinusoidal(n_positions, d_model)` → e (n_positions, d_model), positions p
    from 0, e[p, 2k] = sin(p / 10000^(2k/d_model)), e[p, 2k+1] = cos(p / 10000^(2k/d_model)); an
    odd d_model ends with a sin column. float64 and float32 answers are both right."""
    if not callable(my_sinusoidal):
        return report(
            False,
            _("pass the function itself: check_sinusoidal(my_sinusoidal), without calling it"),
        )

    def close(a, b):
        return a.shape == b.shape and np.allclose(a, b, rtol=0, atol=_SINUSOID_ATOL)

    passed = []
    for n_positions, d_model in _SINUSOID_SHAPES:
        variants = _sinusoid_variants(n_positions, d_model)
        want = variants["right"]
        got, err = _call(my_sinusoidal, n_positions, d_model)
        if err:
            if d_model % 2 and passed:
                return report(
                    False,
                    _(
                        "right for even d_model, but my_sinusoidal({n_positions}, {d_model}) "
                        "{err}. An odd d_model ends with a sin column that has no cos partner: "
                        "there are d_model // 2 cos columns, e.g. e[:, 1::2] = "
                        "np.cos(angle[:, : d_model // 2])"
                    ).format(n_positions=n_positions, d_model=d_model, err=err),
                )
            return report(False, f"my_sinusoidal({n_positions}, {d_model}) {err}")
        if got is None:
            return report(
                False, _("my_sinusoidal returned None: replace the placeholder and `return` e")
            )
        raw, got = got, _as_array(got)
        if isinstance(raw, (str, bytes)):
            got = None
        if got is None or got.shape != want.shape:
            shape = None if got is None else got.shape
            if shape == want.shape[::-1]:
                return report(
                    False,
                    _(
                        "got shape {shape}, the transpose: one row per position, e of shape "
                        "(n_positions, d_model) = {want}"
                    ).format(shape=shape, want=want.shape),
                )
            return report(
                False,
                _(
                    "my_sinusoidal({n_positions}, {d_model}) must return shape "
                    "(n_positions, d_model) = {want}; got {got}"
                ).format(
                    n_positions=n_positions,
                    d_model=d_model,
                    want=want.shape,
                    got=_kind(raw),
                ),
            )
        if close(got, want):
            passed.append((n_positions, d_model))
            continue
        if getattr(raw, "dtype", None) == np.float16 and np.allclose(got, want, atol=1e-2):
            return report(
                False,
                _(
                    "the values are right to about 3 digits only: float16 rounds them; compute in "
                    "float64 (numpy's default) or float32"
                ),
            )
        if not np.all(np.isfinite(got)):
            p, c = np.argwhere(~np.isfinite(got))[0]
            return report(
                False,
                _(
                    "my_sinusoidal({n_positions}, {d_model}) holds NaN or inf (first at row "
                    "p = {p}, column {c}); every entry is a sin or cos, so it lies in [−1, 1]"
                ).format(n_positions=n_positions, d_model=d_model, p=p, c=c),
            )
        for name, hint in _sinusoid_hints().items():
            if close(got, variants[name]):
                return report(False, hint)
        if close(got[:1], want[:1]) and not close(got[:, :2], want[:, :2]):
            # columns 0 and 1 (frequency 1) do not depend on the exponent: the
            # position itself is off
            return report(
                False,
                _(
                    "row 0 is right but later positions are not: check the angle p / "
                    "10000^(2k/d_model), p the position (0, 1, 2, …)"
                ),
            )
        right = np.isclose(got, want, rtol=0, atol=_SINUSOID_ATOL)  # (n_positions, d_model)
        bad = int(np.flatnonzero(~right.all(axis=0))[0])
        kind = "sin" if bad % 2 == 0 else "cos"
        return report(
            False,
            _(
                "column {column} is wrong (d_model = {d_model}); it should be "
                "{kind}(p / 10000^({two_k}/{d_model}))"
            ).format(column=bad, d_model=d_model, kind=kind, two_k=bad - bad % 2),
        )
    shapes = ", ".join(f"({n}, {d})" for n, d in _SINUSOID_SHAPES)
    return report(
        True, _("your e matches the sinusoidal encoding for {shapes}.").format(shapes=shapes)
    )


# --- lesson 08 ---
def _bool_matrix(got, want, where: str):
    """None if `got` equals the bool array `want`; else a hint about shape or dtype (or
    "values")."""
    if got is None:
        return _("{where} returned None: build the mask and `return` it").format(where=where)
    try:
        arr = np.asarray(got)
    except Exception:  # ragged nested lists and the like
        return _("{where} returned a value of type {kind} that is not a rectangular array").format(
            where=where, kind=type(got).__name__
        )
    if arr.ndim == 0:
        return _(
            "{where} returned {what}; it needs an array of shape {shape} (one True/False per "
            "query and key)"
        ).format(where=where, what=_kind(got), shape=want.shape)
    if arr.shape != want.shape:
        return _(
            "{where} has shape {got}; it needs {shape} (queries on rows, keys on columns)"
        ).format(where=where, got=arr.shape, shape=want.shape)
    if arr.dtype != bool:
        if (
            np.issubdtype(arr.dtype, np.number)
            and np.all(np.isfinite(arr))
            and np.array_equal(arr != 0, want)
        ):
            return _(
                "{where} has the right pattern but dtype {dtype}: return a boolean array (a "
                "comparison such as `<=` gives one)"
            ).format(where=where, dtype=arr.dtype)
        return _(
            "{where} must be a boolean array (True where attention is allowed); got dtype {dtype}"
        ).format(where=where, dtype=arr.dtype)
    return None if np.array_equal(arr, want) else "values"


@_never_crash("my_band_mask")
def check_band_mask(my_band_mask) -> bool:
    """Lesson 08: `my_band_mask(n, window)` → bool (n, n), True where |i − j| ≤ window."""
    if not callable(my_band_mask):
        return report(
            False,
            _("pass the function itself: check_band_mask(my_band_mask), without calling it"),
        )
    name = _answer_name(my_band_mask, "my_band_mask")
    for n, window in [(7, 2), (6, 1), (5, 0), (4, 10), (9, 3)]:
        where = f"{name}({n}, {window})"
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
                _(
                    "{where} is one short on each side: the window includes its edge, so use "
                    "|i − j| ≤ window (window = 0 still lets each frame see itself)"
                ).format(where=where),
            )
        if np.array_equal(got, i - j <= window) or np.array_equal(got, j - i <= window):
            return report(
                False,
                _(
                    "{where} is missing abs(): `i − j <= window` alone is also True for every key "
                    "far away on the other side (there i − j is negative); use "
                    "np.abs(i − j) <= window"
                ).format(where=where),
            )
        if np.array_equal(got, want & (j <= i)) or np.array_equal(got, want & (j >= i)):
            return report(
                False,
                _(
                    "{where} only looks one way: truncated self-attention sees `window` frames "
                    "before AND after (take the absolute value of i − j)"
                ).format(where=where),
            )
        if not got.diagonal().all():
            return report(
                False,
                _(
                    "{where} has False on the diagonal: a frame must always be allowed to attend "
                    "to itself"
                ).format(where=where),
            )
        bad = int(np.flatnonzero((got != want).any(axis=1))[0])
        return report(
            False,
            _(
                "{where} differs from |i − j| ≤ window at {count} of {total} places; the first "
                "is query {query} (row mask[{row}]): it should be {want}, yours is {got}"
            ).format(
                where=where,
                count=int((got != want).sum()),
                total=n * n,
                query=bad + 1,
                row=bad,
                want=want[bad].astype(int).tolist(),
                got=got[bad].astype(int).tolist(),
            ),
        )
    return report(
        True,
        _(
            "True exactly where |i − j| ≤ window: each frame sees `window` frames on each side "
            "and itself."
        ),
    )


# --- lesson 09 ---
@_never_crash("my_patchify")
def check_patchify(my_patchify) -> bool:
    """Lesson 09: `my_patchify(image, patch)` → (n_patches, patch·patch·C), patches in
    reading order, each flattened as (row in patch, column in patch, channel)."""
    from .images import patchify

    if not callable(my_patchify):
        return report(
            False, _("pass the function itself: check_patchify(my_patchify), without calling it")
        )
    name = _answer_name(my_patchify, "my_patchify")
    rng = np.random.default_rng(9)
    for H, W, C, p in [(6, 9, 3, 3), (4, 8, 3, 2), (8, 4, 1, 4), (4, 4, 3, 1)]:
        image = rng.random((H, W, C))
        where = _("{name}(image of shape {shape}, {p})").format(name=name, shape=(H, W, C), p=p)
        got, err = _call(my_patchify, image.copy(), p)
        if err:
            return report(False, f"{where} {err}")
        if got is None:
            return report(
                False,
                _("{where} returned None: `return` the (n_patches, patch·patch·C) array").format(
                    where=where
                ),
            )
        rows, cols = H // p, W // p
        want = patchify(image, p)
        try:
            dtype = np.asarray(got).dtype
        except Exception:  # ragged nested lists and the like
            return report(
                False,
                _(
                    "{where} returned a value of type {kind} that is not a rectangular array; it "
                    "needs shape (n_patches, patch·patch·C) = {shape}"
                ).format(where=where, kind=type(got).__name__, shape=want.shape),
            )
        if np.issubdtype(dtype, np.complexfloating):
            return report(
                False,
                _("{where} returned complex numbers; the pixels are real").format(where=where),
            )
        raw = got
        got = _as_array(got)
        if got is None or got.ndim == 0:
            what = "" if got is None else _(" ({what})").format(what=_kind(raw))
            return report(
                False,
                _(
                    "{where} returned something that is not an array of numbers{what}; it needs "
                    "shape (n_patches, patch·patch·C) = {shape}"
                ).format(where=where, what=what, shape=want.shape),
            )
        if got.shape != want.shape:
            return report(
                False,
                _(
                    "{where} has shape {got}; it needs (n_patches, patch·patch·C) = {shape}: "
                    "{rows}×{cols} patches, each {p}·{p}·{C} numbers long"
                ).format(
                    where=where, got=got.shape, shape=want.shape, rows=rows, cols=cols, p=p, C=C
                ),
            )
        if not np.all(np.isfinite(got)):
            return report(
                False,
                _("{where} holds NaN or inf; the image's pixels are all finite numbers").format(
                    where=where
                ),
            )
        if np.allclose(got, want):
            continue
        if np.allclose(got, want, rtol=1e-2, atol=1e-3):
            return report(
                False,
                _(
                    "{where} has the right patches but only to about 3 digits (dtype {dtype}): "
                    "keep the image's own dtype (float64); do not convert to float16"
                ).format(where=where, dtype=dtype),
            )
        blocks = image.reshape(rows, p, cols, p, C)
        wrong = {
            "column_order": blocks.transpose(2, 0, 1, 3, 4).reshape(rows * cols, -1),
            "transposed": blocks.transpose(0, 2, 3, 1, 4).reshape(rows * cols, -1),
            "channels_first": blocks.transpose(0, 2, 4, 1, 3).reshape(rows * cols, -1),
        }
        if np.allclose(got, wrong["column_order"]):
            return report(
                False,
                _(
                    "{where}: the patches come column by column; number them in reading order, "
                    "left to right along the top row of patches, then the next row"
                ).format(where=where),
            )
        if np.allclose(got, wrong["transposed"]):
            return report(
                False,
                _(
                    "{where}: each patch is flattened column by column (transposed); read a "
                    "patch's pixels row by row, as in the image: order (row in patch, column in "
                    "patch, channel)"
                ).format(where=where),
            )
        if np.allclose(got, wrong["channels_first"]):
            return report(
                False,
                _(
                    "{where}: each patch lists all its red values, then green, then blue; keep a "
                    "pixel's channels together: order (row in patch, column in patch, channel)"
                ).format(where=where),
            )
        if np.allclose(got, image.reshape(rows * cols, -1)):
            return report(
                False,
                _(
                    "{where} takes {p}·{p}·{C} numbers in a row straight from the image: that is "
                    "a strip of pixels along one image row, not a {p}×{p} square. Reshape to "
                    "(H/p, p, W/p, p, C) and move the axes so each patch's rows come together"
                ).format(where=where, p=p, C=C),
            )
        if np.allclose(np.sort(got, axis=None), np.sort(want, axis=None)):
            i, k = np.argwhere(~np.isclose(got, want))[0]
            return report(
                False,
                _(
                    "{where} has the right numbers in the wrong places: the first difference is "
                    "in patch {patch} (row {i} of the array: patch 1 is row 0), number {number}, "
                    "which should be {want:.3f}; yours is {got:.3f}"
                ).format(
                    where=where, patch=i + 1, i=i, number=k + 1, want=want[i, k], got=got[i, k]
                ),
            )
        return report(
            False,
            _("{where} holds values that are not the image's pixels cut into patches").format(
                where=where
            ),
        )
    return report(
        True,
        _("patches in reading order, each read row by row with its channels together, as in ViT."),
    )


# --- lesson 10 ---
@_never_crash("my_graph_mask")
def check_graph_mask(my_graph_mask) -> bool:
    """Lesson 10: `my_graph_mask(n, edges)` → bool (n, n), True on the diagonal and both ways
    along every edge (nodes numbered from 0, as array indices)."""
    if not callable(my_graph_mask):
        return report(
            False,
            _("pass the function itself: check_graph_mask(my_graph_mask), without calling it"),
        )
    name = _answer_name(my_graph_mask, "my_graph_mask")
    for n, edges in [
        (5, [(0, 1), (1, 2), (3, 4)]),
        (4, [(3, 0)]),
        (6, [(0, 5), (2, 1), (2, 4)]),
        (3, []),
    ]:
        where = f"{name}({n}, {edges})"
        given = [tuple(e) for e in edges]
        got, err = _call(my_graph_mask, n, given)
        if err:
            return report(False, f"{where} {err}")
        if given != edges:
            return report(
                False,
                _(
                    "{where} changed the list of edges it was given (now {given!r:.60}): read the "
                    "edges, do not add to, remove from or reorder that list"
                ).format(where=where, given=given),
            )
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
                _(
                    "{where} is all False: every node attends at least to itself (the diagonal), "
                    "and to its neighbours along the edges"
                ).format(where=where),
            )
        if not got.diagonal().all() and np.array_equal(got | np.eye(n, dtype=bool), want):
            return report(
                False,
                _(
                    "{where} leaves the diagonal False: a node must also attend to itself (add "
                    "self-loops), or it forgets its own vector"
                ).format(where=where),
            )
        if not np.array_equal(got, got.T):
            return report(
                False,
                _(
                    "{where} is not symmetric: an edge (i, j) joins both nodes, so set mask[i, j] "
                    "and mask[j, i]"
                ).format(where=where),
            )
        return report(
            False,
            _(
                "{where} differs from the graph at {count} of {total} places; expected rows {rows}"
            ).format(
                where=where,
                count=int((got != want).sum()),
                total=n * n,
                rows=want.astype(int).tolist(),
            ),
        )
    return report(
        True, _("each node attends to itself and to its neighbours, both ways along every edge.")
    )


# --- lesson 11 ---
def _earlier_copies(tokens, i: int, *, last: int) -> list[int]:
    """Positions j ≤ `last` (0-based) whose token is query i's."""
    return [j for j in range(last + 1) if tokens[j] == tokens[i]]


def _induction_variants(A: np.ndarray, tokens) -> dict:
    """The induction score of α′ `A` (n, n) for `tokens`, right and as typical slips compute it.

    "right": for each query i whose token stood before at some j with j + 1 < i, the sum of
    A[i, j + 1] over those j (the key right after each earlier copy); the mean over such queries.
    """
    n = len(tokens)
    rows = {}  # variant → (per-query values, the queries they are taken over)

    def score(pick, copies):
        """pick(i, j) → the weight used for copy j of query i (None: not counted)."""
        values, queries = [], []
        for i in range(n):
            js = copies(i)
            if js:
                values.append(sum(pick(i, j) for j in js))
                queries.append(i)
        return values, queries

    def proper(i):
        return _earlier_copies(tokens, i, last=i - 2)  # j + 1 < i

    rows["right"] = score(lambda i, j: A[i, j + 1], proper)
    rows["occurrence itself"] = score(lambda i, j: A[i, j], proper)
    rows["two after"] = score(lambda i, j: A[i, j + 2], proper)
    rows["key before"] = score(lambda i, j: A[i, j - 1] if j else 0.0, proper)
    rows["transposed"] = score(lambda i, j: A[j + 1, i], proper)
    rows["diagonal"] = score(
        lambda i, j: A[i, j + 1], lambda i: _earlier_copies(tokens, i, last=i - 1)
    )
    rows["itself as a copy"] = score(
        lambda i, j: A[i, j + 1] if j + 1 < n else 0.0, lambda i: _earlier_copies(tokens, i, last=i)
    )

    def one_copy(which):
        def copies(i):
            js = proper(i)
            return [js[which]] if js else []

        return copies

    rows["last copy only"] = score(lambda i, j: A[i, j + 1], one_copy(-1))
    rows["first copy only"] = score(lambda i, j: A[i, j + 1], one_copy(0))
    values, queries = rows["right"]
    counts = [len(proper(i)) for i in queries]
    out = {name: float(np.mean(v)) for name, (v, _) in rows.items() if v}
    out["mean over copies"] = float(np.mean([v / c for v, c in zip(values, counts, strict=True)]))
    total = float(np.sum(values))
    out["sum"] = total
    for denominator, name in ((n, "all queries"), (n - 1, "all queries but one")):
        out[name] = total / denominator
    out["all copies pooled"] = total / sum(counts)
    return out


def _induction_hints() -> dict:
    """Each slip's hint, in the current language."""
    return {
        "occurrence itself": _(
            "you summed α′ on the earlier copy itself (key j). An induction head looks at the key "
            "right AFTER it, j + 1: that is the character that came next last time, the one to copy"
        ),
        "two after": _(
            "you took the key two after the earlier copy (j + 2); it is the key right after, j + 1"
        ),
        "key before": _(
            "you took the key before the earlier copy (j − 1); it is the key right after, j + 1"
        ),
        "transposed": _(
            "you read α′ the wrong way round: alpha_prime[i, k] is query i's weight on key k "
            "(queries on rows, keys on columns), so the weight is alpha_prime[i, j + 1]"
        ),
        "diagonal": _(
            "you counted the diagonal: when the character before the query is the same as the "
            'query ("ss" in "miss"), j = i − 1 makes key j + 1 the query itself. Only earlier keys '
            "count: keep j + 1 < i, i.e. j in range(i - 1)"
        ),
        "itself as a copy": _(
            "you counted the query as an earlier copy of itself (j = i): a copy is at an earlier "
            "position, j + 1 < i, i.e. j in range(i - 1)"
        ),
        "last copy only": _(
            "you used only the latest earlier copy; where the character stood before several "
            "times, sum α′ over the key after EVERY earlier copy"
        ),
        "first copy only": _(
            "you used only the first earlier copy; where the character stood before several "
            "times, sum α′ over the key after EVERY earlier copy"
        ),
        "mean over copies": _(
            "for a query with several earlier copies you averaged their weights; SUM them (the "
            "head's total weight on the right keys), then average over the queries"
        ),
        "sum": _(
            "you summed over the queries; take the mean over the queries that have an earlier copy"
        ),
        "all queries": _(
            "you averaged over every query; average only over the queries whose character stood "
            "before (a query with no earlier copy has nothing to find)"
        ),
        "all queries but one": _(
            "you averaged over n − 1 queries; average only over the queries whose character stood "
            "before (a query with no earlier copy has nothing to find)"
        ),
        "all copies pooled": _(
            "you divided by the number of earlier copies; divide by the number of queries that "
            "have at least one (a query's weights over its copies add up)"
        ),
    }


def _induction_cases():
    """(description, α′ (n, n) float64, tokens) the check runs, from the simplest."""
    rng = np.random.default_rng(11)
    half = list("uelqkc,.gv")
    n = 2 * len(half)
    ideal = np.eye(n)
    for i in range(len(half), n):  # the second half looks at the key after its earlier copy
        ideal[i] = 0.0
        ideal[i, i - len(half) + 1] = 1.0
    cases = [
        (_("an ideal induction head on “{text}”").format(text="uelqkc,.gvuelqkc,.gv"), ideal,
         list(half * 2))
    ]  # fmt: skip
    tokens = list("the cat sat. the cat sat.")
    A = rng.random((len(tokens), len(tokens))) ** 3 * np.tri(len(tokens))
    cases.append(
        (
            _("a causal α′ on “{text}”").format(text="".join(tokens)),
            A / A.sum(1, keepdims=True),
            tokens,
        )
    )
    tokens = list("abbaccabcbbacaab")  # doubled letters, several copies, a query with none
    A = rng.random((len(tokens), len(tokens))) ** 3  # full, not causal: every key can count
    cases.append(
        (
            _("a full (non-causal) α′ on “{text}”").format(text="".join(tokens)),
            A / A.sum(1, keepdims=True),
            tokens,
        )
    )
    return cases


def _score_value(got, n: int, n_queries: int):
    """(float, None) for one finite number; (None, "why not") for anything else."""
    if isinstance(got, (bool, np.bool_)):
        return None, _(
            "returned {got!r}, a bool; return the score, a number between 0 and 1"
        ).format(got=got)
    if isinstance(got, (str, bytes)):
        return None, _("returned the text {got!r:.40}; return the score itself, a number").format(
            got=got
        )
    try:
        arr = np.asarray(got)
    except Exception:  # ragged nested lists and the like
        return None, _("returned a {type} that is not a number; return one float").format(
            type=type(got).__name__
        )
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number)):
        return None, _("returned {type} {got!r:.40}; return one float").format(
            type=type(got).__name__, got=got
        )
    if np.issubdtype(arr.dtype, np.complexfloating):
        return None, _("returned a complex number; α′ and the score are real")
    if arr.size != 1:
        per = {
            n: _("one value per query"),
            n_queries: _("one value per query that has an earlier copy"),
        }
        what = per.get(arr.size, _("{count} values").format(count=arr.size))
        return None, _(
            "returned an array of shape {shape} ({what}); average it into ONE number, the "
            "mean over the queries that have an earlier copy"
        ).format(shape=arr.shape, what=what)
    value = float(arr.reshape(()))
    if math.isnan(value):
        return None, _(
            "returned nan: a mean over nothing (0 / 0)? This text has queries with an earlier "
            "copy: average over those"
        )
    if math.isinf(value):
        return None, _("returned {value}; the score is a mean of weights, between 0 and 1").format(
            value=value
        )
    return value, None


def _induction_answer(func, name: str, case):
    """(value, variants, where) for one case, or (None, None, "the ❌ message")."""
    description, A, tokens = case
    where = _("{name} on {description}").format(name=name, description=description)
    given_tokens = list(tokens)
    got, err = _call(func, A.copy(), given_tokens)
    if err:
        return None, None, _("{where} {error}").format(where=where, error=err)
    if given_tokens != tokens:
        return None, None, _(
            "{where} changed the list of tokens it was given: read the tokens, do not add to, "
            "remove from or reorder that list"
        ).format(where=where)
    if got is None:
        return None, None, _(
            "{where} returned None: replace the placeholder and `return` the score"
        ).format(where=where)
    n_queries = sum(bool(_earlier_copies(tokens, i, last=i - 2)) for i in range(len(tokens)))
    value, why = _score_value(got, len(tokens), n_queries)
    if why:
        return None, None, _("{where} {error}").format(where=where, error=why)
    variants = _induction_variants(A, tokens)
    want = variants["right"]
    if abs(value - want) > 1e-6 and abs(value - want) <= 5e-3 and (
        getattr(got, "dtype", None) == np.float16 or abs(value - float(np.float16(want))) < 1e-9
    ):
        return None, None, _(
            "{where} gave {value:.4f}, expected {want:.6f}: right to about 3 digits only, as "
            "float16 keeps them; keep α′'s own dtype (float64)"
        ).format(where=where, value=value, want=want)
    return value, variants, where


@_never_crash("my_induction_score")
def check_induction_score(my_induction_score) -> bool:
    """Lesson 11: `my_induction_score(alpha_prime, tokens)` → float, Olsson et al.'s induction
    score of one head: over the queries i whose token stood before at some j with j + 1 < i, the
    mean of Σ_j α′[i, j + 1], the weight on the key right after each earlier copy.

    alpha_prime (n, n): queries on rows, keys on columns; tokens: a list of the n characters.
    The answer runs on every case first; a wrong one is named by the slip that explains its
    values on all of them (two slips can agree on one case and differ on another)."""
    if not callable(my_induction_score):
        return report(
            False,
            _(
                "pass the function itself: check_induction_score(my_induction_score), without "
                "calling it"
            ),
        )
    name = _answer_name(my_induction_score, "my_induction_score")
    answers = []
    for case in _induction_cases():
        value, variants, where = _induction_answer(my_induction_score, name, case)
        if variants is None:
            return report(False, where)
        answers.append((value, variants, where))
    wrong = [a for a in answers if abs(a[0] - a[1]["right"]) > 1e-6]
    if not wrong:
        return report(
            True,
            _(
                "the mean weight on the key right after each earlier copy of the query's "
                "character, over the queries that have one: Olsson et al.'s induction score."
            ),
        )
    value, variants, where = wrong[0]
    want = variants["right"]
    for variant, hint in _induction_hints().items():
        explains = all(
            variant in v and abs(val - v[variant]) <= 1e-6 for val, v, _ in answers
        )
        if explains and abs(variants[variant] - want) > 1e-6:
            return report(
                False,
                _("{where} gave {value:.4f}, expected {want:.4f}: {hint}").format(
                    where=where, value=value, want=want, hint=hint
                ),
            )
    if not 0.0 <= value <= 1.0 + 1e-9:
        return report(
            False,
            _(
                "{where} gave {value:.4f}, expected {want:.4f}: the score is a mean of weights "
                "α′ (each query's weights add up to at most 1), so it lies between 0 and 1"
            ).format(where=where, value=value, want=want),
        )
    return report(
        False,
        _(
            "{where} gave {value:.4f}, expected {want:.4f}. For each query i (row i), find the "
            "earlier positions j with the same character and j + 1 < i; add up "
            "alpha_prime[i, j + 1] over them; average those sums over the queries that have "
            "such a j"
        ).format(where=where, value=value, want=want),
    )
