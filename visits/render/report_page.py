"""The supervisor's report as one self-contained HTML page: heat maps drawn by matplotlib, every number in a table.

No script, no style sheet, font or image fetched: the charts are inline SVG
(:mod:`visits.render.charts`) whose text the page's fonts draw.  The page
prints on A4 (Chromium prints it to PDF for ``visits report -o x.pdf``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from visits.core.compliance import Group
from visits.core.supervision import Series, Supervision
from visits.core.vocabulary import Language
from visits.render.charts import heatmap_svg

if TYPE_CHECKING:
    import jinja2

__all__ = ["Names", "report_html"]

#: How many visitors the visitors' heat map shows (those with most obligations due); the table lists all.
CHARTED_PEOPLE = 30


@attrs.frozen(kw_only=True)
class Names:
    """The words the page shows for ids: units, people, rules and roles, in the page's language."""

    title: str
    units: Mapping[str, str]
    people: Mapping[str, str]
    rules: Mapping[str, str]
    roles: Mapping[str, str]


#: The page's words: (Chinese, English).
_WORDS: dict[str, tuple[str, str]] = {
    "report": ("走访督导报告", "Visiting report"),
    "to": ("至", "to"),
    "as_of": ("截至各月末", "as of each month's end"),
    "overall": ("总体完成率", "Overall rate"),
    "estates": ("各苑区逐月完成率", "Estates month by month"),
    "buildings": ("各楼栋逐月完成率（按苑区展开）", "Buildings month by month (open an estate)"),
    "rules": ("各规则逐月完成率", "Rules month by month"),
    "people": ("走访人逐月完成率", "Visitors month by month"),
    "charted": (
        "图中为应完成事项最多的 {n} 人；下表列出全部走访人。",
        "The chart shows the {n} visitors with most obligations due; the table lists all.",
    ),
    "rate": ("完成率", "Rate met"),
    "empty": ("—", "—"),
    "name": ("名称", "Name"),
    "due": ("应完成", "Due"),
    "met_due": ("已完成", "Met"),
    "missed": ("未完成", "Missed"),
    "overdue": ("逾期", "Overdue"),
    "quiet": ("最久无人走访的住户", "Households longest without a visit"),
    "household": ("住户", "Household"),
    "building": ("楼栋", "Building"),
    "last": ("最近一次记录", "Last record"),
    "never": ("无记录", "none"),
    "days": ("距报告末日（天）", "Days to the report's end"),
    "streaks": ("连续数月有未完成事项的住户", "Households with missed obligations in consecutive months"),
    "months": ("月份", "Months"),
    "length": ("连续月数", "Months in a row"),
    "loads": ("走访人工作量（每月事项数，上限 {limit}）", "Visitors' load (obligations a month, limit {limit})"),
    "person": ("走访人", "Visitor"),
    "peak": ("最多一月", "Busiest month"),
    "over": ("超限月份", "Months over the limit"),
    "met_of_due": ("截至末月完成（完成/应完成）", "Met by the last month's end (met / due)"),
    "covers": ("依次递补：谁替谁走访", "Substitutions (依次递补): who covered for whom"),
    "substitute": ("替补人", "Substitute"),
    "instead": ("原应由", "Instead of"),
    "count": ("事项数", "Obligations"),
    "nobody": ("无人担任{role}", "nobody holding {role}"),
    "redacted": (
        "公开版：涉及敏感类别的规则及其事项均不在本报告中。",
        "Redacted: rules of sensitive categories and their obligations are left out of this report.",
    ),
    "none": ("无", "none"),
    "sep": ("、", ", "),
    "colon": ("：", ": "),
    "stop": ("。", ". "),
    "semicolon": ("；", "; "),
    "comma": ("，", ", "),
    "month_end": ("各月末", "month ends"),
    "unit_note": (
        "数字与 visits status 在各月末的结果一致（完成数/应完成数）。",
        "The numbers are those of visits status at each month's end (met / due).",
    ),
}

