"""The TrueType CJK font a PDF roster is set in: the one given, or the first installed one with every character.

reportlab reads TrueType outlines only (``.ttf``, ``.ttc``), not the CFF
outlines of Noto Sans CJK / Source Han Sans.  Every character is looked up in
the font's character map before anything is drawn, so that no empty box is
ever printed in place of a name: :func:`choose_font` raises
:class:`~visits.core.errors.FontError` naming the missing characters and the
fix instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from visits.core.errors import FontError, Problem
from visits.render.font_paths import CANDIDATE_FONTS

__all__ = ["CANDIDATE_FONTS", "PdfFont", "choose_font"]

_FIX = (
    "pass --font PATH to a TrueType font (.ttf or .ttc) that has them, for example "
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc after `apt-get install fonts-wqy-zenhei`"
)


@attrs.frozen
class PdfFont:
    """A registered TrueType font and the file it came from."""

    name: str
    path: str
    characters: frozenset[int]


def _load(path: str) -> tuple[PdfFont, Any]:
    name = "visits-" + "".join(ch if ch.isalnum() else "-" for ch in Path(path).stem)
    font = TTFont(name, path, subfontIndex=0)
    return PdfFont(name=name, path=path, characters=frozenset(font.face.charToGlyph)), font


def _missing(characters: frozenset[int], text: str) -> list[str]:
    wanted = sorted(ch for ch in set(text) if not ch.isspace() and ord(ch) >= 0x20)
    return [ch for ch in wanted if ord(ch) not in characters]


def _describe(missing: Sequence[str]) -> str:
    shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing[:20])
    more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
    return shown + more


def choose_font(
    text: str, explicit: str | os.PathLike[str] | None = None, candidates: Iterable[str] = CANDIDATE_FONTS
) -> tuple[PdfFont, Any]:
    """The font to use: ``explicit`` if given (it must cover ``text``), else the first candidate that does."""
    if explicit is not None:
        path = os.fspath(explicit)
        try:
            found, font = _load(path)
        except (OSError, TTFError) as exc:
            raise FontError([Problem(path="--font", message=f"cannot use {path}: {exc}")]) from None
        missing = _missing(found.characters, text)
        if missing:
            raise FontError([Problem(path="--font", message=f"{path} lacks {_describe(missing)}; {_FIX}")])
        return found, font
    tried = []
    for path in candidates:
        if not Path(path).is_file():
            continue
        try:
            found, font = _load(path)
        except TTFError:
            continue  # e.g. CFF outlines
        missing = _missing(found.characters, text)
        if not missing:
            return found, font
        tried.append((path, missing))
    if not tried:
        message = f"no TrueType CJK font found on this system; {_FIX}"
    else:
        path, missing = min(tried, key=lambda t: len(t[1]))
        message = (
            f"no font covers every character of the roster: the closest, {path}, lacks {_describe(missing)}; {_FIX}"
        )
    raise FontError([Problem(path="font", message=message)])
