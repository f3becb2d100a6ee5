"""Fixtures of the evaluation tests: a program year under way (relative to today) whose
goal sheets were due a month ago, its objectives, and helpers that build matches in each
state the health page tells apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goals.models import GoalSheet
from mentoring.models import Milestone
from tests.factories import (
    CycleFactory,
    GoalFactory,
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    ObjectiveFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture
def program(db):
    return ProgramFactory(time_zone="America/Chicago")


@pytest.fixture
def today(program) -> dt.date:
    return program.today()


@pytest.fixture
def objectives(program):
    return [
        ObjectiveFactory(program=program, position=1, text="Build skills and confidence"),
        ObjectiveFactory(program=program, position=2, text="Encourage connections"),
    ]


@pytest.fixture
def cycle(program, today):
    """Started 120 days ago, ends in 150; goal sheets were due 30 days ago."""
    cycle = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=200),
        applications_close_on=today - dt.timedelta(days=170),
        starts_on=today - dt.timedelta(days=120),
        ends_on=today + dt.timedelta(days=150),
        # No meeting puts a match at risk only in the tests about meetings, which set
        # the cycle's own limit: the others are about the other reasons.
        days_without_meeting=366,
    )
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=today - dt.timedelta(days=30),
    )
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.CONCLUSION, starts_on=cycle.ends_on, ends_on=cycle.ends_on
    )
    return cycle


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def days_ago(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def confirmed(cycle, today: dt.date, *, days: int = 100) -> dict:
    """A match confirmed ``days`` ago (by default soon after the program started)."""
    moment = timezone.make_aware(
        dt.datetime.combine(days_ago(today, days), dt.time(12)), cycle.program.tz
    )
    return {"confirmed_at": moment}


def agreed_match(cycle, today: dt.date, *, goals: int = 1, **kwargs):
    """An active match with an agreed goal sheet (revision 1) and ``goals`` goals whose
    target date is the end of the program."""
    match = MatchFactory(cycle=cycle, **{**confirmed(cycle, today), **kwargs})
    sheet = GoalSheetFactory(
        match=match,
        status=GoalSheet.Status.AGREED,
        agreed_revision=1,
        agreed_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    for _ in range(goals):
        GoalFactory(sheet=sheet, target_date=cycle.ends_on, first_agreed_revision=1)
    return match
