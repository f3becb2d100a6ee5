"""The web archive of past issues: for participants, only issues that went out in the
cycles they take part in (404 otherwise); constant queries; and the selector the
"My mentoring" dashboard shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matches.models import Match
from newsletter.models import NewsletterIssue, add_months
from newsletter.selectors import latest_newsletter_for
from tests.factories import (
    ActivityFactory,
    CheckInFactory,
    EventFactory,
    MatchFactory,
    NewsletterIssueFactory,
    agreed_sheet,
    verified_user,
)

pytestmark = pytest.mark.django_db

Status = NewsletterIssue.Status
ARCHIVE = reverse("newsletter:archive")


def issue(cycle, months_in=0, status=Status.SENT, **kwargs) -> NewsletterIssue:
    return NewsletterIssueFactory(
        cycle=cycle,
        month=add_months(cycle.starts_on, months_in),
        status=status,
        send_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if status != Status.DRAFT else None,
        **kwargs,
    )


@pytest.fixture
def reader(client, mentee):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=mentee, email=mentee.email, verified=True, primary=True)
    client.force_login(mentee)
    return client


def test_the_archive_needs_a_sign_in(client):
    response = client.get(ARCHIVE)

    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_participant_sees_the_issues_that_went_out_in_their_cycle(reader, cycle, match):
    sent = issue(cycle, 0, subject="November news")
    going = issue(cycle, 1, status=Status.SENDING, subject="December news")
    issue(cycle, 2, status=Status.SCHEDULED, subject="January news")
    issue(cycle, 3, status=Status.DRAFT, subject="February news")
    issue(MatchFactory().cycle, 0, subject="Another program's news")

    response = reader.get(ARCHIVE)

    assert list(response.context["issues"]) == [going, sent]
    page = response.content.decode()
    assert "November news" in page and "January news" not in page
    assert "Another program" not in page


def test_each_issue_reads_in_the_readers_language_else_in_english(reader, cycle, match, mentee):
    november, december = issue(cycle, 0), issue(cycle, 1)
    NewsletterIssue.objects.filter(pk=november.pk).update(
        subject_en="November news", subject_es="Noticias de noviembre"
    )
    NewsletterIssue.objects.filter(pk=december.pk).update(subject_en="December news", subject_es="")
    mentee.language = "es"
    mentee.save()

    page = reader.get(ARCHIVE).content.decode()

    assert "Noticias de noviembre" in page and "November news" not in page
    assert "December news" in page
    assert "ALSC 2026-2027" in page


def test_a_participant_of_two_program_years_sees_both_newest_first(reader, cycle, match, mentee):
    earlier = MatchFactory(
        mentee__applicant=mentee,
        cycle__starts_on=cycle.starts_on - dt.timedelta(days=365),
        cycle__ends_on=cycle.starts_on - dt.timedelta(days=60),
        status=Match.Status.CONCLUDED,
    ).cycle
    this_year, last_year = issue(cycle, 0), issue(earlier, 0)

    response = reader.get(ARCHIVE)

    assert list(response.context["issues"]) == [this_year, last_year]
    assert f"{earlier.program.short_name} {earlier.name}" in response.content.decode()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SCHEDULED])
def test_an_issue_not_sent_yet_is_a_404(reader, cycle, match, status):
    unsent = issue(cycle, status=status)

    assert reader.get(reverse("newsletter:issue", args=[unsent.pk])).status_code == 404


def test_another_cycles_issue_is_a_404(reader, match):
    elsewhere = issue(MatchFactory().cycle)

    assert reader.get(reverse("newsletter:issue", args=[elsewhere.pk])).status_code == 404


def test_an_issue_on_the_web_shows_the_readers_own_goals(reader, cycle, match):
    agreed_sheet(match, titles=["Six crafts for Bookbag"])
    other = MatchFactory(cycle=cycle)
    agreed_sheet(other, titles=["Somebody else's goal"])
    sent = issue(cycle, news="**Welcome** to the year.")
    sent.news_html = "<p><strong>Welcome</strong> to the year.</p>"
    sent.save()

    page = reader.get(reverse("newsletter:issue", args=[sent.pk])).content.decode()

    assert "<strong>Welcome</strong> to the year." in page
    assert "Six crafts for Bookbag" in page
    assert "Somebody else" not in page
    assert "With Rosa, your mentor" in page


def test_a_staff_member_outside_the_cycle_gets_a_404_too(client, cycle, match):
    sent = issue(cycle)
    client.force_login(verified_user(is_staff=True))

    assert client.get(reverse("newsletter:issue", args=[sent.pk])).status_code == 404


def test_the_latest_newsletter_for_the_dashboard(cycle, match, mentee):
    assert latest_newsletter_for(mentee) is None
    issue(cycle, 0)
    december = issue(cycle, 1)
    issue(cycle, 2, status=Status.SCHEDULED)

    assert latest_newsletter_for(mentee) == december
    assert latest_newsletter_for(verified_user()) is None


def test_the_archive_and_an_issue_cost_constant_queries(reader, cycle, match):
    agreed_sheet(match, titles=["Goal one", "Goal two"])

    def queries(path) -> int:
        reader.get(path)  # the first visit after a change reads the shared content again
        with CaptureQueriesContext(connection) as ctx:
            assert reader.get(path).status_code == 200
        return len(ctx.captured_queries)

    def grow(issue, n):
        issue.featured_activities.add(
            *ActivityFactory.create_batch(n, category__program=cycle.program)
        )
        issue.events.add(*EventFactory.create_batch(n, cycle=cycle))
        for goal in match.goal_sheet.goals.all():
            CheckInFactory.create_batch(n, goal=goal)

    first = issue(cycle, 0)
    first.milestones.set(cycle.milestones.all())
    grow(first, 1)
    few = queries(ARCHIVE), queries(reverse("newsletter:issue", args=[first.pk]))
    for months_in in range(1, 7):
        issue(cycle, months_in)
    grow(first, 4)
    many = queries(ARCHIVE), queries(reverse("newsletter:issue", args=[first.pk]))

    assert few == many
