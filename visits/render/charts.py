"""Charts for the supervisor's report, drawn by matplotlib as inline SVG.

matplotlib (PSF-style licence, maintained by its own team) draws; this module
only says what.  Text stays text in the SVG (``svg.fonttype = none``), so the
page's own font stack shows the Chinese, and the file names no font to fetch;
the first CJK font of :data:`visits.render.font_paths.CANDIDATE_FONTS` found on the
machine is only used to measure the labels.  Imported by the report alone:
nothing else pays for matplotlib.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import unicodedata
from collections.abc import Sequence

from visits.render.font_paths import CANDIDATE_FONTS

__all__ = ["heatmap_svg"]

_PAGE_FONTS = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif'


@functools.cache
def _font_family() -> str:
    """The family matplotlib measures with: the first CJK candidate font present, else its default."""
    from matplotlib import font_manager

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    for path in CANDIDATE_FONTS:
        if os.path.exists(path):
            font_manager.fontManager.addfont(path)
            return str(font_manager.FontProperties(fname=path).get_name())
    return "sans-serif"


def _ems(text: str) -> float:
    """About how many ems wide ``text`` is: a wide (CJK) character one, any other about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    caption: str,
    empty: str,
) -> str:
    """Rates (0 to 1; None: nothing due yet) as a heat map of ``rows`` × ``columns``, each cell labelled in per cent.

    ``caption`` names the colour bar; ``empty`` is drawn in a cell with nothing due.
    The result is an ``<svg>`` element, the same for the same arguments.
    """
    import matplotlib
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    data = np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float).reshape(
        len(rows), len(columns)
    )
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "visits", "font.family": [_font_family()], "font.size": 9}
    ):
        # Fixed margins rather than a layout engine: the labels are measured once, not at every pass.
        left = 0.3 + max((_ems(r) for r in rows), default=1) * 9 / 72  # inches for the longest row label at 9 pt
        width, height = left + 1.0 + 0.62 * max(len(columns), 1), 1.0 + 0.3 * max(len(rows), 1)
        figure = Figure(figsize=(width, height))
        figure.subplots_adjust(left=left / width, right=1 - 1.0 / width, bottom=0.75 / height, top=1 - 0.15 / height)
        axes = figure.add_subplot()
        colours = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#e8e8e8")
        image = axes.imshow(np.ma.masked_invalid(data), cmap=colours, vmin=0.0, vmax=1.0, aspect="auto")
        axes.set_xticks(range(len(columns)), labels=list(columns), rotation=45, ha="right", rotation_mode="anchor")
        axes.set_yticks(range(len(rows)), labels=list(rows))
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        for (r, c), value in np.ndenumerate(data):
            text = empty if np.isnan(value) else f"{value:.0%}"
            axes.text(c, r, text, ha="center", va="center", fontsize=7, color="#000000")
        figure.colorbar(image, ax=axes, format=PercentFormatter(1.0), label=caption, fraction=0.3 / width, pad=0.02)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    # The labels keep their text; the page's fonts draw them (the measured family first).
    return re.sub(r"font-family:[^;\"]*", f"font-family: {_PAGE_FONTS}".replace('"', "'"), svg)
