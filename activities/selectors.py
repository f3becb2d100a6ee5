"""Reads of the activities app: the catalog, the reading list, a match's log, what to
suggest next, and the question bank the newsletter draws from.

Each read costs a fixed number of queries whatever the size of the catalog, the log or
the number of matches asked about, so list pages and the "My mentoring" dashboard stay
constant.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, F, Prefetch, Q, QuerySet, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Application, Interest
from goals.models import Goal
from matches.models import Match
from mentoring import content_cache
from mentoring.models import Cycle, Milestone, Program
from mentoring.timeline import phase_on

from .models import ANY_PHASE, PHASE_CHOICES, Activity, ActivityLogEntry, Category, Resource

PHASE_LABELS = dict(PHASE_CHOICES)


# --- The catalog -------------------------------------------------------------------------


def catalog_activities(
    *,
    program: Program | None = None,
    category: Category | None = None,
    competency_area: Interest | None = None,
    search: str = "",
) -> QuerySet[Activity]:
    """Published activities, filtered, with what the catalog shows of each."""
    activities = Activity.objects.published().for_listing()
    if program is not None:
        activities = activities.filter(program=program)
    if category is not None:
        activities = activities.filter(category=category)
    if competency_area is not None:
        activities = activities.filter(competency_areas=competency_area)
    if search.strip():
        activities = activities.search(search)
    return activities.order_by("program__position", "category__position", "position", "title")


@dataclass(frozen=True)
class CatalogChoices:
    """What the catalog's filters offer, each list loaded once."""

    programs: list[Program]
    categories: list[Category]
    competency_areas: list[Interest]


def catalog_choices() -> CatalogChoices:
    return CatalogChoices(
        programs=list(Program.objects.order_by("position", "name")),
        categories=list(Category.objects.order_by("program__position", "position", "name")),
        competency_areas=list(
            Interest.objects.filter(kind=Interest.Kind.COMPETENCY, is_active=True).order_by(
                "program__position", "position", "name"
            )
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


def match_for_partner(*, user, match_id: int) -> Match:
    """One of this person's matches, active or concluded, with what the log pages show;
    404 for anybody else's."""
    if not user.is_authenticated:
        raise Http404("No such match")
    return get_object_or_404(
        Match.objects.current()
        .of_person(user)
        .select_related("cycle__program", "mentor__applicant", "mentee__applicant")
        .prefetch_related(
            Prefetch("cycle__milestones", queryset=Milestone.objects.order_by("starts_on"))
        ),
        pk=match_id,
    )


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
    """This person's active matches in any program, with both partners' names."""
    if not user.is_authenticated:
        return []
    return list(
        Match.objects.active()
        .of_person(user)
        .select_related("cycle__program", "mentor", "mentee")
        .order_by("-cycle__starts_on", "id")
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
    """The catalog activities a log entry may pick: the program's published ones, and the
    one the entry already names even if it has since been unpublished."""
    activities = list(
        Activity.objects.published()
        .filter(program_id=match.cycle.program_id)
        .select_related("category")
        .order_by("category__position", "position", "title")
    )
    if entry is not None and entry.activity is not None and entry.activity not in activities:
        activities.append(entry.activity)
    return activities


def match_log(*, match: Match) -> list[ActivityLogEntry]:
    """Every entry of the match's log, newest first, with its activity and goals."""
    return list(ActivityLogEntry.objects.filter(match=match).for_listing().order_by("-on", "-id"))


def match_goals(*, match: Match) -> QuerySet[Goal]:
    """The goals on the match's own goal sheet, the only ones its log may name."""
    return Goal.objects.filter(sheet__match=match).order_by("position", "id")


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
) -> tuple[dict[int, list[dict]], dict[int, list[dict]]]:
    """For each match (by id): its latest ``limit`` done activities, newest first, and
    its next ``limit`` planned ones, soonest first, as plain rows (``title``, ``on``) for
    a summary. One query: each kind ranked in its own window."""
    ids = [m.pk for m in matches]
    recent: dict[int, list[dict]] = {pk: [] for pk in ids}
    planned: dict[int, list[dict]] = {pk: [] for pk in ids}
    if not ids:
        return recent, planned
    done, later = ActivityLogEntry.Status.DONE, ActivityLogEntry.Status.PLANNED

    # Newest first among the done, soonest first among the planned (the id breaks ties):
    # in each window one pair of these keys is the day and id, the other pair is NULL.
    def only(status, name):
        return Case(When(status=status, then=F(name)))

    order = [
        only(done, "on").desc(),
        only(done, "id").desc(),
        only(later, "on").asc(),
        only(later, "id").asc(),
    ]
    rows = (
        ActivityLogEntry.objects.filter(match_id__in=ids, status__in=[done, later])
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("match_id"), F("status")], order_by=order)
        )
        .filter(rank__lte=limit)
        .order_by("match_id", "status", "rank")
        .values("match_id", "status", "title", "on")
    )
    for row in rows:
        (recent if row["status"] == done else planned)[row["match_id"]].append(row)
    return recent, planned


