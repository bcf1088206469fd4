"""The explorer contract (every lesson's interactive views follow it; lessons 00–11).

Controls → a pure `compute()` → a figure drawn once and updated in place:

    class MyExplorer(Explorer):
        def __init__(self):
            self.controls = {"temperature": ipywidgets.FloatSlider(1.0, min=0.1, max=5)}
            super().__init__()

        def compute(self, temperature):      # PURE: numpy in, dict out; tests call it directly
            return {"alpha_prime": normalise(SCORES, temperature=temperature)}

        def draw(self, fig, state):          # build every axes and artist once
            self.view = plots.attention_heatmap(state["alpha_prime"], tokens, ax=fig.add_subplot())

        def update(self, state):             # change artists in place; return what to blit
            return self.view.update(state["alpha_prime"])   # or None: "redraw everything"

A control move recomputes the state, lets `update()` change artist data, then blits: the static
background (axes, tick labels, colour bar) is restored from a saved copy and only the returned
artists are drawn again, in the order a full draw draws them, with the static artists a full draw
puts over them (a heatmap's frame, a reference arrow over a field): a blitted frame is the frame
a full draw gives (`tests/explorers/test_blit_matches_full_draw.py`). A full draw happens only
when `update()` returns None. How the pixels reach
the page (the canvas, the frame encoder, pixel caches) is `helpers._canvas`, not this contract.

Displaying an explorer stores the live widget, a PNG of the current figure (what GitHub, nbviewer
and PDF show) and a deterministic `text/plain` (what nbval compares). An explorer gives back its
figure, canvas and widgets on `close()`, and one made again by re-running the same cell closes the
one that cell made before.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import inspect
import io
import time
import traceback
from pathlib import Path

import ipywidgets as widgets
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.spines import Spine

from . import _canvas
from ._validate import check_bool, check_choice, check_float, check_int, check_text
from .language import _

__all__ = ["Explorer", "ExplorerMessage"]


class ExplorerMessage(ValueError):
    """Raise from `compute()` when the controls describe nothing to draw (say, an empty sentence).

    The explorer shows the message in place of the figure (no traceback); the learner fixes the
    control and the figure comes back.
    """


class Explorer:
    """Base class of every explorer. Subclasses set `self.controls` in `__init__`, then call
    `super().__init__()`, and implement `compute`, `draw` and `update`.

    Subclass hooks
        controls: dict[str, ipywidgets.ValueWidget]
                             name → control; the names are compute()'s keyword arguments
        compute(**values)    PURE: the state (a dict) for these control values (numpy only)
        draw(fig, state)     build all axes and artists once on `fig`
        update(state)        update artists in place; return the artists to blit, or None for a
                             full redraw (e.g. tick labels changed). It must be idempotent: right
                             after draw() (or a None) it is called again with the same state to
                             learn which artists to blit from then on.
        sync_controls(name)  optional: adjust dependent controls (e.g. a query dropdown's options
                             after the sentence changed) before compute runs
        background_key()     optional: a hashable naming the static background now on show (say,
                             the number of panels). A full redraw whose key was drawn before
                             restores that saved background and blits, instead of drawing it all.
        build_key(state)     optional, with `max_builds` > 0: a hashable naming what the panels
                             are built for (say, the sentence's tokens). When it changes, the
                             build on show (its axes, figure texts and the attributes draw() and
                             update() set) is put aside and draw() builds the new one on the
                             emptied figure, or a build put aside before for that key comes back
                             as it was (no axes made, no layout pass; with a background_key,
                             its saved background blits). draw() must then not clear the figure.
        values_for(name, v)  optional: the controls' values after a move of control `name` to `v`
                             (default: the current values with `name` set to `v`); an explorer
                             whose sync_controls() moves a dependent control says how here
    Class attributes
        figsize, dpi         size of the figure (inches, dots per inch)
        static_controls      names of controls that may leave the picture unchanged (read by
                             `tests/sweep.py`); everything else must change the image
        layout_controls      names of controls whose move may change the layout (new tokens:
                             new tick labels and panel sizes), so a full draw is expected there;
                             on every other control a move only blits (`benchmarks.explorers`)
        max_backgrounds      how many backgrounds `background_key()` keeps (each is the figure's
                             size in RGBA), the oldest dropped first
        max_builds           how many builds `build_key()` keeps aside (0: none; draw() rebuilds
                             the figure itself), the least recently shown dropped first
        prepare_controls     data controls whose every value `prepare()` gets ready too (say, a
                             slider whose moving axes are blitted from pixel caches per value)
        prepare_delay        seconds of quiet (no move of any explorer's control) before the
                             explorer prepares, while the learner reads, what a move of a layout
                             control to another of its options would build, and the prepared
                             controls' values (`prepare()`); None: never in the background
    Provided
        values, state, fig, widget, set(**values), hold(), prepare(), save(path), to_png(), close(),
        show_message(text), clear_message(), message (the text on show, or None),
        background (the saved background), freeze_layout(), cached_heatmap(view),
        cached_axis(axis, key), cached_group(artists, key, region): pixel
        caches for artist groups that come back often (see `helpers._canvas.CachedGroup`).
    """

    controls: dict[str, widgets.ValueWidget]
    figsize: tuple[float, float] = (6.4, 4.0)
    dpi: int = 90
    static_controls: frozenset[str] = frozenset()
    layout_controls: frozenset[str] = frozenset()
    max_backgrounds: int = 16
    max_builds: int = 0
    prepare_controls: frozenset[str] = frozenset()
    prepare_delay: float | None = 1.0

    # ---- subclass hooks --------------------------------------------------------------------------
    def compute(self, **values) -> dict:
        raise NotImplementedError

    def draw(self, fig: Figure, state: dict) -> None:
        raise NotImplementedError

    def update(self, state: dict) -> list | None:
        """Default: clear the figure and draw again (correct but slow: override with set_data)."""
        self.fig.clear()
        self.draw(self.fig, state)
        return None

    def sync_controls(self, changed: str | None) -> None:
        """Adjust dependent controls before `compute` runs; `changed` is the control that moved."""

    def background_key(self):
        """None (the default): every full redraw draws everything."""
        return None

    def build_key(self, state: dict):
        """None (the default): one build, which update() changes or rebuilds itself."""
        return None

    def values_for(self, name: str, value) -> dict:
        """The controls' values once control `name` has moved to `value` (what `prepare()` gets
        ready for)."""
        return {**self.values, name: value}

    # ---- the machinery ---------------------------------------------------------------------------
    def __init__(self, **initial) -> None:
        """`initial`: the values the subclass's constructor was given for its controls (built
        without them), each checked against its control (`check_control_value`) and set before
        anything is drawn, so `Explorer(temperature=99)` says why instead of clamping."""
        name = type(self).__name__
        controls = getattr(self, "controls", None)
        if not isinstance(controls, dict) or not controls:
            raise ValueError(
                f"{name} must set self.controls (a non-empty dict name → widget) "
                "before super().__init__()"
            )
        for key, control in controls.items():
            if not isinstance(control, widgets.ValueWidget):
                raise ValueError(
                    f"controls[{key!r}] must be an ipywidgets ValueWidget; "
                    f"got {type(control).__name__}"
                )
        for key, value in initial.items():
            check_control_value(key, controls[key], value)
            controls[key].value = value
        params = inspect.signature(self.compute).parameters
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
            missing = sorted(set(controls) - set(params))
            if missing:
                raise ValueError(
                    f"{name}.compute has no parameter for control(s) {missing}; "
                    "control names are compute()'s keyword arguments "
                    f"(it takes {list(params)})"
                )
        subclass_attrs = set(vars(self))  # set by the subclass before this: they belong to builds
        self._holding = 0
        self._last_error: BaseException | None = None
        self._animated: list = []  # drawn over the background: what update() moves, and overlays
        self._moving: list = []  # ids of what update() returned last
        self._background = None
        self._backgrounds: dict = {}  # background_key() → saved background
        self._drawn = False
        self._closed = False
        self.message: str | None = None
        self._state: dict = {}
        self._builds: dict = {}  # build_key() → a build put aside (`_show_build`)
        self._build_key = None  # the build on show
        self._owned: list = []  # the figure-level artists (not axes) the build on show made
        self._prepared: set = set()  # the moves `prepare()` has got ready (`_prepare_moves`)
        self._prepare_handle = None  # the event loop's timer for the next preparation step

        self.fig = _canvas.new_canvas_figure(self.figsize, self.dpi)
        self.canvas = self.fig.canvas
        self.canvas.mpl_connect("draw_event", self._on_draw_event)

        self._message_box = widgets.HTML(layout=widgets.Layout(display="none", margin="4px 0"))
        self._output = widgets.Output()
        box_layout = widgets.Layout(flex_flow="row wrap", align_items="center")
        self._control_box = widgets.HBox(list(controls.values()), layout=box_layout)
        self.widget = widgets.VBox(
            [self._control_box, self._message_box, self.canvas, self._output]
        )
        self.widget.add_class("course-explorer")
        # the machinery's attributes: every other one (what draw() and update() set, and the
        # subclass's own) is kept with a build put aside
        self._machinery = frozenset(vars(self)) - subclass_attrs | {"_machinery"}

        try:
            self._guard(lambda: self._refresh(None))
            if self._last_error is not None:
                err, self._last_error = self._last_error, None
                raise err
        except BaseException:
            self.close()
            raise
        for key, control in controls.items():
            control.observe(self._make_observer(key), names="value")
            _canvas.no_echo(control)  # the page needs no echo of its own move
        self.canvas.on_msg(self._on_canvas_msg)
        _replace_earlier_from_same_cell(self)

    @property
    def values(self) -> dict:
        """The controls' current values, name → value (the keyword arguments of `compute`)."""
        return {name: control.value for name, control in self.controls.items()}

    @property
    def state(self) -> dict:
        """The state `compute` returned for the controls on show. While a message shows in place of
        the figure there is no state: reading it raises a ValueError that says why."""
        if self.message is not None:
            raise ValueError(
                _(
                    "{name} has no state while it shows a message: {message!r}; "
                    "change the controls first"
                ).format(name=type(self).__name__, message=self.message)
            )
        return self._state

    @property
    def background(self):
        """The saved static background of the last full draw (None before one)."""
        return self._background

    def cached_heatmap(self, view) -> _canvas.CachedGroup:
        """A heatmap view's image and value texts, blitted as one group that remembers its
        pixels."""
        return _canvas.cached_heatmap(lambda: self._background, view)

    def cached_axis(
        self, axis, key, *, ticks: bool = True, maxsize: int = 12
    ) -> _canvas.CachedGroup:
        """An x or y axis blitted as one group that remembers its pixels for up to `maxsize` keys
        `key()` (say, one per value of the slider that moves it)."""
        return _canvas.cached_axis(
            lambda: self._background, axis, key, ticks=ticks, maxsize=maxsize
        )

    def cached_group(self, artists, key, region) -> _canvas.CachedGroup:
        """Any artists blitted as one group that remembers its pixels, keyed by `key()`; it pastes
        the pixels of `region(renderer)` (a Bbox in display pixels that holds them all)."""
        return _canvas.CachedGroup(lambda: self._background, artists, key, region)

    def freeze_layout(self, passes: int = 2) -> None:
        """Settle the figure's constrained layout now (in `passes` passes), then keep it fixed (no
        layout pass on later full redraws)."""
        _canvas.settle_layout(self.fig, freeze=True, passes=passes)

    def _make_observer(self, name: str):
        def observer(change):
            if self._holding:
                return
            self._guard(lambda: self._refresh(name))

        return observer

    @contextlib.contextmanager
    def hold(self):
        """Change several controls with one recompute and redraw at the end (when the block exits,
        also when it exits with an error, so the figure always shows the controls' values)."""
        self._holding += 1
        try:
            yield self
        finally:
            self._holding -= 1
            if not self._holding:
                self._guard(lambda: self._refresh(None))

    def _guard(self, func) -> None:
        """Run a callback; on error, show it in the Output (never lose it) and keep it for `set`."""
        try:
            func()
        except ExplorerMessage as msg:
            self.show_message(str(msg))
        except Exception as exc:  # shown to the learner, re-raised by set()
            self._last_error = exc
            self._output.outputs = ()
            text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            self._output.append_stderr(text)

    def _refresh(self, changed: str | None) -> None:
        if self._closed:
            return
        self._refresh_figure(changed)
        _LAST_MOVE[0] = time.monotonic()  # every explorer waits for the learner to pause
        self._arm_prepare(self.prepare_delay)

    def _refresh_figure(self, changed: str | None) -> None:
        """Recompute for the controls' values and put the new frame on the canvas."""
        self._holding += 1  # dependent controls changed in sync_controls must not recurse
        try:
            self.sync_controls(changed)
        finally:
            self._holding -= 1
        state = self.compute(**self.values)
        if not isinstance(state, dict):
            raise TypeError(
                f"{type(self).__name__}.compute must return a dict; got {type(state).__name__}"
            )
        self._state = state
        self._output.outputs = ()
        if self.message is not None:
            self.clear_message()
        key = self.build_key(state) if self.max_builds else None
        if not self._drawn:
            self._draw_build(state, key)
            self._drawn = True
            artists = self._learn_blit_artists(state)
        else:
            if key is not None and key != self._build_key:
                self._show_build(state, key)  # then update() fits it to the other controls
            artists = self.update(state)
            if artists is None:  # the figure may have been rebuilt: ask again which artists move
                artists = self._learn_blit_artists(state)
            elif self._background is not None and [id(a) for a in artists] == self._moving:
                self._blit()
                return
        self._set_animated(artists)
        self._full_redraw()

    def _learn_blit_artists(self, state: dict) -> list | None:
        """Call `update` on the state just drawn to learn which artists it moves (None: never
        blit)."""
        if type(self).update is Explorer.update:
            return None
        self._set_animated(None)
        return self.update(state)

    def _draw_build(self, state: dict, key) -> None:
        """draw() a new build for `key` and note the figure-level artists it made (its axes are
        the figure's axes: the figure holds no other build's)."""
        fig = self.fig
        before = {id(a) for a in fig.get_children()}
        self.draw(fig, state)
        shared = {id(t) for t in _canvas.figure_labels(fig)}  # one per figure, set by each build
        self._owned = [
            a
            for a in fig.get_children()
            if id(a) not in before and id(a) not in shared and not isinstance(a, Axes)
        ]
        self._build_key = key

    def _show_build(self, state: dict, key) -> None:
        """Put the build on show aside and show the one for `key`: kept from before, or new."""
        fig = self.fig
        self._set_animated(None)  # the build put aside keeps its artists as a full draw draws them
        self._background = None
        self._builds[self._build_key] = {
            "axes": list(fig.axes),
            "owned": [(a, a.get_visible()) for a in self._owned],
            "attrs": {k: v for k, v in vars(self).items() if k not in self._machinery},
        }
        for ax in list(fig.axes):
            fig.delaxes(ax)
        for a in self._owned:
            a.set_visible(False)
        kept = self._builds.pop(key, None)
        if kept is None:
            self._draw_build(state, key)
        else:
            for ax in kept["axes"]:
                fig.add_axes(ax)
            for a, visible in kept["owned"]:
                a.set_visible(visible)
            self._owned = [a for a, _visible in kept["owned"]]
            vars(self).update(kept["attrs"])
            self._build_key = key
        while len(self._builds) > self.max_builds:  # the least recently shown goes
            old_key = next(iter(self._builds))
            for a, _visible in self._builds.pop(old_key)["owned"]:
                a.remove()
            for bkey in [b for b in self._backgrounds if b[0] == old_key]:
                del self._backgrounds[bkey]
            self._prepared.clear()  # what was got ready may have gone with it

    def _on_draw_event(self, event) -> None:
        """After any full draw (ours, or the frontend asking for one): save the background, then
        draw the animated artists over it."""
        if self._suspend_blit_capture:
            return
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        _canvas.draw_in_order(self.canvas.get_renderer(), self._animated)

    _suspend_blit_capture = False

    def _full_redraw(self, *, reuse: bool = True, send: bool = True) -> None:
        """Draw the figure (or blit its saved background) and send the frame; with send=False,
        draw it on the canvas's renderer only (`prepare()`), the page's frame left as it was."""
        key = self.background_key()
        if key is not None:
            key = (self._build_key, key, tuple(self.fig.bbox.bounds), self.fig.dpi)
            saved = self._backgrounds.get(key) if reuse else None
            if saved is not None:
                self._background = saved
                self._blit(send=send)
                return
        for image in self.fig.findobj(AxesImage):  # heatmaps: their pixels from a cached map
            _canvas.nearest_image_cache(image)
        _canvas.settle_layout(self.fig)
        if send:
            self.canvas.draw()  # synchronous: fires draw_event, then ipympl sends the frame
        else:  # Agg's own draw (fires draw_event too): ipympl's draw() would send the frame
            FigureCanvasAgg.draw(self.canvas)
        if key is not None:
            self._backgrounds.pop(key, None)
            while len(self._backgrounds) >= self.max_backgrounds:
                self._backgrounds.pop(next(iter(self._backgrounds)))  # the oldest first
                self._prepared.clear()
            self._backgrounds[key] = self._background

    def _blit(self, *, send: bool = True) -> None:
        """The saved background, the moving artists over it, and (send) the frame to the page."""
        self.canvas.restore_region(self._background)
        _canvas.draw_in_order(self.canvas.get_renderer(), self._animated)
        if send:
            self.canvas.blit(self.fig.bbox)

    # ---- getting moves ready while the learner reads ---------------------------------------------
    def _prepare_moves(self) -> list[tuple]:
        """The moves worth getting ready, nearest first: every other option of each layout control
        with a fixed list of options (a dropdown, a selection slider: a move there would draw in
        full), then every other value of each of `prepare_controls` (their pixel caches fill), the
        other controls where they are. Each is (name, value, key): the key names what the move
        gets ready (the values of the layout controls and of `name` after it; the others only
        move what is blitted), and a key got ready once is not got ready again."""
        moves = []
        for group in (sorted(self.layout_controls), sorted(self.prepare_controls)):
            for name in group:
                options = control_values(self.controls[name])
                if options is None:  # a text box: its next value cannot be known
                    continue
                here = self.controls[name].value
                i = options.index(here) if here in options else 0
                order = sorted(range(len(options)), key=lambda k: abs(k - i))
                for v in (options[k] for k in order):
                    if v == here:
                        continue
                    values = self.values_for(name, v)
                    key = tuple((k, values[k]) for k in sorted(self.layout_controls | {name}))
                    if key not in self._prepared:
                        moves.append((name, v, key))
        return moves

    def prepare(self) -> int:
        """Get every move `_prepare_moves` names ready now: a layout control's move has its build
        made (if it has a `build_key`) and its background drawn and kept, a prepared control's its
        pixel caches filled; the figure on show is left as it is (no frame sent). Such a move then
        only blits, from what it finds kept. Returns how many moves were got ready. An explorer
        shown in a page does this by itself once the learner pauses (`prepare_delay` seconds
        after the last move), one move per turn of the kernel's event loop."""
        self._check_open()
        moves = self._prepare_moves()
        for move in moves:
            self._prepare_move(*move)
        return len(moves)

    def _prepare_move(self, name: str, value, key: tuple) -> None:
        """Make the move to `value` on `name` on the renderer only, keep what it built, and come
        back to the figure on show (its artists as they were, its pixels restored)."""
        self._prepared.add(key)
        layout = name in self.layout_controls
        if (
            self.message is not None
            or self._background is None
            or (layout and self.background_key() is None)
            or self._holding
        ):
            return  # nothing a move could reuse, or nothing to come back to
        try:
            state = self.compute(**self.values_for(name, value))
        except Exception:  # a move the controls could not take: the learner will see why then
            return
        shown_state, shown_key = self._state, self._build_key
        animated, moving, background = self._animated, self._moving, self._background
        build = self.build_key(state) if self.max_builds else None
        try:
            if build is not None and build != shown_key:
                self._show_build(state, build)
            artists = self.update(state)
            if layout:  # its build and background, drawn and kept
                if artists is None:
                    artists = self._learn_blit_artists(state)
                self._set_animated(artists)
                self._full_redraw(send=False)
            elif artists is not None:  # its pixel caches, filled over the background on show
                self._set_animated(artists)
                self._blit(send=False)
        finally:
            if build is not None and build != shown_key:
                self._show_build(shown_state, shown_key)
            self.update(shown_state)
            self._set_animated(None)
            self._animated, self._moving, self._background = animated, moving, background
            for a in animated:
                a.set_animated(True)
            self._blit(send=False)  # the pixels on show, as the page has them

    def _set_animated(self, artists) -> None:
        """Blit `artists` from now on (None: nothing); the ones blitted before are drawn in full."""
        for a in self._animated:
            a.set_animated(False)
        self._moving = [id(a) for a in artists or []]
        self._animated = _in_draw_order(list(artists or []))
        for a in self._animated:
            a.set_animated(True)

    def _arm_prepare(self, delay: float | None) -> None:
        """Prepare the next move `delay` seconds from now, on the kernel's event loop, if a page
        shows the figure (ipympl's canvas has heard from its view); the step finds out whether a
        move is left (not each move of the learner's, which only re-arms the timer)."""
        if self._closed:
            return
        if self._prepare_handle is not None:
            self._prepare_handle.cancel()
            self._prepare_handle = None
        if delay is None or self.canvas.syncing_data_url:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script, a test): only prepare() prepares
            return
        self._prepare_handle = loop.call_later(delay, self._prepare_step)

    def _prepare_step(self) -> None:
        self._prepare_handle = None
        if self._closed or self.prepare_delay is None:
            return
        wait = _LAST_MOVE[0] + self.prepare_delay - time.monotonic()
        if wait > 0:  # a control of another explorer moved since: the learner is not reading yet
            self._arm_prepare(wait)
            return
        moves = self._prepare_moves()
        if not moves:
            return
        try:
            self._prepare_move(*moves[0])
        except Exception:  # never in the learner's way: a move not prepared is drawn when made
            self.prepare_delay = None
            return
        self._arm_prepare(0.0)  # the next one after whatever messages wait

    def _on_canvas_msg(self, _canvas_widget, content, _buffers) -> None:
        """ipympl's view says "initialized" when the page shows the figure: the learner is
        looking, so start getting the moves ready."""
        if isinstance(content, dict) and content.get("type") == "initialized":
            self._arm_prepare(self.prepare_delay)

    def redraw(self) -> None:
        """Full redraw of the current state (what a frontend refresh does)."""
        self._backgrounds.clear()
        self._prepared.clear()
        self._full_redraw(reuse=False)

    # ---- messages --------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Show `text` in place of the figure (e.g. "Type a sentence to see its attention")."""
        self.message = str(text)
        self._message_box.value = (
            "<div style='padding:8px;border-left:4px solid #d9a400;"
            f"background:#fff8e1'>{_escape(self.message)}</div>"
        )
        self._message_box.layout.display = None
        self.canvas.layout.display = "none"

    def clear_message(self) -> None:
        self.message = None
        self._message_box.value = ""
        self._message_box.layout.display = "none"
        self.canvas.layout.display = None

    # ---- driving it from code --------------------------------------------------------------------
    def set(self, **values) -> dict:
        """Set controls as a learner would (the same observers fire); return the new state.

        A value a control cannot take, or one that leaves nothing to draw, raises a ValueError that
        says why (the notebook view shows the message too). Unknown names raise ValueError.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                _("unknown control(s) {unknown}; {name} has {controls}").format(
                    unknown=unknown, name=type(self).__name__, controls=sorted(self.controls)
                )
            )
        self._last_error = None
        for name, value in values.items():
            control = self.controls[name]
            check_control_value(name, control, value)
            try:
                control.value = value
            except Exception as exc:  # traitlets' TraitError and friends: say it plainly
                raise ValueError(
                    _("{name} cannot be {value!r}: {error}").format(
                        name=name, value=value, error=exc
                    )
                ) from None
            if self._last_error is not None:
                break
        if self._last_error is not None:
            err, self._last_error = self._last_error, None
            raise err
        if self.message is not None:
            raise ExplorerMessage(self.message)
        return self._state

    # ---- giving back what it holds ---------------------------------------------------------------
    def close(self) -> None:
        """Free the figure, the canvas and every widget (the kernel forgets them; a view of this
        explorer in the page goes blank). Safe to call twice."""
        if self._closed:
            return
        if self._prepare_handle is not None:
            self._prepare_handle.cancel()
        self._closed = True
        for control in self.controls.values():
            control.unobserve_all()
        _close_tree(self.widget)  # the controls, boxes, canvas, and their layouts and styles
        for control in self.controls.values():
            _close_tree(control)
        self.fig.clear()
        self.canvas.close()
        # IPython's Out[] history may keep this closed object alive: drop everything it holds (the
        # figure, its artists, the subclass's views and data), keeping only what repr() reads
        for name in list(vars(self)):
            if name not in ("_closed", "controls", "message"):
                delattr(self, name)
        self.fig = self.canvas = self.widget = None
        self._state = {}

    @property
    def closed(self) -> bool:
        return self._closed

    # ---- static output ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _all_artists_drawn(self):
        """Un-animate the blitted artists for a moment, so savefig (which skips animated ones)
        draws them."""
        self._suspend_blit_capture = True
        for a in self._animated:
            a.set_animated(False)
        try:
            yield
        finally:
            for a in self._animated:
                a.set_animated(True)
            self._suspend_blit_capture = False
            self._full_redraw(reuse=False)

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(
                _("this {name} was closed; make a new one").format(name=type(self).__name__)
            )

    def to_png(self, dpi: float | None = None) -> bytes:
        """The current view as PNG bytes."""
        self._check_open()
        buf = io.BytesIO()
        with self._all_artists_drawn():
            self.fig.savefig(
                buf, format="png", dpi=dpi or self.fig.dpi, metadata={"Software": None}
            )
        return buf.getvalue()

    def save(self, path) -> Path:
        """Export the current view to `path`: PNG or SVG, chosen by the suffix. Returns the path."""
        self._check_open()
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("png", "svg"):
            raise ValueError(
                _("path must end in .png or .svg; got {path!r}").format(path=str(path))
            )
        meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        with self._all_artists_drawn():
            self.fig.savefig(path, format=fmt, metadata=meta)
        return path

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({args})"

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self._closed:
            closed = _("closed: re-run the cell to make it again")
            return {"text/plain": f"{repr(self)}\n[{closed}]"}
        bundle = {
            "text/plain": repr(self) + ("" if self.message is None else f"\n[{self.message}]"),
            "image/png": base64.b64encode(self.to_png()).decode("ascii"),
        }
        view = self.widget._repr_mimebundle_()
        if view and "application/vnd.jupyter.widget-view+json" in view:
            key = "application/vnd.jupyter.widget-view+json"
            bundle[key] = view[key]
        return bundle

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)


# When any explorer's control last moved (time.monotonic()): preparing waits for the learner to
# leave every control of the notebook alone for `prepare_delay` seconds.
_LAST_MOVE = [0.0]

# The explorers each notebook cell made, by cell: re-running a cell closes the ones it made before,
# so a learner who re-runs an explorer cell does not pile up figures and widgets in the kernel.
_BY_CELL: dict[str, list] = {}


def _cell_key() -> str | None:
    """The running cell: JupyterLab's cellId if the request carries one, else a hash of its code.
    None outside a kernel (a script or a test: nothing is replaced there)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return None
    parent = kernel.get_parent() or {}
    if parent.get("header", {}).get("msg_type") != "execute_request":
        return None
    cell_id = parent.get("metadata", {}).get("cellId")
    if cell_id:
        return f"id:{cell_id}"
    code = parent.get("content", {}).get("code", "")
    return "code:" + hashlib.sha1(code.encode("utf-8")).hexdigest()


