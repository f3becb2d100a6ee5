"""A person's activity log entries: what they can download, and what is left when they
delete their account or staff anonymise a finished cycle (found by ``mentoring.privacy``).

An entry keeps what the program counts (the date, planned or done, the catalog activity,
the goals it served); the notes go, and so does the title of an activity of their own
(it is their words): a catalog activity keeps the catalog's title."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from matches.models import Match
from mentoring.models import Cycle, User

from .models import Activity, ActivityLogEntry

OWN_ACTIVITY_TITLE = "An activity of their own"


def log_entries_anonymise(
    entries: QuerySet[ActivityLogEntry], *, forget_people: bool = False
) -> None:
    """Notes and own titles go; with ``forget_people``, who recorded and completed them
    too (a whole cycle)."""
    people = {"recorded_by": None, "completed_by": None} if forget_people else {}
    entries.filter(activity__isnull=True).update(title=OWN_ACTIVITY_TITLE, notes="", **people)
    # The English title (the catalog's own column): a translated field named plainly
    # would select every language's column and the subquery would return several.
    catalog_title = Subquery(
        Activity.objects.filter(pk=OuterRef("activity_id")).values("title_en")[:1]
    )
    entries.filter(activity__isnull=False).update(title=catalog_title, notes="", **people)


def export_personal_data(user: User) -> dict:
    entries = (
        ActivityLogEntry.objects.filter(match__in=Match.objects.of_person(user))
        .select_related("match__cycle__program", "activity")
        .prefetch_related("goals")
        .order_by("on", "pk")
    )
    return {
        "activity_log": [
            {
                "program": entry.match.cycle.program.name,
                "cycle": entry.match.cycle.name,
                "title": entry.title,
                "catalog_activity": entry.activity.title if entry.activity else None,
                "status": entry.get_status_display(),
                "on": entry.on.isoformat(),
                "recorded_by_you": entry.recorded_by_id == user.pk,
                # The notes are the words of whoever recorded the entry.
                "notes": entry.notes if entry.recorded_by_id == user.pk else None,
                "goals": [goal.title for goal in entry.goals.all()],
                "recorded_at": entry.created_at.isoformat(),
            }
            for entry in entries
        ]
    }


def erase_personal_data(user: User) -> None:
    log_entries_anonymise(ActivityLogEntry.objects.filter(recorded_by=user))


def _of_cycle(cycle: Cycle) -> QuerySet[ActivityLogEntry]:
    return ActivityLogEntry.objects.filter(match__cycle=cycle)


def cycle_personal_data(cycle: Cycle) -> dict[str, int]:
    return {"activity log entries": _of_cycle(cycle).count()}


def anonymise_cycle(cycle: Cycle) -> None:
    log_entries_anonymise(_of_cycle(cycle), forget_people=True)
