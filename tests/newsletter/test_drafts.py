"""Drafts write themselves: next month's issue is drafted in the program months,
pre-filled from the question bank, the catalog and the timeline, and staff are told."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from mentoring.models import Event
from newsletter import emails, issue_sections, services
from newsletter.models import NewsletterIssue
from newsletter.richtext import markdown_to_html
from tests.factories import (
    ActivityFactory,
    CategoryFactory,
    EventFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    UserFactory,
    seed_calendar_cycle,
    verified_user,
)

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
YEAR = 2030


@pytest.fixture
def year():
    """Seed 004's calendar for 2030-2031: networking in January, goal work Dec-June."""
    program = ProgramFactory(time_zone="America/Chicago", short_name="ALSC")
    return seed_calendar_cycle(YEAR, program=program)


@pytest.fixture
def bank(year):
    category = CategoryFactory(program=year.program, position=1)
    return [
        ActivityFactory(
            category=category, position=i, phase="conclusion", discussion_question=f"Question {i}?"
        )
        for i in range(1, 4)
    ]


def on(month: int, day: int, year: int = YEAR) -> dt.datetime:
    return dt.datetime(year, month, day, 7, 0, tzinfo=CHICAGO)


def test_a_draft_is_prefilled_from_the_bank_the_catalog_and_the_timeline(year, bank):
    category = CategoryFactory(program=year.program, position=2)
    networking = [
        ActivityFactory(category=category, phase="networking", position=i) for i in (1, 2)
    ]
    anytime = ActivityFactory(category=category, phase="any", position=3)
    ActivityFactory(category=category, phase="conclusion", position=4)
    ActivityFactory(category=category, phase="networking", is_published=False)
    session = EventFactory(
        cycle=year,
        kind=Event.Kind.NETWORKING_SESSION,
        starts_at=on(1, 20, YEAR + 1).replace(hour=18),
        ends_at=on(1, 20, YEAR + 1).replace(hour=19),
    )
    EventFactory(cycle=year, starts_at=on(4, 8, YEAR + 1), ends_at=on(4, 8, YEAR + 1))

    issue = services.issue_draft_create(cycle=year, month=dt.date(YEAR + 1, 1, 1))

    assert issue.status == NewsletterIssue.Status.DRAFT
    assert issue.subject == "ALSC mentoring newsletter: January 2031"
    assert issue.discussion_activity == bank[0]
    assert issue.discussion_question == "Question 1?"
    assert list(issue.featured_activities.order_by("position")) == [*networking, anytime]
    assert list(issue.events.all()) == [session]
    assert [m.kind for m in issue.milestones.all()] == ["networking"]


def test_the_next_draft_asks_the_next_question_and_features_new_activities(year, bank):
    category = CategoryFactory(program=year.program, position=2)
    activities = [ActivityFactory(category=category, phase="any", position=i) for i in range(5)]
    january = services.issue_draft_create(cycle=year, month=dt.date(YEAR + 1, 1, 1))

    february = services.issue_draft_create(cycle=year, month=dt.date(YEAR + 1, 2, 1))

    assert february.discussion_activity == bank[1]
    featured = set(january.featured_activities.all())
    assert not featured & set(february.featured_activities.all())
    assert set(february.featured_activities.all()) <= set(activities)


def test_a_month_outside_the_program_or_drafted_already_is_refused(year):
    with pytest.raises(ValidationError, match="Choose a month of the"):
        services.issue_draft_create(cycle=year, month=dt.date(YEAR + 1, 8, 1))
    services.issue_draft_create(cycle=year, month=dt.date(YEAR + 1, 3, 1))
    with pytest.raises(ValidationError, match="already exists"):
        services.issue_draft_create(cycle=year, month=dt.date(YEAR + 1, 3, 15))


def test_the_daily_task_drafts_next_month_once_and_tells_staff(
    year, bank, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    UserFactory(is_staff=True)  # staff without the newsletter permission are not told
    UserFactory(is_staff=True, is_superuser=True, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        drafted = services.issues_draft_next_month(now=on(12, 20))
        again = services.issues_draft_next_month(now=on(12, 21))

    assert [(i.cycle, i.month) for i in drafted] == [(year, dt.date(YEAR + 1, 1, 1))]
    assert again == []
    assert drafted[0].auto_drafted
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "Newsletter draft ready: ALSC, January 2031"
    assert "Question 1?" in message.body
    assert f"/admin/newsletter/newsletterissue/{drafted[0].pk}/change/" in message.body


def test_no_draft_too_early_in_the_month_or_after_the_program(year):
    assert services.issues_draft_next_month(now=on(12, 5)) == []
    assert services.issues_draft_next_month(now=on(6, 20, YEAR + 1)) == []
    assert services.issues_draft_next_month(now=on(10, 15)) != []  # the first month: November


def test_a_month_staff_already_drafted_is_left_alone(year):
    NewsletterIssueFactory(cycle=year, month=dt.date(YEAR + 1, 1, 1), subject="Ours")

    assert services.issues_draft_next_month(now=on(12, 20)) == []
    assert NewsletterIssue.objects.get().subject == "Ours"


def test_news_in_markdown_becomes_sanitized_html():
    html = markdown_to_html(
        "## Welcome\n\nA **bold** [link](https://ala.org) and [a trick](javascript:alert(1)).\n\n"
        "- one\n- two\n\n<script>alert(1)</script><img src=x onerror=alert(1)>"
    )

    assert "<h3>Welcome</h3>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://ala.org" rel="noopener">link</a>' in html
    assert "javascript" not in html and "<script" not in html and "<img" not in html
    assert "<li>one</li>" in html


def test_a_drafted_issue_s_subject_reaches_each_reader_in_their_language(year):
    with translation.override("es"):  # staff reading the admin in Spanish draft it
        issue = services.issue_draft_create(cycle=year, month=dt.date(YEAR + 1, 1, 1))
    issue = NewsletterIssue.objects.get(pk=issue.pk)
    spanish, english = verified_user(language="es"), verified_user(language="en")
    content = issue_sections.issue_content_get(issue.pk)

    assert issue.subject_en == "ALSC mentoring newsletter: January 2031"
    assert issue.subject_es == "Boletín de mentoría de ALSC: enero de 2031"
    assert emails.issue_preview(issue, spanish).subject == (
        "Boletín de mentoría de ALSC: enero de 2031"
    )
    assert emails.issue_preview(issue, english).subject == "ALSC mentoring newsletter: January 2031"
    assert emails.render_issue(content, None, [], test_for=spanish).subject == (
        "[Prueba] Boletín de mentoría de ALSC: enero de 2031"
    )