def _replace_earlier_from_same_cell(explorer: Explorer) -> None:
    key = _cell_key()
    if key is None:
        return
    explorer_msg = None
    try:
        from IPython import get_ipython

        explorer_msg = get_ipython().kernel.get_parent()["header"]["msg_id"]
    except (ImportError, AttributeError, KeyError, TypeError):
        pass
    alive = []
    # strong references: an explorer the learner no longer names still holds live widgets, and
    # only closing it frees them; each cell keeps just the explorers of its latest run
    for old, made_by in _BY_CELL.get(key, []):
        if old is explorer:
            continue
        if made_by == explorer_msg:  # made by this same run of the cell: keep it
            alive.append((old, made_by))
        else:
            old.close()
    alive.append((explorer, explorer_msg))
    _BY_CELL[key] = alive


def _close_tree(widget) -> None:
    """Close `widget` and every widget it holds (children, layout, style, a canvas's toolbar):
    ipywidgets keeps each one in its registry until it is closed."""
    seen = set()
    stack = [widget]
    while stack:
        w = stack.pop()
        if not isinstance(w, widgets.Widget) or id(w) in seen:
            continue
        seen.add(id(w))
        for name in w.keys:
            value = getattr(w, name, None)
            if isinstance(value, widgets.Widget):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, widgets.Widget))
        toolbar = getattr(w, "toolbar", None)
        if isinstance(toolbar, widgets.Widget):
            stack.append(toolbar)
        w.close()


