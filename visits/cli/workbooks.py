"""The commands about workbooks an office keeps: the blank template to start a ledger from, and conversion."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import attrs

from visits.cli.output import source_date
from visits.cli.parser import UsageError
from visits.core.community import Community
from visits.core.rules import Rulebook
from visits.io.files import community_to_json, load_community, load_rulebook, write_atomically
from visits.io.sheets import SHEETS

__all__ = ["convert_command", "record_command", "template_command"]


def template_command(args: argparse.Namespace) -> int:
    """`visits template`: a blank workbook whose drop-downs list the rulebook's vocabulary."""
    from visits.io.workbook_writer import template  # xlsxwriter, for workbooks only

    rulebook = load_rulebook(args.rules)
    write_atomically(args.output, template(rulebook.vocabulary, rulebook=rulebook.name, created=source_date()))
    print(f"wrote {args.output}: {len(SHEETS)} sheets for {rulebook.name}", file=sys.stderr)
    return 0


def convert_command(args: argparse.Namespace) -> int:
    """`visits convert`: a community file from JSON to a workbook, or back; nothing is lost either way."""
    suffix = Path(args.output).suffix.lower()
    if suffix not in (".json", ".xlsx", ".jsonl"):
        raise UsageError(f"-o must name a .json, .jsonl or .xlsx file, got {args.output!r}")
    rulebook = load_rulebook(args.rules)
    community = load_community(args.input, rulebook.vocabulary)
    _save(community, args.output, rulebook)
    homes = len(community.households)
    print(f"wrote {args.output}: {homes} households, {len(community.visits)} visit records", file=sys.stderr)
    return 0


def _save(community: Community, path: str, rulebook: Rulebook) -> None:
    """Write a community whole or not at all: a workbook for an .xlsx path, lines for .jsonl, else JSON."""
    suffix = Path(path).suffix.lower()
    if suffix == ".jsonl":
        from visits.io.lines import community_to_lines

        write_atomically(path, (line + "\n" for line in community_to_lines(community)))
    elif suffix == ".xlsx":
        from visits.io.workbook_writer import workbook

        data = workbook(rulebook.vocabulary, rulebook=rulebook.name, community=community, created=source_date())
        write_atomically(path, data)
    else:
        write_atomically(path, [community_to_json(community)])


def record_command(args: argparse.Namespace) -> int:
    """`visits record`: the visits written on a filled-in roster, added to the community file as records."""
    from visits.io.roster_reader import read_roster

    rulebook = load_rulebook(args.rules)
    community = load_community(args.into, rulebook.vocabulary)
    try:
        data = Path(args.roster).read_bytes()
    except OSError as exc:
        raise UsageError(f"{args.roster}: {exc.strerror or exc}") from None
    recording = read_roster(data, community, rulebook, source=args.roster)
    merged = attrs.evolve(community, visits=(*community.visits, *recording.added))
    for visit in recording.added:
        where = visit.household or visit.unit
        print(
            f"{'would add' if args.check else 'add'} {visit.id}  {where}  {visit.person}  {visit.date}  {visit.action}"
        )
    if not args.check and recording.added:
        _save(merged, args.into, rulebook)
    verb = "would record" if args.check else "recorded"
    print(
        f"{verb} {len(recording.added)} visits into {args.into} "
        f"({len(recording.already)} already there, {recording.lines} lines with a visit date)",
        file=sys.stderr,
    )
    return 0
