"""Make data/word_vectors.tsv from data/sentences.json, deterministically (no download; the only
"random" numbers are seeded by each word's own spelling).

    python data/make_word_vectors.py

Method (the classic count-based recipe, Levy & Goldberg 2014, for a corpus of 38 sentences):
1. Vocabulary: every token of the example sentences, sorted.
2. Contexts: for each word, which word stands right before it and which right after it, counted
   apart ("the ▢" and "▢ sat" are different contexts); the start and the end of a sentence count
   as context words too (<s>, </s>).
3. Positive pointwise mutual information of those counts: PPMI[w, c] = max(0, log(P(w, c) /
   (P(w) P(c)))), each column centred (so that what every word shares does not make all words
   alike).
4. Truncated SVD: the first d = 8 components, U_d · sqrt(S_d), each column's sign fixed so that
   its largest entry is positive (SVD signs are otherwise arbitrary), each row scaled to length 1.
5. Plus a word's own part: 0.6 × the word's seeded unit vector (the vector `helpers.data.embed`
   gives an unknown word, seeded by the CRC32 of its UTF-8 bytes), then each row scaled to length
   1 again. In 38 sentences many words have exactly the same neighbours ("in the sea .", "in the
   lake .", "in the park ."), and steps 2–4 alone would give them the *same* vector; a larger
   corpus would tell them apart, this small part stands in for it.

Words that share neighbours get similar vectors (cosines): "sea"~"lake" +0.70, "cat"~"dog"
+0.70, "we"~"they" +0.76; unrelated words do not: "sea"~"saw" −0.38, "cat"~"sat" −0.12. No two
distinct words have a cosine above 0.99 (the largest, "like"~"read", is 0.95). "saw" gets one
vector for both its meanings: a word vector cannot know its context. `tests/test_data.py`
checks all of this.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
D = 8
OWN = 0.6  # weight of a word's own seeded part against its unit-length context part
BOUNDS = ("<s>", "</s>")


def own_vector(word: str, d: int = D) -> np.ndarray:
    """The word's own part: a unit vector seeded by the CRC32 of the word's UTF-8 bytes. Shape
    (d,). The same recipe as `helpers.data._fallback_vector` (the vector of an unknown word)."""
    v = np.random.default_rng(zlib.crc32(word.encode("utf-8"))).standard_normal(d)
    return v / np.linalg.norm(v)


def _ppmi(C: np.ndarray) -> np.ndarray:
    total = C.sum()
    p_w = C.sum(axis=1, keepdims=True) / total
    p_c = C.sum(axis=0, keepdims=True) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((C / total) / (p_w * p_c))
    return np.where(C > 0, np.maximum(pmi, 0.0), 0.0)


def make_vectors(
    sentences: list[list[str]], d: int = D, own: float = OWN
) -> tuple[list[str], np.ndarray]:
    """Token lists → (vocab, E) with E of shape (V, d), every row of length 1."""
    vocab = sorted({t for s in sentences for t in s})
    index = {w: i for i, w in enumerate(vocab)}
    contexts = {c: j for j, c in enumerate([*vocab, *BOUNDS])}
    before = np.zeros((len(vocab), len(contexts)))  # before[w, c]: c stands right before w
    after = np.zeros((len(vocab), len(contexts)))  # after[w, c]: c stands right after w
    for s in sentences:
        padded = [BOUNDS[0], *s, BOUNDS[1]]
        for i in range(1, len(padded) - 1):
            w = index[padded[i]]
            before[w, contexts[padded[i - 1]]] += 1.0
            after[w, contexts[padded[i + 1]]] += 1.0
    F = np.hstack([_ppmi(before), _ppmi(after)])  # (V, 2 · (V + 2))
    F -= F.mean(axis=0)
    U, S, _ = np.linalg.svd(F, full_matrices=False)
    E = U[:, :d] * np.sqrt(S[:d])  # (V, d)
    E *= np.sign(E[np.abs(E).argmax(axis=0), np.arange(d)])
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    E += own * np.stack([own_vector(w, d) for w in vocab])
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    return vocab, E


def main() -> None:
    with open(HERE / "sentences.json", encoding="utf-8") as f:
        sentences = [s["tokens"] for s in json.load(f)]
    vocab, E = make_vectors(sentences)
    with open(HERE / "word_vectors.tsv", "w", encoding="utf-8") as f:
        f.write(
            f"# {len(vocab)} words x {E.shape[1]} dims; made by data/make_word_vectors.py from "
            "data/sentences.json\n"
        )
        for w, row in zip(vocab, E, strict=True):
            f.write(w + "\t" + "\t".join(f"{x:.4f}" for x in row) + "\n")
    print(f"wrote {len(vocab)} vectors of size {E.shape[1]} to word_vectors.tsv")


if __name__ == "__main__":
    main()
