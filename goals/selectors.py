"""Reads of goal sheets that pages, the dashboard and the newsletter share.

Each function fetches what its caller shows in a fixed number of queries, however many
goals and check-ins there are. Goals come with their check-ins newest first as
``goal.check_in_list`` and the latest as ``goal.latest_check_in`` (None without one).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.selectors import Choices, attach_interests, choices
from matches.models import Match, Meeting
from mentoring import sql
from mentoring.models import Milestone, Program, User
from mentoring.sql import IdArray
from mentoring.timeline import goal_sheet_due_on

from .models import (
    CheckIn,
    ExampleGoal,
    Goal,
    GoalSheet,
    GoalSheetChange,
    GoalSheetRevision,
    is_overdue,
)

SheetState = Literal["not_started", "draft", "submitted", "agreed"]

STATE_LABELS: dict[str, str] = {
    "not_started": _("Not started"),
    GoalSheet.Status.DRAFT: _("Draft"),
    GoalSheet.Status.SUBMITTED: _("Submitted, waiting for the mentor"),
    GoalSheet.Status.AGREED: _("Agreed"),
}


def with_competency_area_ids(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    """The goals with their competency areas' ids, for :func:`attach_competency_areas`."""
    return goals.annotate(
        competency_area_ids=IdArray(
            Goal.competency_areas.through.objects.filter(goal_id=OuterRef("pk")), "interest_id"
        )
    )


def attach_competency_areas(goals: Iterable[Goal], known: Choices | None = None) -> None:
    """Each goal's competency areas from the shared content (``goal.competency_areas.all()``
    asks nothing more): the goals come from :func:`with_competency_area_ids`."""
    for goal in goals:
        known = known or choices()
        attach_interests(goal, "competency_areas", goal.competency_area_ids, known)


def match_queryset() -> QuerySet[Match]:
    """Matches with what a goal sheet page shows about them: partners, cycle, program
    and the cycle's milestones (for the due date)."""
    return Match.objects.select_related(
        "cycle__program", "mentor__applicant", "mentee__applicant"
    ).prefetch_related(Prefetch("cycle__milestones", queryset=Milestone.objects.order_by("id")))


@dataclass(frozen=True)
class GoalSheetState:
    """Where a match stands with its goal sheet on a given day."""

    status: SheetState
    due_on: dt.date | None
    overdue: bool
    revision: int | None = None
    agreed_revision: int | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.status]

    @property
    def has_agreement(self) -> bool:
        """Agreed now, or an agreed revision stands while a new one is drafted."""
        return self.agreed_revision is not None


def goal_sheet_state(
    *, match: Match, sheet: GoalSheet | None, now: dt.datetime | None = None
) -> GoalSheetState:
    """The state, due date and overdue flag of a match's sheet (no queries when the
    match comes from :func:`match_queryset`)."""
    due_on = goal_sheet_due_on(match.cycle.milestones.all())
    status = sheet.status if sheet is not None else "not_started"
    return GoalSheetState(
        status=status,
        due_on=due_on,
        overdue=is_overdue(
            status=None if sheet is None else sheet.status,
            due_on=due_on,
            program=match.cycle.program,
            now=now,
        ),
        revision=sheet.revision if sheet else None,
        agreed_revision=sheet.agreed_revision if sheet else None,
    )


@dataclass(frozen=True)
class GoalSheetSummary:
    """A match's goal sheet as people see it: its state and its current goals, each
    with its check-ins (``goal.check_in_list``, ``goal.latest_check_in``)."""

    match: Match
    sheet: GoalSheet | None
    state: GoalSheetState
    goals: list[Goal] = field(default_factory=list)
    retired_goals: list[Goal] = field(default_factory=list)

    @property
    def latest_check_in(self) -> CheckIn | None:
        latest = [g.latest_check_in for g in self.goals if g.latest_check_in]
        return max(latest, key=lambda c: (c.on, c.created_at), default=None)


