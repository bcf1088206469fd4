"""Lesson 06 (multi-head self-attention, 多頭注意力 / 多头注意力): a toy sentence whose inputs are
word one-hots plus positional vectors, hand-built weights whose two heads look for two different
kinds
of relevance, every per-head intermediate (q^{i,h}, k^{i,h}, v^{i,h}, α′ per head, b^{i,h}), and the
concatenation mixed by W^O.

The maths is `helpers.attention.multi_head_attention`; this module opens it up step by step.
Head h always uses columns h·d_k … (h+1)·d_k of W_q, W_k, W_v (contiguous blocks).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array
from .attention import _check_multi_head, _softmax_inplace, combine_heads, split_heads
from .data import tokenize
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
]

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
    """X = a + e, shape (n, D_MODEL): aⁱ is the one-hot of word i in columns 0…7, eⁱ the sinusoidal
    positional vector of position i in columns 8…15 (left out when `use_position` is False).

    The two parts sit in separate columns, so adding them keeps both readable."""
    tokens, vocab = list(tokens), list(vocab)
    index = {w: k for k, w in enumerate(vocab)}
    missing = [t for t in tokens if t not in index]
    if missing:
        raise ValueError(f"tokens not in vocab: {missing}")
    n = len(tokens)
    X = np.zeros((n, D_MODEL))  # (n, d_model)
    X[np.arange(n), [index[t] for t in tokens]] = 1.0  # a: one-hot word
    if use_position:
        X[:, D_WORD:] += sinusoidal_encoding(n, D_POS)  # e: position
    return X


def designed_weights(*, word_sharpness: float = 6.0, position_sharpness: float = 20.0) -> dict:
    """Hand-built W_q, W_k, W_v, W_o (each (16, 16)) for 2 heads of d_k = 8 columns each.

    head 1 (columns 0…7) — "the same word": q^{i,1} = word_sharpness·√8·aⁱ, k^{j,1} = aʲ, so
        α^{1}_{i,j}/√d_k = word_sharpness when tokens i and j are the same word, else 0.
    head 2 (columns 8…15) — "the previous token": q^{i,2} = position_sharpness·√8·eⁱ⁻¹ (eⁱ
    rotated one
        step back by `shift_matrix`), k^{j,2} = eʲ, so the score peaks at j = i − 1.
    Values: both heads carry the word one-hot (v^{j,1} = v^{j,2} = aʲ), so b^{i,1} ≈ "my word" and
    b^{i,2} ≈ "the word before me". W_o is the identity: B is the concatenation [b^{i,1}, b^{i,2}].
    """
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

    X (n, d_model); W_* (d_model, d_model); d_k = d_model / n_heads. Returns a dict:
      Q, K, V        (n_heads, n, d_k)  q^{i,h}, k^{i,h}, v^{i,h} (head h = columns h·d_k …
      (h+1)·d_k)
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

    For each head: "same_word" = mean over queries of the α′ weight on keys that are the same word
    (the query itself included), "previous" = mean α′[i, i−1] over queries i ≥ 1, "self" = mean
    α′[i, i], and "kind": "same word", "previous token" or "mixed" (the first ≥ 0.6 of the two)."""
    A = as_float_array("alpha_prime", alpha_prime, 3, "(n_heads, n, n)")
    tokens = [str(t) for t in tokens]
    n = A.shape[1]
    if A.shape[1:] != (n, n) or len(tokens) != n:
        raise ValueError(
            f"alpha_prime must be (n_heads, n, n) with n = len(tokens) = {len(tokens)}; got shape "
            f"{A.shape}"
        )
    words = np.array(tokens)
    same = words[:, None] == words[None, :]  # (n, n)
    rows = []
    for h in range(A.shape[0]):
        same_word = float((A[h] * same).sum(axis=1).mean())
        previous = float(np.diagonal(A[h], -1).mean()) if n > 1 else 0.0
        kind = "previous token" if previous >= 0.6 else "same word" if same_word >= 0.6 else "mixed"
        rows.append(
            {
                "head": h + 1,
                "same_word": same_word,
                "previous": previous,
                "self": float(np.diagonal(A[h]).mean()),
                "kind": kind,
            }
        )
    return rows
