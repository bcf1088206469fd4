"""Bad input never reaches a learner as a bare traceback (every lesson).

Every public function, class and explorer control that a notebook imports is called with bad
values, one argument at a time, the others left valid. Each call must raise a `ValueError` whose
message names the argument; a bare `TypeError`, `IndexError`, `KeyError`, a numpy error, a NaN
result, a silent clamp or a silently wrong answer all fail.

How it is built:
- `CLASSES` lists the classes of bad input (None where a value is needed, a string where a number
  is, NaN, inf, a fraction where a count is, a ragged list, a complex array, ...), grouped by the
  kind of argument they are bad for.
- `PROBES` gives, for each callable, one valid call and the kind of each argument; a probe is that
  call with one argument replaced by one bad value of its kind.
- `test_every_notebook_import_is_probed` reads the notebooks, so a new import cannot go unprobed.
- The explorers' controls are probed through `Explorer.set`, control by control, from the widget
  itself (its type, range and options), so a new control is probed without a new line here.
- `SPECIFIC` lists single calls that once answered silently and wrongly.
"""

from __future__ import annotations

import ast
import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest

from helpers import (
    attention,
    data,
    graphs,
    images,
    language,
    multihead,
    plots,
    positional,
    speech,
    taggers,
    transformer,
)
from helpers.explorers import (
    attention as attention_explorers,
)
from helpers.explorers import (
    model_view,
    patches,
    scores,
    softmax,
    three_ways,
    truncation,
    vectors,
    weighted_sum,
    windows,
)
from helpers.explorers import (
    multihead as multihead_explorers,
)
from helpers.explorers import (
    positional as positional_explorers,
)

ROOT = Path(__file__).resolve().parents[1]

# ---- the classes of bad input, by the kind of argument they are bad for -------------------------
_RAGGED = [[1.0, 2.0], [3.0]]


def _arrays(ndim: int) -> dict:
    wrong_rank = np.ones((2,) * (ndim + 1)) if ndim < 3 else np.ones(2)
    good = np.ones((3,) * ndim)
    return {
        "None": None,
        "a str": "abc",
        "a ragged list": _RAGGED if ndim == 2 else [[[1.0]], [2.0]],
        "the wrong rank": wrong_rank,
        "complex numbers": good.astype(complex) * 1j,
        "NaN": np.where(good > 0, np.nan, 0.0),
        "inf": np.where(good > 0, np.inf, 0.0),
        "bools": good.astype(bool),
        "objects": np.array([object()] * good.size, dtype=object).reshape(good.shape),
        "empty": np.ones((0,) * ndim),
    }


_NUMBER = {
    "None": None,
    "a str": "3",
    "NaN": math.nan,
    "inf": math.inf,
    "complex": 1j,
    "a list": [1],
    "a bool": True,
}
CLASSES: dict[str, dict] = {
    "matrix": _arrays(2),
    "vector": _arrays(1),
    "stack": _arrays(3),
    "count": {**_NUMBER, "a fraction": 2.5, "zero": 0, "negative": -1},  # an int ≥ 1
    "index": {**_NUMBER, "a fraction": 1.5, "negative": -1, "far too big": 10**9},  # 0 ≤ i < n
    "natural": {**_NUMBER, "a fraction": 1.5, "negative": -1},  # an int ≥ 0
    "positive": {**_NUMBER, "zero": 0.0, "negative": -1.0},  # a float > 0
    "nonnegative": {**_NUMBER, "negative": -1.0},  # a float ≥ 0
    "real": _NUMBER,  # any finite float
    "axis": {"None": None, "a str": "1", "a fraction": 0.5, "a bool": True, "complex": 1j,
             "out of range": 5, "far out of range": -7},  # fmt: skip
    "fraction": {**_NUMBER, "negative": -0.5, "more than 1": 1.5},  # a float in [0, 1]
    "counts": {"None": None, "a str": "3", "empty": [], "a fraction": [1.5], "zero": [0],
               "an int": 3},  # fmt: skip
    "flag": {"None": None, "a str": "yes", "a number": 2, "NaN": math.nan},  # a bool
    "choice": {"None": None, "a number": 3, "not an option": "nonsense", "a list": ["a"]},
    "text": {"None": None, "a number": 3, "bytes": b"abc", "a list": ["a"]},
    "tokens": {
        "None": None,
        "a str": "the cat",
        "empty": [],
        "numbers": [1, 2],
        "nested lists": [["a"]],
        "an empty token": ["a", ""],
    },
    "rng": {"None": None, "an int": 0, "a str": "x", "the module": np.random},
    "seed": {"None": None, "a str": "3", "a fraction": 1.5, "negative": -1, "NaN": math.nan},
    "model": {"None": None, "empty": {}, "a str": "x", "a list": [1]},
    "rows": {"None": None, "a str": "x", "empty": [], "not dicts": [1, 2],
             "wrong keys": [{"a": 1}]},  # fmt: skip
    "corpus": {
        "None": None,
        "a str": "x",
        "empty": [],
        "not dicts": [1, 2],
        "no tags": [{"tokens": ["a"]}],
        "tokens as a str": [{"tokens": "the cat", "tags": ["DET", "NOUN"]}],
        "unequal lengths": [{"tokens": ["a", "b"], "tags": ["DET"]}],
    },
    "ids": {
        "None": None,
        "a str of unknown characters": "ABC!",
        "empty": [],
        "fractions": [0.5, 1.5],
        "negative": [-1, 2],
        "too big": [10**6],
        "2-D": [[1, 2]],
    },
}


