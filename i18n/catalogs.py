"""The gettext catalogs of the Chinese editions: what is extracted from the English sources, how a
catalog is brought up to date with them, and the rule that translated code stays the same code.

One catalog per lesson and language, `i18n/<language>/<notebook stem>.po`:
- a markdown cell is one entry: msgctxt = the cell's id, msgid = its whole source;
- a code cell with comments or strings a learner reads is one entry: msgctxt = "code:<id>",
  msgid = its whole source. Its translation may change only comments and string literals
  (`code_differences` says where it changed anything else).
And one catalog of the helpers' runtime strings, `i18n/<language>/helpers.po`: every literal
`_("...")` and `ngettext("...", "...", n)` in helpers/**/*.py.

`update_catalog` merges a catalog with what the sources hold now, as gettext's msgmerge does: new
entries are added empty; an entry whose English changed keeps its old translation, marked fuzzy
(with the old English as `#| msgid`); an entry whose source is gone becomes obsolete (`#~`).
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
NOTEBOOKS = ROOT / "notebooks"
HELPERS = ROOT / "helpers"
HELPERS_CATALOG = "helpers"
WRAP = 78
PO_LANGUAGE = {"zh-Hant": "zh_Hant", "zh-Hans": "zh_Hans"}
LESSON = re.compile(r"^(\d\d)_\w+$")
CODE_NOTE = (
    "code: translate only the comments and the strings a learner reads; every other token must "
    "stay exactly as it is (tests/test_editions.py checks)"
)


# ---- the English sources ------------------------------------------------------------------------
def english_notebooks() -> list[Path]:
    """The English lessons, in order (notebooks/NN_*.ipynb)."""
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb") if LESSON.match(p.stem))


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_notebook(path: Path, nb: dict) -> None:
    """Write as nbconvert + course.tidy_notebook do (sorted keys, indent 1, UTF-8 as is)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def ensure_cell_ids(path: Path) -> bool:
    """Give every cell of an English notebook a stable id (nbformat 4.5) if it lacks one; ids it
    has are kept. Returns whether the file changed."""
    nb = read_notebook(path)
    cells = nb["cells"]
    if all(cell.get("id") for cell in cells) and (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5):
        return False
    taken = {cell["id"] for cell in cells if cell.get("id")}
    for index, cell in enumerate(cells):
        if cell.get("id"):
            continue
        seed = f"{path.stem}:{index}:{source(cell)}"
        new = hashlib.sha1(seed.encode("utf-8")).hexdigest()[:8]
        while new in taken:
            new = hashlib.sha1(new.encode("ascii")).hexdigest()[:8]
        cell["id"] = new
        taken.add(new)
    nb["nbformat"], nb["nbformat_minor"] = 4, max(5, nb["nbformat_minor"])
    original = path.read_text(encoding="utf-8")
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path.read_text(encoding="utf-8") != original


# ---- code cells: what may be translated, and the rule that the code stays the same ---------------
_FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", None)  # Python >= 3.12
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)
_STRING_PREFIX = re.compile(r"^([A-Za-z]*)")


def _tokens(src: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(src).readline))


def _is_visible_string(token: tokenize.TokenInfo) -> bool:
    """A string literal a learner reads (prose: it has a space or a non-ASCII character), as
    opposed to a key, a file name or a token of data such as "saw"."""
    text = token.string
    if token.type == tokenize.STRING:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):  # an f-string (Python < 3.12): read its raw text
            value = text
        if not isinstance(value, str):
            return False
        text = value
    return bool(re.search(r"\s", text.strip()) or any(ord(ch) > 127 for ch in text))


def translatable_text(src: str) -> list[str]:
    """The comments and learner-visible strings of a code cell ([] if there are none, or the cell
    is not Python a tokenizer can read)."""
    try:
        tokens = _tokens(src)
    except (tokenize.TokenError, SyntaxError):
        return []
    out = []
    for t in tokens:
        if t.type == tokenize.COMMENT:
            out.append(t.string)
        elif t.type == tokenize.STRING or (_FSTRING_MIDDLE and t.type == _FSTRING_MIDDLE):
            if _is_visible_string(t):
                out.append(t.string)
    return out


