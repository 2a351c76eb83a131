"""A three-household community with hostile text, named people, and its month's roster."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

import attrs

from tests.helpers import BAIBUTING, circ
from tests.helpers.org import UNITS, person
from visits import Community, Household, Visit
from visits.core.community import Horizon
from visits.core.organisation import Organisation, Person
from visits.core.roster import Roster
from visits.core.rostering import build_roster
from visits.render.labels import roster_words
from visits.service import assigned_plan

HOSTILE_NAME = '<script>alert("x")</script>堃喆珺昇'
HOSTILE_ADDRESS = '=HYPERLINK("http://evil.example/","click") \'quoted\' "double" ' + "很长的地址" * 60
PEOPLE = (
    person("G1", "group_leader", "B1"),
    person("G2", "group_leader", "B2"),
    person("S1", "branch_secretary", "E1"),
    person("K1", "committee", "C"),
    person("C1", "carer", "B2", households=("H3",)),
)
NAMED = {"G1": "张丽", "G2": "李堃", "S1": "王喆", "K1": "刘昇", "C1": "陈珺"}


def people() -> tuple[Person, ...]:
    return tuple(attrs.evolve(p, name=NAMED[p.id]) for p in PEOPLE)


def community(visits: tuple[Visit, ...] = ()) -> Community:
    homes = (
        Household(
            id="H1",
            building="B1",
            name=HOSTILE_NAME,
            address=HOSTILE_ADDRESS,
            circumstances=(circ("hardship", "2026-01-01"),),
        ),
        Household(
            id="H2",
            building="B1",
            name="王伟家",
            address="1栋2单元101室",
            circumstances=(circ("released", "2025-06-15"), circ("unemployed", "2026-11-20")),
        ),
        Household(
            id="H3",
            building="B2",
            name="赵芳家",
            address="2栋1单元502室",
            circumstances=(circ("elderly_alone", "2026-01-01"),),
        ),
    )
    organisation = Organisation(units=UNITS, people=people())
    return Community(
        households=homes, organisation=organisation, visits=visits, sections={"community": {"name": "百步亭社区"}}
    )


def roster(c: Community | None = None, *, year: int = 2026, month: int = 12, **kw: Any) -> Roster:
    c = c or community()
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    assigned = list(assigned_plan(BAIBUTING, c, Horizon(start=first, end=last)))
    words = roster_words(kw.pop("language", "zh"), BAIBUTING.vocabulary)
    return build_roster(
        assigned,
        year=year,
        month=month,
        households=c.households,
        organisation=c.organisation,
        levels=BAIBUTING.vocabulary.ids("levels"),
        words=words,
        **kw,
        community="百步亭社区",
    )


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is needed (installed by .ci/run)"
    return found
