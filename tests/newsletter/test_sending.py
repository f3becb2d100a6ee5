"""Sending an issue (Celery eager here; the real worker has tests of its own): each
recipient gets one email with their own goal section, a text and an HTML part and the
unsubscribe headers; a task run twice sends nothing more; a refused address is recorded
as failed and the rest go out; failed deliveries can be tried again."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring import mail as machinery
from mentoring.models import Delivery
from newsletter import services
from newsletter.models import ISSUE_KIND, NewsletterIssue, add_months
from newsletter.richtext import markdown_to_html
from newsletter.tasks import send_due_newsletters
from tests.factories import (
    EmailPreferenceFactory,
    MatchFactory,
    NewsletterIssueFactory,
    agreed_sheet,
    bulk_matches,
)

pytestmark = pytest.mark.django_db

Status = NewsletterIssue.Status


def scheduled(cycle, **kwargs) -> NewsletterIssue:
    return NewsletterIssueFactory(
        cycle=cycle,
        status=Status.SCHEDULED,
        send_at=timezone.now() - dt.timedelta(minutes=1),
        **kwargs,
    )


def send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        fanned_out = send_due_newsletters.apply().get()
    services.issues_finish()
    return fanned_out


def by_recipient() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def test_each_recipient_gets_one_email_with_their_own_goals(
    cycle, match, django_capture_on_commit_callbacks
):
    agreed_sheet(match, titles=["Six crafts for Bookbag", "Meet five colleagues"])
    other = MatchFactory(cycle=cycle)
    agreed_sheet(other, titles=["Learn about school libraries"])
    issue = scheduled(cycle, subject="ALSC newsletter: December")

    assert send(django_capture_on_commit_callbacks) == [issue.pk]

    messages = by_recipient()
    assert len(mail.outbox) == 4
    mentee_copy = messages[match.mentee.applicant.email]
    assert mentee_copy.subject == "ALSC newsletter: December"
    assert "Six crafts for Bookbag" in mentee_copy.body
    assert "Meet five colleagues" in mentee_copy.body
    assert "Learn about school libraries" not in mentee_copy.body
    assert "With Rosa, your mentor" in mentee_copy.body
    assert "With Maya, your mentee" in messages[match.mentor.applicant.email].body
    assert "Learn about school libraries" in messages[other.mentee.applicant.email].body
    html, kind = mentee_copy.alternatives[0]
    assert kind == "text/html" and "Six crafts for Bookbag" in html
    issue.refresh_from_db()
    assert issue.status == Status.SENT and issue.recipients_count == 4
    assert set(
        Delivery.objects.filter(message_key=issue.message_key).values_list("status", "kind")
    ) == {("sent", ISSUE_KIND)}


def test_each_copy_of_a_batch_has_the_news_in_its_readers_language(
    cycle, match, django_capture_on_commit_callbacks
):
    spanish = match.mentee.applicant
    spanish.language = "es"
    spanish.save()
    issue = scheduled(cycle, subject="ALSC newsletter: December")
    issue.news, issue.news_html = "Write **this week**.", markdown_to_html("Write **this week**.")
    issue.news_es = "Escriban **esta semana**."
    issue.news_html_es = markdown_to_html(issue.news_es)
    issue.save()

    send(django_capture_on_commit_callbacks)

    messages = by_recipient()
    in_spanish, in_english = messages[spanish.email], messages[match.mentor.applicant.email]
    assert "Escriban **esta semana**." in in_spanish.body
    assert "<strong>esta semana</strong>" in in_spanish.alternatives[0][0]
    assert "this week" not in in_spanish.body + in_spanish.alternatives[0][0]
    assert "Write **this week**." in in_english.body
    assert "<strong>this week</strong>" in in_english.alternatives[0][0]
    assert "semana" not in in_english.body + in_english.alternatives[0][0]


def test_every_copy_carries_one_click_unsubscribe_headers(
    cycle, match, django_capture_on_commit_callbacks
):
    scheduled(cycle)

    send(django_capture_on_commit_callbacks)

    for message in mail.outbox:
        headers = message.extra_headers
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = headers["List-Unsubscribe"].strip("<>")
        assert link.startswith("http://testserver/email/unsubscribe/")
        assert link in message.body and link in message.alternatives[0][0]
        assert headers["List-Id"].startswith("ALSC mentoring newsletter <newsletter.")


def test_the_send_task_run_twice_sends_each_recipient_once(
    cycle, match, django_capture_on_commit_callbacks
):
    issue = scheduled(cycle)

    send(django_capture_on_commit_callbacks)
    assert send(django_capture_on_commit_callbacks) == []
    services.issue_fan_out(issue=issue)  # even a fan-out forced again records nobody twice

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [match.mentee.applicant.email, match.mentor.applicant.email]
    )
    assert Delivery.objects.filter(message_key=issue.message_key).count() == 2


def test_an_issue_not_yet_due_waits(cycle, match, django_capture_on_commit_callbacks):
    issue = NewsletterIssueFactory(
        cycle=cycle, status=Status.SCHEDULED, send_at=timezone.now() + dt.timedelta(hours=1)
    )

    assert send(django_capture_on_commit_callbacks) == []

    issue.refresh_from_db()
    assert issue.status == Status.SCHEDULED and mail.outbox == []


def test_drafts_are_never_sent(cycle, match, django_capture_on_commit_callbacks):
    NewsletterIssueFactory(cycle=cycle)

    assert send(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_recipients_are_the_partners_of_active_matches_less_those_who_unsubscribed(
    cycle, match, django_capture_on_commit_callbacks
):
    mentor_of_two = match.mentor
    second = MatchFactory(cycle=cycle, mentor=mentor_of_two)
    MatchFactory(cycle=cycle, status="proposed")
    MatchFactory(cycle=cycle, status="dissolved", dissolved_reason="Moved away")
    quiet = MatchFactory(cycle=cycle)
    EmailPreferenceFactory(user=quiet.mentee.applicant, newsletter=False)
    MatchFactory()  # another cycle's
    issue = scheduled(cycle)

    send(django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            match.mentee.applicant.email,
            mentor_of_two.applicant.email,
            second.mentee.applicant.email,
            quiet.mentor.applicant.email,
        ]
    )
    mentor_copy = by_recipient()[mentor_of_two.applicant.email]
    assert mentor_copy.body.count("your mentee") == 2  # one goal section per mentee
    issue.refresh_from_db()
    assert issue.recipients_count == 4


def test_a_refused_address_is_recorded_as_failed_and_the_rest_go_out(
    cycle, match, monkeypatch, django_capture_on_commit_callbacks
):
    refused = match.mentor.applicant.email
    original = machinery.EmailMultiAlternatives.send

    def send_or_refuse(message, fail_silently=False):
        if message.to == [refused]:
            raise smtplib.SMTPRecipientsRefused({refused: (550, b"5.1.1 No such mailbox")})
        return original(message, fail_silently)

    monkeypatch.setattr(machinery.EmailMultiAlternatives, "send", send_or_refuse)
    issue = scheduled(cycle)

    send(django_capture_on_commit_callbacks)

    assert [m.to[0] for m in mail.outbox] == [match.mentee.applicant.email]
    failed = Delivery.objects.get(message_key=issue.message_key, to_email=refused)
    assert failed.status == Delivery.Status.FAILED and "550" in failed.last_error
    issue.refresh_from_db()
    assert issue.status == Status.SENT  # every delivery finished, one of them failed

    monkeypatch.setattr(machinery.EmailMultiAlternatives, "send", original)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issue_retry_failed(issue=issue) == 1
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted([refused, match.mentee.applicant.email])


def test_retry_failed_leaves_out_people_who_have_unsubscribed_since(cycle, match):
    issue = scheduled(cycle)
    services.issue_claim(issue_id=issue.pk)
    for user in (match.mentee.applicant, match.mentor.applicant):
        Delivery.objects.create(
            message_key=issue.message_key,
            kind=ISSUE_KIND,
            recipient=user,
            to_email=user.email,
            status=Delivery.Status.FAILED,
        )
    EmailPreferenceFactory(user=match.mentor.applicant, newsletter=False)

    assert services.issue_retry_failed(issue=issue) == 1


def test_the_issue_stays_sending_until_every_delivery_finished(cycle, match):
    issue = scheduled(cycle)
    # Recorded but not sent (outside an on-commit capture nothing is published).
    assert services.issues_send_due() == [issue.pk]

    issue.refresh_from_db()
    assert issue.status == Status.SENDING and issue.fanned_out_at is not None
    assert services.issues_finish() == 0

    Delivery.objects.filter(message_key=issue.message_key).update(status=Delivery.Status.SENT)
    assert services.issues_finish() == 1
    issue.refresh_from_db()
    assert issue.status == Status.SENT and issue.sent_at is not None


def test_a_fan_out_left_by_a_dead_worker_is_taken_over(cycle, match, settings):
    issue = scheduled(cycle)
    assert services.issue_claim(issue_id=issue.pk)  # the worker that then died
    assert not services.issue_claim(issue_id=issue.pk)
    assert services.issues_send_due() == []

    settings.NEWSLETTER_FAN_OUT_TIMEOUT = 0
    assert services.issues_send_due() == [issue.pk]
    assert Delivery.objects.filter(message_key=issue.message_key).count() == 2


def test_rendering_a_batch_costs_a_constant_number_of_queries(cycle):
    """Queries per delivery do not grow with the batch: what the copies share is
    loaded once per batch."""

    def queries_for(n: int, prefix: str) -> int:
        bulk_matches(cycle, n, prefix=prefix)
        issue = scheduled(cycle, month=add_months(cycle.starts_on, n // 5))
        services.issue_claim(issue_id=issue.pk)
        services.issue_fan_out(issue=issue)
        ids = list(
            Delivery.objects.filter(message_key=issue.message_key, to_email__startswith=prefix)
            .order_by("pk")
            .values_list("pk", flat=True)
        )[: 2 * n]
        with CaptureQueriesContext(connection) as ctx:
            outcome = machinery.deliveries_send(delivery_ids=ids)
        assert outcome.sent == len(ids) == 2 * n
        return len(ctx.captured_queries)

    queries_for(1, "w")  # fills the shared content cache (interests, areas), as in use
    small, large = queries_for(5, "s"), queries_for(20, "l")
    # One per delivery (its "sent" mark) plus a fixed number per batch (the claim and
    # load of the whole batch, the issue, the goal sections).
    assert large - small == 1 * (40 - 10)
