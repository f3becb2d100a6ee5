"""The introduction email each partner gets when their match is confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from matches import services
from mentoring.models import Milestone
from tests.factories import (
    CycleFactory,
    InterestFactory,
    MilestoneFactory,
    ProposalFactory,
    UserFactory,
    accepted_mentee,
    accepted_mentor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(django_capture_on_commit_callbacks):
    cycle = CycleFactory(program__short_name="ALSC", program__name="ALSC Mentoring Program")
    due = cycle.starts_on + dt.timedelta(days=50)
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.INTRODUCTIONS, starts_on=cycle.starts_on, ends_on=due
    )
    storytime = InterestFactory(program=cycle.program, name="Storytime", short_name="storytime")
    mentor = accepted_mentor(
        cycle,
        full_name="Pat Lee",
        email="pat@example.org",
        phone="614-555-0100",
        communication_methods=["email", "video"],
        organization="Columbus Metropolitan Library",
        position_title="Youth Services Manager",
        state="OH",
        city="Columbus",
        in_person_ok=True,
        interests=[storytime],
    )
    mentee = accepted_mentee(
        cycle,
        full_name="Sam O'Neil",
        email="sam@example.org",
        communication_methods=["video"],
        state="OH",
        in_person_ok=True,
        interests=[storytime],
    )
    proposal = ProposalFactory(cycle=cycle, mentor=mentor, mentee=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_confirm(match=proposal, by=UserFactory(is_staff=True))
    return proposal, due


def message_to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def test_the_mentee_is_introduced_to_their_mentor(confirmed):
    match, due = confirmed

    message = message_to(match.mentee.applicant.email)

    assert message.subject == "ALSC mentoring: meet your mentor, Pat Lee"
    text = message.body
    assert "Dear Sam O'Neil," in text
    assert "Pat Lee" in text and "Youth Services Manager, Columbus Metropolitan Library" in text
    assert "Email: pat@example.org" in text
    assert "614-555-0100" not in text  # Pat did not offer the phone as a way to talk
    assert "Likes to talk by: email, video call" in text
    assert "- Interests: storytime" in text
    assert "- Both like to talk by video call" in text
    assert "- You are both in Ohio" in text
    assert "a coffee or a library visit is possible" in text
    assert f"The goal sheet is due by {due:%B} {due.day}, {due.year}." in text
    assert f"http://testserver/matches/{match.pk}/" in text
    assert "Write to Pat Lee this week" in text
    html = message.alternatives[0][0]
    assert f'href="http://testserver/matches/{match.pk}/"' in html
    assert "Sam O&#x27;Neil" in html and "<style" not in html


def test_the_mentor_is_introduced_to_their_mentee(confirmed):
    match, _ = confirmed

    message = message_to(match.mentor.applicant.email)

    assert message.subject == "ALSC mentoring: meet your mentee, Sam O'Neil"
    assert "Dear Pat Lee," in message.body
    assert "Email: sam@example.org" in message.body
    assert "Sam O'Neil will be in touch this week" in message.body


def test_each_partner_gets_one_introduction(confirmed):
    assert len(mail.outbox) == 2


def test_the_board_the_introduction_and_the_match_page_say_the_same_about_meeting(
    client, django_capture_on_commit_callbacks
):
    from matches import cohorts

    cycle = CycleFactory()
    ways = ["email", "video"]
    mentor = accepted_mentor(
        cycle, state="MD", city="Baltimore", in_person_ok=True, communication_methods=ways
    )
    mentee = accepted_mentee(
        cycle, state="TX", city="Austin", in_person_ok=True, communication_methods=ways
    )
    board = cohorts.pair_explanation(mentee, mentor).reasons
    proposal = ProposalFactory(cycle=cycle, mentor=mentor, mentee=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_confirm(match=proposal, by=UserFactory(is_staff=True))
    client.force_login(mentee.applicant)
    page = " ".join(client.get(proposal.get_absolute_url()).content.decode().split())
    letter = " ".join(message_to(mentee.applicant.email).body.split())

    assert "both in the South, both open to meeting in person" in board
    said = "You are both open to meeting in person and both live in the South, though not"
    for text in (page, letter):
        assert "- You are both in the South" in text or "You are both in the South" in text
        assert said in text
        assert "coffee or a library visit is possible" not in text
