"""Lesson 01: `SentenceVectorsExplorer` (type a sentence → its vectors a¹…aⁿ, one-hot and embedding)
and `AudioFramesExplorer` (window / hop sliders over the spoken clip → frames and their count).

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import math
import numbers

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .. import data, plots, speech
from ..explorer import Explorer, ExplorerMessage
from ..language import _
from ..plots import display_label, label_fonts


class SentenceVectorsExplorer(Explorer):
    """A sentence → tokens → vectors: one-hot rows (n, V) beside word-embedding rows (n, d).

    Row i is aⁱ (a¹ is the first token); vocabulary positions count from 1, as the figure says."""

    figsize = (9.0, 5.0)  # tall enough for 24 labelled rows at 90 dpi
    layout_controls = frozenset({"sentence"})  # new tokens: new labels and panel sizes

    def __init__(self, sentence: str = "I saw a saw.") -> None:
        if not isinstance(sentence, str):
            raise ValueError(
                _(
                    "sentence must be a str, e.g. 'I saw a saw.'; got {kind} {sentence!r:.40}"
                ).format(kind=type(sentence).__name__, sentence=sentence)
            )
        self.vocab = data.load_word_vectors()[0]
        self.controls = {
            "sentence": widgets.Text(
                value=sentence,
                description=_("sentence"),
                continuous_update=True,
                layout=widgets.Layout(width="420px"),
            ),
        }
        super().__init__()

    def compute(self, sentence: str) -> dict:
        """tokens (n,), one_hot (n, V), embedding (n, d), unknown (n,) bool: token not in the
        vocabulary."""
        tokens = data.tokenize(sentence)
        if not tokens:
            raise ExplorerMessage(_("Type a sentence (at least one word) to see its vectors."))
        shown = tokens[: data.MAX_TOKENS]
        vocab_set = set(self.vocab)
        return {
            "tokens": shown,
            "n_tokens": len(tokens),
            "one_hot": data.one_hot(shown, self.vocab),  # (n, V)
            "embedding": data.embed(shown),  # (n, d)
            "unknown": np.array([t not in vocab_set for t in shown]),
        }

    def _titles(self, state):
        n, V, d = state["n_tokens"], state["one_hot"].shape[1], state["embedding"].shape[1]
        if n == len(state["tokens"]):
            title = _("{n} tokens → {n} vectors a¹…aⁿ").format(n=n)
        else:
            title = _("{n} tokens → {n} vectors a¹…aⁿ (first {shown} shown)").format(
                n=n, shown=len(state["tokens"])
            )
        return (
            title,
            _("one-hot: {V} numbers each, one per vocabulary word").format(V=V),
            _("embedding: {d} numbers").format(d=d),
        )

    def draw(self, fig, state) -> None:
        gs = fig.add_gridspec(
            1, 2, width_ratios=[3.0, 1.0], left=0.14, right=0.98, top=0.85, bottom=0.11, wspace=0.2
        )
        self.ax_hot = fig.add_subplot(gs[0])
        self.ax_emb = fig.add_subplot(gs[1])
        self.im_hot = self.ax_hot.imshow(
            state["one_hot"], cmap="Greys", vmin=0, vmax=1, aspect="auto", interpolation="nearest"
        )
        self.im_emb = self.ax_emb.imshow(
            state["embedding"],
            cmap="RdBu_r",
            vmin=-2,
            vmax=2,
            aspect="auto",
            interpolation="nearest",
        )
        d, V = state["embedding"].shape[1], state["one_hot"].shape[1]
        self.ax_emb.set_xticks(range(d), [str(i + 1) for i in range(d)], fontsize=9)
        self.ax_emb.set_xlabel(_("dimension"), fontsize=10)
        self.ax_hot.set_xticks([0, V - 1], ["1", str(V)], fontsize=9)
        self.ax_hot.set_xlabel(
            _("position in the vocabulary (the 1 sits at the word's own column)"), fontsize=10
        )
        title, t_hot, t_emb = self._titles(state)
        self.suptitle = fig.suptitle(title, fontsize=12)
        self.ax_hot.set_title(t_hot, fontsize=10.5)
        self.ax_emb.set_title(t_emb, fontsize=10.5)
        self.word_texts: list = []
        self._label(state)

    def _label(self, state) -> None:
        tokens, n = state["tokens"], len(state["tokens"])
        V = state["one_hot"].shape[1]
        fonts = label_fonts()
        size = float(np.clip(200 / max(n, 1), 8, 10))  # 24 rows: 8.3 pt, each row 12 px
        self.ax_hot.set_yticks(
            range(n), [display_label(t) for t in tokens], fontsize=size, fontfamily=fonts
        )
        self.ax_emb.set_yticks(
            range(n), [f"a{plots.superscript(i + 1)}" for i in range(n)], fontsize=size
        )
        for ax in (self.ax_hot, self.ax_emb):
            ax.tick_params(axis="y", length=0)
        for t in self.word_texts:
            t.remove()
        self.word_texts = []
        for i, (row, unknown) in enumerate(zip(state["one_hot"], state["unknown"], strict=True)):
            if unknown:
                x, text, ha = (
                    V / 2,
                    _("unknown word: all zeros (and a made-up embedding)"),
                    "center",
                )
            else:
                j = int(row.argmax())
                x, ha = (j + 1.2, "left") if j < V * 0.6 else (j - 1.2, "right")
                text = _("{word}: a 1 at position {position}").format(
                    word=display_label(self.vocab[j]), position=j + 1
                )
            self.word_texts.append(
                self.ax_hot.text(
                    x,
                    i,
                    text,
                    ha=ha,
                    va="center",
                    fontsize=min(size, 9),
                    color=plots.BLUE,
                    fontfamily=fonts,
                )
            )

    def background_key(self):
        """The whole figure follows the sentence: one seen before is pasted from its saved
        pixels."""
        return tuple(self._state["tokens"])

    def update(self, state):
        n, V = state["one_hot"].shape
        d = state["embedding"].shape[1]
        self.im_hot.set_data(state["one_hot"])
        self.im_hot.set_extent((-0.5, V - 0.5, n - 0.5, -0.5))
        self.im_emb.set_data(state["embedding"])
        self.im_emb.set_extent((-0.5, d - 0.5, n - 0.5, -0.5))
        title, t_hot, t_emb = self._titles(state)
        self.suptitle.set_text(title)
        self._label(state)
        return None  # the token labels changed: full redraw


class AudioFramesExplorer(Explorer):
    """The spoken clip cut into frames: window / hop sliders → the frames over a zoomed waveform and
    the spectrogram, one column (one vector of 40 mel bands) per frame, with the count of
    vectors."""

    figsize = (8.6, 5.0)
    # every window and hop has its spectrogram and frame count: got ready while the learner reads
    prepare_controls = frozenset({"window_ms", "hop_ms"})
    zoom = (
        0.60,
        0.78,
    )  # seconds of the clip shown in the waveform panel (inside the word "attention")
    max_levels = 8  # rows used to draw overlapping frames without hiding each other
    # spectrograms kept (0.1–0.25 MB each): dragging back over values seen before reuses them;
    # enough for every window and every hop around the values on show (56 + 46, `prepare()`)
    spectrograms_kept = 128

    def __init__(self, clip: str = "clip.wav") -> None:
        self.signal, self.sample_rate = speech.load_clip(clip)
        self.duration = self.signal.size / self.sample_rate
        self._spectrograms: dict = {}  # (window_ms, hop_ms) → (n_frames, 40), the newest last
        self.controls = {
            "window_ms": widgets.FloatSlider(
                value=25.0,
                min=5.0,
                max=60.0,
                step=1.0,
                description=_("window (ms)"),
                continuous_update=True,
                readout_format=".0f",
            ),
            "hop_ms": widgets.FloatSlider(
                value=10.0,
                min=5.0,
                max=50.0,
                step=1.0,
                description=_("hop (ms)"),
                continuous_update=True,
                readout_format=".0f",
            ),
        }
        super().__init__()

    def compute(self, window_ms: float, hop_ms: float) -> dict:
        """Frames (start, end in s) inside the zoom, the (n_frames, 40) log-mel spectrogram, the
        counts."""
        for name, value in (("window_ms", window_ms), ("hop_ms", hop_ms)):
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not math.isfinite(value)
                or value <= 0
            ):
                raise ValueError(
                    _("{name} must be a finite number of milliseconds > 0; got {value!r}").format(
                        name=name, value=value
                    )
                )
        sr = self.sample_rate
        starts = (
            speech.frame_starts(self.signal.size, sr, hop_ms=hop_ms) / sr
        )  # (n_frames,) seconds
        window_s = round(window_ms * sr / 1000) / sr
        spec = self._spectrogram(float(window_ms), float(hop_ms))  # (n_frames, 40)
        t0, t1 = self.zoom
        visible = np.flatnonzero((starts < t1) & (starts + window_s > t0))
        return {
            "n_frames": int(starts.size),
            "per_second": speech.n_frames(1.0, window_ms=window_ms, hop_ms=hop_ms),
            "window_samples": round(window_ms * sr / 1000),
            "hop_samples": hop_ms * sr / 1000,
            "frames": np.stack(
                [starts[visible], starts[visible] + window_s], axis=1
            ),  # (k, 2) seconds
            "frame_index": visible,
            "spec": spec,
            "window_ms": window_ms,
            "hop_ms": hop_ms,
        }

    def _spectrogram(self, window_ms: float, hop_ms: float) -> np.ndarray:
        """The clip's (n_frames, 40) log-mel spectrogram for these settings (read-only), kept for
        the last `spectrograms_kept` settings."""
        key = (window_ms, hop_ms)
        spec = self._spectrograms.pop(key, None)
        if spec is None:
            spec = speech.spectrogram(
                self.signal, self.sample_rate, window_ms=window_ms, hop_ms=hop_ms, n_mels=40
            )
            spec.flags.writeable = False  # shared by the states that show these settings
            while len(self._spectrograms) >= self.spectrograms_kept:
                self._spectrograms.pop(next(iter(self._spectrograms)))  # the oldest first
        self._spectrograms[key] = spec
        return spec

    def _segments(self, state) -> tuple[np.ndarray, np.ndarray]:
        levels = int(min(self.max_levels, max(1, np.ceil(state["window_ms"] / state["hop_ms"]))))
        k = state["frame_index"] % levels
        y = -1.15 - k * (1.2 / self.max_levels)
        segs = np.stack(
            [np.stack([state["frames"][:, 0], y], 1), np.stack([state["frames"][:, 1], y], 1)],
            axis=1,
        )
        return segs, state["frame_index"] % 2

    def _headline(self, state) -> str:
        return _(
            "{duration:.2f} s of speech → {n_frames} vectors   (window {window_ms:.0f} ms = "
            "{window_samples} samples, hop {hop_ms:.0f} ms: 1 s → {per_second} vectors)"
        ).format(
            duration=self.duration,
            n_frames=state["n_frames"],
            window_ms=state["window_ms"],
            window_samples=state["window_samples"],
            hop_ms=state["hop_ms"],
            per_second=state["per_second"],
        )

    def draw(self, fig, state) -> None:
        gs = fig.add_gridspec(
            2, 1, height_ratios=[1.2, 1.0], left=0.08, right=0.98, top=0.88, bottom=0.1, hspace=0.5
        )
        ax_w, ax_s = fig.add_subplot(gs[0]), fig.add_subplot(gs[1])
        sr = self.sample_rate
        t0, t1 = self.zoom
        i0, i1 = int(t0 * sr), int(t1 * sr)
        piece = self.signal[i0:i1]
        t = np.arange(i0, i1) / sr
        ax_w.plot(t, piece / max(np.abs(piece).max(), 1e-12), color="0.3", linewidth=0.6)
        segs, parity = self._segments(state)
        self.frames = LineCollection(
            segs,
            colors=np.where(
                parity[:, None] == 0, [[0.0, 0.447, 0.698, 1.0]], [[0.835, 0.369, 0.0, 1.0]]
            ),
            linewidths=3.0,
        )
        ax_w.add_collection(self.frames)
        ax_w.set_xlim(t0, t1)
        ax_w.set_ylim(-1.15 - 1.3, 1.05)
        ax_w.set_yticks([])
        ax_w.set_xlabel(_("time (s), a zoom into the clip"), fontsize=10)
        ax_w.set_title(
            _("waveform, and below it every frame (window) as a bar; one frame starts every hop"),
            fontsize=10.5,
        )
        spec = state["spec"]
        vmax = float(spec.max())
        self.image = ax_s.imshow(
            spec.T,
            origin="lower",
            aspect="auto",
            cmap="magma",
            vmin=vmax - 60,
            vmax=vmax,
            extent=(0, spec.shape[0] * state["hop_ms"] / 1000, 0, spec.shape[1]),
            interpolation="nearest",
        )
        ax_s.add_patch(
            Rectangle(
                (t0, 0), t1 - t0, spec.shape[1], fill=False, edgecolor=plots.SKY, linewidth=1.5
            )
        )
        ax_s.set_xlim(0, self.duration)
        ax_s.set_xlabel(_("time (s): each column is one vector aⁱ"), fontsize=10)
        ax_s.set_ylabel(_("mel band"), fontsize=10)
        ax_s.set_title(_("spectrogram of the whole clip (40 numbers per frame)"), fontsize=10.5)
        for ax in (ax_w, ax_s):
            ax.tick_params(labelsize=9)
        self.headline = fig.text(
            0.5, 0.965, self._headline(state), ha="center", va="center", fontsize=11
        )

    def update(self, state) -> list:
        segs, parity = self._segments(state)
        self.frames.set_segments(segs)
        self.frames.set_color(
            np.where(parity[:, None] == 0, [[0.0, 0.447, 0.698, 1.0]], [[0.835, 0.369, 0.0, 1.0]])
        )
        spec = state["spec"]
        self.image.set_data(spec.T)
        self.image.set_extent((0, spec.shape[0] * state["hop_ms"] / 1000, 0, spec.shape[1]))
        self.headline.set_text(self._headline(state))
        return [self.frames, self.image, self.headline]