def control_values(control) -> list | None:
    """Every value a control can take, in order, if there are few enough to list (options, or a
    slider's steps; at most 1000), else None (a text box, a log slider)."""
    options = option_values(control)
    if options is not None:
        return options
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)) and control.step:
        n = int(round((control.max - control.min) / control.step)) + 1
        if 0 < n <= 1000:
            cast = int if isinstance(control, widgets.IntSlider) else float
            return [cast(round(control.min + k * control.step, 10)) for k in range(n)]
    return None


def option_values(control) -> list | None:
    """The values a control with a fixed list of options can take (a Dropdown, a SelectionSlider,
    ToggleButtons, ...: ipywidgets' `_options_values`, which `tests/explorers/test_prepare.py`
    checks), or None for any other control."""
    values = getattr(control, "_options_values", None)
    return None if values is None else list(values)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def check_control_value(name: str, control, value) -> None:
    """Refuse, with a ValueError naming the control, a value that `control` cannot show: a widget
    would otherwise clamp 99 to its maximum or round 2.5 without a word."""
    if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText)):
        check_int(name, value, minimum=control.min, maximum=control.max)
    elif isinstance(control, widgets.FloatLogSlider):
        check_float(name, value, minimum=control.base**control.min,
                    maximum=control.base**control.max)  # fmt: skip
    elif isinstance(control, (widgets.FloatSlider, widgets.BoundedFloatText)):
        check_float(name, value, minimum=control.min, maximum=control.max)
    elif isinstance(control, (widgets.IntText, widgets.FloatText)):
        (check_int(name, value, minimum=-(2**63)) if isinstance(control, widgets.IntText)
         else check_float(name, value))  # fmt: skip
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        check_bool(name, value)
    elif isinstance(control, (widgets.Text, widgets.Textarea)):
        check_text(name, value)
    elif isinstance(control, _CHOICES):
        options = [  # options are values, or (label, value) pairs
            o[1] if isinstance(o, tuple) and len(o) == 2 and isinstance(o[0], str) else o
            for o in control.options
        ]
        check_choice(name, value, options)


