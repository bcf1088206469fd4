"""helpers.explorer: the contract every explorer follows (controls → compute → draw once →
update)."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.explorer import Explorer
from helpers.explorers.attention import AttentionExplorer, HeatmapExplorer
from tests.sweep import canvas_rgba, sweep_explorer

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class _Broken(Explorer):
    """Draws fine at first, then fails at x = 3: the sweep must catch it."""

    def __init__(self):
        self.controls = {"x": widgets.IntSlider(0, min=0, max=4)}
        super().__init__()

    def compute(self, x):
        if x == 3:
            raise RuntimeError("boom at 3")
        return {"v": np.array([float(x)])}

    def draw(self, fig, state):
        self.line = fig.add_subplot().plot([0, 1], [0, state["v"][0]])[0]

    def update(self, state):
        self.line.set_ydata([0, state["v"][0]])
        return [self.line]


class _Frozen(_Broken):
    """Never changes the picture: the sweep must say so unless the control is declared static."""

    def compute(self, x):
        return {"v": np.array([1.0])}


def test_sweep_catches_errors_and_frozen_pictures():
    with pytest.raises(AssertionError, match="x = 3 raised RuntimeError"):
        sweep_explorer(_Broken())
    with pytest.raises(AssertionError, match="never changed the picture"):
        sweep_explorer(_Frozen())
    frozen = _Frozen()
    frozen.static_controls = frozenset({"x"})
    assert sweep_explorer(frozen)["x"]["changed"] is False


# ---- the base class ------------------------------------------------------------------------------
def test_callback_error_is_shown_in_the_output_and_raised_by_set():
    ex = _Broken()
    with pytest.raises(RuntimeError, match="boom at 3"):
        ex.set(x=3)
    shown = "".join(o.get("text", "") for o in ex._output.outputs)
    assert "RuntimeError: boom at 3" in shown
    ex.set(x=2)  # recovers, and the error is cleared
    assert ex._output.outputs == () and ex.state["v"][0] == 2.0


def test_explorer_needs_controls_and_known_names():
    class NoControls(Explorer):
        pass

    with pytest.raises(ValueError, match="self.controls"):
        NoControls()
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['y'\]"):
        _Broken().set(y=1)

    class Misnamed(_Broken):
        def __init__(self):
            self.controls = {"y": widgets.IntSlider(0)}
            Explorer.__init__(self)

    with pytest.raises(ValueError, match=r"no parameter for control\(s\) \['y'\]"):
        Misnamed()


def test_hold_recomputes_once():
    ex = HeatmapExplorer(np.eye(3))
    calls = []
    original = ex.compute
    ex.compute = lambda **kw: calls.append(kw) or original(**kw)
    with ex.hold():
        ex.controls["temperature"].value = 2.0
        ex.controls["temperature"].value = 3.0
    assert calls == [{"temperature": 3.0}]


def test_no_pyplot_figures_and_blitting_matches_a_full_redraw():
    before = plt.get_fignums()
    ex = HeatmapExplorer(np.random.default_rng(1).standard_normal((5, 5)))
    assert (
        plt.get_fignums() == before
    )  # never registered with pyplot: no stray <Figure ...> outputs
    ex.set(temperature=0.5)
    blitted = canvas_rgba(ex)
    ex.redraw()
    np.testing.assert_array_equal(canvas_rgba(ex), blitted)


def test_mimebundle_has_widget_png_and_deterministic_text():
    ex = AttentionExplorer()
    bundle = ex._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_MAGIC)
    assert bundle["text/plain"] == AttentionExplorer()._repr_mimebundle_()["text/plain"]
    assert bundle["text/plain"].startswith("AttentionExplorer(sentence='I saw a saw', query=1")
    assert "model_id" not in bundle["text/plain"]
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert ex.canvas in ex.widget.children and all(
        c in ex.widget.children[0].children for c in ex.controls.values()
    )
    assert (
        not ex.canvas.header_visible
        and not ex.canvas.footer_visible
        and ex.canvas.toolbar_visible is False
    )


def test_save_png_and_svg(tmp_path):
    ex = AttentionExplorer()
    before = canvas_rgba(ex)
    png = ex.save(tmp_path / "view.png")
    svg = ex.save(tmp_path / "view.svg")
    assert png.read_bytes().startswith(PNG_MAGIC)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "</svg>" in text
    np.testing.assert_array_equal(canvas_rgba(ex), before)  # saving leaves the live view as it was
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        ex.save(tmp_path / "view.pdf")


def test_saved_png_contains_the_moving_artists(tmp_path):
    from PIL import Image

    ex = HeatmapExplorer(np.random.default_rng(2).standard_normal((4, 4)) * 3)
    ex.set(temperature=0.3)  # blitting from here on: the heatmap image is an animated artist
    cold = np.asarray(Image.open(ex.save(tmp_path / "cold.png")))
    # the same picture as on screen, up to the spines (on screen the blitted image is drawn
    # over them)
    assert (cold != canvas_rgba(ex)).any(axis=-1).mean() < 0.01
    ex.set(temperature=5.0)
    hot = np.asarray(Image.open(ex.save(tmp_path / "hot.png")))
    assert (cold != hot).any(axis=-1).mean() > 0.05  # the moving artists are in the file
