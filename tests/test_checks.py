"""helpers.checks: every exercise check accepts right answers and rejects wrong ones with a hint,
without crashing."""

import functools
import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import checks
from helpers.attention import combine_heads, self_attention, split_heads
from helpers.checks import (
    check_band_mask,
    check_count_frames,
    check_count_scores,
    check_dot_scores,
    check_graph_mask,
    check_patchify,
    check_self_attention,
    check_softmax,
    check_weighted_sum,
    check_window,
)
from helpers.positional import sinusoidal_encoding


def run(check, func, capsys):
    ok = check(func)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # exactly one line: ✅ or ❌ with its hint
    assert out.startswith("✅" if ok else "❌"), out
    return ok, out


# ---- lesson 00: count_scores ---------------------------------------------------------------------
def count_scores_solution(n):
    """Lesson 00's worked solution, as the notebook has it."""
    return n * n


@pytest.mark.parametrize(
    "fn",
    [
        count_scores_solution,
        lambda n: n**2,
        lambda n: float(n * n),
        lambda n: np.int64(n) * n,
        lambda n: len([(i, j) for i in range(n) for j in range(n)]),
        lambda n: np.ones((n, n)).size,
    ],
)
def test_count_scores_accepts_right_answers(fn, capsys):
    ok, out = run(check_count_scores, fn, capsys)
    assert ok, out


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (lambda n: n * (n - 1), "also scores itself"),
        (lambda n: n * (n - 1) // 2, "not symmetric"),
        (lambda n: n * (n + 1) // 2, "not symmetric"),
        (lambda n: n, "one score per query"),
        (lambda n: 2 * n, "n × n grid"),
        (lambda n: 16, "expected 25"),
        (lambda n: None, "returned None"),
        (lambda n: str(n * n), "not a str"),
        (lambda n: float("nan"), "nan (not a number)"),
        (lambda n: math.inf, "finite number"),
        (lambda n: [n * n], "single whole number"),
        (lambda n: np.float16(n * n) + 0.5, "not a whole number"),
        (lambda n: n / 0, "ZeroDivisionError"),
        (lambda: 16, "TypeError"),
    ],
)
def test_count_scores_rejects_wrong_answers_with_a_hint(fn, hint, capsys):
    ok, out = run(check_count_scores, fn, capsys)
    assert not ok and hint in out, out


def test_count_scores_wants_the_function(capsys):
    ok, out = run(check_count_scores, 16, capsys)
    assert not ok and "pass the function itself" in out


# ---- lesson 01: count_frames ---------------------------------------------------------------------
def count_frames_solution(duration_s, window_ms=25, hop_ms=10):
    """Lesson 01's worked solution, as the notebook has it."""
    duration_ms = round(duration_s * 1000, 6)
    return math.ceil(duration_ms / hop_ms)


RIGHT_COUNTS = {
    "the lesson's solution": count_frames_solution,
    "integer ceil": lambda duration_s, window_ms=25, hop_ms=10: (
        -(-round(duration_s * 1000) // hop_ms)
    ),
    "numpy": lambda duration_s, window_ms=25, hop_ms=10: int(
        np.ceil(np.round(duration_s * 1000, 6) / hop_ms)
    ),
    "samples": lambda duration_s, window_ms=25, hop_ms=10: len(
        range(0, round(duration_s * 16000), round(hop_ms * 16))
    ),
    "a whole float": lambda duration_s, window_ms=25, hop_ms=10: float(
        count_frames_solution(duration_s, window_ms, hop_ms)
    ),
    "numpy int": lambda duration_s, window_ms=25, hop_ms=10: np.int64(
        count_frames_solution(duration_s, window_ms, hop_ms)
    ),
}


@pytest.mark.parametrize("name", RIGHT_COUNTS)
def test_count_frames_accepts_right_answers(name, capsys):
    ok, out = run(check_count_frames, RIGHT_COUNTS[name], capsys)
    assert ok, out


# durations whose `duration_s * 1000 / hop_ms` lands a hair above a whole number
NOISY = [4.03, 4.07, 8.05, 8.06, 8.13, 8.14]


@pytest.mark.parametrize("duration", NOISY)
def test_count_frames_solution_is_exact_where_a_bare_ceil_is_not(duration):
    from helpers.speech import n_frames

    right = n_frames(duration)
    assert count_frames_solution(duration) == right == round(duration * 100)
    assert math.ceil(duration * 1000 / 10) == right + 1  # the old worked solution: one too many
    assert right == len(range(0, round(duration * 16000), 160))  # frame starts inside the clip


WRONG_COUNTS = {
    "bare ceil (float noise)": (
        lambda duration_s, window_ms=25, hop_ms=10: math.ceil(duration_s * 1000 / hop_ms),
        "floating point: 4.03 * 1000 / 10 is 403.00000000000006",
    ),
    "bare ceil of s": (
        lambda duration_s, window_ms=25, hop_ms=10: math.ceil(duration_s / (hop_ms / 1000)),
        "a hair above",
    ),
    "plus one": (
        lambda duration_s, window_ms=25, hop_ms=10: count_frames_solution(duration_s) + 1,
        "one too many",
    ),
    "floor": (
        lambda duration_s, window_ms=25, hop_ms=10: int(duration_s * 1000 / hop_ms),
        "round *up*",
    ),
    "no padding": (
        lambda duration_s, window_ms=25, hop_ms=10: (
            1 + int((duration_s * 1000 - window_ms) // hop_ms)
        ),
        "without padding",
    ),
    "by window": (
        lambda duration_s, window_ms=25, hop_ms=10: math.ceil(duration_s * 1000 / window_ms),
        "divided by the window",
    ),
    "units": (lambda duration_s, window_ms=25, hop_ms=10: math.ceil(duration_s / hop_ms), "units"),
    "float": (
        lambda duration_s, window_ms=25, hop_ms=10: duration_s * 1000 / hop_ms,
        "whole number",
    ),
    "placeholder": (lambda duration_s, window_ms=25, hop_ms=10: None, "returned None"),
    "crash": (lambda duration_s, window_ms=25, hop_ms=10: duration_s / 0, "ZeroDivisionError"),
    "fixed": (lambda duration_s, window_ms=25, hop_ms=10: 100, "expected 200"),
    "str": (lambda duration_s, window_ms=25, hop_ms=10: "100", "not a str"),
    "str of the right count": (
        lambda duration_s, window_ms=25, hop_ms=10: str(count_frames_solution(duration_s)),
        "the text '100'",
    ),
    "nan": (lambda duration_s, window_ms=25, hop_ms=10: float("nan"), "nan (not a number)"),
    "inf": (lambda duration_s, window_ms=25, hop_ms=10: math.inf, "finite number of vectors"),
    "-inf": (lambda duration_s, window_ms=25, hop_ms=10: -np.inf, "finite number of vectors"),
    "list": (lambda duration_s, window_ms=25, hop_ms=10: [100], "single whole number"),
    "array": (lambda duration_s, window_ms=25, hop_ms=10: np.array([100.0]), "single whole"),
    "bool": (lambda duration_s, window_ms=25, hop_ms=10: True, "a bool"),
    "float16": (
        lambda duration_s, window_ms=25, hop_ms=10: np.float16(duration_s * 1000 / hop_ms),
        "count_frames(",
    ),
    "no keywords": (lambda duration_s: 100, "TypeError"),
    "a huge int": (lambda duration_s, window_ms=25, hop_ms=10: 10**400, "expected 100"),
    "a huge float": (lambda duration_s, window_ms=25, hop_ms=10: 1e300, "expected 100"),
}


@pytest.mark.parametrize("name", WRONG_COUNTS)
def test_count_frames_rejects_wrong_answers_with_a_hint(name, capsys):
    func, hint = WRONG_COUNTS[name]
    ok, out = run(check_count_frames, func, capsys)
    assert not ok
    assert hint in out, out


def test_count_frames_wants_the_function(capsys):
    ok, out = run(check_count_frames, 100, capsys)
    assert not ok and "pass the function itself" in out


# ---- lesson 03: dot_scores -----------------------------------------------------------------------
RIGHT_DOTS = {
    "matmul": lambda Q, K: Q @ K.T / np.sqrt(K.shape[-1]),
    "einsum": lambda Q, K: np.einsum("id,jd->ij", Q, K) / math.sqrt(Q.shape[1]),
    "scale q first": lambda Q, K: (Q / Q.shape[-1] ** 0.5) @ K.T,
    "loops": lambda Q, K: np.array([[sum(q * k) / len(k) ** 0.5 for k in K] for q in Q]),
    "list": lambda Q, K: (np.dot(Q, K.T) * (1 / np.sqrt(K.shape[1]))).tolist(),
}


@pytest.mark.parametrize("name", RIGHT_DOTS)
def test_dot_scores_accepts_right_answers(name, capsys):
    ok, out = run(check_dot_scores, RIGHT_DOTS[name], capsys)
    assert ok, out


WRONG_DOTS = {
    "no scale": (lambda Q, K: Q @ K.T, "not scaled"),
    "by d_k": (lambda Q, K: Q @ K.T / K.shape[-1], "square root"),
    "by n": (lambda Q, K: Q @ K.T / np.sqrt(len(K)), "number of tokens"),
    "times": (lambda Q, K: Q @ K.T * np.sqrt(K.shape[-1]), "multiplied"),
    "transposed": (lambda Q, K: K @ Q.T / np.sqrt(K.shape[-1]), "queries on the rows"),
    "elementwise": (lambda Q, K: (Q * K).sum(), "shape"),
    "fixed d_k": (lambda Q, K: Q @ K.T / 4.0, "take d_k from the inputs"),
    "placeholder": (lambda Q, K: None, "returned None"),
    "crash": (lambda Q, K: Q @ K / 4, "raised ValueError"),
    "cosine": (
        lambda Q, K: (
            (Q / np.linalg.norm(Q, axis=1, keepdims=True))
            @ (K / np.linalg.norm(K, axis=1, keepdims=True)).T
        ),
        "values are off",
    ),
}


@pytest.mark.parametrize("name", WRONG_DOTS)
def test_dot_scores_rejects_wrong_answers_with_a_hint(name, capsys):
    func, hint = WRONG_DOTS[name]
    ok, out = run(check_dot_scores, func, capsys)
    assert not ok
    assert hint in out


def test_dot_scores_gets_separate_query_and_key_arrays(capsys):
    seen = []

    def records(Q, K):
        seen.append(Q is K or np.shares_memory(Q, K))
        return Q @ K.T / np.sqrt(K.shape[-1])

    ok, out = run(check_dot_scores, records, capsys)
    assert ok, out
    assert len(seen) >= 3 and not any(seen)  # every case, d_k = 4 included, with distinct Q, K


def test_dot_scores_fixed_d_k_is_named_for_the_case_it_breaks(capsys):
    ok, out = run(check_dot_scores, lambda Q, K: Q @ K.T / 4.0, capsys)  # right only for d_k = 16
    assert not ok and "d_k = 4" in out and "take d_k from the inputs" in out.lower(), out


# Answers that are not answers at all: every check must say ❌ with a hint, never crash.
def _junk_answers(shape_of_args):
    """name → (function, hint) for one check; shape_of_args: a wrong but array-valued result."""
    return {
        "raises": (lambda *a: 1 / 0, "ZeroDivisionError"),
        "None": (lambda *a: None, "returned None"),
        "str": (lambda *a: "alpha", "str"),
        "nan": (lambda *a: float("nan"), ""),
        "inf": (lambda *a: float("inf"), ""),
        "ragged list": (lambda *a: [[1.0], [2.0, 3.0]], ""),
        "wrong shape": (lambda *a: np.zeros(shape_of_args), "shape"),
        "mutates": (None, "in place"),
        "float16": (None, "float16"),
    }


JUNK_CHECKS = {
    "dot_scores": (
        check_dot_scores,
        lambda Q, K: Q @ K.T / np.sqrt(K.shape[-1]),
        (7, 7),
    ),
    "softmax": (check_softmax, lambda x: checks._softmax_reference(x), (7,)),
    "weighted_sum": (check_weighted_sum, lambda a, V: a @ V, (7, 7)),
}


def _mutating(right):
    def f(first, *rest):
        out = right(first.copy(), *rest)
        first[...] = 0.0  # right numbers, but the caller's array is wiped
        return out

    return f


def _float16(right):
    return lambda *a: np.asarray(right(*a)).astype(np.float16)


@pytest.mark.parametrize("check_name", list(JUNK_CHECKS))
@pytest.mark.parametrize("junk", list(_junk_answers((1,))))
def test_checks_of_lessons_03_to_05_survive_any_answer(check_name, junk, capsys):
    check, right, wrong_shape = JUNK_CHECKS[check_name]
    fn, hint = _junk_answers(wrong_shape)[junk]
    if junk == "mutates":
        fn = _mutating(right)
    elif junk == "float16":
        fn = _float16(right)
    ok, out = run(check, fn, capsys)
    assert not ok, out
    assert hint in out, out


# ---- lesson 04: my_softmax -----------------------------------------------------------------------
def softmax_exp2(x):
    x = np.asarray(x, dtype=float)
    z = (x - x.max(axis=-1, keepdims=True)) * np.log2(np.e)
    e = np.exp2(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_logsumexp(x):
    x = np.asarray(x, dtype=float)
    m = np.max(x, axis=-1, keepdims=True)
    return np.exp(x - m - np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))


def softmax_rows_loop(x):
    x = np.atleast_2d(np.asarray(x, dtype=float))
    out = np.empty_like(x)
    for i, row in enumerate(x):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(np.shape(x) if np.ndim(x) > 1 else (-1,))


RIGHT_SOFTMAX = {
    "ours": lambda x: (
        np.exp(x - x.max(axis=-1, keepdims=True))
        / np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True)
    ),
    "exp2": softmax_exp2,
    "logsumexp": softmax_logsumexp,
    "loop": lambda x: softmax_rows_loop(x) if np.ndim(x) > 1 else softmax_rows_loop(x)[0],
    "min shift": lambda x: (lambda e: e / e.sum(-1, keepdims=True))(
        np.exp(x - np.max(x, -1)[..., None])
    ),
}


@pytest.mark.parametrize("name", RIGHT_SOFTMAX)
def test_softmax_accepts_right_answers(name, capsys):
    ok, out = run(check_softmax, RIGHT_SOFTMAX[name], capsys)
    assert ok, out


def naive(x):
    return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)


