"""Speech as a set of vectors (lessons 01 and 08): load the course's spoken clip, cut it into
frames, take a spectrogram; then, because speech is long, the cost of full versus truncated
self-attention.

The lecture's convention (lesson 01): a window of 25 ms slides along the signal with a hop of
10 ms; every window becomes one vector (frame), so 1 s of speech → 100 vectors.

How frames are counted here: frame k starts at time k · hop (k = 0, 1, 2, …) and a frame exists for
every start that lies *inside* the signal, so a clip of duration T gives ⌈T / hop⌉ frames: one
vector
per hop, 1 s / 10 ms = 100. The last few windows run past the end of the signal and are padded with
zeros. (Libraries that refuse to pad count 1 + ⌊(T − window) / hop⌋ = 98 for 1 s; lesson 01 shows
both.)

Lesson 08: L frames give L² attention scores. `frame_features` turns a spectrogram into attention
inputs, `stretch_frames` stretches a clip to any length, and `attention_costs` measures the time
and peak memory of full versus truncated (banded) self-attention.
"""

from __future__ import annotations

import math
import numbers
import time
import tracemalloc
import wave
from functools import lru_cache
from pathlib import Path

import numpy as np

from ._validate import as_float_array, check_float, check_int, check_nonempty, check_rng
from .attention import band_mask, self_attention, truncated_attention
from .language import _, ngettext, pad, text_width

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# A frame is a short slice of speech (the lecture's window is 25 ms): longer windows are refused,
# and so is a cut into more numbers than fit comfortably in memory (400 MB of float64).
MAX_WINDOW_MS = 1000.0
MAX_FRAME_VALUES = 50_000_000

# Relative slack when dividing durations: 1.0 s / 0.010 s is 100.00000000000001 in floating point,
# which must still count as 100 frames, not 101.
_EPS = 1e-9


