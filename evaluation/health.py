"""The committee's “Program health” page of a cycle: every section and the survey
results in one report, in a fixed number of queries. Each figure has one definition:
the data in ``cycle_data.py``, the sections in ``sections.py`` and ``risk.py``, the
survey results in ``results.py``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import (
    Prefetch,
)

from matches import alumni
from mentoring.models import Cycle, Milestone

from .cycle_data import CycleData
from .models import Survey
from .results import SurveyResults, SurveySummary, survey_results, survey_summaries
from .risk import REASONS, MatchAtRisk, matches_at_risk
from .sections import (
    ActivityByMonth,
    Funnel,
    GoalSheetProgress,
    IssueDelivery,
    MeetingHours,
    activity_by_month,
    funnel,
    goal_sheet_progress,
    meeting_hours,
    newsletter_deliveries,
)

# --- The whole page -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramHealthReport:
    cycle: Cycle
    today: dt.date
    as_of: dt.date
    funnel: Funnel
    goal_sheets: GoalSheetProgress
    activity: ActivityByMonth
    meetings: MeetingHours
    at_risk: list[MatchAtRisk]
    newsletters: list[IssueDelivery]
    surveys: list[SurveySummary]
    results: SurveyResults | None
    returning: alumni.Returning

    @property
    def ended(self) -> bool:
        return self.today > self.cycle.ends_on

    @property
    def started(self) -> bool:
        return self.as_of >= self.cycle.starts_on

    @cached_property
    def risk_counts(self) -> list[tuple[str, str, int]]:
        counts = Counter(
            code for item in self.at_risk for code in {code for code, _facts in item.findings}
        )
        return [(code, label, counts[code]) for code, label in REASONS.items()]


def cycle_for_health(cycle_id: int) -> Cycle:
    """A cycle with its program and milestones, as :func:`program_health` reads it."""
    return (
        Cycle.objects.select_related("program")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on")))
        .get(pk=cycle_id)
    )


def results_survey(summaries: Iterable[SurveySummary], survey_id: int | None) -> Survey | None:
    """The survey whose results to show: the one asked for, else the latest answered."""
    summaries = list(summaries)
    for summary in summaries:
        if survey_id is not None and summary.survey.pk == survey_id:
            return summary.survey
    answered = [s for s in summaries if s.answered["all"]]
    return answered[-1].survey if answered else None


def program_health(
    cycle: Cycle,
    *,
    today: dt.date | None = None,
    survey_id: int | None = None,
    with_results: bool = True,
) -> ProgramHealthReport:
    """Every figure of the cycle's health page, in a fixed number of queries.

    ``with_results`` False leaves out the survey results (for staff who may not see
    them); ``survey_id`` picks whose results to show (else the latest answered)."""
    data = CycleData(cycle, today=today)
    surveys = survey_summaries(data)
    chosen = results_survey(surveys, survey_id) if with_results else None
    # Its invitations are counted in its summary already.
    counted = next((s for s in surveys if s.survey is chosen), None)
    return ProgramHealthReport(
        cycle=cycle,
        today=data.today,
        as_of=data.as_of,
        funnel=funnel(data),
        goal_sheets=goal_sheet_progress(data),
        activity=activity_by_month(data),
        meetings=meeting_hours(data),
        at_risk=matches_at_risk(data),
        newsletters=newsletter_deliveries(data),
        surveys=surveys,
        results=survey_results(chosen, counted=(counted.invited, counted.answered))
        if chosen
        else None,
        returning=alumni.returning_by_cycle([cycle])[cycle.pk],
    )
