"""Rulebooks built on others: ``extends`` (a base with rules, gatherings and terms replaced or added) and what changed.

Pure: the files that name a base are read in :mod:`visits.io.files`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from visits.core.rules import Gathering, Rule, Rulebook
from visits.core.vocabulary import TABLES, ChangeKind, ChangePart, Vocabulary

__all__ = ["Change", "differences", "extend", "merged"]


def extend(
    base: Rulebook,
    rules: Iterable[Rule],
    gatherings: Iterable[Gathering] = (),
    vocabulary: Vocabulary | None = None,
    **header: object,
) -> Rulebook:
    """``base`` with rules, gatherings and vocabulary terms replaced by id, or added, and header fields changed.

    Whole objects replace whole objects here; the field-by-field merge of a
    rulebook file (a rule that gives only what changes) happens when the file
    is read, in :func:`visits.io.convert.rulebook_from_dict`.

    This is what ``extends = "baibuting"`` in a rulebook file does.
    """
    replaced_rules = {r.id: r for r in rules}
    replaced_gatherings = {g.id: g for g in gatherings}
    base_rules = {r.id for r in base.rules}
    base_gatherings = {g.id for g in base.gatherings}
    merged_rules = [replaced_rules.get(r.id, r) for r in base.rules]
    merged_rules += [r for i, r in replaced_rules.items() if i not in base_rules]
    merged_gatherings = [replaced_gatherings.get(g.id, g) for g in base.gatherings]
    merged_gatherings += [g for i, g in replaced_gatherings.items() if i not in base_gatherings]
    fields: dict[str, object] = {"based_on": base.name, **header}
    return attrs.evolve(
        base,
        rules=tuple(merged_rules),
        gatherings=tuple(merged_gatherings),
        vocabulary=base.vocabulary if vocabulary is None else merged(base.vocabulary, vocabulary),
        **fields,  # type: ignore[arg-type]
    )


def merged(base: Vocabulary, more: Vocabulary) -> Vocabulary:
    """``base`` with each term of ``more`` replacing the one of the same id, or added at the end of its table."""
    tables: dict[str, tuple[object, ...]] = {}
    for table in TABLES:
        terms = {t.id: t for t in getattr(base, table)}
        terms.update((t.id, t) for t in getattr(more, table))
        tables[table] = tuple(terms.values())
    return Vocabulary(**tables)  # type: ignore[arg-type]


@attrs.frozen
class Change:
    """One difference between two rulebooks: a rule or gathering added, removed, or changed in some fields."""

    kind: ChangeKind
    what: ChangePart
    id: str
    fields: tuple[str, ...] = ()


def differences(old: Rulebook, new: Rulebook) -> list[Change]:
    """What changed from ``old`` to ``new``, in ``new``'s order (removals last)."""
    out: list[Change] = []
    header = tuple(f for f in ("due", "community") if getattr(old, f) != getattr(new, f))
    if old.sensitive_categories() != new.sensitive_categories():
        header += ("categories",)
    elif old.vocabulary != new.vocabulary:
        header += ("vocabulary",)
    if header:
        out.append(Change("changed", "rulebook", new.name, header))
    parts: tuple[tuple[ChangePart, Sequence[Rule | Gathering], Sequence[Rule | Gathering]], ...] = (
        ("rule", old.rules, new.rules),
        ("gathering", old.gatherings, new.gatherings),
    )
    for what, before, after in parts:
        previous = {item.id: item for item in before}
        current = {item.id for item in after}
        for item in after:
            if item.id not in previous:
                out.append(Change("added", what, item.id))
                continue
            changed = tuple(
                f.name for f in attrs.fields(type(item)) if getattr(item, f.name) != getattr(previous[item.id], f.name)
            )
            if changed:
                out.append(Change("changed", what, item.id, changed))
        out += [Change("removed", what, item.id) for item in before if item.id not in current]
    return out
