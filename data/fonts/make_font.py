"""Make the course's CJK font, a fontTools subset of Noto Sans CJK SC Regular (used by
`helpers.fonts`, so by every lesson: any figure may show Chinese).

    python data/fonts/make_font.py              # data/fonts/NotoSansCJK-course-subset.otf + OFL.txt
    python data/fonts/make_font.py --out DIR    # the same two files into DIR

Source (made with this exact file):
    /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc, face 2 of 10 ("Noto Sans CJK SC",
    Regular, "Version 2.004;hotconv 1.0.118;makeotfexe 2.5.65603"), from Debian's package
    fonts-noto-cjk, version 1:20220127+repack1-1 (`apt-get install -y fonts-noto-cjk`).
    Upstream: Noto Sans CJK (Adobe's Source Han Sans, made with Google), SIL OFL 1.1.
    The licence text, OFL.txt, is taken from that package's /usr/share/doc/fonts-noto-cjk/copyright.

Face: the SC (Simplified Chinese) face, so the family name is "Noto Sans CJK SC", the first name
`helpers.plots` already looks for. Every face of the collection maps the same characters; the
faces differ only in regional glyph shapes (e.g. 起 户 骨, and where ，。 sit in the em box).
So Traditional text is drawn in the mainland shapes by default. The Taiwan shapes are kept too
(the "locl" feature for the language system ZHT): matplotlib >= 3.11 draws them for text whose
language is Traditional Chinese, `rcParams["text.language"] = "zh-Hant"` (or "zh-TW").

Characters (9,967 code points with the source of 2022; the script prints the counts):
    - GB2312, all of it: every valid two-byte code decoded with Python's "gb2312" codec
      (rows 1-9 symbols, kana, Greek, Cyrillic, pinyin; rows 16-87 the 6,763 hanzi, levels 1+2);
    - Big5 symbols (0xA140-0xA3BF, with Bopomofo) and level 1, the 5,401 common characters
      (0xA440-0xC67E: lead bytes 0xA4-0xC5 with both trail ranges, then 0xC640-0xC67E);
      GB2312's and Big5's hanzi together are 8,836 distinct characters;
    - CJK Symbols and Punctuation, Bopomofo (+ Extended), CJK Compatibility Forms, Halfwidth and
      Fullwidth Forms, and printable ASCII;
    - every character of the course's own text: notebooks/*.ipynb, helpers/**/*.py, data/*.json
      and any gettext catalogue (*.po) in the repository. Characters the source font does not have
      (emoji such as ✅) are simply not in the subset.

Dropped to save size (5.0 MB -> 2.9 MB; nothing matplotlib draws horizontally needs them): hinting,
the vertical-writing tables (vhea, vmtx, VORG) and layout features, and the Japanese, Korean and
Hong Kong glyph variants. Kept: the default horizontal features (ccmp, locl, kern, mark, liga, ...)
for the default and ZHT language systems, and the whole name table (copyright, licence).

Deterministic: the same source gives a byte-identical file (the source's timestamp is kept).
Takes about 11 s on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"  # face 2 of the collection, found by name (see _open_face)
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
OUT_NAME = "NotoSansCJK-course-subset.otf"
# The copyright line of upstream's LICENSE file (the font's own name table has the first half).
UPSTREAM_NOTICE = (
    "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."
)

# Unicode blocks kept whole (ranges inclusive).
BLOCKS = {
    "ASCII (printable)": (0x0020, 0x007E),
    "CJK Symbols and Punctuation": (0x3000, 0x303F),
    "Bopomofo": (0x3100, 0x312F),
    "Bopomofo Extended": (0x31A0, 0x31BF),
    "CJK Compatibility Forms": (0xFE30, 0xFE4F),
    "Halfwidth and Fullwidth Forms": (0xFF00, 0xFFEF),
}

# Horizontal features HarfBuzz applies by default (matplotlib's text layout uses it via libraqm).
LAYOUT_FEATURES = ["ccmp", "locl", "rlig", "calt", "clig", "liga", "kern", "mark", "mkmk"]
# Only the default language systems, plus Traditional Chinese (Taiwan): "script.LANG".
_SCRIPTS = ["DFLT", "latn", "grek", "cyrl", "hani", "kana", "hang"]
LAYOUT_SCRIPTS = [f"{s}.dflt" for s in _SCRIPTS] + [f"{s}.ZHT " for s in _SCRIPTS]


def gb2312_characters() -> list[str]:
    """Every character of GB2312: each valid byte pair (0xA1-0xF7, 0xA1-0xFE) decoded."""
    out = []
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                out.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # an unassigned code
    return out


def gb2312_hanzi() -> list[str]:
    """The 6,763 hanzi of GB2312: level 1 (rows 16-55) and level 2 (rows 56-87), leads 0xB0-0xF7."""
    return [ch for ch in gb2312_characters() if "\u4e00" <= ch <= "\u9fff"]


def _big5_range(first: int, last: int) -> list[str]:
    out = []
    for lead in range(first >> 8, (last >> 8) + 1):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            code = lead << 8 | trail
            if first <= code <= last:
                try:
                    out.append(bytes([lead, trail]).decode("big5"))
                except UnicodeDecodeError:
                    pass  # an unassigned code
    return out


def big5_level1() -> list[str]:
    """The 5,401 common characters of Big5 (常用字, 0xA440-0xC67E)."""
    return _big5_range(0xA440, 0xC67E)


def big5_symbols() -> list[str]:
    """Big5's symbols, full-width forms, Greek and Bopomofo (0xA140-0xA3BF)."""
    return _big5_range(0xA140, 0xA3BF)


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def course_files(root: Path = ROOT) -> list[Path]:
    """The files whose text the course shows: notebooks, helpers, data/*.json and any *.po."""
    files = [*root.glob("notebooks/*.ipynb"), *root.glob("helpers/**/*.py")]
    files += root.glob("data/*.json")
    for folder, dirs, names in os.walk(root):
        # .venv, .git and the like hold no course text
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in {"node_modules"})
        files += [Path(folder) / n for n in names if n.endswith(".po")]
    return sorted(set(files))


