"""A goal sheet is due at the end of the cycle's goal-setting milestone, in the program's
time zone, and overdue from the next day there until it is agreed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from goals.models import GoalSheet, is_overdue
from goals.selectors import goal_sheet_state, match_queryset
from mentoring.models import Milestone
from mentoring.timeline import goal_sheet_due_on
from tests.factories import (
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    ProgramFactory,
    seed_calendar_cycle,
)

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
UTC = dt.UTC


@pytest.fixture
def year_2026():
    """Seed 004's calendar: goal setting November 1 to December 31, 2026."""
    return seed_calendar_cycle(2026, program=ProgramFactory(time_zone="America/Chicago"))


def at(day: dt.date, hour: int, minute: int = 0, tz=CHICAGO) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def state(match, sheet, now):
    match = match_queryset().get(pk=match.pk)
    return goal_sheet_state(match=match, sheet=sheet, now=now)


def test_the_due_date_is_the_last_day_of_goal_setting(year_2026):
    assert goal_sheet_due_on(year_2026.milestones.all()) == dt.date(2026, 12, 31)


def test_a_cycle_without_a_goal_setting_milestone_has_no_due_date_and_nothing_is_overdue():
    match = MatchFactory()
    sheet = GoalSheetFactory(match=match)

    result = state(match, sheet, now=at(match.cycle.ends_on, 12))

    assert result.due_on is None and not result.overdue


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [
        (at(dt.date(2026, 12, 30), 12), False),  # the day before
        (at(dt.date(2026, 12, 31), 0, 1), False),  # the day itself, from its first minute
        (at(dt.date(2026, 12, 31), 23, 59), False),  # ... to its last
        (at(dt.date(2027, 1, 1), 0, 0), True),  # the day after, from midnight in Chicago
        (at(dt.date(2027, 1, 1), 3, 0, tz=UTC), False),  # 9 pm on the 31st in Chicago
        (at(dt.date(2027, 1, 1), 6, 0, tz=UTC), True),  # midnight in Chicago
    ],
)
def test_overdue_at_the_edges_of_the_due_date_in_the_program_s_time_zone(
    year_2026, moment, overdue
):
    match = MatchFactory(cycle=year_2026)
    sheet = GoalSheetFactory(match=match, status=GoalSheet.Status.SUBMITTED)

    assert state(match, sheet, now=moment).overdue is overdue


def test_a_program_far_east_is_overdue_sooner_by_the_clock():
    program = ProgramFactory(time_zone="Pacific/Auckland")
    cycle = seed_calendar_cycle(2026, program=program)
    match = MatchFactory(cycle=cycle)
    sheet = GoalSheetFactory(match=match)
    noon_utc_on_the_due_day = at(dt.date(2026, 12, 31), 12, tz=UTC)  # Jan 1, 1 am in Auckland

    assert state(match, sheet, now=noon_utc_on_the_due_day).overdue


def test_an_agreed_sheet_is_never_overdue(year_2026):
    match = MatchFactory(cycle=year_2026)
    sheet = GoalSheetFactory(match=match, status=GoalSheet.Status.AGREED, agreed_revision=1)

    assert not state(match, sheet, now=at(dt.date(2027, 3, 1), 12)).overdue


def test_a_match_without_a_sheet_is_overdue_after_the_due_date(year_2026):
    match = MatchFactory(cycle=year_2026)

    result = state(match, None, now=at(dt.date(2027, 1, 2), 12))

    assert (result.status, result.overdue) == ("not_started", True)


def test_a_reopened_sheet_is_overdue_after_the_due_date_until_agreed_again(year_2026):
    match = MatchFactory(cycle=year_2026)
    sheet = GoalSheetFactory(
        match=match, status=GoalSheet.Status.DRAFT, revision=2, agreed_revision=1
    )

    result = state(match, sheet, now=at(dt.date(2027, 2, 1), 12))

    assert result.overdue and result.has_agreement


def test_the_latest_goal_setting_milestone_sets_the_due_date(year_2026):
    MilestoneFactory(
        cycle=year_2026,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 1, 15),
    )

    assert goal_sheet_due_on(year_2026.milestones.all()) == dt.date(2027, 1, 15)


def test_is_overdue_with_no_status_means_no_sheet(year_2026):
    program = year_2026.program

    assert is_overdue(
        status=None, due_on=dt.date(2026, 12, 31), program=program, now=at(dt.date(2027, 1, 1), 8)
    )
    assert not is_overdue(status=None, due_on=None, program=program, now=at(dt.date(2027, 1, 1), 8))