@dataclass
class Probe:
    """One valid call of `func` and the kind of each argument to probe."""

    func: object
    valid: dict
    kinds: dict
    skip: dict = field(default_factory=dict)  # {argument: [class labels that are valid there]}
    aliases: dict = field(default_factory=dict)  # {argument: other names its messages use}
    name: str = ""

    def __post_init__(self):
        self.name = self.name or f"{self.func.__module__}.{self.func.__qualname__}"


def _rng():
    return np.random.default_rng(0)


_X = np.arange(12.0).reshape(4, 3) / 10
_W = np.arange(6.0).reshape(3, 2) / 10
_TOKENS = ["the", "cat", "sat"]
_CORPUS = taggers.make_tagging_corpus(6, rng=np.random.default_rng(0))
_MODEL = transformer.load_model()
_ROWS = speech.attention_costs(
    np.ones((20, 4), np.float32), [10, 20], window=3, rng=_rng(), repeat=1, max_seconds=0.01,
    min_repeat=1,
)  # fmt: skip
_GRAPH_ROWS = graphs.compare_costs(8, 4, 10, 3)
_WINDOW = taggers.WindowTagger(3, steps=2).fit(_CORPUS, rng=_rng())
_ATTENTION = taggers.SelfAttentionTagger(steps=2).fit(_CORPUS, rng=_rng())
_KNOCK = transformer.knockout_losses(_MODEL, n_half=5, n_sequences=1)
_SWEEP = taggers.window_sweep([1, 3], [1, 2], n_train=20, n_test=20, rng=_rng())
_IMAGE = images.lecture_image(rng=_rng())
_SIGNAL, _RATE = speech.load_clip()


