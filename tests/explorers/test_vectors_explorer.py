"""helpers.explorers.vectors: compute is right, every control swept over its range, in-place
updates."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import data, speech
from helpers.data import MAX_TOKENS
from helpers.explorer import ExplorerMessage
from helpers.explorers.vectors import AudioFramesExplorer, SentenceVectorsExplorer
from helpers.plots import plot_graph_vectors, plot_image_vectors, plot_output_types
from tests.sweep import sweep_explorer


@pytest.fixture(scope="module")
def sentence_explorer():
    return SentenceVectorsExplorer()


def test_sentence_explorer_default_story(sentence_explorer):
    s = sentence_explorer.state
    vocab, _ = data.load_word_vectors()
    assert s["tokens"] == ["i", "saw", "a", "saw", "."] and s["n_tokens"] == 5
    assert s["one_hot"].shape == (5, len(vocab)) and s["embedding"].shape == (5, 8)
    np.testing.assert_array_equal(s["one_hot"].sum(axis=1), 1.0)
    np.testing.assert_array_equal(s["embedding"][1], s["embedding"][3])  # the two saws: one vector
    assert "5 tokens → 5 vectors" in sentence_explorer.suptitle.get_text()


def test_sentence_explorer_counts_follow_the_sentence(sentence_explorer):
    s = sentence_explorer.compute(sentence="The duck can duck under the bridge xyzzy")
    assert s["n_tokens"] == 8 and s["one_hot"].shape[0] == 8 and s["embedding"].shape[0] == 8
    assert s["unknown"].tolist() == [False] * 7 + [True]
    assert not s["one_hot"][-1].any()  # an unknown word: an all-zero one-hot row
    long = sentence_explorer.compute(sentence="saw " * 40)
    assert long["n_tokens"] == 40 and long["one_hot"].shape[0] == MAX_TOKENS
    with pytest.raises(ExplorerMessage):
        sentence_explorer.compute(sentence="   ")


def test_sentence_explorer_redraws_labels_in_place():
    e = SentenceVectorsExplorer()
    im = e.im_hot
    e.set(sentence="Fish swim in the sea.")
    assert e.im_hot is im and e.im_hot.get_array().shape[0] == 6
    assert [t.get_text() for t in e.ax_hot.get_yticklabels()] == [
        "fish",
        "swim",
        "in",
        "the",
        "sea",
        ".",
    ]
    assert len(e.word_texts) == 6


def test_sentence_explorer_sweep():
    report = sweep_explorer(SentenceVectorsExplorer())
    assert report["sentence"]["changed"]


@pytest.fixture(scope="module")
def frames_explorer():
    return AudioFramesExplorer()


def test_audio_explorer_lecture_numbers(frames_explorer):
    s = frames_explorer.state
    signal, rate = speech.load_clip()
    assert s["per_second"] == 100 and s["window_samples"] == 400 and s["hop_samples"] == 160
    assert s["n_frames"] == speech.n_frames(signal.size / rate) == s["spec"].shape[0]
    assert s["spec"].shape[1] == 40
    assert (
        "382 vectors" in frames_explorer.headline.get_text()
        and "1 s → 100 vectors" in frames_explorer.headline.get_text()
    )


@given(st.integers(5, 60), st.integers(5, 50))
def test_audio_explorer_compute_counts(window_ms, hop_ms):
    e = _shared_audio()
    s = e.compute(window_ms=float(window_ms), hop_ms=float(hop_ms))
    assert s["n_frames"] == speech.n_frames(e.duration, hop_ms=hop_ms) == s["spec"].shape[0]
    assert s["per_second"] == speech.n_frames(1.0, hop_ms=hop_ms)
    starts, ends = s["frames"].T
    np.testing.assert_allclose(ends - starts, round(window_ms * 16) / 16000)
    assert np.all(
        (starts < e.zoom[1]) & (ends > e.zoom[0])
    )  # only frames that overlap the zoom are drawn
    assert np.all(np.isfinite(s["spec"]))


_AUDIO = []


def _shared_audio():
    if not _AUDIO:
        _AUDIO.append(AudioFramesExplorer())
    return _AUDIO[0]


def test_audio_explorer_hop_changes_the_count_window_does_not(frames_explorer):
    base = frames_explorer.state["n_frames"]
    assert frames_explorer.compute(window_ms=50.0, hop_ms=10.0)["n_frames"] == base
    assert frames_explorer.compute(window_ms=25.0, hop_ms=20.0)["n_frames"] == -(-base // 2)
    assert frames_explorer.compute(window_ms=25.0, hop_ms=5.0)["n_frames"] in (
        2 * base - 1,
        2 * base,
    )


def test_audio_explorer_sweep():
    report = sweep_explorer(AudioFramesExplorer())
    assert report["window_ms"]["changed"] and report["hop_ms"]["changed"]


def test_static_pictures():
    plt.switch_backend(
        "Agg"
    )  # importing ipympl (helpers.widgets) made it pyplot's backend; these are plain figures
    rng = np.random.default_rng(0)
    figs = [
        plot_graph_vectors(
            np.eye(3)[[1, 0, 2]], [(0, 1), (0, 2)], ["C", "H", "O"], feature_names=["H", "C", "O"]
        ),
        plot_image_vectors(rng.random((5, 10, 3))),
        plot_output_types(["i", "saw", "a", "saw", "."], ["PRON", "VERB", "DET", "NOUN", "PUNCT"]),
    ]
    assert [len(f.axes) for f in figs] == [3, 2, 3]
    assert figs[1].axes[1].get_images()[0].get_array().shape == (1, 50, 3)
    for f in figs:
        plt.close(f)
    with pytest.raises(ValueError, match="one label per token"):
        plot_output_types(["a", "b"], ["X"])
    with pytest.raises(ValueError, match="shape"):
        plot_image_vectors(np.zeros((4, 4)))


# ---- bad input and the lecture's count ---------------------------------------------------------
@pytest.mark.parametrize("bad", [None, 3, ["i", "saw"]])
def test_sentence_explorer_wants_a_str(bad):
    with pytest.raises(ValueError, match="sentence must be a str"):
        SentenceVectorsExplorer(bad)


def test_sentence_explorer_counts_from_one(sentence_explorer):
    vocab, _ = data.load_word_vectors()
    texts = [t.get_text() for t in sentence_explorer.word_texts]
    # "i" is vocabulary word number vocab.index("i") + 1: the figure counts columns from 1
    assert texts[0] == f"i: a 1 at position {vocab.index('i') + 1}"
    assert [t.get_text() for t in sentence_explorer.ax_emb.get_yticklabels()] == [
        "a¹",
        "a²",
        "a³",
        "a⁴",
        "a⁵",
    ]
    assert [t.get_text() for t in sentence_explorer.ax_emb.get_xticklabels()][0] == "1"


def test_sentence_explorer_long_token_and_24_tokens_stay_readable():
    e = SentenceVectorsExplorer("I saw " + "x" * 340 + " saw")
    labels = [t.get_text() for t in e.ax_hot.get_yticklabels()]
    assert labels[2] == "x" * 13 + "…"
    e.set(sentence=" ".join(["the cat sat on the mat ."] * 4))
    assert len(e.word_texts) == MAX_TOKENS
    sizes = {t.get_fontsize() for t in e.ax_hot.get_yticklabels()}
    assert min(sizes) >= 8  # 8 pt at 90 dpi: 10 px, each of 24 rows about 12 px tall
    assert e.fig.dpi == 90


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"window_ms": float("nan"), "hop_ms": 10.0}, "window_ms must be a finite number"),
        ({"window_ms": 25.0, "hop_ms": float("inf")}, "hop_ms must be a finite number"),
        ({"window_ms": 25.0, "hop_ms": 0.0}, "hop_ms must be a finite number"),
        ({"window_ms": None, "hop_ms": 10.0}, "window_ms must be a finite number"),
        ({"window_ms": 1e9, "hop_ms": 10.0}, "longer than 1000 ms"),
    ],
)
def test_audio_explorer_compute_names_bad_values(frames_explorer, values, said):
    with pytest.raises(ValueError, match=said):
        frames_explorer.compute(**values)


def test_audio_explorer_on_a_file_that_is_not_a_wav():
    with pytest.raises(ValueError, match="name = 'README.md' is not a PCM WAV file"):
        AudioFramesExplorer("README.md")


# ---- the Chinese editions ------------------------------------------------------------------------
# what may stay in Latin letters: the sentence's tokens, the data's tags, names and units
LESSON_01_LATIN = {"saw", "xyzzy", "PRON", "VERB", "DET", "NOUN", "PUNCT", "ms", "RGB", "seq"}
LESSON_01_LATIN |= {"ai", "vu", "une", "scie"}  # French: the seq2seq example's output


def english_words_in(text: str) -> set[str]:
    import re

    return set(re.findall(r"[A-Za-z]{2,}", text))


@pytest.mark.parametrize("language", ["zh-Hant", "zh-Hans"])
def test_lesson_01_figures_and_controls_speak_the_edition(language):
    """Built after `set_language`, lesson 01's explorers and static pictures draw no English word,
    and nothing on them is cut off or overlapping."""
    from helpers.language import set_language
    from tests.figure_checks import english_words, readability_problems

    plt.switch_backend("Agg")
    tags = ["PRON", "VERB", "DET", "NOUN", "PUNCT"]
    set_language(language)
    try:
        explorers = [SentenceVectorsExplorer("I saw a saw xyzzy"), AudioFramesExplorer()]
        figs = [
            plot_graph_vectors(np.eye(3), [(0, 1), (0, 2)], ["C", "H", "O"]),
            plot_image_vectors(np.random.default_rng(0).random((5, 10, 3))),
            plot_output_types(["i", "saw", "a", "saw", "."], tags),
        ]
    finally:
        set_language("en")
    try:
        for fig in [e.fig for e in explorers] + figs:
            assert english_words(fig, LESSON_01_LATIN) == []
        for e in explorers:
            assert readability_problems(e.fig, min_px=9) == [], e
            for name, control in e.controls.items():
                assert english_words_in(control.description) <= {"ms"}, (name, control.description)
        # in English the same figures say what they always said
        assert "5 tokens → 5 vectors" in SentenceVectorsExplorer().suptitle.get_text()
    finally:
        for e in explorers:
            e.close()
        for f in figs:
            plt.close(f)


def test_audio_explorer_keeps_a_bounded_number_of_spectrograms():
    ex = AudioFramesExplorer()
    try:
        ex.spectrograms_kept = 3
        first = ex.compute(window_ms=30.0, hop_ms=10.0)["spec"]
        expected = speech.spectrogram(
            ex.signal, ex.sample_rate, window_ms=30.0, hop_ms=10.0, n_mels=40
        )
        np.testing.assert_array_equal(first, expected)
        assert not first.flags.writeable  # shared between states: nobody may change it
        # a drag back to settings seen before reuses them
        assert ex.compute(window_ms=30.0, hop_ms=10.0)["spec"] is first
        for window in (31.0, 32.0, 33.0, 34.0):
            ex.compute(window_ms=window, hop_ms=10.0)
        assert len(ex._spectrograms) == 3  # the oldest went first
        assert (30.0, 10.0) not in ex._spectrograms
    finally:
        ex.close()
