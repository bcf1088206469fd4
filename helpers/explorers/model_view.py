"""Lesson 11: `ModelViewExplorer`, the model view of the trained transformer: every layer × head's
α′ as a small map, one clicked up large, and a switch that knocks the chosen head out; and the
lesson's two printouts of the heads (`head_table`, `knockout_chart`).

It follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
Layers and heads are counted from 1 wherever the learner reads them ("layer 1 · head 4"); the
controls' values, like the state, hold the 0-based indices (layer 1 is 0).
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from threadpoolctl import ThreadpoolController

from .. import plots
from .. import transformer as T
from .._validate import as_float_array, check_nonempty, check_text
from ..explorer import Explorer, ExplorerMessage
from ..language import _, pad

__all__ = [
    "DEFAULT_TEXT",
    "GUESS_LOSS",
    "ModelViewExplorer",
    "read_text",
    "head_name",
    "head_table",
    "knockout_chart",
]

# Twelve distinct random characters, said twice (Olsson et al.'s test for induction heads): the
# second half can only be predicted by finding the earlier copy, so the default picture shows it.
DEFAULT_TEXT = T.decode(T.repeated_ids(12, seed=0))
GUESS_LOSS = math.log(len(T.VOCAB))  # ln 29 ≈ 3.37 nats: the loss of a blind guess
LOSS_TOP = 8.0  # the loss panel's y range (0 … 8 nats); a larger loss is drawn at the top

# The explorer's model is tiny (64 × 64 matrices); OpenBLAS splits such products over threads,
# which on a busy machine costs 40-130 ms a forward pass instead of 3. One thread it is.
_BLAS = ThreadpoolController()


def head_name(layer: int, head: int) -> str:
    """ "layer 1 · head 4" for the 0-based indices (0, 3): the lecture's count."""
    return _("layer {layer} · head {head}").format(layer=layer + 1, head=head + 1)


