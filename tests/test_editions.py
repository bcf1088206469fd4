"""The Chinese editions (i18n/, notebooks/zh-Hant/, notebooks/zh-Hans/, helpers/language.py).

- the catalogs of every lesson declared translated in i18n/editions.json are complete: no entry
  missing, untranslated, fuzzy or stale against the English (messages name the lesson and cell);
- every built notebook is what the build makes now from its sources (sources compared, outputs
  ignored: nothing is executed here);
- translated code is the same code (Python's tokenize: only comments and strings differ);
- every edition follows the glossary (no competing term; a concept the English names appears
  under its term);
- zh-Hans is exactly OpenCC(zh-Hant) + the glossary + the reviewed overrides;
- `set_language` + `_` speak the catalogs' words, and English stays as written.
"""

import json
import re
import shutil
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import helpers.language  # noqa: E402
from i18n import build, catalogs, derive, glossary  # noqa: E402

LANGUAGES = build.languages()
DECLARED = build.translated()
LESSONS = build.built_lessons()
STEMS = catalogs.catalog_names()


def test_editions_name_both_scripts_and_declare_only_real_catalogs():
    assert LANGUAGES == ["zh-Hant", "zh-Hans"]
    assert build.editions()["editions"]["zh-Hant"]["jupyterlab_locale"] == "zh_TW"
    assert build.editions()["editions"]["zh-Hans"]["jupyterlab_locale"] == "zh_CN"
    assert set(DECLARED) <= set(STEMS), f"unknown catalogs declared: {set(DECLARED) - set(STEMS)}"
    assert "00_start_here" in LESSONS  # the pipeline's proof: lesson 00 in both editions


def test_every_english_cell_has_a_unique_stable_id():
    for path in catalogs.english_notebooks():
        nb = catalogs.read_notebook(path)
        ids = [c.get("id") for c in nb["cells"]]
        assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: cell ids {ids}"
        assert (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5), path.name


def test_every_lesson_has_a_catalog_in_each_language():
    for language in LANGUAGES:
        for stem in STEMS:
            assert catalogs.catalog_path(language, stem).exists(), (
                f"i18n/{language}/{stem}.po is missing: run `python3 course.py translate`"
            )


# ---- complete catalogs -------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stem", DECLARED)
def test_declared_catalogs_are_complete_and_current(language, stem):
    problems = catalogs.problems(language, stem)
    assert not problems, "\n".join(problems)


