"""Filters of the health and results pages."""

from __future__ import annotations

import html

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def escape(value) -> str:
    """What the template's autoescaping writes for a plain string."""
    return html.escape(str(value))


@register.filter
def percent(value: float | None) -> str:
    """0.425 -> “43%”; None (nobody to count) -> “—”."""
    return "—" if value is None else f"{value:.0%}"


@register.filter
def share(part: int, whole: int) -> str:
    """The share ``part`` is of ``whole`` as a percentage, “—” of nothing."""
    return f"{part / whole:.0%}" if whole else "—"


@register.filter
def mean(stat) -> str:
    """A group's mean answer, or why it is not shown."""
    if not stat.count:
        return gettext("no answers")
    if stat.hidden:
        return gettext("not shown")
    return "—" if stat.mean is None else f"{stat.mean:.1f}"


@register.filter
def get(mapping: dict, key):
    return mapping.get(key)


@register.filter
def distribution(stat) -> str:
    """“1: 0 · 2: 1 · 3: 4 …”, or nothing when hidden."""
    if stat.hidden or not stat.count:
        return ""
    return " · ".join(f"{label}: {n}" for label, n in stat.distribution)


@register.filter
def at_risk_rows(items) -> SafeString:
    """The rows of the matches-at-risk table, written in one pass: with fifty matches and
    three reasons each, the template's tags per row were a fifth of the page's time."""
    pair = gettext("%(display_name)s &amp; %(display_name2)s")
    rows = []
    for item in items:
        mentee, mentor = item.row.mentee, item.row.mentor
        names = pair % {
            "display_name": escape(mentee.display_name or mentee.email),
            "display_name2": escape(mentor.display_name or mentor.email),
        }
        reasons = "".join(
            f'<li class="reason-{escape(r.code)}"><strong>{escape(r.label)}.</strong> '
            f'{escape(r.detail)} <a href="{escape(r.url)}">{escape(r.link_text)}</a></li>'
            for r in item.reasons
        )
        rows.append(
            f'<tr><th scope="row"><a href="{escape(item.url)}">{names}</a></th>'
            f'<td><ul class="health-reasons">{reasons}</ul></td></tr>'
        )
    return mark_safe("\n".join(rows))  # every value above is escaped