def _code_skeleton(src: str) -> list[tuple[tuple[int, str], int]]:
    """The tokens that must not change, each with its line: comments and line breaks inside
    brackets dropped, a run of adjacent string literals reduced to its prefix (f, r, b …)."""
    out: list[tuple[tuple[int, str], int]] = []
    last_was_string = False
    for t in _tokens(src):
        if t.type in (tokenize.COMMENT, tokenize.NL):
            continue
        if t.type == tokenize.STRING or (_FSTRING_MIDDLE and t.type == _FSTRING_MIDDLE):
            if t.type == tokenize.STRING:
                prefix = _STRING_PREFIX.match(t.string).group(1).lower()
                if not last_was_string:
                    out.append(((tokenize.STRING, prefix), t.start[0]))
            last_was_string = t.type == tokenize.STRING
            continue
        last_was_string = False
        if _FSTRING_START and t.type == _FSTRING_START:
            key = (t.type, _STRING_PREFIX.match(t.string).group(1).lower())
        elif t.type in (tokenize.NEWLINE, tokenize.DEDENT, tokenize.ENDMARKER):
            key = (t.type, "")
        else:
            key = (t.type, t.string)
        out.append((key, t.start[0]))
    return out


_FIELD = re.compile(r"(?<!\{)\{(?!\{)([^{}]*)\}")


def _fstring_fields(src: str) -> list[str]:
    """The replacement fields of the f-strings of `src` (Python < 3.12 keeps an f-string in one
    STRING token; from 3.12 on its fields are ordinary tokens, compared by the skeleton)."""
    fields = []
    for t in _tokens(src):
        if t.type == tokenize.STRING and "f" in _STRING_PREFIX.match(t.string).group(1).lower():
            fields += _FIELD.findall(t.string)
    return sorted(fields)


def code_differences(english: str, translated: str) -> str | None:
    """None when `translated` is `english` with only comments and string literals changed;
    otherwise what else changed, and on which line."""
    try:
        a = _code_skeleton(english)
    except (tokenize.TokenError, SyntaxError):
        if english == translated:
            return None
        return "the English cell is not plain Python, so its translation must equal it exactly"
    try:
        b = _code_skeleton(translated)
    except (tokenize.TokenError, SyntaxError) as exc:
        return f"the translation is not valid Python any more ({exc})"

    def show(k: tuple[int, str]) -> str:
        return "a string" if k[0] == tokenize.STRING else repr(k[1] or tokenize.tok_name[k[0]])

    for (ka, line_a), (kb, line_b) in zip(a, b, strict=False):
        if ka != kb:
            what, got = show(ka), show(kb)
            return (
                f"the code changed: English line {line_a} has {what} where the translation's "
                f"line {line_b} has {got}; only comments and strings may be translated"
            )
    if len(a) != len(b):
        return (
            f"the code changed: the English has {len(a)} code tokens, the translation {len(b)}; "
            "only comments and strings may be translated"
        )
    if _fstring_fields(english) != _fstring_fields(translated):
        return (
            "the {…} fields of an f-string changed: they are code "
            f"(English {_fstring_fields(english)}, translation {_fstring_fields(translated)})"
        )
    return None


# ---- what each source puts in its catalog --------------------------------------------------------
def entry_key(cell: dict) -> str:
    return cell["id"] if cell["cell_type"] == "markdown" else f"code:{cell['id']}"


def notebook_entries(path: Path) -> list[polib.POEntry]:
    """The catalog entries of an English lesson, in cell order."""
    nb = read_notebook(path)
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    entries = []
    for cell in nb["cells"]:
        src = source(cell)
        if not src.strip() or cell["cell_type"] not in ("markdown", "code"):
            continue
        if cell["cell_type"] == "code" and not translatable_text(src):
            continue
        if not cell.get("id"):
            raise ValueError(f"{rel}: a cell has no id; run `python3 course.py translate`")
        entries.append(
            polib.POEntry(
                msgctxt=entry_key(cell),
                msgid=src,
                msgstr="",
                comment="markdown" if cell["cell_type"] == "markdown" else CODE_NOTE,
                occurrences=[(rel, "")],
            )
        )
    return entries


@dataclass(frozen=True)
class Marked:
    """One `_()` / `ngettext()` call with literal strings in the helpers."""

    msgid: str
    msgid_plural: str | None
    file: str
    line: int


def marked_strings(root: Path = HELPERS) -> list[Marked]:
    """Every `_("…")` and `ngettext("…", "…", n)` in helpers/**/*.py (Python's ast)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = node.args
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args]
            rel = path.relative_to(ROOT).as_posix()
            if node.func.id == "_" and len(args) == 1 and literal[0]:
                found.append(Marked(args[0].value, None, rel, node.lineno))
            elif node.func.id == "ngettext" and len(args) == 3 and all(literal[:2]):
                found.append(Marked(args[0].value, args[1].value, rel, node.lineno))
    return sorted(found, key=lambda m: (m.file, m.line))


def unmarkable_calls(root: Path = HELPERS) -> list[str]:
    """`_()` / `ngettext()` calls the extractor cannot read (not literal strings): file:line."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                n = {"_": 1, "ngettext": 2}.get(node.func.id)
                if n is None:
                    continue
                args = node.args[:n]
                ok = len(node.args) == (1 if n == 1 else 3) and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
                )
                if not ok:
                    bad.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return bad


