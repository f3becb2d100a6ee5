"""The committee's newsletter screens: the changelist (constant queries, delivery
counts), adding a pre-filled draft, editing, preview as a chosen recipient, a test to
yourself, scheduling, the delivery report with "retry failed", and the reminders sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Delivery
from newsletter.models import ISSUE_KIND, TEST_KIND, NewsletterIssue, add_months
from newsletter.tokens import read_unsubscribe_token
from tests.factories import (
    ActivityFactory,
    CycleFactory,
    GoalSheetFactory,
    MatchFactory,
    NewsletterIssueFactory,
    agreed_sheet,
)

pytestmark = pytest.mark.django_db

Status = NewsletterIssue.Status
CHANGELIST = reverse("admin:newsletter_newsletterissue_changelist")


def url(name: str, issue) -> str:
    return reverse(f"admin:newsletter_newsletterissue_{name}", args=[issue.pk])


def sent_issue(cycle, *, delivered=0, failed=0, pending=0, months_in=0) -> NewsletterIssue:
    issue = NewsletterIssueFactory(
        cycle=cycle,
        month=add_months(cycle.starts_on, months_in),
        status=Status.SENT,
        send_at=timezone.now(),
    )
    statuses = ["sent"] * delivered + ["failed"] * failed + ["pending"] * pending
    Delivery.objects.bulk_create(
        Delivery(
            message_key=issue.message_key,
            kind=ISSUE_KIND,
            to_email=f"r{issue.pk}-{i}@example.org",
            status=status,
            last_error="SMTPRecipientsRefused: 550 No such mailbox" if status == "failed" else "",
        )
        for i, status in enumerate(statuses)
    )
    return issue


def queries(client, path) -> tuple[int, str]:
    # Measured with the shared content cache warm, as a site runs: the factories make
    # programs and cycles, and the first visit after such a change reads them afresh.
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_changelist_shows_delivery_counts_in_constant_queries(staff_client, cycle):
    sent_issue(cycle, delivered=5, failed=2, pending=1)
    few, page = queries(staff_client, CHANGELIST)
    assert '?status=delivered">5</a>' in page
    assert '?status=failed">2</a>' in page
    assert '?status=pending">1</a>' in page

    for months_in in range(1, 6):
        sent_issue(cycle, delivered=3 * months_in, failed=1, months_in=months_in)
    NewsletterIssueFactory(cycle=MatchFactory().cycle)

    many, _ = queries(staff_client, CHANGELIST)
    assert few == many


def test_adding_an_issue_drafts_it_prefilled(staff_client, cycle, staff):
    ActivityFactory(category__program=cycle.program, discussion_question="What inspires you?")
    month = add_months(cycle.starts_on, 1)

    response = staff_client.post(
        reverse("admin:newsletter_newsletterissue_add"),
        {"cycle": cycle.pk, "month": f"{month:%Y-%m}"},
    )

    issue = NewsletterIssue.objects.get()
    assert response.status_code == 302 and response.url == url("change", issue)
    assert (issue.month, issue.created_by, issue.status) == (month, staff, Status.DRAFT)
    assert issue.discussion_question == "What inspires you?"


def test_the_add_form_offers_next_month_by_the_programs_own_calendar(staff_client, monkeypatch):
    # 20:00 on November 30 in Chicago (the server's zone) is already December 1 in Auckland.
    moment = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    cycle = CycleFactory(
        program__time_zone="Pacific/Auckland",
        applications_open_on=dt.date(2026, 9, 1),
        applications_close_on=dt.date(2026, 9, 30),
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2027, 6, 30),
    )

    form = staff_client.get(reverse("admin:newsletter_newsletterissue_add")).context["adminform"]

    assert form.form.initial["cycle"] == cycle.pk
    assert form.form.initial["month"] == dt.date(2027, 1, 1)


def test_adding_a_month_outside_the_program_says_so_beside_the_month(staff_client, cycle):
    response = staff_client.post(
        reverse("admin:newsletter_newsletterissue_add"),
        {"cycle": cycle.pk, "month": f"{add_months(cycle.ends_on, 2):%Y-%m}"},
    )

    assert response.status_code == 200
    assert "Choose a month of the" in str(response.context["adminform"].form.errors["month"])


def test_staff_edit_a_draft(staff_client, cycle, staff):
    issue = NewsletterIssueFactory(cycle=cycle)
    activity = ActivityFactory(category__program=cycle.program)

    response = staff_client.post(
        url("change", issue),
        {
            "subject": "December news",
            "news": "Hello **everyone**",
            "discussion_activity": "",
            "own_discussion_question": "What did you learn?",
            "featured_activities": [activity.pk],
        },
    )

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject == "December news"
    assert issue.news_html == "<p>Hello <strong>everyone</strong></p>"
    assert list(issue.featured_activities.all()) == [activity]
    assert issue.updated_by == staff


def test_a_sent_issue_is_shown_read_only(staff_client, cycle):
    issue = sent_issue(cycle, delivered=2)

    page = staff_client.get(url("change", issue)).content.decode()
    response = staff_client.post(url("change", issue), {"subject": "Changed", "news": ""})

    assert "Delivery report" in page and 'name="subject"' not in page
    assert response.status_code == 200
    assert (
        "it can no longer be changed. What you typed is still below." in response.content.decode()
    )
    assert 'value="Changed"' in response.content.decode()
    issue.refresh_from_db()
    assert issue.subject != "Changed"


def test_the_preview_shows_the_issue_as_the_chosen_recipient(staff_client, cycle, match):
    agreed_sheet(match, titles=["Six crafts for Bookbag"])
    other = MatchFactory(cycle=cycle, mentee__preferred_name="Lee")
    GoalSheetFactory(match=other)
    issue = NewsletterIssueFactory(cycle=cycle)

    as_mentee = staff_client.get(url("preview", issue), {"recipient": match.mentee.applicant.pk})
    as_other = staff_client.get(url("preview", issue), {"recipient": other.mentee.applicant.pk})
    html = staff_client.get(url("preview_html", issue), {"recipient": match.mentee.applicant.pk})

    assert "Six crafts for Bookbag" in as_mentee.context["rendered"].text
    assert "Your goal sheet is still a draft." in as_other.context["rendered"].text
    assert "List-Unsubscribe-Post" in as_mentee.content.decode()
    assert "Six crafts for Bookbag" in html.content.decode()
    assert "style-src 'unsafe-inline'" in html["Content-Security-Policy"]
    assert html["X-Frame-Options"] == "SAMEORIGIN"


def test_the_preview_finds_recipients_and_refuses_strangers(staff_client, cycle, match):
    issue = NewsletterIssueFactory(cycle=cycle)
    mentee = match.mentee.applicant

    found = staff_client.get(url("preview", issue), {"q": mentee.email[:8]}).context["found"]
    stranger = staff_client.get(
        url("preview", issue), {"recipient": MatchFactory().mentee.applicant.pk}
    )

    assert mentee in found
    assert stranger.status_code == 404


def test_staff_send_a_test_to_themselves(
    staff_client, staff, cycle, match, django_capture_on_commit_callbacks
):
    agreed_sheet(match, titles=["Six crafts for Bookbag"])
    issue = NewsletterIssueFactory(cycle=cycle, subject="December news")

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("test", issue), {"recipient": match.mentee.applicant.pk})
        staff_client.post(url("test", issue), {"recipient": match.mentee.applicant.pk})

    assert [m.to for m in mail.outbox] == [[staff.email], [staff.email]]
    assert mail.outbox[0].subject == "[Test] December news"
    assert "Six crafts for Bookbag" in mail.outbox[0].body
    assert "Test copy for" in mail.outbox[0].body
    assert set(Delivery.objects.values_list("kind", flat=True)) == {TEST_KIND}
    # Its unsubscribe link is the tester's, never the participant's it shows.
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (staff.pk, "newsletter")
    assert not Delivery.objects.filter(message_key=issue.message_key).exists()


def test_staff_schedule_an_issue_in_the_programs_time_zone(staff_client, cycle, match):
    issue = NewsletterIssueFactory(cycle=cycle)
    day = timezone.localdate() + dt.timedelta(days=3)

    form = staff_client.get(url("schedule", issue)).context["form"]
    response = staff_client.post(
        url("schedule", issue), {"send_on": day.isoformat(), "send_time": "09:00"}
    )

    assert form.initial["send_time"] is not None
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Status.SCHEDULED
    assert issue.send_at == dt.datetime.combine(day, dt.time(9), tzinfo=cycle.program.tz)


def test_scheduling_for_the_past_is_refused_beside_the_field(staff_client, cycle, match):
    issue = NewsletterIssueFactory(cycle=cycle)
    response = staff_client.post(
        url("schedule", issue),
        {"send_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(), "send_time": "9:00"},
    )

    assert response.status_code == 200
    assert "Choose a time from now on" in str(response.context["form"].errors["send_on"])
    issue.refresh_from_db()
    assert issue.status == Status.DRAFT


def test_send_now_and_take_back(staff_client, cycle, match):
    issue = NewsletterIssueFactory(cycle=cycle)

    staff_client.post(url("schedule", issue), {"send_now": "1"})
    issue.refresh_from_db()
    assert issue.status == Status.SCHEDULED and issue.send_at <= timezone.now()

    staff_client.post(url("unschedule", issue))
    issue.refresh_from_db()
    assert issue.status == Status.DRAFT


def test_the_delivery_report_counts_and_lists_each_recipient(staff_client, cycle):
    issue = sent_issue(cycle, delivered=3, failed=2, pending=1)

    n, page = queries(staff_client, url("report", issue))
    failed = staff_client.get(url("report", issue), {"status": "failed"})

    assert (
        "<strong>3</strong> delivered, <strong>2</strong> failed, <strong>1</strong> pending"
        in page
    )
    assert "550 No such mailbox" in page
    assert len(failed.context["page"].object_list) == 2
    assert "Retry failed (2)" in page

    Delivery.objects.bulk_create(
        Delivery(message_key=issue.message_key, kind=ISSUE_KIND, to_email=f"more{i}@example.org")
        for i in range(30)
    )
    assert queries(staff_client, url("report", issue))[0] == n


def test_retry_failed_queues_the_failed_deliveries_again(
    staff_client, cycle, django_capture_on_commit_callbacks
):
    issue = sent_issue(cycle, delivered=1, failed=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("retry_failed", issue), follow=True)

    assert "2 failed deliveries queued again." in response.content.decode()
    assert Delivery.objects.filter(message_key=issue.message_key, status="sent").count() == 3
    assert len(mail.outbox) == 2


def test_staff_see_the_reminders_sent(staff_client, cycle):
    Delivery.objects.create(
        message_key="reminder:goal_sheet_due:match-1",
        kind="reminder.goal_sheet_due",
        to_email="maya@example.org",
        subject="Your goal sheet is due in 7 days",
        status="sent",
    )
    Delivery.objects.create(message_key="x", kind="goal_sheet_agreed", to_email="maya@example.org")

    changelist = reverse("admin:newsletter_sentreminder_changelist")
    page = staff_client.get(changelist).content.decode()
    filtered = staff_client.get(changelist, {"reminder": "check_in"})

    assert "Goal sheet due" in page and "Your goal sheet is due in 7 days" in page
    assert "goal_sheet_agreed" not in page
    assert filtered.context["cl"].result_count == 0


def test_the_newsletters_periodic_tasks_are_on_the_database_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    from mentoring.celery import app

    app.loader.import_default_modules()
    schedule = set(PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True))

    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    for task in [
        "newsletter.tasks.send_due_newsletters",
        "newsletter.tasks.draft_next_newsletters",
        "newsletter.tasks.send_reminders",
    ]:
        assert task in schedule and task in app.tasks


def test_the_report_shows_the_sending_as_it_goes(staff_client, cycle):
    issue = sent_issue(cycle, delivered=3, failed=0, pending=2)

    report = staff_client.get(url("report", issue)).content.decode()
    fragment = staff_client.get(url("progress", issue)).content.decode()

    # The report fetches its counts again while deliveries are pending (a static script:
    # the security policy allows no inline one).
    assert f'data-progress-url="{url("progress", issue)}"' in report
    assert "committee/progress.js" in report and "<script>" not in report
    assert 'data-running="yes"' in fragment
    assert "<strong>3</strong> delivered" in fragment and "<strong>2</strong> pending" in fragment

    Delivery.objects.filter(message_key=issue.message_key).update(status=Delivery.Status.SENT)
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT)
    fragment = staff_client.get(url("progress", issue)).content.decode()
    assert 'data-running="no"' in fragment and "<strong>5</strong> delivered" in fragment


def test_send_now_leads_to_the_report_that_counts_it(staff_client, cycle, match):
    issue = NewsletterIssueFactory(cycle=cycle)

    response = staff_client.post(url("schedule", issue), {"send_now": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == url("report", issue)
    assert "It goes out within the minute." in response.content.decode()
