"""Hypothesis profiles.

- dev (the default): random exploration, as on a developer's machine, with no
  per-example deadline either: the suite must pass on a busy 2-core machine;
- ci (chosen when CI is set): derandomized, so a run is reproducible, with no
  per-example deadline on a shared machine;
- thorough (HYPOTHESIS_PROFILE=thorough): many more examples, to hunt bugs;
- mutation (HYPOTHESIS_PROFILE=mutation, set by the mutation-testing command in
  docs/testing.md): derandomized and few examples, since every mutant runs the
  tests again, in one process (hence no differing-executors check).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200, print_blob=True)
settings.register_profile("thorough", deadline=None, max_examples=2_000)
settings.register_profile("dev", deadline=None)
settings.register_profile(
    "mutation",
    derandomize=True,
    deadline=None,
    max_examples=25,
    database=None,
    suppress_health_check=[HealthCheck.differing_executors, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

#: Run by the system's Python (it imports LibreOffice's ``uno``), never imported by pytest's doctest collection.
collect_ignore = ["helpers/calc_typist.py"]