def load_clip(name: str = "clip.wav") -> tuple[np.ndarray, int]:
    """Read a WAV file from the course's data/ folder (stdlib `wave`).

    Returns (signal, sample_rate): signal float64 of shape (n_samples,) in [-1, 1] (channels are
    averaged to mono), sample_rate an int in Hz. The shipped clip.wav is 16 kHz mono 16-bit.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(
            f"name must be a file name in {DATA_DIR.name}/, e.g. 'clip.wav'; got {name!r}"
        )
    path = DATA_DIR / name
    available = sorted(p.name for p in DATA_DIR.glob("*.wav"))
    if not path.is_file():
        raise ValueError(
            f"no file {name!r} in the course's data/ folder; WAV files there: {available}"
        )
    try:
        with wave.open(str(path), "rb") as f:
            n_channels, width, rate, n = (
                f.getnchannels(),
                f.getsampwidth(),
                f.getframerate(),
                f.getnframes(),
            )
            raw = f.readframes(n)
    except (wave.Error, EOFError) as exc:  # not RIFF/WAVE, not PCM, or cut short
        raise ValueError(
            f"name = {name!r} is not a PCM WAV file load_clip can read ({exc}); WAV files in "
            f"{DATA_DIR.name}/: {available}"
        ) from None
    if n_channels < 1 or rate < 1 or len(raw) < n_channels * width:
        raise ValueError(
            f"name = {name!r} holds no audio ({n} samples, {n_channels} channels, {rate} Hz); "
            f"WAV files in {DATA_DIR.name}/: {available}"
        )
    if width == 1:  # 8-bit WAV is unsigned
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2147483648.0
    else:
        raise ValueError(
            f"{name} uses {8 * width}-bit samples; load_clip reads 8-, 16- or 32-bit PCM WAV"
        )
    signal = data.reshape(-1, n_channels).mean(axis=1)  # (n_samples,)
    return signal, int(rate)


def n_frames(duration_s: float, *, window_ms: float = 25, hop_ms: float = 10) -> int:
    """How many vectors (frames) a clip of `duration_s` seconds becomes: ⌈duration / hop⌉.

    One frame starts every `hop_ms`; frames that run past the end are zero-padded, so the window
    length does not change the count (it changes what each vector sees). 1 s, 10 ms hop → 100.
    """
    duration_s = check_float("duration_s", duration_s, above=0)
    check_float("window_ms", window_ms, above=0)
    hop_ms = check_float("hop_ms", hop_ms, above=0)
    return max(1, math.ceil(duration_s * 1000.0 / hop_ms * (1 - _EPS)))


def frame_starts(n_samples: int, sample_rate: int, *, hop_ms: float = 10.0) -> np.ndarray:
    """Start sample of every frame, shape (n_frames,): round(k · hop · sample_rate) for k = 0 …
    n_frames − 1."""
    hop_ms = check_float("hop_ms", hop_ms, above=0)
    count = n_frames(n_samples / sample_rate, hop_ms=hop_ms)
    return np.round(np.arange(count) * (hop_ms * sample_rate / 1000.0)).astype(np.int64)


def _check_signal(signal, sample_rate) -> tuple[np.ndarray, int]:
    try:
        x = np.asarray(signal)
    except Exception as exc:
        raise ValueError(
            f"signal must be a 1-D array of samples, shape (n_samples,); could not read it ({exc})"
        ) from None
    if x.dtype == bool or not (
        np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.integer)
    ):
        raise ValueError(f"signal must hold real numbers, shape (n_samples,); got dtype {x.dtype}")
    if x.ndim != 1:
        raise ValueError(f"signal must be 1-D, shape (n_samples,) (mono); got shape {x.shape}")
    if x.size == 0:
        raise ValueError("signal is empty, shape (0,); it needs at least one sample")
    x = x.astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(
            f"signal contains NaN or inf (shape {x.shape}); every sample must be finite"
        )
    if (
        isinstance(sample_rate, bool)
        or not isinstance(sample_rate, numbers.Integral)
        or sample_rate < 1
    ):
        raise ValueError(
            "sample_rate must be a positive integer number of samples per second (e.g. 16000); "
            f"got {sample_rate!r}"
        )
    return x, int(sample_rate)


def frame_signal(
    signal, sample_rate: int, *, window_ms: float = 25.0, hop_ms: float = 10.0
) -> np.ndarray:
    """Cut a signal into overlapping frames, one vector per hop: shape (n_frames, window_samples).

    signal (n_samples,); window_samples = round(window_ms · sample_rate / 1000) (400 at 16 kHz,
    25 ms);
    frame k = signal[start_k : start_k + window_samples] with start_k = round(k · hop),
    zero-padded past
    the end; n_frames = n_frames(n_samples / sample_rate, hop_ms=hop_ms) (16000 samples → 100
    frames).
    """
    x, sample_rate = _check_signal(signal, sample_rate)
    window_ms = check_float("window_ms", window_ms, above=0)
    hop_ms = check_float("hop_ms", hop_ms, above=0)
    window = int(round(window_ms * sample_rate / 1000.0))
    if window < 1:
        raise ValueError(
            f"window_ms = {window_ms} is shorter than one sample at {sample_rate} Hz; use at least "
            f"{1000 / sample_rate:.3g} ms"
        )
    if window_ms > MAX_WINDOW_MS:
        raise ValueError(
            f"window_ms = {window_ms:g} is longer than {MAX_WINDOW_MS:g} ms; a frame is a short "
            "slice of speech (the lecture's window is 25 ms)"
        )
    if hop_ms * sample_rate / 1000.0 < 1.0 - _EPS:
        raise ValueError(
            f"hop_ms = {hop_ms:g} is shorter than one sample at {sample_rate} Hz; use at least "
            f"{1000 / sample_rate:.3g} ms (the lecture's hop is 10 ms)"
        )
    count = n_frames(x.size / sample_rate, hop_ms=hop_ms)
    if count * window > MAX_FRAME_VALUES:
        raise ValueError(
            f"window_ms = {window_ms:g} and hop_ms = {hop_ms:g} cut this "
            f"{x.size / sample_rate:.3g} s signal into {count:,} frames of {window:,} samples: "
            f"{count * window:,} numbers, "
            f"more than {MAX_FRAME_VALUES:,}; use a longer hop or a shorter window (or signal)"
        )
    starts = frame_starts(x.size, sample_rate, hop_ms=hop_ms)  # (n_frames,)
    padded = np.zeros(starts[-1] + window)
    padded[: x.size] = x[: padded.size]
    return padded[starts[:, None] + np.arange(window)[None, :]]  # (n_frames, window)


def mel_filterbank(n_mels: int, n_fft: int, sample_rate: int) -> np.ndarray:
    """Triangular filters evenly spaced on the mel scale, shape (n_mels, n_fft // 2 + 1)."""
    if isinstance(n_mels, bool) or not isinstance(n_mels, numbers.Integral) or n_mels < 1:
        raise ValueError(
            f"n_mels must be an integer ≥ 1 (or None for the raw rfft bins); got {n_mels!r}"
        )
    n_bins = n_fft // 2 + 1
    mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)  # noqa: E731
    hz = lambda m: 700.0 * (10.0 ** (m / 2595.0) - 1.0)  # noqa: E731
    edges = hz(np.linspace(0.0, mel(sample_rate / 2.0), n_mels + 2))  # (n_mels + 2,) in Hz
    freqs = np.linspace(0.0, sample_rate / 2.0, n_bins)  # (n_bins,)
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (freqs[None, :] - lo) / np.maximum(mid - lo, 1e-12)
    falling = (hi - freqs[None, :]) / np.maximum(hi - mid, 1e-12)
    return np.clip(np.minimum(rising, falling), 0.0, None)  # (n_mels, n_bins)


