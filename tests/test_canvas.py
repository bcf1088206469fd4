"""helpers._canvas: the frame encoder, and guards that fail when ipympl changes under the
workarounds (each written against ipympl 0.10.0)."""

from __future__ import annotations

import inspect
import io

import ipympl
import numpy as np
from ipympl.backend_nbagg import Canvas
from PIL import Image

from helpers import _canvas
from helpers._canvas import encode_png, new_canvas_figure

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_encode_png_round_trips():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    data = encode_png(rgba)
    assert data.startswith(PNG_MAGIC)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(data))), rgba)


def test_ipympl_is_the_version_the_workarounds_were_written_against():
    # A new ipympl may rename the private state FastCanvas reads: re-check these tests, then bump.
    assert ipympl.__version__ == _canvas.IPYMPL_VERSION


def test_ipympl_private_state_that_fastcanvas_reads_still_exists():
    fig = new_canvas_figure((2, 2), 50)
    canvas = fig.canvas
    for name in ("_png_is_old", "_force_full", "_last_buff", "_data_url", "syncing_data_url"):
        assert hasattr(canvas, name), f"ipympl's Canvas no longer has {name}"
    # the methods FastCanvas overrides keep ipympl's signatures
    assert list(inspect.signature(Canvas.get_diff_image).parameters) == ["self"]
    assert list(inspect.signature(Canvas.send_binary).parameters) == ["self", "data"]


def test_fast_canvas_frames_decode_to_the_drawn_pixels():
    fig = new_canvas_figure((2, 1.5), 50)
    fig.add_subplot().plot([0, 1], [1, 0])
    fig.canvas.draw()
    fig.canvas._png_is_old = True
    fig.canvas._force_full = True
    png = fig.canvas.get_diff_image()
    frame = np.asarray(Image.open(io.BytesIO(png)))
    np.testing.assert_array_equal(frame, np.asarray(fig.canvas.get_renderer().buffer_rgba()))


