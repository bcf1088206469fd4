"""helpers.speech: the shipped clip, frame counting (1 s → 100 vectors), framing, the spectrogram,
and the measured cost of full versus truncated attention."""

import math
import time
import wave

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import speech
from helpers.attention import band_mask, self_attention, truncated_attention
from helpers.speech import (
    FRAMES_PER_SECOND,
    attention_costs,
    format_cost_table,
    format_score_table,
    frame_features,
    frame_signal,
    load_clip,
    measure,
    n_frames,
    plot_attention_costs,
    random_projections,
    score_counts,
    spectrogram,
    speech_features,
    stretch_frames,
)


def test_clip_is_16k_mono_16bit_and_short():
    path = speech.DATA_DIR / "clip.wav"
    assert path.stat().st_size < 150_000
    with wave.open(str(path), "rb") as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate()) == (1, 2, 16000)
        assert 2.0 <= f.getnframes() / f.getframerate() <= 4.0


def test_load_clip_returns_float_signal_in_range():
    signal, rate = load_clip()
    assert rate == 16000 and isinstance(rate, int)
    assert signal.dtype == np.float64 and signal.ndim == 1
    assert -1.0 <= signal.min() < 0 < signal.max() <= 1.0
    assert np.abs(signal).max() > 0.1  # speech, not silence


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"not a wav at all", "does not start with RIFF"),
        (b"", "not a PCM WAV file"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", "not a PCM WAV file"),  # cut short
    ],
)
def test_load_clip_on_a_file_that_is_not_a_wav(tmp_path, monkeypatch, content, said):
    (tmp_path / "notes.wav").write_bytes(content)
    monkeypatch.setattr(speech, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="name = 'notes.wav'") as info:
        load_clip("notes.wav")
    assert said in str(info.value)


def test_load_clip_on_the_courses_other_data_files():
    for name in ("README.md", "examples.json"):
        with pytest.raises(ValueError, match=f"name = '{name}' is not a PCM WAV file"):
            load_clip(name)


def test_load_clip_rejects_missing_file():
    with pytest.raises(ValueError, match="no file 'nope.wav'"):
        load_clip("nope.wav")


@pytest.mark.parametrize(
    "duration, hop, expected",
    [
        (1.0, 10, 100),
        (2.0, 10, 200),
        (0.5, 10, 50),
        (1.0, 20, 50),
        (0.005, 10, 1),
        (1.001, 10, 101),
        (0.3, 0.1, 3000),
        (0.07, 7, 10),
    ],
)
def test_n_frames_one_vector_per_hop(duration, hop, expected):
    assert n_frames(duration, hop_ms=hop) == expected


def test_lecture_numbers():
    # 25 ms window, 10 ms hop: 1 s of speech → 100 vectors (the lecture's slide).
    assert n_frames(1.0) == 100
    assert frame_signal(np.zeros(16000), 16000).shape == (100, 400)


@given(
    st.integers(1, 4000),
    st.sampled_from([8000, 16000]),
    st.sampled_from([5.0, 10.0, 12.5, 20.0]),
    st.sampled_from([10.0, 25.0, 30.0]),
)
def test_frame_count_matches_n_frames(n_samples, rate, hop_ms, window_ms):
    frames = frame_signal(np.ones(n_samples), rate, window_ms=window_ms, hop_ms=hop_ms)
    assert frames.shape == (
        n_frames(n_samples / rate, window_ms=window_ms, hop_ms=hop_ms),
        round(window_ms * rate / 1000),
    )
    assert frames.shape[0] == math.ceil(n_samples / (hop_ms * rate / 1000) - 1e-9)


def test_frames_are_windows_of_the_signal_zero_padded_at_the_end():
    x = np.arange(1, 1001, dtype=float)  # 1000 samples at 1 kHz = 1 s
    frames = frame_signal(x, 1000, window_ms=25, hop_ms=10)  # window 25 samples, hop 10
    assert frames.shape == (100, 25)
    np.testing.assert_array_equal(frames[0], x[:25])
    np.testing.assert_array_equal(frames[7], x[70:95])
    np.testing.assert_array_equal(frames[-1][:10], x[990:])  # last frame: 10 real samples …
    assert np.all(frames[-1][10:] == 0)  # … then zero padding


