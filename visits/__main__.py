"""``python -m visits``: the same as the ``visits`` command."""

from visits.cli import run

if __name__ == "__main__":
    run()