def test_importing_the_canvas_leaves_pyplots_backend_alone():
    import subprocess
    import sys

    code = (
        "import matplotlib; matplotlib.use('Agg'); import helpers._canvas; "
        "import matplotlib.pyplot as plt; print(plt.get_backend())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().lower() == "agg"


def _text_figure(canvas_class):
    """Text of every kind an explorer draws: value texts, rotated tick labels, CJK (the fallback
    font), sizes, antialiasing off, on a figure of the course's dpi."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 3), dpi=90)
    canvas_class(fig)
    ax = fig.add_subplot()
    rng = np.random.default_rng(0)
    for i in range(60):
        ax.text(
            rng.random(),
            rng.random(),
            f"{rng.normal():.2f} 我看 saw",
            rotation=[0, 90, 33][i % 3],
            fontsize=6 + i % 9,
            antialiased=bool(i % 5),
        )
    ax.set_title("α′ = softmax(α / T)  注意力")
    ax.set_xticks([0.2, 0.5, 0.8], ["I", "saw", "a¹"], rotation=90)
    return fig


def test_glyph_cache_renderer_draws_matplotlibs_pixels():
    # GlyphCacheRenderer repeats RendererAgg.draw_text (written against matplotlib 3.11, using its
    # private _layout, _render_glyph, _set_transform): any change in matplotlib's text drawing
    # fails here, pixel for pixel, first drawn and then from the cache.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    theirs = _text_figure(FigureCanvasAgg)
    theirs.canvas.draw()
    expected = np.asarray(theirs.canvas.buffer_rgba()).copy()
    ours = _text_figure(FigureCanvasAgg)
    renderer = _canvas.GlyphCacheRenderer(*expected.shape[1::-1], ours.dpi)
    for _ in range(3):  # the second pass draws every glyph from the cache, the third merged
        renderer.clear()
        ours.draw(renderer)
        np.testing.assert_array_equal(np.asarray(renderer.buffer_rgba()), expected)
    assert renderer._glyphs and renderer._layouts
    # the second pass drew each placed string as a run, most of them as one merged bitmap
    assert len(renderer._runs) >= 60
    assert sum(len(run) == 1 for run in renderer._runs.values()) > len(renderer._runs) / 2


def _texts_of_every_kind():
    """A figure's texts as explorers draw them (value texts with every alignment, rotation,
    colour, alpha, antialiasing, CJK, data/axes/figure coordinates), and texts that are not plain
    (a box, a path effect, mathtext, two lines, a clip box, an annotation)."""
    from matplotlib import patheffects

    fig = new_canvas_figure((5, 3), 90)
    ax = fig.add_subplot()
    ax.set_xlim(-1, 9)
    rng = np.random.default_rng(3)
    plain = []
    for i in range(48):
        plain.append(
            ax.text(
                rng.random() * 8,
                rng.random(),
                [f"{rng.normal():.2f}", "我看", "a¹", "−0.25"][i % 4],
                ha=["center", "left", "right"][i % 3],
                va=["center", "top", "bottom", "baseline", "center_baseline"][i % 5],
                rotation=[0, 90, 33][i % 3],
                rotation_mode=["default", "anchor"][i % 2],
                color=["white", "black", "#d9a400"][i % 3],
                alpha=[None, 0.5][i % 2],
                fontsize=6 + i % 7,
                antialiased=bool(i % 5),
                transform=[ax.transData, ax.transAxes, fig.transFigure][i % 3],
            )
        )
    others = [
        ax.text(1, 0.5, "boxed", bbox={"facecolor": "0.9"}),
        ax.text(2, 0.5, "glow", path_effects=[patheffects.withStroke(linewidth=3)]),
        ax.text(3, 0.5, r"$\alpha^2$"),
        ax.text(4, 0.5, "two\nlines"),
        ax.text(5, 0.5, "clipped", clip_on=True),
        ax.annotate("arrow", (6, 0.2), (7, 0.8), arrowprops={"arrowstyle": "->"}),
        ax.text(7, 0.5, ""),
    ]
    return fig, plain, others


def test_plain_texts_draw_the_pixels_of_text_draw():
    # draw_plain_text repeats Text.draw (matplotlib 3.11) from a kept layout; it must give the
    # same pixels, first and from its cache, and leave every other text to Text.draw
    fig, plain, others = _texts_of_every_kind()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = plain + others
    renderer.clear()
    for t in texts:
        t.draw(renderer)
    expected = np.asarray(renderer.buffer_rgba()).copy()
    for _ in range(2):
        renderer.clear()
        _canvas.draw_in_order(renderer, texts)
        np.testing.assert_array_equal(np.asarray(renderer.buffer_rgba()), expected)
    renderer.clear()
    assert all(renderer.draw_plain_text(t) for t in plain)
    assert [renderer.draw_plain_text(t) for t in others] == [False] * 6 + [True]  # "" draws nothing
    assert np.asarray(renderer.buffer_rgba()).any()


def test_merged_glyphs_draw_the_pixels_of_glyph_by_glyph():
    # glyphs whose inked pixels meet (here: the same glyph twice, shifted by one pixel) are never
    # merged, and are drawn in their order; the others become one bitmap
    from matplotlib.backends.backend_agg import RendererAgg

    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (6, 5), dtype=np.uint8)
    b = rng.integers(0, 256, (4, 3), dtype=np.uint8)
    placed = [(a, 2, 10), (a, 3, 10), (b, 12, 9), (b, 20, 12)]
    merged = _canvas._merge_glyphs(placed)
    assert len(merged) == 2  # the two a's overlap; the b's join the second a
    pixels = []
    for bitmaps in (placed, merged):
        renderer = RendererAgg(30, 20, 72)
        gc = renderer.new_gc()
        gc.set_foreground((0.8, 0.1, 0.3, 1.0), isRGBA=True)
        for buffer, left, bottom in bitmaps:
            renderer._renderer.draw_text_image(buffer, left, bottom, 0, gc)
        pixels.append(np.asarray(renderer.buffer_rgba()).copy())
    np.testing.assert_array_equal(pixels[0], pixels[1])


def test_fast_canvas_draws_with_the_glyph_cache():
    fig = new_canvas_figure((3, 2), 90)
    fig.text(0.5, 0.5, "0.25")
    fig.canvas.draw()
    assert type(fig.canvas.get_renderer()) is _canvas.GlyphCacheRenderer
    assert fig.canvas.get_renderer() is fig.canvas.get_renderer()  # reused, as matplotlib's


def test_matplotlib_is_the_version_the_glyph_cache_was_written_against():
    # A new matplotlib may draw text differently: the pixel test above says whether it does;
    # re-check GlyphCacheRenderer.draw_text against RendererAgg.draw_text, then bump.
    import matplotlib

    assert matplotlib.__version__.startswith(_canvas.MATPLOTLIB_VERSION + ".")


def test_encode_png_band_is_the_whole_transparent_frame():
    rng = np.random.default_rng(1)
    for height, top, rows in [(9, 3, 2), (9, 0, 9), (9, 0, 0), (9, 8, 1), (40, 0, 1), (40, 39, 1)]:
        band = rng.integers(0, 256, (rows, 6, 4), dtype=np.uint8)
        full = np.zeros((height, 6, 4), dtype=np.uint8)
        full[top : top + rows] = band
        data = _canvas.encode_png_band(band, top, height)
        decoded = np.asarray(Image.open(io.BytesIO(data)))  # PIL checks the zlib checksum
        np.testing.assert_array_equal(decoded, full)
        import zlib

        zlib.decompress(data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8])  # adler32 ok


def test_fast_canvas_diff_frames_hold_the_changed_pixels():
    fig = new_canvas_figure((2, 1.5), 50)
    fig.canvas.syncing_data_url = False  # as with a frontend attached
    frames = []
    fig.canvas.send_binary = frames.append  # what the canvas sends to the page
    line = fig.add_subplot().plot([0, 1], [1, 0])[0]
    fig.canvas.draw()
    old = np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()
    line.set_ydata([0.2, 0.9])
    fig.canvas.draw()
    assert len(frames) == 2
    frame = np.asarray(Image.open(io.BytesIO(frames[-1])))
    new = np.asarray(fig.canvas.get_renderer().buffer_rgba())
    changed = (new != old).any(axis=2)
    assert changed.any()
    np.testing.assert_array_equal(frame[changed], new[changed])
    assert not frame[~changed].any()  # transparent where nothing changed
    np.testing.assert_array_equal(fig.canvas._last_buff.view(np.uint8).reshape(new.shape), new)


def _sent_by(widget, change):
    """The messages `widget` sends to the page while handling a state update from it."""
    sent = []
    widget._send = lambda msg, buffers=None: sent.append(msg)
    widget.set_state(change)
    return sent


def test_no_echo_stops_ipywidgets_echoing_a_move():
    import ipywidgets as widgets

    plain, quiet, drop = (
        widgets.FloatSlider(),
        widgets.FloatSlider(),
        widgets.Dropdown(options="ab"),
    )
    _canvas.no_echo(quiet)
    _canvas.no_echo(drop)
    # ipywidgets echoes by default (if this fails, the echo is gone or moved: re-check no_echo)
    assert any(m.get("method") == "echo_update" for m in _sent_by(plain, {"value": 0.5}))
    assert not any(m.get("method") == "echo_update" for m in _sent_by(quiet, {"value": 0.5}))
    assert not any(m.get("method") == "echo_update" for m in _sent_by(drop, {"index": 1}))
    assert quiet.value == 0.5 and drop.value == "b"  # the move itself still lands
    assert widgets.FloatSlider.value.metadata.get("echo_update", True)  # other sliders keep it


def test_explorer_controls_are_not_echoed():
    from helpers.explorers.softmax import SoftmaxExplorer

    ex = SoftmaxExplorer()
    try:
        for control in ex.controls.values():
            name = "index" if control.has_trait("index") else "value"
            assert control.trait_metadata(name, "echo_update", True) is False
    finally:
        ex.close()


def _heatmap_pixels(values_list, *, cached: bool, shape_of_axes=(0.1, 0.1, 0.8, 0.8), **imshow):
    """Screen pixels of an imshow redrawn with each of `values_list` in turn (Agg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2.5), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(shape_of_axes)
    image = ax.imshow(values_list[0], interpolation="nearest", aspect="auto", **imshow)
    cache = _canvas.nearest_image_cache(image) if cached else None
    frames = []
    for values in values_list:
        image.set_data(values)
        fig.canvas.draw()
        frames.append(np.asarray(fig.canvas.buffer_rgba()).copy())
    return frames, cache


