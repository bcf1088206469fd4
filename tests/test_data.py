"""helpers.data: the example sentences, the word vectors (and that they can be made again),
tokenize,
embed and one_hot."""

import importlib.util
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import data

UPOS = {
    "ADJ",
    "ADP",
    "ADV",
    "AUX",
    "CCONJ",
    "DET",
    "INTJ",
    "NOUN",
    "NUM",
    "PART",
    "PRON",
    "PROPN",
    "PUNCT",
    "SCONJ",
    "SYM",
    "VERB",
    "X",
}


def test_sentences_are_tokenized_and_tagged():
    sentences = data.load_sentences()
    assert len(sentences) >= 30
    for s in sentences:
        assert s["tokens"] == data.tokenize(s["text"]), s["text"]
        assert len(s["tags"]) == len(s["tokens"]), s["text"]
        assert set(s["tags"]) <= UPOS, s["text"]


def test_i_saw_a_saw_has_both_saws():
    by_text = {s["text"]: s for s in data.load_sentences()}
    s = by_text["I saw a saw."]
    assert s["tokens"] == ["i", "saw", "a", "saw", "."]
    assert s["tags"] == ["PRON", "VERB", "DET", "NOUN", "PUNCT"]
    tags_of_saw = {
        t
        for s in by_text.values()
        for w, t in zip(s["tokens"], s["tags"], strict=True)
        if w == "saw"
    }
    assert tags_of_saw == {"NOUN", "VERB"}


def test_load_sentences_returns_a_fresh_copy():
    a = data.load_sentences()
    a[0]["tokens"].append("changed")
    assert data.load_sentences()[0]["tokens"][-1] != "changed"


def test_word_vectors_cover_every_sentence_token():
    vocab, E = data.load_word_vectors()
    assert E.dtype == np.float64 and E.shape == (len(vocab), 8)
    assert len(set(vocab)) == len(vocab)
    assert np.all(np.isfinite(E))
    tokens = {t for s in data.load_sentences() for t in s["tokens"]}
    assert tokens <= set(vocab)
    # every row of length 1, like an unknown word's fallback vector (4 decimals in the file)
    np.testing.assert_allclose(np.linalg.norm(E, axis=1), 1.0, atol=1e-3)


def _make_word_vectors_module():
    spec = importlib.util.spec_from_file_location(
        "make_word_vectors", data.DATA_DIR / "make_word_vectors.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_word_vectors_are_reproducible_from_the_script():
    module = _make_word_vectors_module()
    vocab, E = module.make_vectors([s["tokens"] for s in data.load_sentences()])
    vocab_file, E_file = data.load_word_vectors()
    assert vocab == vocab_file
    np.testing.assert_allclose(E, E_file, atol=1e-4)
    # a word's own part is the vector an unknown word gets: one recipe, in one place each
    np.testing.assert_array_equal(module.own_vector("sea"), data._fallback_vector("sea", 8))


def _cosines():
    vocab, E = data.load_word_vectors()
    N = E / np.linalg.norm(E, axis=1, keepdims=True)
    index = {w: i for i, w in enumerate(vocab)}
    return vocab, N @ N.T, lambda a, b: float(N[index[a]] @ N[index[b]])


def test_no_two_distinct_words_share_a_vector():
    vocab, C, cos = _cosines()
    upper = C[np.triu_indices(len(vocab), 1)]
    assert upper.max() <= 0.99, sorted(upper)[-5:]
    # the words the old vectors made identical (cat = sat, sea = lake = park = shed) now differ
    for a, b in [
        ("cat", "sat"),
        ("sea", "lake"),
        ("lake", "park"),
        ("park", "shed"),
        ("fruit", "time"),
        ("deep", "machine"),
        ("mat", "wall"),
    ]:
        assert cos(a, b) < 0.9, (a, b)


# the pairs lesson 01 prints: words used in the same places, and words that are not
ALIKE = [("sea", "lake"), ("cat", "dog"), ("we", "they")]
UNRELATED = [("sea", "saw"), ("cat", "sat")]


def test_the_lessons_alike_and_unrelated_pairs_are_measurably_so():
    _, _, cos = _cosines()
    for a, b in ALIKE:
        assert cos(a, b) >= 0.6, (a, b, cos(a, b))
    for a, b in UNRELATED:
        assert cos(a, b) <= 0.0, (a, b, cos(a, b))
    assert min(cos(*p) for p in ALIKE) - max(cos(*p) for p in UNRELATED) >= 0.5


def test_embed_looks_up_rows_and_saw_has_one_vector():
    vocab, E = data.load_word_vectors()
    X = data.embed(["i", "saw", "a", "saw", "."])
    assert X.shape == (5, 8)
    np.testing.assert_array_equal(X[1], E[vocab.index("saw")])
    np.testing.assert_array_equal(X[1], X[3])  # a word vector cannot know its context
    np.testing.assert_array_equal(data.embed("I saw a saw."), X)


def test_embed_unknown_words_are_deterministic_unit_vectors():
    a, b, c = data.embed(["zebra", "zebra", "quokka"])
    assert data.embed(["zebra"])[0].tolist() == a.tolist()
    np.testing.assert_array_equal(a, b)
    assert abs(np.linalg.norm(a) - 1.0) < 1e-12
    assert not np.allclose(a, c)
    np.testing.assert_array_equal(c, data._fallback_vector("quokka", 8))


def test_embed_empty_and_bad_input():
    assert data.embed([]).shape == (0, 8)
    assert data.embed("").shape == (0, 8)
    with pytest.raises(ValueError, match="list of str"):
        data.embed([1, 2])


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        (None, "got NoneType"),
        (3, "got int"),
        ({"a": 1}, "got dict"),
        (b"abc", "got bytes"),
        ([["a"]], "holds ['a'] of type list"),
        ([None], "holds None"),
        (np.array([["a"]]), "shape (1, 1)"),
    ],
)
def test_embed_and_one_hot_name_the_bad_tokens(bad, said):
    for func in (data.embed, data.one_hot):
        with pytest.raises(ValueError, match="tokens must be a list of str") as info:
            func(bad)
        assert said in str(info.value)


