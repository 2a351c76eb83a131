"""Loading the 40,000-household demo with a year of records: load_community against what msgspec could do.

    python benchmarks/bench_loading.py [--quick] [--runs N]

Issue 15, item 3 asked for loading ≥ 5× faster with the same located errors,
using msgspec or a library as well kept.  This measures, side by side in one
process and on the same file (written to a temporary directory first):

- ``load_community()`` as it is: the standard library's JSON reader with a
  hook that refuses repeated keys, then cattrs structuring with strict hooks
  and every value's own checks;
- ``json.loads`` alone, and ``msgspec.json.decode`` alone (no types);
- ``msgspec.convert`` of the decoded households and records into the same
  attrs classes (msgspec calls their ``__attrs_post_init__`` checks), the
  fastest typed loading that still builds the library's objects.

msgspec is not a dependency of visits, only of its tests (``pip install -e '.[test]'``).
``--quick`` uses 4,000 households.  Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from visits import load_community
from visits.core.community import Event, Household, Visit
from visits.io.files import community_to_json
from visits.testing import demo

from measure import timed  # isort: skip  (benchmarks/measure.py, beside this file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 households instead of 40,000")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default 5)")
    args = parser.parse_args()
    try:
        import msgspec
    except ImportError:
        sys.exit("bench_loading.py compares with msgspec: pip install -e '.[test]' (or pip install msgspec)")
    households = 4_000 if args.quick else 40_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "year.json"
        path.write_text(community_to_json(demo.generate(households, seed=0, with_visits=True)), encoding="utf-8")
        raw = path.read_bytes()
        data = json.loads(raw)
        print(f"{households:,} households, {len(data['visits']):,} records, {len(raw) / 2**20:.1f} MiB")

        def typed() -> object:
            decoded = msgspec.json.decode(raw)
            return (
                msgspec.convert(decoded["households"], list[Household]),
                msgspec.convert(decoded["events"], list[Event]),
                msgspec.convert(decoded["visits"], list[Visit]),
            )

        contenders = {
            "load_community()": lambda: load_community(path),
            "json.loads": lambda: json.loads(raw),
            "msgspec.json.decode (untyped)": lambda: msgspec.json.decode(raw),
            "msgspec decode + convert to the attrs classes": typed,
        }
        base = None
        for name, run in contenders.items():
            timing, _ = timed(run, args.runs)
            base = base or timing.median
            print(f"  {name:<46} {timing}   load_community ÷ this: {base / timing.median:4.1f}×")


if __name__ == "__main__":
    main()
