"""An issue's states (draft → scheduled → sending → sent) follow one table of
transitions, enforced by the services; the beat task claims a due issue once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from newsletter import services
from newsletter.models import NewsletterIssue
from tests.factories import ActivityFactory, EventFactory, NewsletterIssueFactory

pytestmark = pytest.mark.django_db

Status = NewsletterIssue.Status


def soon() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=2)


def test_the_table_of_transitions():
    table = {status: set(targets) for status, targets in NewsletterIssue.TRANSITIONS.items()}

    assert table == {
        "draft": {"scheduled"},
        "scheduled": {"draft", "sending"},
        "sending": {"sent"},
        "sent": set(),
    }


def test_staff_schedule_a_draft_and_take_it_back(cycle, match, staff):
    issue = NewsletterIssueFactory(cycle=cycle)

    issue = services.issue_schedule(issue=issue, by=staff, send_at=soon())
    assert (issue.status, issue.scheduled_by) == (Status.SCHEDULED, staff)

    issue = services.issue_unschedule(issue=issue, by=staff)
    assert (issue.status, issue.send_at) == (Status.DRAFT, None)


def test_a_send_time_in_the_past_is_refused(cycle, match, staff):
    issue = NewsletterIssueFactory(cycle=cycle)

    with pytest.raises(ValidationError, match="Choose a time from now on"):
        services.issue_schedule(
            issue=issue, by=staff, send_at=timezone.now() - dt.timedelta(hours=1)
        )


def test_an_issue_nobody_would_receive_is_not_scheduled(cycle, staff):
    issue = NewsletterIssueFactory(cycle=cycle)

    with pytest.raises(ValidationError, match="Nobody would receive it"):
        services.issue_schedule(issue=issue, by=staff, send_at=soon())


@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.SENDING, Status.SENT])
def test_only_a_draft_can_be_scheduled(cycle, match, staff, status):
    issue = NewsletterIssueFactory(cycle=cycle, status=status, send_at=soon())

    with pytest.raises(ValidationError, match="cannot become scheduled"):
        services.issue_schedule(issue=issue, by=staff, send_at=soon())


@pytest.mark.parametrize("status", [Status.SENDING, Status.SENT])
def test_an_issue_going_out_can_neither_be_edited_nor_taken_back(cycle, match, staff, status):
    issue = NewsletterIssueFactory(cycle=cycle, status=status, send_at=timezone.now())

    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.issue_update(
            issue=issue,
            by=staff,
            subject="Changed",
            news="",
            discussion_activity=None,
            own_discussion_question="",
            featured_activities=[],
            events=[],
            milestones=[],
        )
    with pytest.raises(ValidationError, match="cannot become draft"):
        services.issue_unschedule(issue=issue, by=staff)


def test_an_edit_renders_the_news_and_keeps_choices_inside_the_program(cycle, staff):
    issue = NewsletterIssueFactory(cycle=cycle)
    own = ActivityFactory(category__program=cycle.program)
    elsewhere = ActivityFactory()
    event = EventFactory(cycle=cycle)

    issue = services.issue_update(
        issue=issue,
        by=staff,
        subject="  December news ",
        news="**Hello**",
        discussion_activity=None,
        own_discussion_question="What surprised you this month?",
        featured_activities=[own],
        events=[event],
        milestones=[],
    )
    assert issue.subject == "December news"
    assert issue.news_html == "<p><strong>Hello</strong></p>"
    assert issue.discussion_question == "What surprised you this month?"
    assert list(issue.featured_activities.all()) == [own]

    with pytest.raises(ValidationError) as refused:
        services.issue_update(
            issue=issue,
            by=staff,
            subject="December news",
            news="",
            discussion_activity=elsewhere,
            own_discussion_question="",
            featured_activities=[elsewhere],
            events=[EventFactory()],
            milestones=[],
        )
    assert set(refused.value.message_dict) == {
        "discussion_activity",
        "featured_activities",
        "events",
    }


def test_a_due_issue_is_claimed_once(cycle, match):
    issue = NewsletterIssueFactory(
        cycle=cycle, status=Status.SCHEDULED, send_at=timezone.now() - dt.timedelta(seconds=5)
    )

    assert services.issue_claim(issue_id=issue.pk)
    assert not services.issue_claim(issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == Status.SENDING and issue.claimed_at is not None


def test_an_issue_not_due_is_not_claimed(cycle, match):
    issue = NewsletterIssueFactory(cycle=cycle, status=Status.SCHEDULED, send_at=soon())

    assert not services.issue_claim(issue_id=issue.pk)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_get_it_once(cycle, match):
    issue = NewsletterIssueFactory(
        cycle=cycle, status=Status.SCHEDULED, send_at=timezone.now() - dt.timedelta(seconds=5)
    )
    barrier = threading.Barrier(2)
    results = []

    def claim():
        barrier.wait()
        results.append(services.issue_claim(issue_id=issue.pk))
        connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
