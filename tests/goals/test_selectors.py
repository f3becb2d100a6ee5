"""The reads others use: a match's sheet with goals and latest check-ins (constant
queries), its due date and overdue flag; a cycle's sheets by state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import selectors
from goals.tasks import open_goal_sheets
from tests.factories import CheckInFactory, GoalFactory, GoalSheetFactory, MatchFactory

pytestmark = pytest.mark.django_db


def summaries_queries(matches) -> int:
    matches = selectors.match_queryset().filter(pk__in=[m.pk for m in matches])
    selectors.goal_sheet_summaries(matches.all())  # the first read fills the shared cache
    with CaptureQueriesContext(connection) as ctx:
        result = selectors.goal_sheet_summaries(matches.all())
        for summary in result.values():
            for goal in summary.goals:
                _ = goal.latest_check_in, list(goal.competency_areas.all())
            _ = summary.state.overdue, summary.match.mentor.display_name
    return len(ctx.captured_queries)


def with_goals(cycle, goals=2, check_ins=3):
    sheet = GoalSheetFactory(match=MatchFactory(cycle=cycle))
    for _ in range(goals):
        goal = GoalFactory(sheet=sheet)
        for _ in range(check_ins):
            CheckInFactory(goal=goal)
    return sheet.match


def test_summaries_run_a_constant_number_of_queries(cycle):
    few = summaries_queries([with_goals(cycle)])
    many = summaries_queries([with_goals(cycle, goals=3, check_ins=5) for _ in range(6)])

    assert many == few


def test_a_summary_has_the_goals_in_order_with_their_latest_check_in(cycle, today):
    sheet = GoalSheetFactory(match=MatchFactory(cycle=cycle))
    first, second = GoalFactory(sheet=sheet), GoalFactory(sheet=sheet)
    CheckInFactory(goal=first, status="not_started", on=today - dt.timedelta(days=10))
    latest = CheckInFactory(goal=first, status="in_progress", on=today - dt.timedelta(days=2))

    summary = selectors.goal_sheet_summary(selectors.match_queryset().get(pk=sheet.match_id))

    assert summary.goals == [first, second]
    assert summary.goals[0].latest_check_in == latest
    assert summary.goals[1].latest_check_in is None
    assert summary.latest_check_in == latest
    assert summary.state.status == "draft" and summary.state.due_on == today + dt.timedelta(days=21)


def test_a_match_without_a_sheet_is_not_started(match):
    summary = selectors.goal_sheet_summary(match)

    assert (summary.sheet, summary.goals, summary.state.status) == (None, [], "not_started")
    assert summary.state.label == "Not started"


def test_the_hourly_task_opens_a_sheet_for_each_active_match_once(cycle):
    MatchFactory(cycle=cycle)
    MatchFactory(cycle=cycle)

    assert open_goal_sheets.delay().get() == 2
    assert open_goal_sheets.delay().get() == 0
