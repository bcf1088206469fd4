"""Lesson 02: `WindowExplorer`, window-width and cue-distance sliders over window taggers trained
once in advance, so the slider is instant.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import numbers

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from .. import plots
from .._validate import check_int
from ..explorer import Explorer
from ..language import _, ngettext
from ..taggers import FILLERS

_RESULT_KEYS = ("widths", "cue_distances", "accuracy", "majority", "parameters")


def example_sentence(cue_distance: int) -> list[str]:
    """The lesson's example for a cue `cue_distance` tokens before the ambiguous word:
    "a uh um … saw there ." (fillers cycle uh, um, er, hmm)."""
    cue_distance = check_int("cue_distance", cue_distance, minimum=1)
    fillers = [FILLERS[k % len(FILLERS)] for k in range(cue_distance - 1)]
    return ["a", *fillers, "saw", "there", "."]


class WindowExplorer(Explorer):
    """Window tagger results: accuracy on the ambiguous words against the window width, for a chosen
    cue distance, with the window drawn over an example sentence and the parameter count beside it.

    `results` is the dict `helpers.taggers.window_sweep` returns (every width × every distance,
    trained once); the explorer only looks results up, so a slider move costs no training.
    """

    figsize = (10.0, 4.8)
    prepare_controls = frozenset({"width", "cue_distance"})  # a few options: got ready beforehand

    def __init__(self, results: dict, *, width: int | None = None, cue_distance: int | None = None):
        self.results = _check_results(results)
        widths, dists = self.results["widths"], self.results["cue_distances"]
        width = widths[len(widths) // 2] if width is None else width
        cue_distance = dists[len(dists) // 2] if cue_distance is None else cue_distance
        if isinstance(width, bool) or width not in widths:
            raise ValueError(
                _("width must be one of the trained widths {widths}; got {width!r}").format(
                    widths=widths, width=width
                )
            )
        if isinstance(cue_distance, bool) or cue_distance not in dists:
            raise ValueError(
                _(
                    "cue_distance must be one of the trained distances {distances}; got "
                    "{cue_distance!r}"
                ).format(distances=dists, cue_distance=cue_distance)
            )
        self.controls = {
            "width": widgets.SelectionSlider(
                options=widths,
                value=width,
                description=_("window width"),
                layout=widgets.Layout(width="320px"),
            ),
            "cue_distance": widgets.SelectionSlider(
                options=dists,
                value=cue_distance,
                description=_("cue distance"),
                layout=widgets.Layout(width="320px"),
            ),
        }
        super().__init__()

    def compute(self, width: int, cue_distance: int) -> dict:
        """The looked-up numbers for this width and distance, and the example sentence's window."""
        r = self.results
        i, j = r["widths"].index(width), r["cue_distances"].index(cue_distance)
        tokens = example_sentence(cue_distance)
        target = cue_distance  # the cue "a" is a¹ (tokens[0]); "saw" is tokens[cue_distance]
        radius = width // 2
        return {
            "width": width,
            "cue_distance": cue_distance,
            "tokens": tokens,
            "target": target,
            "window": (
                target - radius,
                target + radius,
            ),  # token indices covered (may run past the ends: padding)
            "cue_inside": radius >= cue_distance,
            "accuracy": float(r["accuracy"][i, j]),
            "accuracy_by_width": r["accuracy"][:, j].copy(),
            "majority": float(r["majority"][j]),
            "parameters": int(r["parameters"][i]),
            "width_index": i,
        }

    def draw(self, fig, state):
        r = self.results
        widths = r["widths"]
        max_len = len(example_sentence(max(r["cue_distances"])))
        max_radius = max(widths) // 2
        gs = fig.add_gridspec(
            2,
            2,
            height_ratios=[0.65, 2.2],
            width_ratios=[1.35, 1],
            hspace=0.45,
            wspace=0.3,
            left=0.075,
            right=0.98,
            top=0.9,
            bottom=0.12,
        )
        # the sentence strip, with room for the padding on both sides
        ax_s = self.ax_s = fig.add_subplot(gs[0, :])
        ax_s.set_xlim(-max_radius - 0.6, max_len + max_radius - 0.4)
        ax_s.set_ylim(-0.8, 0.8)
        ax_s.axis("off")
        self.token_texts = [
            ax_s.text(k, 0, "", ha="center", va="center", fontsize=11) for k in range(max_len)
        ]
        # padding slots on both sides, shown only where the window runs past the sentence
        self.pad_slots = list(range(-max_radius, 0)) + list(range(max_len, max_len + max_radius))
        self.pad_texts = [
            ax_s.text(k, 0, "", ha="center", va="center", fontsize=9, color="0.4")
            for k in self.pad_slots
        ]
        self.window_box = Rectangle(
            (0, -0.55), 1, 1.1, facecolor=plots.SKY, alpha=0.35, edgecolor=plots.BLUE, linewidth=1.5
        )
        ax_s.add_patch(self.window_box)
        self.strip_title = ax_s.set_title("", fontsize=11)
        # accuracy against width
        ax_a = self.ax_a = fig.add_subplot(gs[1, 0])
        x = np.arange(len(widths))
        self.bars = ax_a.bar(x, state["accuracy_by_width"], color="0.75")
        self.majority_line = ax_a.axhline(
            state["majority"],
            color=plots.VERMILION,
            linestyle="--",
            linewidth=1.2,
            label=_("always guess the majority tag"),
        )
        ax_a.set_xticks(x, [str(w) for w in widths])
        ax_a.set_xlabel(_("window width (tokens)"))
        ax_a.set_ylabel(_("accuracy, ambiguous words"))
        # headroom above 100% for the legend, so it never covers a bar
        ax_a.set_ylim(0, 1.32)
        ax_a.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
        ax_a.legend(loc="upper left", fontsize=9.5, framealpha=0.9, borderaxespad=0.3)
        self.acc_title = ax_a.set_title("", fontsize=11)
        # parameters against width
        ax_p = self.ax_p = fig.add_subplot(gs[1, 1])
        ax_p.plot(x, r["parameters"], "o-", color="0.6")
        (self.param_point,) = ax_p.plot(
            [state["width_index"]], [state["parameters"]], "o", color=plots.BLUE, markersize=10
        )
        ax_p.set_xticks(x, [str(w) for w in widths])
        ax_p.set_xlabel(_("window width (tokens)"))
        ax_p.set_ylabel(_("parameters"))
        ax_p.set_ylim(0, max(r["parameters"]) * 1.15)
        self.param_title = ax_p.set_title("", fontsize=11)
        for ax in (ax_a, ax_p):
            ax.tick_params(labelsize=10)
        self.update(state)

    def update(self, state):
        tokens, target = state["tokens"], state["target"]
        lo, hi = state["window"]
        for k, t in enumerate(self.token_texts):
            if k < len(tokens):
                t.set_text(tokens[k])
                t.set_color(plots.VERMILION if k == 0 else (plots.BLUE if k == target else "black"))
                t.set_fontweight("bold" if k in (0, target) else "normal")
            else:
                t.set_text("")
        for k, t in zip(self.pad_slots, self.pad_texts, strict=True):
            pos = (
                k if k < 0 else len(tokens) + (k - len(self.token_texts))
            )  # right pads follow the last token
            t.set_x(pos)
            t.set_text("<pad>" if lo <= pos <= hi else "")
        self.window_box.set_x(lo - 0.5)
        self.window_box.set_width(hi - lo + 1)
        if state["cue_inside"]:
            strip = _("window of width {width} around “saw”: the cue “a” is inside it")
        else:
            strip = _("window of width {width} around “saw”: the cue “a” is OUTSIDE it")
        self.strip_title.set_text(strip.format(width=state["width"]))
        for k, (bar, v) in enumerate(zip(self.bars, state["accuracy_by_width"], strict=True)):
            bar.set_height(v)
            bar.set_color(plots.BLUE if k == state["width_index"] else "0.75")
        self.majority_line.set_ydata([state["majority"], state["majority"]])
        d = state["cue_distance"]
        self.acc_title.set_text(
            ngettext(
                "cue {d} token away: width {width} → {accuracy:.0%}",
                "cue {d} tokens away: width {width} → {accuracy:.0%}",
                d,
            ).format(d=d, width=state["width"], accuracy=state["accuracy"])
        )
        self.param_point.set_data([state["width_index"]], [state["parameters"]])
        self.param_title.set_text(
            _("{parameters:,} parameters").format(parameters=state["parameters"])
        )
        return [
            *self.token_texts,
            *self.pad_texts,
            self.window_box,
            self.strip_title,
            *self.bars,
            self.majority_line,
            self.acc_title,
            self.param_point,
            self.param_title,
        ]


