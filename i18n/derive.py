"""zh-Hans, derived from zh-Hant: OpenCC ("tw2sp", mainland phrasing) + the glossary + reviewed
overrides.

The one rule: **nobody edits `i18n/zh-Hans/<stem>.po` by hand.** Every zh-Hans catalog is made
again from its zh-Hant catalog on each `python3 course.py translate`; what a reviewer wants
different goes into `i18n/zh-Hans/overrides.po`, which always wins. Each derived entry says in an
extracted comment (`#. zh-Hans: …`) whether it came from OpenCC or from an override.

How one zh-Hant text becomes zh-Hans (`Converter.convert`):
1. the glossary's terms and short forms, and the `phrase` overrides, are put aside (longest first),
   so that OpenCC cannot turn 向量 into 矢量, 序列 into 串行, 查詢 into 查找, or miss that a
   Taiwanese 橫列 (row) is a mainland 行;
2. OpenCC `tw2sp` converts the rest (Taiwan → mainland phrasing: 程式碼 → 代码, 資料 → 数据);
3. the terms put aside come back as the glossary's zh-Hans terms;
4. Taiwan's quotation marks become the mainland's: 「」 → “”, 『』 → ‘’;
5. a path or option that names the edition follows it: `notebooks/zh-Hant/`, `--lang zh-Hant`.

overrides.po, three kinds of entries (msgid is always the zh-Hant text, msgstr the zh-Hans):
- msgctxt "phrase": a word or phrase, replaced everywhere like a glossary term (step 1);
- msgctxt "<stem>:<entry msgctxt>" (a lesson's cell) or "<stem>" (helpers.po): the whole zh-Hans
  text of one entry. It applies while the zh-Hant text still equals its msgid; once the zh-Hant
  changes, the derived entry is marked fuzzy until the override is reviewed;
- msgctxt "README": one paragraph of README.zh-Hant.md, for README.zh-Hans.md.
An override that matches nothing any more is reported (tests/test_editions.py fails on it).
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from . import catalogs, glossary

OVERRIDES = catalogs.I18N / "zh-Hans" / "overrides.po"
README_HANT = catalogs.ROOT / "README.zh-Hant.md"
README_HANS = catalogs.ROOT / "README.zh-Hans.md"
OPENCC_CONFIG = "tw2sp"
PUNCTUATION = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
EDITION_REFERENCE = re.compile(r"(notebooks/|--lang[ =])zh-Hant\b")
_PRIVATE = 0xF0000  # supplementary private use area: never in a text, passed through by OpenCC


class Converter:
    """zh-Hant text → zh-Hans text (steps 1-5 of the module docstring)."""

    def __init__(self, phrases: dict[str, str] | None = None) -> None:
        import opencc

        self._opencc = opencc.OpenCC(OPENCC_CONFIG)
        table: dict[str, str] = {}
        for hant, hans in glossary.pairs():
            # a one-character term is left to OpenCC when OpenCC already gives the glossary's
            # form: putting it aside would cut the phrases around it (課 in 課程)
            if hant and (len(hant) > 1 or self._opencc.convert(hant) != hans):
                table[hant] = hans
        table.update(phrases or {})
        self._kept = sorted(table, key=len, reverse=True)
        self._to = [table[k] for k in self._kept]
        self._index = {k: i for i, k in enumerate(self._kept)}
        self._pattern = self._restore = None
        if table:
            self._pattern = re.compile("|".join(re.escape(k) for k in self._kept))
            self._restore = re.compile(f"[{chr(_PRIVATE)}-{chr(_PRIVATE + len(table) - 1)}]")

    def convert(self, text: str) -> str:
        if not text:
            return text
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: chr(_PRIVATE + self._index[m.group()]), text)
        out = self._opencc.convert(text)
        if self._restore is not None:
            out = self._restore.sub(lambda m: self._to[ord(m.group()) - _PRIVATE], out)
        out = out.translate(PUNCTUATION)
        return EDITION_REFERENCE.sub(r"\1zh-Hans", out)


class Overrides:
    """The reviewed zh-Hans overrides; remembers which were used, to report the unused ones."""

    def __init__(self, path: Path = OVERRIDES) -> None:
        self.path = path
        po = catalogs.load(path) if path.exists() else polib.POFile()
        self.entries = [e for e in po if not e.obsolete and e.msgstr]
        self.phrases = {e.msgid: e.msgstr for e in self.entries if e.msgctxt == "phrase"}
        self._by_key = {(e.msgctxt, e.msgid): e.msgstr for e in self.entries}
        self._contexts = {e.msgctxt for e in self.entries}
        self.used: set[tuple[str, str]] = {("phrase", p) for p in self.phrases}

    def lookup(self, context: str, hant: str) -> str | None:
        found = self._by_key.get((context, hant))
        if found is not None:
            self.used.add((context, hant))
        return found

    def has_context(self, context: str) -> bool:
        return context in self._contexts

    def unused(self) -> list[str]:
        return [
            f"{self.path.name}: msgctxt {e.msgctxt!r} msgid «{' '.join(e.msgid.split())[:50]}»"
            for e in self.entries
            if (e.msgctxt, e.msgid) not in self.used
        ]


def derive_entry(
    entry: polib.POEntry, stem: str, converter: Converter, overrides: Overrides
) -> polib.POEntry:
    context = f"{stem}:{entry.msgctxt}" if entry.msgctxt else stem
    out = polib.POEntry(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgstr="",
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=list(entry.occurrences),
        flags=list(entry.flags),
        previous_msgid=entry.previous_msgid,
    )
    if entry.msgid_plural:
        out.msgid_plural = entry.msgid_plural
        out.msgstr_plural = {k: converter.convert(v) for k, v in entry.msgstr_plural.items()}
        note = f"zh-Hans: derived from zh-Hant by OpenCC {OPENCC_CONFIG} + the glossary"
    else:
        override = overrides.lookup(context, entry.msgstr) if entry.msgstr else None
        if override is not None:
            out.msgstr = override
            note = "zh-Hans: the reviewed override in i18n/zh-Hans/overrides.po"
        else:
            out.msgstr = converter.convert(entry.msgstr)
            note = f"zh-Hans: derived from zh-Hant by OpenCC {OPENCC_CONFIG} + the glossary"
            if entry.msgctxt and entry.msgstr and overrides.has_context(context):
                note += "; its override in overrides.po no longer matches the zh-Hant: review it"
                if "fuzzy" not in out.flags:
                    out.flags.insert(0, "fuzzy")
    out.comment = "\n".join(filter(None, [entry.comment, note]))
    return out


def derive_catalog(stem: str, converter: Converter, overrides: Overrides) -> polib.POFile:
    """The zh-Hans catalog of `stem`, made from the zh-Hant one (obsolete entries left out)."""
    hant = catalogs.load(catalogs.catalog_path("zh-Hant", stem))
    po = catalogs.new_catalog(
        "zh-Hans",
        stem,
        f"GENERATED from i18n/zh-Hant/{stem}.po by `python3 course.py translate`: do not edit.\n"
        "Edit the zh-Hant catalog, or put a reviewed zh-Hans text in i18n/zh-Hans/overrides.po\n"
        f"(see i18n/derive.py and i18n/README.md).\n{catalogs.catalog_header('zh-Hans', stem)}",
    )
    po.extend(derive_entry(e, stem, converter, overrides) for e in hant if not e.obsolete)
    return po


def derive_readme(converter: Converter, overrides: Overrides) -> str:
    """README.zh-Hans.md from README.zh-Hant.md, paragraph by paragraph (blank-line separated)."""
    blocks = README_HANT.read_text(encoding="utf-8").split("\n\n")
    out = []
    for block in blocks:
        override = overrides.lookup("README", block)
        out.append(override if override is not None else converter.convert(block))
    return "\n\n".join(out)


def derive_all(stems: list[str]) -> tuple[dict[str, polib.POFile], str | None, Overrides]:
    """Every zh-Hans catalog (by stem) and README.zh-Hans.md (None if there is no zh-Hant README),
    with the overrides (to ask which went unused)."""
    overrides = Overrides()
    converter = Converter(overrides.phrases)
    derived = {}
    for stem in stems:
        if catalogs.catalog_path("zh-Hant", stem).exists():
            derived[stem] = derive_catalog(stem, converter, overrides)
    readme = derive_readme(converter, overrides) if README_HANT.exists() else None
    return derived, readme, overrides
