"""Lesson 11 (stack and train): the lecture's stack, self-attention alternating with
fully-connected layers, trained for real, and what its heads do.

The model is a small causal transformer (it predicts the next character) trained by
`data/make_transformer.py` (PyTorch) and shipped as `data/transformer.npz`. This module runs the
same model in numpy, built on `helpers.attention.multi_head_attention`:

    X = a + e                   token vector aⁱ (row of W_E) + learned positional eⁱ: (n, d_model)
    for each of the 2 layers:   (post-LN, as in Vaswani et al. 2017 and the lecture's figure)
        B, α′ = multi-head self-attention of X, causal (query i sees keys 1 … i)
        X = LayerNorm(X + B)
        X = LayerNorm(X + ReLU(X W_1 + b_1) W_2 + b_2)       the fully-connected layer
    logits = X W_U + b_U        one score per character of `VOCAB` that may come next: (n, vocab)

It was trained on text that repeats itself (`training_ids`), so predicting the next character pays
off for a head that finds the earlier copy and reads what came after it: an induction head
(Olsson et al. 2022, "In-context learning and induction heads"). Such a head needs to know, at
every earlier position, which character stood before it: that is what a previous-token head in
layer 1 writes there (every seed trained also grew a "two back" head beside it, which writes the
character before that, so layer 2 can match two characters rather than one). `head_scores`
measures all three kinds for every layer × head; `knockout_losses` shows how much worse the model
predicts repeated text when one head is silenced.

Counting: everything a learner reads counts from 1, as the lecture does (layer 1, head 1, a¹).
Arrays index from 0: `alpha_prime[0, 2]` is layer 1, head 3, and its row 0 is query a¹. The
`knockout=(layer, head)` argument and the heads of `named_heads` count from 1.
"""

from __future__ import annotations

import numbers
import os
from pathlib import Path

import numpy as np

from ._validate import argument, check_int, check_rng, shown
from .attention import multi_head_attention
from .data import load_sentences
from .positional import sinusoidal_encoding

__all__ = [
    "VOCAB",
    "EXAMPLE_TEXTS",
    "DEFAULT_PATH",
    "PREVIOUS_TOKEN_THRESHOLD",
    "INDUCTION_THRESHOLD",
    "LAYER_KEYS",
    "load_model",
    "model_from_arrays",
    "encode",
    "decode",
    "lexicon",
    "training_ids",
    "repeated_ids",
    "run",
    "token_losses",
    "loss",
    "previous_token_score",
    "induction_score",
    "head_scores",
    "knockout_losses",
    "named_heads",
]

# Lower-case letters, space and two punctuation marks: enough to type "the cat sat. the cat sat."
VOCAB = "abcdefghijklmnopqrstuvwxyz .,"
# Texts a learner might type, each said twice (the first is the explorers' default): the second
# time, the model predicts it better; data/transformer_seeds.json records by how much, per seed.
EXAMPLE_TEXTS = (
    "the cat sat. the cat sat.",
    "my name is ada. my name is ada.",
    "attention is all you need. attention is all you need.",
)
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "transformer.npz"

# A head is *named* for what it does when its score passes these thresholds; the same thresholds
# hold for every seed trained (tests/test_transformer.py checks each one).
PREVIOUS_TOKEN_THRESHOLD = 0.5  # for the weight on a^{i−1} (and, for "two back", on a^{i−2})
INDUCTION_THRESHOLD = 0.4

