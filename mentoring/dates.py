"""Dates as a reader says them, in the active language: Django's formats (the language's
month names: “August 31, 2026”, “31 de agosto de 2026”), never ``strftime("%B")``, which
speaks the server's locale whatever the reader's language."""

from __future__ import annotations

import datetime as dt
import functools

from django.core.signals import setting_changed
from django.utils.formats import date_format
from django.utils.translation import get_language


def long_date(day: dt.date) -> str:
    """“August 31, 2026” / “31 de agosto de 2026”."""
    return said(day, "DATE_FORMAT")


def month_day(day: dt.date) -> str:
    """“August 31” / “31 de agosto”."""
    return said(day, "MONTH_DAY_FORMAT")


def month_year(day: dt.date) -> str:
    """“August 2026” / “agosto de 2026”."""
    return said(day, "YEAR_MONTH_FORMAT")


def said(day: dt.date, format_name: str) -> str:
    """``date_format(day, format_name)``; a day (not a moment) worked out once a process
    for each language: a page writes dozens of dates, at some 17 µs each, from the same
    few hundred days."""
    if type(day) is not dt.date:
        return date_format(day, format_name)
    return _said(day, format_name, get_language())


@functools.lru_cache(maxsize=4096)
def _said(day: dt.date, format_name: str, language: str | None) -> str:
    del language  # part of the key: date_format reads the active language itself
    return date_format(day, format_name)


# Tests change the formats or the languages at run time: what was said then is forgotten.
setting_changed.connect(lambda **kwargs: _said.cache_clear(), weak=False, dispatch_uid="dates")


def clock(moment: dt.datetime) -> str:
    """“6:00 PM” / “18:00”."""
    return date_format(moment, "TIME_FORMAT")