def helpers_entries() -> list[polib.POEntry]:
    """The catalog entries of the helpers' runtime strings, one per distinct string."""
    by_id: dict[tuple[str, str | None], polib.POEntry] = {}
    for m in marked_strings():
        key = (m.msgid, m.msgid_plural)
        entry = by_id.get(key)
        if entry is None:
            flags = ["python-brace-format"] if _FIELD.search(m.msgid) else []
            entry = polib.POEntry(msgid=m.msgid, msgstr="", flags=flags, occurrences=[])
            if m.msgid_plural is not None:
                entry.msgid_plural = m.msgid_plural
                entry.msgstr_plural = {0: ""}
            by_id[key] = entry
        # the file only, not the line: a line number would change the catalog on every edit
        if (m.file, "") not in entry.occurrences:
            entry.occurrences.append((m.file, ""))
    return list(by_id.values())


def template_entries(stem: str) -> list[polib.POEntry]:
    if stem == HELPERS_CATALOG:
        return helpers_entries()
    return notebook_entries(NOTEBOOKS / f"{stem}.ipynb")


def catalog_names() -> list[str]:
    """Every catalog of an edition: one per English lesson, and the helpers'."""
    return [p.stem for p in english_notebooks()] + [HELPERS_CATALOG]


# ---- reading, merging and writing catalogs -------------------------------------------------------
def catalog_path(language: str, stem: str) -> Path:
    return I18N / language / f"{stem}.po"


def load(path: Path) -> polib.POFile:
    return polib.pofile(str(path), wrapwidth=WRAP)


def new_catalog(language: str, stem: str, header: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP)
    po.header = header
    po.metadata = {
        "Project-Id-Version": f"self-attention-course {stem}",
        "Language": PO_LANGUAGE[language],
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
        "X-Source": ("helpers/**/*.py" if stem == HELPERS_CATALOG else f"notebooks/{stem}.ipynb"),
    }
    return po


def key(entry: polib.POEntry) -> str:
    return entry.msgctxt if entry.msgctxt is not None else "\x04" + entry.msgid