def read_text(text, max_len: int) -> tuple[str, list[str]]:
    """The learner's text as the model reads it, and notes on what was changed.

    Lower case (the model knows only lower-case letters, space, "." and ","), cut to `max_len`
    characters (it has positional vectors e¹ … e^max_len only). Raises `ExplorerMessage` (shown
    in place of the figure) for a text with fewer than 2 characters or with characters the model
    does not know.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__}")
    notes = []
    lower = text.lower()
    if lower != text:
        notes.append(_("read as lower case"))
    if len(lower) < 2:
        raise ExplorerMessage(
            _(
                "Type at least 2 characters (letters, space, '.' or ','): the model predicts each "
                "next character, so it needs one to predict."
            )
        )
    unknown = sorted(set(lower) - set(T.VOCAB))
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:8]) + (" …" if len(unknown) > 8 else "")
        raise ExplorerMessage(
            _(
                "The model does not know the characters {shown}. It reads only the 26 letters "
                "a-z, space, '.' and ',' (it was trained on those): remove the others."
            ).format(shown=shown)
        )
    if len(lower) > max_len:
        lower = lower[:max_len]
        notes.append(
            _(
                "cut to its first {max_len} characters (the model has positional vectors "
                "e¹ … e{last} only)"
            ).format(max_len=max_len, last=plots.superscript(max_len))
        )
    return lower, notes


def _token_nll(logits: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """−log p(character i + 1) at each position i, from logits (n, vocab): shape (n − 1,)."""
    z = logits[:-1].astype(np.float64)
    z -= z.max(axis=1, keepdims=True)  # a stable log-softmax
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -log_p[np.arange(ids.size - 1), ids[1:]]


def _induction_targets(ids: np.ndarray) -> np.ndarray:
    """bool (n, n): key k is right after an earlier occurrence j = k − 1 of query i's token, k < i
    (where an induction head looks; the same targets as `helpers.transformer.induction_score`)."""
    n = ids.size
    same = ids[:, None] == ids[None, :]
    target = np.zeros((n, n), dtype=bool)
    target[:, 1:] = (same & np.tri(n, n, -2, dtype=bool))[:, :-1]
    return target


def _label(ch: str) -> str:
    return "␣" if ch == " " else ch


class ModelViewExplorer(Explorer):
    """The trained transformer of lesson 11 on the learner's own text.

    Controls: text (what the model reads: lower-cased, at most 64 characters of a-z, space, "."
    and ","), layer and head (the one shown large), knockout (silence that head: its output
    b^{i,h} is set to 0 before W^O mixes the heads, at every position).
    The figure: left, α′ of every layer × head (rows = layers, columns = heads; queries on rows,
    keys on columns), each titled with its previous-token and induction score on this text;
    clicking a map picks it. Right, the chosen map large, labelled with the characters, with ○ on
    the keys an induction head looks at. Below the maps, the loss of each next-character
    prediction, with the head and without it.
    """

    figsize = (12.0, 7.0)
    layout_controls = frozenset({"text"})  # new tokens: new labels and panel sizes
    dpi = 90
    # figure fractions of the fixed layout (no layout engine: every full draw is the same)
    _grid = {"left": 0.055, "right": 0.55, "top": 0.8, "bottom": 0.37, "hgap": 0.018,
             "vgap": 0.085}  # fmt: skip
    _big = (0.625, 0.135, 0.295, 0.7)  # left, bottom, width, height of the large map
    _loss = (0.075, 0.085, 0.475, 0.19)

    def __init__(
        self, text: str = DEFAULT_TEXT, *, layer=None, head=None, knockout=False, model=None
    ):
        """text: the text the model reads; layer, head: the 0-based indices of the head shown
        large (default: the head with the highest induction score on `head_scores`' strings);
        knockout: start with that head knocked out; model: `helpers.transformer.load_model()`'s
        dict (default: the shipped weights)."""
        self.model = T.load_model() if model is None else T._check_model(model)
        cfg = self.model["config"]
        self.n_layers, self.n_heads, self.max_len = cfg["n_layers"], cfg["n_heads"], cfg["max_len"]
        if (self.n_layers, self.n_heads) != (2, 4):
            raise ValueError(
                "model must have 2 layers of 4 heads (the model view's 2 × 4 grid); "
                f"got {self.n_layers} × {self.n_heads}"
            )
        if layer is None or head is None:
            with _BLAS.limit(limits=1, user_api="blas"):
                best = T.named_heads(T.head_scores(self.model))["induction"]
            best = (best[0][0] - 1, best[0][1] - 1) if best else (self.n_layers - 1, 0)
            layer = best[0] if layer is None else layer
            head = best[1] if head is None else head
        _check_choice("layer", layer, self.n_layers, "layer 1")
        _check_choice("head", head, self.n_heads, "head 1")
        if not isinstance(text, str):
            raise ValueError(f"text must be a str; got {type(text).__name__}")
        if not isinstance(knockout, (bool, np.bool_)):
            raise ValueError(f"knockout must be True or False; got {knockout!r}")
        self.controls = {
            "text": widgets.Text(
                value=text,
                description=_("your text"),
                placeholder=_("type lower-case text, say it twice"),
                continuous_update=False,
                layout=widgets.Layout(width="430px"),
            ),
            "layer": widgets.ToggleButtons(
                options=[(str(i + 1), i) for i in range(self.n_layers)],
                value=int(layer),
                description=_("layer"),
                style={"button_width": "34px"},
            ),
            "head": widgets.ToggleButtons(
                options=[(str(h + 1), h) for h in range(self.n_heads)],
                value=int(head),
                description=_("head"),
                style={"button_width": "34px"},
            ),
            "knockout": widgets.Checkbox(
                value=bool(knockout), description=_("knock this head out"), indent=False
            ),
        }
        self.controls["text"].style.description_width = "initial"
        self._drawn_text = None
        self._blitted = None
        super().__init__()
        self._click_cid = self.canvas.mpl_connect("button_press_event", self._on_click)

    # -- the pure part -----------------------------------------------------------------------------
    def compute(self, text: str, layer: int, head: int, knockout: bool) -> dict:
        """The model on this text, with the chosen head knocked out or not.

        Returns: "text" (as read), "notes", "tokens" (n characters), "ids" (n,), "layer", "head"
        (0-based), "knockout" (bool); "alpha_prime" (2, 4, n, n): the α′ on show (with the head
        knocked out, if it is: then layer 2's maps change when a layer-1 head is silenced);
        "previous_token" (2, 4) and "induction" ((2, 4), or None when no character repeats) of
        those maps; "selected" (n, n) = alpha_prime[layer, head]; "targets" bool (n, n), the keys
        an induction head looks at; "nll" (n − 1,) and "loss" (their mean) of the intact model;
        "nll_knocked", "loss_knocked": the same without the head (None when knockout is off).
        """
        _check_choice("layer", layer, self.n_layers, "layer 1")
        _check_choice("head", head, self.n_heads, "head 1")
        if not isinstance(knockout, (bool, np.bool_)):
            raise ValueError(f"knockout must be True or False; got {knockout!r}")
        text, notes = read_text(text, self.max_len)
        with _BLAS.limit(limits=1, user_api="blas"):
            intact = T.run(self.model, text)
            knocked = T.run(self.model, text, knockout=(layer + 1, head + 1)) if knockout else None
        ids = intact["ids"]
        shown = (knocked or intact)["alpha_prime"]  # (2, 4, n, n)
        scored = shown.astype(np.float64)
        targets = _induction_targets(ids)
        nll = _token_nll(intact["logits"], ids)
        nll_knocked = None if knocked is None else _token_nll(knocked["logits"], ids)
        return {
            "text": text,
            "notes": notes,
            "tokens": intact["tokens"],
            "ids": ids,
            "layer": int(layer),
            "head": int(head),
            "knockout": bool(knockout),
            "alpha_prime": shown,
            "selected": shown[layer, head],
            "previous_token": T.previous_token_score(scored),
            "induction": T.induction_score(scored, ids) if targets.any() else None,
            "targets": targets,
            "nll": nll,
            "loss": float(nll.mean()),
            "nll_knocked": nll_knocked,
            "loss_knocked": None if nll_knocked is None else float(nll_knocked.mean()),
        }

    # -- the view ----------------------------------------------------------------------------------
    def _grid_boxes(self) -> list[list[tuple]]:
        g = self._grid
        w = (g["right"] - g["left"] - (self.n_heads - 1) * g["hgap"]) / self.n_heads
        h = (g["top"] - g["bottom"] - (self.n_layers - 1) * g["vgap"]) / self.n_layers
        return [
            [
                (g["left"] + j * (w + g["hgap"]), g["top"] - (i + 1) * h - i * g["vgap"], w, h)
                for j in range(self.n_heads)
            ]
            for i in range(self.n_layers)
        ]

    def draw(self, fig, state):
        """Build every axes and artist once; `_relabel` fits them to a text (its length, its
        characters), here and whenever the text changes."""
        fig.clear()
        fig.set_layout_engine("none")
        empty = np.zeros((2, 2))
        self.suptitle = fig.text(0.5, 0.985, "", ha="center", va="top", fontsize=11)
        self.notes = fig.text(0.5, 0.948, "", ha="center", va="top", fontsize=9.5,
                              color=plots.VERMILION)  # fmt: skip
        fig.text(
            0.055,
            0.885,
            _(
                "α′ of every layer × head (queries on rows, keys on columns); "
                "click a map to show it large"
            ),
            fontsize=9.5,
            va="bottom",
            color="0.25",
        )
        self.small, self.small_titles, self._boxes = [], [], self._grid_boxes()
        for i, row in enumerate(self._boxes):
            for j, box in enumerate(row):
                ax = fig.add_axes(box)
                image = ax.imshow(
                    empty, cmap="viridis", vmin=0.0, vmax=1.0, interpolation="nearest",
                    aspect="auto",
                )  # fmt: skip
                ax.set_xticks([])
                ax.set_yticks([])
                if j == 0:
                    ax.set_ylabel(_("layer {layer}").format(layer=i + 1), fontsize=10)
                self.small.append((ax, image))
                self.small_titles.append(ax.set_title("\n", fontsize=9, linespacing=1.15))
        x, y, w, h = self._boxes[0][0]
        self.frame = Rectangle(
            (x, y), w, h, transform=fig.transFigure, fill=False, edgecolor=plots.VERMILION,
            linewidth=3.0, clip_on=False,
        )  # fmt: skip
        fig.add_artist(self.frame)
        # the large map, labelled with the characters (␣ is a space), ○ on the induction targets
        self.big = plots.attention_heatmap(
            empty, ["", ""], ax=fig.add_axes(self._big), annotate=False, colorbar=False,
            title="", xlabel=_("keys"), ylabel=_("queries"),
        )  # fmt: skip
        self.big.ax.title.set_fontsize(10)
        cax = fig.add_axes((self._big[0] + self._big[2] + 0.012, self._big[1], 0.011, self._big[3]))
        fig.colorbar(self.big.image, cax=cax, label="α′")
        self.targets = self.big.ax.scatter(
            [], [], facecolors="none", edgecolors="white", linewidths=0.8
        )
        self.note = fig.text(self._big[0], 0.012, "", fontsize=9, color="0.25", va="bottom")
        # the loss of each next-character prediction, with and without the head
        self.ax_loss = ax = fig.add_axes(self._loss)
        ax.axhline(GUESS_LOSS, color="0.55", linestyle="--", linewidth=0.9)
        ax.text(
            1.0, GUESS_LOSS, _(" guessing\n ln 29"), transform=ax.get_yaxis_transform(), fontsize=9,
            va="center", color="0.4",
        )  # fmt: skip
        style = {"linewidth": 1.6, "marker": "o", "markersize": 2.5}
        (self.line_intact,) = ax.plot([], [], color=plots.BLUE, label=_("the model"), **style)
        (self.line_knocked,) = ax.plot(
            [], [], color=plots.VERMILION, label=_("without the head"), **style
        )
        ax.set_ylim(0, LOSS_TOP)
        ax.set_xlabel(_("the character predicted (counted from 1)"), fontsize=9.5)
        ax.set_ylabel(_("−log p (nats)"), fontsize=9.5)
        ax.tick_params(labelsize=9)
        ax.legend(loc="upper right", fontsize=9, ncols=2, frameon=False)
        self.loss_title = ax.set_title("", fontsize=9.5, loc="left")
        self._blitted = None  # the groups update() returns: made again for the new artists
        self._relabel(state)

    def _relabel(self, state) -> None:
        """Fit the drawn artists to state's text: its length n (image sizes, axis limits) and its
        characters (the large map's labels, the ○ targets, the notes)."""
        n, tokens = len(state["tokens"]), state["tokens"]
        zeros = np.zeros((n, n))
        extent = (-0.5, n - 0.5, n - 0.5, -0.5)  # imshow's own for an (n, n) image
        for ax, image in [*self.small, (self.big.ax, self.big.image)]:
            image.set_data(zeros)
            image.set_extent(extent)
            ax.set_xlim(-0.5, n - 0.5)
            ax.set_ylim(n - 0.5, -0.5)
        labels = [_label(t) for t in tokens]
        font = {"fontsize": self._label_size(n), "fontfamily": "DejaVu Sans Mono"}
        self.big.ax.set_xticks(range(n), labels, rotation=0, **font)
        self.big.ax.set_yticks(range(n), labels, **font)
        k, i = np.nonzero(state["targets"].T)
        self.targets.set_offsets(np.column_stack([k, i]).astype(float))
        self.targets.set_sizes([max(4.0, 900 / n**1.3)])
        self.note.set_text(
            _("○ the key right after an earlier copy of the query's character:\n"
              "where an induction head looks")
            if state["targets"].any()
            else _("no character repeats, so an induction head has nothing to find:\n"
                   "type your text twice")
        )  # fmt: skip
        notes = _("; ").join(state["notes"])
        self.notes.set_text(_("({notes})").format(notes=notes) if state["notes"] else "")
        self.ax_loss.set_xlim(1.5, n + 0.5)
        self._drawn_text = state["text"]

    def _label_size(self, n: int) -> float:
        """Font size (points) of the large map's character labels: as large as a row and a column
        leave room for (a monospaced character is about 0.6 of its size wide), 5 … 10 points."""
        w, h = self.fig.bbox.width * self._big[2], self.fig.bbox.height * self._big[3]
        px = min(0.8 * h / n, 1.5 * w / n)
        return float(np.clip(px * 72 / self.fig.dpi, 5.0, 10.0))

    @staticmethod
    def _small_title(state, layer: int, head: int) -> str:
        prev = state["previous_token"][layer, head]
        ind = state["induction"]
        ind_text = "–" if ind is None else f"{ind[layer, head]:.2f}"
        mark = (
            "✕ " if state["knockout"] and (layer, head) == (state["layer"], state["head"]) else ""
        )
        return mark + _("{head}\nprev {prev} · ind {ind}").format(
            head=head_name(layer, head), prev=f"{prev:.2f}", ind=ind_text
        )

    @staticmethod
    def _suptitle(state) -> str:
        head = head_name(state["layer"], state["head"])
        ko = _(", with {head} knocked out").format(head=head) if state["knockout"] else ""
        return _("The trained model reads “{text}” ({n} characters){knockout}").format(
            text=state["text"], n=len(state["tokens"]), knockout=ko
        )

    @staticmethod
    def _big_title(state) -> str:
        layer, head = state["layer"], state["head"]
        prev = state["previous_token"][layer, head]
        ind = state["induction"]
        ind_text = "–" if ind is None else f"{ind[layer, head]:.2f}"
        off = _(" (✕ knocked out: its output is set to 0)") if state["knockout"] else ""
        return _(
            "α′ of {head}{knocked_out}\nprevious-token score {prev} · induction score {ind}"
        ).format(head=head_name(layer, head), knocked_out=off, prev=f"{prev:.2f}", ind=ind_text)

    @staticmethod
    def _loss_title(state) -> str:
        base = _("loss of each next-character prediction: mean {loss} nats").format(
            loss=f"{state['loss']:.2f}"
        )
        if state["loss_knocked"] is None:
            return base + _(" (tick “knock this head out” to compare)")
        rise = state["loss_knocked"] - state["loss"]
        return _("{base}; without {head}: {loss} ({rise})").format(
            base=base,
            head=head_name(state["layer"], state["head"]),
            loss=f"{state['loss_knocked']:.2f}",
            rise=f"{rise:+.2f}",
        )

    def _groups(self) -> list:
        """The blitted artists as four groups that remember their pixels (the small maps with
        their titles, the large map with its title, the loss panel, the title on top), then the
        frame around the chosen map: a move back to a view seen before only pastes pixels."""

        def boxes(*items):
            def region(renderer):
                return Bbox.union(
                    [
                        i.bbox
                        if hasattr(i, "bbox") and not hasattr(i, "get_text")
                        else i.get_window_extent(renderer)
                        for i in items
                    ]
                )

            return region

        images = [image for _, image in self.small]
        small = self.cached_group(
            [*images, *self.small_titles],
            lambda: (
                tuple(i.get_array().tobytes() for i in images),
                tuple((t.get_text(), t.get_color()) for t in self.small_titles),
            ),
            boxes(*(ax for ax, _ in self.small), *self.small_titles),
        )
        big = self.cached_group(
            [self.big.image, self.big.ax.title],
            lambda: (self.big.image.get_array().tobytes(), self.big.ax.title.get_text()),
            boxes(self.big.ax, self.big.ax.title),
        )
        lines = (self.line_intact, self.line_knocked)
        loss = self.cached_group(
            [*lines, self.loss_title],
            lambda: (
                tuple(np.asarray(line.get_ydata(), float).tobytes() for line in lines),
                self.loss_title.get_text(),
            ),
            boxes(self.ax_loss, self.loss_title),
        )
        title = self.cached_group([self.suptitle], self.suptitle.get_text, boxes(self.suptitle))
        return [small, big, loss, title, self.frame]

    def update(self, state):
        redraw = state["text"] != self._drawn_text
        if redraw:  # new characters (or another length): new labels, targets and sizes
            self._relabel(state)
        n = len(state["tokens"])
        for (_ax, image), title, A, (i, j) in zip(
            self.small,
            self.small_titles,
            state["alpha_prime"].reshape(-1, n, n),
            np.ndindex(self.n_layers, self.n_heads),
            strict=True,
        ):
            image.set_data(A)
            title.set_text(self._small_title(state, i, j))
            knocked = state["knockout"] and (i, j) == (state["layer"], state["head"])
            title.set_color(plots.VERMILION if knocked else "black")
        x, y, _w, _h = self._boxes[state["layer"]][state["head"]]
        self.frame.set_xy((x, y))
        self.big.update(state["selected"])
        self.big.ax.title.set_text(self._big_title(state))
        x = np.arange(2, n + 1)
        self.line_intact.set_data(x, np.minimum(state["nll"], LOSS_TOP))
        if state["nll_knocked"] is None:
            self.line_knocked.set_data([], [])
        else:
            self.line_knocked.set_data(x, np.minimum(state["nll_knocked"], LOSS_TOP))
        self.loss_title.set_text(self._loss_title(state))
        self.suptitle.set_text(self._suptitle(state))
        if redraw or self._blitted is None:
            self._blitted = self._groups()
        return None if redraw else self._blitted

    def background_key(self):
        """The static panels follow the text (`_relabel`); every other control blits."""
        return (self._drawn_text,)

    def _on_click(self, event) -> None:
        """A click on a small map shows that layer × head large (through the controls, so they
        agree)."""
        for k, (ax, _image) in enumerate(self.small):
            if event.inaxes is ax:
                self._guard(lambda k=k: self._select(*divmod(k, self.n_heads)))
                return

    def _select(self, layer: int, head: int) -> None:
        with self.hold():
            self.controls["layer"].value = layer
            self.controls["head"].value = head


def _check_choice(name: str, value, count: int, first: str) -> None:
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (int, np.integer))
        or not (0 <= value < count)
    ):
        raise ValueError(
            f"{name} must be a 0-based index 0 … {count - 1} ({first} is 0); got {value!r}"
        )


# ---- the lesson's printouts of the heads ---------------------------------------------------------
def head_table(values, *, fmt: str = "{:.2f}", mark=()) -> str:
    """A (n_layers, n_heads) table as text: rows "layer 1", "layer 2", …, columns "head 1" ….

    mark: heads as (layer, head) counted from 1, as `named_heads` gives them; they get a "◀".
    """
    arr = as_float_array("values", values, 2, "(n_layers, n_heads)")
    check_nonempty("values", arr, "(n_layers, n_heads)")
    fmt = check_text("fmt", fmt)
    try:
        fmt.format(0.0)
    except Exception as exc:  # "{:d}" and the like
        raise ValueError(
            f"fmt must format one number, like '{{:.2f}}'; {fmt!r} gives {exc}"
        ) from None
    marked = set()
    for pair in mark:
        ok = isinstance(pair, (tuple, list)) and len(pair) == 2
        if not ok or not (1 <= pair[0] <= arr.shape[0] and 1 <= pair[1] <= arr.shape[1]):
            raise ValueError(
                f"mark must hold (layer, head) pairs counted from 1, layer 1 … {arr.shape[0]}, "
                f"head 1 … {arr.shape[1]}; got {pair!r}"
            )
        marked.add((int(pair[0]) - 1, int(pair[1]) - 1))
    header = " " * 9 + "".join(
        pad(_("head {head}").format(head=h + 1), 10, ">") for h in range(arr.shape[1])
    )
    rows = [header]
    for i, row in enumerate(arr):
        cells = "".join(
            f"{fmt.format(v) + (' ◀' if (i, j) in marked else '  '):>10}" for j, v in enumerate(row)
        )
        rows.append(pad(_("layer {layer}").format(layer=i + 1), 9) + cells)
    return "\n".join(rows)


def knockout_chart(knock: dict, names: dict | None = None, *, ax=None, title: str | None = None):
    """Bars of the loss on repeated strings with each head knocked out (`knockout_losses`' dict),
    beside the intact model's loss and guessing (ln 29). names: `named_heads`' dict, to colour
    and label the heads it names. Returns the axes."""
    if not (isinstance(knock, dict) and {"intact", "knockout"} <= knock.keys()):
        raise ValueError(
            f"knock must be the dict that knockout_losses() returns; got {type(knock).__name__}"
        )
    losses = np.asarray(knock["knockout"], dtype=float)  # (n_layers, n_heads)
    n_layers, n_heads = losses.shape
    kinds = {
        "previous_token": (_("previous-token"), plots.VERMILION),
        "two_back": (_("two back"), plots.ORANGE),
        "induction": (_("induction"), plots.BLUE),
    }
    role = {}
    for kind, heads in (names or {}).items():
        for layer, head in heads:
            role.setdefault((layer - 1, head - 1), kind)
    if ax is None:
        fig = plots.new_figure((8.0, 3.6))
        ax = fig.add_subplot()
    x = np.arange(n_layers * n_heads)
    colours = [
        kinds[role[(i, j)]][1] if (i, j) in role else "0.7"
        for i, j in np.ndindex(n_layers, n_heads)
    ]
    ax.bar(x, losses.ravel(), color=colours)
    for k, v in zip(x, losses.ravel(), strict=True):
        ax.text(
            k,
            v + 0.05,
            f"{v:.2f}",
            ha="center",
            va="bottom",
            fontsize=9,
            zorder=3,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )
    ax.axhline(knock["intact"], color="black", linewidth=1.2, zorder=2)
    ax.axhline(GUESS_LOSS, color="0.45", linestyle="--", linewidth=1.0, zorder=2)
    ax.text(
        x[-1] + 0.6,
        knock["intact"],
        _(" intact\n {loss}").format(loss=f"{knock['intact']:.2f}"),
        va="center",
        fontsize=9,
    )
    ax.text(
        x[-1] + 0.6,
        GUESS_LOSS,
        _(" guessing\n ln 29 = {loss}").format(loss=f"{GUESS_LOSS:.2f}"),
        va="center",
        fontsize=9,
        color="0.35",
    )
    labels = [
        _("layer {layer}\nhead {head}").format(layer=i + 1, head=j + 1)
        + (f"\n{kinds[role[(i, j)]][0]}" if (i, j) in role else "")
        for i, j in np.ndindex(n_layers, n_heads)
    ]
    ax.set_xticks(x, labels, fontsize=8.5)
    ax.set_xlim(-0.6, x[-1] + 0.6)
    ax.set_ylim(0, max(GUESS_LOSS, losses.max()) * 1.15)
    ax.set_ylabel(_("loss on the repeats (nats)"))
    ax.set_title(title or _("the loss on repeated strings with one head knocked out"), fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax
