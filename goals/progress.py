"""Writes of a match's progress on its agreed goals: check-ins during the year, and each
goal's final outcome with a reflection at the program's conclusion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mentoring.dates import long_date
from mentoring.models import User

from .models import (
    REFLECTION_MAX_LENGTH,
    CheckIn,
    Goal,
    GoalSheet,
)
from .rules import may_check_in, outcomes_open, outcomes_window_words, role_of
from .services import lock_sheet, refusal


@dataclass(frozen=True)
class OutcomeInput:
    """A goal's final outcome and the partners' short reflection on it."""

    goal_id: int
    outcome: str
    reflection: str = ""


# --- Progress ----------------------------------------------------------------------------


@transaction.atomic
def check_in_add(
    *, goal: Goal, by: User, status: str, note: str = "", on: dt.date | None = None
) -> CheckIn:
    """A partner records how a goal is going (a status, a note, a date)."""
    sheet = lock_sheet(goal.sheet)
    goal = Goal.objects.get(pk=goal.pk, sheet=sheet)
    if role_of(sheet, by) is None:
        raise refusal(
            gettext("Only the mentor and the mentee record progress on their goals."), "forbidden"
        )
    if not may_check_in(sheet, by):
        raise refusal(
            gettext(
                "Progress is recorded once the goal sheet is agreed, while the match is active."
            ),
            "not_agreed",
        )
    if not goal.is_current:
        raise refusal(gettext("This goal is no longer on the goal sheet."), "retired")
    cycle = sheet.match.cycle
    today = cycle.program.today()
    on = on or today
    errors: dict[str, str] = {}
    if status not in CheckIn.Status.values:
        errors["status"] = gettext("Choose how the goal is going.")
    if on > today:
        errors["on"] = gettext("Choose today or an earlier day: a check-in records what happened.")
    elif on < cycle.starts_on:
        errors["on"] = gettext("Choose a day since the program started (%(start)s).") % {
            "start": long_date(cycle.starts_on)
        }
    note = note.strip()
    if status in (CheckIn.Status.CHANGED, CheckIn.Status.DROPPED) and not note:
        errors["note"] = gettext("Say briefly what changed, or why the goal was dropped.")
    if errors:
        raise ValidationError(errors)
    check_in = CheckIn(goal=goal, author=by, status=status, note=note, on=on)
    check_in.full_clean()
    check_in.save()
    return check_in


@transaction.atomic
def goal_outcomes_record(
    *, sheet: GoalSheet, by: User, outcomes: Sequence[OutcomeInput]
) -> list[Goal]:
    """At the program's conclusion, record each goal's final outcome and a short
    reflection (either partner; recording again updates them)."""
    sheet = lock_sheet(sheet)
    if role_of(sheet, by) is None:
        raise refusal(gettext("Only the mentor and the mentee record their outcomes."), "forbidden")
    if not outcomes_open(sheet):
        raise refusal(
            outcomes_window_words(sheet),
            "not_open",
        )
    goals = {goal.pk: goal for goal in sheet.goals.current()}
    if {o.goal_id for o in outcomes} != set(goals):
        raise refusal(gettext("Record an outcome for each goal on the sheet."), "incomplete")
    now = timezone.now()
    saved = []
    problems = []
    for item in outcomes:
        goal = goals[item.goal_id]
        reflection = item.reflection.strip()
        if item.outcome not in Goal.Outcome.values:
            problems.append(
                gettext("%(goal)s: choose how the goal turned out.") % {"goal": goal.title}
            )
        if not reflection:
            problems.append(gettext("%(goal)s: write a short reflection.") % {"goal": goal.title})
        elif len(reflection) > REFLECTION_MAX_LENGTH:
            problems.append(
                gettext("%(goal)s: keep the reflection under %(max)s characters.")
                % {"goal": goal.title, "max": REFLECTION_MAX_LENGTH}
            )
        goal.final_outcome = item.outcome
        goal.reflection = reflection
        goal.outcome_recorded_by = by
        goal.outcome_recorded_at = now
        saved.append(goal)
    if problems:
        raise ValidationError(problems, code="invalid")
    for goal in saved:
        goal.full_clean(exclude=["example"])
        goal.save()
    return saved
