"""helpers.fonts: the shipped CJK font covers GB2312 and Big5 level 1 and the course's own text, and
matplotlib draws Chinese with it (real glyphs, no warning), also from a clean interpreter."""

import importlib.util
import json
import logging
import os
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from helpers import fonts

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "data" / "fonts"
SENTENCES = ("我看見一把鋸", "我看见一把锯")  # Traditional, Simplified
TERMS = ("自注意力機制", "自注意力机制", "關聯性", "关联性", "位置編碼", "位置编码", "多頭注意力",
         "多头注意力")
ABSENT = "\U0010fffd"  # a private-use code point no font here has: drawn as the missing-glyph box


def _load_make_font():
    spec = importlib.util.spec_from_file_location("make_font", FONT_DIR / "make_font.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Derived here on their own, not taken from make_font.py, so a slip there cannot hide.
def _gb2312_hanzi():
    out = []
    for lead in range(0xB0, 0xF8):  # rows 16-87: level 1 (16-55) and level 2 (56-87)
        for trail in range(0xA1, 0xFF):
            try:
                out.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # row 55 ends at 0xD7F9
    return out


def _big5_level1():
    codes = [(lead, trail) for lead in range(0xA4, 0xC7)
             for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]]
    return [bytes(code).decode("big5") for code in codes if code <= (0xC6, 0x7E)]


# --- (a) the files ---

def test_font_file_is_small_and_licensed():
    assert fonts.FONT_PATH.is_file()
    assert fonts.FONT_PATH.parent == FONT_DIR
    assert fonts.FONT_PATH.stat().st_size <= 6 * 1024 * 1024
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Adobe" in licence and "Reserved Font Name 'Source'" in licence
    name = TTFont(fonts.FONT_PATH, lazy=True)["name"]
    assert "Open Font License" in name.getDebugName(13)  # the licence travels inside the file too


def test_family_name_is_the_one_in_the_file():
    assert FontProperties(fname=fonts.FONT_PATH).get_name() == fonts.FAMILY


# --- (b) coverage ---

def test_derived_character_sets_have_the_standard_sizes():
    assert len(set(_gb2312_hanzi())) == len(_gb2312_hanzi()) == 6763
    assert len(set(_big5_level1())) == len(_big5_level1()) == 5401
    make_font = _load_make_font()
    assert set(make_font.gb2312_hanzi()) == set(_gb2312_hanzi())
    assert set(make_font.big5_level1()) == set(_big5_level1())


def test_covers_all_gb2312_hanzi():
    assert fonts.missing_glyphs("".join(_gb2312_hanzi())) == []


def test_covers_all_big5_level1_characters():
    assert fonts.missing_glyphs("".join(_big5_level1())) == []


def test_covers_cjk_punctuation_and_full_width_forms():
    assert fonts.covers("，。、；：？！「」『』（）《》〈〉【】…—～　")
    assert fonts.covers("ＡＢＣａｂｃ０１２３")
    assert fonts.covers("ㄅㄆㄇㄈ")  # Bopomofo


@pytest.mark.parametrize("text", SENTENCES + TERMS)
def test_covers_the_course_sentences_and_terms(text):
    assert fonts.covers(text)
    assert fonts.missing_glyphs(text) == []


