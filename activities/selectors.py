"""Reads of the activities app: the catalog, the reading list, a match's log, what to
suggest next, and the question bank the newsletter draws from.

Each read costs a fixed number of queries whatever the size of the catalog, the log or
the number of matches asked about, so list pages and the "My mentoring" dashboard stay
constant.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname, get_language

from applications.models import Application, Interest
from applications.selectors import choices
from goals.models import Goal, GoalSheet
from matches.models import Match
from matches.selectors import current_match_with_partners, match_and_partners_from
from mentoring import content_cache, sql
from mentoring import selectors as program_selectors
from mentoring.models import Cycle, Program

from .models import ANY_PHASE, PHASE_CHOICES, Activity, ActivityLogEntry, Category, Resource

PHASE_LABELS = dict(PHASE_CHOICES)


# --- The catalog -------------------------------------------------------------------------


def catalog_activities(
    *,
    program: Program | None = None,
    category: Category | None = None,
    competency_area: Interest | None = None,
    search: str = "",
) -> Sequence[Activity]:
    """Published activities, filtered, with what the catalog shows of each (program,
    category, competency areas), in catalog order. Without a search they come from the
    shared copy of the published catalog (:func:`published_catalog`), filtered here:
    no query; a search asks the database."""
    if search.strip():
        activities = Activity.objects.published().for_listing().search(search)
        if program is not None:
            activities = activities.filter(program=program)
        if category is not None:
            activities = activities.filter(category=category)
        if competency_area is not None:
            activities = activities.filter(competency_areas=competency_area)
        return activities.order_by("program__position", "category__position", "position", "title")
    rows = [a for listed in published_catalog().values() for a in listed]
    if program is not None:
        rows = [a for a in rows if a.program_id == program.pk]
    if category is not None:
        rows = [a for a in rows if a.category_id == category.pk]
    if competency_area is not None:
        rows = [
            a for a in rows if any(i.pk == competency_area.pk for i in a.competency_areas.all())
        ]
    return sorted(
        rows, key=lambda a: (a.program.position, a.category.position, a.position, a.title)
    )


@dataclass(frozen=True)
class CatalogChoices:
    """What the catalog's filters offer, each list loaded once."""

    programs: list[Program]
    categories: list[Category]
    competency_areas: list[Interest]


# The categories the catalog's filters offer: the same for everyone, kept in the shared
# cache until staff change them (``apps.py``; the loader says so itself).
CATALOG_FILTERS = "activity-catalog-filters"


def catalog_choices() -> CatalogChoices:
    """The programs, categories and competency areas in the filters' order, from the
    shared content (programs, categories, the applications' interests): no query while
    unchanged."""
    programs = sorted(program_selectors.programs(), key=lambda p: (p.position, p.name))
    position = {p.pk: p.position for p in programs}
    categories = content_cache.kept(CATALOG_FILTERS, lambda: list(Category.objects.all()))
    areas = [
        i
        for i in choices().interests.values()
        if i.kind == Interest.Kind.COMPETENCY and i.is_active
    ]
    return CatalogChoices(
        programs=programs,
        categories=sorted(
            categories, key=lambda c: (position.get(c.program_id, 0), c.position, c.name)
        ),
        competency_areas=sorted(
            areas, key=lambda i: (position.get(i.program_id, 0), i.position, i.name)
        ),
    )


def activity_get(*, program_slug: str, slug: str) -> Activity:
    """A published activity with its category, competency areas and resources (404 if
    there is none)."""
    return get_object_or_404(
        Activity.objects.published()
        .for_listing()
        .prefetch_related(
            Prefetch("resources", queryset=Resource.objects.filter(is_published=True)),
            "topics",
        ),
        program__slug=program_slug,
        slug=slug,
    )


def reading_list(*, program: Program | None = None) -> list[Resource]:
    """Published resources in reference-list order, each with the published activities
    it goes with; for a program, its own and those shared by every program."""
    resources = Resource.objects.filter(is_published=True).prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.published()
            .select_related("program")
            .order_by("program__position", "title"),
        )
    )
    if program is not None:
        resources = resources.filter(Q(program=program) | Q(program__isnull=True))
    return sorted(resources, key=lambda r: r.sort_key)


# --- The newsletter's picks ---------------------------------------------------------------


def discussion_questions(*, program: Program) -> QuerySet[Activity]:
    """The program's question bank in the catalog's order."""
    return (
        Activity.objects.discussion_questions()
        .filter(program=program)
        .select_related("category")
        .order_by("category__position", "position", "id")
    )


