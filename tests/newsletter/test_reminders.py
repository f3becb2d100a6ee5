"""Reminders driven by the timeline, each sent once per person per occasion, to those who
have not turned reminders off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from applications.models import Application
from matches import conclusion
from mentoring.models import Delivery
from newsletter.models import SentReminder, add_months
from newsletter.reminders import reminders_send
from tests.factories import (
    ApplicationFactory,
    CheckInFactory,
    EmailPreferenceFactory,
    GoalSheetFactory,
    MatchFactory,
    agreed_sheet,
)

pytestmark = pytest.mark.django_db


def at(program, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=program.tz)


def run(program, day, capture, name: str) -> int:
    """How many reminders called ``name`` went out on ``day`` (others may be due the same
    day, depending on where today falls in the month)."""
    with capture(execute=True):
        return reminders_send(now=at(program, day)).get(name, 0)


def received(name: str) -> list:
    """The messages of one reminder that went out."""
    subjects = set(
        Delivery.objects.filter(kind=f"reminder.{name}").values_list("subject", flat=True)
    )
    return [m for m in mail.outbox if m.subject in subjects]


def recipients(name: str) -> list[str]:
    return sorted(message.to[0] for message in received(name))


def test_people_with_a_draft_hear_three_days_before_applications_close(
    cycle, program, today, django_capture_on_commit_callbacks
):
    cycle.applications_close_on = today + dt.timedelta(days=40)
    cycle.save()
    both = ApplicationFactory(cycle=cycle, status=Application.Status.DRAFT)
    ApplicationFactory(
        cycle=cycle, applicant=both.applicant, mentor=True, status=Application.Status.DRAFT
    )
    submitted = ApplicationFactory(cycle=cycle)
    close = cycle.applications_close_on

    assert (
        run(
            program,
            close - dt.timedelta(days=4),
            django_capture_on_commit_callbacks,
            "applications_closing",
        )
        == 0
    )
    assert (
        run(
            program,
            close - dt.timedelta(days=3),
            django_capture_on_commit_callbacks,
            "applications_closing",
        )
        == 1
    )
    assert (
        run(
            program,
            close - dt.timedelta(days=1),
            django_capture_on_commit_callbacks,
            "applications_closing",
        )
        == 0
    )

    (message,) = received("applications_closing")
    assert message.to == [both.applicant.email] != [submitted.applicant.email]
    assert message.subject.startswith("Applications close in 3 days")
    assert "Your mentee and mentor applications are still a draft" in message.body
    assert f"/applications/{both.pk}/edit/" in message.body
    assert SentReminder.objects.get().kind == "reminder.applications_closing"


def test_matches_without_an_agreed_sheet_hear_a_week_before_it_is_due(
    cycle, program, today, match, django_capture_on_commit_callbacks
):
    GoalSheetFactory(match=match)
    agreed_sheet(MatchFactory(cycle=cycle))
    due = today + dt.timedelta(days=21)

    assert (
        run(
            program,
            due - dt.timedelta(days=8),
            django_capture_on_commit_callbacks,
            "goal_sheet_due",
        )
        == 0
    )
    assert (
        run(
            program,
            due - dt.timedelta(days=7),
            django_capture_on_commit_callbacks,
            "goal_sheet_due",
        )
        == 2
    )
    run(program, due - dt.timedelta(days=2), django_capture_on_commit_callbacks, "goal_sheet_due")

    assert recipients("goal_sheet_due") == sorted(
        [match.mentee.applicant.email, match.mentor.applicant.email]
    )
    mentee_copy = next(
        m for m in received("goal_sheet_due") if m.to == [match.mentee.applicant.email]
    )
    assert mentee_copy.subject == "Your goal sheet is due in 7 days"
    assert f"It is due on {due:%B} {due.day}, {due.year}." in mentee_copy.body


def test_the_monthly_check_in_nudge_goes_to_matches_without_a_check_in_that_month(
    cycle, program, today, match, django_capture_on_commit_callbacks
):
    quiet = agreed_sheet(match, titles=["Crafts"])
    busy = agreed_sheet(MatchFactory(cycle=cycle), titles=["Storytime"])
    nudge_day = add_months(today, 2).replace(day=20)
    CheckInFactory(goal=busy.goals.get(), on=nudge_day.replace(day=3))
    CheckInFactory(goal=quiet.goals.get(), on=nudge_day.replace(day=1) - dt.timedelta(days=2))

    assert (
        run(
            program,
            nudge_day - dt.timedelta(days=1),
            django_capture_on_commit_callbacks,
            "check_in",
        )
        == 0
    )
    assert run(program, nudge_day, django_capture_on_commit_callbacks, "check_in") == 2
    assert (
        run(
            program,
            nudge_day + dt.timedelta(days=3),
            django_capture_on_commit_callbacks,
            "check_in",
        )
        == 0
    )

    assert recipients("check_in") == sorted(
        [match.mentee.applicant.email, match.mentor.applicant.email]
    )
    goal = quiet.goals.get()
    assert f"/matches/{match.pk}/goals/{goal.pk}/check-in/" in received("check_in")[0].body

    # Next month is another occasion.
    next_month = add_months(nudge_day, 1).replace(day=20)
    assert run(program, next_month, django_capture_on_commit_callbacks, "check_in") == 4


def test_the_conclusion_asks_for_final_outcomes_still_missing(
    cycle, program, match, django_capture_on_commit_callbacks
):
    sheet = agreed_sheet(match, titles=["Crafts", "Networking"])
    sheet.goals.filter(title="Crafts").update(final_outcome="achieved")
    done = agreed_sheet(MatchFactory(cycle=cycle), titles=["Storytime"])
    done.goals.update(final_outcome="partly")
    ends = cycle.ends_on

    assert (
        run(program, ends - dt.timedelta(days=15), django_capture_on_commit_callbacks, "conclusion")
        == 0
    )
    assert (
        run(program, ends - dt.timedelta(days=14), django_capture_on_commit_callbacks, "conclusion")
        == 2
    )
    run(program, ends, django_capture_on_commit_callbacks, "conclusion")

    assert recipients("conclusion") == sorted(
        [match.mentee.applicant.email, match.mentor.applicant.email]
    )
    body = received("conclusion")[0].body
    assert "- Networking" in body and "- Crafts" not in body
    assert f"/matches/{match.pk}/goals/outcomes/" in body


def test_people_who_turned_reminders_off_hear_nothing(
    cycle, program, today, match, django_capture_on_commit_callbacks
):
    GoalSheetFactory(match=match)
    EmailPreferenceFactory(user=match.mentee.applicant, reminders=False)
    EmailPreferenceFactory(user=match.mentor.applicant, newsletter=False)

    run(
        program, today + dt.timedelta(days=14), django_capture_on_commit_callbacks, "goal_sheet_due"
    )

    assert recipients("goal_sheet_due") == [match.mentor.applicant.email]


def test_a_reminder_carries_its_own_unsubscribe_link(
    cycle, program, today, match, django_capture_on_commit_callbacks
):
    GoalSheetFactory(match=match)

    run(
        program, today + dt.timedelta(days=14), django_capture_on_commit_callbacks, "goal_sheet_due"
    )

    message = received("goal_sheet_due")[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Id"].startswith("ALSC mentoring reminders <reminders.")
    assert message.extra_headers["List-Unsubscribe"].strip("<>") in message.body
    assert Delivery.objects.filter(kind="reminder.goal_sheet_due").count() == 2


def test_a_concluded_match_leaves_the_nudges_and_the_outcome_reminder(
    cycle, program, today, match, django_capture_on_commit_callbacks
):
    agreed_sheet(match, titles=["Crafts"])
    finished = MatchFactory(cycle=cycle)
    agreed_sheet(finished, titles=["Storytime"])
    conclusion.match_conclude(match=finished, reason="The mentee took another post.")
    nudge_day = add_months(today, 2).replace(day=20)

    nudged = run(program, nudge_day, django_capture_on_commit_callbacks, "check_in")
    concluding = run(
        program,
        cycle.ends_on - dt.timedelta(days=14),
        django_capture_on_commit_callbacks,
        "conclusion",
    )

    assert (nudged, concluding) == (2, 2)
    expected = sorted([match.mentee.applicant.email, match.mentor.applicant.email])
    # (the conclusion's day may fall on a nudge day too: the same two people again)
    assert set(recipients("check_in")) == set(expected)
    assert recipients("conclusion") == expected
