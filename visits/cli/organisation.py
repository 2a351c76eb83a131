"""The commands about the organisation itself: member-household links and building teams."""

from __future__ import annotations

import argparse
import json

import attrs

from visits.cli.output import aligned, emit
from visits.cli.parser import UsageError
from visits.core.community import Community
from visits.core.errors import Problem, VisitsError
from visits.core.links import apply_links, check_links, member_roles, propose_links
from visits.core.organisation import Organisation
from visits.core.teams import team_gaps
from visits.core.text import visible
from visits.io.files import load_community, load_rulebook, save_community

__all__ = ["links_command", "teams_command"]


def _organised(community: Community, path: str) -> Organisation:
    if community.organisation is None:
        message = "no organisation: the community file has no 'units' and 'people' sections"
        raise VisitsError([Problem(path="", message=message)], source=path)
    return community.organisation


def links_command(args: argparse.Namespace) -> int:
    """`visits links`: members outside the bound, unlinked households, and proposed links."""
    vocabulary = load_rulebook(args.rules).vocabulary
    community = load_community(args.community, vocabulary)
    organisation = _organised(community, args.community)
    if not 1 <= args.min <= args.max:
        raise UsageError(f"--min and --max must satisfy 1 <= min <= max, got {args.min} and {args.max}")
    homes = community.households
    report = check_links(organisation, homes, vocabulary, args.min, args.max, args.every_household)
    zh = args.lang == "zh"
    if zh:
        members = "、".join(vocabulary.titles("roles", "zh")[r] for r in sorted(member_roles(vocabulary)))
        out = [
            f"联系户数不在 {args.min}-{args.max} 之间的成员（{members}）：{len(report.over)} 人超过，"
            f"{len(report.under)} 人不足；需要联系而无人联系的住户：{len(report.unlinked)}\n"
        ]
        out += [f"超过  {person}：{count} 户\n" for person, count in report.over]
        out += [f"不足  {person}：{count} 户\n" for person, count in report.under]
        out += [f"未联系  {household}\n" for household in report.unlinked]
    else:
        out = [
            f"members (party members) outside {args.min}-{args.max} links: "
            f"{len(report.over)} over, {len(report.under)} under; "
            f"households needing a link without one: {len(report.unlinked)}\n"
        ]
        out += [f"over   {person}: {count} households\n" for person, count in report.over]
        out += [f"under  {person}: {count} households\n" for person, count in report.under]
        out += [f"unlinked  {household}\n" for household in report.unlinked]
    if args.propose:
        links, left = propose_links(organisation, homes, vocabulary, args.min, args.max, args.every_household)
        if zh:
            levels = vocabulary.titles("levels", "zh")
            out.append(f"建议联系：{len(links)} 户；找不到有余力成员的住户：{len(left)}\n")
            out += [f"联系  {link.person} -> {link.household}（同一{levels[link.scope]}）\n" for link in links]
            out += [f"剩余  {household}\n" for household in left]
        else:
            out.append(f"proposed links: {len(links)}; households left without a member with room: {len(left)}\n")
            out += [f"link  {link.person} -> {link.household}  (same {link.scope})\n" for link in links]
            out += [f"left  {household}\n" for household in left]
        if args.output:
            updated = attrs.evolve(community, organisation=apply_links(organisation, links))
            save_community(updated, args.output)
    emit([visible(line.rstrip("\n")) + "\n" for line in out], None)
    return 0


def teams_command(args: argparse.Namespace) -> int:
    """`visits teams`: the units whose level's team has a seat nobody holds, with the roles missing."""
    vocabulary = load_rulebook(args.rules).vocabulary
    community = load_community(args.community, vocabulary)
    organisation = _organised(community, args.community)
    gaps = team_gaps(organisation, vocabulary)
    if args.format == "json":
        rows = [{"unit": g.unit, "level": g.level, "missing": list(g.missing)} for g in gaps]
        emit([json.dumps(rows, ensure_ascii=False, indent=1) + "\n"], None)
        return 0
    if not any(level.team for level in vocabulary.levels):
        message = "no level of the rulebook declares a team ([levels.<id>] team = [...])"
        raise VisitsError([Problem(path="", message=message)], source=args.rules)
    roles = vocabulary.titles("roles", args.lang)
    levels = vocabulary.titles("levels", args.lang)
    names = {u.id: u.name for u in organisation.units}
    teamed = [u for u in organisation.units if any(lv.id == u.level and lv.team for lv in vocabulary.levels)]
    zh = args.lang == "zh"
    kinds = "、".join(dict.fromkeys(levels[u.level] for u in teamed)) or ("单位" if zh else "unit")
    head = (
        f"{kinds}团队有空缺：{len(gaps)} 个（共 {len(teamed)} 个）"
        if zh
        else (f"{kinds} teams with an empty seat: {len(gaps)} of {len(teamed)}")
    )
    table = [("单位", "名称", "缺") if zh else ("unit", "name", "missing")]
    table += [(g.unit, names.get(g.unit, ""), ("、" if zh else ", ").join(roles[r] for r in g.missing)) for g in gaps]
    emit([visible(head) + "\n", *(visible(line.rstrip("\n")) + "\n" for line in aligned(table))], None)
    return 0