def test_hop_longer_than_window_leaves_gaps():
    x = np.arange(100, dtype=float)
    frames = frame_signal(x, 1000, window_ms=3, hop_ms=10)
    assert frames.shape == (10, 3)
    np.testing.assert_array_equal(frames[:, 0], np.arange(0, 100, 10))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"signal": np.zeros((2, 10))}, "1-D"),
        ({"signal": np.zeros(0)}, "empty"),
        ({"signal": [0.0, np.nan]}, "NaN"),
        ({"sample_rate": 0}, "sample_rate"),
        ({"sample_rate": 16000.0}, "sample_rate"),
        ({"window_ms": 0}, "window_ms"),
        ({"hop_ms": -10}, "hop_ms"),
        ({"hop_ms": float("inf")}, "hop_ms"),
        ({"window_ms": 0.01}, "shorter than one sample"),
        ({"window_ms": 1e9}, "window_ms = 1e\\+09 is longer than 1000 ms"),
        ({"hop_ms": 1e-6}, "hop_ms = 1e-06 is shorter than one sample"),
        ({"signal": np.zeros(16000 * 200), "hop_ms": 0.0625}, "use a longer hop"),
    ],
)
def test_frame_signal_rejects_bad_input(kwargs, match):
    args = {"signal": np.zeros(100), "sample_rate": 16000} | kwargs
    signal, rate = args.pop("signal"), args.pop("sample_rate")
    with pytest.raises(ValueError, match=match):
        frame_signal(signal, rate, **args)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), True, "1"])
def test_n_frames_rejects_bad_duration(bad):
    with pytest.raises(ValueError, match="duration_s"):
        n_frames(bad)


def test_spectrogram_shape_finite_and_floor():
    signal, rate = load_clip()
    S = spectrogram(signal, rate)
    assert S.shape == (n_frames(signal.size / rate), 201)
    assert np.all(np.isfinite(S))
    silent = spectrogram(np.zeros(1600), 16000)
    assert silent.shape == (10, 201) and np.all(silent == -100.0)
    mel = spectrogram(signal, rate, n_mels=40)
    assert mel.shape == (S.shape[0], 40) and np.all(np.isfinite(mel))


def test_spectrogram_finds_a_pure_tone():
    rate = 16000
    t = np.arange(rate) / rate
    S = spectrogram(np.sin(2 * np.pi * 1000 * t), rate)  # 400-sample window: bins 40 Hz apart
    assert np.all(S[:90].argmax(axis=1) == 25)  # 1000 Hz / 40 Hz (frames before the zero padding)


def test_spectrogram_rejects_bad_n_mels():
    with pytest.raises(ValueError, match="n_mels"):
        spectrogram(np.zeros(100), 16000, n_mels=0)