def next_discussion_question(*, cycle: Cycle, used: Iterable[int | None] = ()) -> Activity | None:
    """The first question of the cycle's program bank not among ``used`` (ids of the
    activities whose question an issue already asked; ``None`` is ignored), or ``None``
    once every question has been asked. The newsletter keeps which it used."""
    used_ids = {pk for pk in used if pk is not None}
    return discussion_questions(program=cycle.program).exclude(pk__in=used_ids).first()


def activities_for_phase(
    *,
    program: Program,
    phase: str,
    exclude: Iterable[int | None] = (),
    limit: int = 3,
) -> list[Activity]:
    """Published activities to feature in a phase (a milestone kind): those made for it
    first, then those that suit any time; ``exclude`` holds ids featured before."""
    excluded = {pk for pk in exclude if pk is not None}
    activities = (
        Activity.objects.published()
        .for_listing()
        .filter(program=program, phase__in=[phase, ANY_PHASE])
        .exclude(pk__in=excluded)
        .order_by("category__position", "position", "id")
    )
    ordered = sorted(activities, key=lambda a: a.phase != phase)
    return ordered[:limit]


# --- A match's log --------------------------------------------------------------------------


def match_for_partner(*, user, match_id: int, chosen: bool = False) -> Match:
    """One of this person's matches, active or concluded, with what the log pages show;
    404 for anybody else's. With ``chosen``, each partner's interests as ids beside it
    (for the suggestions: no query of their own)."""
    if not user.is_authenticated:
        raise Http404("No such match")
    # Read with its partners' applications alone, which tell whether this person is one
    # of them (and name them): no subquery of their applications, no join of the cycle,
    # program or accounts, and SQL written out, not composed on every visit. The cycle,
    # its program and milestones (the phase, for the suggestions) come from the shared
    # content.
    match = current_match_with_partners(match_id, chosen=chosen)
    if match is None or match.role_of(user) is None:
        raise Http404("No such match")
    program_selectors.with_shared_cycle(match)
    return match


def active_matches_in_program(*, user, program: Program) -> list[Match]:
    """This person's active matches in a program (for "Plan this" on an activity page)."""
    if not user.is_authenticated:
        return []
    return list(
        Match.objects.active()
        .of_person(user)
        .filter(cycle__program=program)
        .select_related("cycle", "mentor", "mentee")
    )


def active_matches_of(user) -> list[Match]:
    """This person's active matches in any program, with both partners' names and the
    cycle and program (from the programs' shared content): what the catalog links."""
    if not user.is_authenticated:
        return []
    # Written out (the catalog asks on every visit), as Match.objects.active().of_person()
    # with the partners' names only, newest cycle first: the ORM took longer to compose
    # the query than the database to answer it.
    matches = []
    statement = _active_matches_sql(connection.vendor)
    for row in sql.read(statement, [Match.Status.ACTIVE, user.pk, user.pk], _ACTIVE_READ):
        match = sql.instance(Match, _MATCH_KEYS, row[:4])
        for partner, values in ((Match.mentor, row[4:8]), (Match.mentee, row[8:12])):
            named = sql.instance(Application, _NAMED_READ, values)
            partner.field.set_cached_value(match, named)
        matches.append(match)
    cycles = {c.pk: c for p in program_selectors.programs() for c in p.cycles.all()}
    for match in matches:
        if match.cycle_id in cycles:
            match.cycle = cycles[match.cycle_id]
        # else: a cycle the shared content does not know yet is read when asked for.
    return matches


_MATCH_KEYS = sql.model_fields(Match, ["cycle", "mentor", "mentee"])
# In the model's order, as from_db reads a row's values.
_NAMED_READ = sql.model_fields(Application, ["preferred_name", "full_name", "anonymised_at"])
_ACTIVE_READ = (*_MATCH_KEYS, *_NAMED_READ, *_NAMED_READ)


@functools.lru_cache(maxsize=2)
def _active_matches_sql(vendor: str) -> str:
    del vendor  # part of the key only: any_of differs between databases
    own = (
        f"SELECT {sql.column(Application, 'id')} FROM {sql.table(Application)} "
        f"WHERE {sql.column(Application, 'applicant')} = %s"
    )
    return (
        f"SELECT {sql.columns(_MATCH_KEYS, 'm')}, "
        f"{sql.columns(_NAMED_READ, 'mentor')}, {sql.columns(_NAMED_READ, 'mentee')} "
        f"{match_and_partners_from()} INNER JOIN {sql.table(Cycle, 'c')} "
        f"ON {sql.column(Cycle, 'id', 'c')} = {sql.column(Match, 'cycle', 'm')} "
        f"WHERE {sql.column(Match, 'status', 'm')} = %s "
        f"AND ({sql.any_of(sql.column(Match, 'mentor', 'm'), own)} "
        f"OR {sql.any_of(sql.column(Match, 'mentee', 'm'), own)}) "
        f"ORDER BY {sql.column(Cycle, 'starts_on', 'c')} DESC, {sql.column(Match, 'id', 'm')}"
    )


