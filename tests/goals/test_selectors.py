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


def test_glances_show_what_the_summaries_show_of_each_goal_in_one_query(cycle, today):
    sheet = GoalSheetFactory(match=MatchFactory(cycle=cycle))
    first, second = GoalFactory(sheet=sheet), GoalFactory(sheet=sheet)
    CheckInFactory(goal=first, status="not_started", on=today - dt.timedelta(days=10))
    CheckInFactory(goal=first, status="in_progress", on=today - dt.timedelta(days=2))
    CheckInFactory(goal=first, status="done", on=today - dt.timedelta(days=5))
    retired = GoalFactory(sheet=sheet, position=None)
    without_sheet = MatchFactory(cycle=cycle)
    matches = list(selectors.match_queryset().filter(pk__in=[sheet.match_id, without_sheet.pk]))
    summaries = selectors.goal_sheet_summaries(matches)
    selectors.goal_sheet_glances(matches)  # the first read fills the shared cache

    with CaptureQueriesContext(connection) as ctx:
        glances = selectors.goal_sheet_glances(matches)

    assert len(ctx.captured_queries) == 1
    for match in matches:
        glance, summary = glances[match.pk], summaries[match.pk]
        assert glance.state == summary.state
        for seen, full in zip(
            [*glance.goals, *glance.retired_goals],
            [*summary.goals, *summary.retired_goals],
            strict=True,
        ):
            assert (seen.pk, seen.title, seen.target_date) == (
                full.pk,
                full.title,
                full.target_date,
            )
            assert list(seen.competency_areas.all()) == list(full.competency_areas.all())
            latest, expected = seen.latest_check_in, full.latest_check_in
            assert (latest and (latest.status, latest.on)) == (
                expected and (expected.status, expected.on)
            )
    assert [g.pk for g in glances[sheet.match_id].goals] == [first.pk, second.pk]
    assert [g.pk for g in glances[sheet.match_id].retired_goals] == [retired.pk]
    assert glances[sheet.match_id].goals[0].latest_check_in.status == "in_progress"
    assert glances[without_sheet.pk].sheet is None and glances[without_sheet.pk].goals == []


def test_the_listed_sheets_are_composed_once_and_each_list_gets_its_own_copy(cycle):
    from goals.admin import sheets_listed
    from goals.models import GoalSheet

    sheet = with_goals(cycle, goals=2, check_ins=1).goal_sheet
    afresh = GoalSheet.objects.with_due_on().annotate(**selectors.sheet_progress_annotations())
    first, second = sheets_listed(), sheets_listed()
    assert first is not second and first.query is not second.query
    assert str(first.query) == str(afresh.query)
    # Narrowing one list leaves the next one whole.
    assert list(first.filter(pk=-1)) == []
    (row,) = second.filter(pk=sheet.pk)
    assert (row.goals_count, row.due_on) == (2, afresh.get(pk=sheet.pk).due_on)
    assert str(sheets_listed().query) == str(afresh.query)