@pytest.mark.parametrize("width, channels", [(1, 1), (2, 2), (4, 1)])
def test_load_clip_reads_other_pcm_formats(tmp_path, monkeypatch, width, channels):
    rate, n = 8000, 800
    t = np.arange(n) / rate
    mono = 0.5 * np.sin(2 * np.pi * 440 * t)  # (n,)
    frames = np.repeat(
        mono[:, None], channels, axis=1
    )  # (n, channels), same signal on every channel
    if width == 1:
        raw = np.round(frames * 127 + 128).astype(np.uint8).tobytes()
    else:
        scale = 2 ** (8 * width - 1) - 1
        raw = np.round(frames * scale).astype(f"<i{width}").tobytes()
    with wave.open(str(tmp_path / "tone.wav"), "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(raw)
    monkeypatch.setattr(speech, "DATA_DIR", tmp_path)
    signal, got_rate = load_clip("tone.wav")
    assert got_rate == rate and signal.shape == (n,)
    np.testing.assert_allclose(signal, mono, atol=1.5 / 2 ** (8 * width - 1))


def test_frames_per_second_is_the_lectures_hop():
    assert FRAMES_PER_SECOND == 100  # 10 ms hop


def test_random_projections_are_seeded_and_shaped():
    a = random_projections(40, 16, rng=np.random.default_rng(3))
    b = random_projections(40, 16, rng=np.random.default_rng(3))
    assert len(a) == 3
    for W, W2 in zip(a, b, strict=True):
        assert W.shape == (40, 16) and W.dtype == np.float32
        np.testing.assert_array_equal(W, W2)
    assert not np.allclose(a[0], a[1])


def test_random_projections_refuse_bad_arguments():
    with pytest.raises(ValueError, match="rng"):
        random_projections(4, 2, rng=0)
    with pytest.raises(ValueError, match="d_k"):
        random_projections(4, 0, rng=np.random.default_rng(0))


@given(st.integers(2, 30), st.integers(1, 8), st.integers(0, 10_000))
def test_frame_features_are_standardised_per_bin(n, d, seed):
    rng = np.random.default_rng(seed)
    spec = rng.normal(-40, 10, size=(n, d))
    X = frame_features(spec)
    assert X.shape == (n, d) and X.dtype == np.float32
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(X.std(axis=0), 1, atol=1e-3)


def test_frame_features_keep_a_constant_bin_finite():
    spec = np.zeros((5, 3))
    spec[:, 1] = np.arange(5)
    X = frame_features(spec)
    assert np.all(np.isfinite(X))
    np.testing.assert_array_equal(X[:, 0], 0)


def test_frame_features_name_the_argument():
    with pytest.raises(ValueError, match=r"spec .*\(n_frames, n_bins\)"):
        frame_features(np.zeros(5))


@given(st.integers(1, 12), st.integers(1, 50))
def test_stretch_frames_tiles_to_the_length(n, length):
    X = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    long = stretch_frames(X, length, rng=np.random.default_rng(0), noise=0.0)
    assert long.shape == (length, 2) and long.dtype == np.float32
    np.testing.assert_array_equal(long, X[np.arange(length) % n])


def test_stretch_frames_adds_noise_when_asked():
    X = np.zeros((4, 3))
    long = stretch_frames(X, 10, rng=np.random.default_rng(0), noise=0.1)
    assert 0.02 < long.std() < 0.3


def test_measure_sees_numpy_allocations():
    seconds, peak = measure(np.ones, 1_000_000, repeat=2)  # 8 MB of float64
    assert seconds >= 0
    assert 7.5e6 < peak < 9e6


def test_measure_counts_a_bigger_array_as_bigger():
    _, small = measure(np.zeros, (200, 200), repeat=1)
    _, big = measure(np.ones, (800, 800), repeat=1)
    assert big > 10 * small


def test_costs_grow_as_l_squared_versus_l_times_w():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 8)).astype(np.float32)
    rows = attention_costs(X, [400, 1600], window=10, rng=rng, repeat=1, masked_up_to=400)
    small, big = rows
    assert [r["L"] for r in rows] == [400, 1600]
    assert small["seconds"] == 4.0
    assert small["full_scores"] == small["masked_scores"] == 400**2
    assert big["trunc_scores"] == 1600 * 21 and small["blas_threads"] == 1
    # Full attention: 4× longer sequence → ~16× the memory (the L × L scores dominate).
    assert big["full_bytes"] / small["full_bytes"] > 10
    # Truncated: ~4× (linear in L).
    assert big["trunc_bytes"] / small["trunc_bytes"] < 6
    assert big["trunc_bytes"] < big["full_bytes"] / 5
    assert small["masked_bytes"] >= small["full_bytes"]  # masking alone saves nothing
    assert big["masked_s"] is None and big["masked_bytes"] is None


def test_truncated_equals_masked_full_attention_on_the_stretched_clip():
    rng = np.random.default_rng(1)
    X = stretch_frames(rng.standard_normal((30, 8)).astype(np.float32), 120, rng=rng)
    W_q, W_k, W_v = random_projections(8, 4, rng=rng)
    B_masked, _ = self_attention(X, W_q, W_k, W_v, mask=band_mask(120, 7))
    B_trunc, _ = truncated_attention(X, W_q, W_k, W_v, window=7)
    np.testing.assert_allclose(B_trunc, B_masked, rtol=1e-4, atol=1e-5)


