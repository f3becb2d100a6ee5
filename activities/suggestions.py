"""What to suggest a match next from the published catalog, best fit first (a part of
the activities app's reads; ``selectors`` offers these names too).

A fixed number of queries whatever the number of matches, goals, interests or activities.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext

from applications.models import Application
from goals.models import Goal
from goals.selectors import attach_competency_areas, with_competency_area_ids
from matches.models import Match
from mentoring import content_cache, sql
from mentoring.timeline import phase_on

from .models import ANY_PHASE, PHASE_CHOICES, Activity, ActivityLogEntry

PHASE_LABELS = dict(PHASE_CHOICES)

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
        return gettext("your goal %(title)s") % {"title": titles[0]}
    return gettext("your goals %(titles)s and %(last)s") % {
        "titles": ", ".join(titles[:-1]),
        "last": titles[-1],
    }


def _score(
    activity: Activity,
    *,
    goals_by_area: dict[int, list[Goal]],
    interests_by_role: dict[int, set[str]],
    phase_kinds: set[str],
    fits: dict[int, tuple[list, list]] | None = None,
    explain: bool = True,
) -> Suggestion:
    """``fits``: each activity's competency areas and topics by its id, as far as the
    caller read them already (scoring it for another match); filled here. Without
    ``explain``, the score alone: the reasons are written for the few suggestions shown,
    not for every activity of the catalog."""
    suggestion = Suggestion(activity)
    if fits is None:
        fits = {}
    if activity.pk not in fits:
        fits[activity.pk] = getattr(activity, "areas_and_topics", None) or (
            list(activity.competency_areas.all()),
            list(activity.topics.all()),
        )
    areas, topics = fits[activity.pk]
    if not explain:
        return _score_alone(
            suggestion, areas, topics, goals_by_area, interests_by_role, phase_kinds
        )
    cited: set[int] = set()
    for area in areas:
        goals = goals_by_area.get(area.pk)
        if goals:
            suggestion.score += WEIGHT_GOAL_AREA + WEIGHT_MORE_GOALS * (len(goals) - 1)
            suggestion.reasons.append(
                gettext("Develops %(area)s, like %(goals)s")
                % {"area": area.name, "goals": _quoted_titles(goals)}
            )
            cited.add(area.pk)
    for interest in [*areas, *topics]:
        roles = interests_by_role.get(interest.pk, set())
        if not roles:
            continue
        both = len(roles) == 2
        suggestion.score += WEIGHT_SHARED_INTEREST if both else WEIGHT_INTEREST
        if interest.pk in cited:
            continue
        # The catalog's interest: its name in the reader's language.
        name = interest.name
        if both:
            suggestion.reasons.append(
                gettext("You both named %(interest)s among your interests") % {"interest": name}
            )
        else:
            said = (
                gettext("The mentor named %(interest)s among their interests")
                if next(iter(roles)) == Application.Role.MENTOR
                else gettext("The mentee named %(interest)s among their interests")
            )
            suggestion.reasons.append(said % {"interest": name})
    if activity.phase in phase_kinds:
        suggestion.score += WEIGHT_PHASE
        suggestion.reasons.append(
            gettext("Made for this time of the program: %(phase)s")
            % {"phase": str(PHASE_LABELS[activity.phase]).lower()}
        )
    elif activity.phase == ANY_PHASE:
        suggestion.score += WEIGHT_ANY_PHASE
        if not suggestion.reasons:
            suggestion.reasons.append(gettext("Good at any time of the program year"))
    if not suggestion.reasons:
        suggestion.reasons.append(
            gettext("From the %(category)s suggestions; best during %(phase)s")
            % {
                "category": activity.category.name.lower(),
                "phase": str(PHASE_LABELS[activity.phase]).lower(),
            }
        )
    return suggestion


def _score_alone(
    suggestion: Suggestion,
    areas: list,
    topics: list,
    goals_by_area: dict[int, list[Goal]],
    interests_by_role: dict[int, set[str]],
    phase_kinds: set[str],
) -> Suggestion:
    """:func:`_score`'s score, with no reason written: the same weights, added the same way."""
    activity = suggestion.activity
    for area in areas:
        goals = goals_by_area.get(area.pk)
        if goals:
            suggestion.score += WEIGHT_GOAL_AREA + WEIGHT_MORE_GOALS * (len(goals) - 1)
    for interest in [*areas, *topics]:
        roles = interests_by_role.get(interest.pk)
        if roles:
            suggestion.score += WEIGHT_SHARED_INTEREST if len(roles) == 2 else WEIGHT_INTEREST
    if activity.phase in phase_kinds:
        suggestion.score += WEIGHT_PHASE
    elif activity.phase == ANY_PHASE:
        suggestion.score += WEIGHT_ANY_PHASE
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
            # What every match's suggestions read of it, as lists kept with the copy:
            # asking the prefetched managers made two querysets per activity and match.
            activity.areas_and_topics = (
                list(activity.competency_areas.all()),
                list(activity.topics.all()),
            )
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
    logged_by_match: dict[int, set[int]] | None = None,
    catalog: dict[int, list[Activity]] | None = None,
) -> dict[int, list[Suggestion]]:
    """For each match (by id), the catalog activities it has not logged yet (done or
    planned), best fit first: the competency areas of its goals, both partners'
    interests, and the program's phase on ``day`` (the program's today by default).

    Nine queries whatever the number of matches, goals, interests or activities; one
    when the caller already holds the goals (``goals_by_match``, with their competency
    areas) and the partners' applications with their interests prefetched; none more
    when it holds the catalog activities each match logged (``logged_by_match``);
    ``catalog``: :func:`published_catalog`, when the caller read it already.
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
        goals = list(
            with_competency_area_ids(Goal.objects.filter(sheet__match_id__in=ids))
            .select_related("sheet")
            .order_by("position", "id")
        )
        attach_competency_areas(goals)
        for goal in goals:
            goals_of[goal.sheet.match_id].append(goal)

    interests_of = _partner_interests(matches)

    logged: dict[int, set[int]] = defaultdict(set)
    if logged_by_match is not None:
        logged.update(logged_by_match)
    else:
        for match_id, activity_id in ActivityLogEntry.objects.filter(
            match_id__in=ids, activity__isnull=False
        ).values_list("match_id", "activity_id"):
            logged[match_id].add(activity_id)

    if catalog is None:
        catalog = published_catalog()

    suggestions: dict[int, list[Suggestion]] = {}
    fits: dict[int, tuple[list, list]] = {}  # each activity's, read once for every match
    for match in matches:
        program = match.cycle.program
        phase = phase_on(list(match.cycle.milestones.all()), day or program.today())
        goals_by_area: dict[int, list[Goal]] = defaultdict(list)
        for goal in goals_of[match.pk]:
            for area in goal.competency_areas.all():
                goals_by_area[area.pk].append(goal)
        fit = {
            "goals_by_area": goals_by_area,
            "interests_by_role": interests_of[match.pk],
            "phase_kinds": {m.kind for m in phase.current},
            "fits": fits,
        }
        ranked = [
            _score(activity, explain=False, **fit)
            for activity in catalog.get(program.pk, [])
            if activity.pk not in logged[match.pk]
        ]
        # Python's sort is stable: equal scores keep the catalog's order.
        ranked.sort(key=lambda s: -s.score)
        suggestions[match.pk] = [_score(s.activity, **fit) for s in ranked[:limit]]
    return {pk: suggestions.get(pk, []) for pk in ids}


def _partner_interests(
    matches: Sequence[Match],
) -> dict[int, dict[int, set[str]]]:
    """Each match's interests (by id, with the roles that named them): from the
    applications' prefetched interests when every one has them, else one query.
    Each partner's interests are those of the application they chose them on; a mentor's
    one application can serve several matches (up to three mentees)."""
    roles_of_application: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for match in matches:
        roles_of_application[match.mentor_id].append((match.pk, Application.Role.MENTOR.value))
        roles_of_application[match.mentee_id].append((match.pk, Application.Role.MENTEE.value))
    # Only partners already loaded with the match are looked at: reading one would be a
    # query per match.
    loaded = all(Match.mentor.is_cached(m) and Match.mentee.is_cached(m) for m in matches)
    applications = [a for m in matches for a in (m.mentor, m.mentee)] if loaded else []
    if all(
        hasattr(m, "mentor_interest_ids") and hasattr(m, "mentee_interest_ids") for m in matches
    ):
        # Read beside the match (current_match_with_partners with ``chosen``).
        rows = {
            (application_id, interest_id)
            for m in matches
            for application_id, ids in (
                (m.mentor_id, m.mentor_interest_ids),
                (m.mentee_id, m.mentee_interest_ids),
            )
            for interest_id in ids
        }
    elif loaded and all(
        "interests" in getattr(a, "_prefetched_objects_cache", {}) for a in applications
    ):
        rows = {(a.pk, i.pk) for a in applications for i in a.interests.all()}
    else:
        # Written out (_interests_sql): what
        # ``Application.interests.through.objects.filter(application_id__in=...)
        # .values_list("application_id", "interest_id")`` reads, without composing it on
        # every visit.
        listed = list(roles_of_application)
        rows = sql.read(_interests_sql(len(listed)), listed, _INTEREST_FIELDS)
    interests_of: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for application_id, interest_id in rows:
        for match_id, role in roles_of_application[application_id]:
            interests_of[match_id][interest_id].add(role)
    return interests_of


_CHOSEN = Application.interests.through
_INTEREST_FIELDS = (_CHOSEN._meta.get_field("application"), _CHOSEN._meta.get_field("interest"))


@functools.lru_cache(maxsize=32)
def _interests_sql(applications: int) -> str:
    """The interests chosen on ``applications`` applications (their ids given): each
    application's id and the interest's id (its name comes with the catalog's interest,
    in the reader's language)."""
    return (
        f"SELECT {sql.column(_CHOSEN, 'application')}, {sql.column(_CHOSEN, 'interest')} "
        f"FROM {sql.table(_CHOSEN)} "
        f"WHERE {sql.column(_CHOSEN, 'application')} "
        f"IN ({sql.placeholders(range(applications))})"
    )


def suggestions_for_match(
    *,
    match: Match,
    limit: int = 5,
    logged: set[int] | None = None,
    goals: list[Goal] | None = None,
    catalog: dict[int, list[Activity]] | None = None,
) -> list[Suggestion]:
    """What to suggest one match; ``logged``: the catalog activities it logged, when the
    caller holds its whole log; ``goals``: its goals with their competency areas, and
    ``catalog``: the published catalog, when the caller holds them."""
    return suggested_activities(
        matches=[match],
        limit=limit,
        logged_by_match=None if logged is None else {match.pk: logged},
        goals_by_match=None if goals is None else {match.pk: goals},
        catalog=catalog,
    )[match.pk]
