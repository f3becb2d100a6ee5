"""Filters of the health and results pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


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
