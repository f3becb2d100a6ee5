"""Each recipient's goal section: their goals with status, target date and a link to add
a check-in; without an agreed goal sheet, a nudge with its due date."""

from __future__ import annotations

import datetime as dt

import pytest

from goals.models import CheckIn, GoalSheet
from newsletter import emails, issue_sections
from tests.factories import (
    CheckInFactory,
    GoalSheetFactory,
    MatchFactory,
    NewsletterIssueFactory,
    agreed_sheet,
)

pytestmark = pytest.mark.django_db


def copy_for(issue, user):
    return emails.issue_preview(issue, user)


def test_goals_show_status_target_date_and_a_check_in_link(cycle, match, mentee, today):
    sheet = agreed_sheet(match, titles=["Six crafts for Bookbag", "Meet five colleagues"])
    crafts, colleagues = sheet.goals.order_by("position")
    CheckInFactory(goal=crafts, status=CheckIn.Status.IN_PROGRESS, on=today - dt.timedelta(days=3))
    issue = NewsletterIssueFactory(cycle=cycle)

    text = copy_for(issue, mentee).text

    target = (
        f"Target date {crafts.target_date:%B} {crafts.target_date.day}, {crafts.target_date.year}"
    )
    assert "1. Six crafts for Bookbag" in text
    assert f"In progress (last check-in {(today - dt.timedelta(days=3)):%B} " in text
    assert target in text
    assert "2. Meet five colleagues\n   No check-in yet · " in text
    assert (
        f"Add a check-in: http://testserver/matches/{match.pk}/goals/{crafts.pk}/check-in/" in text
    )
    assert f"/matches/{match.pk}/goals/{colleagues.pk}/check-in/" in copy_for(issue, mentee).html


def test_the_mentor_sees_the_same_goals_under_the_mentees_name(cycle, match, mentor):
    agreed_sheet(match, titles=["Six crafts for Bookbag"])
    issue = NewsletterIssueFactory(cycle=cycle)

    text = copy_for(issue, mentor).text

    assert "With Maya, your mentee" in text
    assert "YOUR MENTEE'S GOALS" in text
    assert "1. Six crafts for Bookbag" in text


def test_without_an_agreed_sheet_a_nudge_gives_the_due_date(cycle, match, mentee, mentor, today):
    GoalSheetFactory(match=match)
    issue = NewsletterIssueFactory(cycle=cycle)
    due = today + dt.timedelta(days=21)
    due_words = f"{due:%B} {due.day}, {due.year}"

    mentee_text = copy_for(issue, mentee).text
    mentor_text = copy_for(issue, mentor).text

    assert "Your goal sheet is still a draft." in mentee_text
    assert "you submit the sheet and Rosa confirms it" in mentee_text
    assert f"It is due on {due_words}." in mentee_text
    assert f"Open your goal sheet: http://testserver/matches/{match.pk}/goals/" in mentee_text
    assert "Maya submits the sheet and you confirm it" in mentor_text
    assert "Add a check-in" not in mentee_text


def test_a_submitted_sheet_asks_the_mentor_to_confirm_it(cycle, match, mentor):
    GoalSheetFactory(match=match, status=GoalSheet.Status.SUBMITTED)
    issue = NewsletterIssueFactory(cycle=cycle)

    assert (
        "Maya submitted your goal sheet: read it, then confirm it" in copy_for(issue, mentor).text
    )


def test_an_overdue_sheet_says_when_it_was_due(cycle, match, mentee, today):
    milestone = cycle.milestones.get(kind="introductions")
    milestone.ends_on = today - dt.timedelta(days=2)
    milestone.save()
    issue = NewsletterIssueFactory(cycle=cycle)
    due = milestone.ends_on

    text = copy_for(issue, mentee).text

    assert "Your goal sheet is not started yet." in text
    assert f"It was due on {due:%B} {due.day}, {due.year}." in text


def test_a_mentor_of_two_mentees_gets_a_part_for_each(cycle, match, mentor):
    second = MatchFactory(cycle=cycle, mentor=match.mentor, mentee__preferred_name="Lee")
    agreed_sheet(match, titles=["Crafts"])
    agreed_sheet(second, titles=["Storytime"])

    sections = issue_sections.goal_sections_for(cycle.pk, [mentor.pk])[mentor.pk]

    assert [(s.partner_name, [g.title for g in s.goals]) for s in sections] == [
        ("Maya", ["Crafts"]),
        ("Lee", ["Storytime"]),
    ]


def test_a_final_outcome_replaces_the_status(cycle, match, mentee):
    sheet = agreed_sheet(match, titles=["Crafts"])
    sheet.goals.update(final_outcome="achieved")
    issue = NewsletterIssueFactory(cycle=cycle)

    assert "Final outcome: Achieved" in copy_for(issue, mentee).text