def test_nearest_image_cache_draws_matplotlibs_pixels():
    # The pixel → cell map is made with matplotlib's private image._resample (matplotlib 3.11):
    # any change there fails here, pixel for pixel, against matplotlib's own make_image.
    rng = np.random.default_rng(0)
    cases = [
        ([rng.random((4, 4)) for _ in range(3)], {"cmap": "viridis", "vmin": 0, "vmax": 1}),
        ([rng.normal(size=(1, 4)) for _ in range(3)], {"cmap": "RdBu_r", "vmin": -2, "vmax": 2}),
        ([rng.random((13, 7)) for _ in range(3)], {"cmap": "magma", "origin": "lower"}),
        ([rng.random((200, 150)) for _ in range(2)], {"cmap": "gray"}),  # down-sampled
    ]
    for values_list, imshow in cases:
        expected, _ = _heatmap_pixels(values_list, cached=False, **imshow)
        got, cache = _heatmap_pixels(values_list, cached=True, **imshow)
        for a, b in zip(expected, got, strict=True):
            np.testing.assert_array_equal(a, b)
        assert cache.hits == len(values_list) - 1, imshow  # every draw after the first: the map


def test_nearest_image_cache_leaves_masked_cells_and_other_images_to_matplotlib():
    values = np.arange(12.0).reshape(3, 4)
    values[1, 2] = np.nan  # a bad cell: matplotlib's own path
    expected, _ = _heatmap_pixels([values, values * 2], cached=False)
    got, cache = _heatmap_pixels([values, values * 2], cached=True)
    for a, b in zip(expected, got, strict=True):
        np.testing.assert_array_equal(a, b)
    assert cache.hits == 0
    from matplotlib.figure import Figure
    from matplotlib.image import NonUniformImage

    ax = Figure().add_subplot()
    assert _canvas.nearest_image_cache(NonUniformImage(ax)) is None


