"""The language of what the helpers show a learner (every lesson: its first code cell says which).

    from helpers.language import set_language
    LANGUAGE = "zh-Hant"          # the one setting that differs between editions
    set_language(LANGUAGE)

Explorer titles, axis labels, control descriptions, messages, hints and printouts go through
`_(text)` (and `ngettext(singular, plural, n)` where a count decides the wording). In English
(the default) they return `text` unchanged, so the English edition reads exactly as written. In
another language they look `text` up, with Python's `gettext`, in that language's catalog
`i18n/<language>/helpers.po` (a plain gettext catalog, read with polib: no compiled `.mo` files in
the repository). A string the catalog lacks, or whose translation is fuzzy, stays in English.

Explorers and figures made AFTER `set_language` speak the new language; the ones already on show
keep the words they were built with (run their cell again to rebuild them).

Marking a string in `helpers` (see i18n/README.md for the whole workflow):

    from .language import _
    raise ValueError(_("this {name} was closed; make a new one").format(name=name))

The argument of `_` must be a literal string (the extractor reads it from the source); put the
values in with `.format(...)` after the lookup, never with an f-string inside `_()`.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

__all__ = ["LANGUAGES", "get_language", "set_language", "_", "ngettext", "pad", "text_width"]

LANGUAGES = ("en", "zh-Hant", "zh-Hans")
CATALOG_DIR = Path(__file__).resolve().parent.parent / "i18n"

_language = "en"
_translations: gettext.NullTranslations = gettext.NullTranslations()


def _load(language: str) -> gettext.NullTranslations:
    """The runtime catalog of `language`, read from `i18n/<language>/helpers.po` through polib."""
    if language == "en":
        return gettext.NullTranslations()
    import polib  # only the Chinese editions need it; English never imports it

    path = CATALOG_DIR / language / "helpers.po"
    if not path.is_file():
        raise FileNotFoundError(
            f"the {language} catalog of the helpers is missing: {path} "
            "(it ships with the course; `python3 course.py translate` makes it again)"
        )
    # to_binary() keeps only translated, non-fuzzy entries: the rest fall back to English
    return gettext.GNUTranslations(io.BytesIO(polib.pofile(str(path)).to_binary()))


def set_language(language: str) -> str:
    """Make every explorer, figure and message built from now on speak `language`.

    language: "en" (the default), "zh-Hant" (Traditional, Taiwan) or "zh-Hans" (Simplified).
    Reads the language's catalog again each time, so an edited `helpers.po` counts after the first
    cell is run again. Returns the language.
    """
    global _language, _translations
    if not isinstance(language, str) or language not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(repr(x) for x in LANGUAGES)}; got {language!r}"
        )
    _translations = _load(language)
    _language = language
    return language


def get_language() -> str:
    """The language set by `set_language` ("en" until then)."""
    return _language


def _(text: str) -> str:
    """`text` in the current language (unchanged in English, or when the catalog lacks it)."""
    if _language == "en":
        return text
    return _translations.gettext(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for the count `n`, in the current language."""
    if _language == "en":
        return singular if n == 1 else plural
    return _translations.ngettext(singular, plural, n)


def text_width(text: str) -> int:
    """The columns `text` takes in a fixed-width font: a wide (CJK) character counts 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """`text` padded with spaces to `width` columns, aligned "<" (left), ">" (right) or "^"
    (centre), a CJK character counted 2 wide: how a fixed-width text table keeps its columns in a
    Chinese edition. For text without wide characters it is `format(text, align + str(width))`."""
    if align not in ("<", ">", "^"):
        raise ValueError(f"align must be '<', '>' or '^'; got {align!r}")
    room = max(0, width - text_width(text))
    left = {"<": 0, ">": room, "^": room // 2}[align]
    return " " * left + text + " " * (room - left)