def _check_results(results) -> dict:
    """`results` as `window_sweep` returns it, checked: ValueErrors that name the key."""
    if not isinstance(results, dict):
        raise ValueError(
            _(
                "results must be the dict window_sweep(widths, cue_distances, rng=rng) returns; "
                "got {kind}"
            ).format(kind=type(results).__name__)
        )
    missing = [k for k in _RESULT_KEYS if k not in results]
    if missing:
        raise ValueError(
            _(
                "results is missing {missing}; pass the dict window_sweep(...) returns (keys "
                "{keys})"
            ).format(missing=missing, keys=list(_RESULT_KEYS))
        )
    out = dict(results)
    for key, least in (("widths", 1), ("cue_distances", 1)):
        values = list(results[key])
        if not values:
            raise ValueError(
                _("results[{key!r}] must hold at least one value; got {values}").format(
                    key=key, values=values
                )
            )
        for v in values:
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < least:
                raise ValueError(
                    _("results[{key!r}] must hold integers ≥ {least}; got {values}").format(
                        key=key, least=least, values=values
                    )
                )
        if len(set(values)) != len(values):
            raise ValueError(
                _("results[{key!r}] must not repeat a value; got {values}").format(
                    key=key, values=values
                )
            )
        out[key] = [int(v) for v in values]
    if any(w % 2 == 0 for w in out["widths"]):
        raise ValueError(
            _(
                "results['widths'] must be odd (2r + 1: a window centred on its token); got "
                "{widths}"
            ).format(widths=out["widths"])
        )
    nw, nd = len(out["widths"]), len(out["cue_distances"])
    for key, shape in (("accuracy", (nw, nd)), ("majority", (nd,)), ("parameters", (nw,))):
        try:
            arr = np.asarray(results[key], dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                _("results[{key!r}] must be numbers of shape {shape}; got {value!r:.60}").format(
                    key=key, shape=shape, value=results[key]
                )
            ) from None
        if arr.shape != shape:
            what = {
                "accuracy": "(len(widths), len(cue_distances))",
                "majority": "(len(cue_distances),)",
                "parameters": "(len(widths),)",
            }[key]
            raise ValueError(
                _("results[{key!r}] must have shape {what} = {shape}; got {got}").format(
                    key=key, what=what, shape=shape, got=arr.shape
                )
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError(
                _("results[{key!r}] must be finite; got {values}").format(
                    key=key, values=arr.tolist()
                )
            )
        if key != "parameters" and (arr.min() < 0 or arr.max() > 1):
            raise ValueError(
                _("results[{key!r}] holds accuracies, in [0, 1]; got {values}").format(
                    key=key, values=arr.tolist()
                )
            )
        out[key] = arr
    return out