# The arrays of one layer, as stored under "layer1.", "layer2.", … in the npz.
LAYER_KEYS = (
    "W_q", "W_k", "W_v", "W_o",  # attention projections (d_model, d_model), no biases
    "ln1.gain", "ln1.bias",  # LayerNorm after the attention sublayer (d_model,)
    "mlp.W_1", "mlp.b_1", "mlp.W_2", "mlp.b_2",  # the fully-connected layer
    "ln2.gain", "ln2.bias",  # LayerNorm after the fully-connected sublayer
)  # fmt: skip
CONFIG_KEYS = ("n_layers", "n_heads", "d_model", "d_ff", "max_len")
LN_EPS = 1e-5  # PyTorch's nn.LayerNorm default, so that the two implementations agree


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def load_model(path=None) -> dict:
    """Read the trained weights (default `data/transformer.npz`) into the dict `run` takes.

    The file holds plain float32 arrays and config entries, never a pickle (allow_pickle=False).
    """
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a file name (str or Path) or None; got {shown(path)}")
    path = DEFAULT_PATH if path is None else Path(path)
    if not path.is_file():
        raise ValueError(
            f"path must name the model's .npz file; got {str(path)!r}, which does not exist "
            "(remake it with `python data/make_transformer.py`)"
        )
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return model_from_arrays(arrays)


def model_from_arrays(arrays) -> dict:
    """Build the model dict from flat named arrays (the npz's contents, or a training run's).

    arrays: a mapping with the config entries "config.n_layers", "config.n_heads",
    "config.d_model", "config.d_ff", "config.max_len", "config.vocab" (a string) and
    "config.positional" ("learned" or "sinusoidal"); the weights "embed.W_E" (vocab, d_model),
    "embed.e" (max_len, d_model, learned only), "unembed.W_U" (d_model, vocab), "unembed.b_U"
    (vocab,); and for layer ℓ = 1 … n_layers every "layer{ℓ}.{key}" of `LAYER_KEYS`.

    Returns {"config": {...}, "W_E", "e" (max_len, d_model), "W_U", "b_U", "layers": [one dict of
    LAYER_KEYS per layer]}, every array float32; `model["layers"][0]` is layer 1.
    """
    if not hasattr(arrays, "keys"):
        raise ValueError(
            f"arrays must be a mapping of names to arrays; got {type(arrays).__name__}"
        )
    names = [f"config.{k}" for k in (*CONFIG_KEYS, "vocab", "positional")]
    missing = [k for k in names if k not in arrays]
    if missing:
        raise ValueError(f"arrays is missing the config entries {missing}")
    config = {k: int(np.asarray(arrays[f"config.{k}"])) for k in CONFIG_KEYS}
    config["vocab"] = str(np.asarray(arrays["config.vocab"]))
    config["positional"] = str(np.asarray(arrays["config.positional"]))
    if config["vocab"] != VOCAB:
        raise ValueError(f"arrays['config.vocab'] must be {VOCAB!r}; got {config['vocab']!r}")
    if config["positional"] not in ("learned", "sinusoidal"):
        raise ValueError(
            "arrays['config.positional'] must be 'learned' or 'sinusoidal'; "
            f"got {config['positional']!r}"
        )
    if config["n_heads"] < 1 or config["d_model"] % config["n_heads"]:
        raise ValueError(
            "config.n_heads must divide config.d_model; got n_heads = "
            f"{config['n_heads']},"
            f" d_model = {config['d_model']}"
        )
    d, d_ff, V = config["d_model"], config["d_ff"], len(VOCAB)
    shapes = {"embed.W_E": (V, d), "unembed.W_U": (d, V), "unembed.b_U": (V,)}
    if config["positional"] == "learned":
        shapes["embed.e"] = (config["max_len"], d)
    layer_shapes = {
        "W_q": (d, d), "W_k": (d, d), "W_v": (d, d), "W_o": (d, d),
        "ln1.gain": (d,), "ln1.bias": (d,),
        "mlp.W_1": (d, d_ff), "mlp.b_1": (d_ff,), "mlp.W_2": (d_ff, d), "mlp.b_2": (d,),
        "ln2.gain": (d,), "ln2.bias": (d,),
    }  # fmt: skip
    for layer in range(1, config["n_layers"] + 1):
        shapes.update({f"layer{layer}.{k}": s for k, s in layer_shapes.items()})
    out = {}
    for name, shape in shapes.items():
        if name not in arrays:
            raise ValueError(f"arrays is missing {name!r} (shape {shape})")
        arr = np.asarray(arrays[name])
        if arr.shape != shape or not np.issubdtype(arr.dtype, np.floating):
            raise ValueError(
                f"arrays[{name!r}] must be a float array of shape {shape}; "
                f"got {arr.dtype} of shape {arr.shape}"
            )
        out[name] = arr.astype(np.float32)
    if config["positional"] == "learned":
        e = out["embed.e"]
    else:
        e = sinusoidal_encoding(config["max_len"], d).astype(np.float32)
    return {
        "config": config,
        "W_E": out["embed.W_E"],
        "e": e,
        "W_U": out["unembed.W_U"],
        "b_U": out["unembed.b_U"],
        "layers": [
            {k: out[f"layer{layer}.{k}"] for k in LAYER_KEYS}
            for layer in range(1, config["n_layers"] + 1)
        ],
    }