def test_one_hot_names_a_bad_vocab():
    with pytest.raises(ValueError, match="vocab must be a list of words, not one str"):
        data.one_hot(["a"], "abc")
    with pytest.raises(ValueError, match="vocab must be a list of str.*got int"):
        data.one_hot(["a"], 3)
    with pytest.raises(ValueError, match="vocab must be a list of str.*holds 1"):
        data.one_hot(["a"], [1, 2])
    np.testing.assert_array_equal(data.one_hot(("b", "a"), np.array(["a", "b"])), [[0, 1], [1, 0]])


def test_one_hot():
    vocab = ["i", "saw", "a", "."]
    M = data.one_hot(["i", "saw", "a", "saw", "."], vocab)
    assert M.shape == (5, 4)
    np.testing.assert_array_equal(M.sum(axis=1), 1)
    assert M.argmax(axis=1).tolist() == [0, 1, 2, 1, 3]
    assert data.one_hot(["zebra", "i"], vocab)[0].sum() == 0
    with pytest.raises(ValueError, match="zebra"):
        data.one_hot(["zebra"], vocab, unknown="error")
    np.testing.assert_array_equal(data.one_hot(["b", "a", "b"]), [[1, 0], [0, 1], [1, 0]])
    with pytest.raises(ValueError, match="twice"):
        data.one_hot(["a"], ["a", "a"])


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("I saw a saw.", ["i", "saw", "a", "saw", "."]),
        ("", []),
        ("   ", []),
        ("Hello, world!", ["hello", ",", "world", "!"]),
        ("我看见了一把锯子", ["我", "看", "见", "了", "一", "把", "锯", "子"]),
        ("I saw 锯子!", ["i", "saw", "锯", "子", "!"]),
        ("Don't stop", ["don't", "stop"]),
    ],
)
def test_tokenize_examples(text, tokens):
    assert data.tokenize(text) == tokens


@given(st.text(max_size=60))
def test_tokenize_loses_nothing_but_spaces(text):
    tokens = data.tokenize(text)
    assert "".join(tokens) == re.sub(r"\s", "", text.lower())
    assert all(t and not re.search(r"\s", t) for t in tokens)


def test_tokenize_rejects_non_strings():
    with pytest.raises(ValueError, match="str"):
        data.tokenize(["a"])


def test_tokenize():
    assert data.tokenize("I saw a saw.") == ["i", "saw", "a", "saw", "."]
    assert data.tokenize("我看见一把锯。") == list("我看见一把锯。")
    assert data.tokenize("Don't stop—now!") == ["don't", "stop", "—", "now", "!"]
    assert data.tokenize("I saw 一把锯") == ["i", "saw", "一", "把", "锯"]
    assert data.tokenize("well-known") == ["well-known"]
    assert data.tokenize("") == [] and data.tokenize("   ") == []
    with pytest.raises(ValueError, match="text"):
        data.tokenize(3)


@given(st.text(max_size=40))
def test_tokenize_never_loses_non_space_characters(text):
    assert "".join(data.tokenize(text)) == "".join(text.lower().split())


def test_embed_is_deterministic_for_unknown_words_and_case_folds():
    X = data.embed(["zyzzyva", "Zyzzyva", "saw"])
    assert X.shape == (3, 8)
    np.testing.assert_array_equal(data.embed(["zyzzyva"])[0], X[0])
    assert not np.allclose(X[0], X[2])
    assert data.embed([]).shape == (0, 8)


def test_toy_weights_are_seeded_and_shaped():
    W = data.toy_weights(3)
    assert {k: v.shape for k, v in W.items()} == {
        "W_q": (8, 4),
        "W_k": (8, 4),
        "W_v": (8, 4),
        "w": (4,),
    }
    np.testing.assert_array_equal(W["W_q"], data.toy_weights(3)["W_q"])
    assert not np.allclose(W["W_q"], data.toy_weights(4)["W_q"])
    with pytest.raises(ValueError, match="seed"):
        data.toy_weights(-1)


def test_example_sentences():
    assert data.example_sentences("weighted_sum")[0] == "i saw a saw ."
    tokens, edges = data.example_graph()
    assert len(tokens) == 8 and all(0 <= i < 8 and 0 <= j < 8 for i, j in edges)
    with pytest.raises(ValueError, match="name must be one of"):
        data.example_sentences("nope")
