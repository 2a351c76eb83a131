"""What every benchmark measures with: medians with min and max, and a process's own peak memory.

Not a benchmark itself (``python benchmarks/measure.py`` does nothing).  A
figure is the median of several runs, printed with the fastest and slowest,
as ``farm-bench`` prints whole commands: one lucky or unlucky run must not
move it, and a wide spread says the machine was busy.

Peak memory is the process's own high-water mark, ``VmHWM`` in
``/proc/self/status``.  ``getrusage().ru_maxrss`` is not: a child started with
``subprocess`` is forked before it runs the new program, and Linux carries
the forked copy's peak (the parent's pages) into the child's ``ru_maxrss``
when it starts the new program, so a child started from a benchmark that
holds a large community reported that community's memory as its own.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import attrs

__all__ = ["Timing", "peak_mib", "timed"]

T = TypeVar("T")


@attrs.frozen
class Timing:
    """Seconds of several runs of one thing."""

    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def __str__(self) -> str:
        low, high = min(self.seconds), max(self.seconds)
        return f"{self.median:.3f} s (min {low:.3f}, max {high:.3f}, {len(self.seconds)} runs)"


def timed(run: Callable[[], T], times: int) -> tuple[Timing, T]:
    """Run ``run`` ``times`` times; its timing and what its last run returned."""
    seconds = []
    result: T
    for _ in range(times):
        began = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - began)
    return Timing(tuple(seconds)), result


def peak_mib() -> float:
    """This process's peak resident memory in MiB, its own only (``VmHWM``; ``ru_maxrss`` where there is no /proc)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wall(command: list[str]) -> float:
    """The wall-clock seconds of one run of ``command`` (it must succeed)."""
    import subprocess
    import time

    began = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - began
