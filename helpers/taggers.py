"""Lessons 02 and 05: taggers trained in the notebooks (numpy only, seconds): a per-token
fully-connected (FC) tagger,
window taggers, and a one-layer self-attention tagger, on a toy tagging corpus whose ambiguity is
real and whose cue can be moved away from the ambiguous word.

The grammar (lessons 02 and 05)
-------------------------------
Every sentence has one ambiguous word W ∈ {saw, duck, watch, fly}, which is a VERB after a subject
pronoun and a NOUN after a determiner, exactly as in "I saw a saw":

    sentence  →  CUE  FILLER^(distance − 1)  W  TAIL
    VERB reading:  CUE = PRON ∈ {i, we, they, you}       "i uh um saw there ."
    NOUN reading:  CUE = DET  ∈ {a, the, this, that}     "a uh um saw there ."
    FILLER ∈ {uh, um, er, hmm}   (INTJ, spoken hesitations: the same words in both readings)
    TAIL   ∈ {".", "there .", "again .", "outside .", "today ."}   (the same in both readings)

The reading is drawn 50/50, fillers and tail uniformly and independently of it. So the only
thing that tells the two W apart is the cue, which stands exactly `distance` tokens to the left of
W (distance 1: right next to it). Everything else — W itself, the fillers, the tail, W's position
in the sentence — has the same distribution under both readings. Hence:

- a per-token FC tagger (it sees W alone) cannot beat always guessing W's majority tag;
- a window tagger of width 2r + 1 (it sees r tokens on each side) is perfect when the cue is
  inside its window (distance ≤ r), and no better than guessing when it is not;
- a self-attention tagger can fetch the cue from anywhere in the sentence.

Models
------
All three put a softmax classifier over the tags on top of a per-token representation; inputs
are one-hot vectors over `VOCAB` (so X @ W is a table lookup).

- `WindowTagger(width)`: concatenated one-hots of the `width` tokens centred on the token (padded
  with "<pad>" at the sentence ends) → ReLU hidden layer → tag logits.
- `FCTagger()`: the window tagger of width 1: the same network applied to each token alone.
- `SelfAttentionTagger()`: one head of self-attention as in `helpers.attention.self_attention`
  (q = W^q a, k = W^k a, v = W^v a, α′ = softmax(q·k / √d_k), b = Σ α′ v), then tag logits from
  [aⁱ, bⁱ] (bⁱ, plus the token itself, as a Transformer's residual connection would give it). No
  positional encoding: in this grammar the cue is recognisable by *what* it is (a pronoun or a
  determiner), not by *where* it is, so content alone is enough; lesson 07 shows when order matters.

Gradients are written by hand (`loss_and_gradients`); `tests/test_taggers.py` checks them
against finite differences. Training is Adam, deterministic for a given `rng`: full-batch for the
window taggers; for the self-attention tagger a fresh mini-batch of `batch_size` sentences each step
from a large corpus (lesson 05 trains on 2,000 sentences). Many different sentences, few at a time,
are what make its claims hold for every seed: trained full-batch on a few hundred sentences, it
fitted them exactly yet mis-tagged short unseen ones ("i saw a saw .") for about half the seeds.

Inputs are checked: tokens must be lists of str (a str is refused, not tagged letter by letter),
sentences non-empty, tags among `TAGS`, and a word outside `VOCAB` is an error that names it
(`unknown="error"`, the default) unless `unknown="unk"` asks for the "<unk>" row.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import (
    argument,
    check_bool,
    check_float,
    check_int,
    check_int_list,
    check_rng,
    check_words,
)
from .language import _
from .positional import sinusoidal_encoding

__all__ = [
    "PRONOUNS",
    "DETERMINERS",
    "AMBIGUOUS",
    "FILLERS",
    "TAILS",
    "VOCAB",
    "TAGS",
    "make_tagging_corpus",
    "window_parameter_count",
    "self_attention_parameter_count",
    "majority_baseline",
    "ambiguous_accuracy",
    "WindowTagger",
    "FCTagger",
    "SelfAttentionTagger",
    "window_sweep",
]

PRONOUNS = ("i", "we", "they", "you")
DETERMINERS = ("a", "the", "this", "that")
AMBIGUOUS = ("saw", "duck", "watch", "fly")
FILLERS = ("uh", "um", "er", "hmm")
TAILS = ((".",), ("there", "."), ("again", "."), ("outside", "."), ("today", "."))
_TAIL_TAGS = {".": "PUNCT", "there": "ADV", "again": "ADV", "outside": "ADV", "today": "NOUN"}
PAD = "<pad>"
UNK = "<unk>"
VOCAB = (
    (PAD, UNK)
    + PRONOUNS
    + DETERMINERS
    + AMBIGUOUS
    + FILLERS
    + ("there", "again", "outside", "today", ".")
)
TAGS = ("PRON", "DET", "NOUN", "VERB", "INTJ", "ADV", "PUNCT")
_WORD_INDEX = {w: i for i, w in enumerate(VOCAB)}
_TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
# Sentences here are short (≤ ~20 tokens): a small base puts the sinusoids' wavelengths in that
# range.
POSITION_BASE = 100.0


# ----------------------------------------------------------------------------------------------
# The corpus
# ----------------------------------------------------------------------------------------------
def make_tagging_corpus(
    n_sentences: int, *, cue_distance=3, two_clause: float = 0.0, rng: np.random.Generator
) -> list[dict]:
    """`n_sentences` sentences of the grammar above, drawn with `rng`.

    `cue_distance`: an int ≥ 1 (the cue stands that many tokens left of the ambiguous word) or a
    pair (lo, hi) to draw it uniformly from lo…hi per clause. `two_clause`: the probability that a
    sentence has two clauses, each with its own cue, ambiguous word and reading, "i uh saw a um
    saw ."
    (a sentence like "I saw a saw": the two ambiguous words have the same neighbours *as a set*,
    only their order differs). Each sentence is a dict with "tokens", "tags" (lists of str),
    "targets" (indices of the ambiguous words) and "cue_distances" (one per target).
    """
    n_sentences = check_int("n_sentences", n_sentences, minimum=1)
    if isinstance(cue_distance, tuple | list):
        if len(cue_distance) != 2:
            raise ValueError(
                _("cue_distance must be an int ≥ 1 or a pair (lo, hi); got {value!r}").format(
                    value=cue_distance
                )
            )
        lo = check_int("cue_distance[0]", cue_distance[0], minimum=1)
        hi = check_int("cue_distance[1]", cue_distance[1], minimum=lo)
    else:
        lo = hi = check_int("cue_distance", cue_distance, minimum=1)
    two_clause = check_float("two_clause", two_clause, minimum=0, maximum=1)
    rng = check_rng("rng", rng)
    corpus = []
    for _sentence in range(n_sentences):
        n_clauses = 2 if two_clause > 0 and rng.random() < two_clause else 1
        tokens, tags, targets, distances = [], [], [], []
        for _clause in range(n_clauses):
            verb = bool(rng.integers(2))
            dist = int(rng.integers(lo, hi + 1))
            cue = (PRONOUNS if verb else DETERMINERS)[rng.integers(4)]
            fillers = [FILLERS[k] for k in rng.integers(len(FILLERS), size=dist - 1)]
            word = AMBIGUOUS[rng.integers(len(AMBIGUOUS))]
            tokens += [cue, *fillers, word]
            tags += [
                "PRON" if verb else "DET",
                *["INTJ"] * len(fillers),
                "VERB" if verb else "NOUN",
            ]
            targets.append(len(tokens) - 1)
            distances.append(dist)
        tail = list(TAILS[rng.integers(len(TAILS))])
        tokens += tail
        tags += [_TAIL_TAGS[t] for t in tail]
        corpus.append(
            {"tokens": tokens, "tags": tags, "targets": targets, "cue_distances": distances}
        )
    return corpus


UNKNOWN_CHOICES = ("error", "unk")


def _token_ids(tokens, unknown: str = "unk") -> np.ndarray:
    """Word ids of one sentence; a word outside `VOCAB` is an error naming it (`unknown="error"`)
    or the "<unk>" row (`"unk"`)."""
    if unknown == "error":
        missing = sorted({t for t in tokens if t not in _WORD_INDEX})
        if missing:
            raise ValueError(
                _(
                    "tokens must be words of the tagger's vocabulary (taggers.VOCAB, {n} "
                    "words); not in it: {missing}. The taggers only know the toy grammar's "
                    "words; pass unknown='unk' to tag unknown words as '<unk>' anyway"
                ).format(n=len(VOCAB), missing=missing[:10])
            )
    return np.array([_WORD_INDEX.get(t, _WORD_INDEX[UNK]) for t in tokens], dtype=np.int64)


def _tag_ids(tags) -> np.ndarray:
    return np.array([_TAG_INDEX[t] for t in tags], dtype=np.int64)


def _check_unknown(unknown) -> str:
    if unknown not in UNKNOWN_CHOICES:
        raise ValueError(
            _("unknown must be one of {choices}; got {unknown!r}").format(
                choices=UNKNOWN_CHOICES, unknown=unknown
            )
        )
    return unknown


def _check_tokens(where: str, tokens) -> list[str]:
    """One sentence: a non-empty list (or tuple) of str."""
    return check_words(where, tokens)


def _as_token_lists(corpus_or_tokens) -> list[list[str]]:
    """Accept a corpus (list of dicts), a list of token lists, or one token list."""
    if isinstance(corpus_or_tokens, str):
        _check_tokens("tokens", corpus_or_tokens)
    if isinstance(corpus_or_tokens, dict):
        corpus_or_tokens = [corpus_or_tokens]
    if not isinstance(corpus_or_tokens, list | tuple):
        raise ValueError(
            _(
                "give a token list (['i', 'saw', '.']), a list of token lists, or a corpus from "
                "make_tagging_corpus; got a {type}"
            ).format(type=type(corpus_or_tokens).__name__)
        )
    items = list(corpus_or_tokens)
    if not items:
        raise ValueError(
            _("there is nothing to tag: give at least one sentence (a list of tokens)")
        )
    if isinstance(items[0], str):
        return [_check_tokens("tokens", items)]
    out = []
    for k, s in enumerate(items):
        if isinstance(s, dict):
            if "tokens" not in s:
                raise ValueError(_("sentence {k} of the corpus has no 'tokens'").format(k=k + 1))
            s = s["tokens"]
        out.append(_check_tokens(_("sentence {k}").format(k=k + 1), s))
    return out


def _check_corpus(corpus, *, targets: bool = False) -> list[dict]:
    """A corpus as `make_tagging_corpus` makes it: sentences with tokens and one known tag each
    (and, when `targets`, the indices of their ambiguous words)."""
    if isinstance(corpus, dict):
        corpus = [corpus]
    if not isinstance(corpus, list | tuple) or not corpus:
        raise ValueError(
            _("corpus must be a non-empty list of sentences from make_tagging_corpus; got ")
            + (
                _("{n} sentences").format(n=len(corpus))
                if isinstance(corpus, list | tuple)
                else repr(corpus)[:60]
            )
        )
    for k, s in enumerate(corpus):
        where = _("sentence {k} of the corpus").format(k=k + 1)
        if not isinstance(s, dict) or "tokens" not in s or "tags" not in s:
            raise ValueError(
                _("{where} must be a dict with 'tokens' and 'tags'; got {s}").format(
                    where=where, s=f"{s!r:.60}"
                )
            )
        tokens = _check_tokens(_("{where}'s tokens").format(where=where), s["tokens"])
        tags = s["tags"]
        if isinstance(tags, str) or not isinstance(tags, list | tuple) or len(tags) != len(tokens):
            raise ValueError(
                _("{where} needs one tag per token: {n} tokens; got tags {tags}").format(
                    where=where, n=len(tokens), tags=f"{tags!r:.60}"
                )
            )
        unknown = sorted({t for t in tags if t not in _TAG_INDEX})
        if unknown:
            raise ValueError(
                _("{where} has tags the taggers do not know: {unknown}; TAGS = {tags}").format(
                    where=where, unknown=unknown, tags=TAGS
                )
            )
        if targets:
            idx = s.get("targets")
            if not isinstance(idx, list | tuple) or not all(
                isinstance(i, numbers.Integral) and 0 <= i < len(tokens) for i in idx
            ):
                raise ValueError(
                    _(
                        "{where} needs 'targets', the indices of its ambiguous words; got {idx!r}"
                    ).format(where=where, idx=idx)
                )
    return list(corpus)


def majority_baseline(train: list[dict], test: list[dict]) -> float:
    """Accuracy on `test`'s ambiguous words of always guessing that word's majority tag in
    `train`."""
    with argument("train"):
        train = _check_corpus(train, targets=True)
    with argument("test"):
        test = _check_corpus(test, targets=True)
    if not any(s["targets"] for s in test):
        raise ValueError(_("test has no ambiguous words (no 'targets'): there is nothing to score"))
    counts: dict[tuple[str, str], int] = {}
    for s in train:
        for i in s["targets"]:
            w, t = s["tokens"][i], s["tags"][i]
            counts[w, t] = counts.get((w, t), 0) + 1
    guess = {}
    for w in {s["tokens"][i] for s in test for i in s["targets"]} | set(AMBIGUOUS):
        guess[w] = max(("NOUN", "VERB"), key=lambda t: (counts.get((w, t), 0), t == "NOUN"))
    hits = [guess[s["tokens"][i]] == s["tags"][i] for s in test for i in s["targets"]]
    return float(np.mean(hits))


def ambiguous_accuracy(predictions: list[list[str]], corpus: list[dict]) -> float:
    """Fraction of the corpus' ambiguous words (its "targets") whose predicted tag is right."""
    corpus = _check_corpus(corpus, targets=True)
    if not isinstance(predictions, list | tuple) or len(predictions) != len(corpus):
        raise ValueError(
            _(
                "predictions must have one tag list per sentence: got {got} for {n} sentences"
            ).format(
                got=len(predictions)
                if isinstance(predictions, list | tuple)
                else repr(predictions),
                n=len(corpus),
            )
        )
    for k, (p, s) in enumerate(zip(predictions, corpus, strict=True)):
        if isinstance(p, str) or len(p) != len(s["tokens"]):
            raise ValueError(
                _(
                    "predictions[{k}] must hold one tag per token of sentence {k1} ({n}); got {p}"
                ).format(k=k, k1=k + 1, n=len(s["tokens"]), p=f"{p!r:.60}")
            )
    if not any(s["targets"] for s in corpus):
        raise ValueError(
            _("corpus has no ambiguous words (no 'targets'): there is nothing to score")
        )
    return float(
        np.mean(
            [
                p[i] == s["tags"][i]
                for p, s in zip(predictions, corpus, strict=True)
                for i in s["targets"]
            ]
        )
    )


