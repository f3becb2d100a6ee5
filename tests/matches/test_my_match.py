"""“My match”: each partner sees the other; nobody else can open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matches.models import Match
from mentoring.models import Milestone
from tests.factories import (
    ConferenceFactory,
    CycleFactory,
    InterestFactory,
    MatchFactory,
    MilestoneFactory,
    ProposalFactory,
    accepted_mentee,
    accepted_mentor,
    verified_user,
)
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def match():
    cycle = CycleFactory()
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=cycle.starts_on + dt.timedelta(days=45),
    )
    storytime = InterestFactory(
        program=cycle.program, name="Storytime programs", short_name="storytime"
    )
    outreach = InterestFactory(program=cycle.program, name="Community outreach")
    annual = ConferenceFactory(program=cycle.program, name="ALA Annual")
    mentor = accepted_mentor(
        cycle,
        applicant=verified_user(full_name="Pat Lee"),
        full_name="Patricia Lee",
        preferred_name="Pat",
        pronouns="she/her",
        email="pat@example.org",
        phone="614-555-0100",
        communication_methods=["email", "phone", "video"],
        in_person_ok=True,
        state="OH",
        organization="Columbus Metropolitan Library",
        interests=[storytime, outreach],
        conferences=[annual],
    )
    mentee = accepted_mentee(
        cycle,
        applicant=verified_user(full_name="Sam Ortiz"),
        full_name="Sam Ortiz",
        email="sam@example.org",
        communication_methods=["video"],
        in_person_ok=True,
        state="OH",
        interests=[storytime],
        conferences=[annual],
    )
    return MatchFactory(cycle=cycle, mentor=mentor, mentee=mentee)


def login(client, application):
    client.login(username=application.applicant.email, password=PASSWORD)


def test_the_mentee_sees_their_mentor_how_to_reach_them_and_what_they_share(client, match):
    login(client, match.mentee)

    response = client.get(reverse("matches:detail", args=[match.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your mentor: Pat" in page
    assert "Patricia Lee" in page and "(goes by Pat)" in page and "she/her" in page
    assert "pat@example.org" in page
    assert "614-555-0100" in page  # phone is one of the ways Pat likes to talk
    assert "<strong>Interests:</strong> storytime" in page
    assert "Community outreach" not in page.split("What you share")[1].split("Meeting")[0]
    assert "Both like to talk by video call" in page
    assert "You are both in Ohio" in page
    assert "a coffee or a library visit is possible" in page
    assert "You both plan to attend ALA Annual" in page
    due = match.cycle.starts_on + dt.timedelta(days=45)
    assert f"Goal sheet due by {due:%B} {due.day}, {due.year}." in page
    # The next steps lead to where they are done.
    assert f'href="{reverse("goals:sheet", args=[match.pk])}"' in page
    assert f'href="{reverse("activities:log", args=[match.pk])}"' in page


def test_the_mentor_sees_their_mentee(client, match):
    login(client, match.mentor)

    page = client.get(reverse("matches:detail", args=[match.pk])).content.decode()

    assert "Your mentee: Sam Ortiz" in page
    assert "sam@example.org" in page
    assert "Video call" in page


def test_nobody_else_can_open_a_match(client, match):
    client.force_login(verified_user())

    assert client.get(reverse("matches:detail", args=[match.pk])).status_code == 404


def test_staff_outside_the_match_cannot_open_it_either(client, match):
    client.force_login(verified_user(is_staff=True))

    assert client.get(reverse("matches:detail", args=[match.pk])).status_code == 404


def test_signing_in_is_required(client, match):
    response = client.get(reverse("matches:detail", args=[match.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("status", [Match.Status.PROPOSED, Match.Status.DISSOLVED])
def test_partners_cannot_open_a_match_that_is_not_confirmed(client, match, status):
    Match.objects.filter(pk=match.pk).update(status=status)
    login(client, match.mentee)

    assert client.get(reverse("matches:detail", args=[match.pk])).status_code == 404


def test_my_matches_goes_straight_to_the_only_match(client, match):
    login(client, match.mentor)

    response = client.get(reverse("matches:mine"))

    assert response.status_code == 302
    assert response["Location"] == reverse("matches:detail", args=[match.pk])


def test_my_matches_lists_a_mentors_mentees(client, match):
    second = MatchFactory(cycle=match.cycle, mentor=match.mentor)
    ProposalFactory(cycle=match.cycle, mentor=match.mentor)  # not confirmed: not shown
    login(client, match.mentor)

    page = client.get(reverse("matches:mine")).content.decode()

    assert f"Your mentee {match.mentee.display_name}" in page
    assert f"Your mentee {second.mentee.display_name}" in page
    assert page.count("Your mentee") == 2


def test_someone_without_a_match_is_told_what_happens_next(client):
    client.force_login(verified_user())

    page = client.get(reverse("matches:mine")).content.decode()

    assert "You have no match yet" in page


def test_the_match_page_costs_the_same_queries_however_much_the_partners_share(client, match):
    login(client, match.mentee)
    url = reverse("matches:detail", args=[match.pk])
    client.get(url)  # the first visit after a change fills the shared content
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        interest = InterestFactory(program=match.cycle.program)
        match.mentor.interests.add(interest)
        match.mentee.interests.add(interest)

    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
