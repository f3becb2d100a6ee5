"""Dates as a reader says them, in the active language: Django's formats (the language's
month names: “August 31, 2026”, “31 de agosto de 2026”), never ``strftime("%B")``, which
speaks the server's locale whatever the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format


def long_date(day: dt.date) -> str:
    """“August 31, 2026” / “31 de agosto de 2026”."""
    return date_format(day, "DATE_FORMAT")


def month_day(day: dt.date) -> str:
    """“August 31” / “31 de agosto”."""
    return date_format(day, "MONTH_DAY_FORMAT")


def month_year(day: dt.date) -> str:
    """“August 2026” / “agosto de 2026”."""
    return date_format(day, "YEAR_MONTH_FORMAT")


def clock(moment: dt.datetime) -> str:
    """“6:00 PM” / “18:00”."""
    return date_format(moment, "TIME_FORMAT")
