"""What a goal must hold, for the forms (beside each field) and the services (which
enforce it) alike: a title, a target date inside the program, and, once submitted,
every SMART part; and how many goals a sheet has."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, gettext_lazy

from mentoring.dates import long_date
from mentoring.models import Cycle

from .models import SMART_FIELDS

TITLE_MISSING = gettext_lazy("Give the goal a short title.")
PART_MISSING = {
    "specific": gettext_lazy("Say what exactly you will do or learn (specific)."),
    "measurable": gettext_lazy("Say how you will know you got there (measurable)."),
    "achievable": gettext_lazy("Say what support or resources it needs (achievable)."),
    "relevant": gettext_lazy("Say why it matters to the mentee's work (relevant)."),
    "target_date": gettext_lazy("Choose a target date (time-bound)."),
}
TOO_FEW_GOALS = gettext_lazy(
    "A goal sheet needs at least one goal. Add a goal, or keep one you removed."
)
TOO_MANY_GOALS = gettext_lazy("A goal sheet has at most three goals. Remove one before saving.")


def target_date_error(day: dt.date, cycle: Cycle) -> str | None:
    """Why a target date is refused, or None: it must fall inside the program's dates."""
    if cycle.starts_on <= day <= cycle.ends_on:
        return None
    return gettext("Choose a date inside the program: %(first)s to %(last)s.") % {
        "first": _long(cycle.starts_on),
        "last": _long(cycle.ends_on),
    }


def _long(day: dt.date) -> str:
    return long_date(day)


def goal_errors(
    *,
    title: str,
    parts: dict[str, str],
    target_date: dt.date | None,
    cycle: Cycle,
    complete: bool,
) -> dict[str, str]:
    """What is wrong with one goal, by field. A draft needs a title and a target date
    inside the program (if given); a submitted goal needs every SMART part too."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = TITLE_MISSING
    if complete:
        for name in SMART_FIELDS:
            if not parts.get(name, "").strip():
                errors[name] = PART_MISSING[name]
        if target_date is None:
            errors["target_date"] = PART_MISSING["target_date"]
    if target_date is not None:
        problem = target_date_error(target_date, cycle)
        if problem:
            errors["target_date"] = problem
    return errors
