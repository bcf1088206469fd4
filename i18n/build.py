"""`python3 course.py translate`: the Chinese editions, built from the English lessons and the
catalogs (= `python -m i18n.build` from the repository root).

    python3 course.py translate                 all the steps below
    python3 course.py translate --no-execute    the same without step 5 (a quick build: code cells
                                                whose source did not change keep their outputs)

1. every cell of every English notebook gets a stable id if it lacks one (ids are kept);
2. extract/update: every zh-Hant catalog is refreshed from its English source (new entries empty,
   changed English fuzzy with the old translation kept, removed entries obsolete), and
   `helpers.po` from every `_()` / `ngettext()` in helpers/**/*.py;
3. derive: every zh-Hans catalog and README.zh-Hans.md are made again from zh-Hant (OpenCC tw2sp
   + the glossary + i18n/zh-Hans/overrides.po; see i18n/derive.py);
4. build: `notebooks/<edition>/NN_*.ipynb` for each lesson `i18n/editions.json` declares
   translated: the English notebook with each cell's translation from the catalog (same cell ids,
   same order, same code; only the first code cell's `LANGUAGE = "en"` names the edition);
   links to lessons not in the edition point to the English ones;
5. execute: each built notebook is run top to bottom in its folder (nbconvert) and tidied
   (`course.tidy_notebook`), so its outputs are stored as in English.

The build is deterministic: the same sources give the same notebooks, which is how
tests/test_editions.py tells that a built notebook is out of date without running it.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

from . import catalogs, derive

EDITIONS = "editions.json"  # in i18n/
LANGUAGE_LINE = re.compile(r"""^(LANGUAGE\s*=\s*)(["'])en\2""", re.MULTILINE)
_LINK = re.compile(r"(\]\(|<img [^>]*src=\"|^\[[^\]\n]+\]:\s*)([^)\"\s]+)", re.MULTILINE)


class BuildError(ValueError):
    pass


def editions() -> dict:
    """i18n/editions.json: the editions and the catalogs declared translated."""
    return json.loads((catalogs.I18N / EDITIONS).read_text(encoding="utf-8"))


def languages() -> list[str]:
    return list(editions()["editions"])


def translated() -> list[str]:
    """The catalogs declared complete: lesson stems (their editions are built) and "helpers"."""
    return list(editions()["translated"])


def built_lessons() -> list[str]:
    """The lessons that have Chinese editions, in order."""
    english = {p.stem for p in catalogs.english_notebooks()}
    return [s for s in translated() if s in english]


def built_path(language: str, stem: str) -> Path:
    return catalogs.NOTEBOOKS / language / f"{stem}.ipynb"


# ---- step 4: one notebook of one edition ---------------------------------------------------------
def _relink(markdown: str, lessons: set[str]) -> str:
    """Relative links as seen from notebooks/<edition>/: a lesson of this edition stays a sibling,
    anything else (an English lesson, a file of the repository) goes one folder up."""

    def fix(m: re.Match) -> str:
        target = m.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", target, re.IGNORECASE):
            return m.group(0)
        path = target.split("#", 1)[0]
        if path.endswith(".ipynb") and "/" not in path and Path(path).stem in lessons:
            return m.group(0)
        return m.group(1) + "../" + target

    return _LINK.sub(fix, markdown)


def build_notebook(language: str, stem: str) -> dict:
    """The `language` edition of lesson `stem`, sources only (code cells without outputs)."""
    english_path = catalogs.NOTEBOOKS / f"{stem}.ipynb"
    nb = copy.deepcopy(catalogs.read_notebook(english_path))
    po_path = catalogs.catalog_path(language, stem)
    table = {}
    if po_path.exists():
        for e in catalogs.load(po_path):
            if not e.obsolete and e.msgstr and "fuzzy" not in e.flags:
                table[e.msgctxt] = e
    lessons = set(built_lessons())
    first_code = True
    for cell in nb["cells"]:
        if cell["cell_type"] not in ("markdown", "code"):
            continue
        src = catalogs.source(cell)
        entry = table.get(catalogs.entry_key(cell))
        if entry is not None and entry.msgid == src:
            src = entry.msgstr
        if cell["cell_type"] == "markdown":
            src = _relink(src, lessons)
        else:
            cell["outputs"], cell["execution_count"] = [], None
            if first_code:
                src, n = LANGUAGE_LINE.subn(rf'\g<1>"{language}"', src)
                if n != 1:
                    raise BuildError(
                        f"lesson {stem}: the first code cell must set the edition's language in "
                        'one line `LANGUAGE = "en"` (followed by `set_language(LANGUAGE)`; see '
                        "i18n/README.md), kept as is in its translation; found it "
                        f"{n} times in the {'translation' if entry else 'English'}"
                    )
                first_code = False
        cell["source"] = src.splitlines(keepends=True)
    if first_code:
        raise BuildError(f"lesson {stem} has no code cell to set LANGUAGE in")
    nb["metadata"]["course"] = {
        "edition": language,
        "source": f"notebooks/{stem}.ipynb",
        "built_by": "python3 course.py translate (i18n/build.py): edit the English notebook or "
        f"i18n/{language}/{stem}.po, never this file",
    }
    return nb


def stale(language: str, stem: str) -> list[str]:
    """How the stored `notebooks/<language>/<stem>.ipynb` differs from what the build makes now
    from the English notebook and the catalog (sources, ids, order and tags; outputs ignored):
    one message per cell. [] when it is current."""
    path = built_path(language, stem)
    rel = f"notebooks/{language}/{stem}.ipynb"
    redo = "run `python3 course.py translate`"
    if not path.exists():
        return [f"{rel} is missing: {redo}"]
    want, have = build_notebook(language, stem), catalogs.read_notebook(path)
    out = []
    cells_want = {c.get("id"): c for c in want["cells"]}
    cells_have = {c.get("id"): c for c in have["cells"]}
    for cid, cell in cells_want.items():
        kind = f"{cell['cell_type']} cell {cid}"
        other = cells_have.get(cid)
        if other is None:
            out.append(f"{rel}: lesson {stem[:2]} ({stem}), {kind} is missing: {redo}")
        elif cell_sources({"cells": [cell], "metadata": {}}) != cell_sources(
            {"cells": [other], "metadata": {}}
        ):
            snippet = " ".join(catalogs.source(cell).split())[:60]
            out.append(
                f"{rel}: lesson {stem[:2]} ({stem}), {kind} «{snippet}» differs from what the "
                f"build makes now from the English and i18n/{language}/{stem}.po: {redo}"
            )
    extra = [cid for cid in cells_have if cid not in cells_want]
    if extra:
        out.append(f"{rel}: cells {extra} are not in the English lesson any more: {redo}")
    if not out and cell_sources(want) != cell_sources(have):
        out.append(f"{rel}: its cells are in another order or its metadata differs: {redo}")
    return out


def cell_sources(nb: dict) -> list[tuple]:
    """What the staleness test compares: each cell's id, type, source and tags (not outputs)."""
    return [
        (c.get("id"), c["cell_type"], catalogs.source(c), c.get("metadata", {}).get("tags", []))
        for c in nb["cells"]
    ] + [("metadata.course", nb["metadata"].get("course"))]


def write_built(language: str, stem: str, nb: dict) -> bool:
    """Write a built notebook; code cells whose source is unchanged keep their stored outputs.
    Returns whether its sources changed (it needs executing)."""
    path = built_path(language, stem)
    old = catalogs.read_notebook(path) if path.exists() else None
    if old is not None:
        stored = {c.get("id"): c for c in old["cells"] if c["cell_type"] == "code"}
        for cell in nb["cells"]:
            before = stored.get(cell.get("id"))
            if before is not None and catalogs.source(before) == catalogs.source(cell):
                cell["outputs"] = before.get("outputs", [])
                cell["execution_count"] = before.get("execution_count")
        nb["metadata"] = {**old["metadata"], **nb["metadata"]}
    catalogs.write_notebook(path, nb)
    return old is None or cell_sources(old) != cell_sources(nb)


# ---- step 5 -----------------------------------------------------------------------------------
def execute(path: Path) -> None:
    """Run a built notebook top to bottom in its own folder, store the outputs, tidy it."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    if str(catalogs.ROOT) not in sys.path:
        sys.path.insert(0, str(catalogs.ROOT))
    import course

    nb = nbformat.read(path, as_version=4)
    ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(
        nb, {"metadata": {"path": str(path.parent)}}
    )
    nbformat.write(nb, path)
    course.tidy_notebook(path)


# ---- the command ------------------------------------------------------------------------------
def run(execute_notebooks: bool = True, log=print) -> int:
    for path in catalogs.english_notebooks():
        if catalogs.ensure_cell_ids(path):
            log(f"gave cell ids to {path.relative_to(catalogs.ROOT)}")
    source_language, *_ = languages()
    for stem in catalogs.catalog_names():
        changed, counts = catalogs.update(source_language, stem)
        if changed:
            log(
                f"updated i18n/{source_language}/{stem}.po: {counts['new']} new, "
                f"{counts['fuzzy']} fuzzy, {counts['obsolete']} obsolete"
            )
    derived, readme, overrides = derive.derive_all(catalogs.catalog_names())
    for stem, po in derived.items():
        if catalogs.save_if_changed(po, catalogs.catalog_path("zh-Hans", stem)):
            log(f"derived i18n/zh-Hans/{stem}.po")
    if readme is not None and (
        not derive.README_HANS.exists() or derive.README_HANS.read_text(encoding="utf-8") != readme
    ):
        derive.README_HANS.write_text(readme, encoding="utf-8")
        log("derived README.zh-Hans.md")
    for problem in overrides.unused():
        log(f"warning: unused override (review or delete it): {problem}")

    lessons = built_lessons()
    to_run = []
    for language in languages():
        for stem in lessons:
            if write_built(language, stem, build_notebook(language, stem)):
                log(f"built notebooks/{language}/{stem}.ipynb")
            to_run.append(built_path(language, stem))
        for stray in sorted((catalogs.NOTEBOOKS / language).glob("*.ipynb")):
            if stray.stem not in lessons:
                stray.unlink()
                log(
                    f"removed notebooks/{language}/{stray.name} "
                    "(not declared translated in i18n/editions.json)"
                )
    incomplete = [
        p for lang in languages() for s in translated() for p in catalogs.problems(lang, s)
    ]
    for problem in incomplete:
        log(f"incomplete: {problem}")
    if execute_notebooks:
        for path in to_run:
            log(f"executing {path.relative_to(catalogs.ROOT)} …")
            execute(path)
    return 1 if incomplete else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course.py translate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--no-execute", action="store_true", help="build without re-executing the notebooks"
    )
    args = parser.parse_args(argv)
    return run(execute_notebooks=not args.no_execute)


if __name__ == "__main__":
    sys.exit(main())