def _lesson(tmp_path: Path, cells: list[tuple[str, str, str]]) -> Path:
    nb = {
        "cells": [
            {"cell_type": kind, "id": cid, "metadata": {}, "source": src}
            | ({"outputs": [], "execution_count": None} if kind == "code" else {})
            for cid, kind, src in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "99_test.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_problems_name_the_lesson_and_cell_when_untranslated_fuzzy_or_obsolete(tmp_path):
    path = _lesson(
        tmp_path,
        [
            ("aaa", "markdown", "## The query"),
            ("bbb", "code", "x = 1  # one value"),
            ("ccc", "code", "y = 2"),  # no comment, no prose string: not in the catalog
        ],
    )
    po = polib.POFile()
    catalogs.merge(po, catalogs.notebook_entries(path))
    assert [e.msgctxt for e in po] == ["aaa", "code:bbb"]
    untranslated = catalogs.problems("zh-Hant", "99_test", po, catalogs.notebook_entries(path))
    assert len(untranslated) == 2 and all("untranslated" in p for p in untranslated)
    assert "lesson 99 (99_test), markdown cell aaa «## The query»" in untranslated[0]
    assert "code cell bbb" in untranslated[1]

    po[0].msgstr, po[1].msgstr = "## 查詢", "x = 1  # 一個值"
    assert catalogs.problems("zh-Hant", "99_test", po, catalogs.notebook_entries(path)) == []

    # the English changes: stale until merged, then fuzzy (old translation kept)
    path = _lesson(tmp_path, [("aaa", "markdown", "## The queries"), ("bbb", "code", "x = 1")])
    template = catalogs.notebook_entries(path)
    stale = catalogs.problems("zh-Hant", "99_test", po, template)
    assert any("markdown cell aaa" in p and "stale" in p for p in stale), stale
    assert any("code cell bbb" in p and "obsolete" in p for p in stale), stale  # no comment now
    counts = catalogs.merge(po, template)
    assert counts == {"new": 0, "fuzzy": 1, "obsolete": 1}
    entry = po.find("## The queries", msgctxt="aaa")
    assert entry.fuzzy and entry.msgstr == "## 查詢" and entry.previous_msgid == "## The query"
    assert [e.obsolete for e in po if e.msgctxt == "code:bbb"] == [1]  # kept as #~ memory
    after = catalogs.problems("zh-Hant", "99_test", po, template)
    assert len(after) == 1 and "fuzzy" in after[0] and "markdown cell aaa" in after[0]
    entry.flags.remove("fuzzy")
    assert catalogs.problems("zh-Hant", "99_test", po, template) == []


def test_merge_adds_new_entries_empty_and_reuses_a_moved_cell():
    old = polib.POEntry(msgctxt="x1", msgid="Softmax is one normalisation.", msgstr="譯文")
    po = polib.POFile()
    po.append(old)
    template = [
        polib.POEntry(msgctxt="y2", msgid="Softmax is one normalisation."),  # same text, new id
        polib.POEntry(msgctxt="z3", msgid="A new cell."),
    ]
    counts = catalogs.merge(po, template)
    assert counts["new"] == 2 and counts["obsolete"] == 0
    assert po.find("Softmax is one normalisation.", msgctxt="y2").msgstr == "譯文"
    assert not po.find("Softmax is one normalisation.", msgctxt="y2").fuzzy
    assert po.find("A new cell.", msgctxt="z3").msgstr == ""


def test_merge_is_idempotent_on_the_shipped_catalogs():
    for stem in DECLARED:
        path = catalogs.catalog_path("zh-Hant", stem)
        po = catalogs.load(path)
        catalogs.merge(po, catalogs.template_entries(stem))
        assert po.__unicode__() == path.read_text(encoding="utf-8"), (
            f"i18n/zh-Hant/{stem}.po is not what `python3 course.py translate` writes: run it"
        )


# ---- built notebooks ---------------------------------------------------------------------------
def test_each_edition_holds_exactly_the_declared_lessons():
    for language in LANGUAGES:
        found = sorted(p.stem for p in (catalogs.NOTEBOOKS / language).glob("*.ipynb"))
        assert found == sorted(LESSONS), f"notebooks/{language}/: {found} vs declared {LESSONS}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stem", LESSONS)
def test_built_notebook_is_current_and_executed(language, stem):
    problems = build.stale(language, stem)
    assert not problems, "\n".join(problems)
    nb = catalogs.read_notebook(build.built_path(language, stem))
    unrun = [c["id"] for c in nb["cells"] if c["cell_type"] == "code" and not c["execution_count"]]
    assert not unrun, f"notebooks/{language}/{stem}.ipynb: code cells {unrun} were not executed"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stem", LESSONS)
def test_built_code_is_the_english_code(language, stem):
    english = catalogs.read_notebook(catalogs.NOTEBOOKS / f"{stem}.ipynb")["cells"]
    built = catalogs.read_notebook(build.built_path(language, stem))["cells"]
    assert [c["id"] for c in built] == [c["id"] for c in english]
    code = [(e, b) for e, b in zip(english, built, strict=True) if e["cell_type"] == "code"]
    for e, b in code:
        diff = catalogs.code_differences(catalogs.source(e), catalogs.source(b))
        assert diff is None, f"{language}/{stem}, code cell {e['id']}: {diff}"
    first = catalogs.source(code[0][1])
    assert re.search(rf'^LANGUAGE = "{language}"', first, re.M), first
    assert "set_language(LANGUAGE)" in first


def _copy_course(tmp_path: Path, monkeypatch) -> Path:
    """A copy of lesson 00, its catalogs and its built editions (and the other declared English
    lessons it links to), with the build pointed at it."""
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    for stem in LESSONS:  # every declared lesson, so that links between them stay in the edition
        shutil.copy(catalogs.NOTEBOOKS / f"{stem}.ipynb", root / "notebooks")
    for language in LANGUAGES:
        (root / "notebooks" / language).mkdir()
        shutil.copy(build.built_path(language, "00_start_here"), root / "notebooks" / language)
        (root / "i18n" / language).mkdir(parents=True)
        shutil.copy(catalogs.catalog_path(language, "00_start_here"), root / "i18n" / language)
    (root / "i18n" / "editions.json").write_text(
        json.dumps({"editions": build.editions()["editions"], "translated": DECLARED}),
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogs, "ROOT", root)
    monkeypatch.setattr(catalogs, "I18N", root / "i18n")
    monkeypatch.setattr(catalogs, "NOTEBOOKS", root / "notebooks")
    return root


def test_staleness_fails_on_a_changed_english_cell_and_passes_after_the_catalog_is_updated(
    tmp_path, monkeypatch
):
    root = _copy_course(tmp_path, monkeypatch)
    assert build.stale("zh-Hant", "00_start_here") == []
    english = root / "notebooks" / "00_start_here.ipynb"
    nb = catalogs.read_notebook(english)
    cell = next(c for c in nb["cells"] if c["id"] == "5dc96d36")
    cell["source"] = catalogs.source(cell).replace("five tokens", "five words")
    english.write_text(json.dumps(nb), encoding="utf-8")

    stale = build.stale("zh-Hant", "00_start_here")
    assert len(stale) == 1 and "markdown cell 5dc96d36" in stale[0], stale
    problems = catalogs.problems("zh-Hant", "00_start_here")
    assert len(problems) == 1 and "stale" in problems[0] and "5dc96d36" in problems[0]

    # what `course.py translate` does, then what the translator does in Poedit
    catalogs.update("zh-Hant", "00_start_here")
    [fuzzy] = [
        e for e in catalogs.load(catalogs.catalog_path("zh-Hant", "00_start_here")) if e.fuzzy
    ]
    assert fuzzy.msgctxt == "5dc96d36" and "five tokens" in fuzzy.previous_msgid
    assert "fuzzy" in catalogs.problems("zh-Hant", "00_start_here")[0]
    po = catalogs.load(catalogs.catalog_path("zh-Hant", "00_start_here"))
    entry = po.find(catalogs.source(cell), msgctxt="5dc96d36")
    entry.msgstr = entry.msgstr.replace("五個詞元", "五個詞")
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    po.save()
    assert catalogs.problems("zh-Hant", "00_start_here") == []
    assert build.stale("zh-Hant", "00_start_here")  # the catalog moved on, the notebook did not
    build.write_built("zh-Hant", "00_start_here", build.build_notebook("zh-Hant", "00_start_here"))
    assert build.stale("zh-Hant", "00_start_here") == []


def test_a_lesson_without_the_language_setting_cannot_be_built(tmp_path, monkeypatch):
    root = _copy_course(tmp_path, monkeypatch)
    english = root / "notebooks" / "00_start_here.ipynb"
    nb = catalogs.read_notebook(english)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["source"] = catalogs.source(cell).replace('LANGUAGE = "en"', 'LANG = "en"')
    english.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(build.BuildError, match='LANGUAGE = "en"'):
        build.build_notebook("zh-Hant", "00_start_here")


def test_links_to_lessons_outside_the_edition_point_to_the_english_ones():
    text = "[01](01_vector_sets.ipynb) [00](00_start_here.ipynb#x) ![i](img.png) [w](https://a.b)"
    assert build._relink(text, {"00_start_here"}) == (
        "[01](../01_vector_sets.ipynb) [00](00_start_here.ipynb#x) ![i](../img.png) "
        "[w](https://a.b)"
    )


# ---- code stays code ---------------------------------------------------------------------------
CODE = 'x = f(a, "a label")  # a comment\nprint("the sum:", x)\n'


@pytest.mark.parametrize(
    "translated",
    [
        'x = f(a, "一個標籤")  # 一個註解\nprint("總和：", x)\n',
        'x = f(a, "一個" "標籤")\n# 註解可以換行\nprint("總和：", x)\n',
    ],
)
def test_code_may_change_only_comments_and_strings(translated):
    assert catalogs.code_differences(CODE, translated) is None


@pytest.mark.parametrize(
    "translated, says",
    [
        ('x = f(b, "一個標籤")  # 一個註解\nprint("總和：", x)\n', "'a' where"),
        ('x = f(a)  # 一個註解\nprint("總和：", x)\n', "',' where"),
        ('x = f(a, "一個標籤")\nprint("總和：", x)\ny = 1\n', "'ENDMARKER' where"),
        ('x = f(a, b"label")\nprint("sum", x)\n', "a string"),  # str became bytes
        ('x = f(a, "一個標籤"\n', "not valid Python"),
    ],
)
def test_code_changes_outside_comments_and_strings_are_named(translated, says):
    diff = catalogs.code_differences(CODE, translated)
    assert diff is not None and says in diff, diff


def test_fstring_fields_are_code():
    english = 'print(f"{n} tokens")\n'
    assert catalogs.code_differences(english, 'print(f"{n} 個詞元")\n') is None
    assert catalogs.code_differences(english, 'print(f"{n + 1} 個詞元")\n') is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translated_code_cell_is_the_same_code(language):
    bad = []
    for stem in STEMS:
        for e in catalogs.load(catalogs.catalog_path(language, stem)):
            if e.msgctxt and e.msgctxt.startswith("code:") and e.msgstr and not e.obsolete:
                diff = catalogs.code_differences(e.msgid, e.msgstr)
                if diff:
                    bad.append(f"{catalogs.describe(stem, e.msgctxt, e.msgid)}: {diff}")
    assert not bad, "\n".join(bad)


# ---- the glossary --------------------------------------------------------------------------------
BRIEF = {  # the spec's glossary: one term per concept (Traditional, Simplified)
    "self_attention": ("自注意力機制", "自注意力机制"),
    "relevance": ("關聯性", "关联性"),
    "attention_score": ("注意力分數", "注意力分数"),
    "positional_encoding": ("位置編碼", "位置编码"),
    "multi_head": ("多頭注意力", "多头注意力"),
    "query": ("查詢", "查询"),
    "key": ("鍵", "键"),
    "value": ("值", "值"),
    "normalisation": ("歸一化", "归一化"),
    "truncated_self_attention": ("截斷自注意力", "截断自注意力"),
    "vector_set": ("向量集合", "向量集合"),
    "window": ("窗口", "窗口"),
    "patch": ("圖塊", "图块"),
    "sequence_labeling": ("序列標注", "序列标注"),
    "frame": ("幀", "帧"),
    "spectrogram": ("聲譜圖", "声谱图"),
    "mask": ("遮罩", "遮罩"),
    "temperature": ("溫度", "温度"),
    "exercise": ("練習", "练习"),
    "explorer": ("互動探索器", "互动探索器"),
}
MORE = "vector sequence token embedding one_hot weight output layer head matrix heatmap lesson"


def test_glossary_has_one_term_per_concept_with_symbols_and_competitors():
    concepts = {c.concept: c for c in glossary.load()}
    assert len(concepts) == len(glossary.load()), "a concept is listed twice"
    for name, (hant, hans) in BRIEF.items():
        assert (concepts[name].term["zh-Hant"], concepts[name].term["zh-Hans"]) == (hant, hans)
    assert set(MORE.split()) <= set(concepts)
    assert concepts["relevance"].symbol == "α" and concepts["query"].symbol == "q"
    assert "相關性" in concepts["relevance"].banned["zh-Hant"]
    assert "相关性" in concepts["relevance"].banned["zh-Hans"]
    for c in concepts.values():
        assert c.en_pattern.search(c.en), f"{c.concept}: en_pattern does not find {c.en!r}"
        for script in glossary.SCRIPTS:
            assert c.term[script], f"{c.concept}: no {script} term"
            for banned in c.banned[script]:
                assert not any(banned in form for form in c.forms(script)), (
                    f"{c.concept}: the competing {banned!r} is part of the {script} term itself"
                )


def test_glossary_check_catches_competitors_wrong_script_and_missing_terms():
    assert ("relevance", "相關性") in glossary.forbidden("兩個向量的相關性", "zh-Hant")
    assert ("relevance", "关联性") in glossary.forbidden(
        "两个向量的关联性", "zh-Hant"
    )  # wrong script
    assert glossary.forbidden("兩個向量的關聯性", "zh-Hant") == []
    assert glossary.forbidden("运行一个单元格", "zh-Hans") == []  # 单元 inside 单元格 (cell)
    assert ("lesson", "单元") in glossary.forbidden("第一单元", "zh-Hans")  # 单元 for lesson
    assert glossary.missing("the relevance of two vectors", "兩個向量的相關性", "zh-Hant") == [
        "relevance (relevance → 關聯性)"
    ]
    assert glossary.missing("the relevance of two vectors", "兩個向量的關聯性", "zh-Hant") == []
    assert (
        glossary.missing("call `AttentionExplorer()`", "呼叫 `AttentionExplorer()`", "zh-Hant")
        == []
    )
    assert glossary.missing("self-attention layer", "自注意力層", "zh-Hant") == []  # short form


def _translations(language: str):
    """(where, English, translation, skips) of every translated entry of every catalog."""
    for stem in STEMS:
        for e in catalogs.load(catalogs.catalog_path(language, stem)):
            if e.obsolete or e.fuzzy or not catalogs.has_translation(e):
                continue
            where = f"{language}: {catalogs.describe(stem, e.msgctxt, e.msgid)}"
            pairs = [(e.msgid, e.msgstr)]
            if e.msgid_plural:
                pairs = [(e.msgid_plural, s) for s in e.msgstr_plural.values()]
            for english, translated in pairs:
                if e.msgctxt and e.msgctxt.startswith("code:"):
                    english = "\n".join(catalogs.translatable_text(english))
                    translated = "\n".join(catalogs.translatable_text(translated))
                yield where, english, translated, catalogs.glossary_skips(e)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_uses_the_glossary(language):
    problems = []
    for where, english, translated, skips in _translations(language):
        problems += glossary.entry_problems(where, english, translated, language, skips)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stem", LESSONS)
def test_every_built_notebook_has_no_competing_term(language, stem):
    nb = catalogs.read_notebook(build.built_path(language, stem))
    problems = []
    for c in nb["cells"]:
        text = catalogs.source(c)
        if c["cell_type"] == "code":
            text = "\n".join(catalogs.translatable_text(text))
        for concept, term in glossary.forbidden(text, language):
            problems.append(
                f"{language}/{stem}, {c['cell_type']} cell {c['id']}: {term} ({concept})"
            )
    assert not problems, "\n".join(problems)


ENGLISH_KNOWN: dict[str, str] = {}  # stem → Chinese in an English lesson still to bring in line


@pytest.mark.parametrize(
    "stem",
    [
        pytest.param(s, marks=pytest.mark.xfail(reason=ENGLISH_KNOWN[s]))
        if s in ENGLISH_KNOWN
        else s
        for s in (p.stem for p in catalogs.english_notebooks())
    ],
)
def test_english_lessons_name_chinese_terms_as_the_glossary_does(stem):
    """The English edition's Chinese words (自注意力机制, 关联性 …) are the glossary's, in either
    script: no listed competitor."""
    nb = catalogs.read_notebook(catalogs.NOTEBOOKS / f"{stem}.ipynb")
    banned = {
        (c.concept, t) for c in glossary.load() for s in glossary.SCRIPTS for t in c.banned[s]
    }
    problems = [
        f"{stem}, cell {cell['id']}: {term} ({concept})"
        for cell in nb["cells"]
        for concept, term in sorted(banned)
        if term in catalogs.source(cell)
    ]
    assert not problems, "\n".join(problems)


# ---- zh-Hans is derived ------------------------------------------------------------------------
def test_zh_hans_catalogs_are_opencc_of_zh_hant_plus_overrides():
    derived, readme, overrides = derive.derive_all(STEMS)
    assert set(derived) == set(STEMS)
    for stem, po in derived.items():
        stored = catalogs.catalog_path("zh-Hans", stem).read_text(encoding="utf-8")
        assert po.__unicode__() == stored, (
            f"i18n/zh-Hans/{stem}.po is not OpenCC(zh-Hant) + overrides: it is generated, never "
            "edited by hand; put reviewed zh-Hans in i18n/zh-Hans/overrides.po and run "
            "`python3 course.py translate`"
        )
    assert readme == derive.README_HANS.read_text(encoding="utf-8"), (
        "README.zh-Hans.md is not derived from README.zh-Hant.md: run `python3 course.py translate`"
    )
    assert overrides.unused() == [], "overrides that match nothing: " + "; ".join(
        overrides.unused()
    )


def test_derivation_keeps_the_glossary_where_opencc_alone_would_not():
    import opencc

    convert = derive.Converter().convert
    plain = opencc.OpenCC("tw2sp").convert
    text = "序列標注的向量集合：每一橫列是一個查詢，每一直行是一個鍵。「互動探索器」"
    assert "串行" in plain(text) and "矢量" in plain(text) and "查找" in plain(text)
    assert convert(text) == "序列标注的向量集合：每一行是一个查询，每一列是一个键。“互动探索器”"
    assert convert("python3 course.py open --lang zh-Hant") == (
        "python3 course.py open --lang zh-Hans"
    )


def test_a_stale_override_makes_its_entry_fuzzy(tmp_path):
    path = tmp_path / "overrides.po"
    po = polib.POFile()
    po.append(polib.POEntry(msgctxt="99_test:aaa", msgid="舊的繁體", msgstr="审过的简体"))
    po.save(str(path))
    overrides = derive.Overrides(path)
    converter = derive.Converter()
    current = polib.POEntry(msgctxt="aaa", msgid="English", msgstr="舊的繁體")
    assert derive.derive_entry(current, "99_test", converter, overrides).msgstr == "审过的简体"
    changed = polib.POEntry(msgctxt="aaa", msgid="English", msgstr="新的繁體")
    out = derive.derive_entry(changed, "99_test", converter, overrides)
    assert out.fuzzy and out.msgstr == "新的繁体" and "no longer matches" in out.comment


# ---- the runtime language ----------------------------------------------------------------------
@pytest.fixture
def language():
    yield helpers.language.set_language
    helpers.language.set_language("en")


MESSAGE = "this {name} was closed; make a new one"


def test_set_language_round_trip(language):
    assert helpers.language.get_language() == "en" and helpers.language._(MESSAGE) is MESSAGE
    hant = catalogs.load(catalogs.catalog_path("zh-Hant", "helpers")).find(MESSAGE).msgstr
    hans = catalogs.load(catalogs.catalog_path("zh-Hans", "helpers")).find(MESSAGE).msgstr
    assert hant and hans and hant != hans
    assert language("zh-Hant") == "zh-Hant" and helpers.language.get_language() == "zh-Hant"
    assert helpers.language._(MESSAGE) == hant
    assert helpers.language._("a string no catalog has") == "a string no catalog has"
    # untranslated: English
    assert helpers.language.ngettext("{n} token", "{n} tokens", 2) == "{n} tokens"
    language("zh-Hans")
    assert helpers.language._(MESSAGE) == hans
    language("en")
    assert helpers.language._(MESSAGE) == MESSAGE
    assert (
        helpers.language.ngettext("one", "many", 1) == "one"
        and helpers.language.ngettext("one", "many", 3) == "many"
    )


@pytest.mark.parametrize("bad", ["fr", "zh", "zh-TW", "", None, 1])
def test_set_language_rejects_other_languages(language, bad):
    with pytest.raises(ValueError, match=r"language must be one of 'en', 'zh-Hant', 'zh-Hans'"):
        language(bad)
    assert helpers.language.get_language() == "en"


def test_an_explorer_built_after_set_language_speaks_it(language):
    from helpers.explorers.attention import HeatmapExplorer

    language("zh-Hant")
    explorer = HeatmapExplorer([[0.0, 1.0], [1.0, 0.0]], ["a", "b"])
    explorer.close()
    with pytest.raises(ValueError, match="這個 HeatmapExplorer 已經關閉"):
        explorer.save("x.png")
    language("en")
    with pytest.raises(ValueError, match="this HeatmapExplorer was closed; make a new one"):
        explorer.save("x.png")


def test_every_marked_string_is_extractable_and_keeps_its_placeholders():
    assert catalogs.unmarkable_calls() == []
    marked = {m.msgid: m.file for m in catalogs.marked_strings()}
    assert marked[MESSAGE] == "helpers/explorer.py"
    helpers_po = catalogs.load(catalogs.catalog_path("zh-Hant", "helpers"))
    assert {e.msgid for e in helpers_po if not e.obsolete} == set(marked)
    field = re.compile(r"\{[^{}]*\}")
    for language in LANGUAGES:
        for e in catalogs.load(catalogs.catalog_path(language, "helpers")):
            if e.msgstr and not e.obsolete:
                assert sorted(field.findall(e.msgstr)) == sorted(field.findall(e.msgid)), (
                    f"{language}/helpers.po: the placeholders of «{e.msgid}» changed"
                )
