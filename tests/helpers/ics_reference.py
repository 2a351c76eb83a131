"""The ICS roster as icalendar writes it: the reference that visits.render.formats.to_ics must equal byte for byte.

This was to_ics until the roster's own writer replaced it for speed
(issue 15); it stays here, unchanged, as the oracle.
"""

from __future__ import annotations

import datetime as dt
import uuid

import icalendar

from visits.core.periods import ONE_DAY
from visits.core.roster import Roster
from visits.render.formats import _UID_NAMESPACE


def reference_ics(roster: Roster) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//visits//roster//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", roster.title)
    for group in roster.groups:
        for line in group.lines:
            event = icalendar.Event()
            event.add("uid", f"{uuid.uuid5(_UID_NAMESPACE, line.key)}@visits")
            event.add("dtstamp", dt.datetime(roster.year, roster.month, 1, tzinfo=dt.UTC))
            event.add("dtstart", line.due)
            event.add("dtend", line.due + ONE_DAY)
            who = line.household_name or line.household
            separator = "：" if roster.language == "zh" else ": "
            event.add("summary", f"{line.title}{separator}{who}" if who else line.title)
            window = f"{line.start}..{line.end}"
            assignee = line.assignee_name or line.assignee or "-"
            if line.role:
                assignee += f"（{line.role}）" if roster.language == "zh" else f" ({line.role})"
            text = (
                f"期限 {window}；地址 {line.address}；责任人 {assignee}"
                if roster.language == "zh"
                else f"Window {window}; address {line.address}; assignee {assignee}"
            )
            if line.due_note:
                text += ("；" if roster.language == "zh" else "; ") + line.due_note
            if line.note and not line.household:
                text = line.note
            event.add("description", text)
            if line.address:
                event.add("location", line.address)
            calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
