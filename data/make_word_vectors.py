"""Make data/word_vectors.tsv from data/sentences.json, deterministically (no download, no
randomness).

    python data/make_word_vectors.py

Method (the classic count-based recipe, Levy & Goldberg 2014):
1. Vocabulary: every token of the example sentences, sorted.
2. Co-occurrence counts C[w, c]: how often word c stands within 2 tokens of word w, weighted
   1 for a neighbour and 1/2 for the word after it.
3. Positive pointwise mutual information: PPMI[w, c] = max(0, log(P(w, c) / (P(w) P(c)))).
4. Truncated SVD: E = U_d · sqrt(S_d) with d = 8, each column's sign fixed so that its largest
   entry is positive (SVD signs are otherwise arbitrary), then the whole table scaled so the mean
   row length is 1.
Words that share neighbours get similar vectors: the determiners cluster, so do the pronouns.
"saw" gets one vector for both its meanings: a word vector cannot know its context.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
D = 8
WINDOW = 2


def make_vectors(
    sentences: list[list[str]], d: int = D, window: int = WINDOW
) -> tuple[list[str], np.ndarray]:
    """Token lists → (vocab, E) with E of shape (V, d)."""
    vocab = sorted({t for s in sentences for t in s})
    index = {w: i for i, w in enumerate(vocab)}
    C = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        for i, w in enumerate(s):
            for j in range(max(0, i - window), min(len(s), i + window + 1)):
                if j != i:
                    C[index[w], index[s[j]]] += 1.0 / abs(i - j)
    total = C.sum()
    p_w = C.sum(axis=1, keepdims=True) / total
    p_c = C.sum(axis=0, keepdims=True) / total
    with np.errstate(divide="ignore"):
        pmi = np.log((C / total) / (p_w * p_c))
    ppmi = np.where(C > 0, np.maximum(pmi, 0.0), 0.0)
    U, S, _ = np.linalg.svd(ppmi)
    E = U[:, :d] * np.sqrt(S[:d])
    signs = np.sign(E[np.abs(E).argmax(axis=0), np.arange(d)])
    E *= signs
    E /= np.linalg.norm(E, axis=1).mean()
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