def logged_by_matches(
    *, activity: Activity, matches: Sequence[Match]
) -> dict[int, ActivityLogEntry]:
    """For each of these matches that logged the activity, its latest entry of it."""
    if not matches:
        return {}
    logged: dict[int, ActivityLogEntry] = {}
    for entry in ActivityLogEntry.objects.filter(match__in=matches, activity=activity).order_by(
        "on", "id"
    ):
        logged[entry.match_id] = entry
    return logged


def log_activity_choices(*, match: Match, entry: ActivityLogEntry | None = None) -> list[Activity]:
    """The catalog activities a log entry may pick: the program's published ones in
    catalog order, and last the one the entry already names even if it has since been
    unpublished. Each with only what the form and the log's services read of it (its
    title, program and whether it is published, and its category's name, every language
    of both) and nothing else loaded. Written out (:func:`_choices_sql`), one query with
    the entry's activity: whole activities and categories, built through the ORM, took
    a third of a post of the form."""
    program_id = match.cycle.program_id
    named = entry.activity_id if entry is not None else None
    params = [True, program_id] if named is None else [True, program_id, named]
    listed, others = [], []
    split = len(_CHOICE_READ)
    for row in sql.read(_choices_sql(get_language(), named is not None), params, _CHOICE_FIELDS):
        activity = sql.instance(Activity, _CHOICE_READ, row[:split])
        Activity.category.field.set_cached_value(
            activity, sql.instance(Category, _CHOICE_CATEGORY_READ, row[split:])
        )
        if activity.is_published and activity.program_id == program_id:
            listed.append(activity)
        else:
            others.append(activity)
    return listed + others


_CHOICE_READ = sql.model_fields(
    Activity,
    [
        "program",
        "category",
        "is_published",
        "title",
        *(build_localized_fieldname("title", lang) for lang in AVAILABLE_LANGUAGES),
    ],
)
_CHOICE_CATEGORY_READ = sql.model_fields(
    Category, ["name", *(build_localized_fieldname("name", lang) for lang in AVAILABLE_LANGUAGES)]
)
_CHOICE_FIELDS = (*_CHOICE_READ, *_CHOICE_CATEGORY_READ)


@functools.lru_cache(maxsize=8)
def _choices_sql(language: str, with_named: bool) -> str:
    """log_activity_choices' query: the published activities of a program (``True`` and
    its id given), and with ``with_named`` the one of an id given after them, in the
    order the ORM read them, ``order_by("category__position", "position", "title")``
    (modeltranslation sorts the titles by the reader's language's column)."""
    narrowed = (
        f"{sql.column(Activity, 'is_published')} = %s AND {sql.column(Activity, 'program')} = %s"
    )
    if with_named:
        narrowed = f"({narrowed}) OR {sql.column(Activity, 'id')} = %s"
    title = build_localized_fieldname("title", language)
    return (
        f"SELECT {sql.columns(_CHOICE_READ)}, {sql.columns(_CHOICE_CATEGORY_READ)} "
        f"FROM {sql.table(Activity)} INNER JOIN {sql.table(Category)} "
        f"ON {sql.column(Activity, 'category')} = {sql.column(Category, 'id')} "
        f"WHERE {narrowed} "
        f"ORDER BY {sql.column(Category, 'position')} ASC, "
        f"{sql.column(Activity, 'position')} ASC, {sql.column(Activity, title)} ASC"
    )


def match_goals(*, match: Match) -> list[Goal]:
    """The goals on the match's own goal sheet, the only ones its log may name, in sheet
    order. Written out (:func:`_match_goals_sql`): the form reads them once, to draw and
    to check its choices."""
    return [
        sql.instance(Goal, _GOAL_READ, row)
        for row in sql.read(_match_goals_sql(), [match.pk], _GOAL_READ)
    ]


_GOAL_READ = sql.model_fields(Goal)


@functools.cache
def _match_goals_sql() -> str:
    return (
        f"SELECT {sql.columns(_GOAL_READ)} FROM {sql.table(Goal)} "
        f"INNER JOIN {sql.table(GoalSheet)} "
        f"ON {sql.column(Goal, 'sheet')} = {sql.column(GoalSheet, 'id')} "
        f"WHERE {sql.column(GoalSheet, 'match')} = %s "
        f"ORDER BY {sql.column(Goal, 'position')} ASC, {sql.column(Goal, 'id')} ASC"
    )


def log_entry_get(*, match: Match, entry_id: int) -> ActivityLogEntry:
    return get_object_or_404(
        ActivityLogEntry.objects.select_related("activity", "recorded_by").prefetch_related(
            "goals"
        ),
        match=match,
        pk=entry_id,
    )


