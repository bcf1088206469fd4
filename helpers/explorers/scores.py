"""Lesson 03: `ScoreToyExplorer`, move q and k in 2-D and watch the dot-product and additive
scores α.

Each follows `helpers.explorer.Explorer`: a pure `compute()`, a figure drawn once, updated in place.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import plots
from ..explorer import Explorer

ADDITIVE_W = np.array([1.0, 1.0])  # the w of the toy's additive score α = wᵀ tanh(q + k)


def additive_score(q, k, w=ADDITIVE_W) -> np.ndarray:
    """α = wᵀ tanh(q + k) for q, k of shape (..., 2): the lecture's additive score with the
    projections
    already applied (q = W^q a, k = W^k a). Broadcasts over leading axes."""
    return np.tanh(np.asarray(q) + np.asarray(k)) @ np.asarray(w)


class ScoreToyExplorer(Explorer):
    """q and k as 2-D arrows: sliders set their angle and length. Left, the dot-product score
    q·k for
    every position k could take (the colour) and for this k (the text); right, the additive
    score."""

    figsize = (8.6, 4.2)
    extent = 2.2  # the plane shown: [-extent, extent]²
    grid_n = 81

    def __init__(self) -> None:
        self.controls = {
            "q_angle": widgets.IntSlider(
                value=30, min=0, max=355, step=5, description="q angle°", continuous_update=True
            ),
            "q_length": widgets.FloatSlider(
                value=1.5, min=0.2, max=2.0, step=0.1, description="|q|", continuous_update=True
            ),
            "k_angle": widgets.IntSlider(
                value=60, min=0, max=355, step=5, description="k angle°", continuous_update=True
            ),
            "k_length": widgets.FloatSlider(
                value=1.5, min=0.2, max=2.0, step=0.1, description="|k|", continuous_update=True
            ),
        }
        g = np.linspace(-self.extent, self.extent, self.grid_n)
        self.grid = np.stack(
            np.meshgrid(g, g), axis=-1
        )  # (grid_n, grid_n, 2): every k on the plane
        super().__init__()

    @staticmethod
    def vector(angle_deg: float, length: float) -> np.ndarray:
        a = np.deg2rad(angle_deg)
        return length * np.array([np.cos(a), np.sin(a)])

    def compute(self, q_angle: float, q_length: float, k_angle: float, k_length: float) -> dict:
        """q, k (2,), dot = q·k, additive = wᵀtanh(q + k), cos θ, and both score fields (grid_n,
        grid_n)."""
        q = self.vector(q_angle, q_length)
        k = self.vector(k_angle, k_length)
        return {
            "q": q,
            "k": k,
            "dot": float(q @ k),
            "additive": float(additive_score(q, k)),
            "cos": float(q @ k / (np.linalg.norm(q) * np.linalg.norm(k))),
            "dot_field": self.grid @ q,  # (grid_n, grid_n): q·k for every k on the plane
            "additive_field": additive_score(q, self.grid),  # (grid_n, grid_n)
        }

    def _texts(self, state):
        return (
            f"dot product: α = q·k = {state['dot']:+.2f}\n(|q| |k| cos θ, cos θ = "
            f"{state['cos']:+.2f})",
            f"additive: α = wᵀ tanh(q + k) = {state['additive']:+.2f}\n(w = (1, 1); always between "
            "−2 and 2)",
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
                interpolation="bilinear",
            )
            fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03, label="α if k were here")
            ax.axhline(0, color="0.6", linewidth=0.5)
            ax.axvline(0, color="0.6", linewidth=0.5)
            qa = ax.annotate(
                "",
                xy=state["q"],
                xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 2},
            )
            ka = ax.annotate(
                "",
                xy=state["k"],
                xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": plots.GREEN, "linewidth": 2},
            )
            self.images.append(im)
            self.q_arrows.append(
                (
                    qa,
                    ax.text(
                        *(state["q"] * 1.12),
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
                        *(state["k"] * 1.12),
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

    def update(self, state) -> list:
        artists = []
        for im, field in zip(self.images, ("dot_field", "additive_field"), strict=True):
            im.set_data(state[field])
            artists.append(im)
        for (qa, qt), (ka, kt) in zip(self.q_arrows, self.k_arrows, strict=True):
            qa.xy = tuple(state["q"])
            ka.xy = tuple(state["k"])
            qt.set_position(tuple(state["q"] * 1.12))
            kt.set_position(tuple(state["k"] * 1.12))
            artists += [qa, qt, ka, kt]
        for title, text in zip(self.titles, self._texts(state), strict=True):
            title.set_text(text)
            artists.append(title)
        return artists