# --- Suggested next -------------------------------------------------------------------------

# The shared cache's name for the published catalog (mentoring/content_cache.py).
CATALOG = "activity-catalog"

# How much each kind of fit weighs when ranking suggestions.
WEIGHT_GOAL_AREA = 3.0  # a competency area one of their goals develops
WEIGHT_MORE_GOALS = 1.0  # each further goal that develops the same area
WEIGHT_SHARED_INTEREST = 2.0  # an interest both partners named
WEIGHT_INTEREST = 1.0  # an interest one of them named
WEIGHT_PHASE = 2.0  # made for the phase the program is in
WEIGHT_ANY_PHASE = 0.5  # suits any time


@dataclass
class Suggestion:
    """A catalog activity suggested to a match, how well it fits and why."""

    activity: Activity
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _quoted_titles(goals: list[Goal]) -> str:
    titles = [f"“{g.title}”" for g in goals]
    if len(titles) == 1:
        return f"your goal {titles[0]}"
    return "your goals " + ", ".join(titles[:-1]) + f" and {titles[-1]}"


def _score(
    activity: Activity,
    *,
    goals_by_area: dict[int, list[Goal]],
    interests_by_role: dict[int, set[str]],
    interest_names: dict[int, str],
    phase_kinds: set[str],
) -> Suggestion:
    suggestion = Suggestion(activity)
    areas = list(activity.competency_areas.all())
    cited: set[int] = set()
    for area in areas:
        goals = goals_by_area.get(area.pk)
        if goals:
            suggestion.score += WEIGHT_GOAL_AREA + WEIGHT_MORE_GOALS * (len(goals) - 1)
            suggestion.reasons.append(f"Develops {area.name}, like {_quoted_titles(goals)}")
            cited.add(area.pk)
    for interest in [*areas, *activity.topics.all()]:
        roles = interests_by_role.get(interest.pk, set())
        if not roles:
            continue
        both = len(roles) == 2
        suggestion.score += WEIGHT_SHARED_INTEREST if both else WEIGHT_INTEREST
        if interest.pk in cited:
            continue
        name = interest_names.get(interest.pk, interest.name)
        if both:
            suggestion.reasons.append(f"You both named {name} among your interests")
        else:
            suggestion.reasons.append(f"The {next(iter(roles))} named {name} among their interests")
    if activity.phase in phase_kinds:
        suggestion.score += WEIGHT_PHASE
        suggestion.reasons.append(
            f"Made for this time of the program: {PHASE_LABELS[activity.phase].lower()}"
        )
    elif activity.phase == ANY_PHASE:
        suggestion.score += WEIGHT_ANY_PHASE
        if not suggestion.reasons:
            suggestion.reasons.append("Good at any time of the program year")
    if not suggestion.reasons:
        suggestion.reasons.append(
            f"From the {activity.category.name.lower()} suggestions; best during "
            f"{PHASE_LABELS[activity.phase].lower()}"
        )
    return suggestion


def published_catalog() -> dict[int, list[Activity]]:
    """Each program's published activities (by program id) with their category,
    competency areas and topics, in catalog order: the same for everyone, so from the
    shared cache while staff have not changed the catalog (see ``apps.py``)."""

    def load() -> dict[int, list[Activity]]:
        catalog: dict[int, list[Activity]] = defaultdict(list)
        for activity in (
            Activity.objects.published()
            .for_listing()
            .prefetch_related("topics")
            .order_by("category__position", "position", "id")
        ):
            catalog[activity.program_id].append(activity)
        return dict(catalog)

    return content_cache.kept(CATALOG, load)