def test_nearest_image_cache_stops_learning_a_geometry_that_changes_on_every_draw():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2.5), dpi=90)
    FigureCanvasAgg(fig)
    image = fig.add_axes((0.1, 0.1, 0.8, 0.8)).imshow(np.eye(4), interpolation="nearest")
    cache = _canvas.nearest_image_cache(image)
    for width in range(5, 15):  # a new shape each draw: no map is worth making
        image.set_data(np.eye(4, width))
        fig.canvas.draw()
    assert len([m for m in cache.maps.values() if m is not False]) <= 3
    for _ in range(3):  # the geometry settles: seen once, then learnt, then drawn from the map
        fig.canvas.draw()
    assert cache.hits >= 1


def test_opaque_reads_the_alpha_channel_whatever_the_colours():
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    buff = pixels.view(np.uint32).squeeze(2)
    assert _canvas._opaque(pixels, buff)
    for alpha in (0, 1, 254):
        pixels[3, 2, 3] = alpha
        assert not _canvas._opaque(pixels, buff)
    pixels[3, 2, 3] = 255
    pixels[..., :3] = 0  # black, opaque
    assert _canvas._opaque(pixels, buff)


def test_frames_are_deflated_by_isal_in_the_course_environment():
    # isal is one of the course's dependencies; without it the frames still encode (zlib), slower
    from isal import isal_zlib

    assert _canvas.DEFLATE is isal_zlib
    rgba = np.random.default_rng(2).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(_canvas.encode_png(rgba))))
    np.testing.assert_array_equal(decoded, rgba)
