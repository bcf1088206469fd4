"""Lesson 03: `ScoreToyExplorer`, move q and k in 2-D and watch the dot-product and additive
scores α. The two scores follow different rules: q·k is largest when k points the way q does,
wᵀ tanh(q + k) when q + k points along w (q and k both at 225°: q·k = +2.25, but
wᵀ tanh(q + k) = −1.94).

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import plots
from ..explorer import Explorer
from ..language import _

ADDITIVE_W = np.array([1.0, 1.0])  # the w of the toy's additive score α = wᵀ tanh(q + k)
# The arrows run from the origin exactly to the vector's tip (matplotlib's default shortens both
# ends by 2 points, which also costs a Bézier clip of every arrow on every move).
EXACT = {"shrinkA": 0, "shrinkB": 0}


def additive_score(q, k, w=ADDITIVE_W) -> np.ndarray:
    """α = wᵀ tanh(q + k) for q, k of shape (..., 2): the lecture's additive score with the
    projections
    already applied (q = W^q a, k = W^k a). Broadcasts over leading axes."""
    return np.tanh(np.asarray(q) + np.asarray(k)) @ np.asarray(w)


def _label_at(v: np.ndarray, side: int) -> np.ndarray:
    """Where an arrow's label goes: just past its tip, nudged to one side (+1 left, −1 right), so
    two arrows that point the same way keep their labels apart."""
    length = float(np.linalg.norm(v))
    u = v / length if length > 1e-12 else np.array([1.0, 0.0])
    return v + 0.15 * u + 0.2 * side * np.array([-u[1], u[0]])


class ScoreToyExplorer(Explorer):
    """q and k as 2-D arrows: sliders set their angle and length. Left, the dot-product score q·k
    for every position k could take (the colour) and for this k (the text); right, the additive
    score, with w (grey) and the direction of q + k (dashed): it is largest where q + k points
    along w, not where k points along q."""

    figsize = (8.6, 4.2)
    # the query's sliders: each value's titles and formulas placed once while the learner reads
    prepare_controls = frozenset({"q_angle", "q_length"})
    extent = 2.2  # the plane shown: [-extent, extent]²
    # One field cell per screen pixel of a panel (264 px at the course's dpi): drawn "nearest", the
    # fields look as smooth as a bilinear 81² grid did, and take the cached pixel map
    # (helpers/_canvas.py) instead of a resampling on every move.
    grid_n = 264

    def __init__(
        self,
        *,
        q_angle: int = 30,
        q_length: float = 1.5,
        k_angle: int = 60,
        k_length: float = 1.5,
    ) -> None:
        self.controls = {
            "q_angle": widgets.IntSlider(
                min=0,
                max=355,
                step=5,
                description=_("q angle°"),
                continuous_update=True,
            ),
            "q_length": widgets.FloatSlider(
                value=1.5,
                min=0.2,
                max=2.0,
                step=0.1,
                description="|q|",
                continuous_update=True,
            ),
            "k_angle": widgets.IntSlider(
                min=0,
                max=355,
                step=5,
                description=_("k angle°"),
                continuous_update=True,
            ),
            "k_length": widgets.FloatSlider(
                value=1.5,
                min=0.2,
                max=2.0,
                step=0.1,
                description="|k|",
                continuous_update=True,
            ),
        }
        # (grid_n,): the k coordinates along either axis
        self.axis = np.linspace(-self.extent, self.extent, self.grid_n)
        super().__init__(q_angle=q_angle, q_length=q_length, k_angle=k_angle, k_length=k_length)

    @property
    def grid(self) -> np.ndarray:
        """(grid_n, grid_n, 2): every k on the plane, [row, column] = (axis[column], axis[row])."""
        return np.stack(np.meshgrid(self.axis, self.axis), axis=-1)

    @staticmethod
    def vector(angle_deg: float, length: float) -> np.ndarray:
        a = np.deg2rad(angle_deg)
        return length * np.array([np.cos(a), np.sin(a)])

    def compute(self, q_angle: float, q_length: float, k_angle: float, k_length: float) -> dict:
        """q, k (2,), dot = q·k, additive = wᵀtanh(q + k), cos θ, q + k and the angle between
        q + k and w, and both score fields (grid_n, grid_n)."""
        q = self.vector(q_angle, q_length)
        k = self.vector(k_angle, k_length)
        s = q + k
        w = ADDITIVE_W
        norm_s = float(np.linalg.norm(s))
        cos_sw = float(s @ w / (norm_s * np.linalg.norm(w))) if norm_s > 1e-12 else 0.0
        return {
            "q": q,
            "k": k,
            "q_plus_k": s,
            "angle_q_plus_k_w": float(np.degrees(np.arccos(np.clip(cos_sw, -1.0, 1.0)))),
            "dot": float(q @ k),
            "additive": float(additive_score(q, k)),
            "cos": float(q @ k / (np.linalg.norm(q) * np.linalg.norm(k))),
            # (grid_n, grid_n): q·k and wᵀ tanh(q + k) for every k on the plane. Both are sums of
            # one term per coordinate, and k's x varies along columns, its y along rows: an outer
            # sum of two (grid_n,) vectors, the same numbers (to rounding) as `self.grid @ q`
            # and `additive_score(q, self.grid)`, for 2·grid_n tanh's instead of 2·grid_n².
            "dot_field": q[0] * self.axis[None, :] + q[1] * self.axis[:, None],
            "additive_field": w[0] * np.tanh(q[0] + self.axis)[None, :]
            + w[1] * np.tanh(q[1] + self.axis)[:, None],
        }

    def _texts(self, state):
        return (
            _("dot product: α = q·k = {dot:+.2f}\n(|q| |k| cos θ, cos θ = {cos:+.2f})").format(
                dot=state["dot"], cos=state["cos"]
            ),
            _(
                "additive: α = wᵀ tanh(q + k) = {additive:+.2f}\n(largest where q + k points "
                "along w; now {angle:.0f}° off)"
            ).format(additive=state["additive"], angle=state["angle_q_plus_k_w"]),
        )

    def draw(self, fig, state) -> None:
        e = self.extent
        axes = fig.subplots(
            1,
            2,
            gridspec_kw={"left": 0.05, "right": 0.9, "top": 0.8, "bottom": 0.08, "wspace": 0.3},
        )
        self.images, self.q_arrows, self.k_arrows, self.titles = [], [], [], []
        for ax, field, lim in zip(axes, ("dot_field", "additive_field"), (4.0, 2.0), strict=True):
            im = ax.imshow(
                state[field],
                origin="lower",
                extent=(-e, e, -e, e),
                cmap="RdBu_r",
                vmin=-lim,
                vmax=lim,
                interpolation="nearest",
            )
            fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03, label=_("α if k were here"))
            ax.axhline(0, color="0.6", linewidth=0.5)
            ax.axvline(0, color="0.6", linewidth=0.5)
            qa = ax.annotate(
                "",
                xy=state["q"],
                xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 2, **EXACT},
            )
            ka = ax.annotate(
                "",
                xy=state["k"],
                xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": plots.GREEN, "linewidth": 2, **EXACT},
            )
            self.images.append(im)
            self.q_arrows.append(
                (
                    qa,
                    ax.text(
                        *_label_at(state["q"], +1),
                        "q",
                        fontsize=11,
                        fontweight="bold",
                        ha="center",
                        va="center",
                    ),
                )
            )
            self.k_arrows.append(
                (
                    ka,
                    ax.text(
                        *_label_at(state["k"], -1),
                        "k",
                        fontsize=11,
                        fontweight="bold",
                        color=plots.GREEN,
                        ha="center",
                        va="center",
                    ),
                )
            )
            ax.set_xlim(-e, e)
            ax.set_ylim(-e, e)
            ax.set_aspect("equal")
            ax.set_xticks([-2, -1, 0, 1, 2])
            ax.set_yticks([-2, -1, 0, 1, 2])
            ax.tick_params(labelsize=7)
        for ax, text in zip(axes, self._texts(state), strict=True):
            self.titles.append(ax.set_title(text, fontsize=9))
        ax = axes[1]  # the additive score's own cast: w, and where q + k points
        w_tip = ADDITIVE_W / np.linalg.norm(ADDITIVE_W) * 2.0
        ax.annotate(
            "",
            xy=w_tip,
            xytext=(0, 0),
            arrowprops={
                "arrowstyle": "-|>",
                "color": "0.45",
                "linewidth": 1.5,
                "linestyle": ":",
                **EXACT,
            },
        )
        ax.text(*_label_at(w_tip, -1), "w", color="0.3", fontsize=10, ha="center", va="center")
        tip = self._sum_tip(state)
        self.sum_arrow = ax.annotate(
            "",
            xy=tip,
            xytext=(0, 0),
            arrowprops={
                "arrowstyle": "-|>",
                "color": plots.VERMILION,
                "linewidth": 1.5,
                "linestyle": "--",
                **EXACT,
            },
        )
        self.sum_text = ax.text(
            *_label_at(tip, +1), "q+k", fontsize=9, color=plots.VERMILION, ha="center", va="center"
        )

    def _sum_tip(self, state) -> np.ndarray:
        """Where the dashed q + k arrow ends: q + k itself, shortened to stay inside the plane."""
        s = state["q_plus_k"]
        length = float(np.linalg.norm(s))
        limit = 0.85 * self.extent
        return s * (limit / length) if length > limit else s

    def update(self, state) -> list:
        artists = []
        for im, field in zip(self.images, ("dot_field", "additive_field"), strict=True):
            im.set_data(state[field])
            artists.append(im)
        for (qa, qt), (ka, kt) in zip(self.q_arrows, self.k_arrows, strict=True):
            qa.xy = tuple(state["q"])
            ka.xy = tuple(state["k"])
            qt.set_position(tuple(_label_at(state["q"], +1)))
            kt.set_position(tuple(_label_at(state["k"], -1)))
            artists += [qa, qt, ka, kt]
        for title, text in zip(self.titles, self._texts(state), strict=True):
            title.set_text(text)
            artists.append(title)
        tip = self._sum_tip(state)
        self.sum_arrow.xy = tuple(tip)
        self.sum_text.set_position(tuple(_label_at(tip, +1)))
        return [*artists, self.sum_arrow, self.sum_text]
