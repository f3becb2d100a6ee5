"""The year's report for the committee: for each of the program's objectives, the
evidence the year produced. Goals by competency area and their final outcomes,
activities by catalog category, the closing survey's answers per objective, retention
(matches concluded and dissolved, with the reasons), hours met (the meetings the
partners recorded), and the people who come back. One page in admin, a PDF and a CSV,
all from :func:`year_report`, in a fixed number of queries however many matches, goals
and answers.

Which sections bear on which objective is data (``data/year_report.json``), so a program
with other objectives needs no code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals.models import Goal
from matches import alumni
from matches.models import Match
from mentoring.models import Cycle, ProgramObjective

from .cycle_data import CycleData
from .models import Survey
from .results import ObjectiveResult, SurveyResults, survey_results
from .sections import MeetingHours, activity_by_month, meeting_hours

EVIDENCE_FILE = Path(__file__).parent / "data" / "year_report.json"
NO_AREA = _("No competency area")
NOT_RECORDED = _("Not recorded")
OUTCOMES = [*(label for _, label in Goal.Outcome.choices), NOT_RECORDED]
SECTIONS = {
    "goals": _("Goals and outcomes"),
    "activities": _("Activities"),
    "retention": _("Retention"),
    "hours": _("Hours met"),
    "returning": _("Returning people"),
}


@dataclass(frozen=True)
class AreaOutcomes:
    """The goals that develop one competency area, by final outcome (a goal counts in
    each of its areas)."""

    area: str
    outcomes: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())


@dataclass(frozen=True)
class Retention:
    concluded: int
    concluded_early: int
    dissolved: int
    active: int
    dissolved_reasons: list[tuple[str, int]]
    early_reasons: list[tuple[str, int]]

    @property
    def matches(self) -> int:
        return self.concluded + self.dissolved + self.active

    @property
    def concluded_share(self) -> float | None:
        return self.concluded / self.matches if self.matches else None


@dataclass(frozen=True)
class Evidence:
    section: str
    label: str
    summary: str


@dataclass(frozen=True)
class ObjectiveEvidence:
    objective: ProgramObjective
    survey: ObjectiveResult | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class YearReport:
    cycle: Cycle
    today: dt.date
    as_of: dt.date
    objectives: list[ObjectiveEvidence]
    goals: int
    goal_outcomes: dict[str, int]
    areas: list[AreaOutcomes]
    activities: list[tuple[str, int]]
    retention: Retention
    closing: SurveyResults | None
    hours: MeetingHours  # from the meetings the partners recorded
    returned: alumni.Returning
    came_back: alumni.Returning

    @property
    def ended(self) -> bool:
        return self.today > self.cycle.ends_on

    @property
    def activities_total(self) -> int:
        return sum(n for _, n in self.activities)


def evidence_map() -> dict[int, list[str]]:
    spec = json.loads(EVIDENCE_FILE.read_text())["evidence"]
    return {int(position): list(sections) for position, sections in spec.items()}


def _areas(data: CycleData) -> tuple[int, dict[str, int], list[AreaOutcomes]]:
    """The year's agreed goals by final outcome, overall and per competency area."""
    goals = [g for g in data.goals if g.agreed]
    labels = {value: str(label) for value, label in Goal.Outcome.choices}
    outcome = {g.pk: labels.get(g.final_outcome, NOT_RECORDED) for g in goals}
    through = Goal.competency_areas.through
    tags: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in through.objects.filter(goal_id__in=list(outcome)).values(
        "goal_id", "interest__name", "interest__position"
    ):
        tags[row["goal_id"]].append((row["interest__position"], row["interest__name"]))
    by_area: dict[str, Counter] = defaultdict(Counter)
    order: dict[str, tuple] = {}
    for goal_id, label in outcome.items():
        for position, name in tags.get(goal_id) or [(None, NO_AREA)]:
            by_area[name][label] += 1
            order[name] = (position is None, position or 0, name)
    areas = [
        AreaOutcomes(area=name, outcomes={label: by_area[name][label] for label in OUTCOMES})
        for name in sorted(by_area, key=order.get)
    ]
    totals = Counter(outcome.values())
    return len(goals), {label: totals[label] for label in OUTCOMES}, areas


