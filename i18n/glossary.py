"""The glossary (`i18n/glossary.csv`): one term per concept, in both scripts, with the English term
and the lecture's symbol; and the two checks every edition passes against it.

Columns: concept, symbol, en, en_pattern (a regular expression, case-insensitive, that finds the
concept in English), zh_Hant, zh_Hans (the terms), zh_Hant_short, zh_Hans_short (accepted short
forms, `|`-separated, in the same order in both scripts), zh_Hant_forbidden, zh_Hans_forbidden
(competing terms that must never appear in that script, `|`-separated), required ("yes": where
the English uses the concept, the translation must use its term), note.

- `forbidden(text, language)`: the competing terms in `text`. Besides the listed ones, a term (of
  two characters or more) of the other script counts as competing too: 关联性 in a zh-Hant text.
- `missing(english, translated, language)`: the required concepts the English names and the
  translation does not. Inline code, fenced code, link targets and HTML tags are left out of both
  sides, so `AttentionExplorer` or a file name never counts as the English word.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent / "glossary.csv"
COLUMNS = [
    "concept",
    "symbol",
    "en",
    "en_pattern",
    "zh_Hant",
    "zh_Hans",
    "zh_Hant_short",
    "zh_Hans_short",
    "zh_Hant_forbidden",
    "zh_Hans_forbidden",
    "required",
    "note",
]
SCRIPTS = ("zh-Hant", "zh-Hans")


def _split(cell: str) -> list[str]:
    return [w.strip() for w in (cell or "").split("|") if w.strip()]


@dataclass(frozen=True)
class Concept:
    concept: str
    symbol: str
    en: str
    en_pattern: re.Pattern
    term: dict  # script → term
    short: dict  # script → [short forms]
    banned: dict  # script → [competing terms]
    required: bool
    note: str

    def forms(self, script: str) -> list[str]:
        """The term and its accepted short forms in `script`."""
        return [self.term[script], *self.short[script]]


@functools.lru_cache(maxsize=4)
def load(path: Path = GLOSSARY) -> tuple[Concept, ...]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}: the columns must be {COLUMNS}; got {reader.fieldnames}")
        rows = list(reader)
    concepts = []
    for row in rows:
        if len(_split(row["zh_Hant_short"])) != len(_split(row["zh_Hans_short"])):
            raise ValueError(
                f"{path}: concept {row['concept']!r} needs as many zh-Hans short forms as zh-Hant"
            )
        concepts.append(
            Concept(
                concept=row["concept"],
                symbol=row["symbol"],
                en=row["en"],
                en_pattern=re.compile(row["en_pattern"], re.IGNORECASE),
                term={"zh-Hant": row["zh_Hant"], "zh-Hans": row["zh_Hans"]},
                short={
                    "zh-Hant": _split(row["zh_Hant_short"]),
                    "zh-Hans": _split(row["zh_Hans_short"]),
                },
                banned={
                    "zh-Hant": _split(row["zh_Hant_forbidden"]),
                    "zh-Hans": _split(row["zh_Hans_forbidden"]),
                },
                required=row["required"] == "yes",
                note=row["note"],
            )
        )
    return tuple(concepts)


def pairs() -> list[tuple[str, str]]:
    """(zh-Hant form, zh-Hans form) for every term and short form: what the derivation of zh-Hans
    keeps exactly as the glossary says."""
    out = []
    for c in load():
        out.append((c.term["zh-Hant"], c.term["zh-Hans"]))
        out += list(zip(c.short["zh-Hant"], c.short["zh-Hans"], strict=True))
    return out


def competing_terms(script: str) -> list[tuple[str, str]]:
    """(concept, term) that must not appear in `script`: the listed competitors, and the other
    script's forms of two characters or more that differ from this script's."""
    other = SCRIPTS[1 - SCRIPTS.index(script)]
    out = []
    for c in load():
        out += [(c.concept, t) for t in c.banned[script]]
        own = c.forms(script)
        for t in c.forms(other):
            if len(t) >= 2 and t not in own and not any(t in o for o in own):
                out.append((c.concept, t))
    return out


_CODE = re.compile(
    r"```.*?```|`[^`\n]*`|\]\([^)]*\)|<[^>]+>|https?://\S+|\$\$.*?\$\$|\{[^{}\s]*\}",
    re.DOTALL,
)


def prose(text: str) -> str:
    """`text` without code spans, fenced code, link targets, HTML tags, URLs and {placeholders}."""
    return _CODE.sub(" ", text)


def _inside_a_term(text: str, start: int, term: str, script: str) -> bool:
    """Whether the `term` found at `start` is part of a glossary form of `script` (单元 inside
    单元格, the term for a notebook cell), where it is no competitor."""
    end = start + len(term)
    for c in load():
        for form in c.forms(script):
            if term == form or term not in form:
                continue
            offset = form.find(term)
            while offset != -1:
                j = start - offset
                if j >= 0 and text[j : j + len(form)] == form and j + len(form) >= end:
                    return True
                offset = form.find(term, offset + 1)
    return False


def forbidden(text: str, script: str) -> list[tuple[str, str]]:
    """The (concept, competing term) found in `text` of `script` (not counting a competitor that
    is only part of another concept's glossary term)."""
    found = []
    for concept, term in competing_terms(script):
        start = text.find(term)
        while start != -1:
            if not _inside_a_term(text, start, term, script):
                found.append((concept, term))
                break
            start = text.find(term, start + 1)
    return found


def missing(english: str, translated: str, script: str, skip: set[str] = frozenset()) -> list[str]:
    """Required concepts that `english` names and `translated` (in `script`) does not: each as
    "concept (en → term)"."""
    en, tr = prose(english), prose(translated)
    lowered = tr.lower()
    out = []
    for c in load():
        if not c.required or c.concept in skip or not c.en_pattern.search(en):
            continue
        if not any(form.lower() in lowered for form in c.forms(script)):
            out.append(f"{c.concept} ({c.en} → {c.term[script]})")
    return out


def entry_problems(where: str, english: str, translated: str, script: str, skip=frozenset()):
    """The glossary's complaints about one translation: competing terms, and required concepts the
    English names but the translation does not (each message starts with `where`)."""
    out = [
        f"{where}: competing term {term!r} for {concept} (the glossary says "
        f"{next(c.term[script] for c in load() if c.concept == concept)!r})"
        for concept, term in forbidden(translated, script)
    ]
    out += [
        f"{where}: the English says {m}, the translation does not"
        for m in missing(english, translated, script, skip)
    ]
    return out
