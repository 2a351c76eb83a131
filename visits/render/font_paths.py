"""Where CJK TrueType fonts are usually installed: read by the PDF roster and by the report's charts.

Apart from :mod:`visits.render.fonts` so that the charts can find a font
without importing reportlab.
"""

from __future__ import annotations

__all__ = ["CANDIDATE_FONTS"]

#: TrueType fonts with CJK coverage, looked for in this order.
CANDIDATE_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
