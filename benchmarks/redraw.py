"""Benchmark the explorers' redraw: `python -m benchmarks.redraw` (or `python course.py bench`).

Measures, in this (kernel-like) process, the median time from a control's new value to an updated
frame ready to send to the browser, for a labelled α′ heatmap of 16 and of 64 tokens:

  blit   the course's route: `HeatmapExplorer` on an ipympl canvas; the slider's observer recomputes
         α′, `set_data`, restores the saved background, redraws the image, and ipympl's canvas
         produces the diff PNG it sends (`get_diff_image`, inside `canvas.blit`), as with a
         frontend attached.
  full   the same persistent figure, but a full `canvas.draw()` per move (no blitting).
  naive  `ipywidgets.interactive_output` redrawing a new pyplot figure per move and rendering it
         to PNG as the inline backend does (`print_figure(fig, "png", bbox_inches="tight")`).

All three run in the same process, so the speed-ups are fair on a shared, noisy machine; absolute
times are not asserted anywhere. BLAS settings are left as they are (the maths here is tiny).
The last line gives the 16-token figures and the speed-up.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time

import matplotlib

matplotlib.use(
    "Agg"
)  # the naive route's pyplot figures; the explorer's canvas is ipympl's regardless

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from helpers import plots  # noqa: E402
from helpers.attention import softmax  # noqa: E402
from helpers.explorers import HeatmapExplorer  # noqa: E402

TARGET_MS = {16: 10.0, 64: 40.0}
TARGET_SPEEDUP_16 = 8.0
MOVES = 60


def slider_values(moves: int) -> list[float]:
    """A learner dragging the temperature slider back and forth (0.1 steps, never the same value
    twice in a row)."""
    up = [round(0.5 + 0.1 * i, 1) for i in range(20)]
    path = up + up[::-1][1:-1]
    return [path[i % len(path)] for i in range(moves)]


def time_moves(set_value, values) -> float:
    """Median ms from a new control value to a frame ready to send (after 3 warm-up moves)."""
    for v in values[:3]:
        set_value(v + 0.05)
    times = []
    for v in values:
        t0 = time.perf_counter()
        set_value(v)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def problem(n: int):
    rng = np.random.default_rng(n)
    scores = rng.standard_normal((n, n)) * 2.0  # α (n, n)
    tokens = [f"tok{i:02d}" for i in range(n)]
    return scores, tokens


def bench_blit(n: int, values) -> tuple[float, int]:
    scores, tokens = problem(n)
    ex = HeatmapExplorer(scores, tokens, annotate=False)
    ex.canvas.syncing_data_url = False  # what ipympl does once a frontend says "initialized"
    frames = []
    orig = ex.canvas.send_binary
    ex.canvas.send_binary = lambda data: (frames.append(len(data)), orig(data))[1]
    ms = time_moves(lambda v: ex.set(temperature=v), values)
    assert frames, "the canvas sent no frame"
    return ms, int(statistics.median(frames))


class _FullDraw(HeatmapExplorer):
    def update(self, state):
        self.view.update(state["alpha_prime"])
        return None  # ask for a full redraw every time


def bench_full(n: int, values) -> float:
    scores, tokens = problem(n)
    ex = _FullDraw(scores, tokens, annotate=False)
    ex.canvas.syncing_data_url = False
    return time_moves(lambda v: ex.set(temperature=v), values)


def bench_naive(n: int, values) -> float:
    scores, tokens = problem(n)
    figsize = HeatmapExplorer(scores, tokens, annotate=False).figsize
    slider = widgets.FloatSlider(value=1.0, min=0.1, max=5.0, step=0.05)
    pngs = []

    def show(temperature):
        fig, ax = plt.subplots(figsize=figsize, dpi=80, layout="constrained")
        plots.attention_heatmap(
            softmax(scores / temperature),
            tokens,
            ax=ax,
            annotate=False,
            title="α′ = softmax(α / temperature)",
        )
        pngs.append(
            print_figure(fig, "png", bbox_inches="tight")
        )  # what the inline backend's show() renders
        plt.close(fig)

    def set_value(v):
        slider.value = v

    # without a kernel, the Output's clear_output(wait=True) writes terminal escapes: keep
    # them off the report
    with contextlib.redirect_stdout(io.StringIO()):
        out = widgets.interactive_output(show, {"temperature": slider})
        assert out is not None
        ms = time_moves(set_value, values)
    assert pngs, "the naive route rendered nothing"
    return ms


def main() -> int:
    values = slider_values(MOVES)
    print(
        f"Redraw of a labelled α′ heatmap after a slider move (median of {MOVES} moves, ms; same "
        "process)"
    )
    print(
        f"{'tokens':>6}  {'blit (ours)':>11}  {'full draw':>9}  {'naive':>8}  {'speed-up':>8}  "
        "frame"
    )
    results = {}
    for n in (16, 64):
        blit, frame = bench_blit(n, values)
        full = bench_full(n, values[: MOVES // 2])
        naive = bench_naive(n, values[: MOVES // 2])
        results[n] = (blit, naive)
        print(
            f"{n:>6}  {blit:>11.1f}  {full:>9.1f}  {naive:>8.1f}  {naive / blit:>7.1f}×  "
            f"{frame / 1024:.1f} KiB"
        )
    ok = True
    for n, (blit, _) in results.items():
        status = "ok" if blit <= TARGET_MS[n] else "MISSED"
        ok &= blit <= TARGET_MS[n]
        print(f"target {n} tokens: ≤ {TARGET_MS[n]:.0f} ms median → {blit:.1f} ms ({status})")
    blit16, naive16 = results[16]
    speedup = naive16 / blit16
    ok &= speedup >= TARGET_SPEEDUP_16
    print(
        f"target 16 tokens: ≥ {TARGET_SPEEDUP_16:.0f}× faster than naive → {speedup:.1f}× "
        f"({'ok' if speedup >= TARGET_SPEEDUP_16 else 'MISSED'})"
    )
    print(
        f"16 tokens: {blit16:.1f} ms median per slider move (blit) vs {naive16:.1f} ms (naive "
        "interactive_output + "
        f"inline PNG): {speedup:.1f}× faster"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
