"""A synthetic community shaped like Baibuting, deterministic for a seed.

Every share below is traced to a published figure (seed file named in the
comment) or marked as an assumption.  ``docs/demo.md`` shows the derivation.
No real person is described: ids are generated, dates are drawn at random.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from visits.core.community import Circumstance, Community, Event, Horizon, Household, Visit
from visits.core.organisation import Absence, Organisation, Person, Position, Unit
from visits.core.periods import ONE_DAY

__all__ = ["SHARES", "DemoShape", "generate", "households_and_events", "shape_for"]

#: Households per building: 40,000 households (120,000 residents at about 3 a
#: household, seed 000/001) over 820 building grids (seed 001) is about 49.
HOUSEHOLDS_PER_BUILDING = 49
#: 820 buildings in 21 zones (seed 001): about 39 buildings per zone.
BUILDINGS_PER_ZONE = 39
#: 21 zones in 7 estates (seed 001).
ZONES_PER_ESTATE = 3
#: Estate names that appear in the seeds (001, 002, 003).
ESTATE_NAMES = ("温馨苑", "康和苑", "现代城", "龙华庭", "悦秀苑", "文卉苑", "怡和苑", "怡康苑")

#: Probability that a household is in each category during the demo's years.
SHARES: dict[str, float] = {
    # "救助2000多个困难户" (seed 001): 2,000 of 40,000 households.
    "hardship": 0.05,
    # "400多户空巢老人" (seed 000): 400 of 40,000 households.
    "elderly_alone": 0.01,
    # "帮助2800多名下岗居民再就业" over two years (seed 001): 1,400 a year; with
    # spells of about a year, 1,400 of 40,000 households at a time.
    "unemployed": 0.035,
    # Assumption: the seeds give no figure (they report no criminal cases).
    "released": 0.001,
    # Assumption: the seeds give no figure; 4% of households have a stay a year.
    "hospitalized": 0.04,
}
#: "每年接待信访诉求一万多件次" (seed 002): 10,000 a year for 40,000 households.
EVENTS_PER_HOUSEHOLD_YEAR = 0.25
#: Assumption: how those requests split by kind, and how many are major matters.
EVENT_KINDS = (
    ("grievance", 0.5),
    ("family_dispute", 0.25),
    ("emergency", 0.2),
    ("alarm", 0.05),
)
MAJOR_SHARE = 0.1

#: "党员6200多名" (seed 001) for about 40,000 households: 0.155 per household.
PARTY_MEMBERS_PER_HOUSEHOLD = 0.155
#: "社区骨干成员每人联系3至5户居民" (seed 001).
LINKS_PER_MEMBER = (3, 5)
#: Committee members who share the committee's visits (an assumption).
COMMITTEE_SIZE = 7
#: Assumption: the share of people with an absence during the demo year.
ABSENT_SHARE = 0.05
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
#: Given-name characters, including rare ones (堃 喆 珺 昇) that rosters must print.
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕文斌桂芳堃喆珺昇"


@attrs.frozen(kw_only=True)
class DemoShape:
    """How many units of each level a demo community of a given size has."""

    households: int
    buildings: int
    zones: int
    estates: int


def shape_for(households: int) -> DemoShape:
    """Scale the published 7 / 21 / 820 structure to ``households``.

    >>> shape_for(40_000)
    DemoShape(households=40000, buildings=816, zones=21, estates=7)
    """
    if households < 1:
        raise ValueError(f"households must be at least 1, got {households}")
    buildings = max(1, round(households / HOUSEHOLDS_PER_BUILDING))
    zones = max(1, round(buildings / BUILDINGS_PER_ZONE))
    estates = max(1, round(zones / ZONES_PER_ESTATE))
    return DemoShape(households=households, buildings=buildings, zones=zones, estates=estates)


def _units(shape: DemoShape) -> tuple[list[dict[str, Any]], list[str]]:
    """The unit tree as community-file records, and the building ids in order."""
    units: list[dict[str, Any]] = [{"id": "C", "name": "百步亭社区", "level": "community", "parent": None}]
    buildings: list[str] = []
    zone_no = 0
    for e in range(shape.estates):
        estate_id = f"E{e + 1}"
        name = ESTATE_NAMES[e] if e < len(ESTATE_NAMES) else f"第{e + 1}苑"
        units.append({"id": estate_id, "name": name, "level": "estate", "parent": "C"})
        zones_here = _share(shape.zones, shape.estates, e)
        for z in range(zones_here):
            zone_id = f"{estate_id}.Z{z + 1}"
            units.append({"id": zone_id, "name": f"{name}{z + 1}片区", "level": "zone", "parent": estate_id})
            for b in range(_share(shape.buildings, shape.zones, zone_no)):
                building_id = f"{zone_id}.B{b + 1}"
                units.append(
                    {
                        "id": building_id,
                        "name": f"{name}{z + 1}区{b + 1}栋",
                        "level": "building",
                        "parent": zone_id,
                    }
                )
                buildings.append(building_id)
            zone_no += 1
    return units, buildings


def _share(total: int, parts: int, index: int) -> int:
    """The size of part ``index`` when ``total`` items are split evenly into ``parts``."""
    return total // parts + (1 if index < total % parts else 0)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _circumstances(rng: random.Random, year: int) -> tuple[Circumstance, ...]:
    out: list[Circumstance] = []
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if rng.random() < SHARES["hardship"]:
        start = _day(rng, dt.date(year - 6, 1, 1), dt.date(year, 9, 30))
        end = _day(rng, max(start, jan1), dec31) if rng.random() < 0.15 else None
        out.append(Circumstance(category="hardship", start=start, end=end))
    if rng.random() < SHARES["elderly_alone"]:
        start = _day(rng, dt.date(year - 8, 1, 1), dt.date(year, 11, 30))
        end = _day(rng, max(start, jan1), dec31) if rng.random() < 0.05 else None
        out.append(Circumstance(category="elderly_alone", start=start, end=end))
    if rng.random() < SHARES["unemployed"]:
        start = _day(rng, dt.date(year - 1, 1, 1), dt.date(year, 11, 30))
        end = start + dt.timedelta(days=rng.randint(90, 720))
        out.append(Circumstance(category="unemployed", start=start, end=end if end <= dec31 else None))
    if rng.random() < SHARES["released"]:
        start = _day(rng, dt.date(year - 3, 1, 1), dt.date(year, 12, 31))
        out.append(Circumstance(category="released", start=start, end=None))
    if rng.random() < SHARES["hospitalized"]:
        start = _day(rng, jan1, dec31)
        end = start + dt.timedelta(days=rng.randint(1, 20))
        out.append(Circumstance(category="hospitalized", start=start, end=end if end <= dec31 else None))
    return tuple(out)


def households_and_events(
    households: int = 40_000, *, seed: int = 0, year: int = 2026
) -> Iterator[tuple[Household, list[Event]]]:
    """Generate the demo households one at a time, each with its own events.

    Used by :func:`generate` and by the million-household benchmark, which
    must not hold a file's worth of dictionaries in memory.
    """
    shape = shape_for(households)
    units, buildings = _units(shape)
    building_names = {u["id"]: u["name"] for u in units if u["level"] == "building"}
    rng = random.Random(f"visits-demo:{seed}:{year}")
    named = random.Random(f"visits-demo-names:{seed}:{year}")
    width = max(5, len(str(households)))
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    kinds = [k for k, _ in EVENT_KINDS]
    weights = [w for _, w in EVENT_KINDS]
    event_no = 0
    for i in range(households):
        hid = f"H{i + 1:0{width}d}"
        circumstances = _circumstances(rng, year)
        building = buildings[i * len(buildings) // households]
        events = []
        while rng.random() < EVENTS_PER_HOUSEHOLD_YEAR / (1 + EVENTS_PER_HOUSEHOLD_YEAR):
            kind = rng.choices(kinds, weights)[0]
            if kind == "alarm" and not any(c.category == "elderly_alone" for c in circumstances):
                kind = "emergency"
            event_no += 1
            events.append(
                Event(
                    id=f"E{event_no:0{width}d}",
                    household=hid,
                    kind=kind,
                    date=_day(rng, jan1, dec31),
                    severity="major" if rng.random() < MAJOR_SHARE else "minor",
                )
            )
        # A plausible address and a household name (the head's name + 家).
        # Its own random stream, so that names never shift the demo's figures.
        unit, floor, door = named.randint(1, 4), named.randint(1, 18), named.randint(1, 4)
        address = f"{building_names[building]}{unit}单元{floor}{door:02d}室"
        home = Household(
            id=hid, circumstances=circumstances, building=building, name=_name(named) + "家", address=address
        )
        yield home, events


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _organisation(
    units: list[dict[str, Any]], households: list[Household], rng: random.Random, year: int
) -> Organisation:
    """Committee, branch secretaries, branch members, group leaders, party members, carers, contacts."""
    people: list[Person] = []

    def person(name: str, positions: list[Position], linked: tuple[str, ...] = ()) -> None:
        absences: tuple[Absence, ...] = ()
        if rng.random() < ABSENT_SHARE:
            start = _day(rng, dt.date(year, 1, 1), dt.date(year, 12, 1))
            absences = (Absence(start=start, end=start + dt.timedelta(days=rng.randint(6, 29))),)
        people.append(
            Person(
                id=f"P{len(people) + 1:05d}",
                name=name,
                positions=tuple(positions),
                absences=absences,
                households=linked,
            )
        )

    for _ in range(COMMITTEE_SIZE):
        person(_name(rng), [Position(role="committee", unit="C", rank=1)])
    in_building: dict[str, list[Household]] = {}
    for household in households:
        in_building.setdefault(household.building or "", []).append(household)
    for unit in units:
        level, unit_id = unit["level"], unit["id"]
        if level == "estate":
            for rank in (1, 2):
                person(_name(rng), [Position(role="branch_secretary", unit=unit_id, rank=rank)])
        elif level == "zone":
            for rank in (1, 2, 3):
                person(_name(rng), [Position(role="branch_member", unit=unit_id, rank=rank)])
        elif level == "building":
            _building_people(unit_id, in_building.get(unit_id, []), rng, person)
    tree = tuple(Unit(id=u["id"], name=u["name"], level=u["level"], parent=u["parent"]) for u in units)
    return Organisation(units=tree, people=tuple(people))


def _building_people(unit_id: str, homes: list[Household], rng: random.Random, person: Callable[..., None]) -> None:
    """A building's two group leaders (两长), its party members with their linked households, carers, contacts."""
    for rank in (1, 2):
        person(_name(rng), [Position(role="group_leader", unit=unit_id, rank=rank)])
    # Households with a circumstance are linked first, then others.
    order = sorted(homes, key=lambda h: (not h.circumstances, h.id))
    members = max(1, round(len(homes) * PARTY_MEMBERS_PER_HOUSEHOLD))
    low, high = LINKS_PER_MEMBER
    cursor = 0
    for _ in range(members):
        # 3 to 5 households each; when the building runs out, start again
        # from its first households (they then have two linked members).
        take = min(rng.randint(low, high), len(order))
        linked = tuple(order[(cursor + k) % len(order)].id for k in range(take))
        cursor += take
        person(_name(rng), [Position(role="party_member", unit=unit_id)], linked)
    for home in homes:
        categories = {c.category for c in home.circumstances}
        if "elderly_alone" in categories:
            # 一对一 mostly; 多对一 (two or three carers) for some.
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                person(_name(rng), [Position(role="carer", unit=unit_id)], (home.id,))
        if "released" in categories:
            person(_name(rng), [Position(role="contact", unit=unit_id)], (home.id,))