def test_format_cost_table_shows_every_row_and_dashes_for_missing():
    rows = [
        dict(
            L=100,
            seconds=1.0,
            full_s=0.001,
            full_bytes=2**20,
            masked_s=None,
            masked_bytes=None,
            trunc_s=0.0005,
            trunc_bytes=2**19,
        )
    ]
    table = format_cost_table(rows)
    lines = table.splitlines()
    assert len(lines) == 3
    assert "full MB" in lines[0] and "trunc MB" in lines[0]
    assert "1.00" in lines[2] and "0.50" in lines[2] and "—" in lines[2]


@pytest.mark.parametrize("L, audio", [(100, "1 s"), (250, "2.5 s"), (6000, "60 s"), (1, "0.01 s")])
def test_tables_say_how_much_audio_a_length_is_never_rounded(L, audio):
    row = dict(L=L, seconds=L / 100, full_s=1e-3, full_bytes=1, trunc_s=1e-3, trunc_bytes=1)
    assert f"{L:>6} {audio:>7} |" in format_cost_table([row])
    assert f"{L:>6} {audio:>7} " in format_score_table([L], 20)


def _bar_columns(line: str) -> list[int]:
    """The display columns of the "|" separators (a CJK character is 2 wide, as in a terminal)."""
    from helpers.language import text_width

    return [text_width(line[:k]) for k, ch in enumerate(line) if ch == "|"]


@pytest.mark.parametrize("language", ["zh-Hant", "zh-Hans"])
def test_cost_tables_keep_their_columns_in_chinese(language):
    import helpers.language

    row = dict(L=100, seconds=1.0, full_s=1e-3, full_bytes=2**20, trunc_s=5e-4, trunc_bytes=2**19)
    english = format_cost_table([row]).splitlines()
    try:
        helpers.language.set_language(language)
        table = format_cost_table([row]).splitlines()
        scores = format_score_table([100, 6000], 20).splitlines()
    finally:
        helpers.language.set_language("en")
    assert table[0] != english[0] and "ms" in table[0]  # the headers are translated
    assert table[2] == english[2]  # the numbers are not
    assert _bar_columns(table[0]) == _bar_columns(table[2]) == _bar_columns(english[0])
    assert (
        helpers.language.text_width(table[0])
        == len(table[1])
        == helpers.language.text_width(table[2])
    )
    assert (
        helpers.language.text_width(scores[0])
        == len(scores[1])
        == helpers.language.text_width(scores[2])
    )


def test_score_counts_are_the_lectures():
    assert score_counts(250, 20) == {"full": 62_500, "masked": 62_500, "trunc": 250 * 41}
    table = format_score_table([100, 6000], 20)
    assert "36,000,000" in table and "246,000" in table and "146.3" in table


@pytest.mark.parametrize(
    "rows", [None, [], [1], [{}], {"L": 100}, [dict(L=100, seconds=1.0, full_s=1e-3)]]
)
def test_cost_tables_and_plot_refuse_rows_attention_costs_did_not_make(rows):
    with pytest.raises(ValueError, match="rows"):
        format_cost_table(rows)
    with pytest.raises(ValueError, match="rows"):
        plot_attention_costs(rows, window=20)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(lengths=None), "lengths must be"),
        (dict(lengths=100), "lengths must be"),
        (dict(lengths="100"), "lengths must be"),
        (dict(lengths=[]), "lengths is empty"),
        (dict(lengths=[0]), "each length L"),
        (dict(lengths=[10.5]), "each length L"),
        (dict(lengths=[10], rng=0), "rng must be a numpy Generator"),
        (dict(lengths=[10], window=-1), "window"),
        (dict(lengths=[10], d_k=0), "d_k"),
        (dict(lengths=[10], repeat=0), "repeat"),
        (dict(lengths=[10], max_seconds=float("nan")), "max_seconds"),
        (dict(lengths=[10], blas_threads=0), "blas_threads"),
    ],
)
def test_attention_costs_refuse_bad_arguments(kwargs, match):
    args = dict(window=2, rng=np.random.default_rng(0)) | kwargs
    with pytest.raises(ValueError, match=match):
        attention_costs(np.ones((4, 3), dtype=np.float32), **args)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(rng=None), "rng must be a numpy Generator"),
        (dict(rng=np.random.default_rng(0), noise="a"), "noise"),
        (dict(rng=np.random.default_rng(0), noise=float("nan")), "noise"),
        (dict(rng=np.random.default_rng(0), noise=-1), "noise"),
    ],
)
def test_stretch_frames_refuse_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        stretch_frames(np.ones((3, 2)), 5, **kwargs)


