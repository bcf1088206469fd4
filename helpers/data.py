"""The course's shared inputs (every lesson, 00–11): example sentences, tokens, word vectors and
the seeded toy weights. One tokenizer, one embedding and one set of toy weights, so every lesson's
figures and explorers see the same vectors for the same sentence.

- `load_sentences()`: hand-written English sentences from `data/sentences.json`, each with its
  tokens and Universal POS tags (universaldependencies.org/u/pos), rich in words that are a noun in
  one place and a verb in another ("I saw a saw", "The duck can duck").
- `load_word_vectors()`: 8-dimensional word vectors of length 1 from `data/word_vectors.tsv`, made
  by `data/make_word_vectors.py` (each word's neighbours in those sentences → PPMI → SVD, plus a
  small part seeded by the word itself; deterministic).
- `tokenize(text)`, `embed(tokens)`, `one_hot(tokens, vocab)`: text → tokens → vectors a¹…aⁿ
  (one token per row: a¹ is `X[0]`).
- `example_sentences(name)`: the named sentence lists that explorers offer (`data/examples.json`).
- `toy_weights(seed)`: W_q, W_k, W_v (and the additive score's w) for the untrained examples.
- `MAX_TOKENS`: the longest sentence an explorer draws (its labels stay readable up to here).
"""

from __future__ import annotations

import json
import re
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from ._validate import check_int, check_words