def test_covers_every_cjk_character_of_the_course_text():
    # Characters outside CJK (superscripts, arrows, emoji) are DejaVu Sans's job, or nobody's.
    cjk_blocks = [(0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]
    chars = _load_make_font().course_characters(ROOT)
    cjk = sorted(ch for ch in chars if any(a <= ord(ch) <= b for a, b in cjk_blocks))
    assert "我" in cjk  # the collection works: the notebooks hold Chinese
    assert fonts.missing_glyphs("".join(cjk)) == [], "remake it: python data/fonts/make_font.py"


def test_missing_glyphs_lists_each_missing_character_once_in_order():
    assert fonts.missing_glyphs("我✅看❌✅") == ["✅", "❌"]
    assert fonts.missing_glyphs("") == []
    assert fonts.covers("我\n看\t見")  # control characters are never drawn
    assert not fonts.covers(ABSENT)


@pytest.mark.parametrize("bad", [None, 3, b"abc", ["我"]])
def test_covers_rejects_what_is_not_a_str(bad):
    with pytest.raises(ValueError, match="text must be a str"):
        fonts.covers(bad)
    with pytest.raises(ValueError, match="text must be a str"):
        fonts.missing_glyphs(bad)


# --- (c) drawing with matplotlib ---

def _glyph_image(ch):
    fig = Figure(figsize=(1, 1), dpi=64)
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, ch, fontsize=40, ha="center", va="center")
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0] < 128  # True where there is ink