def _probes() -> list[Probe]:
    A = attention
    matrix3 = {"X": "matrix", "W_q": "matrix", "W_k": "matrix", "W_v": "matrix"}
    xw = {"X": _X, "W_q": _W, "W_k": _W, "W_v": _W}
    X4, W4 = np.arange(16.0).reshape(4, 4) / 10, np.eye(4) + 0.1
    mh = {"X": X4, "W_q": W4, "W_k": W4, "W_v": W4, "W_o": W4, "n_heads": 2}
    mh_kinds = {**matrix3, "W_o": "matrix", "n_heads": "count"}
    return [
        # attention maths
        Probe(A.softmax, {"x": _X}, {"x": "matrix", "axis": "axis"}, {"x": ["the wrong rank"]}),
        Probe(A.normalise, {"alpha": _X}, {"alpha": "matrix", "kind": "choice",
                                           "temperature": "positive", "axis": "axis"},
              {"alpha": ["the wrong rank"]}),  # fmt: skip
        Probe(A.dot_product_scores, {"X": _X, "W_q": _W, "W_k": _W},
              {"X": "matrix", "W_q": "matrix", "W_k": "matrix", "scale": "flag"}),
        Probe(A.additive_scores, {"X": _X, "W_q": _W, "W_k": _W, "w": np.ones(2)},
              {"X": "matrix", "W_q": "matrix", "W_k": "matrix", "w": "vector"}),
        Probe(A.self_attention, xw, {**matrix3, "scale": "flag"}),
        Probe(A.truncated_attention, {**xw, "window": 1},
              {**matrix3, "window": "natural", "scale": "flag", "block": "count"}),
        Probe(A.band_mask, {"n": 4, "window": 1}, {"n": "count", "window": "natural"}),
        Probe(A.band_to_dense, {"alpha_band": np.full((4, 3), 1 / 3), "window": 1},
              {"alpha_band": "matrix", "window": "natural"}),
        Probe(A.multi_head_attention, mh, mh_kinds),
        Probe(A.combine_heads, {"heads": np.ones((2, 4, 3))}, {"heads": "stack"}),
        # data
        Probe(data.tokenize, {"text": "I saw a saw."}, {"text": "text"}),
        # documented: a str is tokenized first, and no tokens give shape (0, d)
        Probe(data.embed, {"tokens": _TOKENS}, {"tokens": "tokens"},
              {"tokens": ["a str", "empty"]}),
        Probe(data.one_hot, {"tokens": _TOKENS}, {"tokens": "tokens", "unknown": "choice"},
              {"tokens": ["a str", "empty"]}),
        Probe(data.toy_weights, {"seed": 0},
              {"seed": "seed", "d_in": "count", "d_k": "count", "d_v": "count"}),
        # taggers
        Probe(taggers.make_tagging_corpus, {"n_sentences": 5, "rng": _rng()},
              {"n_sentences": "count", "two_clause": "fraction", "rng": "rng"}),
        Probe(taggers.majority_baseline, {"train": _CORPUS, "test": _CORPUS},
              {"train": "corpus", "test": "corpus"}),
        Probe(taggers.window_parameter_count, {"width": 3, "d": 4, "n_tags": 3, "hidden": 8},
              {"width": "count", "d": "count", "n_tags": "count", "hidden": "count"}),
        Probe(taggers.window_sweep,
              {"widths": [1], "cue_distances": [1], "n_train": 4, "n_test": 4, "rng": _rng()},
              {"widths": "counts", "cue_distances": "counts", "n_train": "count",
               "n_test": "count", "rng": "rng"}),  # fmt: skip
        Probe(taggers.FCTagger, {}, {"hidden": "count", "steps": "count", "lr": "positive"}),
        Probe(taggers.WindowTagger, {"width": 3},
              {"width": "count", "hidden": "count", "steps": "count", "lr": "positive"}),
        Probe(taggers.SelfAttentionTagger, {},
              {"positional": "flag", "d_pos": "count", "d_k": "count", "d_v": "count",
               "steps": "count", "lr": "positive"}),  # fmt: skip
        # the taggers' methods the lessons call (a tagger trained for 2 steps)
        Probe(_WINDOW.fit, {"corpus": _CORPUS, "rng": _rng()},
              {"corpus": "corpus", "rng": "rng", "steps": "count", "lr": "positive"},
              {"steps": ["None"], "lr": ["None"]}),  # fmt: skip
        Probe(_WINDOW.predict, {"corpus_or_tokens": _CORPUS[0]["tokens"]}, {"unknown": "choice"}),
        Probe(_WINDOW.ambiguous_accuracy, {"corpus": _CORPUS}, {"corpus": "corpus"}),
        Probe(_ATTENTION.attention, {"tokens": _CORPUS[0]["tokens"]},
              {"tokens": "tokens", "unknown": "choice"}),
        Probe(_ATTENTION.predict, {"corpus_or_tokens": _CORPUS[0]["tokens"]},
              {"corpus_or_tokens": "tokens", "unknown": "choice"},
              {"corpus_or_tokens": ["nested lists"]},  # a list of token lists is a corpus
              {"corpus_or_tokens": ("tokens", "sentence", "token list")}),
        # multi-head
        Probe(multihead.toy_tokens, {"text": "the cat saw the dog"}, {"text": "text"}),
        Probe(multihead.per_head, mh, mh_kinds),
        Probe(multihead.toy_inputs, {"tokens": ["the", "cat"], "vocab": ["cat", "the"]},
              {"tokens": "tokens", "vocab": "tokens", "use_position": "flag"}),
        Probe(multihead.head_report, {"alpha_prime": np.full((2, 3, 3), 1 / 3), "tokens": _TOKENS},
              {"alpha_prime": "stack", "tokens": "tokens"}),
        Probe(multihead.format_shares, {"row": {"previous": 0.5, "same_word": 0.3, "other": 0.2}},
              {"row": "model"}),
        Probe(multihead.designed_weights, {},
              {"word_sharpness": "nonnegative", "position_sharpness": "nonnegative"}),
        # positional
        Probe(positional.sinusoidal_encoding, {"n_positions": 5, "d_model": 4},
              {"n_positions": "count", "d_model": "count", "base": "positive"}),
        Probe(positional.similarity_matrix, {"e": np.ones((5, 4))}, {"e": "matrix"}),
        Probe(positional.relative_similarity, {"e": np.ones((5, 4))}, {"e": "matrix"}),
        Probe(positional.order_test, {"A": _X, "W_q": _W, "W_k": _W, "W_v": _W,
                                      "order": [2, 0, 1, 3]},
              {"A": "matrix", "W_q": "matrix", "W_k": "matrix", "W_v": "matrix", "order": "ids"}),
        Probe(positional.shift_matrix, {"d_model": 4, "shift": 1},
              {"d_model": "count", "base": "positive"}),
        Probe(positional.train_learned_encoding, {"steps": 2},
              {"n_positions": "count", "d_model": "count", "steps": "count", "batch": "count",
               "lr": "positive", "seed": "seed"}),  # fmt: skip
        # speech
        Probe(speech.n_frames, {"duration_s": 1.0},
              {"duration_s": "positive", "window_ms": "positive", "hop_ms": "positive"}),
        Probe(speech.frame_signal, {"signal": _SIGNAL, "sample_rate": _RATE},
              {"signal": "vector", "sample_rate": "count", "window_ms": "positive",
               "hop_ms": "positive"}),  # fmt: skip
        Probe(speech.spectrogram, {"signal": _SIGNAL, "sample_rate": _RATE},
              {"signal": "vector", "sample_rate": "count", "window_ms": "positive",
               "hop_ms": "positive"}),  # fmt: skip
        Probe(speech.load_clip, {}, {"name": "text"}),
        Probe(speech.frame_features, {"spec": np.ones((5, 4))}, {"spec": "matrix"}),
        Probe(speech.random_projections, {"d_in": 4, "d_k": 2, "rng": _rng()},
              {"d_in": "count", "d_k": "count", "rng": "rng"}),
        Probe(speech.format_cost_table, {"rows": _ROWS}, {"rows": "rows"}),
        Probe(speech.plot_attention_costs, {"rows": _ROWS, "window": 3},
              {"rows": "rows", "window": "natural"}),
        Probe(speech.format_score_table, {"lengths": [10, 20], "window": 3}, {"window": "natural"}),
        Probe(speech.attention_costs,
              {"X": np.ones((20, 4), np.float32), "lengths": [10, 20], "window": 3, "rng": _rng(),
               "repeat": 1, "max_seconds": 0.01, "min_repeat": 1},
              {"X": "matrix", "window": "natural", "d_k": "count", "rng": "rng", "repeat": "count",
               "max_seconds": "nonnegative", "min_repeat": "count"}),  # fmt: skip
        # images
        Probe(images.lecture_image, {"rng": _rng()}, {"rng": "rng"}),
        Probe(images.load_sample_image, {}, {"size": "count"}),
        Probe(images.image_to_vectors, {"image": _IMAGE}, {"image": "stack"}),
        Probe(images.patchify, {"image": np.ones((8, 8, 3)), "patch": 4},
              {"image": "stack", "patch": "count"}),
        Probe(images.unpatchify, {"patches": np.ones((4, 48)), "shape": (8, 8, 3), "patch": 4},
              {"patches": "matrix", "patch": "count"}),
        Probe(images.patch_similarity_attention, {"patches": np.ones((4, 48))},
              {"patches": "matrix", "temperature": "positive"}),
        Probe(images.receptive_field_mask, {"rows": 3, "cols": 3, "kernel": 3},
              {"rows": "count", "cols": "count", "kernel": "count"}),
        # graphs
        Probe(graphs.full_mask, {"n": 3}, {"n": "count"}),
        Probe(graphs.rnn_chain_mask, {"n": 3}, {"n": "count", "bidirectional": "flag"}),
        Probe(graphs.graph_mask, {"n": 3, "edges": [(0, 1)]}, {"n": "count"}),
        Probe(graphs.hop_counts, {"mask": np.ones((3, 3), dtype=bool)}, {"mask": "matrix"},
              {"mask": ["bools"]}),
        Probe(graphs.compare_costs, {"n": 8, "d": 4, "n_edges": 10, "diameter": 3},
              {"n": "count", "d": "count", "n_edges": "natural", "diameter": "nonnegative"},
              {"diameter": ["inf"]}),  # inf: a graph in pieces
        Probe(graphs.format_costs, {"rows": _GRAPH_ROWS}, {"rows": "rows"}),
        # plots
        Probe(plots.attention_heatmap, {"alpha_prime": np.full((3, 3), 1 / 3)},
              {"alpha_prime": "matrix", "tokens": "tokens", "annotate": "flag",
               "colorbar": "flag"},
              {"tokens": ["an empty token"], "alpha_prime": ["bools"]}),  # a mask is drawn 0/1
        Probe(plots.mask_plot, {"mask": np.eye(3, dtype=bool)}, {"mask": "matrix"},
              {"mask": ["bools"]}),
        Probe(plots.nice_limit, {"x": 1.0}, {"x": "real"}),
        Probe(plots.superscript, {"i": 3}, {"i": "natural"}),
        Probe(plots.plot_image_vectors, {"image": _IMAGE}, {"image": "stack"}),
        Probe(plots.plot_graph_vectors, {"features": np.ones((3, 2)), "edges": [(0, 1)],
                                         "names": _TOKENS},
              {"features": "matrix", "names": "tokens"}),
        Probe(plots.plot_output_types, {"tokens": _TOKENS, "tags": ["DET", "NOUN", "VERB"]},
              {"tokens": "tokens", "tags": "tokens"}),
        # transformer (lesson 11)
        Probe(transformer.load_model, {}, {"path": "text"}, {"path": ["None"]}),
        Probe(transformer.run, {"model": _MODEL, "text_or_ids": "abc"},
              {"model": "model", "text_or_ids": "ids"}),
        Probe(transformer.token_losses, {"model": _MODEL, "text_or_ids": "abcabc"},
              {"model": "model", "text_or_ids": "ids"}),
        Probe(transformer.decode, {"ids": [1, 2]}, {"ids": "ids"}, {"ids": ["empty"]}),
        Probe(transformer.repeated_ids, {"n_half": 5}, {"n_half": "count", "seed": "seed"}),
        Probe(transformer.training_ids, {"rng": _rng(), "n_sequences": 2, "length": 10},
              {"rng": "rng", "n_sequences": "count", "length": "count"}),
        Probe(transformer.head_scores, {"model": _MODEL, "n_half": 5, "n_sequences": 1},
              {"model": "model", "n_half": "count", "n_sequences": "count", "seed": "seed"}),
        Probe(transformer.knockout_losses, {"model": _MODEL, "n_half": 5, "n_sequences": 1},
              {"model": "model", "n_half": "count", "n_sequences": "count", "seed": "seed"}),
        Probe(transformer.named_heads, {"scores": transformer.head_scores(_MODEL, n_half=5,
                                                                          n_sequences=1)},
              {"scores": "model"}),  # fmt: skip
        # language
        Probe(language.set_language, {"language": "en"}, {"language": "choice"}),
        # explorers' constructors
        Probe(attention_explorers.AttentionExplorer, {},
              {"sentence": "text", "query": "index", "scoring": "choice",
               "normalisation": "choice", "temperature": "positive", "seed": "seed"}),  # fmt: skip
        Probe(attention_explorers.HeatmapExplorer, {"scores": _X[:3, :3] * 0 + _X[:3, :3]},
              {"scores": "matrix", "tokens": "tokens", "temperature": "positive"},
              {"tokens": ["an empty token"]}),
        Probe(vectors.SentenceVectorsExplorer, {}, {"sentence": "text"}),
        Probe(vectors.AudioFramesExplorer, {}, {"clip": "text"}),
        Probe(scores.ScoreToyExplorer, {},
              {"q_angle": "natural", "q_length": "positive", "k_angle": "natural",
               "k_length": "positive"}),  # fmt: skip
        Probe(weighted_sum.WeightedSumExplorer, {}, {"query": "index", "seed": "seed"}),
        Probe(multihead_explorers.MultiHeadExplorer, {},
              {"n_heads": "count", "sentence": "text", "positions": "flag"}),
        Probe(positional_explorers.OrderExplorer, {},
              {"sentence": "text", "shuffle": "natural", "positions": "flag", "seed": "seed"}),
        Probe(positional_explorers.SinusoidExplorer, {},
              {"d_model": "count", "position": "natural", "n_positions": "count"}),
        Probe(truncation.TruncationExplorer, {},
              {"window": "natural", "query": "index", "seed": "seed", "d_k": "count"},
              {"query": ["None"]}),
        Probe(patches.PatchExplorer, {},
              {"patch": "count", "pick_x": "natural", "pick_y": "natural",
               "temperature": "positive", "size": "count"}),  # fmt: skip
        Probe(patches.ReceptiveFieldExplorer, {},
              {"rows": "count", "cols": "count", "kernel": "count", "pixel": "index"}),
        Probe(three_ways.ThreeWaysExplorer, {}, {"query": "index", "layers": "count"}),
        Probe(model_view.ModelViewExplorer, {"text": "abcabc"},
              {"text": "text", "knockout": "flag", "model": "model"}),
        Probe(model_view.knockout_chart, {"knock": _KNOCK}, {"knock": "model"}),
        Probe(softmax.naive_softmax, {"alpha": _X}, {"alpha": "matrix"},
              {"alpha": ["the wrong rank"]}),
        Probe(windows.WindowExplorer, {"results": _SWEEP},
              {"results": "model", "width": "count", "cue_distance": "count"}),
        Probe(model_view.head_table, {"values": np.ones((2, 4))}, {"values": "matrix",
                                                                   "fmt": "text"}),
    ]