def _retention(cycle: Cycle) -> Retention:
    counts: Counter = Counter()
    dissolved: Counter = Counter()
    early: Counter = Counter()
    for status, dissolved_reason, concluded_reason in Match.objects.filter(
        cycle=cycle,
        status__in=[Match.Status.ACTIVE, Match.Status.CONCLUDED, Match.Status.DISSOLVED],
    ).values_list("status", "dissolved_reason", "concluded_reason"):
        counts[status] += 1
        if status == Match.Status.DISSOLVED:
            dissolved[dissolved_reason.strip() or gettext("No reason given")] += 1
        elif status == Match.Status.CONCLUDED and concluded_reason.strip():
            early[concluded_reason.strip()] += 1
    return Retention(
        concluded=counts[Match.Status.CONCLUDED],
        concluded_early=sum(early.values()),
        dissolved=counts[Match.Status.DISSOLVED],
        active=counts[Match.Status.ACTIVE],
        dissolved_reasons=dissolved.most_common(),
        early_reasons=early.most_common(),
    )


def _summaries(
    *,
    goals: int,
    outcomes: dict[str, int],
    activities: list[tuple[str, int]],
    retention: Retention,
    hours: MeetingHours,
    returned: alumni.Returning,
    came_back: alumni.Returning,
) -> dict[str, str]:
    """One line per section, for the objectives it bears on."""
    achieved = outcomes.get(Goal.Outcome.ACHIEVED.label, 0)
    return {
        "goals": gettext("%(achieved)s of %(goals)s agreed goals achieved")
        % {"achieved": achieved, "goals": goals},
        "activities": gettext("%(count)s activities done")
        % {"count": sum(n for _, n in activities)},
        "retention": gettext(
            "%(concluded)s of %(matches)s matches concluded, %(dissolved)s dissolved"
        )
        % {
            "concluded": retention.concluded,
            "matches": retention.matches,
            "dissolved": retention.dissolved,
        },
        "hours": gettext("%(hours).0f hours met, %(met)s of %(matches)s matches recorded meetings")
        % {"hours": hours.total_hours, "met": hours.met, "matches": hours.matches},
        "returning": gettext(
            "%(came_back)s came back from an earlier year; %(returned)s applied again, "
            "%(mentees_as_mentors)s mentees as mentors"
        )
        % {
            "came_back": came_back.total,
            "returned": returned.total,
            "mentees_as_mentors": returned.mentees_as_mentors,
        },
    }


def year_report(
    cycle: Cycle, *, today: dt.date | None = None, with_survey: bool = True
) -> YearReport:
    """Every figure of the cycle's report, in a fixed number of queries. ``with_survey``
    False leaves out the closing survey's answers (for staff who may not see results)."""
    data = CycleData(cycle, today=today)
    goals, outcomes, areas = _areas(data)
    activity = activity_by_month(data)
    activities = [(name, activity.category_total(name)) for name in activity.categories]
    retention = _retention(cycle)
    hours = meeting_hours(data)
    returned = alumni.returned_later(cycle)
    came_back = alumni.returning_by_cycle([cycle])[cycle.pk]
    closing = None
    if with_survey:
        survey = (
            Survey.objects.filter(cycle=cycle, kind=Survey.Kind.CLOSING)
            .select_related("cycle__program")
            .first()
        )
        closing = survey_results(survey) if survey else None
    by_objective = {o.objective.pk: o for o in closing.objectives if o.objective} if closing else {}
    summaries = _summaries(
        goals=goals,
        outcomes=outcomes,
        activities=activities,
        retention=retention,
        hours=hours,
        returned=returned,
        came_back=came_back,
    )
    mapping = evidence_map()
    objectives = [
        ObjectiveEvidence(
            objective=objective,
            survey=by_objective.get(objective.pk),
            evidence=[
                Evidence(section=key, label=SECTIONS[key], summary=summaries[key])
                for key in mapping.get(objective.position, [])
                if key in SECTIONS
            ],
        )
        for objective in cycle.program.objectives.order_by("position", "pk")
    ]
    return YearReport(
        cycle=cycle,
        today=data.today,
        as_of=data.as_of,
        objectives=objectives,
        goals=goals,
        goal_outcomes=outcomes,
        areas=areas,
        activities=activities,
        retention=retention,
        closing=closing,
        hours=hours,
        returned=returned,
        came_back=came_back,
    )