_TEMPLATE = """{% macro rate_table(rows) -%}
<table class="rates"><thead><tr><th>{{ words.name }}</th>
{%- for m in months %}<th>{{ m }}</th>{% endfor %}</tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.name }}</td>
{%- for cell in row.cells %}<td style="background:{{ row.colours[loop.index0] }}">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% endmacro -%}
<!DOCTYPE html>
<html lang="{{ 'zh-CN' if language == 'zh' else 'en' }}">
<head>
<meta charset="utf-8">
<title>{{ heading }}</title>
<style>
@page { size: A4 landscape; margin: 12mm 10mm; }
html { font-family: {{ fonts }}; font-size: 10pt; color: #000; }
h1 { font-size: 16pt; margin: 0 0 2mm 0; }
h2 { font-size: 13pt; margin: 8mm 0 2mm 0; break-after: avoid; }
p.note { color: #333; margin: 1mm 0 3mm 0; }
table { border-collapse: collapse; margin: 2mm 0 4mm 0; }
th, td { border: 0.5pt solid #999; padding: 1pt 3pt; text-align: right; white-space: nowrap; }
table.rates { font-size: 8pt; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; }
figure { margin: 2mm 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
details { margin: 1mm 0; }
summary { cursor: pointer; font-weight: bold; }
.big { font-size: 20pt; font-weight: bold; }
</style>
</head>
<body>
<h1>{{ heading }}</h1>
<p class="note">{{ words.as_of }}{{ words.colon }}{{ months[0] }} {{ words.to }} {{ months[-1] }}
{{- words.stop }}{{ words.unit_note }}</p>
{% if redacted %}<p class="note"><strong>{{ words.redacted }}</strong></p>{% endif %}
<p>{{ words.overall }} ({{ months[-1] }}){{ words.colon }}<span class="big">{{ overall.rate }}</span>
{{ overall.counts }}{{ words.semicolon }}{{ words.missed }} {{ overall.missed }}{{ words.comma }}
{{- words.overdue }} {{ overall.overdue }}</p>
{% for section in sections %}
<h2>{{ section.title }}</h2>
{% if section.note %}<p class="note">{{ section.note }}</p>{% endif %}
{% if section.chart %}<figure>{{ section.chart }}</figure>{% endif %}
{{ rate_table(section.rows) }}
{% endfor %}
<h2>{{ words.buildings }}</h2>
{% for estate in buildings %}
<details><summary>{{ estate.name }}</summary>{{ rate_table(estate.rows) }}</details>
{% endfor %}
{% for table in tables %}
<h2>{{ table.title }}</h2>
{% if table.rows %}
<table><thead><tr>{% for h in table.headings %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in table.rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>
{% else %}<p>{{ words.none }}</p>{% endif %}
{% endfor %}
</body>
</html>
"""


@functools.cache
def _template() -> jinja2.Template:
    import jinja2

    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(_TEMPLATE)


def _rate(group: Group) -> str:
    return "—" if group.rate is None else f"{group.rate:.0%}"


@functools.cache
def _colours() -> tuple[str, ...]:
    """The background of a table cell for each whole per cent, from the heat maps' colour map (toned down)."""
    from matplotlib import colormaps, colors

    scale = colormaps["RdYlGn"]
    return tuple(colors.to_hex(scale(0.15 + 0.7 * n / 100)) for n in range(101))


def _row(series: Series, name: str) -> dict[str, Any]:
    colours = _colours()
    return {
        "name": name,
        "cells": [f"{_rate(g)} ({g.met_due}/{g.due})" if g.due else "—" for g in series.counts],
        "colours": ["#ffffff" if g.rate is None else colours[round(100 * g.rate)] for g in series.counts],
        "rate": _rate(series.counts[-1]),
        "counts": f"({series.counts[-1].met_due}/{series.counts[-1].due})",
        "missed": series.counts[-1].missed,
        "overdue": series.counts[-1].overdue,
    }


def _chart(series: Sequence[Series], names: Sequence[str], months: Sequence[str], words: Mapping[str, str]) -> str:
    if not series:
        return ""
    values = [[g.rate for g in s.counts] for s in series]
    return heatmap_svg(names, months, values, caption=words["rate"], empty=words["empty"])