PROBES = _probes()

# classes of input that are valid for a kind in some arguments: where a default of None means
# "choose for me", None is fine
_NONE_MEANS_DEFAULT = {"tokens", "query", "rng", "path", "model", "width", "cue_distance"}


def _cases():
    for probe in PROBES:
        for arg, kind in probe.kinds.items():
            for label, value in CLASSES[kind].items():
                if label in probe.skip.get(arg, ()):
                    continue
                if label == "None" and arg in _NONE_MEANS_DEFAULT and arg not in probe.valid:
                    continue
                yield pytest.param(probe, arg, value, id=f"{probe.name}-{arg}-{label}")


def _close(result) -> None:
    close = getattr(result, "close", None)
    if callable(close) and hasattr(result, "controls"):
        close()


def _no_nan(result) -> None:
    if isinstance(result, np.ndarray) and np.issubdtype(result.dtype, np.floating):
        assert np.isfinite(result).all(), "a valid-looking call answered with NaN or inf"


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.name)
def test_each_probe_starts_from_a_valid_call(probe):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = probe.func(**probe.valid)
    _no_nan(result)
    _close(result)


@pytest.mark.parametrize(("probe", "arg", "value"), list(_cases()))
def test_bad_input_raises_a_value_error_that_names_the_argument(probe, arg, value):
    kwargs = {**probe.valid, arg: value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = probe.func(**kwargs)
        except ValueError as exc:
            names = (arg, *probe.aliases.get(arg, ()))
            assert any(n in str(exc) for n in names), f"the ValueError does not name {arg!r}: {exc}"
            return
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"bare {type(exc).__name__}: {exc}")
    _close(result)
    pytest.fail(f"{arg}={value!r:.60} was accepted (returned {type(result).__name__})")


