"""Fixtures of the newsletter tests: a program year under way (relative to today) with
its timeline, active matches, and staff."""

from __future__ import annotations

import datetime as dt

import pytest

from mentoring.models import Milestone
from tests.factories import (
    MatchFactory,
    MilestoneFactory,
    ProgramFactory,
    UserFactory,
    cycle_under_way,
)


@pytest.fixture
def program():
    return ProgramFactory(
        time_zone="America/Chicago", short_name="ALSC", name="ALSC Mentoring Program"
    )


@pytest.fixture
def today(program) -> dt.date:
    return program.today()


@pytest.fixture
def cycle(program, today):
    """A program year that started a month ago: goal sheets due in three weeks, goal work
    under way until the conclusion."""
    cycle = cycle_under_way(program, name="2026-2027")
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        title="Introductions and goal setting",
        starts_on=cycle.starts_on,
        ends_on=today + dt.timedelta(days=21),
    )
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.GOAL_WORK,
        title="Work on goals",
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
    )
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.CONCLUSION,
        title="Program concludes",
        starts_on=cycle.ends_on,
        ends_on=cycle.ends_on,
    )
    return cycle


@pytest.fixture
def match(cycle):
    return MatchFactory(cycle=cycle, mentee__preferred_name="Maya", mentor__preferred_name="Rosa")


@pytest.fixture
def mentee(match):
    return match.mentee.applicant


@pytest.fixture
def mentor(match):
    return match.mentor.applicant


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True, email="casey@example.org")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