def _draw_heatmap(sentence):
    fig = Figure(figsize=(3, 3), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    n = len(sentence)
    ax.imshow(np.arange(n * n).reshape(n, n))
    ax.set_xticks(range(n), list(sentence))
    ax.set_yticks(range(n), list(sentence))
    ax.set_title(f"α′: {sentence}")
    ax.set_xlabel("自注意力機制 / 自注意力机制")
    fig.canvas.draw()


def check_drawing():
    """After register_cjk_font(): both sentences draw without any warning, and each character is a
    real glyph: ink, a different image for each character, none of them the missing-glyph box."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # drawing the absent character warns: that is its point
        box = _glyph_image(ABSENT)
    chars = sorted(set("".join(SENTENCES)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for sentence in SENTENCES:
            _draw_heatmap(sentence)
        images = {ch: _glyph_image(ch) for ch in chars}
    for ch, image in images.items():
        assert image.sum() > 50, f"{ch} drew almost no ink"
        assert not np.array_equal(image, box), f"{ch} drew the missing-glyph box"
    distinct = {image.tobytes() for image in images.values()}
    assert len(distinct) == len(chars), "some characters drew the same image"


def test_register_is_idempotent_and_sets_a_fallback_list():
    with matplotlib.rc_context():
        assert fonts.register_cjk_font() == fonts.FAMILY
        manager = matplotlib.font_manager.fontManager
        count = sum(entry.fname == str(fonts.FONT_PATH) for entry in manager.ttflist)
        fonts.register_cjk_font()
        assert sum(entry.fname == str(fonts.FONT_PATH) for entry in manager.ttflist) == count >= 1
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", fonts.FAMILY]


def test_chinese_draws_with_real_glyphs_and_no_warning():
    with matplotlib.rc_context():
        fonts.register_cjk_font()
        check_drawing()


def test_saving_as_pdf_and_svg_works(tmp_path):
    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.simplefilter("error")
        fonts.register_cjk_font()
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.text(0.1, 0.5, "我看見一把鋸 我看见一把锯", fontsize=20)
        for fmt in ("pdf", "svg"):
            fig.savefig(tmp_path / f"check.{fmt}")
            assert (tmp_path / f"check.{fmt}").stat().st_size > 1000


def test_traditional_text_can_get_the_taiwan_glyph_shapes():
    def draw(lang):
        fig = Figure(figsize=(1, 1), dpi=64)
        FigureCanvasAgg(fig)
        props = FontProperties(fname=fonts.FONT_PATH, size=40)
        fig.text(0.5, 0.5, "起", fontproperties=props, ha="center", va="center", language=lang)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba())[..., 0]

    if not hasattr(Figure().text(0, 0, ""), "set_language"):
        pytest.skip("matplotlib < 3.11 has no text.language")
    assert np.array_equal(draw(None), draw("zh-Hans"))
    assert not np.array_equal(draw(None), draw("zh-Hant"))


# --- (d) the same from a fresh interpreter, on a machine with no CJK font ---

FRESH = """
import warnings
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager
# Forget every font but matplotlib's own, as on a machine with no CJK font installed.
bundled = Path(matplotlib.get_data_path()) / "fonts"
font_manager.fontManager.ttflist = [
    f for f in font_manager.fontManager.ttflist if Path(f.fname).is_relative_to(bundled)]
font_manager.fontManager._findfont_cached.cache_clear()
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg
fig = Figure()
FigureCanvasAgg(fig)
fig.text(0.5, 0.5, "我")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    fig.canvas.draw()
assert any("missing from font" in str(w.message) for w in caught), "the clean machine has CJK"

from helpers.fonts import FAMILY, FONT_PATH, register_cjk_font
register_cjk_font()
found = font_manager.findfont(font_manager.FontProperties(family=FAMILY), fallback_to_default=False)
assert Path(found) == FONT_PATH, found
from tests.test_fonts import check_drawing
check_drawing()
print("drawn with", found)
"""


def test_chinese_draws_from_a_clean_import_in_a_fresh_interpreter():
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    env.pop("MPLBACKEND", None)
    result = subprocess.run([sys.executable, "-c", FRESH], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"drawn with {fonts.FONT_PATH}" in result.stdout


# --- (e) reproducible ---

def test_remaking_the_font_gives_the_same_character_map(tmp_path):
    make_font = _load_make_font()
    if not make_font.SOURCE.exists():
        pytest.skip(f"the source font {make_font.SOURCE} is absent (fonts-noto-cjk not installed)")
    command = [sys.executable, str(FONT_DIR / "make_font.py"), "--out", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    remade = TTFont(tmp_path / make_font.OUT_NAME, lazy=True).getBestCmap()
    shipped = TTFont(fonts.FONT_PATH, lazy=True).getBestCmap()
    new = "".join(sorted(chr(c) for c in set(remade) - set(shipped)))
    assert not new, f"the course now uses {new!r}: remake it, python data/fonts/make_font.py"
    assert remade == shipped
    assert (tmp_path / "OFL.txt").read_bytes() == (FONT_DIR / "OFL.txt").read_bytes()


def test_course_text_collection_reads_notebook_strings(tmp_path):
    (tmp_path / "notebooks").mkdir()
    cell = {"cell_type": "markdown", "source": ["自注意力\n"], "metadata": {}}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "notebooks" / "x.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    (tmp_path / "po").mkdir()
    (tmp_path / "po" / "zh.po").write_text('msgid "head"\nmsgstr "頭"\n', encoding="utf-8")
    chars = _load_make_font().course_characters(tmp_path)
    assert set("自注意力頭") <= chars
    assert all(unicodedata.category(ch) != "Cc" for ch in chars)


def test_bold_text_with_chinese_draws_without_a_warning(caplog):
    """The shipped font has no bold face: matplotlib ≥ 3.11 warns on a process's first bold text
    (a stderr line under a learner's figure). That one warning is dropped; bold CJK text is drawn
    with the regular face."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties, fontManager

    fonts.register_cjk_font()
    weight = 600 + os.getpid() % 300  # a weight no earlier lookup cached in this process
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        found = fontManager.findfont(FontProperties(family=fonts.FAMILY, weight=weight))
        fig = plt.figure()
        fig.text(0.5, 0.5, "注意力 attention", fontweight="bold")
        fig.canvas.draw()
        plt.close(fig)
    assert Path(found).resolve() == fonts.FONT_PATH.resolve()
    assert not [r for r in caplog.records if "Failed to find font weight" in r.getMessage()]


def test_only_that_warning_is_dropped():
    f = fonts._NoBoldFaceWarning()

    def record(msg, *args):
        return logging.LogRecord("matplotlib.font_manager", logging.WARNING, "", 0, msg, args, None)

    weight_msg = "findfont: Failed to find font weight %s for %s, now using %s."
    assert not f.filter(record(weight_msg, "bold", fonts.FAMILY, 400))
    assert f.filter(record(weight_msg, "bold", "Some Other Family", 400))
    assert f.filter(record("findfont: Font family %s not found.", fonts.FAMILY))
