"""A match's activity log as its page reads it: every entry (with its activity, who
recorded it and the goals it served) and the match's goals, with SQL written out (a part
of the activities app's reads; ``selectors`` offers these names too)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection

from goals.models import Goal, GoalSheet
from goals.selectors import (
    GOAL_ROW_FIELDS,
    attach_competency_areas,
    goal_from_row,
    goals_with_area_ids_sql,
)
from matches.models import Match
from mentoring import sql
from mentoring.models import User

from .models import Activity, ActivityLogEntry
from .suggestions import published_catalog


@dataclass(frozen=True)
class LogPage:
    """What a match's log page reads: its entries, newest first, each with its activity
    and the goals it served (``entry.served_goals``), and the match's goals with their
    competency areas and the published catalog (for the suggestions)."""

    entries: list[ActivityLogEntry]
    goals: list[Goal]
    catalog: dict[int, list[Activity]]  # the published catalog, for the suggestions


def log_page(*, match: Match) -> LogPage:
    """Every entry of the match's log and the match's goals in two queries: each entry's
    goals are picked from the match's own (the only ones a log may name) by the ids read
    with the entry, and its catalog activity, when published, comes from the shared
    catalog. Both queries written out once a process (:func:`_log_goals_sql`,
    :func:`_log_entries_sql`): the ORM took longer to compose them on every visit than
    the database to answer them."""
    goals = []
    for row in sql.read(_log_goals_sql(connection.vendor), [match.pk], GOAL_ROW_FIELDS):
        goals.append(goal_from_row(row))
    attach_competency_areas(goals)
    entries = []
    split = len(_ENTRY_READ)
    for row in sql.read(_log_entries_sql(connection.vendor), [match.pk], _LOG_ENTRY_FIELDS):
        entry = sql.instance(ActivityLogEntry, _ENTRY_READ, row[:split])
        # Who recorded it, as select_related("recorded_by") sets it (None: nobody now).
        recorder = row[split : split + len(_RECORDER_READ)]
        ActivityLogEntry.recorded_by.field.set_cached_value(
            entry,
            None if recorder[0] is None else sql.instance(User, _RECORDER_READ, recorder),
        )
        entry.goal_ids = sql.id_list(row[-1])
        entries.append(entry)
    catalog = published_catalog()
    _attach_activities(entries, {a.pk: a for listed in catalog.values() for a in listed})
    _attach_goals(entries, goals)
    return LogPage(entries, goals, catalog)


_ENTRY_READ = sql.model_fields(ActivityLogEntry)
_RECORDER_READ = sql.model_fields(User)
# The id list read beside each entry (its goals') has no field of its own.
_LOG_ENTRY_FIELDS = (*_ENTRY_READ, *_RECORDER_READ, None)


@functools.lru_cache(maxsize=4)
def _log_goals_sql(vendor: str) -> str:
    """The goals of a match's goal sheet (the match's id given)."""
    del vendor  # part of the cache's key only: the SQL differs between databases
    return goals_with_area_ids_sql(
        f"INNER JOIN {sql.table(GoalSheet)} "
        f"ON {sql.column(Goal, 'sheet')} = {sql.column(GoalSheet, 'id')} "
        f"WHERE {sql.column(GoalSheet, 'match')} = %s"
    )


@functools.lru_cache(maxsize=4)
def _log_entries_sql(vendor: str) -> str:
    """A match's log entries (its id given), newest first, each with who recorded it
    (select_related's LEFT OUTER JOIN: the account may be gone) and its goals' ids."""
    del vendor  # part of the cache's key only: the SQL differs between databases
    served = ActivityLogEntry.goals.through
    goal_ids = (
        f"SELECT {sql.column(served, 'goal')} FROM {sql.table(served)} "
        f"WHERE {sql.column(served, 'activitylogentry')} = {sql.column(ActivityLogEntry, 'id')}"
    )
    return (
        f"SELECT {sql.columns(_ENTRY_READ)}, {sql.columns(_RECORDER_READ)}, "
        f"{sql.id_array(goal_ids, served._meta.get_field('goal').column)} "
        f"FROM {sql.table(ActivityLogEntry)} LEFT OUTER JOIN {sql.table(User)} "
        f"ON {sql.column(ActivityLogEntry, 'recorded_by')} = {sql.column(User, 'id')} "
        f"WHERE {sql.column(ActivityLogEntry, 'match')} = %s "
        f"ORDER BY {sql.column(ActivityLogEntry, 'on')} DESC, "
        f"{sql.column(ActivityLogEntry, 'id')} DESC"
    )


def _attach_activities(entries: list[ActivityLogEntry], published: dict[int, Activity]) -> None:
    """Each entry's activity: a published one from the shared catalog (read-only); the
    others (unpublished since) read in one query, only when there are any."""
    missing = {e.activity_id for e in entries if e.activity_id and e.activity_id not in published}
    others = Activity.objects.select_related("program").in_bulk(missing) if missing else {}
    for entry in entries:
        if entry.activity_id:
            entry.activity = published.get(entry.activity_id) or others.get(entry.activity_id)


def _attach_goals(entries: list[ActivityLogEntry], goals: list[Goal]) -> None:
    """Each entry's goals as ``entry.served_goals``, in goal order (a goal of another sheet,
    which no form lets a log name, is read from the database)."""
    by_id = {g.pk: g for g in goals}
    named = {pk for e in entries for pk in e.goal_ids or ()}
    if not named <= by_id.keys():
        by_id.update(Goal.objects.in_bulk(named - by_id.keys()))
    for entry in entries:
        entry.served_goals = sorted(
            (by_id[pk] for pk in entry.goal_ids or () if pk in by_id),
            key=lambda g: (g.position, g.pk),
        )
