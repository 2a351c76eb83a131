"""Rosters as one self-contained HTML file, with print CSS for A4 landscape.

Content is HTML-escaped by Jinja2's autoescaping (BSD licence, maintained by
Pallets), imported on the first call so that other formats never load it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from visits.core.roster import Roster
from visits.render.formats import HEADINGS, cells, role_summary, rule_summary

if TYPE_CHECKING:
    import jinja2

__all__ = ["FONTS", "to_html"]

FONTS = (
    '"Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimSun", "宋体", sans-serif'
)
_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ 'zh-CN' if roster.language == 'zh' else 'en' }}">
<head>
<meta charset="utf-8">
<title>{{ roster.title }}</title>
<style>
@page {
  size: A4 landscape;
  margin: 12mm 10mm 14mm 10mm;
  @bottom-center { content: {{ footer }}; font-size: 9pt; font-family: {{ fonts }}; }
}
html { font-family: {{ fonts }}; font-size: 10pt; color: #000; }
h1 { font-size: 15pt; margin: 0 0 4mm 0; }
h2 { font-size: 12pt; margin: 0 0 2mm 0; }
.group { break-before: page; }
.group:first-of-type { break-before: auto; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #444; padding: 1.2mm 1.2mm; vertical-align: top;
         overflow-wrap: break-word; word-break: normal; }
td { font-size: 9pt; }
th { background: #e6e6e6; font-weight: bold; }
tr.running th { background: none; border: none; font-weight: normal; text-align: left; padding: 0 0 1.5mm 0;
                color: #333; }
td.blank { height: 7mm; }
.summary { font-size: 8.5pt; color: #333; margin: 2mm 0 4mm 0; }
.sign { margin: 6mm 0 0 0; break-inside: avoid; break-before: avoid; }
col.n { width: 4%; } col.due { width: 8%; } col.window { width: 9%; } col.home { width: 12%; }
col.addr { width: 13%; } col.task { width: 12%; } col.who { width: 7%; } col.role { width: 7%; }
col.note { width: 9%; } col.done { width: 6%; } col.visit { width: 7%; } col.sign { width: 6%; }
</style>
</head>
<body>
<h1>{{ roster.title }}</h1>
<p class="summary">{{ overall }}</p>
{% if overall_roles %}<p class="summary">{{ overall_roles }}</p>{% endif %}
{% for group in roster.groups %}
<section class="group">
<h2>{{ labels[loop.index0] }}（{{ group.lines|length }}）</h2>
<p class="summary">{{ summaries[loop.index0] }}</p>
{% if roles[loop.index0] %}<p class="summary">{{ roles[loop.index0] }}</p>{% endif %}
<table>
<colgroup><col class="n"><col class="due"><col class="window"><col class="home"><col class="addr"><col class="task">
<col class="who"><col class="role"><col class="note"><col class="done"><col class="visit"><col class="sign"></colgroup>
<thead><tr class="running"><th colspan="{{ headings|length }}">{{ roster.title }} · {{ labels[loop.index0] }}</th></tr>
<tr>{% for h in headings %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows[loop.index0] %}<tr>{% for c in row %}
<td{% if loop.index > 10 %} class="blank"{% endif %}>{{ c }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% if sign_off %}<p class="sign">{{ sign_off }}</p>{% endif %}
</section>
{% endfor %}
</body>
</html>
"""


@functools.cache
def _html_template() -> jinja2.Template:
    """The roster's Jinja2 template, compiled once."""
    import jinja2

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(_TEMPLATE)


def to_html(roster: Roster) -> bytes:
    """One self-contained HTML file with print CSS (A4 landscape, page numbers).

    Every printed page of a group begins with the roster's title, the group's
    unit and the column headings: the browser repeats a table's ``thead`` on
    each page it spans.
    """
    footer = '"第 " counter(page) " 页 共 " counter(pages) " 页"'
    if roster.language == "en":
        footer = '"Page " counter(page) " of " counter(pages)'
    import markupsafe

    template = _html_template()
    text = template.render(
        roster=roster,
        fonts=markupsafe.Markup(FONTS),
        footer=markupsafe.Markup(footer),
        headings=HEADINGS[roster.language],
        rows=[[cells(n, line) for n, line in enumerate(group.lines, 1)] for group in roster.groups],
        summaries=[rule_summary(roster, g.by_rule) for g in roster.groups],
        labels=[f"{g.subtitle} {g.title}".strip() for g in roster.groups],
        overall=rule_summary(roster, roster.by_rule),
        roles=[role_summary(roster, g.by_role) for g in roster.groups],
        sign_off=roster.sign_off,
        overall_roles=role_summary(roster, roster.by_role),
    )
    return text.encode("utf-8")
