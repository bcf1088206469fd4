"""Helpers for the course "Self-Attention, Interactively" (Hung-yi Lee, ML 2022, "Self-attention").

One module per idea. A name leads from a lesson to `helpers/X.py`, to `helpers/explorers/X.py`
where the idea has an explorer, and to `tests/test_X.py` (`tests/explorers/test_X_explorer.py`).

| lesson                       | ideas (modules)                         | explorers
(helpers/explorers/)  |
|------------------------------|-----------------------------------------|--------------------------
-------|
| 00 start here                | attention, data                         | attention
|
| 01 vector sets               | data, speech, images, plots             | vectors
|
| 02 FC and window baselines   | taggers, data                           | windows
|
| 03 α, the attention scores   | attention, data, plots                  | scores, attention
|
| 04 softmax                   | attention                               | softmax
|
| 05 the weighted sum into b   | attention, taggers, data, plots         | weighted_sum
|
| 06 multi-head                | multihead, attention, plots             | multihead
|
| 07 positional encoding       | positional, attention, data             | positional
|
| 08 speech, truncated         | speech, attention                       | truncation
|
| 09 images as patches         | images, plots                           | patches
|
| 10 beyond                    | graphs, attention, plots                | three_ways
|
| 11 stack and train           | transformer, attention                  | model_view
|

Every lesson: `checks` (the exercises' automatic checks), `explorer` (the contract every explorer
follows), `fonts` (the shipped CJK font, registered on import), `language` (the edition's language:
`set_language`, and `_()` for the strings a learner reads). Behind the scenes: `_validate`
(the ValueErrors a learner reads), `_canvas` (how an explorer's pixels reach the page fast) and
`_server` (the Jupyter server option that relays them at once).
"""

from .fonts import register_cjk_font

register_cjk_font()  # every figure may show Chinese: draw it with the shipped font, on any machine

__version__ = "0.2.0"
