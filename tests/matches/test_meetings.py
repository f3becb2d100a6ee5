"""Meetings: either partner records one on their match; the match page shows the year's
meetings and total hours; the committee reads them (never the notes) and exports them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from matches.models import Match, Meeting
from tests.factories import MatchFactory, MeetingFactory, UserFactory, cycle_under_way

pytestmark = pytest.mark.django_db


@pytest.fixture
def match():
    return MatchFactory(cycle=cycle_under_way(), mentee__preferred_name="Maya")


def signed_in(client, user):
    client.force_login(user)
    return client


def record(client, match, **data):
    return client.post(reverse("matches:meeting_record", args=[match.pk]), data)


def test_either_partner_records_a_meeting_and_both_see_the_hours(client, match):
    today = match.cycle.program.today()
    mentee, mentor = match.mentee.applicant, match.mentor.applicant

    response = record(
        signed_in(client, mentee),
        match,
        on=today.isoformat(),
        minutes="45",
        way="video",
        notes="Talked about storytime.",
    )
    assert response.status_code == 302 and response["Location"] == match.get_absolute_url()
    record(signed_in(client, mentor), match, on=today.isoformat(), minutes="75", way="phone")

    meetings = list(Meeting.objects.filter(match=match).order_by("pk"))
    assert [(m.minutes, m.way, m.recorded_by) for m in meetings] == [
        (45, "video", mentee),
        (75, "phone", mentor),
    ]
    page = client.get(match.get_absolute_url()).content.decode()
    assert "2 meetings, 2 hours in all" in page
    assert "Talked about storytime." in page  # the pair's notes, for the pair


def test_a_meeting_in_the_future_or_outside_the_year_is_refused_beside_the_date(client, match):
    today = match.cycle.program.today()
    signed_in(client, match.mentee.applicant)

    future = record(client, match, on=(today + dt.timedelta(days=1)).isoformat(), minutes="30")
    before = record(
        client,
        match,
        on=(match.cycle.first_day - dt.timedelta(days=1)).isoformat(),
        minutes="30",
        way="chat",
    )

    assert future.status_code == 200 and before.status_code == 200
    assert "Say how you met." in future.content.decode()
    assert future.context["form"]["minutes"].value() == "30"  # nothing typed is lost
    assert before.context["form"].errors["on"] == ["Choose a day of this program year."]
    assert not Meeting.objects.exists()


def test_a_future_date_gets_its_own_message(client, match):
    today = match.cycle.program.today()
    response = record(
        signed_in(client, match.mentor.applicant),
        match,
        on=(today + dt.timedelta(days=3)).isoformat(),
        minutes="30",
        way="email",
    )
    assert response.context["form"].errors["on"] == ["Record a meeting once it has happened."]


def test_nobody_else_records_or_reads_a_matchs_meetings(client, match):
    MeetingFactory(match=match, notes="Only ours")
    other = MatchFactory(cycle=match.cycle)
    signed_in(client, other.mentee.applicant)

    assert client.get(match.get_absolute_url()).status_code == 404
    assert (
        record(client, match, on=match.cycle.starts_on, minutes="30", way="chat").status_code == 404
    )
    assert Meeting.objects.count() == 1


def test_a_concluded_match_records_no_more_meetings(client, match):
    Match.objects.filter(pk=match.pk).update(status=Match.Status.CONCLUDED)
    signed_in(client, match.mentee.applicant)

    assert client.get(reverse("matches:meeting_record", args=[match.pk])).status_code == 404
    assert "Record a meeting" not in client.get(match.get_absolute_url()).content.decode()


def test_staff_read_and_export_meetings_without_the_pairs_notes(client, match):
    MeetingFactory(match=match, minutes=50, way="in_person", notes="Private words")
    signed_in(client, UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:matches_meeting_changelist")

    listing = client.get(changelist + f"?match__id__exact={match.pk}")
    exported = client.post(
        changelist,
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [m.pk for m in Meeting.objects.all()]},
    )
    change = client.get(reverse("admin:matches_meeting_change", args=[match.meetings.get().pk]))

    assert "In person" in listing.content.decode()
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [(r["Minutes"], r["How they met"], r["Mentee"]) for r in rows] == [
        ("50", "In person", "Maya")
    ]
    for response in (listing, exported, change):
        assert "Private words" not in response.content.decode()