def goal_sheet_summaries(
    matches: Iterable[Match], *, now: dt.datetime | None = None
) -> dict[int, GoalSheetSummary]:
    """The goal sheet summary of each match, by match id, in a fixed number of queries
    (pass matches from :func:`match_queryset` to avoid one query per cycle): the sheets,
    their goals (each with its competency areas' ids) and the goals' check-ins (each with
    its author), as the ORM's prefetches read them, with SQL written out
    (:func:`_sheets_sql`): a goal sheet page reads them on every visit, and the ORM took
    longer to compose the three queries than the database to answer them. Each goal's
    check-ins are ``goal.check_in_list`` (``goal.check_ins`` is not filled)."""
    matches = list(matches)
    ids = [m.pk for m in matches]
    sheets: dict[int, GoalSheet] = {}
    if ids:
        for row in sql.read(_sheets_sql(len(ids)), ids, _SHEET_READ):
            sheet = sql.instance(GoalSheet, _SHEET_READ, row)
            sheets[sheet.match_id] = sheet
    goals_of: dict[int, list[Goal]] = {sheet.pk: [] for sheet in sheets.values()}
    goals: dict[int, Goal] = {}
    if sheets:
        rows = sql.read(_goals_sql(len(sheets), connection.vendor), list(goals_of), GOAL_ROW_FIELDS)
        for row in rows:
            goal = goal_from_row(row)
            goal.check_in_list = []
            goals[goal.pk] = goal
            goals_of[goal.sheet_id].append(goal)
    if goals:
        split = len(_CHECK_IN_READ)
        for row in sql.read(_check_ins_sql(len(goals)), list(goals), _CHECK_IN_FIELDS):
            check_in = sql.instance(CheckIn, _CHECK_IN_READ, row[:split])
            # Its author, as select_related("author") sets it (None: the account is gone).
            CheckIn.author.field.set_cached_value(
                check_in,
                None if row[split] is None else sql.instance(User, _AUTHOR_READ, row[split:]),
            )
            goal = goals[check_in.goal_id]
            CheckIn.goal.field.set_cached_value(check_in, goal)
            goal.check_in_list.append(check_in)
    summaries = {}
    known = choices() if sheets else None
    for match in matches:
        sheet = sheets.get(match.pk)
        listed = goals_of[sheet.pk] if sheet else []
        for goal in listed:
            Goal.sheet.field.set_cached_value(goal, sheet)
            goal.latest_check_in = goal.check_in_list[0] if goal.check_in_list else None
        attach_competency_areas(listed, known)
        summaries[match.pk] = GoalSheetSummary(
            match=match,
            sheet=sheet,
            state=goal_sheet_state(match=match, sheet=sheet, now=now),
            goals=[g for g in listed if g.is_current],
            retired_goals=[g for g in listed if not g.is_current],
        )
    return summaries


_SHEET_READ = sql.model_fields(GoalSheet)
_GOAL_READ = sql.model_fields(Goal)
# What a row of goals_with_area_ids_sql holds, for sql.read: the competency areas' ids
# last, with no field of their own.
GOAL_ROW_FIELDS = (*_GOAL_READ, None)
_CHECK_IN_READ = sql.model_fields(CheckIn)
_AUTHOR_READ = sql.model_fields(User)
_CHECK_IN_FIELDS = (*_CHECK_IN_READ, *_AUTHOR_READ)


@functools.lru_cache(maxsize=32)
def _sheets_sql(matches: int) -> str:
    """The goal sheets of ``matches`` matches (their ids given)."""
    return (
        f"SELECT {sql.columns(_SHEET_READ)} FROM {sql.table(GoalSheet)} "
        f"WHERE {sql.column(GoalSheet, 'match')} IN ({sql.placeholders(range(matches))})"
    )


