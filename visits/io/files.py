"""Reading and writing files: the edge between the disk and the pure core.

Every loader either returns a valid object or raises a
:class:`~visits.core.errors.VisitsError` listing every problem with its path, the
file name given as the error's ``source``.
"""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import tomli_w

from visits.core.community import Community
from visits.core.errors import CalendarError, CommunityError, OutputError, Problem, RulebookError, VisitsError
from visits.core.rules import Rulebook
from visits.core.text import text_problem
from visits.core.vocabulary import Vocabulary
from visits.core.workdays import CalendarFile
from visits.io.collector import collection_paused
from visits.io.convert import (
    calendar_file_from_dict,
    community_from_dict,
    community_to_dict,
    rulebook_from_dict,
    rulebook_to_dict,
)
from visits.io.jsontext import parse_json
from visits.io.lines import community_from_lines, is_lines

__all__ = [
    "BUILTIN_RULEBOOKS",
    "community_from_json",
    "community_to_json",
    "load_calendar",
    "load_community",
    "load_rulebook",
    "load_rulebook_and_base",
    "output_problem",
    "parse_json",
    "rulebook_from_toml",
    "rulebook_to_toml",
    "save_community",
    "write_atomically",
]

#: Rulebooks shipped in the package, by name.
BUILTIN_RULEBOOKS = {
    "baibuting": "baibuting.toml",
    "baibuting-festivals": "baibuting-festivals.toml",
    "baibuting-organisation": "baibuting-organisation.toml",
}


def rulebook_from_toml(text: str) -> Rulebook:
    """Parse and check a TOML rulebook."""
    return rulebook_from_dict(_parse_toml(text, RulebookError))


def rulebook_to_toml(rulebook: Rulebook) -> str:
    """Write a rulebook as TOML that :func:`rulebook_from_toml` reads back unchanged."""
    return tomli_w.dumps(rulebook_to_dict(rulebook))


def load_rulebook(name_or_path: str | os.PathLike[str] = "baibuting") -> Rulebook:
    """A built-in rulebook by name (``"baibuting"``) or a TOML file by path.

    A file may say ``extends = "baibuting"`` (a built-in name, or a path
    relative to the file): it then lists only the rules and gatherings it
    replaces (same id) or adds.
    """
    return load_rulebook_and_base(name_or_path)[0]


def load_rulebook_and_base(name_or_path: str | os.PathLike[str]) -> tuple[Rulebook, Rulebook | None]:
    """Like :func:`load_rulebook`, also returning the rulebook it extends (None if it extends none)."""
    return _load_rulebook(os.fspath(name_or_path), Path.cwd(), ())


def _load_rulebook(name: str, directory: Path, chain: tuple[str, ...]) -> tuple[Rulebook, Rulebook | None]:
    if name in BUILTIN_RULEBOOKS:
        text = resources.files("visits").joinpath("data", BUILTIN_RULEBOOKS[name]).read_text("utf-8")
        source, here = f"<builtin {name}>", directory
    else:
        path = directory / name  # an absolute name stays itself
        source, here = (str(path) if chain else name), path.parent
        text = _read_text(Path(source), RulebookError)
    data = _parse_toml(text, RulebookError, source)
    base = None
    if isinstance(data, dict) and "extends" in data:
        parent = data.pop("extends")
        if not isinstance(parent, str) or not parent.strip() or text_problem(parent) is not None:
            message = f"must be a rulebook name or path, got {parent!r}"[:200]
            raise RulebookError([Problem(path="extends", message=message)], source=source)
        if source in chain or len(chain) > 8:
            loop = " -> ".join((*chain, source))
            raise RulebookError(
                [Problem(path="extends", message=f"rulebooks extend each other: {loop}")], source=source
            )
        base = _load_rulebook(parent, here, (*chain, source))[0]
    try:
        return rulebook_from_dict(data, base), base
    except VisitsError as exc:
        raise RulebookError(exc.problems, source=source) from None


def _parse_toml(text: str, error: type[VisitsError], source: str | None = None) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error([Problem(path="", message=f"not valid TOML: {exc}")], source=source) from None
    except RecursionError:
        raise error([Problem(path="", message="not readable: nested too deeply")], source=source) from None
    except ValueError as exc:  # a number with more digits than Python converts
        raise error([Problem(path="", message=f"not readable: {exc}".split(";")[0])], source=source) from None


def community_from_json(text: str, vocabulary: Vocabulary | None = None) -> Community:
    """Parse and check a community file's JSON text (against ``vocabulary``, if given)."""
    return community_from_dict(parse_json(text), vocabulary)


