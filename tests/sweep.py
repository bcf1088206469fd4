"""`sweep_explorer(explorer)`: drive every control of any `helpers.explorer.Explorer` over its
whole range.

Use it in a test of your own explorer:

    from tests.sweep import sweep_explorer

    def test_my_explorer_sweep():
        sweep_explorer(MyExplorer())

What it does, for each control in `explorer.controls`, starting from the defaults:
  sliders (int, float, log, range), bounded number boxes   min, max, `steps` values between, then
  back
  dropdowns, radio/toggle buttons, selection sliders       every option (read when the control's
  turn
                                                           comes, so dependent options are current)
  checkboxes, toggle buttons                               True, False, then back
  text boxes                                               "", one word, 60 words, punctuation,
  我看见一把锯
  unbounded IntText / FloatText                            0, 1, 2, 10 (use bounded widgets for a
  range)
  anything else                                            pass `values={"name": [...]}`

and after every move it asserts (warnings are errors throughout):
  * no exception from the callbacks (`Explorer.set` re-raises them) and nothing in the error Output;
  * every float array in the state is finite (except keys named in `allow_nonfinite`, e.g. masked
    scores holding -inf), and every drawn image array, line, line collection, scatter and rectangle
    holds only finite numbers;
  * if the state has `alpha_prime` and its `normalisation` (if any) is "softmax", its rows sum to 1;
  * the picture (the canvas's RGBA buffer) changed at least once while the control moved, unless the
    control is listed in the explorer's `static_controls` (controls that legitimately leave the
    picture alone) or `check_changes=False`.
A control may answer with a message instead of a figure (`ExplorerMessage`, e.g. "Type a sentence"):
that is allowed, and the picture comparison restarts after it.
At the end every control is back at its default, the picture equals the first one (a control that
does not come back cleanly fails here), and a full redraw gives the same pixels as the blitted view
(so blitting leaves no stale artists behind).

Returns a report {control name: {"values": how many were tried, "changed": bool}}.
"""

from __future__ import annotations

import warnings

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from helpers.explorer import ExplorerMessage, option_values

__all__ = [
    "sweep_explorer",
    "control_values",
    "SAMPLE_TEXTS",
    "canvas_rgba",
    "assert_drawn_finite",
    "assert_state_ok",
]

_WORDS = (
    "the quick brown fox jumps over a lazy dog while I saw a saw near the river bank and "
    "she said that attention is all you need so we read every word of the lecture twice then "
    "drew the heatmap of each query against every key until the rows summed to one at last"
).split()
SIXTY_WORDS = " ".join((_WORDS * 2)[:60])
SAMPLE_TEXTS = (
    "",
    "saw",
    SIXTY_WORDS,
    "Wait... what?! (Yes) — “quoted”, it's 100% done; ok: #1 @you",
    "我看见一把锯",
)


def canvas_rgba(explorer) -> np.ndarray:
    """A copy of the pixels currently on the explorer's canvas (what the browser shows), (H, W,
    4)."""
    return np.asarray(explorer.fig.canvas.get_renderer().buffer_rgba()).copy()


def _round_to_step(x: float, lo: float, step: float | None) -> float:
    if not step:
        return float(x)
    return float(lo + round((x - lo) / step) * step)


def control_values(control, *, steps: int = 5, texts=SAMPLE_TEXTS) -> list:
    """The values `sweep_explorer` tries for one control (its current value is appended by the
    caller)."""
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton, widgets.Valid)):
        return [True, False]
    options = option_values(control)  # Dropdown, RadioButtons, ToggleButtons, SelectionSlider…
    if isinstance(control, widgets.SelectMultiple):
        return [(v,) for v in options] + [()]
    if options is not None:
        return options
    if isinstance(control, (widgets.Text, widgets.Textarea, widgets.Combobox)):
        return list(texts)
    if isinstance(control, widgets.FloatLogSlider):
        exps = np.linspace(control.min, control.max, steps + 2)
        return [float(control.base**e) for e in [exps[0], exps[-1], *exps[1:-1]]]
    if hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        step = getattr(control, "step", None)
        is_int = (
            isinstance(lo, (int, np.integer))
            and isinstance(hi, (int, np.integer))
            and not isinstance(control.value, float)
        )
        if isinstance(control.value, tuple):  # range sliders
            mid = _round_to_step((lo + hi) / 2, lo, step)
            mid = int(mid) if is_int else mid
            return [(lo, lo), (hi, hi), (lo, hi), (lo, mid), (mid, hi)]
        between = np.linspace(lo, hi, steps + 2)[1:-1]
        if is_int:
            vals = [lo, hi, *sorted({int(round(x)) for x in between})]
        else:
            vals = [float(lo), float(hi), *(_round_to_step(x, lo, step) for x in between)]
            vals = [min(max(v, lo), hi) for v in vals]
        seen, out = set(), []
        for v in vals:
            if v not in seen:
                seen.add(v)
                out.append(v)
        return out
    if isinstance(control, (widgets.IntText, widgets.FloatText)):
        return [0, 1, 2, 10] if isinstance(control, widgets.IntText) else [0.0, 0.5, 1.0, 10.0]
    raise TypeError(
        f"sweep_explorer does not know how to drive a {type(control).__name__}; pass "
        f"values={{name: [...]}}"
    )