def goals_with_area_ids_sql(narrowed: str) -> str:
    """A written-out read of goals in sheet order, each with its competency areas' ids
    (what with_competency_area_ids reads); ``narrowed``: the joins and the WHERE that
    pick them, after ``FROM`` the goals' table. Read its rows with ``GOAL_ROW_FIELDS``,
    each a goal through :func:`goal_from_row`."""
    areas = Goal.competency_areas.through
    area_ids = (
        f"SELECT {sql.column(areas, 'interest')} FROM {sql.table(areas)} "
        f"WHERE {sql.column(areas, 'goal')} = {sql.column(Goal, 'id')}"
    )
    return (
        f"SELECT {sql.columns(_GOAL_READ)}, "
        f"{sql.id_array(area_ids, areas._meta.get_field('interest').column)} "
        f"FROM {sql.table(Goal)} {narrowed} "
        f"ORDER BY {sql.column(Goal, 'position')} ASC, {sql.column(Goal, 'id')} ASC"
    )


def goal_from_row(row) -> Goal:
    """The goal of a row of :func:`goals_with_area_ids_sql`, its areas' ids beside it."""
    goal = sql.instance(Goal, _GOAL_READ, row[:-1])
    goal.competency_area_ids = sql.id_list(row[-1])
    return goal


@functools.lru_cache(maxsize=32)
def _goals_sql(sheets: int, vendor: str) -> str:
    """The goals of ``sheets`` sheets (their ids given)."""
    del vendor  # part of the cache's key only: the SQL differs between databases
    return goals_with_area_ids_sql(
        f"WHERE {sql.column(Goal, 'sheet')} IN ({sql.placeholders(range(sheets))})"
    )


@functools.lru_cache(maxsize=32)
def _check_ins_sql(goals: int) -> str:
    """The check-ins of ``goals`` goals (their ids given), newest first, each with its
    author (select_related's LEFT OUTER JOIN: the account may be gone)."""
    return (
        f"SELECT {sql.columns(_CHECK_IN_READ)}, {sql.columns(_AUTHOR_READ)} "
        f"FROM {sql.table(CheckIn)} LEFT OUTER JOIN {sql.table(User)} "
        f"ON {sql.column(CheckIn, 'author')} = {sql.column(User, 'id')} "
        f"WHERE {sql.column(CheckIn, 'goal')} IN ({sql.placeholders(range(goals))}) "
        f"ORDER BY {sql.column(CheckIn, 'on')} DESC, {sql.column(CheckIn, 'created_at')} DESC, "
        f"{sql.column(CheckIn, 'id')} DESC"
    )


def goal_sheet_summary(match: Match, *, now: dt.datetime | None = None) -> GoalSheetSummary:
    """One match's goal sheet with its goals and their check-ins (constant queries)."""
    return goal_sheet_summaries([match], now=now)[match.pk]


def goal_sheets_of_person(user: User, *, now: dt.datetime | None = None) -> list[GoalSheetSummary]:
    """The goal sheets of the matches a person is in now (active or concluded), the
    most recent cycle first."""
    matches = match_queryset().of_person(user).current().order_by("-cycle__starts_on", "pk")
    summaries = goal_sheet_summaries(matches, now=now)
    return list(summaries.values())


def example_goals(program: Program) -> QuerySet[ExampleGoal]:
    """The examples a match of this program can start a goal from."""
    return ExampleGoal.objects.filter(program=program, is_active=True).prefetch_related(
        "competency_areas"
    )


@dataclass(frozen=True)
class SnapshotGoal:
    """A goal as a revision kept it."""

    position: int
    title: str
    specific: str
    measurable: str
    achievable: str
    relevant: str
    target_date: dt.date | None
    competency_areas: list[str]
    id: int | None = None