def _check_model(model) -> dict:
    if not (
        isinstance(model, dict) and {"config", "W_E", "e", "W_U", "b_U", "layers"} <= model.keys()
    ):
        got = (
            f"a dict with keys {sorted(model)}" if isinstance(model, dict) else type(model).__name__
        )
        raise ValueError(f"model must be the dict that load_model() returns; got {got}")
    return model


# ---------------------------------------------------------------------------------------------
# Tokens: one character is one token
# ---------------------------------------------------------------------------------------------


def encode(text) -> list[int]:
    """Characters → token ids, their positions in `VOCAB`: encode("ab") == [0, 1]."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__}")
    if not text:
        raise ValueError("text must hold at least one character; got an empty string")
    unknown = sorted(set(text) - set(VOCAB))
    if unknown:
        hint = " (it is lower case: try text.lower())" if any(c.isupper() for c in unknown) else ""
        raise ValueError(
            f"text holds characters the model does not know: {unknown}; "
            f"it knows only {VOCAB!r}{hint}"
        )
    return [VOCAB.index(c) for c in text]


def decode(ids) -> str:
    """Token ids → characters: decode([0, 1]) == "ab"."""
    return "".join(VOCAB[i] for i in _check_ids("ids", ids, max_len=None))


def _check_ids(name: str, ids, *, max_len: int | None) -> np.ndarray:
    """A text or a non-empty 1-D sequence of ids in 0 … len(VOCAB) − 1 → int64 array (n,)."""
    if isinstance(ids, str):
        with argument(name):
            ids = encode(ids)
    try:
        arr = np.asarray(ids)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(
            f"{name} must be a text or a 1-D sequence of token ids; could not read it ({exc})"
        ) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty text or 1-D sequence of token ids; got shape {arr.shape}"
        )
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must hold integer token ids; got dtype {arr.dtype}")
    if arr.min() < 0 or arr.max() >= len(VOCAB):
        raise ValueError(
            f"{name} must hold token ids in 0 … {len(VOCAB) - 1}; "
            f"got values from {arr.min()} to {arr.max()}"
        )
    if max_len is not None and arr.size > max_len:
        raise ValueError(
            f"{name} is {arr.size} tokens long; the model has positional vectors for at most "
            f"max_len = {max_len} tokens"
        )
    return arr.astype(np.int64)


# ---------------------------------------------------------------------------------------------
# Data: text that repeats itself
# ---------------------------------------------------------------------------------------------


def lexicon() -> list[str]:
    """The words of the course's example sentences (`helpers.data.load_sentences`), sorted: the
    real English words in the training text ("the", "cat", "sat", "saw", …), 86 of them."""
    letters = set(VOCAB)
    words = {t for s in load_sentences() for t in s["tokens"] if t.isalpha() and set(t) <= letters}
    return sorted(words)


def _word_text(rng: np.random.Generator, words: list[str], length: int) -> np.ndarray:
    """`length` characters of random words, spaced, with a ". " or ", " now and then: (length,)."""
    n_words = length // 2 + 6  # a word with its mark takes ≥ 2 characters: always enough
    chosen = rng.integers(len(words), size=n_words)
    marks = np.array([". ", ", ", " "])[
        np.searchsorted([0.12, 0.17], rng.random(n_words), side="right")
    ]
    text = "".join(words[w] + m for w, m in zip(chosen, marks, strict=True))
    start = rng.integers(0, 10)  # so that rows need not begin at a word's start
    return np.array(encode(text[start : start + length]))


def training_ids(rng: np.random.Generator, n_sequences: int, length: int) -> np.ndarray:
    """The training data, shape (n_sequences, length), int64: text that often repeats itself.

    Each row is either random characters (uniform over `VOCAB`) or random words of `lexicon()`
    ("cats swim wood sea fl"), half and half. Four rows in five then repeat: after a prefix of
    0 … length/4 characters, a segment of 4 … length/2 characters comes again and again until the
    row is full ("cats swim wood sea fl. cats swim wood sea fl. cats swim wo"). The segment's
    length changes from row to row, so "look a fixed distance back" does not work: the model must
    find the earlier copy by what it holds, which is what an induction head does.
    """
    rng = check_rng("rng", rng)
    n_sequences = check_int("n_sequences", n_sequences, minimum=1)
    length = check_int("length", length, minimum=8)
    words = lexicon()
    pos = np.arange(length)
    out = np.empty((n_sequences, length), dtype=np.int64)
    for row in range(n_sequences):
        if rng.random() < 0.5:
            ids = rng.integers(0, len(VOCAB), size=length)
        else:
            ids = _word_text(rng, words, length)
        prefix = rng.integers(0, length // 4 + 1)
        period = rng.integers(4, length // 2 + 1)
        if rng.random() < 0.8:
            # In the repeat, position p holds the character one period earlier: ids[p − period].
            offset = pos - prefix
            ids = ids[np.where(offset >= 0, prefix + offset % period, pos)]
        out[row] = ids
    return out


def repeated_ids(n_half: int, *, seed: int = 0) -> np.ndarray:
    """`n_half` distinct random characters, then the same ones again: shape (2·n_half,), int64.

    Olsson et al.'s test for induction heads. The characters are distinct, so in the second half
    each one has exactly one earlier occurrence, and one right answer for what comes next.
    """
    n_half = check_int("n_half", n_half, minimum=2)
    if n_half > len(VOCAB):
        raise ValueError(
            f"n_half must be at most {len(VOCAB)} (the characters are distinct); got {n_half}"
        )
    seed = check_int("seed", seed, minimum=0)
    half = np.random.default_rng(seed).permutation(len(VOCAB))[:n_half]
    return np.concatenate([half, half]).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# The forward pass
# ---------------------------------------------------------------------------------------------


def _layer_norm(X: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Each row of X (n, d) to mean 0 and variance 1, then times gain plus bias: (n, d)."""
    mean = X.mean(axis=-1, keepdims=True)
    var = X.var(axis=-1, keepdims=True)
    return (X - mean) / np.sqrt(var + np.float32(LN_EPS)) * gain + bias