def spectrogram(
    signal,
    sample_rate: int,
    *,
    window_ms: float = 25.0,
    hop_ms: float = 10.0,
    n_mels: int | None = None,
) -> np.ndarray:
    """Log-power spectrogram in dB, one row per frame: shape (n_frames, n_bins).

    Each frame (see `frame_signal`) is multiplied by a Hann window and sent through
    `numpy.fft.rfft`;
    the power |X|² gets a floor of 1e-10 before 10·log10, so silence gives −100 dB, never −inf.
    n_bins = window_samples // 2 + 1, or n_mels when `n_mels` is given (triangular mel filters).
    """
    frames = frame_signal(
        signal, sample_rate, window_ms=window_ms, hop_ms=hop_ms
    )  # (n_frames, window)
    window = frames.shape[1]
    power = (
        np.abs(np.fft.rfft(frames * np.hanning(window)[None, :], axis=1)) ** 2
    )  # (n_frames, window // 2 + 1)
    if n_mels is not None:
        power = power @ mel_filterbank(n_mels, window, int(sample_rate)).T  # (n_frames, n_mels)
    return 10.0 * np.log10(power + 1e-10)


FRAMES_PER_SECOND = 100  # a 10 ms hop: 100 feature vectors per second of audio


def random_projections(d_in: int, d_k: int, *, rng: np.random.Generator, dtype=np.float32):
    """Seeded random W_q, W_k, W_v, each (d_in, d_k), scaled by 1/√d_in: untrained stand-ins."""
    d_in = check_int("d_in", d_in, minimum=1)
    d_k = check_int("d_k", d_k, minimum=1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy Generator (np.random.default_rng(seed)); got {type(rng).__name__}"
        )
    scale = 1.0 / np.sqrt(d_in)
    return tuple((rng.standard_normal((d_in, d_k)) * scale).astype(dtype) for _ in range(3))