def course_characters(root: Path = ROOT) -> set[str]:
    """Every character in the course's own text (JSON files: in their string values)."""
    chars: set[str] = set()
    for path in course_files(root):
        text = path.read_text(encoding="utf-8")
        if path.suffix in {".ipynb", ".json"}:
            text = "".join(_strings(json.loads(text)))
        chars.update(text)
    return {ch for ch in chars if ch.isprintable()}


def wanted_characters(root: Path = ROOT) -> dict[str, set[str]]:
    """The characters asked for, by where they come from."""
    groups = {
        "GB2312 (all)": set(gb2312_characters()),
        "Big5 symbols + level 1": set(big5_symbols()) | set(big5_level1()),
    }
    for name, (first, last) in BLOCKS.items():
        groups[name] = {chr(c) for c in range(first, last + 1)}
    groups["course text"] = course_characters(root)
    return groups


def _open_face(source: Path):
    from fontTools.ttLib import TTCollection, TTFont

    # recalcTimestamp=False keeps the source's head.modified, so the output is byte-identical
    if source.suffix.lower() not in {".ttc", ".otc"}:
        return TTFont(source, recalcTimestamp=False)
    faces = TTCollection(source, lazy=True).fonts
    for number, face in enumerate(faces):
        if face["name"].getDebugName(1) == SOURCE_FAMILY:
            return TTFont(source, fontNumber=number, recalcTimestamp=False)
    raise SystemExit(f"{source} has no face named {SOURCE_FAMILY!r}")


def licence_text(copyright_file: Path = DEBIAN_COPYRIGHT, face=None) -> str:
    """OFL 1.1, as Debian's copyright file of fonts-noto-cjk quotes it, under the font's notices."""
    text = copyright_file.read_text(encoding="utf-8")
    match = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", text, flags=re.M)
    if match is None:
        raise SystemExit(f"no 'License: SIL-1.1' paragraph in {copyright_file}")
    # Debian's format indents each line by one space and writes an empty line as " ."
    body = "\n".join("" if line == " ." else line[1:] for line in match.group(1).splitlines())
    notices = [UPSTREAM_NOTICE]
    if face is not None:
        notices += [face["name"].getDebugName(0), face["name"].getDebugName(7)]
    header = (
        f"{OUT_NAME} is a subset of Noto Sans CJK SC Regular (see make_font.py),\n"
        "under the same licence. The source font's notices:\n\n" + "\n".join(notices) + "\n\n"
    )
    return header + body.strip("\n") + "\n"


def make_font(out_dir: Path, source: Path = SOURCE, root: Path = ROOT) -> Path:
    """Write the subset and OFL.txt into `out_dir`; return the font's path."""
    from fontTools import subset

    if not source.exists():
        raise SystemExit(f"{source} is missing: apt-get install -y fonts-noto-cjk")
    start = time.perf_counter()
    groups = wanted_characters(root)
    wanted = sorted({ord(ch) for chars in groups.values() for ch in chars})

    face = _open_face(source)
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["vhea", "vmtx", "VORG"]
    options.layout_features = LAYOUT_FEATURES
    options.layout_scripts = LAYOUT_SCRIPTS
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(face)

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / OUT_NAME
    face.save(out)
    (out_dir / "OFL.txt").write_text(licence_text(face=face), encoding="utf-8")

    cmap = face.getBestCmap()
    seconds = time.perf_counter() - start
    print(f"{out}: {out.stat().st_size / 1e6:.2f} MB, {len(cmap)} code points, "
          f"{face['maxp'].numGlyphs} glyphs, {seconds:.1f} s")
    for name, chars in groups.items():
        have = sum(ord(ch) in cmap for ch in chars)
        print(f"  {name}: {have} of {len(chars)} in the font")
    hanzi = set(gb2312_hanzi()) | set(big5_level1())
    print(f"  GB2312 hanzi {len(gb2312_hanzi())} + Big5 level 1 {len(big5_level1())}"
          f" = {len(hanzi)} distinct, missing {sum(ord(ch) not in cmap for ch in hanzi)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="folder to write the font and OFL.txt into (default: data/fonts)")
    parser.add_argument("--source", type=Path, default=SOURCE, help=f"default: {SOURCE}")
    args = parser.parse_args(argv)
    make_font(args.out, args.source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