def softmax_in_place(x):
    # right numbers, but it overwrites the caller's scores
    x -= x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


def test_dot_scores_rejects_an_answer_that_changes_its_inputs(capsys):
    def in_place(Q, K):
        Q /= np.sqrt(K.shape[-1])
        return Q @ K.T

    ok, out = run(check_dot_scores, in_place, capsys)
    assert not ok and "in place" in out


WRONG_SOFTMAX = {
    "no max subtraction": (naive, "overflow"),
    "wrong axis": (
        lambda x: np.exp(x - x.max(axis=0)) / np.exp(x - x.max(axis=0)).sum(axis=0),
        "columns sum to 1",
    ),
    "whole matrix": (lambda x: np.exp(x - x.max()) / np.exp(x - x.max()).sum(), "whole matrix"),
    "no keepdims": (lambda x: np.exp(x) / np.exp(x).sum(axis=-1), "keepdims"),
    "no division": (lambda x: np.exp(x), "did not divide"),
    "global max": (
        lambda x: (lambda e: e / e.sum(-1, keepdims=True))(np.exp(x - x.max())),
        "0 / 0 = nan",
    ),
    "loop for one shape": (
        lambda x: (lambda e: e / e.sum(-1, keepdims=True))(
            np.exp(x - np.array([[x[i].max()] for i in range(3)]))
        ),
        "written for one shape",
    ),
    "array for one shape": (
        lambda x: (
            (
                lambda out: (
                    [out.__setitem__(i, checks._softmax_reference(x[i])) for i in range(len(x))]
                    and out
                )
            )(np.zeros((3, 4)))
            if x.ndim == 2
            else checks._softmax_reference(x)
        ),
        "written for one shape",
    ),
    "axis=1": (
        lambda x: (lambda e: e / e.sum(1, keepdims=True))(np.exp(x - x.max(1, keepdims=True))),
        "single row",
    ),
    "relu": (
        lambda x: np.maximum(x, 0) / np.maximum(x, 0).sum(-1, keepdims=True),
        "values are off",
    ),
    "placeholder": (lambda x: None, "returned None"),
    "crash": (lambda x: x.nonexistent(), "AttributeError"),
    "in place": (softmax_in_place, "in place"),
    "float16": (lambda x: checks._softmax_reference(x).astype(np.float16), "float16"),
}


def softmax_hard_coded_loop(x):
    # a loop written for the (3, 4) example: IndexError on any other shape
    out = np.zeros_like(x)
    for i in range(3):
        m = max(x[i, j] for j in range(4))
        e = [np.exp(x[i, j] - m) for j in range(4)]
        for j in range(4):
            out[i, j] = e[j] / sum(e)
    return out


def test_softmax_names_an_index_error_from_a_loop_written_for_one_shape(capsys):
    ok, out = run(check_softmax, softmax_hard_coded_loop, capsys)
    assert not ok
    assert "IndexError" in out and "written for one shape" in out, out
    assert "overflow" not in out


@pytest.mark.parametrize("name", WRONG_SOFTMAX)
def test_softmax_rejects_wrong_answers_with_a_hint(name, capsys):
    func, hint = WRONG_SOFTMAX[name]
    ok, out = run(check_softmax, func, capsys)
    assert not ok
    assert hint in out


def test_checks_leave_numpy_error_state_alone(capsys):
    before = np.geterr()
    check_softmax(naive)
    capsys.readouterr()
    assert np.geterr() == before


@given(st.floats(0.01, 50.0), st.integers(0, 3))
def test_softmax_check_is_shift_and_temperature_agnostic(temperature, extra):
    # A right answer that divides by a temperature of 1 in a roundabout way still passes.
    def my_softmax(x):
        z = np.asarray(x, dtype=float) * temperature / temperature + extra - extra
        z = z - z.max(axis=-1, keepdims=True)
        return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)

    assert check_softmax(my_softmax)


PAD = "<pad>"


# ---- lesson 02: window_of(tokens, i, width) ------------------------------------------------------
def window_padded(tokens, i, width):
    r = width // 2
    padded = [PAD] * r + list(tokens) + [PAD] * r
    return padded[i : i + width]


def window_of_solution(tokens, i, width):
    """Lesson 02's worked solution, as the notebook has it."""
    r = width // 2
    padded = ["<pad>"] * r + list(tokens) + ["<pad>"] * r  # tokens[i] now sits at padded[i + r]
    return padded[i : i + width]


def window_loop(tokens, i, width):
    out = []
    for j in range(i - width // 2, i + width // 2 + 1):
        out.append(tokens[j] if 0 <= j < len(tokens) else PAD)
    return tuple(out)  # a tuple is fine too


def window_numpy(tokens, i, width):
    r = (width - 1) // 2
    idx = np.arange(i - r, i + r + 1)
    arr = np.array(list(tokens) + [PAD], dtype=object)
    return arr[np.where((idx >= 0) & (idx < len(tokens)), idx, len(tokens))]


@pytest.mark.parametrize("fn", [window_padded, window_of_solution, window_loop, window_numpy])
def test_check_window_accepts_right_answers(fn, capsys):
    assert check_window(fn) is True
    assert capsys.readouterr().out.startswith("✅")


def no_padding(tokens, i, width):
    r = width // 2
    return tokens[max(0, i - r) : i + r + 1]


def width_as_radius(tokens, i, width):
    padded = [PAD] * width + list(tokens) + [PAD] * width
    return padded[i : i + 2 * width + 1]


def starts_at_i(tokens, i, width):
    return (list(tokens) + [PAD] * width)[i : i + width]


def ends_at_i(tokens, i, width):
    return ([PAD] * width + list(tokens))[i + 1 : i + 1 + width]


def placeholder(tokens, i, width):
    return None


def crashes(tokens, i, width):
    return [
        tokens[j] for j in range(i - width // 2, i + width // 2 + 1)
    ]  # wraps at the start, IndexError at the end


def wraps_around(tokens, i, width):
    r = width // 2  # pads past the end, but tokens[-1] at the start is the last token
    return [tokens[j] if j < len(tokens) else PAD for j in range(i - r, i + r + 1)]


def wraps_modulo(tokens, i, width):
    r = width // 2
    return [tokens[j % len(tokens)] for j in range(i - r, i + r + 1)]


def past_the_end_crashes(tokens, i, width):
    r = width // 2
    return [tokens[j] if j >= 0 else PAD for j in range(i - r, i + r + 1)]


def pads_in_place(tokens, i, width):
    r = width // 2
    tokens[:0] = [PAD] * r  # changes the caller's list
    tokens.extend([PAD] * r)
    return tokens[i : i + width]


def positions(tokens, i, width):
    r = width // 2
    return list(range(i - r, i + r + 1))


def joined(tokens, i, width):
    return " ".join(window_padded(tokens, i, width))


def one_token_short(tokens, i, width):
    return window_padded(tokens, i, width)[:-1]


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (no_padding, "pad with '<pad>'"),
        (width_as_radius, "2r + 1"),
        (starts_at_i, "centred on tokens[i]"),
        (ends_at_i, "centred on tokens[i]"),
        (placeholder, "returned None"),
        (crashes, "tokens[-1] is the *last* token"),
        (wraps_around, "the window wrapped around"),
        (wraps_modulo, "the window wrapped around"),
        (past_the_end_crashes, "runs past the last token"),
        (pads_in_place, "changed the tokens list"),
        (positions, "look like positions"),
        (joined, "returned the text"),
        (lambda tokens, i, width: float("nan"), "return a list of tokens"),
        (lambda tokens, i, width: np.inf, "return a list of tokens"),
        (lambda tokens, i, width: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_check_window_rejects_wrong_answers(fn, hint, capsys):
    assert check_window(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out
    assert out.count("\n") == 1


def test_check_window_hints_count_tokens_in_good_english(capsys):
    assert check_window(one_token_short) is False
    out = capsys.readouterr().out
    assert "1 tokens" not in out and "holds exactly 3 tokens; you returned 2" in out, out
    assert checks._tokens_word(1) == "1 token" and checks._tokens_word(0) == "0 tokens"

    def empty_for_width_1(tokens, i, width):
        return window_padded(tokens, i, width) if width > 1 else []

    assert check_window(empty_for_width_1) is False
    out = capsys.readouterr().out
    assert "holds exactly 1 token; you returned 0" in out, out


def test_check_window_wants_the_function(capsys):
    assert check_window(window_padded(["a"], 0, 1)) is False
    assert "pass the function itself" in capsys.readouterr().out


# ---- lessons 00-02 in the Chinese editions: the hints speak the edition's language ------------
def _wrap_around(tokens, i, width):
    r = width // 2
    return [tokens[j % len(tokens)] for j in range(i - r, i + r + 1)]


def _one_too_few(n):
    return n * (n - 1)


def _a_str(duration_s, window_ms=25, hop_ms=10):
    return "100"


def _none(duration_s, window_ms=25, hop_ms=10):
    return None


@pytest.mark.parametrize(
    ("language", "check", "fn", "english", "chinese"),
    [
        ("zh-Hant", check_count_scores, _one_too_few, "also scores itself", "也要和自己算分數"),
        ("zh-Hans", check_count_scores, _one_too_few, "also scores itself", "也要和自己算分数"),
        ("zh-Hant", check_count_scores, lambda n: n / 0, "raised", "引發了 ZeroDivisionError"),
        ("zh-Hant", check_count_frames, _a_str, "the text", "傳回了字串"),
        ("zh-Hans", check_count_frames, _none, "placeholder", "预留的 None"),
        ("zh-Hant", check_window, _wrap_around, "wrapped around", "窗口繞回去了"),
        ("zh-Hans", check_window, lambda t, i, w: t[i : i + 1], "holds exactly", "容纳 3 个词元"),
    ],
)
def test_lesson_00_to_02_hints_speak_the_edition(language, check, fn, english, chinese, capsys):
    from helpers.language import set_language

    set_language(language)
    try:
        ok, out = run(check, fn, capsys)
    finally:
        set_language("en")
    assert not ok and chinese in out and english not in out, out
    ok, out = run(check, fn, capsys)  # back in English: the hint as written
    assert not ok and english in out, out


# ---- lesson 05: my_weighted_sum(alpha_prime, V) --------------------------------------------------
def ws_matmul(alpha_prime, V):
    return alpha_prime @ V


def ws_einsum(alpha_prime, V):
    return np.einsum("ij,jd->id", alpha_prime, V)


def ws_loop(alpha_prime, V):
    B = np.zeros((alpha_prime.shape[0], V.shape[1]))
    for i in range(alpha_prime.shape[0]):
        for j in range(V.shape[0]):
            B[i] += alpha_prime[i, j] * V[j]
    return B


def ws_broadcast(alpha_prime, V):
    return (
        (alpha_prime[:, :, None] * V[None, :, :]).sum(axis=1).tolist()
    )  # a nested list is fine too


def ws_columns(alpha_prime, V):
    return (V.T @ alpha_prime.T).T  # the lecture's column form O = V A′, transposed back


@pytest.mark.parametrize("fn", [ws_matmul, ws_einsum, ws_loop, ws_broadcast, ws_columns])
def test_check_weighted_sum_accepts_right_answers(fn, capsys):
    assert check_weighted_sum(fn) is True
    assert capsys.readouterr().out.startswith("✅")


def ws_wrong_index_matrix(alpha_prime, V):
    return alpha_prime.T @ V


def ws_wrong_index_loop(alpha_prime, V):
    n = alpha_prime.shape[0]
    B = np.zeros((n, V.shape[1]))
    for i in range(n):
        for j in range(V.shape[0]):
            B[i] += alpha_prime[j, i] * V[j]  # b summed over the wrong index
    return B


def ws_unweighted(alpha_prime, V):
    return np.tile(V.mean(axis=0), (alpha_prime.shape[0], 1))


def ws_transposed(alpha_prime, V):
    return (alpha_prime @ V).T


def ws_divided(alpha_prime, V):
    return alpha_prime @ V / V.shape[0]


def ws_placeholder(alpha_prime, V):
    return None


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (ws_wrong_index_matrix, "wrong index"),
        (ws_wrong_index_loop, "wrong index"),
        (ws_unweighted, "weight each vʲ"),
        (ws_transposed, "transposed"),
        (ws_divided, "no division"),
        (ws_placeholder, "returned None"),
    ],
)
def test_check_weighted_sum_rejects_wrong_answers(fn, hint, capsys):
    assert check_weighted_sum(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


def test_check_weighted_sum_counts_from_one(capsys):
    assert check_weighted_sum(lambda a, V: a @ V + 1.0) is False
    out = capsys.readouterr().out
    assert "b¹ (row 1, B[0])" in out and "b⁰" not in out, out


def test_check_weighted_sum_names_the_index_when_the_wrong_index_crashes(capsys):
    def wrong_index_crash(alpha_prime, V):
        if alpha_prime.shape[0] == alpha_prime.shape[1]:
            return alpha_prime @ V  # right on square inputs ...
        return alpha_prime.T @ V  # ... wrong (and a shape error) otherwise

    assert check_weighted_sum(wrong_index_crash) is False
    out = capsys.readouterr().out
    assert "raised" in out and "Σⱼ α′[i, j] vʲ" in out, out


# ---- lesson 06: split_heads ----------------------------------------------------------------------
def split_loop(M, n_heads):
    d_k = M.shape[1] // n_heads
    return np.stack([M[:, h * d_k : (h + 1) * d_k] for h in range(n_heads)])


def split_hsplit(M, n_heads):
    return np.array(np.hsplit(M, n_heads))


def _mutates(func):
    """An answer that is right but changes its first argument in place."""

    def wrong(x, *args):
        out = func(x.copy(), *args)
        x *= 2
        return out

    return wrong


def _raises(*args):
    raise RuntimeError("boom")


# every check of lessons 06–07 meets these answers and rejects each with a ❌, never a crash
NOT_AN_ANSWER = {
    "raises": (_raises, "raised RuntimeError"),
    "None": (lambda *a: None, "returned None"),
    "str": (lambda *a: "an answer", "got a str"),
    "nan": (lambda *a: np.full((5, 5), np.nan), ""),
    "inf": (lambda *a: np.full((5, 5), np.inf), ""),
    "list": (lambda *a: [[1.0, 2.0], [3.0, 4.0]], ""),
    "scalar": (lambda *a: 3.0, ""),
    "dict": (lambda *a: {"e": 1}, "got a dict"),
    "ragged": (lambda *a: [[1.0], [2.0, 3.0]], ""),
}


@pytest.mark.parametrize(
    "fn", [split_heads, split_loop, split_hsplit, lambda M, h: split_loop(M, h).tolist()]
)
def test_split_heads_accepts_right_answers(fn, capsys):
    ok, out = run(checks.check_split_heads, fn, capsys)
    assert ok, out


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (lambda M, h: None, "returned None"),
        (lambda M, h: M.reshape(M.shape[0], M.shape[1] // h, h).transpose(2, 0, 1), "interleaved"),
        (lambda M, h: M.reshape(M.shape[0], h, M.shape[1] // h), "transpose(1, 0, 2)"),
        (lambda M, h: M.T.reshape(h, M.shape[1] // h, M.shape[0]), "(n_heads, n, d_k)"),
        (lambda M, h: split_loop(M, h)[::-1], "head 1 is wrong: it should be M[:, 0:6]"),
        (lambda M, h: 1 / 0, "ZeroDivisionError"),
        (
            lambda M, h: split_loop(M, 2) if h == 2 else np.zeros((h, M.shape[0], M.shape[1] // h)),
            "n_heads = 3",
        ),
        (_mutates(split_heads), "in place"),
    ],
)
def test_split_heads_rejects_wrong_answers(fn, hint, capsys):
    ok, out = run(checks.check_split_heads, fn, capsys)
    assert not ok and hint in out, out


def test_split_heads_hints_count_heads_from_one_in_plain_english(capsys):
    # the lecture's count (head 1 is index 0), and "every second column", not "every 2-th"
    # the second block (code index 1) is wrong: the hint names head 2
    ok, out = run(checks.check_split_heads, lambda M, h: split_loop(M, h)[[0, 0, 2, 3][:h]], capsys)
    assert not ok and "head 2 is wrong: it should be M[:, 6:12]" in out, out

    def interleaved(M, h):
        return M.reshape(M.shape[0], M.shape[1] // h, h).transpose(2, 0, 1)

    ok, out = run(checks.check_split_heads, interleaved, capsys)
    assert "every second column" in out and "-th" not in out, out


@pytest.mark.parametrize("name", NOT_AN_ANSWER)
def test_split_heads_survives_any_answer(name, capsys):
    fn, hint = NOT_AN_ANSWER[name]
    ok, out = run(checks.check_split_heads, fn, capsys)
    assert not ok and hint in out, out


def test_split_heads_not_callable(capsys):
    assert checks.check_split_heads(np.zeros((2, 3))) is False
    assert "pass the function itself" in capsys.readouterr().out


# ---- lesson 06: combine_heads --------------------------------------------------------------------
def combine_loop(heads, W_o):
    return np.hstack(list(heads)) @ W_o


def combine_blocks(heads, W_o):
    # B = Σ_h b^{h} W_o[rows of head h]: the same thing without building the concatenation
    d_k = heads.shape[2]
    return sum(heads[h] @ W_o[h * d_k : (h + 1) * d_k] for h in range(heads.shape[0]))


def combine_for_three_heads(heads, W_o):
    # the concatenation written out for the 3 heads of an example: wrong for any other count
    return np.concatenate([heads[0], heads[1], heads[2]], axis=1) @ W_o


def combine_three_or_zeros(heads, W_o):
    if heads.shape[0] == 3:
        return combine_loop(heads, W_o)
    return np.zeros((heads.shape[1], W_o.shape[1]))


@pytest.mark.parametrize("fn", [combine_heads, combine_loop, combine_blocks])
def test_combine_heads_accepts_right_answers(fn, capsys):
    ok, out = run(checks.check_combine_heads, fn, capsys)
    assert ok, out
    assert "1, 2, 3 and 4 heads" in out


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (lambda heads, W_o: None, "returned None"),
        (lambda heads, W_o: np.hstack(list(heads)), "mix it with W^O"),
        (
            lambda heads, W_o: heads.transpose(1, 2, 0).reshape(heads.shape[1], -1) @ W_o,
            "interleaved",
        ),
        (lambda heads, W_o: heads.sum(axis=0), "not added up"),
        (
            lambda heads, W_o: heads.reshape(-1, heads.shape[2]),
            "stacked under each other",
        ),
        (lambda heads, W_o: combine_loop(heads, W_o) / heads.shape[0], "no averaging"),
        (lambda heads, W_o: np.hstack(list(heads[::-1])) @ W_o, "values are off"),
        (lambda heads, W_o: W_o @ heads, "raised"),
        # reshape without the transpose: each row mixes several tokens
        (
            lambda heads, W_o: heads.reshape(heads.shape[1], -1) @ W_o,
            "straight to (n, n_heads·d_k)",
        ),
        (lambda heads, W_o: heads.reshape(heads.shape[1], -1), "straight to (n, n_heads·d_k)"),
        # written for 3 heads: right for 3, wrong (or crashing) for 1, 2 and 4
        (combine_for_three_heads, "right for 3 heads, but with 2 heads"),
        (combine_three_or_zeros, "read it from the input"),
        (lambda heads, W_o: combine_loop(heads, W_o).astype(np.float16), "float16"),
        (_mutates(combine_heads), "in place"),
    ],
)
def test_combine_heads_rejects_wrong_answers(fn, hint, capsys):
    ok, out = run(checks.check_combine_heads, fn, capsys)
    assert not ok and hint in out, out


@pytest.mark.parametrize("name", NOT_AN_ANSWER)
def test_combine_heads_survives_any_answer(name, capsys):
    fn, hint = NOT_AN_ANSWER[name]
    ok, out = run(checks.check_combine_heads, fn, capsys)
    assert not ok and hint in out, out


def test_lesson_06_07_shape_hints_name_the_shape_on_one_line(capsys):
    # a wrong-shaped array is described by its shape, not by its printed values
    ok, out = run(checks.check_split_heads, lambda M, h: np.zeros((3, 3)), capsys)
    assert not ok and out.rstrip().endswith("got an array of shape (3, 3)"), out
    ok, out = run(checks.check_sinusoidal, lambda n, d: [1, 2], capsys)
    assert not ok and out.rstrip().endswith("got a list of shape (2,)"), out
    ok, out = run(checks.check_combine_heads, lambda heads, W_o: "B", capsys)
    assert not ok and out.rstrip().endswith("got a str ('B')"), out


def test_lesson_06_checks_speak_the_edition_language(capsys):
    from helpers.language import set_language

    def interleaved(M, h):
        return M.reshape(M.shape[0], M.shape[1] // h, h).transpose(2, 0, 1)

    set_language("zh-Hant")
    try:
        ok, out = run(checks.check_split_heads, interleaved, capsys)
        assert not ok and "每 2 個直行取 1 個" in out and "column" not in out, out
        ok, out = run(checks.check_combine_heads, combine_for_three_heads, capsys)
        assert not ok and "3 個頭時是對的，但有 2 個頭時" in out, out
        # an answer that changes its input gets that hint alone, whatever language err is in
        ok, out = run(checks.check_combine_heads, _mutates(combine_heads), capsys)
        assert not ok and "個頭時（heads" not in out, out
        ok, out = run(checks.check_combine_heads, combine_heads, capsys)
        assert ok and "1、2、3、4 個頭都對" in out, out
    finally:
        set_language("en")


# ---- lesson 07: sinusoidal -----------------------------------------------------------------------
def sin_loop(n_positions, d_model):
    e = np.zeros((n_positions, d_model))
    for p in range(n_positions):
        for i in range(0, d_model, 2):
            e[p, i] = np.sin(p / 10000 ** (i / d_model))
            if i + 1 < d_model:
                e[p, i + 1] = np.cos(p / 10000 ** (i / d_model))
    return e


def sin_exp_log(n_positions, d_model):
    # the tensor2tensor / PyTorch-tutorial form: exp(−2i·ln(10000)/d_model), interleaved with stack
    pos = np.arange(n_positions)[:, None]
    div = np.exp(np.arange(0, d_model, 2) * (-np.log(10000.0) / d_model))
    both = np.stack([np.sin(pos * div), np.cos(pos * div)], axis=-1)
    return both.reshape(n_positions, -1)[:, :d_model]


def sin_float32(n_positions, d_model):
    # computed in float32 throughout: off by up to ~6e-7, and right
    p = np.arange(n_positions, dtype=np.float32)[:, None]
    two_k = np.arange(0, d_model, 2, dtype=np.float32)
    angle = p / np.float32(10000) ** (two_k / np.float32(d_model))
    e = np.empty((n_positions, d_model), dtype=np.float32)
    e[:, 0::2], e[:, 1::2] = np.sin(angle), np.cos(angle[:, : d_model // 2])
    return e


def sin_even_only(n_positions, d_model):
    # the usual first attempt: right for an even d_model, a broadcasting error for an odd one
    angle = np.arange(n_positions)[:, None] / 10000 ** (np.arange(0, d_model, 2) / d_model)
    e = np.empty((n_positions, d_model))
    e[:, 0::2], e[:, 1::2] = np.sin(angle), np.cos(angle)
    return e


@pytest.mark.parametrize(
    "fn",
    [
        sinusoidal_encoding,
        sin_loop,
        sin_exp_log,
        sin_float32,
        lambda n, d: sin_loop(n, d).astype(np.float32),
        lambda n, d: sin_loop(n, d).tolist(),
    ],
)
def test_sinusoidal_accepts_right_answers(fn, capsys):
    ok, out = run(checks.check_sinusoidal, fn, capsys)
    assert ok, out
    assert "(9, 7)" in out  # an odd d_model is tested too


def test_sinusoidal_float32_error_is_what_the_tolerance_allows():
    err = max(
        np.abs(sin_float32(n, d) - sinusoidal_encoding(n, d)).max()
        for n, d in checks._SINUSOID_SHAPES
    )
    assert 1e-7 < err < checks._SINUSOID_ATOL / 10


def _variant(name):
    return lambda n, d: checks._sinusoid_variants(n, d)[name]


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (lambda n, d: None, "returned None"),
        (_variant("swapped"), "sin and cos are swapped"),
        (_variant("halves"), "interleave"),
        (_variant("halves_swapped"), "cosines first"),
        (_variant("own_frequency"), "shares the frequency"),
        (_variant("no_divide"), "divide by d_model"),
        (_variant("times"), "do not multiply"),
        (_variant("index_not_2i"), "not the pair number"),
        (_variant("degrees"), "radians"),
        (_variant("one_based"), "your positions start at 1"),
        (lambda n, d: sin_loop(n + 1, d)[1:], "your positions start at 1"),
        (lambda n, d: sin_loop(n, d).T, "transpose"),
        (lambda n, d: sin_loop(n + 1, d), "must return shape"),
        (
            lambda n, d: sin_loop(n, d) + np.arange(n)[:, None] * (np.arange(d) == 3),
            "column 3 is wrong",
        ),
        (lambda n, d: sinusoidal_encoding(n, d, base=1000.0), "column 2 is wrong"),
        (lambda n, d: sin_loop(n, d) * (1 + np.arange(n)[:, None]), "row 0 is right"),
        (sin_even_only, "an odd d_model ends with a sin column"),
        (lambda n, d: sin_loop(n, d).astype(np.float16), "float16"),
        (lambda n, d: sin_loop(n, d) / (np.arange(n)[:, None] > 2), "NaN or inf"),
    ],
)
def test_sinusoidal_rejects_wrong_answers(fn, hint, capsys):
    ok, out = run(checks.check_sinusoidal, fn, capsys)
    assert not ok and hint.lower() in out.lower(), out


def test_sinusoidal_hints_name_the_frequency_index_k_not_the_position():
    # i is the lecture's token index: the frequency index is k in every hint
    for hint in checks._sinusoid_hints().values():
        assert "2i" not in hint and "(i" not in hint, hint


@pytest.mark.parametrize("name", NOT_AN_ANSWER)
def test_sinusoidal_survives_any_answer(name, capsys):
    fn, hint = NOT_AN_ANSWER[name]
    ok, out = run(checks.check_sinusoidal, fn, capsys)
    assert not ok and hint in out, out


@given(
    st.sampled_from(
        [
            "swapped",
            "halves",
            "halves_swapped",
            "own_frequency",
            "one_based",
            "no_divide",
            "times",
            "index_not_2i",
            "degrees",
        ]
    ),
    st.integers(1, 20),
    st.sampled_from([4, 5, 6, 7, 8, 12]),
)
def test_every_wrong_variant_really_differs(name, n, d):
    # a hint is only fair if the wrong form is actually wrong: at least one position differs (n ≥ 2)
    # (position 0 of "times" and friends coincides with the right answer, so n = 1 can't tell
    # them apart)
    right = checks._sinusoid_variants(max(n, 2), d)["right"]
    wrong = checks._sinusoid_variants(max(n, 2), d)[name]
    assert not np.allclose(right, wrong, rtol=0, atol=checks._SINUSOID_ATOL)
    assert np.allclose(right, sinusoidal_encoding(max(n, 2), d))


# ---- lesson 08: the band mask --------------------------------------------------------------------
def band_loops(n, window):
    mask = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(max(0, i - window), min(n, i + window + 1)):
            mask[i, j] = True
    return mask


def band_tri(n, window):
    ones = np.ones((n, n), dtype=bool)
    return np.triu(ones, -window) & np.tril(ones, window)


def band_subtract(n, window):
    i = np.arange(n)
    return abs(np.subtract.outer(i, i)) <= window


@pytest.mark.parametrize("fn", [band_loops, band_tri, band_subtract])
def test_band_mask_check_accepts_right_answers(fn, capsys):
    assert check_band_mask(fn) is True
    assert capsys.readouterr().out.startswith("✅")


def _idx(n):
    return np.indices((n, n))


WRONG_BANDS = {
    "one short": (lambda n, w: np.abs(_idx(n)[0] - _idx(n)[1]) < w, "≤ window"),
    "causal": (
        lambda n, w: (np.abs(_idx(n)[0] - _idx(n)[1]) <= w) & (_idx(n)[1] <= _idx(n)[0]),
        "AND after",
    ),
    "future only": (
        lambda n, w: (np.abs(_idx(n)[0] - _idx(n)[1]) <= w) & (_idx(n)[1] >= _idx(n)[0]),
        "AND after",
    ),
    "ints": (lambda n, w: (np.abs(_idx(n)[0] - _idx(n)[1]) <= w).astype(int), "boolean"),
    "none": (lambda n, w: None, "returned None"),
    "wrong shape": (lambda n, w: np.ones((n, n + 1), dtype=bool), "shape"),
    "crash": (lambda n, w: 1 / 0, "ZeroDivisionError"),
    "no diagonal": (
        lambda n, w: (np.abs(_idx(n)[0] - _idx(n)[1]) <= w) & (_idx(n)[0] != _idx(n)[1]),
        "diagonal",
    ),
    "window twice": (lambda n, w: np.abs(_idx(n)[0] - _idx(n)[1]) <= 2 * w, "differs"),
}


@pytest.mark.parametrize("name", list(WRONG_BANDS))
def test_band_mask_check_rejects_wrong_answers_with_a_hint(name, capsys):
    fn, hint = WRONG_BANDS[name]
    assert check_band_mask(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out


def test_band_mask_check_wants_the_function(capsys):
    assert check_band_mask(band_loops(4, 1)) is False
    assert "pass the function itself" in capsys.readouterr().out


# ---- lesson 09: patchify -------------------------------------------------------------------------
def patchify_loops(image, p):
    H, W, _ = image.shape
    return np.array(
        [image[r : r + p, c : c + p].flatten() for r in range(0, H, p) for c in range(0, W, p)]
    )


def patchify_einops_style(image, p):
    H, W, C = image.shape
    x = image.reshape(H // p, p, W // p, p, C)
    return np.einsum("hpwqc->hwpqc", x).reshape(-1, p * p * C)


def patchify_list(image, p):
    rows = np.split(image, image.shape[0] // p, axis=0)
    return [
        np.concatenate([b.ravel()[None] for b in np.split(r, image.shape[1] // p, axis=1)])
        for r in rows
    ]


@pytest.mark.parametrize("fn", [patchify_loops, patchify_einops_style])
def test_patchify_check_accepts_right_answers(fn, capsys):
    assert check_patchify(fn) is True
    assert capsys.readouterr().out.startswith("✅")


def test_patchify_check_accepts_a_nested_list(capsys):
    def fn(image, p):
        return np.concatenate(patchify_list(image, p)).tolist()

    assert check_patchify(fn) is True


def _blocks(image, p):
    H, W, C = image.shape
    return image.reshape(H // p, p, W // p, p, C)


WRONG_PATCHIFY = {
    "column order": (
        lambda im, p: _blocks(im, p).transpose(2, 0, 1, 3, 4).reshape(-1, p * p * im.shape[2]),
        "column by column",
    ),
    "transposed": (
        lambda im, p: _blocks(im, p).transpose(0, 2, 3, 1, 4).reshape(-1, p * p * im.shape[2]),
        "transposed",
    ),
    "channels first": (
        lambda im, p: _blocks(im, p).transpose(0, 2, 4, 1, 3).reshape(-1, p * p * im.shape[2]),
        "red values",
    ),
    "naive reshape": (lambda im, p: im.reshape(-1, p * p * im.shape[2]), "strip of pixels"),
    "patches shuffled": (lambda im, p: patchify_loops(im, p)[::-1], "wrong places"),
    "none": (lambda im, p: None, "returned None"),
    "not flattened": (
        lambda im, p: _blocks(im, p).transpose(0, 2, 1, 3, 4).reshape(-1, p, p, im.shape[2]),
        "shape",
    ),
    "one patch short": (lambda im, p: patchify_loops(im, p)[:-1], "shape"),
    "scaled": (lambda im, p: 2 * patchify_loops(im, p), "not the image's pixels"),
    "crash": (lambda im, p: im[:, :, 5], "IndexError"),
}


@pytest.mark.parametrize("name", list(WRONG_PATCHIFY))
def test_patchify_check_rejects_wrong_answers_with_a_hint(name, capsys):
    fn, hint = WRONG_PATCHIFY[name]
    assert check_patchify(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


def test_patchify_check_rejects_an_answer_that_changes_the_image(capsys):
    def sneaky(image, p):
        result = patchify_loops(image, p)
        image[...] = 0
        return result

    ok, out = run(check_patchify, sneaky, capsys)
    assert not ok and "changed its input (argument 1) in place" in out


# ---- lesson 10: graph mask -----------------------------------------------------------------------
def graph_loops(n, edges):
    mask = [[i == j for j in range(n)] for i in range(n)]
    for a, b in edges:
        mask[a][b] = mask[b][a] = True
    return np.array(mask)


def graph_adjacency(n, edges):
    A = np.zeros((n, n), dtype=int)
    for a, b in edges:
        A[a, b] += 1
    return (A + A.T + np.eye(n, dtype=int)) > 0


@pytest.mark.parametrize("fn", [graph_loops, graph_adjacency])
def test_graph_mask_check_accepts_right_answers(fn, capsys):
    assert check_graph_mask(fn) is True
    assert capsys.readouterr().out.startswith("✅")


def _directed(n, edges):
    m = np.eye(n, dtype=bool)
    for a, b in edges:
        m[a, b] = True
    return m


def _no_loops(n, edges):
    m = graph_loops(n, edges)
    np.fill_diagonal(m, False)
    return m


WRONG_GRAPH = {
    "no self-loops": (_no_loops, "self-loops"),
    "directed": (_directed, "symmetric"),
    "ints": (lambda n, e: graph_loops(n, e).astype(int), "boolean"),
    "none": (lambda n, e: None, "returned None"),
    "wrong shape": (lambda n, e: np.eye(n + 1, dtype=bool), "shape"),
    "all true": (lambda n, e: np.ones((n, n), dtype=bool), "differs"),
}


@pytest.mark.parametrize("name", list(WRONG_GRAPH))
def test_graph_mask_check_rejects_wrong_answers_with_a_hint(name, capsys):
    fn, hint = WRONG_GRAPH[name]
    assert check_graph_mask(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out, out


def test_graph_mask_check_explains_an_empty_mask(capsys):
    assert check_graph_mask(lambda n, e: np.zeros((n, n), dtype=bool)) is False
    assert "all False" in capsys.readouterr().out


# ---- lessons 08–10: no answer crashes a check ---------------------------------------------------
class _Unreadable:
    """An answer object whose conversion to an array raises."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("cannot be read")


def _hostile_answers(right):
    """Answers of every kind a learner (or a slip) can give, each made from the right answer."""

    def mutates(*args):
        for a in args:
            if isinstance(a, np.ndarray):
                a *= 0
            elif isinstance(a, list):
                a.append((0, 0)) if a else a.append((0, 1))
        return right(*args)

    def hard_coded(*args):
        return right(*args) if args[0] == 7 or args[0] == 5 else np.zeros((2, 2), dtype=bool)

    return {
        "raises": lambda *a: (_ for _ in ()).throw(KeyError("boom")),
        "returns None": lambda *a: None,
        "returns str": lambda *a: "mask",
        "returns nan": lambda *a: float("nan"),
        "returns inf": lambda *a: float("inf"),
        "returns a list": lambda *a: np.asarray(right(*a)).tolist(),
        "returns a ragged list": lambda *a: [[True], [True, False]],
        "wrong shape": lambda *a: np.asarray(right(*a))[:-1],
        "transposed shape": lambda *a: np.asarray(right(*a)).T[..., None],
        "float16": lambda *a: np.asarray(right(*a)).astype(np.float16),
        "nan array": lambda *a: np.full(np.shape(right(*a)), np.nan),
        "inf array": lambda *a: np.full(np.shape(right(*a)), np.inf),
        "complex": lambda *a: np.asarray(right(*a)).astype(complex) * 1j,
        "object array": lambda *a: np.asarray(right(*a)).astype(object),
        "unreadable": lambda *a: _Unreadable(),
        "mutates its input": mutates,
        "hard-coded for one size": hard_coded,
    }


def _band_right(n, window):
    i = np.arange(n)
    return np.abs(i[:, None] - i[None, :]) <= window


def _patchify_right(image, p):
    H, W, C = image.shape
    return image.reshape(H // p, p, W // p, p, C).transpose(0, 2, 1, 3, 4).reshape(-1, p * p * C)


HOSTILE_CASES = [
    (check, name)
    for check, right in [
        (check_band_mask, _band_right),
        (check_patchify, _patchify_right),
        (check_graph_mask, graph_loops),
    ]
    for name in _hostile_answers(right)
]


@pytest.mark.parametrize(
    "check, name", HOSTILE_CASES, ids=[f"{c.__name__}-{n}" for c, n in HOSTILE_CASES]
)
def test_lesson_08_to_10_checks_never_crash(check, name, capsys):
    right = {
        check_band_mask: _band_right,
        check_patchify: _patchify_right,
        check_graph_mask: graph_loops,
    }[check]
    answer = _hostile_answers(right)[name]
    ok, out = run(check, answer, capsys)  # one line, ✅ or ❌, and no exception
    # right answers in another container: a list, numbers in an object array; and a band mask
    # has only ints to change, so "mutating" its input leaves it right
    accepted = {("returns a list", c) for c in (check_band_mask, check_patchify, check_graph_mask)}
    accepted |= {("object array", check_patchify), ("mutates its input", check_band_mask)}
    assert ok is ((name, check) in accepted), out
    assert "Traceback" not in out


@pytest.fixture
def edition():
    """set_language, with English restored after the test."""
    import helpers.language

    yield helpers.language.set_language
    helpers.language.set_language("en")


@pytest.mark.parametrize("language", ["zh-Hant", "zh-Hans"])
@pytest.mark.parametrize(
    "check, name", HOSTILE_CASES, ids=[f"{c.__name__}-{n}" for c, n in HOSTILE_CASES]
)
def test_lesson_08_to_10_checks_answer_in_the_edition_language(
    check, name, language, edition, capsys
):
    right = {
        check_band_mask: _band_right,
        check_patchify: _patchify_right,
        check_graph_mask: graph_loops,
    }[check]
    english_ok, english = run(check, _hostile_answers(right)[name], capsys)
    edition(language)
    ok, out = run(check, _hostile_answers(right)[name], capsys)  # one line, ✅ or ❌, no exception
    assert ok is english_ok, out
    assert re.search(r"\{[a-z_]+[^{}]*\}", out) is None, out  # every placeholder filled in
    if name not in ("raises", "mutates its input"):  # those two come from the shared _call
        assert re.search("[\u4e00-\u9fff]", out) and out != english, out


def test_band_mask_check_names_a_missing_abs(capsys):
    def no_abs(n, window):
        i = np.arange(n)
        return i[:, None] - i[None, :] <= window

    def no_abs_other_way(n, window):
        i = np.arange(n)
        return i[None, :] - i[:, None] <= window

    for fn in (no_abs, no_abs_other_way):
        ok, out = run(check_band_mask, fn, capsys)
        assert not ok and "missing abs()" in out, out


def test_band_mask_check_counts_queries_from_one(capsys):
    def off_at_the_last_row(n, window):
        m = _band_right(n, window)
        m[-1, 0] = True
        return m

    ok, out = run(check_band_mask, off_at_the_last_row, capsys)
    assert not ok and "query 7 (row mask[6])" in out, out


def test_checks_call_the_worked_solution_by_its_own_name(capsys):
    def band_mask_solution(n, window):
        return None

    ok, out = run(check_band_mask, band_mask_solution, capsys)
    assert not ok and out.startswith("❌ band_mask_solution(7, 2) returned None"), out


def test_patchify_check_counts_patches_from_one(capsys):
    def swap_last_two(image, p):
        out = _patchify_right(image, p)
        return out[[*range(len(out) - 2), len(out) - 1, len(out) - 2]]

    ok, out = run(check_patchify, swap_last_two, capsys)
    assert not ok and "patch 5 (row 4 of the array: patch 1 is row 0)" in out, out


def test_patchify_check_names_float16(capsys):
    ok, out = run(check_patchify, lambda im, p: _patchify_right(im, p).astype(np.float16), capsys)
    assert not ok and "float16" in out, out


def test_graph_mask_check_rejects_an_answer_that_changes_the_edges(capsys):
    def reverses_edges(n, edges):
        edges.reverse()
        return graph_loops(n, edges)

    ok, out = run(check_graph_mask, reverses_edges, capsys)
    assert not ok and "changed the list of edges" in out, out


# ---- lesson 05: the capstone, my_self_attention(X, W_q, W_k, W_v) → (B, alpha_prime) ------------
def _sa_parts(X, W_q, W_k, W_v):
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    return Q, K, V, Q @ K.T / np.sqrt(W_q.shape[1])


def sa_matrix(X, W_q, W_k, W_v):
    Q, K, V, alpha = _sa_parts(X, W_q, W_k, W_v)
    a = checks._softmax_reference(alpha)
    return a @ V, a


def sa_loops(X, W_q, W_k, W_v):
    n = X.shape[0]
    B, A = np.zeros((n, W_v.shape[1])), np.zeros((n, n))
    for i in range(n):
        q = X[i] @ W_q
        s = np.array([q @ (X[j] @ W_k) for j in range(n)]) / np.sqrt(len(q))
        A[i] = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
        B[i] = sum(A[i, j] * (X[j] @ W_v) for j in range(n))
    return B, A


def sa_from_the_lecture(X, W_q, W_k, W_v):  # column form inside, rows outside
    I = X.T
    Q, K, V = W_q.T @ I, W_k.T @ I, W_v.T @ I
    A = K.T @ Q / np.sqrt(Q.shape[0])
    A_prime = np.exp(A - A.max(axis=0)) / np.exp(A - A.max(axis=0)).sum(axis=0)
    return (V @ A_prime).T, A_prime.T


RIGHT_SA = {
    "matrix": sa_matrix,
    "loops": sa_loops,
    "lecture inside": sa_from_the_lecture,
    "helpers": self_attention,
    "lists": lambda *a: [x.tolist() for x in sa_matrix(*a)],
    "scale q first": lambda X, W_q, W_k, W_v: (lambda a: (a @ (X @ W_v), a))(
        checks._softmax_reference((X @ W_q / np.sqrt(W_q.shape[1])) @ (X @ W_k).T)
    ),
}


@pytest.mark.parametrize("name", RIGHT_SA)
def test_self_attention_check_accepts_right_answers(name, capsys):
    ok, out = run(check_self_attention, RIGHT_SA[name], capsys)
    assert ok, out


def _with_weights(weights):
    """An answer whose α′ is weights(alpha_unscaled, d_k, d_in, n) and B = α′ V."""

    def f(X, W_q, W_k, W_v):
        Q, K, V = X @ W_q, X @ W_k, X @ W_v
        with np.errstate(all="ignore"):
            a = weights(Q @ K.T, W_q.shape[1], X.shape[1], X.shape[0], Q, K)
        return a @ V, a

    return f


def _with_outputs(outputs):
    def f(X, W_q, W_k, W_v):
        B, a = sa_matrix(X, W_q, W_k, W_v)
        return outputs(B, a, X, X @ W_q, X @ W_v)

    return f


def sa_in_place(X, W_q, W_k, W_v):
    X /= 1.0 + np.abs(X).max()  # "normalise the inputs" — and the caller's X with them
    return sa_matrix(X, W_q, W_k, W_v)


def sa_hard_coded(X, W_q, W_k, W_v):
    B = np.zeros((5, 3))  # the first case's shapes
    A = np.zeros((5, 5))
    for i in range(5):
        for j in range(5):
            A[i, j] = X[i] @ W_q @ (X[j] @ W_k) / 2.0
        A[i] = np.exp(A[i] - A[i].max()) / np.exp(A[i] - A[i].max()).sum()
        B[i] = A[i] @ (X @ W_v)
    return B, A


soft = checks._softmax_reference
WRONG_SA = {
    "no 1/√d_k": (_with_weights(lambda S, d_k, d_in, n, Q, K: soft(S)), "without the 1/√d_k"),
    "÷ d_k": (_with_weights(lambda S, d_k, d_in, n, Q, K: soft(S / d_k)), "square root"),
    "÷ √d_in": (_with_weights(lambda S, d_k, d_in, n, Q, K: soft(S / np.sqrt(d_in))), "√d_in"),
    "÷ √n": (_with_weights(lambda S, d_k, d_in, n, Q, K: soft(S / np.sqrt(n))), "√n"),
    "softmax over queries": (
        _with_weights(lambda S, d_k, d_in, n, Q, K: soft(S / np.sqrt(d_k), axis=0)),
        "columns sum to 1",
    ),
    "K Qᵀ": (_with_weights(lambda S, d_k, d_in, n, Q, K: soft(S.T / np.sqrt(d_k))), "K Qᵀ"),
    "no softmax": (_with_weights(lambda S, d_k, d_in, n, Q, K: S / np.sqrt(d_k)), "raw scores"),
    "whole matrix": (
        _with_weights(
            lambda S, d_k, d_in, n, Q, K: np.exp(S / np.sqrt(d_k)) / np.exp(S / np.sqrt(d_k)).sum()
        ),
        "whole matrix",
    ),
    "keys from W_q": (
        _with_weights(lambda S, d_k, d_in, n, Q, K: soft(Q @ Q.T / np.sqrt(d_k))),
        "X W_k, not X W_q",
    ),
    "no max subtraction": (
        _with_weights(
            lambda S, d_k, d_in, n, Q, K: (
                np.exp(S / np.sqrt(d_k)) / np.exp(S / np.sqrt(d_k)).sum(-1, keepdims=True)
            )
        ),
        "Subtract each query's largest score",
    ),
    "global max": (
        _with_weights(
            lambda S, d_k, d_in, n, Q, K: (lambda e: e / e.sum(-1, keepdims=True))(
                np.exp(S / np.sqrt(d_k) - (S / np.sqrt(d_k)).max())
            )
        ),
        "maximum of the whole score matrix",
    ),
    "B = α′ᵀ V": (_with_outputs(lambda B, a, X, Q, V: (a.T @ V, a)), "B = α′ᵀ V"),
    "B = α′ X": (_with_outputs(lambda B, a, X, Q, V: (a @ X, a)), "weighted the inputs X"),
    "B = α′ Q": (_with_outputs(lambda B, a, X, Q, V: (a @ Q, a)), "weighted the queries"),
    "only B": (_with_outputs(lambda B, a, X, Q, V: B), "returned only B"),
    "only α′": (_with_outputs(lambda B, a, X, Q, V: a), "only the weights"),
    "swapped": (_with_outputs(lambda B, a, X, Q, V: (a, B)), "wrong way round"),
    "B transposed": (_with_outputs(lambda B, a, X, Q, V: (B.T, a)), "lecture's O"),
    "α′ wrong shape": (_with_outputs(lambda B, a, X, Q, V: (B, a[:, :1])), "(n, n)"),
    "B off": (_with_outputs(lambda B, a, X, Q, V: (B + 1.0, a)), "should be"),
    "mutates": (sa_in_place, "in place"),
    "hard-coded shapes": (sa_hard_coded, "written for one shape"),
    "float16": (lambda *a: tuple(x.astype(np.float16) for x in sa_matrix(*a)), "float16"),
    "placeholder": (lambda *a: None, "returned None"),
    "placeholder pair": (lambda *a: (None, None), "returned (None, None)"),
    "raises": (lambda *a: 1 / 0, "ZeroDivisionError"),
    "str": (lambda *a: "B", "must return a pair"),
    "strs": (lambda *a: ("B", "alpha"), "two arrays of numbers"),
    "nan": (lambda *a: float("nan"), "must return a pair"),
    "inf pair": (lambda *a: (np.inf, np.inf), "(n, n)"),
    "ragged": (lambda *a: ([[1.0], [1.0, 2.0]], [[1.0]]), "two arrays of numbers"),
    "nan weights": (_with_outputs(lambda B, a, X, Q, V: (B, a * np.nan)), "nan or inf"),
}


@pytest.mark.parametrize("name", WRONG_SA)
def test_self_attention_check_rejects_wrong_answers_with_a_hint(name, capsys):
    func, hint = WRONG_SA[name]
    ok, out = run(check_self_attention, func, capsys)
    assert not ok, out
    assert hint in out, out


def test_self_attention_check_counts_from_one(capsys):
    ok, out = run(check_self_attention, _with_outputs(lambda B, a, X, Q, V: (B + 1.0, a)), capsys)
    assert not ok and "b¹ (row 1 of B)" in out and "b⁰" not in out, out


# the lecture's column form, the capstone's optional second part
def sa_columns(I, Wq, Wk, Wv):
    Q, K, V = Wq @ I, Wk @ I, Wv @ I
    A = K.T @ Q / np.sqrt(Q.shape[0])
    A_prime = soft(A, axis=0)
    return V @ A_prime, A_prime


def test_self_attention_check_accepts_the_lectures_column_form(capsys):
    ok, out = run(lambda f: check_self_attention(f, form="columns"), sa_columns, capsys)
    assert ok, out
    ok, out = run(lambda f: check_self_attention(f, form="columns"), sa_matrix, capsys)
    assert not ok, out  # the row form is not the column form


def _columns_with(weights=None, outputs=None):
    def f(I, Wq, Wk, Wv):
        Q, K, V = Wq @ I, Wk @ I, Wv @ I
        A = K.T @ Q
        A_prime = weights(A, Q.shape[0]) if weights else soft(A / np.sqrt(Q.shape[0]), axis=0)
        return outputs(V, A_prime) if outputs else (V @ A_prime, A_prime)

    return f


WRONG_COLUMNS = {
    "softmax over rows": (_columns_with(lambda A, d_k: soft(A / np.sqrt(d_k), axis=1)), "axis=0"),
    "no scale": (_columns_with(lambda A, d_k: soft(A, axis=0)), "without the 1/√d_k"),
    "Qᵀ K": (_columns_with(lambda A, d_k: soft(A.T / np.sqrt(d_k), axis=0)), "Qᵀ K"),
    "O = V A′ᵀ": (_columns_with(outputs=lambda V, A: (V @ A.T, A)), "O = V A′ᵀ"),
    "rows out": (_columns_with(outputs=lambda V, A: ((V @ A).T, A)), "one column per token"),
}


@pytest.mark.parametrize("name", WRONG_COLUMNS)
def test_self_attention_check_names_column_form_mistakes(name, capsys):
    func, hint = WRONG_COLUMNS[name]
    ok, out = run(lambda f: check_self_attention(f, form="columns"), func, capsys)
    assert not ok, out
    assert hint in out, out


def test_self_attention_check_wants_the_function_and_a_known_form(capsys):
    result = sa_matrix(np.eye(2), np.eye(2), np.eye(2), np.eye(2))  # called, not passed
    ok, out = run(check_self_attention, result, capsys)
    assert not ok and "pass the function itself" in out
    ok, out = run(lambda f: check_self_attention(f, form="lecture"), sa_matrix, capsys)
    assert not ok and "form must be" in out


def test_self_attention_check_gives_separate_arrays_and_leaves_them_alone(capsys):
    seen = []

    def records(X, W_q, W_k, W_v):
        arrays = (X, W_q, W_k, W_v)
        seen.append(
            any(np.shares_memory(a, b) for i, a in enumerate(arrays) for b in arrays[i + 1 :])
        )
        return sa_matrix(X, W_q, W_k, W_v)

    ok, out = run(check_self_attention, records, capsys)
    assert ok and len(seen) == 5 and not any(seen), out


# ---- lessons 03–05: whatever comes back, the check answers in one line --------------------------
ODD_RESULTS = [
    None,
    "x",
    1,
    1.5,
    np.nan,
    np.inf,
    1j,
    [],
    [[1, 2], [3]],
    {},
    object(),
    (1, 2, 3),
    np.array([]),
    np.zeros((0, 0)),
    np.array(["a", "b"]),
    np.array([1j, 2j]),
    np.array([True, False]),
    np.zeros((3, 3), dtype=object),
    np.zeros((2, 2, 2)),
    (np.zeros((5, 3)), None),
    (np.full((5, 3), np.nan), np.full((5, 5), np.nan)),
    (np.zeros((5, 3), complex), np.eye(5, dtype=complex)),
    (np.zeros((3, 5)), np.eye(5)),
]
CHECKS_03_05 = {
    "dot_scores": check_dot_scores,
    "softmax": check_softmax,
    "weighted_sum": check_weighted_sum,
    "self_attention": check_self_attention,
    "self_attention columns": lambda f: check_self_attention(f, form="columns"),
}


@pytest.mark.parametrize("check_name", list(CHECKS_03_05))
@pytest.mark.parametrize("k", range(len(ODD_RESULTS)))
def test_checks_of_lessons_03_to_05_answer_any_result_in_one_line(check_name, k, capsys):
    with np.errstate(all="raise"):  # the checks silence numpy themselves
        ok, out = run(CHECKS_03_05[check_name], lambda *a: ODD_RESULTS[k], capsys)
    assert not ok, out


# ---- lesson 11: the induction score --------------------------------------------------------------
def induction_score_solution(alpha_prime, tokens):
    """Lesson 11's worked solution, as the notebook has it."""
    per_query = []
    for i in range(len(tokens)):
        earlier = [j for j in range(i - 1) if tokens[j] == tokens[i]]  # j + 1 < i
        if earlier:
            per_query.append(sum(alpha_prime[i, j + 1] for j in earlier))
    return float(np.mean(per_query))


def induction_vectorised(alpha_prime, tokens):
    t = np.asarray(tokens)
    n = t.size
    same = (t[:, None] == t[None, :]) & np.tri(n, n, -2, dtype=bool)  # [i, j]: j + 1 < i
    target = np.zeros((n, n), dtype=bool)
    target[:, 1:] = same[:, :-1]  # key j + 1
    queries = target.any(axis=1)
    return (alpha_prime * target).sum(axis=1)[queries].mean()


def induction_via_helpers(alpha_prime, tokens):
    from helpers.transformer import encode, induction_score

    return induction_score(alpha_prime, encode("".join(tokens)))


def _induction_slip(pick=None, last=2, which=None, per_copy=sum, denominator=None):
    """A wrong induction score: `pick(A, i, j)` the weight taken for copy j of query i; copies are
    j ≤ i − `last`; `which` keeps one copy; `per_copy` combines a query's copies; `denominator(n)`
    replaces the count of queries."""
    pick = pick or (lambda A, i, j: A[i, j + 1])

    def slip(alpha_prime, tokens):
        n, per_query = len(tokens), []
        for i in range(n):
            js = [j for j in range(i - last + 1) if tokens[j] == tokens[i]]
            js = [js[which]] if js and which is not None else js
            if js:
                vals = [pick(alpha_prime, i, j) if 0 <= j + 1 < n else 0.0 for j in js]
                per_query.append(per_copy(vals))
        if denominator is not None:
            return float(np.sum(per_query)) / denominator(n)
        return float(np.mean(per_query))

    return slip


WRONG_INDUCTION = {
    "the earlier copy itself": (_induction_slip(pick=lambda A, i, j: A[i, j]), "key right AFTER"),
    "two after": (
        _induction_slip(pick=lambda A, i, j: A[i, j + 2] if j + 2 < len(A) else 0.0),
        "two after",
    ),
    "the key before": (
        _induction_slip(pick=lambda A, i, j: A[i, j - 1] if j else 0.0),
        "the key before",
    ),
    "transposed": (_induction_slip(pick=lambda A, i, j: A[j + 1, i]), "wrong way round"),
    "counts the diagonal": (_induction_slip(last=1), "counted the diagonal"),
    "itself as a copy": (_induction_slip(last=0), "earlier copy of itself"),
    "last copy only": (_induction_slip(which=-1), "only the latest earlier copy"),
    "first copy only": (_induction_slip(which=0), "only the first earlier copy"),
    "mean over copies": (_induction_slip(per_copy=np.mean), "SUM them"),
    "sum over queries": (_induction_slip(denominator=lambda n: 1), "summed over the queries"),
    "every query": (_induction_slip(denominator=lambda n: n), "averaged over every query"),
    "n − 1 queries": (_induction_slip(denominator=lambda n: n - 1), "over n − 1 queries"),
    "float16 input": (
        lambda A, t: induction_score_solution(A.astype(np.float16), t),
        "float16",
    ),
    "float16 output": (lambda A, t: np.float16(induction_score_solution(A, t)), "float16"),
    "one value per query": (lambda A, t: np.ones(len(t)), "one value per query"),
    "a constant": (lambda A, t: 0.5, "For each query i (row i)"),
    "above 1": (lambda A, t: 2.0, "between 0 and 1"),
    "nan": (lambda A, t: float("nan"), "returned nan"),
    "inf": (lambda A, t: np.inf, "returned inf"),
    "None": (lambda A, t: None, "returned None"),
    "str": (lambda A, t: "0.8", "returned the text"),
    "bool": (lambda A, t: True, "a bool"),
    "complex": (lambda A, t: 0.5 + 1j, "complex"),
    "ragged list": (lambda A, t: [[1.0], [1.0, 2.0]], "not a number"),
    "raises": (lambda A, t: {}["boom"], "raised KeyError"),
    "mutates α′": (lambda A, t: (A.fill(0), 0.5)[1], "changed its input"),
    "mutates the tokens": (lambda A, t: (t.reverse(), 0.5)[1], "changed the list of tokens"),
    "unreadable": (lambda A, t: _Unreadable(), "not a number"),
}


@pytest.mark.parametrize(
    "fn", [induction_score_solution, induction_vectorised, induction_via_helpers]
)
def test_induction_score_check_accepts_right_answers(fn, capsys):
    ok, out = run(checks.check_induction_score, fn, capsys)
    assert ok, out


def test_induction_score_check_accepts_one_number_in_a_list(capsys):
    ok, out = run(
        checks.check_induction_score, lambda A, t: [induction_score_solution(A, t)], capsys
    )
    assert ok, out


@pytest.mark.parametrize("name", list(WRONG_INDUCTION))
def test_induction_score_check_rejects_wrong_answers_with_a_hint(name, capsys):
    fn, hint = WRONG_INDUCTION[name]
    ok, out = run(checks.check_induction_score, fn, capsys)
    assert not ok and hint in out, out
    assert "Traceback" not in out


def test_induction_score_check_wants_the_function(capsys):
    ok, out = run(checks.check_induction_score, 0.8, capsys)
    assert not ok and "pass the function itself" in out


def test_induction_score_check_calls_the_worked_solution_by_its_own_name(capsys):
    def induction_score_solution(alpha_prime, tokens):
        return None

    ok, out = run(checks.check_induction_score, induction_score_solution, capsys)
    assert not ok and out.startswith("❌ induction_score_solution on an ideal"), out


def test_induction_score_check_reference_is_the_helpers_score():
    from helpers.transformer import encode, induction_score

    for _, A, tokens in checks._induction_cases():
        want = induction_score(A, encode("".join(tokens)))
        assert checks._induction_variants(A, tokens)["right"] == pytest.approx(want, abs=1e-12)


def test_induction_score_check_cases_tell_every_slip_apart():
    """Each hint names one slip: on some case its value differs from every other slip's and
    from the right one, so no wrong answer can be explained by two hints."""
    results = [checks._induction_variants(A, t) for _, A, t in checks._induction_cases()]
    names = list(checks._induction_hints())
    for a in names:
        assert any(abs(r[a] - r["right"]) > 1e-6 for r in results), a
        for b in names:
            if a != b:
                assert any(abs(r[a] - r[b]) > 1e-6 for r in results), (a, b)


def test_sinusoidal_check_speaks_the_edition_language(capsys):
    from helpers.language import set_language

    set_language("zh-Hans")
    try:
        ok, out = run(checks.check_sinusoidal, lambda n, d: sinusoidal_encoding(n, d).T, capsys)
        assert not ok and "是转置过的" in out, out
        ok, out = run(checks.check_sinusoidal, sinusoidal_encoding, capsys)
        assert ok and "都和正弦位置编码一致" in out, out
    finally:
        set_language("en")


# ---- every check, whatever the answer: a ❌ with a message, never a traceback or a warning -------
def _raises_runtime(*args, **kwargs):
    raise RuntimeError("the learner's code failed")


ANY_ANSWER = {
    "raises": _raises_runtime,
    "None": lambda *a, **k: None,
    "a str": lambda *a, **k: "an answer",
    "nan": lambda *a, **k: float("nan"),
    "inf": lambda *a, **k: float("inf"),
    "an array of nan": lambda *a, **k: np.full((4, 4), np.nan),
    "an array of inf": lambda *a, **k: np.full((4, 4), np.inf),
    "a list": lambda *a, **k: [1.0, 2.0],
    "a ragged list": lambda *a, **k: [[1.0], [2.0, 3.0]],
    "the wrong shape": lambda *a, **k: np.zeros((1, 2, 3)),
    "float16": lambda *a, **k: np.zeros((4, 4), np.float16),
    "complex": lambda *a, **k: np.ones((4, 4)) * 1j,
    "a dict": lambda *a, **k: {"a": 1},
    "a generator": lambda *a, **k: (i for i in range(3)),
    "an object": lambda *a, **k: object(),
    "a bool": lambda *a, **k: True,
    "an int too large for a float": lambda *a, **k: 10**400,
}
EVERY_CHECK = {
    name: getattr(checks, name) for name in dir(checks) if name.startswith("check_")
} | {"check_self_attention(form='columns')": functools.partial(
    checks.check_self_attention, form="columns")}  # fmt: skip


@pytest.mark.parametrize("answer", list(ANY_ANSWER))
@pytest.mark.parametrize("check", list(EVERY_CHECK))
def test_no_check_crashes_whatever_the_answer(check, answer, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ok = EVERY_CHECK[check](ANY_ANSWER[answer])
    out = capsys.readouterr().out
    assert ok is False, out
    assert out.startswith("❌ ") and len(out) > 20, out