_CHOICES = (
    widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons, widgets.SelectionSlider,
    widgets.Select,
)  # fmt: skip


def _leaves(artist) -> list:
    """The matplotlib artists a blitted item draws (a cached group: its children)."""
    if isinstance(artist, _canvas.CachedGroup):
        return [leaf for child in artist.children for leaf in _leaves(child)]
    return [artist]


def _has_grid(axis) -> bool:
    return any(
        tick.gridline.get_visible() for tick in axis.get_major_ticks() + axis.get_minor_ticks()
    )


def _in_draw_order(moving: list) -> list:
    """What a blit draws over the saved background, in the order a full draw draws it: the
    cached groups first (their pixels are pasted whole), then `moving` with the static artists a
    full draw puts over them, sorted as Figure.draw and Axes.draw sort them (by z-order, the
    figure's children, then each axes' children). The overlays are, in each axes that holds a
    moving artist, every visible child drawn after the lowest of them (its spines, lines, patches
    and texts, and its axes when their grid lines are on), so that a heatmap does not hide its
    frame, a grid or a reference arrow. They leave the saved background with the moving ones."""
    groups = [item for item in moving if isinstance(item, _canvas.CachedGroup)]
    plain = [item for item in moving if not isinstance(item, _canvas.CachedGroup)]
    moving_ids = {id(leaf) for item in moving for leaf in _leaves(item)}
    lowest: dict = {}
    for leaf in (leaf for item in moving for leaf in _leaves(item)):
        ax = getattr(leaf, "axes", None)
        if ax is not None and leaf is not ax:
            lowest[ax] = min(lowest.get(ax, float("inf")), leaf.get_zorder())
    for ax, z in lowest.items():
        framed = ax.axison and ax.get_frame_on()
        plain += [
            child
            for child in ax.get_children()  # what Axes.draw draws: not the patch (drawn first),
            # the spines only with a frame, the axes only when on
            if id(child) not in moving_ids
            and child is not ax.patch
            and child.get_visible()
            and child.get_zorder() > z
            and (framed or not isinstance(child, Spine))
            and (not isinstance(child, Axis) or (ax.axison and _has_grid(child)))
        ]
    if not plain:
        return groups
    fig = plain[0].get_figure(root=True)
    top = {id(a): i for i, a in enumerate(fig.get_children())} if fig is not None else {}
    inner: dict = {}

    def key(artist):
        ax = getattr(artist, "axes", None)
        if ax is None or ax is artist:
            return (artist.get_zorder(), top.get(id(artist), len(top)), 0.0, 0)
        if id(ax) not in inner:
            inner[id(ax)] = {id(a): i for i, a in enumerate(ax.get_children())}
        order = inner[id(ax)]
        return (
            ax.get_zorder(),
            top.get(id(ax), len(top)),
            artist.get_zorder(),
            order.get(id(artist), len(order)),
        )

    return groups + sorted(plain, key=key)
