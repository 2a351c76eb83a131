"""The command line: `visits` and `python -m visits`."""

from visits.cli.commands import main, run

__all__ = ["main", "run"]
