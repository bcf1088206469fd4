"""Lesson 04: `SoftmaxExplorer`, temperature, softmax / ReLU / none, ÷√d_k and d_k → each row of α′.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import data, plots
from .._validate import as_float_array, check_nonempty
from ..attention import normalise
from ..explorer import Explorer
from ..language import _
from ..plots import attention_heatmap, display_label, nice_limit, superscript

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

D_K_CHOICES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


# The seed of the demo's W_q, W_k: with the course's word vectors, it is the one seed of 0–299 for
# which the query "saw" attends most to a "saw" at every d_k the slider offers (1 … 512).
DEMO_SEED = 202


def softmax_demo_scores(tokens, d_k: int, *, scale: bool, seed: int = DEMO_SEED) -> np.ndarray:
    """α (n, n) = Q Kᵀ (÷ √d_k when `scale`) for the tokens' embeddings (rows scaled to
    length 1.5) and
    seeded N(0, 1) projections W_q, W_k of shape (d, d_k); so each score has variance about 5·d_k.

    The projections for a smaller d_k are the first d_k columns of the ones for a larger d_k.
    """
    X = data.embed(tokens)  # (n, d)
    X = 1.5 * X / np.linalg.norm(X, axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    W_q = rng.standard_normal((X.shape[1], max(D_K_CHOICES)))[:, :d_k]  # (d, d_k)
    W_k = rng.standard_normal((X.shape[1], max(D_K_CHOICES)))[:, :d_k]  # (d, d_k)
    alpha = (X @ W_q) @ (X @ W_k).T  # (n, n)
    return alpha / np.sqrt(d_k) if scale else alpha


def naive_softmax(alpha) -> np.ndarray:
    """exp(α) / Σ exp(α) row by row *without* subtracting the maximum (overflows for scores ≳
    710)."""
    alpha = as_float_array("alpha", alpha, None, "(n_queries, n_keys)")
    check_nonempty("alpha", alpha, "(n_queries, n_keys)")
    with np.errstate(all="ignore"):
        e = np.exp(alpha)
        return e / e.sum(axis=-1, keepdims=True)


class SoftmaxExplorer(Explorer):
    """Temperature, normalisation and the ÷√d_k scale over the scores of "I saw a saw .": one
    query's
    row as bars (scores, then weights α′) and the whole α′ as a labelled heatmap."""

    figsize = (9.0, 4.4)
    # each kind and d_k has its own limits: titles, colour bar and y axes kept as pixels (got ready)
    prepare_controls = frozenset({"kind", "d_k"})
    query = 1  # the first "saw": a², X[1]

    def __init__(self) -> None:
        self.tokens = data.tokenize(data.example_sentences("softmax")[0])
        self.controls = {
            "temperature": widgets.FloatLogSlider(
                value=1.0,
                base=10,
                min=-1.7,
                max=1.3,
                step=0.05,
                description=_("temperature T"),
                continuous_update=True,
                readout_format=".2f",
            ),
            "kind": widgets.Dropdown(
                options=["softmax", "relu", "none"], value="softmax", description=_("normalise")
            ),
            "scale": widgets.Checkbox(value=True, description=_("scale by 1/√d_k")),
            "d_k": widgets.SelectionSlider(
                options=list(D_K_CHOICES), value=64, description="d_k", continuous_update=True
            ),
        }
        super().__init__()

    def compute(self, temperature: float, kind: str, scale: bool, d_k: int) -> dict:
        """alpha (n, n) ÷ T, alpha_prime (n, n) = normalise(alpha / T, kind), row sums,
        and whether a
        softmax without the max subtraction would have produced NaN (which rows)."""
        if (
            not isinstance(temperature, int | float)
            or not np.isfinite(temperature)
            or temperature <= 0
        ):
            raise ValueError(
                _("temperature must be a finite number > 0; got {temperature!r}").format(
                    temperature=temperature
                )
            )
        if d_k not in D_K_CHOICES:
            raise ValueError(
                _("d_k must be one of {choices}; got {d_k!r}").format(choices=D_K_CHOICES, d_k=d_k)
            )
        alpha = softmax_demo_scores(self.tokens, d_k, scale=scale) / temperature  # (n, n)
        alpha_prime = normalise(alpha, kind)  # (n, n)
        naive_bad = ~np.all(np.isfinite(naive_softmax(alpha)), axis=1)  # (n,)
        return {
            "alpha": alpha,
            "alpha_prime": alpha_prime,
            "row_sums": alpha_prime.sum(axis=1),
            "kind": kind,
            "normalisation": kind,
            "naive_nan_rows": int(naive_bad.sum()),
            "max_abs": float(np.abs(alpha).max()),
        }

    def _limits(self, state):
        score_lim = nice_limit(np.abs(state["alpha"]).max())
        if state["kind"] == "softmax":
            return score_lim, (0.0, 1.0)
        w_lim = nice_limit(np.abs(state["alpha_prime"]).max())
        return score_lim, ((-w_lim if state["kind"] == "none" else 0.0), w_lim)

    def _notes(self, state) -> str:
        sums = ", ".join(f"{s:.2f}" for s in state["row_sums"])
        stable = (
            _("exp without subtracting the max: NaN in {n} row(s); with it: all finite").format(
                n=state["naive_nan_rows"]
            )
            if state["naive_nan_rows"]
            else _("largest |α/T| = {max_abs:.3g}: exp stays finite either way").format(
                max_abs=state["max_abs"]
            )
        )
        name = "α / T" if state["kind"] == "none" else "α′"
        return _("row sums of {name}: {sums}").format(name=name, sums=sums) + "\n" + stable

    def draw(self, fig, state) -> None:
        gs = fig.add_gridspec(
            2,
            2,
            width_ratios=[1.0, 1.15],
            left=0.08,
            right=0.9,
            top=0.9,
            bottom=0.2,
            hspace=0.55,
            wspace=0.35,
        )
        self.ax_a, self.ax_w, ax_h = (
            fig.add_subplot(gs[0, 0]),
            fig.add_subplot(gs[1, 0]),
            fig.add_subplot(gs[:, 1]),
        )
        x = np.arange(len(self.tokens))
        labels = [display_label(t) for t in self.tokens]
        q = self.query
        self.bars_a = self.ax_a.bar(x, state["alpha"][q], color=plots.BLUE)
        self.bars_w = self.ax_w.bar(x, state["alpha_prime"][q], color=plots.VERMILION)
        sub = str(q + 1).translate(_SUBSCRIPTS)  # the lecture counts from 1: X[1] is a²
        self.ax_a.set_title(
            _("scores α{sub},ᵢ / T  (query a{sup} “{token}”)").format(
                sub=sub, sup=superscript(q + 1), token=self.tokens[q]
            ),
            fontsize=9,
        )
        self.w_title = self.ax_w.set_title("", fontsize=9)
        for ax in (self.ax_a, self.ax_w):
            ax.set_xticks(x, labels, fontsize=8)
            ax.axhline(0, color="0.5", linewidth=0.6)
            ax.tick_params(labelsize=7)
        self.heat = attention_heatmap(
            state["alpha_prime"],
            self.tokens,
            ax=ax_h,
            title="",
            highlight_row=q,
        )
        self.notes = fig.text(0.5, 0.03, self._notes(state), ha="center", va="bottom", fontsize=8.5)
        # the bars' y axes follow T, and the titles and the colour bar follow the normalisation
        # and the colour limits: all blitted (their pixels kept per text or limit), not in the
        # background, so no control needs a full redraw
        self.cached_axes = [
            self.cached_axis(self.ax_a.yaxis, self.ax_a.get_ylim),
            self.cached_axis(self.ax_w.yaxis, self.ax_w.get_ylim),
        ]
        self.cached_axes += [
            self.cached_group([t], t.get_text, t.get_window_extent)
            for t in (self.w_title, self.heat.ax.title)
        ]
        bar = self.heat.colorbar
        if bar is not None:
            self.cached_axes.append(
                self.cached_group(
                    [bar.ax],
                    lambda: (self.heat.image.get_clim(), bar.ax.yaxis.label.get_text()),
                    bar.ax.get_tightbbox,
                )
            )
        self._apply_limits(state)

    def _titles(self, state) -> tuple[str, str, str]:
        """The weights' bar title, the heatmap's title and its colour bar label: without a
        normalisation there are no weights α′, only the scores α / T."""
        sub = str(self.query + 1).translate(_SUBSCRIPTS)
        if state["kind"] == "none":
            return (
                _("no normalisation: α{sub},ᵢ / T as they are").format(sub=sub),
                _("α / T for every query (rows): no normalisation"),
                "α / T",
            )
        return (
            _("weights α′{sub},ᵢ ({kind})").format(sub=sub, kind=state["kind"]),
            _("α′ for every query (rows)"),
            "α′",
        )

    def _apply_limits(self, state) -> None:
        """Titles, y limits and colour limits for this state (all blitted, see draw)."""
        w_title, h_title, c_label = self._titles(state)
        self.w_title.set_text(w_title)
        self.heat.ax.set_title(h_title)
        if self.heat.colorbar is not None:
            self.heat.colorbar.set_label(c_label)
        score_lim, (w_lo, w_hi) = self._limits(state)
        self.ax_a.set_ylim(-score_lim, score_lim)
        self.ax_w.set_ylim(w_lo, w_hi)
        self.heat.set_clim(w_lo, w_hi)

    def update(self, state):
        q = self.query
        for bar, v in zip(self.bars_a, state["alpha"][q], strict=True):
            bar.set_height(v)
        for bar, v in zip(self.bars_w, state["alpha_prime"][q], strict=True):
            bar.set_height(v)
        self.notes.set_text(self._notes(state))
        self._apply_limits(state)  # before the heatmap's update: its value texts' ink follows
        return [
            *self.cached_axes,  # first: nothing else blitted is in their pixels yet
            *self.bars_a,
            *self.bars_w,
            *self.heat.update(state["alpha_prime"]),
            self.notes,
        ]
