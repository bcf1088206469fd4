"""Lesson 06 (multi-head self-attention, 多頭注意力 / 多头注意力): a toy sentence whose inputs are
word one-hots plus positional vectors, hand-built weights whose two heads look for two different
kinds of relevance (關聯性 / 关联性), every per-head intermediate (q^{i,h}, k^{i,h}, v^{i,h}, α′ per
head, b^{i,h}), and the concatenation mixed by W^O.

The maths is `helpers.attention.multi_head_attention`; this module opens it up step by step.
Heads count from 1 as in the lecture; in code head 1 is index 0. Head h uses the contiguous block
of columns (h − 1)·d_k … h·d_k − 1 of W_q, W_k, W_v, i.e. `W[:, (h-1)*d_k : h*d_k]`.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_float_array
from .attention import _check_multi_head, _softmax_inplace, combine_heads, split_heads
from .data import tokenize
from .language import _
from .positional import shift_matrix, sinusoidal_encoding

__all__ = [
    "D_WORD",
    "D_POS",
    "D_MODEL",
    "toy_tokens",
    "toy_inputs",
    "designed_weights",
    "per_head",
    "head_report",
    "SHARES",
    "format_shares",
    "share_texts",
]

# the three groups of keys `head_report` splits each query's weight into, in the order shown
SHARES = (("previous", "previous"), ("same_word", "same word"), ("other", "other"))

D_WORD = 8  # one-hot word part a: columns 0 … 7
D_POS = 8  # positional part e: columns 8 … 15 (sinusoidal, base 10000)
D_MODEL = D_WORD + D_POS


def toy_tokens(text: str) -> tuple[list[str], list[str]]:
    """`helpers.data.tokenize(text)` and its vocab: (tokens, vocab), vocab = the distinct words in
    order of first appearance.

    At most D_WORD = 8 distinct words (the one-hot part has 8 columns)."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__}")
    tokens = tokenize(text)
    if not tokens:
        raise ValueError("text must contain at least one word; got an empty sentence")
    vocab = list(dict.fromkeys(tokens))
    if len(vocab) > D_WORD:
        raise ValueError(
            f"text may use at most {D_WORD} distinct words (the one-hot part has {D_WORD} "
            f"columns); got {len(vocab)}: {vocab}"
        )
    return tokens, vocab


def toy_inputs(tokens, vocab, *, use_position: bool = True) -> np.ndarray:
    """X = a + e, shape (n, D_MODEL): row i − 1 (token i; a¹ is X[0]) holds the one-hot of its word
    in columns 0…7 and the sinusoidal positional vector eⁱ (position p = i − 1, counted from 0 as
    in Vaswani et al.) in columns 8…15 (left out when `use_position` is False).

    The two parts sit in separate columns, so adding them keeps both readable. `vocab` may hold at
    most D_WORD = 8 distinct words: a ninth one-hot column would land in the positional part."""
    tokens = _word_list("tokens", tokens)
    vocab = _word_list("vocab", vocab)
    if len(set(vocab)) != len(vocab):
        repeated = sorted({w for w in vocab if vocab.count(w) > 1})
        raise ValueError(f"vocab must list each word once; got {repeated} more than once")
    if len(vocab) > D_WORD:
        raise ValueError(
            f"vocab may hold at most D_WORD = {D_WORD} words (the one-hot part of X has {D_WORD} "
            f"columns; a longer one would spill into the positional columns); got {len(vocab)}: "
            f"{vocab}"
        )
    if not isinstance(use_position, (bool, np.bool_)):
        raise ValueError(f"use_position must be True or False; got {use_position!r}")
    index = {w: k for k, w in enumerate(vocab)}
    missing = [t for t in tokens if t not in index]
    if missing:
        raise ValueError(f"tokens not in vocab: {missing}; vocab is {vocab}")
    n = len(tokens)
    X = np.zeros((n, D_MODEL))  # (n, d_model)
    X[np.arange(n), [index[t] for t in tokens]] = 1.0  # a: one-hot word
    if use_position:
        X[:, D_WORD:] += sinusoidal_encoding(n, D_POS)  # e: position
    return X


def _word_list(name: str, words) -> list[str]:
    """A non-empty list of str (a bare str would be read one character per word)."""
    if isinstance(words, str):
        raise ValueError(
            f"{name} must be a list of words, not one str; got {words!r} (try toy_tokens(text))"
        )
    try:
        words = list(words)
    except TypeError:
        raise ValueError(f"{name} must be a list of words; got {type(words).__name__}") from None
    if not words:
        raise ValueError(f"{name} must hold at least one word; got an empty list")
    bad = [w for w in words if not isinstance(w, str)]
    if bad:
        raise ValueError(f"{name} must hold words (str); got {bad[:3]!r}")
    return words


def designed_weights(*, word_sharpness: float = 6.0, position_sharpness: float = 20.0) -> dict:
    """Hand-built W_q, W_k, W_v, W_o (each (16, 16)) for 2 heads of d_k = 8 columns each.

    head 1 (columns 0…7) — "the same word": q^{i,1} = word_sharpness·√8·aⁱ, k^{j,1} = aʲ, so
        α^{1}_{i,j}/√d_k = word_sharpness when tokens i and j are the same word, else 0.
    head 2 (columns 8…15) — "the previous token": q^{i,2} = position_sharpness·√8·eⁱ⁻¹ (eⁱ
        rotated one step back by `shift_matrix`), k^{j,2} = eʲ, so the score peaks at j = i − 1.
    Values: both heads carry the word one-hot (v^{j,1} = v^{j,2} = aʲ), so b^{i,1} ≈ "my word" and
    b^{i,2} ≈ "the word before me". W_o is the identity: B is the concatenation [b^{i,1}, b^{i,2}].
    """
    for name, value in (
        ("word_sharpness", word_sharpness),
        ("position_sharpness", position_sharpness),
    ):
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not np.isfinite(value)
            or value < 0
        ):
            raise ValueError(f"{name} must be a finite number ≥ 0; got {value!r}")
    d_k = D_MODEL // 2
    W_q = np.zeros((D_MODEL, D_MODEL))
    W_k = np.zeros((D_MODEL, D_MODEL))
    W_v = np.zeros((D_MODEL, D_MODEL))
    # head 1: the word part of a, compared with the word part of the keys
    W_q[:D_WORD, :D_WORD] = word_sharpness * np.sqrt(d_k) * np.eye(D_WORD)
    W_k[:D_WORD, :D_WORD] = np.eye(D_WORD)
    W_v[:D_WORD, :D_WORD] = np.eye(D_WORD)
    # head 2: the position part, the query rotated one position back: e^i @ R = e^{i-1}
    W_q[D_WORD:, d_k:] = position_sharpness * np.sqrt(d_k) * shift_matrix(D_POS, -1)
    W_k[D_WORD:, d_k:] = np.eye(D_POS)
    W_v[:D_WORD, d_k:] = np.eye(D_WORD)  # head 2 reads the *word* of the token it attends to
    W_o = np.eye(D_MODEL)
    return {"W_q": W_q, "W_k": W_k, "W_v": W_v, "W_o": W_o}


def per_head(X, W_q, W_k, W_v, W_o, *, n_heads: int) -> dict:
    """Multi-head self-attention step by step, keeping every intermediate.

    X (n, d_model); W_* (d_model, d_model); d_k = d_model / n_heads. Returns a dict (head h of the
    lecture, counted from 1, is index h − 1 of the first axis):
      Q, K, V        (n_heads, n, d_k)  q^{i,h}, k^{i,h}, v^{i,h} (head h = columns (h − 1)·d_k …
                                        h·d_k − 1)
      alpha          (n_heads, n, n)    scores q^{i,h}·k^{j,h} / √d_k
      alpha_prime    (n_heads, n, n)    softmax over keys, per head
      heads          (n_heads, n, d_k)  b^{i,h} = Σ_j α′^{h}_{i,j} v^{j,h}
      concat         (n, d_model)       [b^{i,1}, …, b^{i,n_heads}] side by side
      B              (n, d_model)       concat @ W_o
    Agrees with `helpers.attention.multi_head_attention`."""
    X, W_q, W_k, W_v, W_o, n_heads, _ = _check_multi_head(X, W_q, W_k, W_v, W_o, n_heads, None)
    n, d_model = X.shape
    d_k = d_model // n_heads
    Q = split_heads(X @ W_q, n_heads)  # (h, n, d_k)
    K = split_heads(X @ W_k, n_heads)  # (h, n, d_k)
    V = split_heads(X @ W_v, n_heads)  # (h, n, d_k)
    alpha = Q @ K.transpose(0, 2, 1) / np.sqrt(d_k)  # (h, n, n)
    alpha_prime = _softmax_inplace(alpha.copy())  # (h, n, n)
    heads = alpha_prime @ V  # (h, n, d_k)
    concat = combine_heads(heads)  # (n, d_model)
    return {
        "Q": Q,
        "K": K,
        "V": V,
        "alpha": alpha,
        "alpha_prime": alpha_prime,
        "heads": heads,
        "concat": concat,
        "B": concat @ W_o,
    }