@pytest.mark.parametrize("n_mels", [0, "40", [40], None, 2.5])
def test_speech_features_refuse_a_bad_n_mels(n_mels):
    with pytest.raises(ValueError, match="n_mels"):
        speech_features(n_mels)


def test_plot_attention_costs_draws_counts_beside_times():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 4)).astype(np.float32)
    rows = attention_costs(X, [50, 100, 200], window=5, rng=rng, repeat=1, masked_up_to=100)
    fig = plot_attention_costs(rows, window=5)
    try:
        ax_n, ax_t, ax_m = fig.axes
        assert "scores" in ax_n.get_title() and "time" in ax_t.get_title()
        assert "1 thread" in ax_t.get_title()
        full, masked, trunc = ax_n.get_lines()[:3]
        np.testing.assert_array_equal(full.get_ydata(), [50**2, 100**2, 200**2])
        np.testing.assert_array_equal(trunc.get_ydata(), [50 * 11, 100 * 11, 200 * 11])
        assert len(ax_t.get_lines()[1].get_xdata()) == 2  # masked: measured only up to L = 100
    finally:
        plt.close(fig)


def test_measure_stops_repeating_after_its_time_budget():
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.003)  # longer than a sample's 2 ms: each sample is one call

    measure(slow, repeat=50, max_seconds=0.0, min_repeat=1)
    assert len(calls) == 2  # one timed run (the budget is spent at once), one traced run
    calls.clear()
    measure(slow, repeat=50, max_seconds=0.0)
    assert len(calls) == 4  # but by default never fewer than 3 samples
    calls.clear()
    measure(slow, repeat=3, max_seconds=100.0)
    assert len(calls) == 4
    calls.clear()
    measure(slow, repeat=2, max_seconds=0.0, min_repeat=5)
    assert len(calls) == 3  # min_repeat never asks for more than repeat


def test_measure_takes_the_best_sample_not_the_first():
    delays = iter([0.05] + [0.004] * 20)

    def disturbed():
        time.sleep(next(delays, 0.004))  # the first run is slowed down, as by a busy machine

    best, _ = measure(disturbed, repeat=4, max_seconds=10.0)
    assert 0.004 <= best < 0.03


def test_measure_repeats_a_fast_call_until_a_sample_is_long_enough():
    calls = []
    measure(lambda: calls.append(1), repeat=3, max_seconds=10.0)
    assert len(calls) > 20  # 3 samples of ≥ 2 ms each, of a call that takes microseconds


def test_measure_pins_blas_threads_while_timing_and_gives_them_back():
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    seen = []
    measure(lambda: seen.append(blas_threads()), repeat=2, max_seconds=0.0)
    assert seen and all(t == [1] * len(before) for t in seen)
    assert blas_threads() == before
    seen.clear()
    measure(lambda: seen.append(blas_threads()), repeat=1, blas_threads=None)
    assert seen[0] == before


@pytest.mark.parametrize(
    "fn, kwargs, match",
    [
        (5, {}, "fn must be the function"),
        (np.ones, dict(repeat=0), "repeat"),
        (np.ones, dict(max_seconds="a"), "max_seconds"),
        (np.ones, dict(max_seconds=-1), "max_seconds"),
        (np.ones, dict(blas_threads=0), "blas_threads"),
        (np.ones, dict(min_repeat=0), "min_repeat"),
    ],
)
def test_measure_refuses_bad_arguments(fn, kwargs, match):
    with pytest.raises(ValueError, match=match):
        measure(fn, 3, **kwargs)
