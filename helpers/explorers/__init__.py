"""The explorers, one module per idea (the lesson → module table is in `helpers/__init__.py`).

Every explorer follows `helpers.explorer.Explorer`."""

import ipywidgets as widgets

from ..language import _


def seed_slider(width: str = "320px") -> widgets.IntSlider:
    """The "weights seed" slider (0…20) of the explorers that draw toy weights
    (`helpers.data.toy_weights(seed)`)."""
    return widgets.IntSlider(
        value=0, min=0, max=20, description=_("weights seed"), layout=widgets.Layout(width=width)
    )