def _latest_per_match(
    entries: QuerySet[ActivityLogEntry], matches: Sequence[Match], limit: int, order: list
) -> dict[int, list[ActivityLogEntry]]:
    ids = [m.pk for m in matches]
    rows = (
        entries.filter(match_id__in=ids)
        .for_listing()
        .annotate(rank=Window(RowNumber(), partition_by=[F("match_id")], order_by=order))
        .filter(rank__lte=limit)
        .order_by("match_id", "rank")
    )
    by_match: dict[int, list[ActivityLogEntry]] = {pk: [] for pk in ids}
    for entry in rows:
        by_match[entry.match_id].append(entry)
    return by_match


def recent_activities(
    *, matches: Sequence[Match], limit: int = 3
) -> dict[int, list[ActivityLogEntry]]:
    """For each match (by id), its latest ``limit`` done activities, newest first. Two
    queries whatever the number of matches or the length of their logs."""
    return _latest_per_match(
        ActivityLogEntry.objects.done(), matches, limit, [F("on").desc(), F("id").desc()]
    )


def planned_activities(
    *, matches: Sequence[Match], limit: int = 3
) -> dict[int, list[ActivityLogEntry]]:
    """For each match (by id), its next ``limit`` planned activities, soonest first."""
    return _latest_per_match(
        ActivityLogEntry.objects.planned(), matches, limit, [F("on").asc(), F("id").asc()]
    )


def recent_and_planned_titles(
    *, matches: Sequence[Match], limit: int = 3
) -> tuple[dict[int, list[dict]], dict[int, list[dict]], dict[int, set[int]]]:
    """For each match (by id): its latest ``limit`` done activities, newest first, and
    its next ``limit`` planned ones, soonest first, as plain rows (``title``, ``on``) for
    a summary; and the catalog activities it logged, done or planned (what
    :func:`suggested_activities` leaves out). One query of a few columns of each entry,
    ranked here: a year's log is a few dozen short rows, and ranking them in SQL (a
    window per kind, filtered in a subquery) took the ORM several times longer to
    compose than reading them all. Written out (:func:`_titles_sql`), unsorted: the
    ORM took longer to compose even this plain query than the database to answer it,
    and the entries' default order joined the match, its cycle and its program for
    nothing."""
    ids = [m.pk for m in matches]
    recent: dict[int, list[dict]] = {pk: [] for pk in ids}
    planned: dict[int, list[dict]] = {pk: [] for pk in ids}
    logged: dict[int, set[int]] = {pk: set() for pk in ids}
    if not ids:
        return recent, planned, logged
    done, later = ActivityLogEntry.Status.DONE, ActivityLogEntry.Status.PLANNED
    rows = sql.read(_titles_sql(len(ids)), [*ids, done, later], _TITLE_FIELDS)
    ranked: dict[tuple[int, str], list[tuple]] = {}
    for match_id, status, title, on, pk, activity_id in rows:
        if activity_id is not None:
            logged[match_id].add(activity_id)
        ranked.setdefault((match_id, status), []).append((on, pk, title))
    for (match_id, status), entries in ranked.items():
        # Newest first among the done, soonest first among the planned; the id breaks ties.
        entries.sort(reverse=status == done)
        (recent if status == done else planned)[match_id].extend(
            {"match_id": match_id, "status": status, "title": title, "on": on}
            for on, _, title in entries[:limit]
        )
    return recent, planned, logged


_TITLE_FIELDS = tuple(
    ActivityLogEntry._meta.get_field(name)
    for name in ("match", "status", "title", "on", "id", "activity")
)


@functools.lru_cache(maxsize=32)
def _titles_sql(matches: int) -> str:
    """recent_and_planned_titles' query for ``matches`` match ids and two statuses."""
    return (
        f"SELECT {', '.join(sql.column(ActivityLogEntry, f.name) for f in _TITLE_FIELDS)} "
        f"FROM {sql.table(ActivityLogEntry)} "
        f"WHERE {sql.column(ActivityLogEntry, 'match')} IN ({sql.placeholders(range(matches))}) "
        f"AND {sql.column(ActivityLogEntry, 'status')} IN (%s, %s)"
    )


# What to suggest next lives in its own module; its names are offered here too.
from .log_page import LogPage, log_page  # noqa: E402
from .suggestions import (  # noqa: E402
    CATALOG,
    Suggestion,
    published_catalog,
    suggested_activities,
    suggestions_for_match,
)

__all__ = [
    "CATALOG",
    "LogPage",
    "log_page",
    "Suggestion",
    "published_catalog",
    "suggested_activities",
    "suggestions_for_match",
]
