"""The demo leaves sent issues with their delivery reports and next month's draft, and
runs twice without change; a person's newsletter data can be exported and erased."""

from __future__ import annotations

import datetime as dt

import pytest

from mentoring.models import Delivery, Milestone
from newsletter import demo, privacy
from newsletter.models import (
    ISSUE_KIND,
    EmailPreference,
    NewsletterIssue,
    add_months,
    month_start,
    program_months,
)
from tests.factories import (
    CycleFactory,
    EmailPreferenceFactory,
    MatchFactory,
    MilestoneFactory,
    ProgramFactory,
    UserFactory,
    agreed_sheet,
)


@pytest.fixture
def alsc_cycle():
    program = ProgramFactory(slug="alsc", short_name="ALSC")
    today = program.today()
    cycle = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=120),
        applications_close_on=today - dt.timedelta(days=90),
        starts_on=today - dt.timedelta(days=70),
        ends_on=today + dt.timedelta(days=200),
    )
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.INTRODUCTIONS, ends_on=today + dt.timedelta(days=20)
    )
    UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    return cycle


@pytest.mark.django_db(transaction=True)
def test_the_demo_sends_the_months_begun_and_drafts_the_next_one(alsc_cycle):
    matches = [MatchFactory(cycle=alsc_cycle) for _ in range(4)]
    agreed_sheet(matches[0])
    today = alsc_cycle.program.today()
    begun = [m for m in program_months(alsc_cycle) if m <= month_start(today)]

    demo.seed(log=lambda line: None)
    demo.seed(log=lambda line: None)

    sent = NewsletterIssue.objects.filter(status="sent").order_by("month")
    assert [issue.month for issue in sent] == begun
    for issue in sent:
        statuses = list(
            Delivery.objects.filter(message_key=issue.message_key).values_list("status", flat=True)
        )
        # 4 mentees and 4 mentors, one of whom turned the newsletter off; one bounced.
        assert sorted(statuses) == ["failed"] + ["sent"] * 6
    draft = NewsletterIssue.objects.get(status="draft")
    assert draft.month == add_months(month_start(today), 1) and draft.auto_drafted
    assert Delivery.objects.filter(kind="newsletter.draft_ready").count() == 1


@pytest.mark.django_db
def test_without_active_matches_the_demo_sends_nothing(alsc_cycle):
    lines = []

    demo.seed(log=lines.append)

    assert not NewsletterIssue.objects.exists()
    assert "no active matches" in lines[0]


@pytest.mark.django_db
def test_a_persons_newsletter_data_is_exported_then_erased():
    person = UserFactory()
    EmailPreferenceFactory(user=person, newsletter=False)
    sent = Delivery.objects.create(
        message_key="newsletter:1",
        kind=ISSUE_KIND,
        recipient=person,
        to_email=person.email,
        subject="November news",
        status="sent",
    )
    pending = Delivery.objects.create(
        message_key="reminder:check_in:match-3:2027-01",
        kind="reminder.check_in",
        recipient=person,
        to_email=person.email,
        subject="How are your goals going?",
        body_text=f"Hello {person.full_name}",
    )
    other = Delivery.objects.create(
        message_key="goal-sheet:1",
        kind="goal_sheet_agreed",
        recipient=person,
        to_email=person.email,
    )

    exported = privacy.export_personal_data(person)
    privacy.erase_personal_data(person)

    assert exported["email_preferences"]["newsletter"] is False
    assert [e["subject"] for e in exported["emails"]] == [
        "November news",
        "How are your goals going?",
    ]
    assert not EmailPreference.objects.filter(user=person).exists()
    sent.refresh_from_db()
    pending.refresh_from_db()
    assert sent.status == "sent" and sent.recipient is None
    assert sent.to_email.startswith("erased-") and person.email not in sent.to_email
    assert pending.status == "failed" and pending.body_text == ""
    other.refresh_from_db()
    assert other.to_email == person.email  # the core's own emails are not ours to erase
