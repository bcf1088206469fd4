"""helpers.explorers.attention: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest

from helpers.attention import (
    additive_scores,
    dot_product_scores,
    normalise,
    self_attention,
    softmax,
)
from helpers.data import MAX_TOKENS, embed, tokenize, toy_weights
from helpers.explorer import ExplorerMessage
from helpers.explorers.attention import AttentionExplorer, HeatmapExplorer
from tests.sweep import SIXTY_WORDS, control_values, sweep_explorer


# ---- the generic sweep, on both explorers --------------------------------------------------------
def test_attention_explorer_sweep():
    report = sweep_explorer(AttentionExplorer())
    assert set(report) == {"sentence", "query", "scoring", "normalisation", "temperature", "seed"}
    assert all(r["changed"] for r in report.values())


def test_heatmap_explorer_sweep():
    scores = np.random.default_rng(0).standard_normal((6, 6)) * 2
    report = sweep_explorer(HeatmapExplorer(scores, list("abcdef")))
    assert report["temperature"]["changed"]


def test_control_values_cover_the_range():
    assert control_values(widgets.IntSlider(3, min=0, max=10), steps=3)[:2] == [0, 10]
    vals = control_values(widgets.FloatSlider(1.0, min=0.1, max=5.0, step=0.1), steps=4)
    assert vals[0] == pytest.approx(0.1) and vals[1] == pytest.approx(5.0) and len(vals) == 6
    assert control_values(widgets.Dropdown(options=["a", "b"])) == ["a", "b"]
    assert control_values(widgets.Checkbox()) == [True, False]
    texts = control_values(widgets.Text())
    assert "" in texts and "我看见一把锯" in texts and len(SIXTY_WORDS.split()) == 60
    with pytest.raises(TypeError, match="values="):
        control_values(widgets.ColorPicker())


# ---- AttentionExplorer ---------------------------------------------------------------------------
def test_empty_sentence_shows_a_message_not_a_traceback():
    ex = AttentionExplorer()
    with pytest.raises(ExplorerMessage, match="Type a sentence"):
        ex.set(sentence="")
    assert ex.message == "Type a sentence to see its attention."
    with pytest.raises(ValueError, match="no state while it shows a message"):
        _ = ex.state  # never stale, never empty: it says why there is none
    assert ex._output.outputs == ()  # no traceback
    assert ex.canvas.layout.display == "none" and "Type a sentence" in ex._message_box.value
    assert ex.controls["query"].options == ()
    state = ex.set(sentence="I saw a saw")
    assert (
        ex.message is None
        and ex.canvas.layout.display is None
        and state["tokens"] == ["i", "saw", "a", "saw"]
    )
    with pytest.raises(ExplorerMessage):
        ex.compute(
            sentence="  ",
            query=None,
            scoring="dot",
            normalisation="softmax",
            temperature=1.0,
            seed=0,
        )


def _reference(sentence, query, scoring, normalisation, temperature, seed):
    tokens = tokenize(sentence)
    X = embed(tokens)
    W = toy_weights(seed)
    if scoring == "additive":
        alpha = additive_scores(X, W["W_q"], W["W_k"], W["w"])
    else:
        Q, K = X @ W["W_q"], X @ W["W_k"]
        alpha = Q @ K.T / (np.sqrt(K.shape[1]) if scoring == "scaled_dot" else 1.0)
    return tokens, X, W, alpha


@pytest.mark.parametrize("scoring", ["scaled_dot", "dot", "additive"])
@pytest.mark.parametrize("normalisation", ["softmax", "relu", "none"])
def test_compute_is_correct(scoring, normalisation):
    ex = AttentionExplorer()
    values = {
        "sentence": "the cat saw the dog .",
        "query": 2,
        "scoring": scoring,
        "normalisation": normalisation,
        "temperature": 0.7,
        "seed": 3,
    }
    state = ex.compute(**values)
    tokens, X, W, alpha = _reference(**values)
    assert state["tokens"] == tokens == ["the", "cat", "saw", "the", "dog", "."]
    np.testing.assert_allclose(state["alpha"], alpha, rtol=1e-12, atol=1e-12)
    if normalisation == "softmax":
        expected = softmax(alpha / 0.7)
        np.testing.assert_allclose(state["alpha_prime"].sum(axis=1), 1.0)
    else:
        expected = np.maximum(alpha / 0.7, 0) if normalisation == "relu" else alpha / 0.7
    np.testing.assert_allclose(state["alpha_prime"], expected, rtol=1e-12, atol=1e-12)
    V = X @ W["W_v"]
    np.testing.assert_allclose(state["B"], expected @ V, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        state["b"], (expected[2][:, None] * V).sum(axis=0), rtol=1e-12, atol=1e-12
    )  # b² = Σᵢ α′₂,ᵢ vⁱ
    np.testing.assert_array_equal(state["alpha_prime_q"], state["alpha_prime"][2])
    if scoring == "scaled_dot" and normalisation == "softmax":
        B_ref, ap_ref = self_attention(X, W["W_q"], W["W_k"], W["W_v"])
        np.testing.assert_allclose(softmax(alpha), ap_ref, rtol=1e-12)
        np.testing.assert_allclose(
            ex.compute(**{**values, "temperature": 1.0})["B"], B_ref, rtol=1e-10
        )


def test_compute_is_pure():
    ex = AttentionExplorer()
    values_before, state_before = ex.values, ex.state
    args = dict(
        sentence="我看见一把锯",
        query=5,
        scoring="dot",
        normalisation="softmax",
        temperature=2.0,
        seed=7,
    )
    a = ex.compute(**args)
    b = ex.compute(**args)
    assert ex.values == values_before and ex.state is state_before
    for key in ("alpha", "alpha_prime", "B", "X"):
        np.testing.assert_array_equal(a[key], b[key])
    assert a["tokens"] == list("我看见一把锯")
    np.testing.assert_allclose(
        a["alpha_prime"],
        normalise(
            dot_product_scores(a["X"], *[toy_weights(7)[k] for k in ("W_q", "W_k")], scale=False),
            temperature=2.0,
        ),
    )


def test_query_follows_the_sentence():
    ex = AttentionExplorer()
    # the lecture's count on the labels (a¹ is the first token), 0-based indices as the values
    assert ex.controls["query"].options == (
        ("a¹: i", 0),
        ("a²: saw", 1),
        ("a³: a", 2),
        ("a⁴: saw", 3),
    )
    ex.set(query=3)
    ex.set(sentence="Hello, world")
    assert ex.controls["query"].options == (("a¹: hello", 0), ("a²: ,", 1), ("a³: world", 2))
    assert ex.controls["query"].value == 0  # 3 no longer exists
    assert ex.state["query"] == 0
    state = ex.set(sentence=" ".join(["w"] * (MAX_TOKENS + 5)))
    assert len(state["tokens"]) == MAX_TOKENS and state["truncated"]


def test_temperature_divides_the_scores_for_every_normalisation():
    ex = AttentionExplorer()
    for kind in ("softmax", "relu", "none"):
        hot = ex.compute(
            sentence="I saw a saw",
            query=1,
            scoring="dot",
            normalisation=kind,
            temperature=2.0,
            seed=0,
        )
        np.testing.assert_allclose(hot["alpha_prime"], normalise(hot["alpha"] / 2.0, kind))


def test_the_two_saws_are_identical_without_position():
    state = AttentionExplorer().state
    np.testing.assert_array_equal(state["alpha_prime"][1], state["alpha_prime"][3])


def test_heatmap_explorer_rejects_bad_scores():
    with pytest.raises(ValueError, match=r"scores.*\(2, 3\)"):
        HeatmapExplorer(np.ones((2, 3)))
    with pytest.raises(ValueError, match="tokens"):
        HeatmapExplorer(np.ones((2, 2)), ["a"])


def test_labels_count_from_one_as_the_lecture_does():
    ex = AttentionExplorer()  # query 1 = a², the first "saw"
    assert ex.b_title.get_text() == "b² = Σⱼ α′₂,ⱼ vʲ, the output for a² “saw”"
    assert [t.get_text() for t in ex.b_image.axes.get_xticklabels()] == ["1", "2", "3", "4"]
    ex.set(query=0)
    assert (
        ex.b_title.get_text().startswith("b¹ = Σⱼ α′₁,ⱼ vʲ") and "a¹ “i”" in ex.b_title.get_text()
    )
    long = " ".join(["w"] * 12)
    ex.set(sentence=long, query=11)
    assert ex.b_title.get_text().startswith("b¹² = Σⱼ α′₁₂,ⱼ vʲ")
    with pytest.raises(ValueError, match="0 is a¹"):
        ex.compute(
            sentence="I saw", query=5, scoring="dot", normalisation="softmax", temperature=1, seed=0
        )
    heat = HeatmapExplorer(np.zeros((3, 3)))
    assert heat.tokens == ["1", "2", "3"]  # no tokens given: 1 … n


def test_a_340_character_token_does_not_crowd_the_layout():
    ex = AttentionExplorer()
    before = [ax.get_position().bounds for ax in ex.fig.axes]
    ex.set(sentence="I saw " + "x" * 340 + " saw", query=2)
    ex.to_png()  # a full draw, layout included
    labels = [t.get_text() for t in ex.heat.ax.get_yticklabels()]
    assert labels[2] == "x" * 13 + "…" and all(len(label) <= 14 for label in labels)
    assert "x" * 13 + "…" in ex.b_title.get_text()
    after = [ax.get_position().bounds for ax in ex.fig.axes]
    for (_, _, w0, h0), (_, _, w1, h1) in zip(before, after, strict=True):
        assert w1 > 0.5 * w0 and h1 > 0.5 * h0  # no panel squeezed to nothing


@pytest.mark.parametrize(
    ("kwargs", "said"),
    [
        ({"scores": None}, "scores must hold real numbers"),
        ({"scores": "abc"}, "scores must hold real numbers"),
        ({"scores": np.ones((2, 2)) * 1j}, "scores must hold real numbers"),
        ({"scores": [[1.0, np.nan], [0.0, 0.0]]}, "scores contains NaN"),
        ({"scores": np.ones(3)}, "scores must be a 2-D array"),
        ({"tokens": "ab"}, "tokens must be a list of 2 labels"),
        ({"tokens": 3}, "tokens must be a list of 2 labels"),
        ({"temperature": 0}, "temperature must be a number from 0.1 to 5.0"),
        ({"temperature": float("nan")}, "temperature must be a number from 0.1 to 5.0"),
        ({"temperature": "1"}, "temperature must be a number from 0.1 to 5.0"),
        ({"annotate": 3}, "annotate must be 'auto', True or False"),
    ],
)
def test_heatmap_explorer_names_bad_input(kwargs, said):
    args = {"scores": np.ones((2, 2)), **kwargs}
    scores = args.pop("scores")
    with pytest.raises(ValueError) as info:
        HeatmapExplorer(scores, **args)
    assert said in str(info.value), info.value


def test_heatmap_explorer_names_a_nan_temperature_set_from_code():
    heat = HeatmapExplorer(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"from 0.1 to 5.0 \(the slider.s range\); got nan"):
        heat.compute(temperature=float("nan"))
    assert heat.set(temperature=2.0)["temperature"] == 2.0


# ---- the Chinese editions ------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["zh-Hant", "zh-Hans"])
def test_explorers_speak_the_edition(language):
    """Built after `set_language`, both explorers' figures, controls and dropdown labels hold no
    English word but the sentence's tokens and names (softmax, ReLU, tanh)."""
    import re

    from helpers.language import set_language
    from tests.figure_checks import english_words

    names = {"saw", "softmax", "ReLU", "tanh"}
    set_language(language)
    explorers = [AttentionExplorer(), HeatmapExplorer([[0.0, 1.0], [1.0, 0.0]], ["i", "saw"])]
    try:
        explorers[0].set(normalisation="none")
        for explorer in explorers:
            assert english_words(explorer.fig, names) == []
            for control in explorer.controls.values():
                labels = [control.description, getattr(control, "placeholder", "")]
                labels += [label for label, _ in getattr(control, "options", ())]
                words = {w for t in labels for w in re.findall(r"[A-Za-z]{2,}", str(t))}
                assert words <= names, (control.description, words)
    finally:
        for explorer in explorers:
            explorer.close()
        set_language("en")
