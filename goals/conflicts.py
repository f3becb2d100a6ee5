"""Side by side: a goal sheet as the partner saved it, and as this person typed it.

When a save is refused because the sheet changed meanwhile, the page shows both texts
goal by goal, so the person can merge by hand and nothing either of them wrote is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from applications.models import Interest
from mentoring.dates import long_date

from .models import SMART_PARTS, Goal

FIELDS: tuple[tuple[str, str], ...] = (
    ("title", _("Title")),
    *((name, label) for name, label, _ in SMART_PARTS),
    ("target_date", _("Target date")),
    ("competency_areas", _("Competency areas")),
)


@dataclass(frozen=True)
class FieldPair:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs.strip() != self.yours.strip()


@dataclass(frozen=True)
class GoalPair:
    """One goal as saved (``in_theirs``) and as typed (``in_yours``)."""

    number: int
    saved_id: int | None
    in_theirs: bool
    in_yours: bool
    removed_by_you: bool
    fields: list[FieldPair]

    @property
    def differs(self) -> bool:
        return self.in_theirs != self.in_yours or any(f.differs for f in self.fields)


def _date_text(value: Any) -> str:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            return str(value or "")
    return long_date(day)


def _saved(goal: Goal) -> dict[str, str]:
    values = {name: str(getattr(goal, name) or "") for name, _ in FIELDS[:-2]}
    values["target_date"] = _date_text(goal.target_date) if goal.target_date else ""
    values["competency_areas"] = ", ".join(a.name for a in goal.competency_areas.all())
    return values


def _typed(values: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    result = {name: str(values.get(name) or "") for name, _ in FIELDS[:-2]}
    result["target_date"] = (
        _date_text(values.get("target_date")) if values.get("target_date") else ""
    )
    areas = values.get("competency_areas") or []
    result["competency_areas"] = ", ".join(names.get(str(pk), str(pk)) for pk in areas)
    return result


def compare(
    theirs: list[Goal], yours: list[dict[str, Any]], competencies: list[Interest]
) -> list[GoalPair]:
    """Pair each goal typed with the saved goal it edits (by id), then list the saved
    goals the typed copy does not have."""
    names = {str(area.pk): area.name for area in competencies}
    saved = {str(goal.pk): goal for goal in theirs}
    empty = {name: "" for name, _ in FIELDS}
    pairs: list[GoalPair] = []
    seen: set[str] = set()
    for values in yours:
        goal_id = str(values.get("goal_id") or "")
        goal = saved.get(goal_id)
        if goal is not None:
            seen.add(goal_id)
        removed = bool(values.get("DELETE"))
        if removed and goal is None:
            continue  # a new goal typed and removed again: nothing to compare
        mine = empty if removed else _typed(values, names)
        other = _saved(goal) if goal is not None else empty
        pairs.append(
            GoalPair(
                number=len(pairs) + 1,
                saved_id=goal.pk if goal is not None else None,
                in_theirs=goal is not None,
                in_yours=not removed,
                removed_by_you=removed,
                fields=[FieldPair(label, other[name], mine[name]) for name, label in FIELDS],
            )
        )
    for goal in theirs:
        if str(goal.pk) in seen:
            continue
        other = _saved(goal)
        pairs.append(
            GoalPair(
                number=len(pairs) + 1,
                saved_id=goal.pk,
                in_theirs=True,
                in_yours=False,
                removed_by_you=False,
                fields=[FieldPair(label, other[name], "") for name, label in FIELDS],
            )
        )
    return pairs