def _with_timeline(match: Match) -> bool:
    """Whether the match came with its cycle, program and milestones (the dashboard's
    matches do), so they need not be read again."""
    if not Match.cycle.is_cached(match):
        return False
    cycle = match.cycle
    return type(cycle).program.is_cached(cycle) and "milestones" in getattr(
        cycle, "_prefetched_objects_cache", {}
    )


def suggested_activities(
    *,
    matches: Sequence[Match],
    limit: int = 5,
    day: dt.date | None = None,
    goals_by_match: dict[int, list[Goal]] | None = None,
) -> dict[int, list[Suggestion]]:
    """For each match (by id), the catalog activities it has not logged yet (done or
    planned), best fit first: the competency areas of its goals, both partners'
    interests, and the program's phase on ``day`` (the program's today by default).

    Nine queries whatever the number of matches, goals, interests or activities; one
    when the caller already holds the goals (``goals_by_match``, with their competency
    areas) and the partners' applications with their interests prefetched.
    """
    ids = [m.pk for m in matches]
    if not ids:
        return {}
    if not all(_with_timeline(m) for m in matches):
        matches = list(
            Match.objects.filter(pk__in=ids)
            .select_related("cycle__program")
            .prefetch_related(Prefetch("cycle__milestones"))
        )

    goals_of: dict[int, list[Goal]] = defaultdict(list)
    if goals_by_match is not None:
        goals_of.update(goals_by_match)
    else:
        for goal in (
            Goal.objects.filter(sheet__match_id__in=ids)
            .select_related("sheet")
            .prefetch_related("competency_areas")
            .order_by("position", "id")
        ):
            goals_of[goal.sheet.match_id].append(goal)

    interests_of, interest_names = _partner_interests(matches)

    logged: dict[int, set[int]] = defaultdict(set)
    for match_id, activity_id in ActivityLogEntry.objects.filter(
        match_id__in=ids, activity__isnull=False
    ).values_list("match_id", "activity_id"):
        logged[match_id].add(activity_id)

    catalog = published_catalog()

    suggestions: dict[int, list[Suggestion]] = {}
    for match in matches:
        program = match.cycle.program
        phase = phase_on(list(match.cycle.milestones.all()), day or program.today())
        goals_by_area: dict[int, list[Goal]] = defaultdict(list)
        for goal in goals_of[match.pk]:
            for area in goal.competency_areas.all():
                goals_by_area[area.pk].append(goal)
        ranked = [
            _score(
                activity,
                goals_by_area=goals_by_area,
                interests_by_role=interests_of[match.pk],
                interest_names=interest_names,
                phase_kinds={m.kind for m in phase.current},
            )
            for activity in catalog.get(program.pk, [])
            if activity.pk not in logged[match.pk]
        ]
        # Python's sort is stable: equal scores keep the catalog's order.
        ranked.sort(key=lambda s: -s.score)
        suggestions[match.pk] = ranked[:limit]
    return {pk: suggestions.get(pk, []) for pk in ids}


def _partner_interests(
    matches: Sequence[Match],
) -> tuple[dict[int, dict[int, set[str]]], dict[int, str]]:
    """Each match's interests (by id, with the roles that named them), and their names:
    from the applications' prefetched interests when every one has them, else one query.
    Each partner's interests are those of the application they chose them on; a mentor's
    one application can serve several matches (up to three mentees)."""
    roles_of_application: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for match in matches:
        roles_of_application[match.mentor_id].append((match.pk, Application.Role.MENTOR.value))
        roles_of_application[match.mentee_id].append((match.pk, Application.Role.MENTEE.value))
    applications = [a for m in matches for a in (m.mentor, m.mentee)]
    if all("interests" in getattr(a, "_prefetched_objects_cache", {}) for a in applications):
        rows = {(a.pk, i.pk, i.name) for a in applications for i in a.interests.all()}
    else:
        rows = Application.interests.through.objects.filter(
            application_id__in=roles_of_application
        ).values_list("application_id", "interest_id", "interest__name")
    interests_of: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    interest_names: dict[int, str] = {}
    for application_id, interest_id, name in rows:
        for match_id, role in roles_of_application[application_id]:
            interests_of[match_id][interest_id].add(role)
        interest_names[interest_id] = name
    return interests_of, interest_names


def suggestions_for_match(*, match: Match, limit: int = 5) -> list[Suggestion]:
    return suggested_activities(matches=[match], limit=limit)[match.pk]
