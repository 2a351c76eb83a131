"""The command line: `visits` and `python -m visits`."""

from visits.cli.main import main, run

__all__ = ["main", "run"]