def _finite(name: str, arr, where: str) -> None:
    a = np.ma.asarray(arr)
    if a.dtype.kind not in "fc":
        return
    data = np.ma.getdata(a)[~np.ma.getmaskarray(a)]
    assert np.all(np.isfinite(data)), f"{where}: {name} holds non-finite values"


def assert_drawn_finite(fig, where: str = "") -> None:
    """Every image, line, line collection, scatter and rectangle drawn on `fig` holds finite
    numbers."""
    for artist in fig.findobj():
        if isinstance(artist, AxesImage):
            _finite("an image's array", artist.get_array(), where)
        elif isinstance(artist, Line2D):
            _finite("a line's data", artist.get_xydata(), where)
        elif isinstance(artist, LineCollection):
            for seg in artist.get_segments():
                _finite("a line collection's segment", seg, where)
            _finite(
                "a line collection's widths",
                np.asarray(artist.get_linewidths(), dtype=float),
                where,
            )
        elif isinstance(artist, PathCollection):
            _finite("a scatter's offsets", artist.get_offsets(), where)
        elif isinstance(artist, Rectangle):
            _finite(
                "a rectangle's geometry",
                np.array([*artist.get_xy(), artist.get_width(), artist.get_height()], dtype=float),
                where,
            )


def _walk(value, key: str = "state"):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, str(k))
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v, key)
    elif (
        isinstance(value, np.ndarray)
        or np.isscalar(value)
        and isinstance(value, (float, np.floating))
    ):
        yield key, np.asarray(value)


def assert_state_ok(state: dict, where: str = "", allow_nonfinite=()) -> None:
    """Float arrays in `state` are finite (keys in `allow_nonfinite` excepted); softmax α′ rows
    sum to 1."""
    for key, arr in _walk(state):
        if key not in allow_nonfinite and arr.dtype.kind in "fc":
            assert np.all(np.isfinite(arr)), f"{where}: state[{key!r}] holds non-finite values"
    ap = state.get("alpha_prime")
    if ap is not None and state.get("normalisation", "softmax") == "softmax":
        ap = np.asarray(ap)
        np.testing.assert_allclose(
            ap.sum(axis=-1),
            1.0,
            rtol=1e-5,
            atol=1e-6,
            err_msg=f"{where}: rows of alpha_prime must sum to 1 under softmax",
        )


def _check(explorer, where: str, allow_nonfinite) -> None:
    errors = [
        o
        for o in explorer._output.outputs
        if o.get("name") == "stderr" or o.get("output_type") == "error"
    ]
    assert not errors, (
        f"{where}: the explorer's Output shows an error: {errors[0].get('text', errors[0])!s:.500}"
    )
    if explorer.message is None:
        assert_state_ok(explorer.state, where, allow_nonfinite)
        assert_drawn_finite(explorer.fig, where)


def sweep_explorer(
    explorer,
    *,
    steps: int = 5,
    texts=SAMPLE_TEXTS,
    values: dict | None = None,
    check_changes: bool = True,
    allow_nonfinite=(),
) -> dict:
    """Drive every control of `explorer` across its range and check it after every move (see the
    module doc)."""
    cls = type(explorer).__name__
    values = values or {}
    report = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        defaults = explorer.values
        _check(explorer, f"{cls} at its defaults", allow_nonfinite)
        first = canvas_rgba(explorer)
        for name, control in explorer.controls.items():
            start = control.value
            seq = (
                list(values[name])
                if name in values
                else control_values(control, steps=steps, texts=texts)
            )
            prev = canvas_rgba(explorer) if explorer.message is None else None
            changed = False
            for value in [*seq, start]:
                where = f"{cls}: {name} = {value!r}"
                try:
                    explorer.set(**{name: value})
                except ExplorerMessage:  # nothing to draw for this value: a message shows instead
                    assert explorer.message is not None, f"{where}: raised a message but shows none"
                except Exception as exc:
                    raise AssertionError(f"{where} raised {type(exc).__name__}: {exc}") from exc
                _check(explorer, where, allow_nonfinite)
                if explorer.message is not None:
                    prev = None
                    continue
                img = canvas_rgba(explorer)
                if prev is not None and (img.shape != prev.shape or not np.array_equal(img, prev)):
                    changed = True
                prev = img
            report[name] = {"values": len(seq), "changed": changed}
            if check_changes and name not in explorer.static_controls and len(seq) > 1:
                assert changed, (
                    f"{cls}: moving {name!r} over {seq!r} never changed the picture; if that is "
                    "right, "
                    f"add it to {cls}.static_controls"
                )
            explorer.set(
                **defaults
            )  # dependent controls (options that moved) back to the defaults too
        assert explorer.values == defaults, (
            f"{cls}: controls did not come back to {defaults}: {explorer.values}"
        )
        _check(explorer, f"{cls} back at its defaults", allow_nonfinite)
        end = canvas_rgba(explorer)
        assert end.shape == first.shape and np.array_equal(end, first), (
            f"{cls}: back at the defaults, the picture differs from the first one"
        )
        explorer.redraw()
        assert np.array_equal(canvas_rgba(explorer), end), (
            f"{cls}: a full redraw differs from the blitted view (stale artists?)"
        )
    return report
