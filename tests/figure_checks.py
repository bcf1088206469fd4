"""Checks on what a learner sees of an explorer's figure, for any `helpers.explorer.Explorer`:

    from tests.figure_checks import assert_history_free, assert_readable

- `assert_readable(explorer)`: every text on the figure (titles, axis labels, tick labels,
  legends) is at least `min_px` pixels high at the figure's stored size, lies inside the figure
  (nothing clipped), and overlaps no other text.
- `assert_history_free(make, a, b)`: the canvas and the stored PNG show exactly the same pixels
  for the control values `a` in a fresh explorer and after `b` (or each of a list of views) came
  before (no layout or cache that drifts with history).
"""

from __future__ import annotations

import numpy as np

from tests.sweep import canvas_rgba

__all__ = [
    "text_boxes",
    "readability_problems",
    "assert_readable",
    "assert_history_free",
]


def text_boxes(fig) -> list[tuple[str, object, object]]:
    """(description, text artist, window bbox) of every visible, non-empty text outside the plot
    area: figure texts, titles, axis labels, tick labels inside the view, legend entries."""
    renderer = fig.canvas.get_renderer()
    out, seen = [], set()

    def add(t, where):
        if id(t) in seen or not t.get_visible() or not t.get_text().strip():
            return
        seen.add(id(t))
        out.append((f"{where} {t.get_text()!r}", t, t.get_window_extent(renderer)))

    for t in fig.texts:
        add(t, "figure text")
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        for t in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label):
            add(t, f"axes {k}:")
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    add(tick.label1, f"axes {k} tick")
                    add(tick.label2, f"axes {k} tick")
        legend = ax.get_legend()
        if legend is not None:
            for t in legend.get_texts():
                add(t, f"axes {k} legend")
    return out


def readability_problems(fig, *, min_px: float = 10.0) -> list[str]:
    """What a reader cannot read: text smaller than `min_px` pixels at the stored dpi, text cut
    off at the figure's edge, texts on top of each other."""
    fig.canvas.draw()
    boxes = text_boxes(fig)
    width, height = fig.bbox.width, fig.bbox.height
    bad = []
    for name, t, bb in boxes:
        px = t.get_fontsize() * fig.dpi / 72
        if px < min_px:
            bad.append(f"{name} is {px:.1f} px high")
        if bb.x0 < -0.5 or bb.y0 < -0.5 or bb.x1 > width + 0.5 or bb.y1 > height + 0.5:
            bad.append(f"{name} is cut off: {tuple(round(v) for v in bb.extents)}")
    for i, (name_a, _, a) in enumerate(boxes):
        for name_b, _, b in boxes[i + 1 :]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1:
                bad.append(f"{name_a} overlaps {name_b}")
    return bad


def assert_readable(explorer, *, min_px: float = 10.0) -> None:
    """`readability_problems` of the explorer's figure is empty (the message lists them)."""
    bad = readability_problems(explorer.fig, min_px=min_px)
    assert not bad, f"{explorer!r}:\n  " + "\n  ".join(bad)


def _differ(x: np.ndarray, y: np.ndarray) -> str:
    if x.shape != y.shape:
        return f"shapes {x.shape} and {y.shape}"
    rows, cols = np.nonzero((x != y).any(axis=-1))
    return (
        f"{rows.size} pixels, within rows {rows.min()}…{rows.max()}, "
        f"columns {cols.min()}…{cols.max()}"
    )


def assert_history_free(make, a: dict, b) -> None:
    """make() builds an explorer. One explorer is set to `a` straight away; a second one is set to
    `a`, then to `b` (a view far from `a`: another layout, other tick labels; or a list of such
    views, visited one after another with `a` in between), then back to `a` (every control: those
    `a` leaves out at the defaults). Both must show exactly the same pixels on their canvas (what
    the browser shows, blitted) and in `to_png()` (what the notebook stores). A stale artist, a
    layout that shifts with history or a cached background that no longer fits all show up as
    differing pixels."""
    others = [b] if isinstance(b, dict) else list(b)
    fresh, travelled = make(), make()
    name = type(travelled).__name__
    try:
        fresh.set(**a)
        a = fresh.values  # every control, so that coming back from b sets them all
        want_canvas, want_png = canvas_rgba(fresh), fresh.to_png()
        travelled.set(**a)
        for other in others:
            travelled.set(**other)
            if isinstance(b, dict):
                assert not np.array_equal(canvas_rgba(travelled), want_canvas), (
                    f"{name}: {b} looks like {a}; pick a `b` that changes the picture"
                )
            travelled.set(**a)
            got = canvas_rgba(travelled)
            assert got.shape == want_canvas.shape and np.array_equal(got, want_canvas), (
                f"{name}: {a} after {other} differs on the canvas from {a} drawn fresh: "
                f"{_differ(got, want_canvas)}"
            )
            assert travelled.to_png() == want_png, (
                f"{name}: {a} after {other} stores a different PNG than {a} drawn fresh"
            )
    finally:
        fresh.close()
        travelled.close()