def _check_knockout(model: dict, knockout):
    """(layer, head), counted from 1 → (layer index, head index) from 0; None stays None."""
    if knockout is None:
        return None
    cfg = model["config"]
    ints = (
        isinstance(knockout, tuple | list)
        and len(knockout) == 2
        and all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in knockout)
    )
    if not ints or not (1 <= knockout[0] <= cfg["n_layers"] and 1 <= knockout[1] <= cfg["n_heads"]):
        raise ValueError(
            "knockout must be None or (layer, head) counted from 1, layer in 1 … "
            f"{cfg['n_layers']} "
            f"and head in 1 … {cfg['n_heads']}; got {knockout!r}"
        )
    return int(knockout[0]) - 1, int(knockout[1]) - 1


def run(model: dict, text_or_ids, *, knockout=None) -> dict:
    """Run the model on a text (or token ids) and return what every layer and head did.

    text_or_ids: a str of characters from `VOCAB`, or token ids; n = its length, 1 … max_len (64).
    knockout: None, or (layer, head) counted from 1, e.g. (2, 1): that head's output b^{i,h} is
        set to zero before W_o mixes the heads, at every position i.

    Returns a dict:
        "ids": (n,) int64 token ids;  "tokens": the n characters, a list of str;
        "logits": (n, vocab) float32: row i scores each character as the one after position i;
        "alpha_prime": (n_layers, n_heads, n, n) float32, queries on rows, keys on columns;
            alpha_prime[0, 0] is layer 1, head 1, and its row 0 is query a¹. Causal: every entry
            above the diagonal is 0.
    """
    model = _check_model(model)
    cfg = model["config"]
    ids = _check_ids("text_or_ids", text_or_ids, max_len=cfg["max_len"])
    knock = _check_knockout(model, knockout)
    n, n_heads = ids.size, cfg["n_heads"]
    d_k = cfg["d_model"] // n_heads
    mask = np.tri(n, dtype=bool)  # causal: query i may attend to keys 1 … i, never to the future
    X = model["W_E"][ids] + model["e"][:n]  # (n, d_model): aⁱ + eⁱ
    alpha_primes = []
    for index, layer in enumerate(model["layers"]):
        W_o = layer["W_o"]
        if knock is not None and knock[0] == index:
            # B = [b¹ … b^h] W_o = Σ_h b^h W_o[rows of head h]: zeroing those rows of W_o is
            # exactly zeroing head h's output before W_o, and it leaves every α′ as it was.
            W_o = W_o.copy()
            W_o[knock[1] * d_k : (knock[1] + 1) * d_k] = 0
        B, alpha_prime = multi_head_attention(
            X, layer["W_q"], layer["W_k"], layer["W_v"], W_o, n_heads=n_heads, mask=mask
        )  # B (n, d_model), alpha_prime (n_heads, n, n)
        X = _layer_norm(X + B, layer["ln1.gain"], layer["ln1.bias"])
        hidden = np.maximum(X @ layer["mlp.W_1"] + layer["mlp.b_1"], 0)  # (n, d_ff)
        X = _layer_norm(
            X + hidden @ layer["mlp.W_2"] + layer["mlp.b_2"], layer["ln2.gain"], layer["ln2.bias"]
        )
        alpha_primes.append(alpha_prime)
    logits = X @ model["W_U"] + model["b_U"]  # (n, vocab)
    return {
        "ids": ids,
        "tokens": [VOCAB[i] for i in ids],
        "logits": logits,
        "alpha_prime": np.stack(alpha_primes),
    }