__all__ = [
    "DATA_DIR",
    "MAX_TOKENS",
    "load_sentences",
    "load_word_vectors",
    "tokenize",
    "embed",
    "one_hot",
    "example_sentences",
    "example_graph",
    "toy_weights",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MAX_TOKENS = 24  # an explorer draws at most this many tokens; its labels stay readable up to here

# CJK ideographs, kana, hangul, CJK punctuation and full-width forms: one token per character
# (Chinese has no spaces between words, and one character per vector is the simplest honest choice
# for a course about vector sets).
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(
    rf"[{_CJK}]"  # one CJK character
    rf"|[^\W_{_CJK}]+(?:['’-][^\W_{_CJK}]+)*"  # a word, with inner apostrophes or hyphens: don't
    r"|[^\w\s]|_"  # any other single non-space character: punctuation, symbols
)


def tokenize(text: str) -> list[str]:
    """Lower-case `text` and split it into tokens: words, single punctuation marks, CJK characters.
    The course's one tokenizer: every lesson, explorer and tagger uses it.

    >>> tokenize("I saw a saw.")
    ['i', 'saw', 'a', 'saw', '.']
    >>> tokenize("我看见一把锯")
    ['我', '看', '见', '一', '把', '锯']

    The empty string (or only spaces) gives []."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__}")
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=1)
def _sentences_cached() -> tuple:
    with open(DATA_DIR / "sentences.json", encoding="utf-8") as f:
        raw = json.load(f)
    return tuple(raw)


def load_sentences() -> list[dict]:
    """The example sentences: a list of {"text": str, "tokens": list[str], "tags": list[str]}.

    Tokens are `tokenize(text)`; tags are Universal POS tags, one per token. A fresh copy each call,
    so a notebook may change it freely."""
    return [
        {"text": s["text"], "tokens": list(s["tokens"]), "tags": list(s["tags"])}
        for s in _sentences_cached()
    ]


@lru_cache(maxsize=1)
def _vectors_cached() -> tuple[tuple[str, ...], np.ndarray]:
    vocab, rows = [], []
    with open(DATA_DIR / "word_vectors.tsv", encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            word, *values = line.rstrip("\n").split("\t")
            vocab.append(word)
            rows.append([float(v) for v in values])
    W = np.array(rows, dtype=np.float64)
    W.setflags(write=False)
    return tuple(vocab), W


def load_word_vectors() -> tuple[list[str], np.ndarray]:
    """(vocab, E): the word list and its vectors, E of shape (V, d) float64 with d = 8; row i is
    word i, of length 1."""
    vocab, W = _vectors_cached()
    return list(vocab), W.copy()


def _fallback_vector(token: str, d: int) -> np.ndarray:
    """The vector an unknown token gets: deterministic (seeded by the CRC32 of the token's UTF-8
    bytes, not Python's salted `hash`), Gaussian, scaled to length 1 (the mean length of the known
    vectors). Shape (d,). The same token always gets the same vector."""
    rng = np.random.default_rng(zlib.crc32(token.encode("utf-8")))
    v = rng.standard_normal(d)
    return v / np.linalg.norm(v)


def _token_list(name: str, tokens) -> list[str]:
    """A str is tokenized; a list, tuple or 1-D array must hold only non-empty str (it may be
    empty). Anything else: a ValueError naming `name`."""
    if isinstance(tokens, str):
        return tokenize(tokens)
    return check_words(name, tokens, allow_empty=True)


def embed(tokens) -> np.ndarray:
    """Token list (length n) → X of shape (n, d): one word vector per row, a¹…aⁿ.

    A token missing from the vocabulary gets a deterministic fallback vector (seeded by the
    token). An empty
    token list gives an array of shape (0, d). A str is tokenized first, for convenience."""
    tokens = _token_list("tokens", tokens)
    vocab, W = _vectors_cached()
    index = {w: i for i, w in enumerate(vocab)}
    d = W.shape[1]
    X = np.empty((len(tokens), d))  # (n, d)
    for row, t in enumerate(tokens):
        X[row] = W[index[t]] if t in index else _fallback_vector(t, d)
    return X


def one_hot(tokens, vocab=None, *, unknown: str = "zeros") -> np.ndarray:
    """Token list (length n) → (n, V) one-hot rows; column j is `vocab[j]`.

    `vocab` None means the distinct tokens in order of first appearance. A token not in `vocab`
    becomes an all-zero row (`unknown="zeros"`) or raises a ValueError naming it (`"error"`)."""
    tokens = _token_list("tokens", tokens)
    if vocab is None:
        vocab = list(dict.fromkeys(tokens))
    elif isinstance(vocab, str):
        raise ValueError(f"vocab must be a list of words, not one str; got {vocab[:40]!r}")
    else:
        vocab = _token_list("vocab", vocab)
    if unknown not in ("zeros", "error"):
        raise ValueError(f"unknown must be 'zeros' or 'error'; got {unknown!r}")
    index = {w: i for i, w in enumerate(vocab)}
    if len(index) != len(vocab):
        raise ValueError("vocab must not contain a word twice")
    missing = [t for t in tokens if t not in index]
    if missing and unknown == "error":
        raise ValueError(f"tokens not in vocab (of size {len(vocab)}): {sorted(set(missing))[:10]}")
    out = np.zeros((len(tokens), len(vocab)))  # (n, V)
    for row, t in enumerate(tokens):
        if t in index:
            out[row, index[t]] = 1.0
    return out


@lru_cache(maxsize=1)
def _examples_cached() -> dict:
    with open(DATA_DIR / "examples.json", encoding="utf-8") as f:
        return json.load(f)


def example_sentences(name: str) -> list[str]:
    """The sentences an explorer offers, by the explorer's idea (see `data/examples.json`).

    >>> example_sentences("weighted_sum")[0]
    'i saw a saw .'
    """
    sets = _examples_cached()["sentences"]
    if name not in sets:
        raise ValueError(f"name must be one of {sorted(sets)}; got {name!r}")
    return list(sets[name])


def example_graph() -> tuple[list[str], list[tuple[int, int]]]:
    """Lesson 10's sentence and its dependency-like edges: (tokens, edges), edges as (i, j) pairs of
    0-based token indices (token aⁱ is tokens[i − 1])."""
    graph = _examples_cached()["graph"]
    return list(graph["tokens"]), [tuple(e) for e in graph["edges"]]


TOY_SCALE = 4.0  # the toy W_q, W_k scale: α′ neither flat nor one-hot on the course's word vectors


def toy_weights(seed: int, d_in: int = 8, d_k: int = 4, d_v: int = 4) -> dict:
    """The course's seeded toy weights (lessons 00, 03, 05, 07): W_q, W_k (d_in, d_k), W_v
    (d_in, d_v)
    and the additive score's w (d_k,). The same seed gives the same weights in every lesson."""
    seed = check_int("seed", seed, minimum=0)
    d_in = check_int("d_in", d_in, minimum=1)
    d_k = check_int("d_k", d_k, minimum=1)
    d_v = check_int("d_v", d_v, minimum=1)
    rng = np.random.default_rng(seed)
    return {
        "W_q": rng.standard_normal((d_in, d_k)) * TOY_SCALE / np.sqrt(d_in),
        "W_k": rng.standard_normal((d_in, d_k)) * TOY_SCALE / np.sqrt(d_in),
        "W_v": rng.standard_normal((d_in, d_v)) / np.sqrt(d_in),
        "w": rng.standard_normal(d_k),
    }
