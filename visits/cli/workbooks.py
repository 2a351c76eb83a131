"""The commands about workbooks an office keeps: the blank template to start a ledger from."""

from __future__ import annotations

import argparse
import sys

from visits.cli.output import source_date
from visits.io.files import load_rulebook, write_atomically
from visits.io.sheets import SHEETS
from visits.render.workbook import template

__all__ = ["template_command"]


def template_command(args: argparse.Namespace) -> int:
    """`visits template`: a blank workbook whose drop-downs list the rulebook's vocabulary."""
    rulebook = load_rulebook(args.rules)
    write_atomically(args.output, template(rulebook.vocabulary, rulebook=rulebook.name, created=source_date()))
    print(f"wrote {args.output}: {len(SHEETS)} sheets for {rulebook.name}", file=sys.stderr)
    return 0