def token_losses(model: dict, text_or_ids, *, knockout=None) -> np.ndarray:
    """How badly the model predicts each next character: −log p(character i + 1), shape (n − 1,).

    Entry i is the loss of position i's prediction of character i + 1 (counted from 0), in nats;
    ln 29 ≈ 3.37 is a blind guess. knockout: as in `run`.
    """
    out = run(model, text_or_ids, knockout=knockout)
    ids = out["ids"]
    if ids.size < 2:
        raise ValueError(
            f"text_or_ids must be at least 2 tokens long, so that there is a next one "
            f"to predict; got {ids.size}"
        )
    logits = out["logits"].astype(np.float64)
    logits -= logits.max(axis=1, keepdims=True)  # a stable log-softmax
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(ids.size - 1), ids[1:]]


def loss(model: dict, text_or_ids, *, knockout=None, second_half: bool = False) -> float:
    """Next-character cross-entropy, the mean of `token_losses`, in nats (ln 29 ≈ 3.37 = guessing).

    `second_half=True` keeps only the predictions of characters n//2 + 1 … n − 1 (counted from 0):
    on a text repeated twice, the ones an induction head can get right (the first character of
    the second half has no earlier cue). knockout: as in `run`.
    """
    if not isinstance(second_half, bool):
        raise ValueError(f"second_half must be True or False; got {second_half!r}")
    nll = token_losses(model, text_or_ids, knockout=knockout)  # (n − 1,)
    if second_half:
        nll = nll[(nll.size + 1) // 2 :]
    return float(nll.mean())


# ---------------------------------------------------------------------------------------------
# What the heads do
# ---------------------------------------------------------------------------------------------


def _check_alpha_prime(alpha_prime) -> np.ndarray:
    arr = np.asarray(alpha_prime)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.floating) or arr.ndim < 2:
        raise ValueError(
            "alpha_prime must be a float array of shape (..., n, n); "
            f"got {arr.dtype} of shape {arr.shape}"
        )
    if arr.shape[-1] != arr.shape[-2]:
        raise ValueError(
            f"alpha_prime must end in a square (n, n), queries × keys; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"alpha_prime contains NaN or inf (shape {arr.shape}); weights must be finite"
        )
    return arr