def frame_features(spec) -> np.ndarray:
    """Spectrogram (n_frames, n_bins) → float32 frames standardised per frequency bin (mean
    0, std 1).

    Each row is one aⁱ, the vector of one 25 ms frame. Standardising keeps random projections of
    loud and quiet bins on the same scale.
    """
    spec = as_float_array("spec", spec, 2, "(n_frames, n_bins)")
    check_nonempty("spec", spec, "(n_frames, n_bins)")
    std = spec.std(axis=0)
    std[std == 0] = 1.0
    return ((spec - spec.mean(axis=0)) / std).astype(np.float32)


def stretch_frames(X, n_frames: int, *, rng: np.random.Generator, noise: float = 0.1) -> np.ndarray:
    """Make a longer "clip" of `n_frames` frames by tiling the frames of X and adding a
    little noise.

    X (n, d) → (n_frames, d), same dtype. Only for measuring cost: the content does not matter to
    the time and memory attention takes, only the length does.
    """
    X = as_float_array("X", X, 2, "(n_frames, d)")
    check_nonempty("X", X, "(n_frames, d)")
    n_frames = check_int("n_frames", n_frames, minimum=1)
    rng = check_rng("rng", rng)
    if (
        isinstance(noise, bool)
        or not isinstance(noise, numbers.Real)
        or not math.isfinite(noise)
        or noise < 0
    ):
        raise ValueError(f"noise must be a finite number ≥ 0 (0.1 by default); got {noise!r}")
    reps = -(-n_frames // X.shape[0])
    long = np.tile(X, (reps, 1))[:n_frames]
    return (long + noise * rng.standard_normal(long.shape)).astype(X.dtype)


# A timed sample runs the function often enough to last at least this long: a 0.1 ms call timed
# once is mostly timer noise and scheduler luck; timed 20 times in a row it is not.
_MIN_SAMPLE_S = 0.002


def measure(
    fn,
    *args,
    repeat: int = 7,
    max_seconds: float = 1.0,
    min_repeat: int = 3,
    blas_threads: int | None = 1,
    **kwargs,
) -> tuple[float, int]:
    """Run fn(*args, **kwargs): its best time per call (s) and the peak memory one call allocates
    (bytes).

    Time: the best of up to `repeat` samples (`time.perf_counter`, garbage collection paused, as
    `timeit` does). A sample runs fn enough times in a row to last ≥ 2 ms and counts the time per
    call. The samples stop early once they have taken `max_seconds` in all, but never before
    `min_repeat` of them (one sample of a slow call is whatever the machine was doing then). The
    best sample, not the mean, is the one another program on the machine disturbed least.
    BLAS (numpy's matrix products) is pinned to `blas_threads` threads while timing (threadpoolctl;
    None: leave it alone): on a busy machine a second BLAS thread waits for a free core, and the
    times jump in steps. Memory: one extra call under tracemalloc, which sees numpy's array
    buffers, so the peak is what the call allocated at its busiest.
    """
    import gc

    from threadpoolctl import threadpool_limits

    if not callable(fn):
        raise ValueError(
            f"fn must be the function to measure (e.g. self_attention); got {type(fn).__name__}"
        )
    repeat = check_int("repeat", repeat, minimum=1)
    min_repeat = min(repeat, check_int("min_repeat", min_repeat, minimum=1))
    if (
        isinstance(max_seconds, bool)
        or not isinstance(max_seconds, numbers.Real)
        or not math.isfinite(max_seconds)
        or max_seconds < 0
    ):
        raise ValueError(f"max_seconds must be a finite number ≥ 0; got {max_seconds!r}")
    if blas_threads is not None:
        blas_threads = check_int("blas_threads", blas_threads, minimum=1)

    def sample(number: int) -> float:
        t0 = time.perf_counter()
        for _repeat in range(number):
            fn(*args, **kwargs)
        return time.perf_counter() - t0

    gc_was_on = gc.isenabled()
    # limits=None leaves the thread pools as they are
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        gc.disable()
        try:
            spent = sample(1)  # the first sample also tells how many calls a sample needs
            best = spent
            number = min(1000, max(1, math.ceil(_MIN_SAMPLE_S / max(spent, 1e-7))))
            for k in range(1, repeat):
                if k >= min_repeat and spent >= max_seconds:
                    break
                took = sample(number)
                best, spent = min(best, took / number), spent + took
        finally:
            if gc_was_on:
                gc.enable()
        was_tracing = tracemalloc.is_tracing()
        if not was_tracing:
            tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            fn(*args, **kwargs)
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            if not was_tracing:
                tracemalloc.stop()
    return best, int(peak)


def _masked_attention(X, W_q, W_k, W_v, *, window: int):
    """Full self-attention with a band mask: the truncated answer, computed the L × L way."""
    return self_attention(X, W_q, W_k, W_v, mask=band_mask(X.shape[0], window))


def _lengths(lengths) -> list[int]:
    """A non-empty list of sequence lengths L, each an integer ≥ 1."""
    wanted = "a list of sequence lengths L (frames), e.g. [100, 1000]"
    if isinstance(lengths, (str, bytes)):
        raise ValueError(f"lengths must be {wanted}; got the string {lengths!r}")
    try:
        lengths = list(lengths)
    except TypeError:
        raise ValueError(f"lengths must be {wanted}; got {lengths!r}") from None
    if not lengths:
        raise ValueError(f"lengths is empty; it must be {wanted}")
    return [check_int("each length L", L, minimum=1) for L in lengths]


def score_counts(L: int, window: int) -> dict:
    """How many attention scores α each method computes for L frames: exact, no machine involved.

    full and masked: L² (every query against every key; the mask only zeroes them afterwards);
    truncated: L·(2·window + 1), the lecture's count of the band (the first and last `window`
    queries have fewer real keys; the band keeps a slot for each, so this is what it stores).
    """
    L = check_int("L", L, minimum=1)
    window = check_int("window", window, minimum=0)
    return {"full": L * L, "masked": L * L, "trunc": L * (2 * window + 1)}


def attention_costs(
    X,
    lengths,
    *,
    window: int,
    d_k: int = 16,
    rng: np.random.Generator,
    repeat: int = 7,
    max_seconds: float = 1.0,
    min_repeat: int = 3,
    masked_up_to: int = 2000,
    blas_threads: int | None = 1,
) -> list[dict]:
    """Time, peak memory and score count of full, masked-full and truncated self-attention at each
    length L.

    X (n, d_in): frame features, stretched to each L with `stretch_frames`. For every L the row
    holds: L, seconds of audio, full_s / full_bytes / full_scores (self_attention, no mask: L × L
    scores), masked_s / masked_bytes / masked_scores (self_attention with band_mask: the same
    answer as truncated, but still L × L; timed only up to `masked_up_to`, else None) and
    trunc_s / trunc_bytes / trunc_scores (truncated_attention: L × (2·window + 1) scores), and
    blas_threads. `repeat`, `max_seconds`, `min_repeat` and `blas_threads` go to `measure`.
    """
    X = as_float_array("X", X, 2, "(n_frames, d_in)")
    check_nonempty("X", X, "(n_frames, d_in)")
    window = check_int("window", window, minimum=0)
    rng = check_rng("rng", rng)
    masked_up_to = check_int("masked_up_to", masked_up_to, minimum=0)
    lengths = _lengths(lengths)
    W_q, W_k, W_v = random_projections(X.shape[1], d_k, rng=rng, dtype=X.dtype)
    timing = dict(
        repeat=repeat, max_seconds=max_seconds, min_repeat=min_repeat, blas_threads=blas_threads
    )
    rows = []
    for L in lengths:
        XL = stretch_frames(X, L, rng=rng)
        full_s, full_b = measure(self_attention, XL, W_q, W_k, W_v, **timing)
        if L <= masked_up_to:
            masked_s, masked_b = measure(
                _masked_attention, XL, W_q, W_k, W_v, window=window, **timing
            )
        else:
            masked_s = masked_b = None
        trunc_s, trunc_b = measure(truncated_attention, XL, W_q, W_k, W_v, window=window, **timing)
        counts = score_counts(L, window)
        rows.append(
            dict(
                L=L,
                seconds=L / FRAMES_PER_SECOND,
                full_s=full_s,
                full_bytes=full_b,
                full_scores=counts["full"],
                masked_s=masked_s,
                masked_bytes=masked_b,
                masked_scores=counts["masked"],
                trunc_s=trunc_s,
                trunc_bytes=trunc_b,
                trunc_scores=counts["trunc"],
                blas_threads=blas_threads,
            )
        )
    return rows


_COST_KEYS = ("L", "seconds", "full_s", "full_bytes", "trunc_s", "trunc_bytes")


def _check_cost_rows(rows) -> list[dict]:
    if isinstance(rows, dict) or not isinstance(rows, (list, tuple)) or not rows:
        raise ValueError(
            "rows must be the non-empty list that attention_costs returns; got "
            f"{type(rows).__name__} {rows!r:.60}"
        )
    for k, r in enumerate(rows):
        missing = [key for key in _COST_KEYS if not isinstance(r, dict) or key not in r]
        if missing:
            raise ValueError(
                f"rows[{k}] must be a row of attention_costs (a dict with {list(_COST_KEYS)}); "
                f"it lacks {missing}"
            )
    return list(rows)


def _audio(seconds: float) -> str:
    """1 → "1 s", 2.5 → "2.5 s": the audio a length stands for, never rounded to whole seconds."""
    return f"{seconds:g} s"


def format_cost_table(rows: list[dict]) -> str:
    """The rows of `attention_costs` as a fixed-width text table (ms and MB)."""
    rows = _check_cost_rows(rows)

    def ms(s):
        return "—" if s is None else f"{1e3 * s:9.2f}"

    def mb(b):
        return "—" if b is None else f"{b / 2**20:9.2f}"

    # the headers as the edition writes them, padded by display width (a CJK character is 2)
    head = (
        f"{'L':>6} {pad(_('audio'), 7, '>')} | {pad(_('full ms'), 9, '>')} "
        f"{pad(_('full MB'), 9, '>')} | {pad(_('masked ms'), 9, '>')} "
        f"{pad(_('masked MB'), 9, '>')} | {pad(_('trunc ms'), 9, '>')} {pad(_('trunc MB'), 9, '>')}"
    )
    lines = [head, "-" * text_width(head)]
    for r in rows:
        lines.append(
            f"{r['L']:>6} {_audio(r['seconds']):>7} | {ms(r['full_s']):>9} "
            f"{mb(r['full_bytes']):>9} | {ms(r.get('masked_s')):>9} {mb(r.get('masked_bytes')):>9} "
            f"| {ms(r['trunc_s']):>9} {mb(r['trunc_bytes']):>9}"
        )
    return "\n".join(lines)


def format_score_table(lengths, window: int) -> str:
    """How many scores full (L²) and truncated (L·(2w + 1)) attention compute at each length, and
    their ratio: exact counts, the same on every machine."""
    lengths = _lengths(lengths)
    window = check_int("window", window, minimum=0)
    head = (
        f"{'L':>6} {pad(_('audio'), 7, '>')} {pad(_('full: L²'), 14, '>')} "
        f"{pad(_('truncated: L·(2w+1)'), 21, '>')} {pad(_('ratio'), 7, '>')}"
    )
    lines = [head, "-" * text_width(head)]
    for L in lengths:
        c = score_counts(L, window)
        lines.append(
            f"{L:>6} {_audio(L / FRAMES_PER_SECOND):>7} {c['full']:>14,} {c['trunc']:>21,} "
            f"{c['full'] / c['trunc']:>7.1f}"
        )
    return "\n".join(lines)


def plot_attention_costs(rows: list[dict], *, window: int):
    """Three log–log panels over L for the rows of `attention_costs`: the scores each method
    computes (exact), the measured time, the measured peak memory; dotted guides ∝ L² and ∝ L
    through the middle of the points. Returns the Figure."""
    from .plots import new_figure

    rows = _check_cost_rows(rows)
    window = check_int("window", window, minimum=0)
    Ls = np.array([r["L"] for r in rows], dtype=float)
    fig = new_figure((11.0, 3.8))
    ax_n, ax_t, ax_m = fig.subplots(1, 3)
    methods = [
        ("full", _("full (L × L)"), "o-"),
        ("masked", _("masked full"), "s--"),
        ("trunc", _("truncated (w = {window})").format(window=window), "^-"),
    ]
    for key, label, style in methods:
        counts = [score_counts(int(L), window)[key] for L in Ls]
        ax_n.loglog(Ls, counts, style, label=label)
        for ax, unit, scale in ((ax_t, "_s", 1e3), (ax_m, "_bytes", 1 / 2**20)):
            pts = [(r["L"], r.get(key + unit)) for r in rows if r.get(key + unit) is not None]
            if pts:
                x, y = np.array(pts, dtype=float).T
                ax.loglog(x, scale * y, style, label=label)

    def guide(key: str, power: int, scale: float) -> np.ndarray:
        """c · L^power through the middle of the measured points (the median of y / L^power), so
        one disturbed point does not tilt the guide."""
        c = np.median([scale * r[key] / r["L"] ** power for r in rows])
        return c * Ls**power

    for ax, y_full, y_trunc in (
        (ax_n, Ls**2, Ls * (2 * window + 1)),
        (ax_t, guide("full_s", 2, 1e3), guide("trunc_s", 1, 1e3)),
        (ax_m, guide("full_bytes", 2, 1 / 2**20), guide("trunc_bytes", 1, 1 / 2**20)),
    ):
        ax.loglog(Ls, y_full, ":", color="0.45", label="∝ L²")
        ax.loglog(Ls, y_trunc, ":", color="0.1", label="∝ L")
        ax.set_xlabel(_("L (frames; 100 = 1 s)"), fontsize=10)
        ax.tick_params(labelsize=9)
        ax.grid(True, which="major", color="0.9")
    threads = rows[-1].get("blas_threads")
    if threads:
        pinned = ngettext("BLAS on {n} thread", "BLAS on {n} threads", threads).format(n=threads)
    else:
        pinned = _("BLAS as set")
    ax_n.set_title(_("scores computed (exact count)"), fontsize=11)
    ax_t.set_title(_("time, best of several runs ({pinned})").format(pinned=pinned), fontsize=11)
    ax_m.set_title(_("peak memory (measured)"), fontsize=11)
    ax_n.set_ylabel(_("attention scores α"), fontsize=10)
    ax_t.set_ylabel(_("time (ms)"), fontsize=10)
    ax_m.set_ylabel(_("peak memory (MB)"), fontsize=10)
    ax_n.legend(fontsize=9, loc="upper left")
    return fig


@lru_cache(maxsize=2)
def _speech_features(n_mels: int) -> tuple[np.ndarray, np.ndarray]:
    signal, sr = load_clip()
    spec = spectrogram(signal, sr, n_mels=n_mels)  # (n_frames, n_mels): 25 ms windows, 10 ms hop
    return spec, frame_features(spec)


def speech_features(n_mels: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """The course clip as (log-mel spectrogram in dB (n_frames, n_mels), standardised float32
    features aⁱ). Cached: every call gets the same two arrays, so do not change them in place."""
    n_mels = check_int("n_mels", n_mels, minimum=1)
    return _speech_features(n_mels)
