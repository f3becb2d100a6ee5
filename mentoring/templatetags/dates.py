"""The ``date`` filter, in the reader's language.

Templates write dates the English way (``|date:"F j, Y"`` → “December 2, 2026”). Django
translates the month and day names but keeps the pattern's order, which in Spanish reads
wrong (“diciembre 2, 2026”). This filter, installed as a builtin after Django's own (see
TEMPLATES in settings), replaces each of the site's patterns by the active language's
(“2 de diciembre de 2026”, 24-hour times), and otherwise is Django's filter."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import translation

from mentoring.dates import said

register = template.Library()

# The site's patterns and how each language writes them (English: as written).
PATTERNS: dict[str, dict[str, str]] = {
    "es": {
        "F j, Y": r"j \d\e F \d\e Y",
        "F Y": r"F \d\e Y",
        "F j": r"j \d\e F",
        "F": "F",
        "l, F j": r"l j \d\e F",
        "M j": "j M",
        "M j, Y": "j M Y",
        "F j, Y, g:i A T": r"j \d\e F \d\e Y, H:i T",
        "F j, Y, g:i A": r"j \d\e F \d\e Y, H:i",
        "F j, g:i A T": r"j \d\e F, H:i T",
        "F j, g:i A": r"j \d\e F, H:i",
        "M j, g:i A": "j M, H:i",
        "M j, Y, g:i a": "j M Y, H:i",
    },
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    language = (translation.get_language() or "en").split("-")[0]
    if arg:
        arg = PATTERNS.get(language, {}).get(arg, arg)
    if type(value) is dt.date:
        # A day, not a moment: written once a process for each language (mentoring/dates.py).
        return said(value, arg or "DATE_FORMAT")
    return django_date(value, arg)
