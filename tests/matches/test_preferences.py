"""Preferences before matching: an accepted mentee reads the directory of listed mentors
(no contact details) and marks up to three preferred and any “please not”; a mentor lists
themselves with a note and declares conflicts of interest; all within the window the
cycle's “Mentor preferences” milestone sets. The engine honours them, and the board and
the introduction say when a pair was the mentee's choice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from matches import services
from matches.engine.explain import PREFERRED_REASON
from matches.models import DirectoryListing, Match, PairingWish
from mentoring.models import Milestone
from tests.factories import MilestoneFactory, accepted_mentee, accepted_mentor, cycle_under_way

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    cycle = cycle_under_way()
    today = cycle.program.today()
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.PREFERENCES,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=10),
    )
    return cycle


def listed(cycle, name, note="", **kwargs):
    mentor = accepted_mentor(
        cycle, full_name=name, email=f"{name.split()[0].lower()}@example.org", **kwargs
    )
    DirectoryListing.objects.create(mentor=mentor, note=note)
    return mentor


def page(client, application):
    client.force_login(application.applicant)
    return reverse("matches:preferences", args=[application.pk])


def test_a_mentee_reads_the_directory_without_contact_details_and_chooses(client, cycle):
    mentee = accepted_mentee(cycle)
    pat = listed(cycle, "Pat Lee", note="Storytime is my thing.", phone="614-555-0100")
    sam = listed(cycle, "Sam Cole")
    hidden = accepted_mentor(cycle, full_name="Unlisted Mentor")
    url = page(client, mentee)

    body = client.get(url).content.decode()
    assert "Pat Lee" in body and "Storytime is my thing." in body and "Sam Cole" in body
    assert "Unlisted Mentor" not in body
    assert pat.email not in body and "614-555-0100" not in body

    response = client.post(url, {f"mentor-{pat.pk}": "preferred", f"mentor-{sam.pk}": "please_not"})

    assert response.status_code == 302
    assert set(PairingWish.objects.values_list("mentor_id", "kind")) == {
        (pat.pk, "preferred"),
        (sam.pk, "please_not"),
    }
    refused = client.post(url, {f"mentor-{hidden.pk}": "preferred"})
    assert "Choose only among the mentors of the directory." in refused.content.decode()


def test_at_most_three_preferred_and_nothing_is_lost(client, cycle):
    mentee = accepted_mentee(cycle)
    mentors = [listed(cycle, f"Mentor {i} Name") for i in range(4)]
    url = page(client, mentee)

    response = client.post(url, {f"mentor-{m.pk}": "preferred" for m in mentors})

    assert "Mark at most 3 mentors as preferred." in response.content.decode()
    assert response.content.decode().count('value="preferred" checked') == 4
    assert not PairingWish.objects.exists()


def test_outside_the_window_choices_are_read_only(client, cycle):
    Milestone.objects.filter(cycle=cycle).update(
        starts_on=cycle.program.today() + dt.timedelta(days=2),
        ends_on=cycle.program.today() + dt.timedelta(days=9),
    )
    mentee = accepted_mentee(cycle)
    pat = listed(cycle, "Pat Lee")
    url = page(client, mentee)

    assert "Choices open on" in client.get(url).content.decode()
    client.post(url, {f"mentor-{pat.pk}": "preferred"})
    assert not PairingWish.objects.exists()


def test_a_mentor_lists_themselves_and_declares_a_conflict(client, cycle):
    mentor = accepted_mentor(cycle)
    colleague = accepted_mentee(cycle, full_name="Close Colleague")
    url = page(client, mentor)

    assert "Close Colleague" in client.get(url).content.decode()
    client.post(
        url, {"listed": "on", "note": "Happy to talk outreach.", "conflict": [colleague.pk]}
    )

    assert DirectoryListing.objects.get(mentor=mentor).note == "Happy to talk outreach."
    assert PairingWish.objects.get().kind == "conflict"
    client.post(url, {})
    assert not DirectoryListing.objects.exists() and not PairingWish.objects.exists()


def test_nobody_opens_someone_elses_choices(client, cycle):
    mentee = accepted_mentee(cycle)
    other = accepted_mentee(cycle)
    client.force_login(other.applicant)

    assert client.get(reverse("matches:preferences", args=[mentee.pk])).status_code == 404


def test_the_engine_honours_preferences_and_the_introduction_says_so(
    cycle, django_capture_on_commit_callbacks
):
    ways = {"communication_methods": ["email"], "interests": []}
    mentee = accepted_mentee(cycle, full_name="Maya Reader", **ways)
    ruled_out = accepted_mentee(cycle, full_name="Dana Cole", **ways)
    stranger = accepted_mentor(cycle, full_name="Stranger Mentor", mentee_capacity=2, **ways)
    chosen = accepted_mentor(cycle, full_name="Pat Lee", **ways)
    PairingWish.objects.create(mentee=mentee, mentor=chosen, kind="preferred")
    PairingWish.objects.create(mentee=ruled_out, mentor=stranger, kind="conflict")
    PairingWish.objects.create(mentee=ruled_out, mentor=chosen, kind="please_not")

    services.matches_propose(cycle=cycle)

    proposal = Match.objects.get(mentee=mentee)
    assert proposal.mentor == chosen and proposal.reasons[0] == PREFERRED_REASON
    assert not Match.objects.filter(mentee=ruled_out).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.match_confirm(match=proposal)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "You chose Pat Lee among the mentors you would prefer." in bodies[mentee.applicant.email]
    assert "Maya Reader chose you among the mentors" in bodies[chosen.applicant.email]
