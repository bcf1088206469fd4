"""`assert_history_free(make, a, b)`: the same control values draw the same pixels, whatever the
explorer showed before.

    from tests.history import assert_history_free

    def test_my_explorer_has_no_memory():
        assert_history_free(MyExplorer, {"window": 3}, {"window": 40})

`make()` builds the explorer. One explorer is set to `a` straight away; a second one is set to `a`,
then `b` (a view far from `a`: another layout, other tick labels), then back to `a` (every control:
those `a` leaves out at the defaults). Both must show
exactly the same pixels on their canvas (what the browser shows, blitted) and in `to_png()` (what
the notebook stores). A stale artist, a layout that shifts with history or a cached background that
no longer fits all show up as differing pixels.
"""

from __future__ import annotations

import numpy as np

from tests.sweep import canvas_rgba

__all__ = ["assert_history_free"]


def _differ(x: np.ndarray, y: np.ndarray) -> str:
    if x.shape != y.shape:
        return f"shapes {x.shape} and {y.shape}"
    rows, cols = np.nonzero((x != y).any(axis=-1))
    return (
        f"{rows.size} pixels, within rows {rows.min()}…{rows.max()}, "
        f"columns {cols.min()}…{cols.max()}"
    )


def assert_history_free(make, a: dict, b: dict) -> None:
    fresh, travelled = make(), make()
    try:
        fresh.set(**a)
        a = fresh.values  # every control, so that coming back from b sets them all
        want_canvas, want_png = canvas_rgba(fresh), fresh.to_png()
        travelled.set(**a)
        travelled.set(**b)
        assert not np.array_equal(canvas_rgba(travelled), want_canvas), (
            f"{type(travelled).__name__}: {b} looks like {a}; pick a `b` that changes the picture"
        )
        travelled.set(**a)
        got = canvas_rgba(travelled)
        assert got.shape == want_canvas.shape and np.array_equal(got, want_canvas), (
            f"{type(travelled).__name__}: {a} after {b} differs on the canvas from {a} drawn "
            f"fresh: {_differ(got, want_canvas)}"
        )
        assert travelled.to_png() == want_png, (
            f"{type(travelled).__name__}: {a} after {b} stores a different PNG than {a} drawn fresh"
        )
    finally:
        fresh.close()
        travelled.close()