#: Assumptions for simulated records (--with-visits): most visits on time,
#: some late, some never made, a few by the wrong person or for the wrong action.
ON_TIME, LATE = 0.85, 0.05
WRONG_PERSON, WRONG_ACTION = 0.01, 0.005


def _records(community: Community, year: int, rng: random.Random) -> tuple[Visit, ...]:
    """A year of visit records for the community's assigned plan."""
    from visits.core.assign import assign  # the demo builds on the library's own planner
    from visits.core.planner import plan
    from visits.io.calendars import china
    from visits.io.files import load_rulebook

    assert community.organisation is not None
    horizon = Horizon(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    rulebook = load_rulebook("baibuting")
    obligations = plan(rulebook, community.households, community.events, horizon, calendar=china())
    buildings = {h.id: h.building for h in community.households}
    people = [p.id for p in community.organisation.people]
    actions = list(rulebook.vocabulary.ids("actions"))
    out: list[Visit] = []
    for item in assign(obligations, community.organisation, buildings, rulebook.vocabulary):
        o = item.obligation
        roll = rng.random()
        if item.assignee is None or o.start > horizon.end or roll >= ON_TIME + LATE:
            continue  # never made
        if roll < ON_TIME:
            day = _day(rng, o.start, o.due)
        elif o.due < o.end:
            day = _day(rng, o.due + ONE_DAY, o.end)  # late but inside the window
        else:
            day = o.end + dt.timedelta(days=rng.randint(1, 14))  # too late: outside the window
        person = rng.choice(people) if rng.random() < WRONG_PERSON else item.assignee
        action = rng.choice(actions) if rng.random() < WRONG_ACTION else o.rule.action
        out.append(Visit(id=f"V{len(out) + 1:06d}", household=o.household, person=person, date=day, action=action))
    return tuple(out)


def generate(households: int = 40_000, *, seed: int = 0, year: int = 2026, with_visits: bool = False) -> Community:
    """A whole demo community: units, people, households, a year of events (and of visit records)."""
    shape = shape_for(households)
    units, _ = _units(shape)
    all_households = []
    all_events: list[Event] = []
    for household, events in households_and_events(households, seed=seed, year=year):
        all_households.append(household)
        all_events.extend(events)
    meta = {
        "generator": "visits demo",
        "seed": seed,
        "year": year,
        "households": households,
        "note": "Synthetic data shaped like Baibuting; no real household is described.",
    }
    organisation = _organisation(units, all_households, random.Random(f"visits-demo-org:{seed}:{year}"), year)
    community = Community(
        households=tuple(all_households),
        events=tuple(all_events),
        organisation=organisation,
        sections={"community": {"name": "百步亭社区"}, "demo": meta},
    )
    if with_visits:
        records = _records(community, year, random.Random(f"visits-demo-records:{seed}:{year}"))
        community = attrs.evolve(community, visits=records)
    return community
