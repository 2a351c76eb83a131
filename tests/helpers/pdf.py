"""Reading a PDF back: its pages, text and fonts (poppler), and which characters got a real glyph."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import fontTools.ttLib  # type: ignore[import-untyped]
import pypdf

from tests.helpers.roster import tool
from visits.render.pdf import CANDIDATE_FONTS


def pdf_pages(path: Path) -> int:
    info = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    match_ = re.search(r"Pages:\s+(\d+)", info)
    assert match_
    return int(match_.group(1))


def page_text(path: Path, page: int) -> str:
    return subprocess.run(
        [tool("pdftotext"), "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def all_text(path: Path) -> str:
    out = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s", "", out)


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
BFRANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


def _text(hex_text: str) -> str:
    # NFKC: Chromium maps glyphs shared with Kangxi radicals to the radicals (⽇ for 日).
    return unicodedata.normalize("NFKC", bytes.fromhex(hex_text).decode("utf-16-be"))


def to_unicode(font: Any) -> dict[int, str]:
    """Character code -> text, from a font's ToUnicode CMap (bfchar and bfrange entries)."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    out = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, flags=re.S):
        for code, text in BFCHAR.findall(block):
            out[int(code, 16)] = _text(text)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, flags=re.S):
        for first, last, target in BFRANGE.findall(block):
            codes = range(int(first, 16), int(last, 16) + 1)
            if target.startswith("["):
                for code, text in zip(codes, re.findall(r"<([0-9A-Fa-f]+)>", target), strict=False):
                    out[code] = _text(text)
            else:
                start = int(target[1:-1], 16)
                width = len(target) - 2
                for i, code in enumerate(codes):
                    out[code] = _text(f"{start + i:0{width}X}")
    return out


def glyphs(path: Path) -> tuple[set[str], set[str]]:
    """Characters drawn with a real glyph, and characters drawn with the empty-box glyph, from the PDF's fonts.

    TrueType subsets (reportlab): code -> glyph through the embedded font's own
    cmap; a real glyph is not .notdef and has outlines.  Type 3 fonts
    (Chromium): code -> glyph name through /Differences; g0 is .notdef (a box).
    """
    real: set[str] = set()
    boxes: set[str] = set()
    for page in pypdf.PdfReader(path).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            mapping = to_unicode(font)
            if font["/Subtype"] == "/Type3":
                differences = font["/Encoding"].get_object()["/Differences"]
                names, code = {}, 0
                for item in differences:
                    if isinstance(item, int):
                        code = item
                    else:
                        names[code] = str(item)
                        code += 1
                for code, text in mapping.items():
                    (boxes if names.get(code, "/g0") == "/g0" else real).add(text)
                continue
            if font["/Subtype"] == "/Type0":  # CID-keyed (Identity: code = glyph index)
                descendant = font["/DescendantFonts"][0].get_object()
                program = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
                embedded = fontTools.ttLib.TTFont(io.BytesIO(program))
                order = embedded.getGlyphOrder()
                for code, text in mapping.items():
                    name = order[code] if 0 < code < len(order) else ".notdef"
                    drawn = name != ".notdef" and (text.isspace() or embedded["glyf"][name].numberOfContours != 0)
                    (real if drawn else boxes).add(text)
                continue
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            embedded = fontTools.ttLib.TTFont(io.BytesIO(program))
            # reportlab's subsets carry one (1, 0) cmap from code to glyph, which
            # getBestCmap (Unicode tables only) does not return.
            cmap = embedded.getBestCmap() or embedded["cmap"].tables[0].cmap
            glyf = embedded["glyf"]
            for code, text in mapping.items():
                if not text.isprintable():
                    continue  # reserved codes (0, DEL) carry no text
                name = cmap.get(code) or cmap.get(0xF000 + code) or ".notdef"
                drawn = name != ".notdef" and (text.isspace() or glyf[name].numberOfContours != 0)
                (real if drawn else boxes).add(text)
    return real, boxes


SYSTEM_FONTS = (
    *CANDIDATE_FONTS,
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def undrawn(expected: set[str], real: set[str]) -> set[str]:
    """Expected characters that came out of the PDF with no real glyph.

    A browser may name a drawn glyph by another code point that shares it in
    the font (长 as the radical ⻓, – as ‒), so a character also counts as drawn
    when a code point sharing its glyph in an installed font did.
    """
    missing = expected - real
    for path in (p for p in SYSTEM_FONTS if Path(p).is_file()):
        if not missing:
            break
        fonts = fontTools.ttLib.TTCollection(path).fonts if path.endswith(".ttc") else [fontTools.ttLib.TTFont(path)]
        for font in fonts:
            cmap = font.getBestCmap() or {}
            by_glyph: dict[str, set[str]] = {}
            for code, name in cmap.items():
                by_glyph.setdefault(name, set()).add(unicodedata.normalize("NFKC", chr(code)))
            missing = {ch for ch in missing if not (by_glyph.get(cmap.get(ord(ch), ""), set()) & real)}
    return missing