def revision_goals(revision: GoalSheetRevision) -> list[SnapshotGoal]:
    """The goals of a revision as they were submitted."""
    return [
        SnapshotGoal(
            position=item.get("position") or number,
            title=item.get("title", ""),
            specific=item.get("specific", ""),
            measurable=item.get("measurable", ""),
            achievable=item.get("achievable", ""),
            relevant=item.get("relevant", ""),
            target_date=dt.date.fromisoformat(item["target_date"])
            if item.get("target_date")
            else None,
            competency_areas=list(item.get("competency_areas", [])),
            id=item.get("id"),
        )
        for number, item in enumerate(revision.goals, start=1)
    ]


def revisions_of(sheet: GoalSheet) -> list[GoalSheetRevision]:
    """A sheet's submitted revisions, newest first, with who submitted and confirmed."""
    return list(
        sheet.revisions.select_related("submitted_by", "confirmed_by", "sent_back_by").order_by(
            "-number"
        )
    )


def history_of(sheet: GoalSheet) -> list[GoalSheetChange]:
    """Everything that happened to a sheet, oldest first."""
    return list(sheet.changes.select_related("by").order_by("at", "id"))


def latest_check_in_subqueries() -> dict[str, Subquery]:
    """Annotations for a goal queryset: its latest check-in's status and date."""
    latest = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-on", "-created_at", "-id")
    return {
        "latest_status": Subquery(latest.values("status")[:1]),
        "latest_on": Subquery(latest.values("on")[:1]),
    }


def meeting_subqueries(match_path: str) -> dict[str, Subquery]:
    """Annotations for a queryset reaching a match at ``match_path``: how many times its
    partners met (``meetings_count``) and for how many minutes (``meetings_minutes``)."""
    meetings = Meeting.objects.filter(match=OuterRef(match_path)).order_by().values("match")
    return {
        "meetings_count": Subquery(
            meetings.annotate(n=Count("pk")).values("n"), output_field=IntegerField()
        ),
        "meetings_minutes": Subquery(
            meetings.annotate(n=Sum("minutes")).values("n"), output_field=IntegerField()
        ),
    }