def window_parameter_count(width: int, d: int, n_tags: int, hidden: int) -> int:
    """Weights of a window tagger: (width·d → hidden) + bias, (hidden → n_tags) + bias.

    The first layer grows with the window: a window as wide as the sentence needs width·d·hidden
    weights, and must be re-sized for every longer sentence.
    """
    width = check_int("width", width, minimum=1)
    d = check_int("d", d, minimum=1)
    n_tags = check_int("n_tags", n_tags, minimum=1)
    hidden = check_int("hidden", hidden, minimum=1)
    return width * d * hidden + hidden + hidden * n_tags + n_tags


def self_attention_parameter_count(d: int, d_k: int, d_v: int, n_tags: int) -> int:
    """Weights of `SelfAttentionTagger`: W^q, W^k (d × d_k), W^v (d × d_v), classifier on [a, b]."""
    return 2 * d * d_k + d * d_v + (d + d_v) * n_tags + n_tags


# ----------------------------------------------------------------------------------------------
# Training machinery shared by the taggers
# ----------------------------------------------------------------------------------------------
def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _grouping(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort order, group starts and group ids of `ids` (N,), for `_scatter_rows` (computed once
    per batch)."""
    ids = np.asarray(ids).ravel()
    order = np.argsort(ids, kind="stable")
    uniq, starts = np.unique(ids[order], return_index=True)
    return order, starts, uniq


def _scatter_rows(grouping, G: np.ndarray, n_rows: int) -> np.ndarray:
    """onehot(ids)ᵀ @ G without building the one-hot matrix: row r sums the rows of G whose id is r.

    grouping = `_grouping(ids)` for ids (N,); G (N, k) → (n_rows, k). (A large BLAS product here
    spreads over all cores, which on a small shared machine is ten times slower than this.)"""
    order, starts, uniq = grouping
    out = np.zeros((n_rows, G.shape[1]))
    out[uniq] = np.add.reduceat(G[order], starts, axis=0)
    return out


def _adam(params: dict, loss_and_grads, *, steps: int, lr: float) -> list[float]:
    """Adam (β₁ = 0.9, β₂ = 0.999) on `loss_and_grads(params)`, which may draw a new mini-batch
    each call; updates `params` in place; returns the losses."""
    m = {k: np.zeros_like(v) for k, v in params.items()}
    s = {k: np.zeros_like(v) for k, v in params.items()}
    losses = []
    for t in range(1, steps + 1):
        loss, grads = loss_and_grads(params)
        losses.append(loss)
        for k, g in grads.items():
            m[k] = 0.9 * m[k] + 0.1 * g
            s[k] = 0.999 * s[k] + 0.001 * g * g
            params[k] -= lr * (m[k] / (1 - 0.9**t)) / (np.sqrt(s[k] / (1 - 0.999**t)) + 1e-8)
    return losses


class _Tagger:
    """Shared interface: fit/train, predict, accuracy, ambiguous_accuracy, n_parameters."""

    params: dict

    def fit(
        self,
        corpus: list[dict],
        *,
        rng: np.random.Generator,
        steps: int | None = None,
        lr: float | None = None,
    ):
        """Train on `corpus` (from `make_tagging_corpus`); returns self. `self.losses` keeps the
        curve. Every word must be in `VOCAB` and every tag in `TAGS`."""
        if not isinstance(rng, np.random.Generator):
            raise ValueError(_("rng must be a numpy Generator, e.g. np.random.default_rng(0)"))
        corpus = _check_corpus(corpus)
        steps = self.steps if steps is None else check_int("steps", steps, minimum=1)
        lr = self.lr if lr is None else check_float("lr", lr, above=0)
        for k, s in enumerate(corpus):
            try:
                _token_ids(s["tokens"], unknown="error")
            except ValueError as exc:
                raise ValueError(
                    _("sentence {k} of the corpus: {error}").format(k=k + 1, error=exc)
                ) from None
        self.params = self.init_params(rng)
        batch = self.encode(corpus)
        size = getattr(self, "batch_size", None)
        if size is not None and size < len(corpus):

            def loss_and_grads(p):  # a fresh mini-batch of sentences each step, drawn with rng
                pick = np.sort(rng.choice(len(corpus), size=size, replace=False))
                return self.loss_and_gradients(p, self.subset(batch, pick))

        else:

            def loss_and_grads(p):
                return self.loss_and_gradients(p, batch)

        self.losses = _adam(self.params, loss_and_grads, steps=steps, lr=lr)
        return self

    train = fit

    def predict(self, corpus_or_tokens, *, unknown: str = "error") -> list[list[str]]:
        """Tag lists, one per sentence (a corpus, a list of token lists, or one token list).

        A word outside `VOCAB` raises a ValueError that names it (`unknown="error"`); with
        `unknown="unk"` it is read as "<unk>" (a word the tagger never saw)."""
        if not hasattr(self, "params"):
            raise ValueError(_("this tagger is not trained yet: call .fit(corpus, rng=rng) first"))
        unknown = _check_unknown(unknown)
        sentences = _as_token_lists(corpus_or_tokens)
        for s in sentences:
            _token_ids(s, unknown)
        logits = self.logits(
            self.params, self.encode([{"tokens": s, "tags": ["PUNCT"] * len(s)} for s in sentences])
        )
        return self.decode(logits, [len(s) for s in sentences])

    def accuracy(self, corpus: list[dict]) -> float:
        """Fraction of all tokens tagged right."""
        corpus = _check_corpus(corpus)
        pred = self.predict(corpus)
        return float(
            np.mean(
                [
                    p == t
                    for ps, s in zip(pred, corpus, strict=True)
                    for p, t in zip(ps, s["tags"], strict=True)
                ]
            )
        )

    def ambiguous_accuracy(self, corpus: list[dict]) -> float:
        """Fraction of the ambiguous words (saw, duck, watch, fly) tagged right."""
        corpus = _check_corpus(corpus, targets=True)
        return ambiguous_accuracy(self.predict(corpus), corpus)

    @property
    def n_parameters(self) -> int:
        return (
            int(sum(v.size for v in self.params.values()))
            if hasattr(self, "params")
            else self.parameter_count()
        )


# ----------------------------------------------------------------------------------------------
# Window taggers (the FC tagger is the window of width 1)
# ----------------------------------------------------------------------------------------------
class WindowTagger(_Tagger):
    """Tags token i from the `width` tokens i − r … i + r (width = 2r + 1, odd), one-hot and
    concatenated: x (width·V,) → h = ReLU(x W1 + b1) (hidden,) → logits = h W2 + b2 (n_tags,)."""

    def __init__(self, width: int, *, hidden: int = 16, steps: int = 60, lr: float = 0.1):
        width = check_int("width", width, minimum=1)
        if width % 2 == 0:
            raise ValueError(
                _(
                    "width must be odd (the token plus r neighbours on each side, width = 2r + 1); "
                    "got {width}"
                ).format(width=width)
            )
        self.width, self.radius = width, width // 2
        self.hidden = check_int("hidden", hidden, minimum=1)
        self.steps, self.lr = check_int("steps", steps, minimum=1), check_float("lr", lr, above=0)

    def parameter_count(self) -> int:
        return window_parameter_count(self.width, len(VOCAB), len(TAGS), self.hidden)

    def init_params(self, rng: np.random.Generator) -> dict:
        d_in = self.width * len(VOCAB)
        return {
            "W1": rng.standard_normal((d_in, self.hidden)) / np.sqrt(self.width),
            "b1": np.zeros(self.hidden),
            "W2": rng.standard_normal((self.hidden, len(TAGS))) / np.sqrt(self.hidden),
            "b2": np.zeros(len(TAGS)),
        }

    def encode(self, corpus: list[dict]) -> dict:
        """All tokens of the corpus as rows: cols (N, width), the column of x = [one-hot of each
        window slot] that is 1 in each slot (slot·V + word id); y (N,) tag ids."""
        r, n_vocab = self.radius, len(VOCAB)
        rows, ys = [], []
        for s in corpus:
            ids = np.concatenate(
                [np.zeros(r, np.int64), _token_ids(s["tokens"]), np.zeros(r, np.int64)]
            )  # PAD = 0
            n = len(s["tokens"])
            rows.append(np.stack([ids[o : o + n] for o in range(self.width)], axis=1))  # (n, width)
            ys.append(_tag_ids(s["tags"]))
        win = np.concatenate(rows)  # (N, width) token ids
        cols = np.arange(self.width) * n_vocab + win
        return {"cols": cols, "y": np.concatenate(ys), "groups": _grouping(cols)}

    def logits(self, params: dict, batch: dict) -> np.ndarray:
        H = np.maximum(
            params["W1"][batch["cols"]].sum(axis=1) + params["b1"], 0.0
        )  # (N, hidden) = ReLU(x W1 + b1)
        return H @ params["W2"] + params["b2"]  # (N, n_tags)

    def loss_and_gradients(self, params: dict, batch: dict) -> tuple[float, dict]:
        """Mean cross-entropy over all tokens and its gradient for each parameter."""
        cols, y = batch["cols"], batch["y"]
        N = len(y)
        pre = (
            params["W1"][cols].sum(axis=1) + params["b1"]
        )  # (N, hidden): x W1 with x one-hot per slot
        H = np.maximum(pre, 0.0)
        logp = _log_softmax(H @ params["W2"] + params["b2"])  # (N, n_tags)
        loss = -logp[np.arange(N), y].mean()
        d_logits = np.exp(logp)
        d_logits[np.arange(N), y] -= 1.0
        d_logits /= N
        d_pre = (d_logits @ params["W2"].T) * (pre > 0)
        d_W1 = _scatter_rows(
            batch["groups"], np.repeat(d_pre, cols.shape[1], axis=0), params["W1"].shape[0]
        )  # xᵀ d_pre
        grads = {"W2": H.T @ d_logits, "b2": d_logits.sum(0), "W1": d_W1, "b1": d_pre.sum(0)}
        return float(loss), grads

    def decode(self, logits: np.ndarray, lengths: list[int]) -> list[list[str]]:
        ids = logits.argmax(axis=1)
        out, start = [], 0
        for n in lengths:
            out.append([TAGS[k] for k in ids[start : start + n]])
            start += n
        return out


class FCTagger(WindowTagger):
    """The per-token fully-connected tagger: the same small network applied to each token alone
    (a window of width 1). It sees "saw" and nothing else, so both "saw"s get the same tag."""

    def __init__(self, *, hidden: int = 16, steps: int = 60, lr: float = 0.1):
        super().__init__(1, hidden=hidden, steps=steps, lr=lr)


# ----------------------------------------------------------------------------------------------
# The self-attention tagger
# ----------------------------------------------------------------------------------------------
class SelfAttentionTagger(_Tagger):
    """One head of self-attention, then a per-token classifier on [aⁱ, bⁱ].

    Per sentence (tokens as rows): aⁱ is the one-hot of word i (size V), followed, when
    `positional`, by the sinusoidal positional vector eⁱ (size d_pos, `helpers.positional`).
    Q = X W_q, K = X W_k, V = X W_v (n, d_k / d_v); α′ = softmax(Q Kᵀ / √d_k) over the keys (n, n);
    B = α′ V (n, d_v); logits = X W_x + B W_b + c (n, n_tags). Sentences are padded to one length
    L and stacked; padding keys are masked out (α′ = 0) and padding queries ignored in the loss.

    Without positions the tagger sees each sentence as a *set*: the two "saw"s of "i saw a saw ."
    have the same vector and the same neighbours, so they get the same α′ row, the same b and the
    same tag. With eⁱ the query can prefer the cue just before it.

    Training (lesson 05's recipe, checked over 10 seeds in `tests/test_taggers.py`): 400 Adam
    steps at lr 0.05, each on a fresh mini-batch of `batch_size` = 100 sentences drawn from the
    corpus (None: the whole corpus every step).
    """

    def __init__(
        self,
        *,
        positional: bool = False,
        d_pos: int = 8,
        d_k: int = 8,
        d_v: int = 8,
        steps: int = 400,
        lr: float = 0.05,
        batch_size: int | None = 100,
    ):
        self.positional = check_bool("positional", positional)
        d_pos = check_int("d_pos", d_pos, minimum=2)
        self.d_pos = d_pos if self.positional else 0
        self.d_k = check_int("d_k", d_k, minimum=1)
        self.d_v = check_int("d_v", d_v, minimum=1)
        self.steps, self.lr = check_int("steps", steps, minimum=1), check_float("lr", lr, above=0)
        self.batch_size = (
            None if batch_size is None else check_int("batch_size", batch_size, minimum=1)
        )

    @property
    def d_in(self) -> int:
        """Size of aⁱ: the one-hot word, plus eⁱ when positional."""
        return len(VOCAB) + self.d_pos

    def parameter_count(self) -> int:
        return self_attention_parameter_count(self.d_in, self.d_k, self.d_v, len(TAGS))

    def init_params(self, rng: np.random.Generator) -> dict:
        d, t = self.d_in, len(TAGS)
        return {
            "W_q": rng.standard_normal((d, self.d_k)) * 0.5,
            "W_k": rng.standard_normal((d, self.d_k)) * 0.5,
            "W_v": rng.standard_normal((d, self.d_v)) * 0.5,
            "W_x": rng.standard_normal((d, t)) * 0.1,
            "W_b": rng.standard_normal((self.d_v, t)) * 0.1,
            "c": np.zeros(t),
        }

    def encode(self, corpus: list[dict]) -> dict:
        """ids (S, L) word ids, padded (the one-hot part of X is never built: X @ W = W[ids]);
        E (L, d_pos) positional vectors (or None); y (S, L) tag ids; keep (S, L) True on real
        tokens."""
        L = max(len(s["tokens"]) for s in corpus)
        S = len(corpus)
        ids = np.zeros((S, L), np.int64)  # PAD = 0
        y = np.zeros((S, L), np.int64)
        keep = np.zeros((S, L), bool)
        for i, s in enumerate(corpus):
            n = len(s["tokens"])
            ids[i, :n], y[i, :n], keep[i, :n] = _token_ids(s["tokens"]), _tag_ids(s["tags"]), True
        E = sinusoidal_encoding(L, self.d_pos, base=POSITION_BASE) if self.positional else None
        return {"ids": ids, "E": E, "y": y, "keep": keep, "groups": _grouping(ids)}

    def subset(self, batch: dict, pick: np.ndarray) -> dict:
        """The sentences `pick` (indices) of an encoded batch, as a batch of their own."""
        ids = batch["ids"][pick]
        return {
            "ids": ids,
            "E": batch["E"],
            "y": batch["y"][pick],
            "keep": batch["keep"][pick],
            "groups": _grouping(ids),
        }

    def _project(self, W: np.ndarray, batch: dict) -> np.ndarray:
        """X W for every sentence, (S, L, cols): the word's row of W, plus eⁱ times the
        positional rows."""
        out = W[: len(VOCAB)][batch["ids"]]
        if batch["E"] is not None:
            out = out + (batch["E"] @ W[len(VOCAB) :])[None]
        return out

    def _project_back(self, d_out: np.ndarray, batch: dict) -> np.ndarray:
        """Xᵀ d_out summed over the batch: the gradient of a weight matrix used in `_project`."""
        d_word = _scatter_rows(batch["groups"], d_out.reshape(-1, d_out.shape[-1]), len(VOCAB))
        if batch["E"] is None:
            return d_word
        return np.vstack([d_word, batch["E"].T @ d_out.sum(axis=0)])

    def forward(self, params: dict, batch: dict) -> dict:
        """Every intermediate of the forward pass (for the backward pass and the plots)."""
        keep = batch["keep"]
        Q = self._project(params["W_q"], batch)  # (S, L, d_k) = X W_q
        K = self._project(params["W_k"], batch)  # (S, L, d_k) = X W_k
        V = self._project(params["W_v"], batch)  # (S, L, d_v) = X W_v
        alpha = Q @ K.transpose(0, 2, 1) / np.sqrt(self.d_k)  # (S, L, L): queries × keys
        alpha = np.where(keep[:, None, :], alpha, -np.inf)  # padding keys get no attention
        alpha = alpha - alpha.max(axis=-1, keepdims=True)
        alpha_prime = np.exp(alpha)
        alpha_prime /= alpha_prime.sum(axis=-1, keepdims=True)  # (S, L, L)
        B = alpha_prime @ V  # (S, L, d_v): bⁱ = Σⱼ α′ᵢⱼ vʲ
        logits = (
            self._project(params["W_x"], batch) + B @ params["W_b"] + params["c"]
        )  # (S, L, n_tags)
        return {"Q": Q, "K": K, "V": V, "alpha_prime": alpha_prime, "B": B, "logits": logits}

    def logits(self, params: dict, batch: dict) -> np.ndarray:
        return self.forward(params, batch)["logits"]

    def loss_and_gradients(self, params: dict, batch: dict) -> tuple[float, dict]:
        """Mean cross-entropy over the real tokens and its gradient, by hand, for each parameter."""
        y, keep = batch["y"], batch["keep"]
        f = self.forward(params, batch)
        N = keep.sum()
        logp = _log_softmax(f["logits"])  # (S, L, n_tags)
        picked = np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]  # (S, L)
        loss = -(picked * keep).sum() / N
        d_logits = np.exp(logp)
        np.put_along_axis(
            d_logits,
            y[..., None],
            np.take_along_axis(d_logits, y[..., None], axis=-1) - 1.0,
            axis=-1,
        )
        d_logits *= keep[..., None] / N  # (S, L, n_tags)
        d_B = d_logits @ params["W_b"].T  # (S, L, d_v)
        A1 = f["alpha_prime"]
        d_A1 = d_B @ f["V"].transpose(0, 2, 1)  # (S, L, L)
        d_V = A1.transpose(0, 2, 1) @ d_B  # (S, L, d_v)
        d_alpha = (
            A1 * (d_A1 - (d_A1 * A1).sum(axis=-1, keepdims=True)) / np.sqrt(self.d_k)
        )  # softmax backward
        d_Q = d_alpha @ f["K"]  # (S, L, d_k)
        d_K = d_alpha.transpose(0, 2, 1) @ f["Q"]  # (S, L, d_k)
        grads = {  # dW = Xᵀ d(X W)
            "W_q": self._project_back(d_Q, batch),
            "W_k": self._project_back(d_K, batch),
            "W_v": self._project_back(d_V, batch),
            "W_x": self._project_back(d_logits, batch),
            "W_b": f["B"].reshape(-1, self.d_v).T @ d_logits.reshape(-1, d_logits.shape[-1]),
            "c": d_logits.sum(axis=(0, 1)),
        }
        return float(loss), grads

    def decode(self, logits: np.ndarray, lengths: list[int]) -> list[list[str]]:
        ids = logits.argmax(axis=-1)  # (S, L)
        return [[TAGS[k] for k in ids[i, :n]] for i, n in enumerate(lengths)]

    def inputs(self, tokens, *, unknown: str = "error") -> np.ndarray:
        """X (n, d_in) of one sentence: one-hot word (plus eⁱ when positional), a¹…aⁿ as rows
        (a¹ is X[0])."""
        tokens = _check_tokens("tokens", tokens)
        X = np.eye(len(VOCAB))[_token_ids(tokens, _check_unknown(unknown))]
        if self.positional:
            X = np.hstack([X, sinusoidal_encoding(len(tokens), self.d_pos, base=POSITION_BASE)])
        return X

    def attention(self, tokens, *, unknown: str = "error") -> np.ndarray:
        """α′ (n, n) of one sentence: queries on rows, keys on columns (query a¹ is row 0)."""
        if not hasattr(self, "params"):
            raise ValueError(_("this tagger is not trained yet: call .fit(corpus, rng=rng) first"))
        tokens = _check_tokens("tokens", tokens)
        _token_ids(tokens, _check_unknown(unknown))
        batch = self.encode([{"tokens": tokens, "tags": ["PUNCT"] * len(tokens)}])
        return self.forward(self.params, batch)["alpha_prime"][0]


# ----------------------------------------------------------------------------------------------
# The lesson-02 sweep: every window width at every cue distance
# ----------------------------------------------------------------------------------------------
def window_sweep(
    widths, cue_distances, *, n_train: int = 200, n_test: int = 200, rng: np.random.Generator
) -> dict:
    """Train a window tagger for each (width, cue distance) and measure it on fresh sentences.

    Returns {"widths", "cue_distances", "accuracy" (len(widths), len(cue_distances)) on the
    ambiguous words, "majority" (len(cue_distances),), "parameters" (len(widths),)}.
    """
    n_train = check_int("n_train", n_train, minimum=1)
    n_test = check_int("n_test", n_test, minimum=1)
    widths = check_int_list("widths", widths, minimum=1)
    cue_distances = check_int_list("cue_distances", cue_distances, minimum=1)
    acc = np.zeros((len(widths), len(cue_distances)))
    majority = np.zeros(len(cue_distances))
    for j, dist in enumerate(cue_distances):
        train = make_tagging_corpus(n_train, cue_distance=dist, rng=rng)
        test = make_tagging_corpus(n_test, cue_distance=dist, rng=rng)
        majority[j] = majority_baseline(train, test)
        for i, w in enumerate(widths):
            acc[i, j] = WindowTagger(w).fit(train, rng=rng).ambiguous_accuracy(test)
    params = np.array([window_parameter_count(w, len(VOCAB), len(TAGS), 16) for w in widths])
    return {
        "widths": widths,
        "cue_distances": cue_distances,
        "accuracy": acc,
        "majority": majority,
        "parameters": params,
    }
