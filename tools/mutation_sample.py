"""Mutation testing on a random sample of the core's mutants, with mutmut (docs/testing.md).

    HYPOTHESIS_PROFILE=mutation python tools/mutation_sample.py --size 150 --seed 1

mutmut generates every mutant of the modules listed under ``[tool.mutmut]``
``only_mutate`` in pyproject.toml (about 3,700), far too many to run in half an
hour on this machine when each runs the tests that cover its function.  This
script makes mutmut generate them and map tests to functions (its "stats"
run, a few minutes), draws ``--size`` mutant names with ``--seed``
(optionally only those of one ``--module``), runs just those, and prints the
score per module: killed (including timeouts and crashes, which mutmut
counts as caught) over all run.  Survivors are listed for ``mutmut show``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

KILLED = {"killed", "timeout", "segfault", "suspicious"}


def names(root: Path) -> list[str]:
    """Every generated mutant's name, from mutmut's .meta files."""
    out: list[str] = []
    for meta in sorted(root.glob("mutants/visits/**/*.py.meta")):
        out += json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return out


def statuses(mutmut: str) -> dict[str, str]:
    result = subprocess.run([mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True)
    found = {}
    for line in result.stdout.splitlines():
        name, _, status = line.strip().partition(": ")
        found[name] = status
    return found


def _of_function(name: str, function: str) -> bool:
    """Whether a mutant's name (``visits.core.planner.x__duties__mutmut_3``, or with ``xǁClassǁmethod``) is of it."""
    target = function.replace(".", "ǁ")
    tail = name.rsplit(".", 1)[-1]
    return tail.startswith((f"x_{target}__mutmut_", f"xǁ{target}__mutmut_"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--module", help="only mutants of this module, e.g. visits.core.periods")
    parser.add_argument(
        "--function",
        action="append",
        default=[],
        help="only mutants of this function (repeatable), e.g. _duties or OrgIndex.chain_of",
    )
    args = parser.parse_args()
    root = Path.cwd()
    mutmut = str(Path(sys.executable).parent / "mutmut")
    # A pattern that matches no mutant: mutmut generates them all and collects its stats, runs none.
    subprocess.run([mutmut, "run", "visits.no-such-module.*"], check=False, capture_output=True)
    pool = [
        n
        for n in names(root)
        if (args.module is None or n.startswith(args.module + "."))
        and (not args.function or any(_of_function(n, f) for f in args.function))
    ]
    if not pool:
        print("no mutants generated: see `mutmut run` for why", file=sys.stderr)
        return 1
    sample = sorted(random.Random(args.seed).sample(pool, min(args.size, len(pool))))
    subprocess.run([mutmut, "run", *sample], check=False)
    found = statuses(mutmut)
    per_module: dict[str, Counter[str]] = {}
    for name in sample:
        module = name.split(".x")[0]
        per_module.setdefault(module, Counter())[found.get(name, "not checked")] += 1
    print(f"\nsample of {len(sample)} from {len(pool)} mutants, seed {args.seed}")
    total = Counter[str]()
    for module, counts in sorted(per_module.items()):
        total.update(counts)
        run = sum(n for status, n in counts.items() if status != "not checked")
        caught = sum(n for status, n in counts.items() if status in KILLED)
        print(f"  {module:22} {caught:4}/{run:<4} {caught / run:6.1%}" if run else f"  {module:22} none run")
    run = sum(n for status, n in total.items() if status != "not checked")
    caught = sum(n for status, n in total.items() if status in KILLED)
    print(f"  {'all':22} {caught:4}/{run:<4} {caught / max(run, 1):6.1%}")
    survivors = [n for n in sample if found.get(n) in ("survived", "no tests")]
    print("survivors (mutmut show NAME):", *survivors, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
