"""Writes of the activities app: a match's activity log, and the catalog's publishing.

Who may do what with a log entry:

- either partner of an active match adds entries to its log;
- the partner who recorded an entry edits and deletes it (their own words stay theirs);
- either partner marks a planned entry done, since an activity done together happened
  for both of them (``completed_by`` says who did when it was the other partner);
- a concluded or dissolved match's log no longer changes; staff only read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from goals.models import Goal
from matches.models import Match
from mentoring import content_cache
from mentoring.templatetags.program import daterange

from .models import Activity, ActivityLogEntry
from .selectors import CATALOG

Status = ActivityLogEntry.Status

# A planned activity becomes done; a "done" recorded by mistake goes back to planned
# rather than being deleted and typed again.
ALLOWED_STATUS_CHANGES: dict[str, set[str]] = {
    Status.PLANNED: {Status.PLANNED, Status.DONE},
    Status.DONE: {Status.DONE, Status.PLANNED},
}


def _locked(entry: ActivityLogEntry) -> ActivityLogEntry:
    """The entry read again and locked until the transaction ends, with its match."""
    return (
        ActivityLogEntry.objects.select_for_update(of=("self",))
        .select_related("match__cycle__program", "match__mentor", "match__mentee")
        .get(pk=entry.pk)
    )


def _require_partner(match: Match, user) -> None:
    if match.role_of(user) is None:
        raise PermissionDenied("Only the two partners of a match change its activity log.")


def _require_active(match: Match) -> None:
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: gettext(
                    "This match is no longer active, so its activity log is closed."
                )
            }
        )


def _require_author(entry: ActivityLogEntry, user) -> None:
    if entry.recorded_by_id is None or entry.recorded_by_id != user.pk:
        raise PermissionDenied("Only the partner who recorded an entry edits or deletes it.")


def _validate(entry: ActivityLogEntry, *, goals: list[Goal], activity_changed: bool) -> None:
    """The log's rules, each message for the field it is about."""
    match = entry.match
    program = match.cycle.program
    errors: dict[str, list[str]] = {}

    if entry.activity is not None:
        if entry.activity.program_id != program.pk:
            errors["activity"] = [
                gettext("Pick an activity from the %(program)s catalog.")
                % {"program": program.short_name}
            ]
        elif activity_changed and not entry.activity.is_published:
            errors["activity"] = [
                gettext("That activity has been taken out of the catalog; pick another.")
            ]

    if not entry.title:
        errors["title"] = [gettext("Give the activity a title, or pick one from the catalog.")]

    if entry.on is None:
        errors["on"] = [gettext("Give the date you did it, or plan to.")]
    else:
        first, last = match.cycle.starts_on, match.cycle.ends_on
        if not first <= entry.on <= last:
            errors["on"] = [
                gettext("Pick a date inside the %(year)s program year: %(dates)s.")
                % {"year": match.cycle.name, "dates": daterange(first, last)}
            ]
        elif entry.status == Status.DONE and entry.on > program.today():
            errors["on"] = [
                gettext(
                    "A done activity can’t be dated in the future: pick today or an earlier "
                    "day, or mark it planned."
                )
            ]

    if goals:
        # One query for every goal's match, whatever the number of goals.
        matches_of_goals = set(
            Goal.objects.filter(pk__in=[g.pk for g in goals]).values_list(
                "sheet__match_id", flat=True
            )
        )
        if matches_of_goals != {match.pk}:
            errors["goals"] = [gettext("Choose only goals from your own goal sheet.")]

    if errors:
        raise ValidationError(errors)
    entry.full_clean(exclude=["match", "activity", "recorded_by", "completed_by"])


# Inside the caller's transaction (the entry form's, with its form token), without a
# savepoint of its own: the rules are checked before anything is written, and a failed
# write undoes the caller's transaction anyway.
@transaction.atomic(savepoint=False)
def log_entry_create(
    *,
    match: Match,
    user,
    status: str,
    on: dt.date | None,
    title: str = "",
    notes: str = "",
    activity: Activity | None = None,
    goals: Iterable[Goal] = (),
) -> ActivityLogEntry:
    """Record an activity in a match's log, planned or done, on behalf of ``user`` (one of
    the partners). Picked from the catalog, it takes the activity's title unless the
    partner gave their own."""
    _require_partner(match, user)
    _require_active(match)
    goals = list(goals)
    entry = ActivityLogEntry(
        match=match,
        activity=activity,
        title=(title or "").strip() or (activity.title if activity else ""),
        status=status,
        on=on,
        notes=(notes or "").strip(),
        recorded_by=user,
    )
    _validate(entry, goals=goals, activity_changed=True)
    entry.save()
    if goals:
        # A new entry has no goals yet: added, not set (which reads the ones it has).
        entry.goals.add(*goals)
    return entry


@transaction.atomic
def log_entry_update(
    *,
    entry: ActivityLogEntry,
    user,
    status: str,
    on: dt.date | None,
    title: str = "",
    notes: str = "",
    activity: Activity | None = None,
    goals: Iterable[Goal] = (),
) -> ActivityLogEntry:
    """Change an entry of the log; only the partner who recorded it may."""
    entry = _locked(entry)
    _require_partner(entry.match, user)
    _require_author(entry, user)
    _require_active(entry.match)
    if status not in ALLOWED_STATUS_CHANGES.get(entry.status, set()):
        raise ValidationError(
            {
                "status": gettext("A %(status)s activity can’t become %(to)s.")
                % {"status": entry.get_status_display().lower(), "to": status}
            }
        )
    activity_changed = (activity.pk if activity else None) != entry.activity_id
    goals = list(goals)
    entry.activity = activity
    entry.title = (title or "").strip() or (activity.title if activity else "")
    entry.status = status
    entry.on = on
    entry.notes = (notes or "").strip()
    if status == Status.PLANNED:
        entry.completed_by = None
    _validate(entry, goals=goals, activity_changed=activity_changed)
    entry.save()
    entry.goals.set(goals)
    return entry


@transaction.atomic
def log_entry_mark_done(
    *, entry: ActivityLogEntry, user, on: dt.date | None = None
) -> ActivityLogEntry:
    """Mark a planned activity done, by either partner. Without a date it keeps the
    planned day if that has come, or else takes today."""
    entry = _locked(entry)
    _require_partner(entry.match, user)
    _require_active(entry.match)
    if entry.status == Status.DONE:
        raise ValidationError({"status": gettext("This activity is already marked done.")})
    today = entry.match.cycle.program.today()
    entry.status = Status.DONE
    entry.on = on or min(entry.on, today)
    entry.completed_by = user if user.pk != entry.recorded_by_id else None
    _validate(entry, goals=[], activity_changed=False)
    entry.save(update_fields=["status", "on", "completed_by", "updated_at"])
    return entry


@transaction.atomic
def log_entry_delete(*, entry: ActivityLogEntry, user) -> None:
    """Delete an entry of the log; only the partner who recorded it may."""
    entry = _locked(entry)
    _require_partner(entry.match, user)
    _require_author(entry, user)
    _require_active(entry.match)
    entry.delete()


@transaction.atomic
def activities_set_published(*, activities: Iterable[Activity], published: bool) -> int:
    """Put activities into the catalog or take them out (logs keep them either way).
    Returns how many changed."""
    ids = [a.pk for a in activities]
    changed = (
        Activity.objects.filter(pk__in=ids)
        .exclude(is_published=published)
        .update(is_published=published)
    )
    content_cache.content_changed(CATALOG)  # update() sends no signal
    return changed