# ---- explorers' controls, through set() ---------------------------------------------------------
EXPLORERS = [p for p in PROBES if isinstance(p.func, type) and hasattr(p.func, "set")]


def _bad_control_values(control) -> dict:
    bad = {"None": None}
    if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText)):
        bad |= {"a str": "3", "a fraction": control.min + 0.5, "NaN": math.nan,
                "below the range": control.min - 1, "above the range": control.max + 1,
                "a bool": True}  # fmt: skip
    elif isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider,
                              widgets.BoundedFloatText)):  # fmt: skip
        low = control.min if not isinstance(control, widgets.FloatLogSlider) else (
            control.base ** control.min)  # fmt: skip
        high = control.max if not isinstance(control, widgets.FloatLogSlider) else (
            control.base ** control.max)  # fmt: skip
        bad |= {"a str": "0.5", "NaN": math.nan, "inf": math.inf, "below the range": low - abs(low)
                - 1, "above the range": high + abs(high) + 1}  # fmt: skip
    elif isinstance(control, (widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons,
                              widgets.SelectionSlider)):  # fmt: skip
        bad |= {"not an option": "nonsense", "a number": 12345}
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        bad |= {"a str": "yes", "a number": 2}
    elif isinstance(control, (widgets.Text, widgets.Textarea)):
        bad |= {"a number": 3, "bytes": b"x"}
    return bad


