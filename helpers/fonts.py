"""The course's shipped CJK font, so matplotlib draws Chinese on any machine (lessons 00-10: every
figure may show Chinese, in token labels, titles or hints).

Many machines have no CJK font, and matplotlib then draws 我 as a missing-glyph box and warns
"Glyph 25105 ... missing from font(s) DejaVu Sans". `register_cjk_font()` adds the font file that
ships in `data/fonts/` (a subset of Noto Sans CJK SC: all of GB2312 and Big5 level 1, made by
`data/fonts/make_font.py`; see data/README.md) to matplotlib's font list, with no install and no
network, and makes it the fallback family:

    rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]

matplotlib then falls back glyph by glyph: Latin, Greek and maths from DejaVu Sans, the rest from
the CJK font. (Naming the CJK font in `font.sans-serif` alone is not enough: it still warns.)

The SC face draws the mainland glyph shapes. Text whose language is Traditional Chinese
(`rcParams["text.language"] = "zh-Hant"`, matplotlib >= 3.11) gets the Taiwan shapes.

`covers(text)` and `missing_glyphs(text)` say from the font's own character map whether the
shipped font can draw a string, without drawing it.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from pathlib import Path

__all__ = ["FAMILY", "FONT_PATH", "covers", "missing_glyphs", "register_cjk_font"]

FONT_PATH = Path(__file__).resolve().parent.parent / "data/fonts/NotoSansCJK-course-subset.otf"
FAMILY = "Noto Sans CJK SC"  # the family name inside FONT_PATH (a test checks)
_BASE_FAMILY = "DejaVu Sans"  # matplotlib's default, always there: it comes with matplotlib


def _check_font_file() -> str:
    if not FONT_PATH.is_file():
        raise FileNotFoundError(
            f"the course's CJK font is missing: {FONT_PATH} (it ships with the course; "
            "to make it again: apt-get install -y fonts-noto-cjk; python data/fonts/make_font.py)"
        )
    return str(FONT_PATH)


class _NoBoldFaceWarning(logging.Filter):
    """Drops matplotlib's "findfont: Failed to find font weight bold for Noto Sans CJK SC, now
    using 400." The shipped subset has one face, regular: bold text draws its CJK glyphs in it
    (and its Latin ones in DejaVu Sans Bold). matplotlib ≥ 3.11 warns about that on a process's
    first bold text, as a stderr line under a learner's figure. Only that warning, for that family,
    is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (
            str(record.msg).startswith("findfont: Failed to find font weight")
            and len(args) >= 2
            and args[1] == FAMILY
        )


_NO_BOLD_FACE_WARNING = _NoBoldFaceWarning()


def register_cjk_font() -> str:
    """Make matplotlib draw CJK text with the shipped font; return its family name.

    Adds `FONT_PATH` to `matplotlib.font_manager.fontManager` (once: calling again adds nothing) and
    sets `rcParams["font.family"] = ["DejaVu Sans", FAMILY]`. Cheap (a few ms after the first call),
    no network, nothing installed. Figures drawn afterwards use it. Bold text keeps the regular CJK
    face, without matplotlib's warning about it (`_NoBoldFaceWarning`).
    """
    from matplotlib import font_manager, rcParams

    path = _check_font_file()
    manager = font_manager.fontManager
    if not any(entry.fname == path for entry in manager.ttflist):
        manager.addfont(path)
    rcParams["font.family"] = [_BASE_FAMILY, FAMILY]
    logging.getLogger(font_manager.__name__).addFilter(_NO_BOLD_FACE_WARNING)  # once: a set
    return FAMILY


@functools.lru_cache(maxsize=1)
def _code_points() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(_check_font_file(), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__} {text!r:.60}")
    return text


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of `text` that the shipped font has no glyph for, in order of first
    appearance; control characters such as line breaks and tabs, never drawn, are not counted.

    >>> missing_glyphs("我看見一把鋸 ✅")
    ['✅']
    """
    cmap = _code_points()
    out: list[str] = []
    for ch in dict.fromkeys(_check_text(text)):
        if ord(ch) not in cmap and unicodedata.category(ch) != "Cc":
            out.append(ch)
    return out


def covers(text: str) -> bool:
    """Whether the shipped font alone has a glyph for every character of `text` (control
    characters aside). Latin, Greek and maths that DejaVu Sans draws may still be False here."""
    return not missing_glyphs(text)