def sheet_progress_annotations() -> dict[str, Subquery]:
    """Annotations for a goal sheet queryset: ``goals_count`` (goals on the sheet now)
    and ``last_check_in_on``. Subqueries, so a long list needs no GROUP BY over every
    check-in of every goal."""
    goals = (
        Goal.objects.current()
        .filter(sheet=OuterRef("pk"))
        .order_by()
        .values("sheet")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = CheckIn.objects.filter(goal__sheet=OuterRef("pk")).order_by("-on").values("on")[:1]
    return {
        "goals_count": Coalesce(Subquery(goals, output_field=IntegerField()), 0),
        "last_check_in_on": Subquery(last, output_field=DateField()),
    }


def program_todays(
    programs: Iterable[Program], now: dt.datetime | None = None
) -> dict[int, dt.date]:
    """Each program's today in its own time zone."""
    now = now or timezone.now()
    return {p.pk: timezone.localdate(now, p.tz) for p in programs}


_GLANCE_SHEET = ("id", "match", "status", "revision", "agreed_revision", "agreed_at")


def goal_sheet_glances(
    matches: Iterable[Match], *, known: Choices | None = None, now: dt.datetime | None = None
) -> dict[int, GoalSheetSummary]:
    """What “My mentoring” shows of each match's goal sheet, by match id: the state and
    each goal's title, target date, competency areas and latest check-in (its status and
    day only). One query, the sheets joined to their goals and the goals' check-ins (a
    few short columns each, the latest picked here): the summaries' whole rows, authors
    and three queries took longer to build than the page needs, and a subquery per
    check-in column longer to compose than these rows to read. The query is written out
    (:func:`_glances_sql`): composed by the ORM on every visit, it took several times
    longer than the database took to answer it."""
    matches = list(matches)
    ids = [m.pk for m in matches]
    rows = sql.read(_glances_sql(len(ids), connection.vendor), ids, _GLANCE_FIELDS) if ids else []
    sheets: dict[int, GoalSheet] = {}
    goals: dict[int, Goal] = {}
    latest: dict[int, tuple] = {}
    for row in rows:
        pk, match_id, status, revision, agreed_revision, agreed_at, goal_id = row[:7]
        if match_id not in sheets:
            sheets[match_id] = GoalSheet(
                id=pk,
                match_id=match_id,
                status=status,
                revision=revision,
                agreed_revision=agreed_revision,
                agreed_at=agreed_at,
            )
        if goal_id is None:
            continue
        if goal_id not in goals:
            position, title, target_date, area_ids = row[7:11]
            goal = Goal(
                id=goal_id, sheet_id=pk, position=position, title=title, target_date=target_date
            )
            known = known or choices()
            attach_interests(goal, "competency_areas", sql.id_list(area_ids), known)
            goals[goal_id] = goal
        check_in = row[11:]
        # The newest by day, then by when it was written (as the goal sheet page shows).
        if check_in[2] is not None and check_in > latest.get(goal_id, ()):
            latest[goal_id] = check_in
    by_match: dict[int, list[Goal]] = {}
    sheet_match = {sheet.pk: match_id for match_id, sheet in sheets.items()}
    for goal in sorted(goals.values(), key=lambda g: (g.position is None, g.position, g.pk)):
        found = latest.get(goal.pk)
        goal.latest_check_in = (
            CheckIn(id=found[2], goal_id=goal.pk, on=found[0], created_at=found[1], status=found[3])
            if found
            else None
        )
        by_match.setdefault(sheet_match[goal.sheet_id], []).append(goal)
    summaries = {}
    for match in matches:
        sheet = sheets.get(match.pk)
        mine = by_match.get(match.pk, [])
        summaries[match.pk] = GoalSheetSummary(
            match=match,
            sheet=sheet,
            state=goal_sheet_state(match=match, sheet=sheet, now=now),
            goals=[g for g in mine if g.is_current],
            retired_goals=[g for g in mine if not g.is_current],
        )
    return summaries


# The columns goal_sheet_glances reads, in its rows' order (the areas' ids: no field).
_GLANCE_COLUMNS = (
    *((GoalSheet, "s", name) for name in _GLANCE_SHEET),
    *((Goal, "g", name) for name in ("id", "position", "title", "target_date")),
    None,
    *((CheckIn, "c", name) for name in ("on", "created_at", "id", "status")),
)
_GLANCE_FIELDS = tuple(
    column and column[0]._meta.get_field(column[2]) for column in _GLANCE_COLUMNS
)


@functools.lru_cache(maxsize=32)
def _glances_sql(matches: int, vendor: str) -> str:
    """goal_sheet_glances' query for ``matches`` match ids (``vendor``: part of the
    cache's key only, the SQL of the areas' ids differs between databases)."""
    del vendor
    areas = Goal.competency_areas.through
    area_ids = sql.id_array(
        f"SELECT {sql.column(areas, 'interest')} FROM {sql.table(areas)} "
        f"WHERE {sql.column(areas, 'goal')} = {sql.column(Goal, 'id', 'g')}",
        areas._meta.get_field("interest").column,
    )
    selected = [
        area_ids if column is None else sql.column(column[0], column[2], column[1])
        for column in _GLANCE_COLUMNS
    ]
    return (
        f"SELECT {', '.join(selected)} FROM {sql.table(GoalSheet, 's')} "
        f"LEFT OUTER JOIN {sql.table(Goal, 'g')} "
        f"ON {sql.column(Goal, 'sheet', 'g')} = {sql.column(GoalSheet, 'id', 's')} "
        f"LEFT OUTER JOIN {sql.table(CheckIn, 'c')} "
        f"ON {sql.column(CheckIn, 'goal', 'c')} = {sql.column(Goal, 'id', 'g')} "
        f"WHERE {sql.column(GoalSheet, 'match', 's')} IN ({sql.placeholders(range(matches))})"
    )
