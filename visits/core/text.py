"""Text that is safe to keep and to show: checks at load time, visible forms for display.

Pure.  Loading refuses what no name or address legitimately contains (a lone
surrogate, NUL and other control characters; a line break in a one-line
field).  Display replaces the invisible characters that can disguise text
(bidirectional overrides, zero-width characters) with a visible ``<U+202E>``,
so that a name can neither be shown reversed nor hide a second name.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["display_width", "text_problem", "visible"]

#: Characters refused everywhere: control characters (but tab and line breaks) and lone surrogates.
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: Line breaks, refused in one-line fields (names, addresses, titles, ids).
_BREAKS = re.compile(r"[\n\r\x0b\x0c\x85\u2028\u2029]")
#: Shown as <U+XXXX>: control and format characters (bidi overrides and isolates, zero-width ones),
#: line and paragraph separators, lone surrogates.
_HIDDEN = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u2028\u2029\ud800-\udfff]"
)


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be loaded, or None.

    >>> text_problem("张丽"), text_problem("a\\x00b"), text_problem("两行\\n文字")
    (None, 'contains a control character (U+0000)', 'contains a line break (U+000A)')
    >>> text_problem("两行\\n文字", multiline=True) is None
    True
    """
    if text.isprintable():  # the common case: no control character, surrogate or line break of any kind
        return None
    found = _REFUSED.search(text)
    if found is not None:
        ch = found.group()
        what = "a lone surrogate" if "\ud800" <= ch <= "\udfff" else "a control character"
        return f"contains {what} ({_code(ch)})"
    if not multiline:
        found = _BREAKS.search(text)
        if found is not None:
            return f"contains a line break ({_code(found.group())})"
    return None


def visible(text: str) -> str:
    """``text`` with every invisible or direction-changing character written out.

    >>> visible("张\\u202e丽"), visible("a\\u200bb"), visible("正常")
    ('张<U+202E>丽', 'a<U+200B>b', '正常')
    """
    if text.isprintable():  # every character _HIDDEN names is unprintable: nothing to write out
        return text
    return _HIDDEN.sub(lambda m: f"<{_code(m.group())}>", text)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or a spreadsheet cell: wide and full-width characters count two.

    >>> display_width("张丽"), display_width("B1"), display_width("（１）")
    (4, 2, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
