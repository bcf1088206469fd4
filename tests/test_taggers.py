"""helpers.taggers: the grammar, the hand-written gradients (against finite differences), and the
behaviour the lessons promise (FC capped at the majority guess, windows only help while the cue is
inside, self-attention right wherever the cue stands)."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import taggers as bl
from helpers.attention import self_attention
from helpers.positional import sinusoidal_encoding


@given(seed=st.integers(0, 2**32 - 1), lo=st.integers(1, 6), extra=st.integers(0, 3))
def test_corpus_follows_the_grammar(seed, lo, extra):
    corpus = bl.make_tagging_corpus(
        20, cue_distance=(lo, lo + extra), rng=np.random.default_rng(seed)
    )
    assert len(corpus) == 20
    for s in corpus:
        toks, tags = s["tokens"], s["tags"]
        assert len(toks) == len(tags)
        assert len(s["targets"]) == len(s["cue_distances"]) == 1
        (t,), (d,) = s["targets"], s["cue_distances"]
        assert lo <= d <= lo + extra and t == d
        assert toks[t] in bl.AMBIGUOUS
        cue = toks[t - d]
        assert (cue in bl.PRONOUNS and tags[t] == "VERB") or (
            cue in bl.DETERMINERS and tags[t] == "NOUN"
        )
        assert all(w in bl.FILLERS for w in toks[t - d + 1 : t])
        assert tuple(toks[t + 1 :]) in bl.TAILS
        assert all(w in bl.VOCAB for w in toks)


@given(seed=st.integers(0, 2**32 - 1))
def test_two_clause_sentences_have_a_cue_before_each_ambiguous_word(seed):
    corpus = bl.make_tagging_corpus(
        10, cue_distance=(1, 3), two_clause=1.0, rng=np.random.default_rng(seed)
    )
    for s in corpus:
        toks, tags = s["tokens"], s["tags"]
        assert len(s["targets"]) == 2
        start = 0
        for t, d in zip(s["targets"], s["cue_distances"], strict=True):
            assert t - d == start  # each clause starts with its cue
            assert (tags[t - d], tags[t]) in {("PRON", "VERB"), ("DET", "NOUN")}
            start = t + 1
        assert tuple(toks[start:]) in bl.TAILS


def test_corpus_readings_are_balanced_and_cue_is_the_only_signal():
    corpus = bl.make_tagging_corpus(4000, cue_distance=3, rng=np.random.default_rng(1))
    verb = np.array([s["tags"][s["targets"][0]] == "VERB" for s in corpus])
    assert 0.47 < verb.mean() < 0.53
    # the words after the ambiguous one have the same distribution under both readings
    tails_v = {
        tuple(s["tokens"][s["targets"][0] + 1 :]) for s, v in zip(corpus, verb, strict=True) if v
    }
    tails_n = {
        tuple(s["tokens"][s["targets"][0] + 1 :])
        for s, v in zip(corpus, verb, strict=True)
        if not v
    }
    assert tails_v == tails_n == set(bl.TAILS)


def test_corpus_is_deterministic_and_validates():
    a = bl.make_tagging_corpus(5, cue_distance=2, rng=np.random.default_rng(7))
    b = bl.make_tagging_corpus(5, cue_distance=2, rng=np.random.default_rng(7))
    assert a == b
    with pytest.raises(ValueError, match="cue_distance"):
        bl.make_tagging_corpus(5, cue_distance=0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="cue_distance"):
        bl.make_tagging_corpus(5, cue_distance=(3, 1), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="rng"):
        bl.make_tagging_corpus(5, rng=0)
    with pytest.raises(ValueError, match="two_clause"):
        bl.make_tagging_corpus(5, two_clause=1.5, rng=np.random.default_rng(0))


@given(
    width=st.integers(0, 10).map(lambda r: 2 * r + 1),
    d=st.integers(1, 50),
    n_tags=st.integers(1, 10),
    hidden=st.integers(1, 32),
)
def test_window_parameter_count_grows_linearly_with_width(width, d, n_tags, hidden):
    n = bl.window_parameter_count(width, d, n_tags, hidden)
    assert n == width * d * hidden + hidden + hidden * n_tags + n_tags
    assert bl.window_parameter_count(width + 2, d, n_tags, hidden) - n == 2 * d * hidden


def test_parameter_counts_match_the_models():
    rng = np.random.default_rng(0)
    corpus = bl.make_tagging_corpus(10, rng=rng)
    for width in (1, 3, 7):
        tagger = bl.WindowTagger(width, steps=1).fit(corpus, rng=rng)
        assert tagger.n_parameters == bl.window_parameter_count(
            width, len(bl.VOCAB), len(bl.TAGS), 16
        )
    sa = bl.SelfAttentionTagger(steps=1).fit(corpus, rng=rng)
    assert sa.n_parameters == bl.self_attention_parameter_count(len(bl.VOCAB), 8, 8, len(bl.TAGS))
    with pytest.raises(ValueError, match="odd"):
        bl.WindowTagger(4)
    with pytest.raises(ValueError, match="not trained"):
        bl.SelfAttentionTagger().predict(corpus)


def _finite_difference_check(tagger, params, batch, rng, n_entries=12, eps=1e-6):
    _, grads = tagger.loss_and_gradients(params, batch)
    for name, P in params.items():
        assert grads[name].shape == P.shape, name
        flat_idx = rng.choice(P.size, size=min(n_entries, P.size), replace=False)
        for k in flat_idx:
            idx = np.unravel_index(k, P.shape)
            old = P[idx]
            P[idx] = old + eps
            up, _ = tagger.loss_and_gradients(params, batch)
            P[idx] = old - eps
            down, _ = tagger.loss_and_gradients(params, batch)
            P[idx] = old
            numeric = (up - down) / (2 * eps)
            assert abs(numeric - grads[name][idx]) < 1e-6 + 1e-4 * abs(numeric), (
                name,
                idx,
                numeric,
                grads[name][idx],
            )


@pytest.mark.parametrize(("seed", "positional"), [(0, False), (1, False), (2, True), (3, True)])
def test_self_attention_gradients_match_finite_differences(seed, positional):
    rng = np.random.default_rng(seed)
    tagger = bl.SelfAttentionTagger(positional=positional, d_pos=4, d_k=3, d_v=2)
    corpus = bl.make_tagging_corpus(
        6, cue_distance=(1, 4), two_clause=0.5, rng=rng
    )  # ragged: padding is exercised
    params = tagger.init_params(rng)
    for P in params.values():
        P += rng.standard_normal(P.shape) * 0.5  # away from the initialisation's symmetries
    _finite_difference_check(tagger, params, tagger.encode(corpus), rng)


@pytest.mark.parametrize("width", [1, 3, 5])
def test_window_gradients_match_finite_differences(width):
    rng = np.random.default_rng(width)
    tagger = bl.WindowTagger(width, hidden=5)
    corpus = bl.make_tagging_corpus(6, cue_distance=(1, 3), rng=rng)
    params = tagger.init_params(rng)
    params["b1"] += 0.3  # keep units off the ReLU kink
    _finite_difference_check(tagger, params, tagger.encode(corpus), rng)


@pytest.mark.parametrize("positional", [False, True])
def test_self_attention_tagger_uses_the_lectures_attention(positional):
    rng = np.random.default_rng(3)
    tagger = bl.SelfAttentionTagger(positional=positional)
    params = tagger.init_params(rng)
    corpus = bl.make_tagging_corpus(3, cue_distance=(1, 5), rng=rng)
    batch = tagger.encode(corpus)
    f = tagger.forward(params, batch)
    for i, s in enumerate(corpus):
        n = len(s["tokens"])
        X = np.eye(len(bl.VOCAB))[[bl.VOCAB.index(t) for t in s["tokens"]]]  # (n, V) one-hot a¹…aⁿ
        if positional:
            X = np.hstack(
                [X, sinusoidal_encoding(n, tagger.d_pos, base=bl.POSITION_BASE)]
            )  # aⁱ + position eⁱ
        np.testing.assert_array_equal(tagger.inputs(s["tokens"]), X)
        B, alpha_prime = self_attention(X, params["W_q"], params["W_k"], params["W_v"])
        np.testing.assert_allclose(f["alpha_prime"][i, :n, :n], alpha_prime, atol=1e-12)
        np.testing.assert_allclose(f["alpha_prime"][i, :n, n:], 0.0)  # padding keys get no weight
        np.testing.assert_allclose(f["B"][i, :n], B, atol=1e-12)


@pytest.fixture(scope="module")
def distance_3():
    rng = np.random.default_rng(0)
    train = bl.make_tagging_corpus(200, cue_distance=3, rng=rng)
    test = bl.make_tagging_corpus(200, cue_distance=3, rng=rng)
    return train, test, rng


def test_fc_tagger_cannot_beat_the_majority_guess(distance_3):
    train, test, rng = distance_3
    fc = bl.FCTagger().fit(train, rng=rng)
    assert fc.ambiguous_accuracy(test) <= bl.majority_baseline(train, test) + 0.03
    assert fc.ambiguous_accuracy(test) < 0.6
    # the same word always gets the same tag
    pred = fc.predict([["i", "saw", "a", "saw", "."]])[0]
    assert pred[1] == pred[3]


def test_window_helps_only_while_the_cue_is_inside(distance_3):
    train, test, rng = distance_3
    for width in (3, 5):  # cue 3 tokens away: outside
        assert bl.WindowTagger(width).fit(train, rng=rng).ambiguous_accuracy(test) < 0.62
    for width in (7, 9):  # inside
        assert bl.WindowTagger(width).fit(train, rng=rng).ambiguous_accuracy(test) >= 0.95


def test_training_is_deterministic():
    def train(seed):
        rng = np.random.default_rng(seed)
        corpus = bl.make_tagging_corpus(30, cue_distance=(1, 3), rng=rng)
        return bl.SelfAttentionTagger(steps=20).fit(corpus, rng=rng).params

    a, b = train(5), train(5)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def test_window_sweep_shape_and_staircase():
    res = bl.window_sweep([1, 3, 5], [1, 2], n_train=120, n_test=100, rng=np.random.default_rng(0))
    acc = res["accuracy"]
    assert acc.shape == (3, 2) and res["majority"].shape == (2,)
    assert acc[1, 0] >= 0.95 and acc[2, 0] >= 0.95 and acc[2, 1] >= 0.95  # cue inside
    assert acc[0, 0] < 0.65 and acc[1, 1] < 0.65  # cue outside
    assert list(res["parameters"]) == [
        bl.window_parameter_count(w, len(bl.VOCAB), len(bl.TAGS), 16) for w in (1, 3, 5)
    ]


def test_ambiguous_accuracy_and_majority_baseline():
    corpus = [
        {
            "tokens": ["i", "saw", "."],
            "tags": ["PRON", "VERB", "PUNCT"],
            "targets": [1],
            "cue_distances": [1],
        },
        {
            "tokens": ["a", "saw", "."],
            "tags": ["DET", "NOUN", "PUNCT"],
            "targets": [1],
            "cue_distances": [1],
        },
    ]
    assert (
        bl.ambiguous_accuracy([["PRON", "VERB", "PUNCT"], ["DET", "VERB", "PUNCT"]], corpus) == 0.5
    )
    assert bl.majority_baseline(corpus, corpus) == 0.5
    with pytest.raises(ValueError, match="one tag list per sentence"):
        bl.ambiguous_accuracy([], corpus)


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60),
    n_rows=st.integers(1, 12),
    k=st.integers(1, 5),
)
def test_scatter_rows_is_the_one_hot_product(seed, n, n_rows, k):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, n_rows, size=n)
    G = rng.standard_normal((n, k))
    onehot = np.eye(n_rows)[ids]  # (n, n_rows)
    np.testing.assert_allclose(
        bl._scatter_rows(bl._grouping(ids), G, n_rows), onehot.T @ G, atol=1e-12
    )


# ---- lesson 02's claims, for every seed ----------------------------------------------------------
@pytest.mark.parametrize("seed", range(10))
def test_lesson_02_claims_hold_for_every_seed(seed):
    """What lesson 02 reads off its trained taggers holds for seeds 0–9, not only the stored 0:
    the FC tagger is no better than the majority guess on the ambiguous words; a window is a coin
    toss while the cue (3 tokens away) is outside it and right once it is inside; the sweep is a
    staircase (width 2r + 1 right exactly when the cue is at most r tokens away)."""
    rng = np.random.default_rng(seed)
    train = bl.make_tagging_corpus(200, cue_distance=3, rng=rng)
    test = bl.make_tagging_corpus(200, cue_distance=3, rng=rng)
    majority = bl.majority_baseline(train, test)
    assert bl.FCTagger().fit(train, rng=rng).ambiguous_accuracy(test) <= majority + 0.02
    for width in (3, 5):
        assert bl.WindowTagger(width).fit(train, rng=rng).ambiguous_accuracy(test) < 0.62
    for width in (7, 9):
        assert bl.WindowTagger(width).fit(train, rng=rng).ambiguous_accuracy(test) >= 0.95
    res = bl.window_sweep([1, 3, 5, 7, 9], [1, 2, 3, 4], rng=rng)
    inside = np.array([[w // 2 >= d for d in res["cue_distances"]] for w in res["widths"]])
    assert res["accuracy"][inside].min() >= 0.95
    assert res["accuracy"][~inside].max() < 0.65
    outside_gain = (res["accuracy"] - res["majority"][None, :])[~inside]
    # outside the window: no better than the majority guess, up to the noise of 200 test sentences
    # (a coin toss measured on ~200 ambiguous words has a standard deviation of about 0.035)
    assert outside_gain.max() <= 0.15


# ---- lesson 05's claims, for every seed ------------------------------------------------------
# The cells of notebooks/05_weighted_sum.ipynb, run with rng = default_rng(seed) for 10 seeds.
# Every claim the lesson draws from its trained taggers is asserted for each seed below.
LESSON_05 = Path(__file__).resolve().parent.parent / "notebooks" / "05_weighted_sum.ipynb"
RECIPE = (  # the lines that train the lesson's taggers, as the notebook writes them
    "train = make_tagging_corpus(2000, cue_distance=(1, 6), rng=rng)",
    "attention_tagger = SelfAttentionTagger().fit(train, rng=rng)",
    "window_tagger = WindowTagger(5).fit(train[:300], rng=rng)",
    "train_2 = make_tagging_corpus(2000, cue_distance=(1, 4), two_clause=0.75, rng=rng)",
    "set_tagger = SelfAttentionTagger().fit(train_2, rng=rng)",
    "position_tagger = SelfAttentionTagger(positional=True).fit(train_2, rng=rng)",
)
LECTURE = ["i", "saw", "a", "saw", "."]
EXAMPLES = {  # lesson 05's three sentences for the positional tagger, and their right tags
    ("i", "saw", "a", "saw", "."): ["PRON", "VERB", "DET", "NOUN", "PUNCT"],
    ("the", "saw", "i", "saw", "."): ["DET", "NOUN", "PRON", "VERB", "PUNCT"],
    ("a", "duck", "uh", "we", "duck", "."): ["DET", "NOUN", "INTJ", "PRON", "VERB", "PUNCT"],
}
READINGS = (["a", "uh", "um", "saw", "there", "."], ["i", "uh", "um", "saw", "there", "."])


def test_the_seed_test_trains_what_lesson_05_trains():
    cells = json.loads(LESSON_05.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for line in RECIPE:
        assert line in code, line


def _lesson_05(seed: int) -> dict:
    """What lesson 05 prints and plots from its taggers, for rng = default_rng(seed)."""
    rng = np.random.default_rng(seed)
    train = bl.make_tagging_corpus(2000, cue_distance=(1, 6), rng=rng)
    attention_tagger = bl.SelfAttentionTagger().fit(train, rng=rng)
    window_tagger = bl.WindowTagger(5).fit(train[:300], rng=rng)
    out = {"window": [], "attention": [], "majority": []}
    for d in range(1, 9):
        test = bl.make_tagging_corpus(100, cue_distance=d, rng=rng)
        out["majority"].append(bl.majority_baseline(train, test))
        out["window"].append(window_tagger.ambiguous_accuracy(test))
        out["attention"].append(attention_tagger.ambiguous_accuracy(test))
    out["cue_weights"] = [attention_tagger.attention(s)[3, 0] for s in READINGS]
    train_2 = bl.make_tagging_corpus(2000, cue_distance=(1, 4), two_clause=0.75, rng=rng)
    set_tagger = bl.SelfAttentionTagger().fit(train_2, rng=rng)
    position_tagger = bl.SelfAttentionTagger(positional=True).fit(train_2, rng=rng)
    out["set_lecture"] = set_tagger.predict(LECTURE)[0]
    out["set_attention"] = set_tagger.attention(LECTURE)
    out["examples"] = {s: position_tagger.predict(list(s))[0] for s in EXAMPLES}
    out["position_attention"] = position_tagger.attention(LECTURE)
    out["two_clause"] = []
    for d in range(1, 5):
        test_2 = bl.make_tagging_corpus(100, cue_distance=d, two_clause=1.0, rng=rng)
        out["two_clause"].append(
            (set_tagger.ambiguous_accuracy(test_2), position_tagger.ambiguous_accuracy(test_2))
        )
    return out


@pytest.fixture(scope="module")
def lesson_05_runs():
    return {seed: _lesson_05(seed) for seed in range(10)}


def test_lesson_05_window_helps_only_while_the_cue_is_within_two_tokens(lesson_05_runs):
    for seed, r in lesson_05_runs.items():
        assert min(r["window"][:2]) >= 0.95, (seed, r["window"])
        assert max(r["window"][2:]) <= 0.7, (seed, r["window"])
        assert max(r["majority"]) <= 0.7, (seed, r["majority"])


def test_lesson_05_self_attention_is_right_wherever_the_cue_stands(lesson_05_runs):
    for seed, r in lesson_05_runs.items():
        assert min(r["attention"]) >= 0.95, (seed, r["attention"])


def test_lesson_05_saw_looks_at_its_cue_in_at_least_one_reading(lesson_05_runs):
    for seed, r in lesson_05_runs.items():
        assert max(r["cue_weights"]) >= 0.4, (seed, r["cue_weights"])


def test_lesson_05_without_positions_the_two_saws_are_alike(lesson_05_runs):
    for seed, r in lesson_05_runs.items():
        tags, A = r["set_lecture"], r["set_attention"]
        assert tags[1] == tags[3], (seed, tags)
        assert [tags[0], tags[2], tags[4]] == ["PRON", "DET", "PUNCT"], (seed, tags)
        np.testing.assert_allclose(A[1], A[3], atol=1e-12)


def test_lesson_05_positions_tag_the_three_examples_right(lesson_05_runs):
    for seed, r in lesson_05_runs.items():
        for sentence, tags in EXAMPLES.items():
            assert r["examples"][sentence] == tags, (seed, sentence, r["examples"][sentence])


def test_lesson_05_positions_are_at_least_as_accurate_and_the_saw_rows_differ(lesson_05_runs):
    for seed, r in lesson_05_runs.items():
        for d, (without, with_e) in enumerate(r["two_clause"], start=1):
            assert with_e >= without and with_e >= 0.95, (seed, d, without, with_e)
            assert without <= 0.9, (seed, d, without)  # a set cannot tell whose cue is whose
        A = r["position_attention"]
        assert A[3, 2] > A[3, 0], (seed, A[3])  # the second saw weighs its own cue "a" more


# ---- bad input is a ValueError that says what is wrong ------------------------------------------
@pytest.fixture(scope="module")
def small_tagger():
    rng = np.random.default_rng(0)
    corpus = bl.make_tagging_corpus(20, cue_distance=(1, 2), rng=rng)
    return bl.SelfAttentionTagger(steps=2).fit(corpus, rng=rng), corpus


def test_a_str_is_not_a_token_list(small_tagger):
    tagger, _ = small_tagger
    with pytest.raises(ValueError, match="list of tokens.*one letter at a time"):
        tagger.predict("i saw a saw .")
    with pytest.raises(ValueError, match="list of tokens"):
        tagger.attention("i saw a saw .")
    with pytest.raises(ValueError, match="list of tokens"):
        tagger.inputs("i saw")
    with pytest.raises(ValueError, match="list of tokens"):
        tagger.predict([["i", "saw"], "i saw"])  # a str among the sentences


@pytest.mark.parametrize("empty", [[], [[]], [["i", "saw"], []], ()])
def test_empty_token_lists_are_refused(small_tagger, empty):
    tagger, _ = small_tagger
    with pytest.raises(ValueError, match="nothing to tag|is empty"):
        tagger.predict(empty)


def test_unknown_words_are_named_not_silently_unk(small_tagger):
    tagger, _ = small_tagger
    with pytest.raises(ValueError, match=r"not in it: \['cat', 'sat'\]"):
        tagger.predict(["the", "cat", "sat", "."])
    with pytest.raises(ValueError, match="not in it"):
        tagger.attention(["the", "cat", "."])
    tags = tagger.predict(["the", "cat", "."], unknown="unk")[0]  # asked for: tagged as <unk>
    assert len(tags) == 3 and all(t in bl.TAGS for t in tags)
    with pytest.raises(ValueError, match="unknown must be one of"):
        tagger.predict(["the", "saw"], unknown="ignore")
    rng = np.random.default_rng(0)
    bad = [{"tokens": ["the", "cat", "."], "tags": ["DET", "NOUN", "PUNCT"]}]
    with pytest.raises(ValueError, match=r"sentence 1 of the corpus: .*'cat'"):
        bl.SelfAttentionTagger(steps=1).fit(bad, rng=rng)


def test_unknown_tags_in_fit_are_named():
    corpus = [{"tokens": ["the", "saw", "."], "tags": ["DET", "ADJ", "PUNCT"]}]
    for tagger in (bl.SelfAttentionTagger(steps=1), bl.WindowTagger(3, steps=1)):
        with pytest.raises(ValueError, match=r"tags the taggers do not know: \['ADJ'\]"):
            tagger.fit(corpus, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="one tag per token"):
        bl.FCTagger(steps=1).fit(
            [{"tokens": ["the", "saw"], "tags": ["DET"]}], rng=np.random.default_rng(0)
        )


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), "0.1", True])
def test_learning_rates_must_be_positive_and_finite(lr):
    corpus = bl.make_tagging_corpus(5, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="lr"):
        bl.SelfAttentionTagger(lr=lr)
    with pytest.raises(ValueError, match="lr"):
        bl.WindowTagger(3, lr=lr)
    with pytest.raises(ValueError, match="lr"):
        bl.SelfAttentionTagger(steps=1).fit(corpus, rng=np.random.default_rng(0), lr=lr)


def test_batch_size_and_steps_are_checked():
    with pytest.raises(ValueError, match="batch_size"):
        bl.SelfAttentionTagger(batch_size=0)
    with pytest.raises(ValueError, match="steps"):
        bl.SelfAttentionTagger(steps=1).fit(
            bl.make_tagging_corpus(5, rng=np.random.default_rng(0)),
            rng=np.random.default_rng(0),
            steps=0,
        )


def test_majority_baseline_and_accuracy_refuse_empty_sets():
    corpus = bl.make_tagging_corpus(5, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="corpus must be a non-empty list"):
        bl.majority_baseline(corpus, [])
    with pytest.raises(ValueError, match="corpus must be a non-empty list"):
        bl.majority_baseline([], corpus)
    no_targets = [dict(s, targets=[]) for s in corpus]
    with pytest.raises(ValueError, match="no ambiguous words"):
        bl.majority_baseline(corpus, no_targets)
    with pytest.raises(ValueError, match="no ambiguous words"):
        bl.ambiguous_accuracy([s["tags"] for s in corpus], no_targets)
    with pytest.raises(ValueError, match="one tag per token"):
        bl.ambiguous_accuracy([["NOUN"] for _ in corpus], corpus)
    with pytest.raises(ValueError, match="targets"):
        bl.majority_baseline(corpus, [{"tokens": ["a", "saw"], "tags": ["DET", "NOUN"]}])


def test_mini_batches_are_deterministic_and_use_the_whole_corpus():
    def train(seed):
        rng = np.random.default_rng(seed)
        corpus = bl.make_tagging_corpus(60, cue_distance=(1, 3), rng=rng)
        return bl.SelfAttentionTagger(steps=5, batch_size=10).fit(corpus, rng=rng).params

    a, b = train(5), train(5)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert any(not np.array_equal(a[k], train(6)[k]) for k in a)
