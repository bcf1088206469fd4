"""Checks on what a learner sees of an explorer's figure, for any `helpers.explorer.Explorer`:

    from tests.figure_checks import assert_readable, assert_same_pixels_whatever_came_before

- `assert_readable(explorer)`: every text on the figure (titles, axis labels, tick labels,
  legends) is at least `min_px` pixels high at the figure's stored size, lies inside the figure
  (nothing clipped), and overlaps no other text.
- `english_words(fig, allowed)`: the Latin-letter words left on a figure (a Chinese edition
  draws none but data and names).
- `assert_same_pixels_whatever_came_before(make, a, others)`: the canvas shows exactly the same
  pixels for the control values `a` in a fresh explorer and after any of `others` came before
  (no layout or cache that drifts with history).
"""

from __future__ import annotations

from tests.sweep import canvas_rgba

__all__ = [
    "english_words",
    "text_boxes",
    "readability_problems",
    "assert_readable",
    "assert_same_pixels_whatever_came_before",
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


def assert_same_pixels_whatever_came_before(make, a: dict, others: list[dict]) -> None:
    """make() builds an explorer. The pixels for control values `a` are those of a fresh explorer
    set to `a`, and stay exactly those after each of `others` was shown in between."""
    fresh = make()
    try:
        fresh.set(**a)
        want = canvas_rgba(fresh)
    finally:
        fresh.close()
    explorer = make()
    try:
        for b in others:
            explorer.set(**b)
            explorer.set(**a)
            got = canvas_rgba(explorer)
            assert got.shape == want.shape, f"{a} after {b}: canvas {got.shape} != {want.shape}"
            changed = int((got != want).any(axis=-1).sum())
            assert changed == 0, f"{a} after {b}: {changed} pixels differ from a fresh {a}"
    finally:
        explorer.close()



def english_words(fig, allowed=()) -> list[str]:
    """The words of two or more Latin letters in any text drawn on `fig` (titles, labels, tick
    labels, texts, legends) that are not in `allowed` (data tokens, names, units): in a Chinese
    edition this list is empty."""
    import re

    from matplotlib.text import Text

    fig.canvas.draw()
    found = []
    for t in fig.findobj(Text):
        if not t.get_visible():
            continue
        for word in re.findall(r"[A-Za-z]{2,}", t.get_text()):
            if word not in allowed and word not in found:
                found.append(word)
    return found