def previous_token_score(alpha_prime, *, offset: int = 1):
    """Mean weight a query puts on the key just before it: the mean over i of α′[i, i − 1].

    alpha_prime: (..., n, n), queries on rows; `run(...)["alpha_prime"]`, (n_layers, n_heads, n, n),
    gives one score per layer × head, shape (n_layers, n_heads); a single (n, n) gives a float.
    1 means "always the previous token". Queries with no key that far back are left out.
    offset=2 scores the key two before instead (α′[i, i − 2]), and so on.
    """
    arr = _check_alpha_prime(alpha_prime)
    offset = check_int("offset", offset, minimum=1)
    n = arr.shape[-1]
    if n <= offset:
        raise ValueError(
            f"alpha_prime must have n > offset = {offset} queries, so that one has a "
            "key "
            f"{offset} back; got shape {arr.shape}"
        )
    score = arr[..., np.arange(offset, n), np.arange(n - offset)].mean(axis=-1)
    return float(score) if score.ndim == 0 else score


def induction_score(alpha_prime, tokens):
    """Mean weight a query puts on the key right after an earlier occurrence of its own token.

    Olsson et al. (2022): if the current token A also stood at an earlier position j, an induction
    head looks at position j + 1, to copy what came after A last time. For each query i with at
    least one such j (with j + 1 < i), the score sums α′[i, j + 1] over them; the result is the
    mean over those queries. On a text repeated twice, it is the weight on the right answer.

    alpha_prime: (..., n, n), queries on rows; tokens: a text or n token ids. Returns shape (...),
    a float for a single (n, n).
    """
    arr = _check_alpha_prime(alpha_prime)
    n = arr.shape[-1]
    ids = _check_ids("tokens", tokens, max_len=None)
    if ids.size != n:
        raise ValueError(
            f"tokens must hold one token per row of alpha_prime (n = {n}); got {ids.size}"
        )
    # target[i, k]: key k follows an earlier occurrence j = k − 1 of token i, and k < i.
    same = ids[:, None] == ids[None, :]  # (n, n): token i is token j
    earlier = np.tri(n, n, -2, dtype=bool)  # j ≤ i − 2, so that j + 1 < i
    target = np.zeros((n, n), dtype=bool)
    target[:, 1:] = (same & earlier)[:, :-1]
    queries = target.any(axis=1)
    if not queries.any():
        raise ValueError(
            "tokens must repeat a token at least 2 positions apart, so that some "
            "query has "
            "an earlier occurrence to look after; got none (try repeated_ids(20))"
        )
    score = (arr * target).sum(axis=-1)[..., queries].mean(axis=-1)
    return float(score) if score.ndim == 0 else score


