"""A lines file read a batch of households at a time, checked as a whole file is.

:func:`stream_community` gives the head at once and the households in parts
of ``size`` households, so that memory holds one part, never the
community.  The checks that need the whole file are kept as small numbers
while the parts go by: household ids must increase (so no two repeat);
event and record ids are kept as 64-bit hashes with their lines, and a
repeat is looked up again in the file to say which ids and where; people's
links to households are checked against the ids seen.

Every problem is reported, all at once, as for a whole file: the parts stop
at the first bad one, the rest of the file is still read and checked, and
then :class:`~visits.core.errors.CommunityError` is raised.  A caller that
writes as the parts come must write where it can discard (the command line
writes to a temporary file, replaced only once the last part is through).
"""

from __future__ import annotations

import array
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np

from visits.core.community import Community
from visits.core.errors import CommunityError, Problem
from visits.core.vocabulary import Vocabulary
from visits.io.jsontext import parse_json
from visits.io.lines import Placed, head_from_text, household_lines, link_problems, part_from_lines

__all__ = ["stream_community"]

#: Households per part: about 3 MiB of objects for the demo's households.
PART = 2_000


def stream_community(
    path: str | os.PathLike[str], vocabulary: Vocabulary | None = None, *, size: int | None = None
) -> tuple[Community, Iterator[Community]]:
    """The head of a lines file, checked now, and its households in parts of ``size`` (default :data:`PART`)."""
    source = os.fspath(path)
    try:
        file = Path(source).open("rb")  # noqa: SIM115  (closed by the parts' generator)
    except OSError as exc:
        raise CommunityError([Problem(path="", message=exc.strerror or str(exc))], source=source) from None
    try:
        head = head_from_text(file.readline().decode("utf-8-sig"), vocabulary)
    except CommunityError as exc:
        file.close()
        raise CommunityError(exc.problems, source=source) from None
    except UnicodeDecodeError as exc:
        file.close()
        message = f"not UTF-8 text (byte {exc.start})"
        raise CommunityError([Problem(path="line 1", message=message)], source=source) from None
    return head, _Parts(file, source, head, vocabulary, size or PART).run()


class _Parts:
    def __init__(self, file: IO[bytes], source: str, head: Community, vocabulary: Vocabulary | None, size: int) -> None:
        self.file, self.source, self.head, self.vocabulary, self.size = file, source, head, vocabulary, size
        self.problems: list[Problem] = []
        self.previous: tuple[str, str] | None = None  # the last household id and its line
        self.hashes = {"events": array.array("q"), "visits": array.array("q")}
        self.lines = {"events": array.array("q"), "visits": array.array("q")}
        self.batch_of: dict[int, int] = {}  # line -> part, for the lines with an event or record only
        self.batch = 0
        self.linked = {h for p in head.organisation.people for h in p.households} if head.organisation else set()
        self.unread = False

    def run(self) -> Iterator[Community]:
        with self.file:
            batch: list[Placed] = []
            for number, raw in enumerate(self.file, start=2):
                try:
                    batch.extend(household_lines([raw.decode("utf-8")], first=number))
                except UnicodeDecodeError as exc:
                    self.problems.append(Problem(path=f"line {number}", message=f"not UTF-8 text (byte {exc.start})"))
                    self.unread = True
                except CommunityError as exc:
                    self.problems += exc.problems
                    self.unread = True
                if len(batch) >= self.size:
                    yield from self._part(batch)
                    batch = []
            if batch:
                yield from self._part(batch)
        self._finish()

    def _part(self, batch: list[Placed]) -> Iterator[Community]:
        self.batch += 1
        first = batch[0]
        ident = first[1].get("id") if isinstance(first[1], dict) else None
        if self.previous is not None and isinstance(ident, str) and ident <= self.previous[0]:
            message = f"after {self.previous[0]!r} ({self.previous[1]}): ids must strictly increase"
            self.problems.append(Problem(path=f"{first[0]} ({ident})", message=message))
        last = next((p for p in reversed(batch) if isinstance(p[1], dict) and isinstance(p[1].get("id"), str)), None)
        if last is not None:
            self.previous = (str(last[1]["id"]), last[0])  # type: ignore[index]
        for place, raw in batch:
            if not isinstance(raw, dict):
                continue
            self.linked.discard(raw.get("id"))
            line = int(place.split()[1])
            for section in ("events", "visits"):
                items = raw.get(section)
                for item in items if isinstance(items, list) else ():
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        self.hashes[section].append(hash(item["id"]))
                        self.lines[section].append(line)
                        self.batch_of[line] = self.batch
        try:
            part = part_from_lines(batch, self.head, self.vocabulary)
        except CommunityError as exc:
            self.problems += exc.problems
            return
        if not self.problems:
            yield part

    def _finish(self) -> None:
        for section in ("events", "visits"):
            self.problems += self._repeats(section)
        if not self.unread:  # a line not read may be the household a person is linked to
            self.problems += link_problems(self.head, self.linked.__contains__)
        if self.problems:
            raise CommunityError(self.problems, source=self.source)

    def _repeats(self, section: str) -> list[Problem]:
        """Ids of ``section`` that repeat across parts: looked up again on the lines their hashes point to.

        A repeat within one part was reported with that part's problems.
        """
        hashes = np.frombuffer(self.hashes[section], dtype=np.int64)
        if len(hashes) == len(np.unique(hashes)):
            return []
        values, counts = np.unique(hashes, return_counts=True)
        suspect = set(values[counts > 1].tolist())
        wanted = {line for h, line in zip(hashes.tolist(), self.lines[section].tolist(), strict=True) if h in suspect}
        first: dict[str, tuple[str, int]] = {}
        found = []
        with Path(self.source).open("rb") as again:
            for number, line in enumerate(again, start=1):
                if number not in wanted:
                    continue
                raw = parse_json(line.decode("utf-8"))
                label = f"line {number} ({raw['id']})"
                for j, item in enumerate(raw.get(section, [])):
                    ident = item.get("id") if isinstance(item, dict) else None
                    if not isinstance(ident, str) or hash(ident) not in suspect:
                        continue
                    place = f"{label}.{section}[{j}]"
                    if ident in first and first[ident][1] != self.batch_of[number]:
                        message = f"duplicate id {ident!r} (also {first[ident][0]})"
                        found.append(Problem(path=f"{place}.id", message=message))
                    first.setdefault(ident, (place, self.batch_of[number]))
        return found
