"""Template filters for the program's dates, written the way people say them, in the
reader's language (Django's formats: the language's month and weekday names)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext

from mentoring.dates import clock, long_date, month_day

register = template.Library()


@register.filter
def daterange(start: dt.date, end: dt.date | None = None) -> str:
    """“September 1–30, 2026”, “November 1 – December 31, 2026”,
    “December 1, 2026 – June 30, 2027”, or “June 30, 2027” for one day (in Spanish
    “1–30 de septiembre de 2026”...)."""
    if end is None or end == start:
        return long_date(start)
    if start.year != end.year:
        return f"{long_date(start)} – {long_date(end)}"
    if start.month != end.month:
        return gettext("%(start)s – %(end)s, %(year)s") % {
            "start": month_day(start),
            "end": month_day(end),
            "year": end.year,
        }
    return gettext("%(month)s %(first)s–%(last)s, %(year)s") % {
        "month": date_format(start, "F"),
        "first": start.day,
        "last": end.day,
        "year": end.year,
    }


@register.filter
def entry_dates(entry) -> str:
    """The dates of a timeline entry (a milestone or an event)."""
    return daterange(entry.starts_on, entry.ends_on)


@register.filter
def event_when(event) -> str:
    """“Wednesday, January 20, 2027, 6:00 PM–7:00 PM CST” in the event's own time zone."""
    if event.all_day:
        return daterange(event.starts_on, event.ends_on)
    start, end = event.local_starts_at, event.local_ends_at
    day = f"{date_format(start, 'l')}, {long_date(start)}"
    if start.date() == end.date():
        return f"{day}, {clock(start)}–{clock(end)} {end.tzname()}"
    until = f"{date_format(end, 'l')}, {long_date(end)}, {clock(end)} {end.tzname()}"
    return f"{day}, {clock(start)} {start.tzname()} – {until}"
