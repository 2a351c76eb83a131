"""The ``visits`` command line: a thin edge over the library.

Exit status: 0 on success, 1 when the input is invalid (one line per problem
on standard error, nothing written), 2 for a usage error, 130 when
interrupted, 143 when terminated.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from visits.cli.parser import UsageError, build_parser
from visits.core.errors import OutputError, Problem, VisitsError

__all__ = ["main", "run"]


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like an interrupt, so that temporary files are removed."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Interrupted (Ctrl-C, exit 130) or terminated (SIGTERM, exit 143), it
    removes any half-written file and says so in one line.
    """
    args = build_parser().parse_args(argv)
    # Signal handlers can only be set in the main thread (a service may call main() from another).
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("visits: interrupted; nothing was written", file=sys.stderr)
        return 130
    except _Terminated:
        print("visits: terminated; nothing was written", file=sys.stderr)
        return 143
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _dispatch(args: argparse.Namespace) -> int:
    # The commands and what they use load once the arguments are read: `visits --help`
    # and a mistyped option answer without them, and each command's own imports are
    # lazy where a library serves one command only (the renderers, the workbooks).
    from visits.cli.commands import COMMANDS
    from visits.io.collector import collection_paused
    from visits.io.files import output_problem

    try:
        output = getattr(args, "output", None)
        problem = output_problem(output) if output else None
        if problem is not None:
            raise OutputError([Problem(path="", message=problem)], source=output)
        # A command builds its objects and keeps them to the end: the cyclic
        # collector would only walk them again and again (visits.io.collector).
        with collection_paused():
            return COMMANDS[args.command](args)
    except VisitsError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"visits: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `visits plan ... | head`
        sys.stderr.close()
        return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