def load_community(path: str | os.PathLike[str], vocabulary: Vocabulary | None = None) -> Community:
    """Read and check a community file, JSON or a workbook (.xlsx); with ``vocabulary`` (a rulebook's), check its ids.

    A workbook is recognised by its content (an .xlsx file is a zip archive),
    whatever its name; its problems are reported at their cells
    (:func:`visits.io.workbook_reader.read_workbook`).  So is the lines layout
    (:mod:`visits.io.lines`: a first line with ``"format": "visits-lines/1"``),
    whose problems are reported at their lines.
    """
    source = os.fspath(path)
    raw = _read_bytes(Path(source), CommunityError)
    if raw.startswith(_ZIP):
        from visits.io.workbook_reader import read_workbook  # python-calamine, for workbooks only

        return read_workbook(raw, vocabulary, source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        kind = next((name for magic, name in _OTHER_FILES if raw.startswith(magic)), None)
        message = f"not UTF-8 text (byte {exc.start})"
        if kind is not None:
            message = f"{kind}, not a community file (JSON, JSON Lines or an .xlsx workbook)"
        raise CommunityError([Problem(path="", message=message)], source=source) from None
    try:
        with collection_paused():
            if is_lines(text):
                return community_from_lines(text, vocabulary)
            return community_from_json(text, vocabulary)
    except VisitsError as exc:
        raise CommunityError(exc.problems, source=source) from None


def community_to_json(community: Community) -> str:
    """A community file's JSON text: what :func:`community_from_json` reads back equal."""
    return json.dumps(community_to_dict(community), ensure_ascii=False, indent=1) + "\n"


def save_community(community: Community, path: str | os.PathLike[str]) -> None:
    """Write a community file (JSON, UTF-8) whole or not at all (:func:`write_atomically`).

    Raises :class:`~visits.core.errors.OutputError` with one line if the path
    cannot be written.
    """
    write_atomically(path, [community_to_json(community)])


def load_calendar(path: str | os.PathLike[str]) -> CalendarFile:
    """Read and check a community calendar file (TOML: closures, working days, official years)."""
    source = os.fspath(path)
    text = _read_text(Path(source), CalendarError)
    data = _parse_toml(text, CalendarError, source)
    try:
        return calendar_file_from_dict(data)
    except VisitsError as exc:
        raise CalendarError(exc.problems, source=source) from None


#: How a zip archive (and so an .xlsx workbook) begins.
_ZIP = b"PK\x03\x04"
#: Files people pick by mistake, by how they begin: named in the refusal rather than a byte offset.
_OTHER_FILES = (
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or Word (.doc) file: save it as .xlsx"),
    (b"\x89PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
)


def _read_bytes(path: Path, error: type[VisitsError]) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error([Problem(path="", message="no such file")], source=str(path)) from None
    except OSError as exc:
        raise error([Problem(path="", message=exc.strerror or str(exc))], source=str(path)) from None


def _read_text(path: Path, error: type[VisitsError]) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error([Problem(path="", message="no such file")], source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise error([Problem(path="", message=f"not UTF-8 text (byte {exc.start})")], source=str(path)) from None
    except OSError as exc:
        raise error([Problem(path="", message=exc.strerror or str(exc))], source=str(path)) from None


def output_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be written, checked before any work is done; None if it looks writable.

    A symbolic link is followed: the file it points to is the one replaced.
    """
    target = _resolved(Path(path))
    if target.is_dir():
        return "is a directory"
    parent = target.parent
    if not parent.exists():
        return f"no such directory: {parent}"
    if not parent.is_dir():
        return f"not a directory: {parent}"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot create files in {parent} (permission denied)"
    if target.exists() and not os.access(target, os.W_OK):
        return "permission denied"
    return None


def _resolved(path: Path) -> Path:
    """The file a symbolic link (or a chain of them) points to; other paths unchanged."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def write_atomically(
    path: str | os.PathLike[str], chunks: Iterable[str] | bytes, *, newline: str | None = None
) -> None:
    """Write text (or bytes) to ``path`` so that it appears whole or not at all.

    The content goes to a temporary file beside ``path`` which replaces it only
    once everything was written; on any error or interruption the temporary
    file is removed.  An existing file keeps its permissions; a symbolic link
    stays a link and the file it points to is replaced.  A path that cannot be
    written raises :class:`~visits.core.errors.OutputError` with one line.
    """

    def fill(binary: BinaryIO) -> None:
        if isinstance(chunks, bytes):
            binary.write(chunks)
            return
        out = io.TextIOWrapper(binary, encoding="utf-8", newline=newline)
        for chunk in chunks:
            out.write(chunk)
        out.flush()
        out.detach()  # the file is closed by its owner, not by the wrapper

    write_atomically_with(path, fill)


def write_atomically_with(path: str | os.PathLike[str], fill: Callable[[BinaryIO], object]) -> None:
    """As :func:`write_atomically`, for content a writer puts into a binary file itself (``fill(file)``)."""
    source = os.fspath(path)
    problem = output_problem(source)
    if problem is not None:
        raise OutputError([Problem(path="", message=problem)], source=source)
    target = _resolved(Path(source))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        message = f"cannot create a file in {target.parent}: {exc.strerror or exc}"
        raise OutputError([Problem(path="", message=message)], source=source) from None
    try:
        with os.fdopen(handle, "wb") as binary:
            fill(binary)
        os.chmod(temporary, mode)  # mkstemp makes 0600 files
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError([Problem(path="", message=exc.strerror or str(exc))], source=source) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