def report_html(report: Supervision, names: Names, language: Language) -> bytes:
    """The page of ``report``, labelled with ``names`` in ``language``."""
    import markupsafe

    from visits.render.html import FONTS

    words = {key: pair[language == "en"] for key, pair in _WORDS.items()}
    months = report.months
    unit_name = [names.units.get(s.name, s.name) for s in report.estates]
    rule_name = [names.rules.get(s.name, s.name) for s in report.rules]
    charted = sorted(report.people, key=lambda s: (-s.counts[-1].due, s.name))[:CHARTED_PEOPLE]
    person = [names.people.get(s.name, s.name) for s in charted]
    sections = [
        {"title": words["estates"], "note": "", "chart": _svg(_chart(report.estates, unit_name, months, words)),
         "rows": [_row(s, n) for s, n in zip(report.estates, unit_name, strict=True)]},
        {"title": words["rules"], "note": "", "chart": _svg(_chart(report.rules, rule_name, months, words)),
         "rows": [_row(s, n) for s, n in zip(report.rules, rule_name, strict=True)]},
        {"title": words["people"], "note": words["charted"].format(n=len(charted)),
         "chart": _svg(_chart(charted, person, months, words)),
         "rows": [_row(s, names.people.get(s.name, s.name)) for s in report.people]},
    ]  # fmt: skip
    buildings = [
        {"name": names.units.get(estate, estate), "rows": [_row(s, names.units.get(s.name, s.name)) for s in series]}
        for estate, series in report.buildings
    ]
    text = _template().render(
        language=language,
        heading=f"{names.title} {words['report']} {months[0]} {words['to']} {months[-1]}",
        fonts=markupsafe.Markup(FONTS),
        words=words,
        months=months,
        redacted=bool(report.hidden),
        overall=_row(report.overall, ""),
        sections=sections,
        buildings=buildings,
        tables=_tables(report, names, words),
    )
    return text.encode("utf-8")


def _svg(svg: str) -> Any:
    import markupsafe

    return markupsafe.Markup(svg)


def _met_of(group: Group | None) -> str:
    """A visitor's rate at the report's end, with met / due."""
    return "—" if group is None or not group.due else f"{_rate(group)} ({group.met_due}/{group.due})"


def _tables(report: Supervision, names: Names, words: Mapping[str, str]) -> list[dict[str, Any]]:
    end = report.ends[-1]
    building = names.units.get
    quiet = [
        (q.household, building(q.building or "", q.building or ""), q.last.isoformat() if q.last else words["never"],
         str((end - q.last).days) if q.last else "")
        for q in report.quiet
    ]  # fmt: skip
    streaks = [
        (k.household, building(k.building or "", k.building or ""), f"{k.months[0]} {words['to']} {k.months[-1]}",
         str(len(k.months)))
        for k in report.streaks[:20]
    ]  # fmt: skip
    person = names.people.get
    last = {s.name: s.counts[-1] for s in report.people}
    loads = [
        (
            person(load.person, load.person),
            str(max(load.assigned, default=0)),
            words["sep"].join(load.over) or words["none"],
            _met_of(last.get(load.person)),
        )
        for load in report.loads
    ]
    role = names.roles.get
    covers = [
        (person(c.substitute, c.substitute),
         person(c.instead_of, c.instead_of) if c.instead_of else words["nobody"].format(role=role(c.role or "", "")),
         str(c.count))
        for c in report.covers
    ]  # fmt: skip
    heads = {
        "quiet": ("household", "building", "last", "days"),
        "streaks": ("household", "building", "months", "length"),
        "loads": ("person", "peak", "over", "met_of_due"),
        "covers": ("substitute", "instead", "count"),
    }
    rows = {"quiet": quiet, "streaks": streaks, "loads": loads, "covers": covers}
    return [
        {
            "title": words[key].format(limit=report.limit),
            "headings": tuple(words[h] for h in heads[key]),
            "rows": rows[key],
        }
        for key in heads
    ]
