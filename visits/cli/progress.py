"""Progress on long work, on standard error when it is a terminal, and nothing when it is not.

Made with tqdm (MPL/MIT licence, maintained since 2013), imported only when
standard error is a terminal.  A bar appears only once the work has taken
more than ``VISITS_PROGRESS_DELAY`` seconds (default 1), so quick commands
print nothing, and it is erased when the work is done; what a command writes
on standard output, and its other messages, are unchanged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Never

if TYPE_CHECKING:
    from visits.service import Progress

__all__ = ["progress_bar"]


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("VISITS_PROGRESS_DELAY", "1")))
    except ValueError:
        return 1.0


@contextlib.contextmanager
def progress_bar(description: str, unit: str) -> Iterator[Progress | None]:
    """A progress callback drawing a bar on a terminal's standard error, or ``None`` when there is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    # The terminal's width when it has one (a terminal of unknown size reads as 80 columns).
    width = shutil.get_terminal_size().columns
    bars: list[tqdm[Never]] = []  # made on the first report, when the total is known

    def update(done: int, total: int) -> None:
        if not bars:
            bars.append(
                tqdm(
                    desc=description,
                    total=total or None,
                    unit=unit,
                    file=sys.stderr,
                    delay=_delay(),
                    leave=False,
                    ncols=width,
                )
            )
        bar = bars[0]
        if done > bar.n:
            bar.update(done - bar.n)
        if total and done >= total:
            bar.close()  # erased now, before the command's own messages

    try:
        yield update
    finally:
        for bar in bars:
            bar.close()