def head_report(alpha_prime, tokens) -> list[dict]:
    """What each head looks at, in numbers. alpha_prime (n_heads, n, n); tokens: n words.

    Every query row of α′ holds weights that add up to 1. Its keys fall into three groups that do
    not overlap: "previous" = the token just before the query (key i − 1), "same_word" = every
    other key that is the same word as the query (the query itself included), and "other" = the
    rest. For each head the three shares are averaged over the queries 2…n (query 1 has no
    previous token; with n = 1 over query 1 alone), so they add up to 1 for every head.

    Returns one dict per head: "head" (counted from 1), "previous", "same_word", "other", and
    "kind": "previous token" or "same word" (the first share ≥ 0.6), else "mixed" (a label to
    read, in the edition's language: `helpers.language.set_language`; English by default)."""
    A = as_float_array("alpha_prime", alpha_prime, 3, "(n_heads, n, n)")
    tokens = [str(t) for t in _word_list("tokens", tokens)]
    n = len(tokens)
    if A.shape[1:] != (n, n) or A.shape[0] < 1:
        raise ValueError(
            f"alpha_prime must be (n_heads, n, n) with n = len(tokens) = {n}; got shape {A.shape}"
        )
    rows_sum = A.sum(axis=-1)
    if (A < 0).any() or not np.allclose(rows_sum, 1.0, atol=1e-6):
        raise ValueError(
            "alpha_prime must hold weights ≥ 0 whose rows add up to 1 (a softmax over the keys); "
            f"got row sums from {rows_sum.min():.3g} to {rows_sum.max():.3g}"
        )
    words = np.array(tokens)
    previous = np.eye(n, k=-1, dtype=bool)  # (n, n): key j = i − 1
    same = (words[:, None] == words[None, :]) & ~previous  # (n, n): same word, not the previous
    queries = slice(1, None) if n > 1 else slice(None)  # queries 2…n (code rows 1…n − 1)
    rows = []
    for h in range(A.shape[0]):
        a = A[h][queries]  # (n − 1, n)
        share_previous = float((a * previous[queries]).sum(axis=1).mean())
        share_same = float((a * same[queries]).sum(axis=1).mean())
        share_other = max(0.0, 1.0 - share_previous - share_same)
        kind = (
            _("previous token")
            if share_previous >= 0.6
            else _("same word")
            if share_same >= 0.6
            else _("mixed")
        )
        rows.append(
            {
                "head": h + 1,
                "previous": share_previous,
                "same_word": share_same,
                "other": share_other,
                "kind": kind,
            }
        )
    return rows


def format_shares(row: dict) -> str:
    """One `head_report` row as "previous 87% · same word 10% · other 3%": whole percentages that
    add up to exactly 100 (largest remainders get the rounding), so the reader can check the sum.
    In the edition's language (`helpers.language.set_language`); the three parts are
    `share_texts`."""
    return " · ".join(share_texts(row))


def share_texts(row: dict) -> tuple[str, str, str]:
    """The three parts of `format_shares(row)`: ("previous 87%", "same word 10%", "other 3%")."""
    keys = [key for key, _label in SHARES]
    try:
        values = np.array([float(row[key]) for key in keys])
    except (KeyError, TypeError, ValueError):
        raise ValueError(
            f"row must be one of head_report's dicts, with keys {keys}; got {row!r}"
        ) from None
    if not np.all(np.isfinite(values)) or (values < 0).any():
        raise ValueError(f"row's shares must be finite and ≥ 0; got {values.tolist()}")
    percent = 100 * values / values.sum() if values.sum() > 0 else np.zeros(3)
    whole = np.floor(percent).astype(int)
    for k in np.argsort(whole - percent)[: 100 - whole.sum()] if values.sum() > 0 else []:
        whole[k] += 1  # the largest remainders round up
    previous, same, other = (int(w) for w in whole)
    return (
        _("previous {percent}%").format(percent=previous),
        _("same word {percent}%").format(percent=same),
        _("other {percent}%").format(percent=other),
    )
