"""Fixtures of the goal sheet tests: a program year under way (relative to today), an
active match in it, and helpers to post the edit form as a browser would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mentoring.models import Milestone
from tests.factories import (
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    ProgramFactory,
    UserFactory,
    cycle_under_way,
)


@pytest.fixture
def program():
    return ProgramFactory(time_zone="America/Chicago")


@pytest.fixture
def today(program) -> dt.date:
    return program.today()


@pytest.fixture
def cycle(program, today):
    """A program year that started a month ago; goal sheets are due in three weeks."""
    cycle = cycle_under_way(program)
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=today + dt.timedelta(days=21),
    )
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.CONCLUSION, starts_on=cycle.ends_on, ends_on=cycle.ends_on
    )
    return cycle


@pytest.fixture
def match(cycle):
    return MatchFactory(cycle=cycle)


@pytest.fixture
def mentee(match):
    return match.mentee.applicant


@pytest.fixture
def mentor(match):
    return match.mentor.applicant


@pytest.fixture
def sheet(match):
    return GoalSheetFactory(match=match)


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


def goal_data(cycle, **overrides) -> dict[str, Any]:
    """One complete SMART goal as the edit form posts it."""
    data = {
        "title": "Six crafts for the Bookbag program",
        "specific": "Design six crafts for children aged 6 to 12 that go with the books.",
        "measurable": "Six crafts with instructions, each tried once with a group.",
        "achievable": "Monthly calls with the mentor; the craft budget.",
        "relevant": "School-age programs are most of the mentee's work.",
        "target_date": (cycle.starts_on + dt.timedelta(days=100)).isoformat(),
    }
    data.update(overrides)
    return data


def edit_post(goals: list[dict[str, Any]], *, version: int, **extra) -> dict[str, Any]:
    """The edit page's POST: the formset of goals, the version the copy was loaded at."""
    data: dict[str, Any] = {
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": str(len(goals)),
        "version": str(version),
        "save": "1",
    }
    for i, goal in enumerate(goals):
        for key, value in goal.items():
            data[f"goals-{i}-{key}"] = value
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def edit_action(match, data) -> str:
    """The URL the edit page's button posts to, as the browser picks it (``formaction``):
    adding a goal, saving and submitting, or saving the draft (the form's own action)."""
    from django.urls import reverse

    if {"add_goal", "add_example", "take_saved"} & {k for k, v in data.items() if v}:
        intent = "goals:add_goal"
    elif data.get("submit_sheet"):
        intent = "goals:save_and_submit"
    else:
        intent = "goals:save_draft"
    return reverse(intent, args=[match.pk])


def post_edit(client, match, data):
    return client.post(edit_action(match, data), data)
