"""Lesson 11's trained transformer: helpers.transformer (numpy), data/make_transformer.py (PyTorch,
the model it was trained as), data/transformer.npz (the shipped weights) and
data/transformer_seeds.json (every seed trained).

The lesson's claims about the heads are checked on the shipped weights and, from the JSON, on
every seed trained, with the same thresholds and margins.
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import transformer as T

ROOT = Path(__file__).resolve().parent.parent
NPZ = ROOT / "data" / "transformer.npz"
SEEDS_JSON = ROOT / "data" / "transformer_seeds.json"
SCRIPT = ROOT / "data" / "make_transformer.py"
REPORT = json.loads(SEEDS_JSON.read_text(encoding="utf-8"))

# The margins the lesson's claims rest on, for the shipped weights and for every seed.
INDUCTION_GAP = 0.25  # every named induction head scores this much above every other head
KNOCKOUT_RISE = 0.5  # nats: silencing the best induction head raises the repeat loss by more
OUTSIDE_RISE = 0.3  # nats: silencing a head outside the named circuit raises it by less
SECOND_TIME_GAIN = 0.2  # nats: a text said twice is predicted this much better the second time
# (measured: 0.3-0.4 for "the cat sat. the cat sat.", whose words the model knows; 2-2.6 for the
# others)


@pytest.fixture(scope="module")
def model():
    return T.load_model()


@pytest.fixture(scope="module")
def scores(model):
    return T.head_scores(model)


@pytest.fixture(scope="module")
def knock(model):
    return T.knockout_losses(model)


def circuit_claims(scores: dict, knockout: np.ndarray, intact: float) -> list[str]:
    """The lesson's claims about one trained model; returns those that fail (empty: all hold).

    scores: head_scores' dict; knockout (n_layers, n_heads) and intact: knockout_losses' values.
    1. Layer 1 has a previous-token head.
    2. Layer 2 has an induction head; every induction head is in layer 2 and scores well above
       every other head.
    3. Silencing an induction head raises the loss on repeated strings: the one that matters most
       by more than KNOCKOUT_RISE and more than the median other head, while silencing any head
       outside the named circuit raises it by less than OUTSIDE_RISE. (Not every induction head
       matters alone: where two do the same job, silencing one leaves the other to do it.)
    """
    failures = []
    named = T.named_heads(scores)
    if not [h for h in named["previous_token"] if h[0] == 1]:
        failures.append(
            f"no previous-token head in layer 1: {np.round(scores['previous_token'], 2)}"
        )
    induction = named["induction"]
    if not induction or any(layer != 2 for layer, _ in induction):
        failures.append(f"induction heads {induction} are not all in layer 2 (or there are none)")
        return failures
    ind = np.asarray(scores["induction"])
    is_induction = np.zeros(ind.shape, dtype=bool)
    for layer, head in induction:
        is_induction[layer - 1, head - 1] = True
    gap = ind[is_induction].min() - ind[~is_induction].max()
    if gap < INDUCTION_GAP:
        failures.append(f"induction heads only {gap:.2f} above the others: {np.round(ind, 2)}")
    rise = np.asarray(knockout) - intact  # (n_layers, n_heads), nats
    induction_rises = rise[is_induction]
    if induction_rises.max() < KNOCKOUT_RISE:
        failures.append(
            f"silencing an induction head raises the loss by {induction_rises.max():.2f} at most"
        )
    worst = np.flatnonzero(rise == induction_rises.max())[0]
    if induction_rises.max() <= np.median(np.delete(rise.ravel(), worst)):
        failures.append("silencing an induction head hurts no more than a typical other head")
    in_circuit = np.zeros(ind.shape, dtype=bool)
    for layer, head in (h for kind in named.values() for h in kind):
        in_circuit[layer - 1, head - 1] = True
    outside = rise[~in_circuit]
    if outside.size and outside.max() >= OUTSIDE_RISE:
        failures.append(
            f"a head outside the circuit matters: "
            f"rises {np.round(rise, 2)}, circuit {np.argwhere(in_circuit) + 1}"
        )
    return failures


# ---------------------------------------------------------------------------------------------
# (f) the file: small, plain arrays, no pickle
# ---------------------------------------------------------------------------------------------


def test_npz_is_small_and_loads_without_pickle():
    assert NPZ.stat().st_size <= 2 * 1024 * 1024
    with np.load(NPZ, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    assert all(a.dtype != object for a in arrays.values())
    weights = {k: a for k, a in arrays.items() if not k.startswith("config.")}
    assert weights and all(a.dtype == np.float32 for a in weights.values())
    assert str(arrays["config.vocab"]) == T.VOCAB
    n_layers = int(arrays["config.n_layers"])
    for layer in range(1, n_layers + 1):
        for name in ("W_q", "W_k", "W_v", "W_o"):  # separate projections, never fused
            d = int(arrays["config.d_model"])
            assert arrays[f"layer{layer}.{name}"].shape == (d, d)
    assert not [k for k in arrays if "bias" in k and ".W_" in k]


def test_load_model_gives_the_documented_shapes(model):
    cfg = model["config"]
    assert (cfg["n_layers"], cfg["n_heads"]) == (2, 4)
    assert model["W_E"].shape == (len(T.VOCAB), cfg["d_model"])
    assert model["e"].shape == (cfg["max_len"], cfg["d_model"])
    assert len(model["layers"]) == cfg["n_layers"]
    assert set(model["layers"][0]) == set(T.LAYER_KEYS)


# ---------------------------------------------------------------------------------------------
# (a) the numpy model is the PyTorch model it was trained as
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained_as():
    torch = pytest.importorskip(
        "torch",
        reason="PyTorch is not installed; run `.venv/bin/python -m pip install torch==2.13.0` "
        "(CPU) "
        "to compare the numpy model with the PyTorch model it was trained as",
    )
    spec = importlib.util.spec_from_file_location("make_transformer", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with np.load(NPZ, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return torch, script, script.from_arrays(arrays).eval(), arrays


AGREEMENT_INPUTS = {
    "learner sentence": "the cat sat. the cat sat.",
    "one character": "a",
    "repeated string": T.repeated_ids(20, seed=3),
    "full-length training row": T.training_ids(np.random.default_rng(7), 1, 64)[0],
}


@pytest.mark.parametrize("knockout", [None, (1, 1), (2, 3)])
@pytest.mark.parametrize("name", list(AGREEMENT_INPUTS))
def test_numpy_forward_agrees_with_pytorch(model, trained_as, name, knockout):
    torch, _, torch_model, _ = trained_as
    out = T.run(model, AGREEMENT_INPUTS[name], knockout=knockout)
    with torch.no_grad():
        logits, alpha_prime = torch_model(torch.from_numpy(out["ids"])[None], knockout=knockout)
    assert_allclose(out["logits"], logits[0].numpy(), rtol=1e-4, atol=1e-4)
    assert out["alpha_prime"].shape == alpha_prime[0].shape
    assert_allclose(out["alpha_prime"], alpha_prime[0].numpy(), rtol=1e-4, atol=1e-5)


def test_torch_model_round_trips_the_npz(trained_as):
    _, script, torch_model, arrays = trained_as
    again = script.to_arrays(torch_model)
    assert again.keys() == arrays.keys()
    for k in arrays:
        assert np.array_equal(again[k], arrays[k]), k


def test_training_is_deterministic_given_the_seed(trained_as):
    torch, script, _, _ = trained_as
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        runs = [script.to_arrays(script.train(seed, steps=2)[0]) for seed in (5, 5, 6)]
    finally:
        torch.set_num_threads(threads)
    assert all(np.array_equal(runs[0][k], runs[1][k]) for k in runs[0])
    assert not np.array_equal(runs[0]["layer1.W_q"], runs[2]["layer1.W_q"])


# ---------------------------------------------------------------------------------------------
# (b) the shipped weights: a previous-token head in layer 1, an induction head in layer 2
# ---------------------------------------------------------------------------------------------


def test_layer1_has_a_previous_token_head(scores):
    named = T.named_heads(scores)["previous_token"]
    layer, head = named[0]
    assert layer == 1
    assert scores["previous_token"][0, head - 1] > T.PREVIOUS_TOKEN_THRESHOLD
    # It looks back, and at nothing else: no weight to spare for a^{i−2} or the induction target.
    assert scores["two_back"][0, head - 1] < 0.2
    assert scores["induction"][0, head - 1] < 0.2


def test_layer2_has_an_induction_head_well_above_the_rest(scores):
    named = T.named_heads(scores)["induction"]
    assert named and all(layer == 2 for layer, _ in named)
    best = named[0]
    assert scores["induction"][best[0] - 1, best[1] - 1] == scores["induction"].max()
    assert scores["induction"].max() > T.INDUCTION_THRESHOLD
    others = [
        scores["induction"][i, j] for i in range(2) for j in range(4) if (i + 1, j + 1) not in named
    ]
    assert (
        min(scores["induction"][layer - 1, head - 1] for layer, head in named)
        > max(others) + INDUCTION_GAP
    )


def test_the_model_learns_in_context(model):
    """The second copy of a random string is predicted far better than the first."""
    for seed in range(5):
        ids = T.repeated_ids(20, seed=100 + seed)
        first = T.loss(model, ids[:20])
        second = T.loss(model, ids, second_half=True)
        assert first > 2.5  # random characters: close to guessing, ln 29 ≈ 3.37
        assert second < first - 2.0


def test_a_learners_sentence_is_predicted_better_the_second_time(model):
    for text in T.EXAMPLE_TEXTS:
        nll = T.token_losses(model, text)
        half = (nll.size + 1) // 2
        assert nll[half:].mean() < nll[:half].mean() - SECOND_TIME_GAIN, text
        assert T.loss(model, text, second_half=True) == pytest.approx(nll[half:].mean())


def test_token_losses_are_the_loss_per_position(model):
    nll = T.token_losses(model, "the cat sat.")
    assert nll.shape == (len("the cat sat.") - 1,) and np.all(nll > 0)
    assert T.loss(model, "the cat sat.") == pytest.approx(nll.mean())


# ---------------------------------------------------------------------------------------------
# (c) knocking heads out
# ---------------------------------------------------------------------------------------------


def test_knocking_out_an_induction_head_raises_the_loss(scores, knock):
    assert circuit_claims(scores, knock["knockout"], knock["intact"]) == []
    rises = [
        knock["knockout"][layer - 1, head - 1] - knock["intact"]
        for layer, head in T.named_heads(scores)["induction"]
    ]
    assert max(rises) > KNOCKOUT_RISE


def test_knocking_out_the_previous_token_head_blinds_layer_2(model, scores, knock):
    """Without the previous-token head, the induction heads cannot find the right key."""
    layer, head = T.named_heads(scores)["previous_token"][0]
    assert knock["knockout"][layer - 1, head - 1] > knock["intact"] + KNOCKOUT_RISE
    ids = T.repeated_ids(20, seed=0)
    knocked = T.run(model, ids, knockout=(layer, head))["alpha_prime"]
    l2, h2 = T.named_heads(scores)["induction"][0]
    assert (
        T.induction_score(knocked[l2 - 1, h2 - 1], ids) < 0.5 * scores["induction"][l2 - 1, h2 - 1]
    )


def test_knockout_silences_one_head_and_keeps_its_layers_attention(model):
    ids = T.repeated_ids(20, seed=1)
    intact = T.run(model, ids)
    knocked = T.run(model, ids, knockout=(2, 1))
    # α′ of layer 2 is computed before its heads are mixed, so the knockout leaves it as it was.
    assert np.array_equal(knocked["alpha_prime"], intact["alpha_prime"])
    assert np.abs(knocked["logits"] - intact["logits"]).max() > 1e-3
    early = T.run(model, ids, knockout=(1, 1))
    assert np.array_equal(early["alpha_prime"][0], intact["alpha_prime"][0])
    assert not np.allclose(early["alpha_prime"][1], intact["alpha_prime"][1])


# ---------------------------------------------------------------------------------------------
# (d) every seed trained: the same kinds of heads, the same thresholds and margins
# ---------------------------------------------------------------------------------------------


def test_seeds_file_holds_at_least_three_seeds():
    seeds = [entry["seed"] for entry in REPORT["seeds"]]
    assert len(seeds) >= 3 and len(set(seeds)) == len(seeds)
    assert REPORT["shipped_seed"] in seeds
    assert REPORT["thresholds"]["previous_token"] == T.PREVIOUS_TOKEN_THRESHOLD
    assert REPORT["thresholds"]["induction"] == T.INDUCTION_THRESHOLD


@pytest.mark.parametrize("entry", REPORT["seeds"], ids=lambda e: f"seed {e['seed']}")
def test_every_seed_has_the_same_circuit(entry):
    scores = {
        "previous_token": np.array(entry["previous_token_score"]),
        "two_back": np.array(entry["two_back_score"]),
        "induction": np.array(entry["induction_score"]),
    }
    assert all(s.shape == (2, 4) for s in scores.values())
    named = T.named_heads(scores)
    assert {k: [list(h) for h in v] for k, v in named.items()} == entry["named_heads"]
    assert (
        circuit_claims(scores, np.array(entry["knockout_repeat_loss"]), entry["repeat_loss"]) == []
    )
    assert [t["text"] for t in entry["example_texts"]] == list(T.EXAMPLE_TEXTS)
    for t in entry["example_texts"]:
        assert t["second_half_loss"] < t["first_half_loss"] - SECOND_TIME_GAIN, t


def test_seeds_file_matches_the_shipped_weights(scores, knock):
    entry = next(e for e in REPORT["seeds"] if e["seed"] == REPORT["shipped_seed"])
    assert_allclose(scores["previous_token"], entry["previous_token_score"], atol=1e-3)
    assert_allclose(scores["two_back"], entry["two_back_score"], atol=1e-3)
    assert_allclose(scores["induction"], entry["induction_score"], atol=1e-3)
    assert_allclose(knock["knockout"], entry["knockout_repeat_loss"], atol=1e-3)
    assert abs(knock["intact"] - entry["repeat_loss"]) < 1e-3


# ---------------------------------------------------------------------------------------------
# The scores on hand-made attention maps
# ---------------------------------------------------------------------------------------------


def shift(n: int, offset: int) -> np.ndarray:
    """α′ (n, n) in which each query looks `offset` back (queries with no such key: at itself)."""
    a = np.zeros((n, n))
    rows = np.arange(n)
    a[rows, np.where(rows >= offset, rows - offset, rows)] = 1.0
    return a


def test_previous_token_score_of_ideal_heads():
    assert T.previous_token_score(shift(10, 1)) == 1.0
    assert T.previous_token_score(np.eye(10)) == 0.0
    assert T.previous_token_score(shift(10, 2), offset=2) == 1.0
    assert T.previous_token_score(shift(10, 2)) == 0.0
    causal_uniform = np.tri(6) / np.arange(1, 7)[:, None]
    assert T.previous_token_score(causal_uniform) == pytest.approx(np.mean(1 / np.arange(2, 7)))


def test_induction_score_of_an_ideal_induction_head():
    ids = T.repeated_ids(12, seed=4)
    n = ids.size
    ideal = np.eye(n)
    for i in range(12, n):
        ideal[i] = 0
        ideal[i, i - 12 + 1] = 1.0  # the key after the earlier copy of token i
    assert T.induction_score(ideal, ids) == 1.0
    assert T.induction_score(shift(n, 1), ids) == 0.0
    assert T.induction_score(np.eye(n), ids) == 0.0


def test_scores_broadcast_over_layers_and_heads():
    ids = T.repeated_ids(8, seed=0)
    stack = np.stack([np.stack([shift(16, 1), np.eye(16), shift(16, 2)])] * 2)  # (2, 3, 16, 16)
    assert_allclose(T.previous_token_score(stack), [[1, 0, 0]] * 2)
    assert T.induction_score(stack, ids).shape == (2, 3)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 30))
def test_scores_are_weights_between_0_and_1(seed, n):
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) * np.tri(n)
    a /= a.sum(axis=1, keepdims=True)
    ids = rng.integers(0, 3, size=n)  # few token kinds: repeats almost surely
    assert 0.0 <= T.previous_token_score(a) <= 1.0
    if any(ids[i] in ids[: i - 1] for i in range(2, n)):
        assert 0.0 <= T.induction_score(a, ids) <= 1.0 + 1e-12


# ---------------------------------------------------------------------------------------------
# Tokens and data
# ---------------------------------------------------------------------------------------------


@given(st.text(alphabet=T.VOCAB, min_size=1, max_size=64))
def test_encode_decode_round_trip(text):
    ids = T.encode(text)
    assert len(ids) == len(text) and T.decode(ids) == text


def test_run_returns_one_row_per_character(model):
    out = T.run(model, "the cat sat.")
    n = len("the cat sat.")
    assert out["tokens"] == list("the cat sat.")
    assert out["logits"].shape == (n, len(T.VOCAB))
    assert out["alpha_prime"].shape == (2, 4, n, n)
    assert_allclose(out["alpha_prime"].sum(axis=-1), 1.0, atol=1e-5)
    assert np.all(np.triu(out["alpha_prime"], k=1) == 0)  # causal: nothing from the future


def test_repeated_ids_are_distinct_then_again():
    ids = T.repeated_ids(20, seed=9)
    assert ids.shape == (40,)
    assert len(set(ids[:20].tolist())) == 20 and np.array_equal(ids[:20], ids[20:])
    assert not np.array_equal(ids, T.repeated_ids(20, seed=10))


def test_training_ids_repeat_and_are_seeded():
    a = T.training_ids(np.random.default_rng(3), 200, 64)
    assert a.shape == (200, 64) and a.dtype == np.int64
    assert a.min() >= 0 and a.max() < len(T.VOCAB)
    assert np.array_equal(a, T.training_ids(np.random.default_rng(3), 200, 64))
    # Four rows in five repeat: a period p ≤ 32 with ids[i] == ids[i − p] over the last 16.
    periodic = [
        any(np.array_equal(row[48:], row[48 - p : 64 - p]) for p in range(4, 33)) for row in a
    ]
    assert 0.7 < np.mean(periodic) < 0.9
    texts = [T.decode(row) for row in a]
    assert any(" the " in t for t in texts)  # the word rows hold real words


def test_lexicon_is_the_example_sentences_words():
    words = T.lexicon()
    assert {"the", "cat", "sat", "saw"} <= set(words)
    assert all(w.isalpha() and w == w.lower() for w in words)


# ---------------------------------------------------------------------------------------------
# (e) bad input: a ValueError that names the argument
# ---------------------------------------------------------------------------------------------


BAD_CALLS = {
    "empty text": (lambda m: T.encode(""), "text must hold at least one character"),
    "capital letter": (lambda m: T.encode("Hello"), r"\['H'\].*text\.lower"),
    "digit": (lambda m: T.encode("cat 2"), r"\['2'\]"),
    "text not a str": (lambda m: T.encode(["a"]), "text must be a str"),
    "too long": (lambda m: T.run(m, "a" * 65), "max_len = 64"),
    "id out of range": (lambda m: T.run(m, [0, 29]), "token ids in 0 … 28"),
    "ids 2-D": (lambda m: T.run(m, [[0, 1]]), "text_or_ids must be a non-empty"),
    "ids float": (lambda m: T.run(m, [0.5, 1.0]), "integer token ids"),
    "ids empty": (lambda m: T.run(m, []), "text_or_ids"),
    "knockout from 0": (lambda m: T.run(m, "ab", knockout=(0, 1)), "counted from 1"),
    "knockout layer 3": (lambda m: T.run(m, "ab", knockout=(3, 1)), "knockout must be"),
    "knockout not a pair": (lambda m: T.run(m, "ab", knockout=2), "knockout must be"),
    "not a model": (lambda m: T.run({"W_q": 1}, "ab"), "model must be the dict"),
    "loss of one token": (lambda m: T.loss(m, "a"), "at least 2 tokens"),
    "token_losses of one token": (lambda m: T.token_losses(m, "a"), "at least 2 tokens"),
    "second_half not bool": (lambda m: T.loss(m, "ab", second_half="yes"), "second_half"),
    "alpha_prime not square": (lambda m: T.previous_token_score(np.ones((3, 4))), "square"),
    "alpha_prime 1-D": (lambda m: T.previous_token_score(np.ones(3)), "alpha_prime must be"),
    "alpha_prime NaN": (lambda m: T.previous_token_score(np.full((2, 2), np.nan)), "NaN"),
    "offset too far": (lambda m: T.previous_token_score(np.eye(2), offset=2), "offset = 2"),
    "offset 0": (lambda m: T.previous_token_score(np.eye(3), offset=0), "offset"),
    "no repeats": (lambda m: T.induction_score(np.eye(4), "abcd"), "tokens must repeat"),
    "tokens too short": (lambda m: T.induction_score(np.eye(4), "abc"), "one token per row"),
    "n_half too big": (lambda m: T.head_scores(m, n_half=30), "n_half"),
    "n_sequences 0": (lambda m: T.knockout_losses(m, n_sequences=0), "n_sequences"),
    "missing file": (lambda m: T.load_model(ROOT / "no_such.npz"), "path must name"),
    "no config": (lambda m: T.model_from_arrays({}), "config entries"),
    "arrays not a mapping": (lambda m: T.model_from_arrays([1]), "arrays must be a mapping"),
    "rng not a Generator": (lambda m: T.training_ids(0, 2, 16), "rng must be"),
    "scores not a dict": (lambda m: T.named_heads({"induction": 1}), "scores must be"),
    "decode out of range": (lambda m: T.decode([99]), "ids must hold"),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_input_is_a_clear_value_error(model, name):
    call, match = BAD_CALLS[name]
    with pytest.raises(ValueError, match=match):
        call(model)


def test_a_wrong_shaped_weight_is_named():
    with np.load(NPZ, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["layer2.W_k"] = arrays["layer2.W_k"][:, :-1]
    with pytest.raises(ValueError, match=r"layer2\.W_k.*shape \(64, 64\)"):
        T.model_from_arrays(arrays)
    del arrays["layer2.W_k"]
    with pytest.raises(ValueError, match="missing 'layer2.W_k'"):
        T.model_from_arrays(arrays)
