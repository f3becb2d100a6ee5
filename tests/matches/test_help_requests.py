"""Asking the committee for help in confidence: either partner writes from My match; the
coordinators are emailed (text and HTML); the other partner never sees it; staff record
the resolution and the person sees it resolved; the committee home counts the open ones."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from matches import help_requests
from matches.models import HelpRequest
from tests.factories import MatchFactory, UserFactory, cycle_under_way

pytestmark = pytest.mark.django_db

WORDS = "My mentor cancels every meeting; I do not know what to do."


@pytest.fixture
def match():
    return MatchFactory(
        cycle=cycle_under_way(), mentee__preferred_name="Maya", mentor__preferred_name="Rosa"
    )


@pytest.fixture
def coordinator():
    person = UserFactory(is_staff=True, email="coordinator@example.org")
    person.user_permissions.set(
        Permission.objects.filter(codename__in=["view_helprequest", "change_helprequest"])
    )
    return person


def ask(client, match, message=WORDS):
    client.force_login(match.mentee.applicant)
    return client.post(reverse("matches:help", args=[match.pk]), {"message": message})


def test_a_request_reaches_the_coordinators_and_only_them(
    client, match, coordinator, django_capture_on_commit_callbacks
):
    UserFactory(is_staff=True, email="reviewer@example.org")  # may not resolve: not told
    superuser = UserFactory(is_staff=True, is_superuser=True, email="chair@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, match)

    assert response.status_code == 302 and response["Location"] == match.get_absolute_url()
    request = HelpRequest.objects.get()
    assert (request.role, request.asked_by, request.message) == (
        "mentee",
        match.mentee.applicant,
        WORDS,
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, superuser.email])
    message = mail.outbox[0]
    assert WORDS in message.body and "Maya, the mentee" in message.body
    assert WORDS in message.alternatives[0][0]
    assert reverse("admin:matches_helprequest_change", args=[request.pk]) in message.body
    assert match.mentor.applicant.email not in [m.to[0] for m in mail.outbox]


def test_the_asker_sees_it_received_and_the_partner_never_sees_it(client, match, coordinator):
    ask(client, match)

    own = client.get(match.get_absolute_url()).content.decode()
    assert "received by the committee" in own and WORDS in own

    client.force_login(match.mentor.applicant)
    for url in (
        match.get_absolute_url(),
        reverse("matches:help", args=[match.pk]),
        reverse("my_mentoring"),
    ):
        body = client.get(url).content.decode()
        assert WORDS not in body and "received by the committee" not in body, url


def test_an_empty_message_is_refused_beside_the_field(client, match):
    response = ask(client, match, message="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["message"] == ["Write a few words for the committee."]
    assert not HelpRequest.objects.exists()


def test_staff_record_the_resolution_and_the_asker_sees_it_resolved(client, match, coordinator):
    ask(client, match)
    request = HelpRequest.objects.get()
    client.force_login(coordinator)
    change = reverse("admin:matches_helprequest_change", args=[request.pk])

    refused = client.post(change, {"resolution": "  "})
    done = client.post(change, {"resolution": "Called both partners; they meet monthly now."})

    assert (
        refused.status_code == 200
        and "Say how the request was resolved." in refused.content.decode()
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.resolved_by == coordinator and request.resolved_at is not None
    client.force_login(match.mentee.applicant)
    page = client.get(match.get_absolute_url()).content.decode()
    assert "Resolved" in page
    assert "they meet monthly now" not in page  # the committee's note stays with it


def test_the_committee_home_counts_open_requests_of_each_cycle(client, match, coordinator):
    ask(client, match)
    help_requests.help_request_ask(match=match, by=match.mentor.applicant, message="Hello")
    help_requests.help_request_resolve(
        help_request=HelpRequest.objects.get(role="mentor"), by=coordinator, resolution="Done"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/")

    (task,) = [
        t
        for worklist, tasks in response.context["worklists"]
        for t in tasks
        if t.title == "Requests for help"
    ]
    assert task.count == 1
    listed = client.get(task.url)
    assert listed.context["cl"].result_count == 1


def test_nobody_outside_the_match_asks_about_it(client, match):
    other = MatchFactory(cycle=match.cycle)
    client.force_login(other.mentee.applicant)

    response = client.post(reverse("matches:help", args=[match.pk]), {"message": WORDS})

    assert response.status_code == 404 and not HelpRequest.objects.exists()


def test_a_partner_reads_their_own_requests_newest_first_as_stored(match, coordinator):
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    first = help_requests.help_request_ask(match=match, by=mentee, message="First, " + WORDS)
    second = help_requests.help_request_ask(match=match, by=mentee, message="Then " + WORDS)
    help_requests.help_request_resolve(help_request=first, by=coordinator, resolution="Called.")
    help_requests.help_request_ask(match=match, by=mentor, message="The mentor's own.")
    HelpRequest.objects.filter(pk=second.pk).update(created_at=first.created_at)  # a tie

    read = help_requests.help_requests_of(match=match, user=mentee)

    assert [r.pk for r in read] == [second.pk, first.pk]  # newest first, then the later id
    for got, stored in zip(read, HelpRequest.objects.filter(asked_by=mentee), strict=True):
        for field in HelpRequest._meta.concrete_fields:
            assert getattr(got, field.attname) == getattr(stored, field.attname), field.name
    assert [r.message for r in help_requests.help_requests_of(match=match, user=mentor)] == [
        "The mentor's own."
    ]