def has_translation(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return any(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _take_translation(new: polib.POEntry, old: polib.POEntry) -> None:
    new.tcomment = old.tcomment
    if new.msgid_plural:
        if old.msgid_plural:
            new.msgstr_plural = dict(old.msgstr_plural)
        else:
            new.msgstr_plural = {0: old.msgstr}
    else:
        new.msgstr = old.msgstr if not old.msgid_plural else old.msgstr_plural.get(0, "")


def _mark_fuzzy(entry: polib.POEntry, previous: str) -> None:
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    entry.previous_msgid = previous


def merge(po: polib.POFile, template: list[polib.POEntry]) -> dict[str, int]:
    """Bring `po` up to date with `template` in place (see the module docstring). Returns counts
    of new, fuzzy (English changed) and obsolete entries."""
    live = {key(e): e for e in po if not e.obsolete}
    old_obsolete = [e for e in po if e.obsolete]
    template_keys = {key(t) for t in template}
    gone = [e for e in live.values() if key(e) not in template_keys]
    memory = [e for e in gone + old_obsolete if has_translation(e)]
    counts = {"new": 0, "fuzzy": 0, "obsolete": 0}
    reused: set[int] = set()
    merged = []
    for t in template:
        entry = polib.POEntry(
            msgctxt=t.msgctxt,
            msgid=t.msgid,
            msgstr="",
            comment=t.comment,
            occurrences=list(t.occurrences),
            flags=list(t.flags),
        )
        if t.msgid_plural:
            entry.msgid_plural, entry.msgstr_plural = t.msgid_plural, dict(t.msgstr_plural)
        old = live.get(key(t))
        if old is not None:
            _take_translation(entry, old)
            changed = (old.msgid, old.msgid_plural or None) != (t.msgid, t.msgid_plural or None)
            if "fuzzy" in old.flags:
                _mark_fuzzy(entry, old.previous_msgid or old.msgid)
            elif changed and has_translation(old):
                _mark_fuzzy(entry, old.msgid)
                counts["fuzzy"] += 1
        else:
            counts["new"] += 1
            same = [e for e in memory if e.msgid == t.msgid and id(e) not in reused]
            if same:  # the same English under a new id (a cell moved or was split off): reuse it
                _take_translation(entry, same[0])
                reused.add(id(same[0]))
                if "fuzzy" in same[0].flags:
                    _mark_fuzzy(entry, same[0].previous_msgid or same[0].msgid)
            else:
                best, ratio = None, 0.0
                for e in memory:
                    if id(e) in reused:
                        continue
                    m = difflib.SequenceMatcher(None, e.msgid, t.msgid)
                    if m.quick_ratio() >= 0.75 and m.ratio() > ratio:
                        best, ratio = e, m.ratio()
                if best is not None and ratio >= 0.75:
                    _take_translation(entry, best)
                    _mark_fuzzy(entry, best.msgid)
                    reused.add(id(best))
                    counts["fuzzy"] += 1
        merged.append(entry)
    obsolete = []
    for e in gone:
        if has_translation(e) and id(e) not in reused:
            e.obsolete, e.occurrences = True, []
            obsolete.append(e)
            counts["obsolete"] += 1
    seen = {key(e) for e in merged} | {key(e) for e in obsolete}
    for e in old_obsolete:
        if id(e) not in reused and key(e) not in seen:
            obsolete.append(e)
            seen.add(key(e))
    del po[:]
    po.extend(merged + obsolete)
    return counts


def save_if_changed(po: polib.POFile, path: Path) -> bool:
    text = po.__unicode__()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def catalog_header(language: str, stem: str) -> str:
    what = (
        "the helpers' runtime strings (helpers/**/*.py: every _() and ngettext())"
        if stem == HELPERS_CATALOG
        else f"lesson {stem} (notebooks/{stem}.ipynb)"
    )
    return (
        f"{language} catalog of {what}.\n"
        "Translate it in Poedit, Weblate or any PO editor; the rules and the one command are in\n"
        "i18n/README.md (glossary: i18n/glossary.csv; code cells: only comments and strings)."
    )


def update(language: str, stem: str) -> tuple[bool, dict[str, int]]:
    """Refresh `i18n/<language>/<stem>.po` from the English source; returns (changed, counts)."""
    path = catalog_path(language, stem)
    po = (
        load(path) if path.exists() else new_catalog(language, stem, catalog_header(language, stem))
    )
    counts = merge(po, template_entries(stem))
    return save_if_changed(po, path), counts


# ---- how complete a catalog is -------------------------------------------------------------------
def glossary_skips(entry: polib.POEntry) -> set[str]:
    """Concepts a translator exempted from the glossary's "use the term" rule in this entry, by a
    translator comment line `glossary-skip: key, value` (forbidden terms are never exempt)."""
    skips = set()
    for line in (entry.tcomment or "").splitlines():
        if line.strip().lower().startswith("glossary-skip:"):
            skips |= {w.strip() for w in line.split(":", 1)[1].split(",") if w.strip()}
    return skips


def describe(stem: str, entry_ctx: str | None, msgid: str) -> str:
    """ "lesson 00 (00_start_here), markdown cell 5dc96d36 «## A first heatmap…»"."""
    snippet = " ".join(msgid.split())[:60]
    if stem == HELPERS_CATALOG:
        return f"helpers string «{snippet}»"
    number = stem[:2]
    if entry_ctx and entry_ctx.startswith("code:"):
        where = f"code cell {entry_ctx[5:]}"
    else:
        where = f"markdown cell {entry_ctx}"
    return f"lesson {number} ({stem}), {where} «{snippet}»"


def problems(
    language: str, stem: str, po: polib.POFile | None = None, template: list | None = None
) -> list[str]:
    """Why `i18n/<language>/<stem>.po` (or `po`) is not a complete, current translation of its
    source (or of `template`): entries missing, untranslated, fuzzy, stale against the English,
    or left over from cells that are gone. [] when complete."""
    path = catalog_path(language, stem)
    rel = f"i18n/{language}/{stem}.po"
    if po is None:
        if not path.exists():
            return [f"{rel} is missing: run `python3 course.py translate`"]
        po = load(path)
    live = {key(e): e for e in po if not e.obsolete}
    out = []
    if template is None:
        template = template_entries(stem)
    for t in template:
        where = describe(stem, t.msgctxt, t.msgid)
        e = live.get(key(t))
        if e is None:
            out.append(f"{rel}: {where}: no entry (run `python3 course.py translate`)")
        elif e.msgid != t.msgid or (e.msgid_plural or None) != (t.msgid_plural or None):
            out.append(
                f"{rel}: {where}: stale, the English changed since the catalog was updated "
                "(run `python3 course.py translate`, then translate the fuzzy entry)"
            )
        elif "fuzzy" in e.flags:
            out.append(f"{rel}: {where}: fuzzy, the English changed: review the translation")
        elif not has_translation(e):
            out.append(f"{rel}: {where}: untranslated")
        elif e.msgid_plural and not all(e.msgstr_plural.values()):
            out.append(f"{rel}: {where}: a plural form is untranslated")
    keys = {key(t) for t in template}
    for k, e in live.items():
        if k not in keys:
            out.append(
                f"{rel}: {describe(stem, e.msgctxt, e.msgid)}: obsolete, its source is gone "
                "(run `python3 course.py translate`)"
            )
    return out