def _control_cases():
    for probe in EXPLORERS:
        explorer = probe.func(**probe.valid)
        try:
            for name, control in explorer.controls.items():
                for label in _bad_control_values(control):
                    yield pytest.param(probe, name, label, id=f"{probe.name}.{name}-{label}")
        finally:
            explorer.close()


@pytest.mark.parametrize(("probe", "control", "label"), list(_control_cases()))
def test_set_refuses_a_value_its_control_cannot_take(probe, control, label):
    explorer = probe.func(**probe.valid)
    try:
        widget = explorer.controls[control]
        value = _bad_control_values(widget)[label]
        before = widget.value
        with pytest.raises(ValueError, match=control):
            explorer.set(**{control: value})
        assert widget.value == before, "a refused value still moved the control"
        assert explorer.message is None and explorer.state, "a refused value broke the state"
    finally:
        explorer.close()


# ---- which callables the notebooks import: all of them are probed -------------------------------
def _notebook_imports() -> set[str]:
    import importlib

    from IPython.core.inputtransformer2 import TransformerManager

    manager, found = TransformerManager(), set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join(
            manager.transform_cell("".join(c["source"])) for c in cells if c["cell_type"] == "code"
        )
        tree, modules = ast.parse(source), {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    try:
                        importlib.import_module(full)
                        modules[alias.asname or alias.name] = full
                    except ImportError:
                        found.add(full)
            elif isinstance(node, ast.Import):
                modules |= {a.asname or a.name: a.name for a in node.names
                            if a.name.startswith("helpers")}  # fmt: skip
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id in modules:
                    found.add(f"{modules[node.value.id]}.{node.attr}")
    out = set()
    for full in found:
        module, name = full.rsplit(".", 1)
        obj = getattr(importlib.import_module(module), name, None)
        if callable(obj) and not name.startswith("check_"):  # checks: tests/test_checks.py
            out.add(f"{obj.__module__}.{obj.__qualname__}")
    return out


# imported by a notebook, with no argument a learner could get wrong
_NOTHING_TO_PROBE = {
    "helpers.data.example_graph",
    "helpers.data.load_sentences",
    "helpers.data.load_word_vectors",
    "helpers.explorers.softmax.SoftmaxExplorer",
}


def test_every_notebook_import_is_probed():
    probed = {p.name for p in PROBES} | _NOTHING_TO_PROBE
    missing = sorted(_notebook_imports() - probed)
    assert not missing, f"imported by a notebook but not probed here: {missing}"


def test_the_probe_covers_many_classes_of_bad_input():
    """The count the closing note reports: distinct (kind, class) pairs actually probed."""
    used = {(kind, label) for p in PROBES for kind in p.kinds.values() for label in CLASSES[kind]}
    assert len(used) >= 80


# ---- single calls that once answered silently and wrongly (each names the argument at fault) ----
def _tagger():
    return taggers.WindowTagger(3, steps=2).fit(_CORPUS, rng=_rng())


def _not_a_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("not a sound", encoding="utf-8")
    return path


SPECIFIC = {
    "softmax over axis None": ("axis", lambda: attention.softmax(_X, axis=None)),
    "scores that overflow inside QKᵀ": (
        "overflow",
        lambda: attention.self_attention(
            np.ones((3, 4), np.float32) * 1e20, *[np.eye(4, dtype=np.float32)] * 3
        ),
    ),
    "split_heads with a head count that does not divide d_model": (
        "n_heads", lambda: attention.split_heads(np.ones((3, 6)), 4)),  # fmt: skip
    "a fractional edge": ("edges", lambda: graphs.graph_mask(3, [(0.5, 2)])),
    "an edge of three nodes": ("edges", lambda: graphs.graph_mask(3, [(0, 1, 2)])),
    "normalise of complex scores": ("alpha", lambda: attention.normalise(_X * 1j)),
    "a window of 1e9 ms": ("window_ms", lambda: speech.frame_signal(_SIGNAL, _RATE,
                                                                     window_ms=1e9)),
    "unpatchify to a shape the patch does not divide": (
        "patch", lambda: images.unpatchify(np.ones((4, 75)), (10, 10, 3), 5 + 1)),  # fmt: skip
    "a generator seed in place of a Generator": ("rng", lambda: images.lecture_image(rng=0)),
    "majority baseline on an empty test set": (
        "test", lambda: taggers.majority_baseline(_CORPUS, [])),  # fmt: skip
    "toy inputs with more words than the one-hot block": (
        "vocab", lambda: multihead.toy_inputs(list("abcdefghi"), list("abcdefghi"))),  # fmt: skip
    "a tagger given a str for tokens": ("tokens", lambda: _tagger().predict("the cat")),
    "a tagger given no tokens": ("tokens", lambda: _tagger().predict([])),
    "a tagger given a word it never saw": ("zebra", lambda: _tagger().predict(["the", "zebra"])),
    "fit with a tag the taggers do not know": (
        "ADJ",
        lambda: taggers.FCTagger(steps=2).fit(
            [{"tokens": ["the", "cat"], "tags": ["DET", "ADJ"], "targets": []}], rng=_rng()
        ),
    ),
    "a learning rate of NaN": ("lr", lambda: taggers.FCTagger(lr=math.nan)),
    "ThreeWaysExplorer with one token": ("tokens", lambda: three_ways.ThreeWaysExplorer(
        tokens=["a"], edges=[], query=0)),  # fmt: skip
    "OrderExplorer set to a sentence not in its list": (
        "sentence",
        lambda: positional_explorers.OrderExplorer().set(sentence="a b c"),
    ),
}


@pytest.mark.parametrize("case", list(SPECIFIC))
def test_specific_bad_calls_raise_a_readable_value_error(case):
    needle, call = SPECIFIC[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError) as info:
            call()
    assert needle in str(info.value), str(info.value)


def test_load_clip_refuses_a_file_that_is_not_a_wav(tmp_path, monkeypatch):
    path = _not_a_wav(tmp_path)
    with pytest.raises(ValueError, match="WAV"):
        speech.load_clip(str(path))


def test_nice_limit_stays_finite_near_the_largest_float():
    assert np.isfinite(plots.nice_limit(1.7e308))
    assert plots.nice_limit(1.7e308) >= 1.7e308
    assert plots.nice_limit(0.3) == 0.5 and plots.nice_limit(-3) == 5.0


def test_a_uint8_image_is_drawn_with_its_own_colours():
    image8 = (np.asarray(_IMAGE) * 255).round().astype(np.uint8)
    fig_float, fig_int = plots.plot_image_vectors(_IMAGE), plots.plot_image_vectors(image8)
    shown_float = fig_float.axes[0].images[0].get_array()
    shown_int = fig_int.axes[0].images[0].get_array()
    assert np.allclose(np.asarray(shown_float, float), np.asarray(shown_int, float) / (
        255 if np.asarray(shown_int).max() > 1 else 1), atol=1 / 255)  # fmt: skip


def test_a_message_leaves_no_stale_state():
    explorer = attention_explorers.AttentionExplorer("")
    try:
        assert explorer.message
        with pytest.raises(ValueError):
            explorer.state  # noqa: B018 - reading it is the test
        with pytest.raises(ValueError):
            explorer.set(sentence="")
        assert explorer.set(sentence="I saw a saw")["tokens"]
    finally:
        explorer.close()


def test_an_error_inside_hold_leaves_controls_and_figure_agreeing():
    explorer = attention_explorers.AttentionExplorer()
    try:
        with pytest.raises(RuntimeError), explorer.hold():
            explorer.controls["temperature"].value = 2.0
            raise RuntimeError("the learner's own code failed here")
        assert explorer.state["temperature"] == 2.0
    finally:
        explorer.close()


def test_a_very_long_token_does_not_collapse_the_layout():
    """Labels are cut at plots.MAX_LABEL_CHARS, so a 340-character token leaves every axes the
    size it has for a token of that length."""

    def boxes(sentence):
        explorer = attention_explorers.AttentionExplorer(sentence)
        try:
            return [ax.get_position() for ax in explorer.fig.axes]
        finally:
            explorer.close()

    cut = "x" * plots.MAX_LABEL_CHARS
    for short, long in zip(boxes(f"a {cut} b"), boxes("a " + "x" * 340 + " b"), strict=True):
        assert long.width > 0.9 * short.width and long.height > 0.9 * short.height
