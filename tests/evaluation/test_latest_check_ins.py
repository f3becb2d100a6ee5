"""Each goal's latest check-in, read for the whole cycle in a fixed number of queries:
whether it says the goal is achieved, and the day that says when a match last had news."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from evaluation import sections
from evaluation.cycle_data import CycleData
from goals.models import CheckIn, Goal
from tests.factories import CheckInFactory, GoalFactory

from .conftest import agreed_match, days_ago

pytestmark = pytest.mark.django_db


def test_two_check_ins_on_one_day_the_one_written_last_counts(cycle, today):
    match = agreed_match(cycle, today)
    goal = match.goal_sheet.goals.get()
    earlier = timezone.now() - dt.timedelta(hours=2)
    later = CheckInFactory(goal=goal, status=CheckIn.Status.ACHIEVED, on=days_ago(today, 3))
    first = CheckInFactory(goal=goal, status=CheckIn.Status.IN_PROGRESS, on=days_ago(today, 3))
    CheckIn.objects.filter(pk=first.pk).update(created_at=earlier)

    data = CycleData(cycle)

    assert data.achieved_by_check_in == {goal.pk} and later.status == CheckIn.Status.ACHIEVED
    assert [g.latest_achieved for g in data.goals] == [True]
    assert data.last_check_ins == {match.pk: days_ago(today, 3)}
    assert sections.funnel(data).goals_achieved == 1


def test_an_achieved_check_in_followed_by_another_no_longer_counts(cycle, today):
    match = agreed_match(cycle, today)
    goal = match.goal_sheet.goals.get()
    CheckInFactory(goal=goal, status=CheckIn.Status.ACHIEVED, on=days_ago(today, 9))
    first = CheckInFactory(goal=goal, status=CheckIn.Status.ACHIEVED, on=days_ago(today, 4))
    CheckInFactory(goal=goal, status=CheckIn.Status.IN_PROGRESS, on=days_ago(today, 4))
    CheckIn.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))

    data = CycleData(cycle)

    assert [g.latest_achieved for g in data.goals] == [False]
    assert sections.funnel(data).goals_achieved == 0


def test_a_check_in_after_the_as_of_day_is_not_read(cycle, today):
    match = agreed_match(cycle, today)
    goal = match.goal_sheet.goals.get()
    CheckInFactory(goal=goal, status=CheckIn.Status.IN_PROGRESS, on=days_ago(today, 10))
    CheckInFactory(goal=goal, status=CheckIn.Status.ACHIEVED, on=today)

    data = CycleData(cycle, today=days_ago(today, 1))

    assert [g.latest_achieved for g in data.goals] == [False]
    (row,) = data.matches
    assert row.last_check_in == days_ago(today, 10)


def test_a_retired_goals_check_in_is_still_news_for_its_match(cycle, today):
    match = agreed_match(cycle, today)
    retired = GoalFactory(sheet=match.goal_sheet, position=None)
    CheckInFactory(goal=match.goal_sheet.goals.current().get(), on=days_ago(today, 60))
    CheckInFactory(goal=retired, on=days_ago(today, 5))

    data = CycleData(cycle)

    (row,) = data.matches
    assert row.last_check_in == days_ago(today, 5)
    assert [g.pk for g in data.goals] == [match.goal_sheet.goals.current().get().pk]
    assert Goal.objects.retired().get() == retired
