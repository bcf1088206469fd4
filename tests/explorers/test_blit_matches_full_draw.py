"""Every explorer's blitted frame is the frame a full draw would give.

A blit restores a saved background and draws the moving artists over it, so an artist left out
of the moving set shows as stale pixels after a control moves, and a static artist that should
lie over a moving one (an axis line over a heatmap) is hidden under it. For every explorer of
the course, built as its lesson builds it, each control is moved through a few of its values
(`benchmarks.explorers.move_values`), and after each move the canvas is compared, pixel for
pixel, with a draw of the same state on the same canvas with nothing animated (every artist in
its z-order, as savefig draws it).

The one difference allowed is on an axes' edge: a tick mark's first pixel, which a full draw
paints after the axes' image and a blit leaves in the background under it (the ticks are drawn
with their labels, so blitting them would redraw every tick label on every move).
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.explorers import _factories, _set, move_values

FACTORIES = _factories()
MOVES_PER_CONTROL = 4  # the first few values (and the last, back at the start)


EDGE_PX = 2


def _pixels(ex) -> np.ndarray:
    return np.asarray(ex.canvas.get_renderer().buffer_rgba()).copy()


def _off_axes_edges(ex, differ: np.ndarray) -> np.ndarray:
    """The differing pixels that are not within EDGE_PX of an axes' edge."""
    height = differ.shape[0]
    rows, cols = np.nonzero(differ)
    x, y = cols + 0.5, height - rows - 0.5  # pixel centres, in display coordinates
    near = np.zeros(len(rows), bool)
    for ax in ex.fig.axes:
        b = ax.bbox
        inside_x = (b.x0 - EDGE_PX <= x) & (x <= b.x1 + EDGE_PX)
        inside_y = (b.y0 - EDGE_PX <= y) & (y <= b.y1 + EDGE_PX)
        on_vertical = inside_y & ((abs(x - b.x0) <= EDGE_PX) | (abs(x - b.x1) <= EDGE_PX))
        on_horizontal = inside_x & ((abs(y - b.y0) <= EDGE_PX) | (abs(y - b.y1) <= EDGE_PX))
        near |= on_vertical | on_horizontal
    out = np.zeros_like(differ)
    out[rows[~near], cols[~near]] = True
    return out


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_move_blits_what_a_full_draw_draws(name):
    ex = FACTORIES[name]()
    try:
        ex.redraw()
        for cname, control in ex.controls.items():
            values = move_values(control)
            for value in values[:MOVES_PER_CONTROL] + values[-1:]:
                _set(ex, cname, value)
                if ex.message:  # bad input: the figure is hidden, nothing to compare
                    continue
                live = _pixels(ex)
                with ex._all_artists_drawn():  # nothing animated: every artist in z-order
                    ex.canvas.draw()
                    full = _pixels(ex)
                differ = _off_axes_edges(ex, np.any(live != full, axis=-1))
                assert not differ.any(), (
                    f"{name}.{cname} = {value!r}: {int(differ.sum())} px differ from a full "
                    f"draw, rows {np.flatnonzero(differ.any(axis=1))[[0, -1]].tolist()}, "
                    f"columns {np.flatnonzero(differ.any(axis=0))[[0, -1]].tolist()}"
                )
    finally:
        ex.close()
