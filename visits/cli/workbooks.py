"""The commands about workbooks an office keeps: the blank template to start a ledger from, and conversion."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from visits.cli.output import source_date
from visits.cli.parser import UsageError
from visits.io.files import community_to_json, load_community, load_rulebook, write_atomically
from visits.io.sheets import SHEETS
from visits.io.workbook_writer import template, workbook

__all__ = ["convert_command", "template_command"]


def template_command(args: argparse.Namespace) -> int:
    """`visits template`: a blank workbook whose drop-downs list the rulebook's vocabulary."""
    rulebook = load_rulebook(args.rules)
    write_atomically(args.output, template(rulebook.vocabulary, rulebook=rulebook.name, created=source_date()))
    print(f"wrote {args.output}: {len(SHEETS)} sheets for {rulebook.name}", file=sys.stderr)
    return 0


def convert_command(args: argparse.Namespace) -> int:
    """`visits convert`: a community file from JSON to a workbook, or back; nothing is lost either way."""
    suffix = Path(args.output).suffix.lower()
    if suffix not in (".json", ".xlsx"):
        raise UsageError(f"-o must name a .json or .xlsx file, got {args.output!r}")
    rulebook = load_rulebook(args.rules)
    community = load_community(args.input, rulebook.vocabulary)
    if suffix == ".xlsx":
        data = workbook(rulebook.vocabulary, rulebook=rulebook.name, community=community, created=source_date())
        write_atomically(args.output, data)
    else:
        write_atomically(args.output, [community_to_json(community)])
    homes = len(community.households)
    print(f"wrote {args.output}: {homes} households, {len(community.visits)} visit records", file=sys.stderr)
    return 0
