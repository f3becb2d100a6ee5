"""Concluding the program year: the beat task on each cycle's last day (in its program's
time zone, once), staff concluding one match or a cycle early with a reason, what the
partners keep and what stops."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matches import conclusion, tasks
from matches.models import Match
from mentoring.models import Delivery
from mentoring.schedules import periodic_tasks_register
from newsletter.models import NewsletterIssue
from newsletter.selectors import archive_for, issue_recipients
from tests.factories import (
    CycleFactory,
    MatchFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    UserFactory,
    cycle_under_way,
)

pytestmark = pytest.mark.django_db

# UTC+14 and UTC-11: at any moment their calendars show different days.
EARLIEST, LATEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"


def ending_cycle(time_zone: str, ends_on: dt.date):
    program = ProgramFactory(time_zone=time_zone)
    return CycleFactory(
        program=program,
        applications_open_on=ends_on - dt.timedelta(days=300),
        applications_close_on=ends_on - dt.timedelta(days=280),
        starts_on=ends_on - dt.timedelta(days=250),
        ends_on=ends_on,
    )


def conclusion_emails() -> list[Delivery]:
    return list(Delivery.objects.filter(kind="match_conclusion"))


def test_the_beat_task_concludes_a_cycle_on_its_last_day_where_the_program_is_run(
    django_capture_on_commit_callbacks,
):
    last_day = ProgramFactory(time_zone=EARLIEST).today()
    ended = ending_cycle(EARLIEST, last_day)  # its last day has come
    not_yet = ending_cycle(LATEST, last_day)  # still the day before there
    done, waiting = MatchFactory(cycle=ended), MatchFactory(cycle=not_yet)
    dissolved = MatchFactory(cycle=ended, status=Match.Status.DISSOLVED, dissolved_reason="Moved")

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.conclude_ended_cycles()
    second = tasks.conclude_ended_cycles()

    assert (first, second) == (1, 0)
    statuses = dict(Match.objects.values_list("pk", "status"))
    assert statuses[done.pk] == Match.Status.CONCLUDED
    assert statuses[waiting.pk] == Match.Status.ACTIVE
    assert statuses[dissolved.pk] == Match.Status.DISSOLVED
    done.refresh_from_db()
    assert done.concluded_at is not None and done.concluded_by is None
    sent_to = sorted(d.to_email for d in conclusion_emails())
    assert sent_to == sorted([done.mentee.applicant.email, done.mentor.applicant.email])
    letter = Delivery.objects.get(kind="match_conclusion", recipient=done.mentee.applicant)
    grace = ended.ends_on + dt.timedelta(days=30)
    assert f"by {grace:%B} {grace.day}, {grace.year}" in letter.body_text
    assert done.mentor.full_name in letter.body_text and "<h2" in letter.body_html


def test_the_task_is_on_the_beat_schedule():
    from django_celery_beat.models import PeriodicTask

    periodic_tasks_register()

    task = PeriodicTask.objects.get(name="conclude-ended-cycles")
    assert task.task == "matches.tasks.conclude_ended_cycles"
    assert task.enabled


def test_concluding_before_the_end_needs_a_reason():
    match = MatchFactory(cycle=cycle_under_way())
    staff = UserFactory(is_staff=True)

    with pytest.raises(ValidationError, match="say why the match concludes early"):
        conclusion.match_conclude(match=match, by=staff, reason="  ")
    conclusion.match_conclude(match=match, by=staff, reason="The mentee moved abroad.")

    match.refresh_from_db()
    assert match.status == Match.Status.CONCLUDED
    assert (match.concluded_by, match.concluded_reason) == (staff, "The mentee moved abroad.")
    with pytest.raises(ValidationError, match="A concluded match cannot become concluded"):
        conclusion.match_conclude(match=match, by=staff, reason="Twice")


def test_concluding_a_whole_cycle_early_leaves_other_matches_alone():
    cycle = cycle_under_way()
    active = [MatchFactory(cycle=cycle) for _ in range(2)]
    proposal = MatchFactory(cycle=cycle, status=Match.Status.PROPOSED, confirmed_at=None)
    elsewhere = MatchFactory(cycle=cycle_under_way())

    with pytest.raises(ValidationError, match="say why its matches conclude early"):
        conclusion.cycle_conclude(cycle=cycle)
    count = conclusion.cycle_conclude(cycle=cycle, reason="The division closes the program.")

    assert count == 2
    assert set(Match.objects.filter(status=Match.Status.CONCLUDED)) == set(active)
    proposal.refresh_from_db()
    elsewhere.refresh_from_db()
    assert proposal.status == Match.Status.PROPOSED
    assert elsewhere.status == Match.Status.ACTIVE


# --- Admin ----------------------------------------------------------------------------------


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_staff_conclude_one_match_early_from_admin_and_are_asked_why(client, staff):
    match = MatchFactory(cycle=cycle_under_way())
    url = reverse("admin:matches_match_conclude", args=[match.pk])
    change = client.get(reverse("admin:matches_match_change", args=[match.pk]))
    assert url in change.content.decode()

    missing = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "The mentor retired."})

    assert missing.status_code == 200
    assert "say why the match concludes early" in missing.content.decode()
    assert done.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.concluded_by, match.concluded_reason) == (
        Match.Status.CONCLUDED,
        staff,
        "The mentor retired.",
    )


def test_the_committee_home_sends_an_ended_year_to_its_conclusion_page(client, staff):
    cycle = ending_cycle("America/Chicago", ProgramFactory().today() - dt.timedelta(days=1))
    MatchFactory(cycle=cycle)
    MatchFactory(cycle=cycle)
    url = reverse("admin:matches_match_conclude_cycle", args=[cycle.pk])

    home = client.get("/admin/").content.decode()
    page = client.get(url).content.decode()
    done = client.post(url, {"reason": ""})  # after the end no reason is needed

    assert "The year to close" in home and url in home
    assert "2 active matches of" in page
    assert done.status_code == 302
    assert not Match.objects.active().filter(cycle=cycle).exists()


def test_the_conclusion_pages_refuse_staff_who_may_not_change_matches(client):
    match = MatchFactory(cycle=cycle_under_way())
    client.force_login(UserFactory(is_staff=True))

    one = client.post(reverse("admin:matches_match_conclude", args=[match.pk]), {"reason": "x"})
    whole = client.post(
        reverse("admin:matches_match_conclude_cycle", args=[match.cycle_id]), {"reason": "x"}
    )

    assert (one.status_code, whole.status_code) == (403, 403)
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE


# --- What the partners keep -----------------------------------------------------------------


def test_a_concluded_pair_keeps_their_years_newsletters_and_leaves_the_mailing():
    match = MatchFactory(cycle=cycle_under_way())
    sent = NewsletterIssueFactory(
        cycle=match.cycle,
        status=NewsletterIssue.Status.SENT,
        send_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    conclusion.match_conclude(match=match, reason="Early end")

    assert archive_for(match.mentee.applicant) == [sent]
    assert archive_for(match.mentor.applicant) == [sent]
    assert list(issue_recipients(sent)) == []
