"""Benchmark every control of every explorer: `python -m benchmarks.explorers [NAME ...]`.

For each explorer class in `helpers/explorers/*.py`, built as its lesson builds it, each control
is moved as a learner moves it (a slider dragged one step at a time to new values, then back to
where it started; a dropdown twice through its options; a text box through example sentences),
and the time from the new value to the frame ready to send is measured in this (kernel-like)
process: the observer, `compute`, `update`, the blit and ipympl's frame encoding
(`get_diff_image`, inside `canvas.blit`), as with a frontend attached. Each line gives the
median and p90 over the moves, how many of them needed a full draw of the figure, and a full
redraw (`Explorer.redraw()`: no saved background) measured in the same run, so the speed-up is
fair on a shared, noisy machine.

An explorer shown in a page gets moves ready while the learner reads (`Explorer.prepare`: its
layout controls' other options and its `prepare_controls`' other values, run by itself
`prepare_delay` seconds after the last move):
here `prepare()` runs before each control's moves (the learner pauses between controls, not
between the moves of one), and its time is the "ready" column (ms, not part of any move).
`--cold` leaves it out: every first visit is then built and drawn during the move.

Controls listed in an explorer's `layout_controls` (say, the sentence: new tokens mean new tick
labels and panel sizes) may need a full draw; the targets (≤ 10 ms median, ≤ 25 ms p90) apply to
every control, and a full draw on a data-only control is reported as such ("FULL DRAW").
Nothing is asserted; the exit status is 1 when a target is missed. BLAS settings are left as
they are (the maths here is tiny). The last line names the slowest control of the course.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import statistics
import sys
import time
import warnings

import ipywidgets as widgets
import numpy as np

import helpers.explorers
from helpers import data
from helpers.explorer import Explorer, ExplorerMessage, option_values

TARGET_MEDIAN_MS = 10.0
TARGET_P90_MS = 25.0
SLIDER_MOVES = 24
OPTION_ROUNDS = 2
FULL_REPEATS = 5


def _window_results():
    from helpers.taggers import window_sweep

    rng = np.random.default_rng(0)
    return window_sweep([1, 3, 5, 7, 9], [1, 2, 3, 4], rng=rng)


# How each lesson builds its explorers (the notebooks' own arguments).
def _factories() -> dict:
    from helpers.explorers.attention import AttentionExplorer, HeatmapExplorer
    from helpers.explorers.model_view import ModelViewExplorer
    from helpers.explorers.multihead import MultiHeadExplorer
    from helpers.explorers.patches import PatchExplorer, ReceptiveFieldExplorer
    from helpers.explorers.positional import OrderExplorer, SinusoidExplorer
    from helpers.explorers.scores import ScoreToyExplorer
    from helpers.explorers.softmax import SoftmaxExplorer
    from helpers.explorers.three_ways import ThreeWaysExplorer
    from helpers.explorers.truncation import TruncationExplorer
    from helpers.explorers.vectors import AudioFramesExplorer, SentenceVectorsExplorer
    from helpers.explorers.weighted_sum import WeightedSumExplorer
    from helpers.explorers.windows import WindowExplorer

    def heatmap():
        rng = np.random.default_rng(0)
        return HeatmapExplorer(rng.normal(0.0, 2.0, size=(5, 5)), ["I", "saw", "a", "saw", "."])

    return {
        "HeatmapExplorer": heatmap,  # lesson 00
        "AttentionExplorer": AttentionExplorer,  # lesson 00 (and 03)
        "SentenceVectorsExplorer": lambda: SentenceVectorsExplorer("I saw a saw."),  # 01
        "AudioFramesExplorer": AudioFramesExplorer,  # 01
        "WindowExplorer": lambda: WindowExplorer(_window_results(), width=5, cue_distance=3),
        "ScoreToyExplorer": lambda: ScoreToyExplorer(q_angle=225, k_angle=225),  # 03
        "SoftmaxExplorer": SoftmaxExplorer,  # 04
        "WeightedSumExplorer": WeightedSumExplorer,  # 05
        "MultiHeadExplorer": lambda: MultiHeadExplorer(n_heads=2),  # 06
        "OrderExplorer": lambda: OrderExplorer(shuffle=1, positions=False),  # 07
        "SinusoidExplorer": lambda: SinusoidExplorer(d_model=32, position=10),  # 07
        "TruncationExplorer": lambda: TruncationExplorer(window=20),  # 08
        "PatchExplorer": lambda: PatchExplorer(patch=12, pick_x=40, pick_y=36),  # 09
        "ReceptiveFieldExplorer": lambda: ReceptiveFieldExplorer(kernel=3, pixel=14),  # 09
        "ThreeWaysExplorer": lambda: ThreeWaysExplorer(query=7, layers=1),  # 10
        "ModelViewExplorer": ModelViewExplorer,  # 11
    }


def explorer_classes() -> list[str]:
    """Every Explorer subclass defined in helpers/explorers/*.py."""
    names = []
    for info in pkgutil.iter_modules(helpers.explorers.__path__):
        mod = importlib.import_module(f"helpers.explorers.{info.name}")
        for name, obj in vars(mod).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Explorer)
                and obj.__module__ == mod.__name__
            ):
                names.append(name)
    return sorted(set(names))


def _sentences() -> list[str]:
    """Example sentences a learner might type (short enough to draw; the course's own list)."""
    out = []
    for s in data.load_sentences():
        text = s.get("text") or s.get("sentence") or ""
        if text and 3 <= len(data.tokenize(text)) <= 12 and text not in out:
            out.append(text)
    return out[:6] or ["I saw a saw", "the cat sat on the mat"]


def move_values(control) -> list:
    """The values one control takes, in order, ending on its starting value."""
    start = control.value
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [not start, start] * 6
    options = option_values(control)
    if options is not None:
        if isinstance(control, widgets.SelectionSlider):  # dragged: neighbours, up and back
            i = options.index(start)
            return _walk(i, 0, len(options) - 1, 1, lambda k: options[int(k)])
        # every move a change: the other options, then back to the start, `OPTION_ROUNDS` times
        return ([o for o in options if o != start] + [start]) * OPTION_ROUNDS
    if isinstance(control, (widgets.Text, widgets.Textarea)):
        return [s for s in _sentences() if s != start] + [start]
    if isinstance(control, widgets.FloatLogSlider):
        e = float(np.log(start) / np.log(control.base))
        return _walk(e, control.min, control.max, control.step, lambda x: control.base**x)
    if hasattr(control, "min") and hasattr(control, "max") and hasattr(control, "step"):
        cast = int if isinstance(start, (int, np.integer)) else float
        return _walk(start, control.min, control.max, control.step, cast)
    raise TypeError(f"no moves for a {type(control).__name__}")


def _walk(start, lo, hi, step, make) -> list:
    """A drag: one step at a time away from `start` towards the roomier end, every value new (no
    pixel cache can help), then back to `start` in one jump."""
    direction = 1 if (hi - start) >= (start - lo) else -1
    path = []
    for k in range(1, SLIDER_MOVES + 1):
        v = start + direction * k * step
        if not lo <= v <= hi:
            break
        path.append(v)
    return [make(round(v, 10)) for v in path + [start]]


def _time(func) -> float:
    t0 = time.perf_counter()
    func()
    return (time.perf_counter() - t0) * 1e3


def percentile(values, q: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def bench_explorer(name: str, make, *, prepare: bool = True) -> list[dict]:
    ex = make()
    try:
        ex.canvas.syncing_data_url = False  # what ipympl does once a frontend says "initialized"
        frames, draws = [], [0]
        send = ex.canvas.send_binary
        ex.canvas.send_binary = lambda data: (frames.append(len(data)), send(data))[1]
        ex.canvas.mpl_connect("draw_event", lambda event: draws.__setitem__(0, draws[0] + 1))
        ex.redraw()
        full = statistics.median(_time(ex.redraw) for _ in range(FULL_REPEATS))
        layout = getattr(type(ex), "layout_controls", frozenset())
        rows = []
        for cname, control in ex.controls.items():
            ready = _time(ex.prepare) if prepare else 0.0  # the learner's pause before it
            values = move_values(control)
            times, full_draws, n_frames = [], 0, len(frames)
            for v in values:
                before = draws[0]
                times.append(_time(lambda v=v, c=cname: _set(ex, c, v)))
                full_draws += draws[0] > before
            rows.append(
                {
                    "explorer": name,
                    "control": cname,
                    "moves": len(values),
                    "median": statistics.median(times),
                    "p90": percentile(times, 90),
                    "full_draws": full_draws,
                    "layout": cname in layout,
                    "frame_kib": statistics.median(frames[n_frames:]) / 1024
                    if len(frames) > n_frames
                    else 0.0,
                    "full": full,
                    "ready": ready,
                }
            )
        return rows
    finally:
        ex.close()


def _set(ex, name, value) -> None:
    try:
        ex.set(**{name: value})
    except ExplorerMessage:
        pass


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")
    factories = _factories()
    missing = sorted(set(explorer_classes()) - set(factories))
    if missing:
        print(f"explorer classes with no factory here: {missing}")
        return 2
    cold = "--cold" in argv
    chosen = [a for a in argv if a != "--cold"] or list(factories)
    print(
        "Explorer controls: new value → frame ready to send, in this process (ms over the moves; "
        "'full' = Explorer.redraw(), same run; 'ready' = prepare() before the control's moves"
        + (", left out: --cold)" if cold else ")")
    )
    head = (
        f"{'explorer.control':<42} {'moves':>5} {'median':>7} {'p90':>7} {'full':>7} "
        f"{'speed-up':>8} {'draws':>5} {'ready':>6} {'frame':>8}  kind"
    )
    print(head)
    rows = []
    for name in chosen:
        for r in bench_explorer(name, factories[name], prepare=not cold):
            rows.append(r)
            ok = r["median"] <= TARGET_MEDIAN_MS and r["p90"] <= TARGET_P90_MS
            kind = "layout" if r["layout"] else "data"
            if r["full_draws"] and not r["layout"]:
                kind += ", FULL DRAW"
            print(
                f"{name + '.' + r['control']:<42} {r['moves']:>5} {r['median']:>7.1f} "
                f"{r['p90']:>7.1f} {r['full']:>7.1f} {r['full'] / r['median']:>7.1f}× "
                f"{r['full_draws']:>5} {r['ready']:>6.0f} {r['frame_kib']:>6.1f}Ki  {kind}"
                f"{'' if ok else '  MISSED'}",
                flush=True,
            )
    data_rows = [r for r in rows if not r["layout"]]
    missed = [r for r in rows if r["median"] > TARGET_MEDIAN_MS or r["p90"] > TARGET_P90_MS]
    redraws = [r for r in data_rows if r["full_draws"]]
    print(
        f"targets ≤ {TARGET_MEDIAN_MS:.0f} ms median, ≤ {TARGET_P90_MS:.0f} ms p90 per control: "
        f"{len(rows) - len(missed)}/{len(rows)} met; data-only controls with a full draw: "
        f"{len(redraws)}"
    )
    for group, label in ((data_rows, "data-only"), ([r for r in rows if r["layout"]], "layout")):
        if group:
            s = max(group, key=lambda r: (r["median"], r["p90"]))
            print(
                f"slowest {label} control: {s['explorer']}.{s['control']} median "
                f"{s['median']:.1f} ms, p90 {s['p90']:.1f} ms"
            )
    s = max(rows, key=lambda r: (r["median"], r["p90"]))
    print(
        f"slowest explorer: {s['explorer']}.{s['control']} median {s['median']:.1f} ms, "
        f"p90 {s['p90']:.1f} ms; {s['full'] / s['median']:.1f}× faster than a full redraw"
    )
    return 1 if missed or redraws else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