def _scoring_sequences(n_half: int, n_sequences: int, seed: int) -> list[np.ndarray]:
    n_sequences = check_int("n_sequences", n_sequences, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    return [repeated_ids(n_half, seed=seed + k) for k in range(n_sequences)]


def head_scores(model: dict, *, n_half: int = 20, n_sequences: int = 8, seed: int = 0) -> dict:
    """Every layer × head's scores, averaged over `n_sequences` seeded repeated strings.

    The strings are `repeated_ids(n_half, seed=seed + k)`, k = 0 … n_sequences − 1: fixed, so the
    scores are reproducible. Returns a dict of (n_layers, n_heads) float64 arrays:
    "previous_token" (weight on a^{i−1}), "two_back" (weight on a^{i−2}) and "induction";
    entry [0, 2] is layer 1, head 3.
    """
    model = _check_model(model)
    scores = {"previous_token": [], "two_back": [], "induction": []}
    for ids in _scoring_sequences(n_half, n_sequences, seed):
        alpha_prime = run(model, ids)["alpha_prime"].astype(np.float64)
        scores["previous_token"].append(previous_token_score(alpha_prime))
        scores["two_back"].append(previous_token_score(alpha_prime, offset=2))
        scores["induction"].append(induction_score(alpha_prime, ids))
    return {kind: np.mean(values, axis=0) for kind, values in scores.items()}


def knockout_losses(model: dict, *, n_half: int = 20, n_sequences: int = 8, seed: int = 0) -> dict:
    """The second-half loss on the strings of `head_scores`, intact and with each head knocked out.

    Returns {"intact": float, "knockout": (n_layers, n_heads) float64}: knockout[0, 2] is the mean
    loss with layer 1, head 3 silenced (`knockout=(1, 3)`).
    """
    model = _check_model(model)
    cfg = model["config"]
    sequences = _scoring_sequences(n_half, n_sequences, seed)

    def mean_loss(knockout):
        return float(
            np.mean([loss(model, ids, knockout=knockout, second_half=True) for ids in sequences])
        )

    knocked = [
        [mean_loss((layer, head)) for head in range(1, cfg["n_heads"] + 1)]
        for layer in range(1, cfg["n_layers"] + 1)
    ]
    return {"intact": mean_loss(None), "knockout": np.array(knocked)}


def named_heads(scores: dict) -> dict:
    """Which heads pass the thresholds, as (layer, head) counted from 1, highest score first.

    scores: the dict of `head_scores`. Returns {"previous_token": [...], "two_back": [...],
    "induction": [...]}: a head is a previous-token head when its weight on a^{i−1} is above
    PREVIOUS_TOKEN_THRESHOLD (0.5), a two-back head when its weight on a^{i−2} is, an induction
    head when its induction score is above INDUCTION_THRESHOLD (0.4).
    """
    kinds = {
        "previous_token": PREVIOUS_TOKEN_THRESHOLD,
        "two_back": PREVIOUS_TOKEN_THRESHOLD,
        "induction": INDUCTION_THRESHOLD,
    }
    if not (isinstance(scores, dict) and kinds.keys() <= scores.keys()):
        got = (
            f"a dict with keys {sorted(scores)}"
            if isinstance(scores, dict)
            else type(scores).__name__
        )
        raise ValueError(
            "scores must be the dict that head_scores() returns, with keys "
            f"{list(kinds)}; "
            f"got {got}"
        )
    out = {}
    for kind, threshold in kinds.items():
        s = np.asarray(scores[kind], dtype=np.float64)
        if s.ndim != 2:
            raise ValueError(f"scores[{kind!r}] must have shape (n_layers, n_heads); got {s.shape}")
        order = np.argsort(-s, axis=None, kind="stable")
        out[kind] = [
            (int(i // s.shape[1]) + 1, int(i % s.shape[1]) + 1)
            for i in order
            if s.flat[i] > threshold
        ]
    return out
