"""A person's matches: downloaded with the partner's name only; anonymised, they keep
their history and lose staff's words and the person's name in the engine's runs."""

from __future__ import annotations

import pytest

from matches import privacy
from matches.models import DirectoryListing, Match, MatchingRun, PairingWish
from tests.factories import (
    MatchFactory,
    NeverPairFactory,
    accepted_mentee,
    accepted_mentor,
    cycle_under_way,
)

pytestmark = pytest.mark.django_db


def test_the_download_names_the_partner_and_the_match_dates():
    match = MatchFactory(mentor__preferred_name="Morgan")

    (row,) = privacy.export_personal_data(match.mentee.applicant)["matches"]

    assert row["partner"] == "Morgan" and row["your_role"] == "mentee"
    assert row["status"] == "Active" and row["confirmed_at"]
    assert match.mentor.email not in str(row)


def test_erasing_a_person_keeps_the_match_and_drops_their_name_from_the_runs():
    match = MatchFactory(
        status=Match.Status.DISSOLVED,
        dissolved_reason="Rosa moved away.",
        mentee__full_name="Rosa Parks",
        mentor__full_name="Morgan Lee",
    )
    NeverPairFactory(mentor=match.mentor, reason="Rosa's former boss")
    run = MatchingRun.objects.create(
        cycle=match.cycle,
        unmatched_reasons=[
            {"mentee": match.mentee_id, "name": "Rosa Parks", "reason": "No mentor fits."},
            {"mentee": 0, "name": "Sam", "reason": "The only mentor, Rosa Parks, is full."},
        ],
    )

    privacy.erase_personal_data(match.mentee.applicant)

    match.refresh_from_db()
    assert match.status == "dissolved" and match.score == 72.5
    assert match.dissolved_reason == privacy.ERASED_REASON
    run.refresh_from_db()
    assert [e["name"] for e in run.unmatched_reasons] == ["a former participant", "Sam"]
    assert "Rosa" not in str(run.unmatched_reasons)


def test_the_download_holds_the_persons_own_pairing_wishes_and_not_others_about_them():
    cycle = cycle_under_way()
    mentee = accepted_mentee(cycle, full_name="Rosa Parks")
    liked = accepted_mentor(cycle, full_name="Pat Lee")
    avoided = accepted_mentor(cycle, full_name="Sam Cole")
    DirectoryListing.objects.create(mentor=avoided, note="Storytime is my thing.")
    PairingWish.objects.create(mentee=mentee, mentor=liked, kind=PairingWish.Kind.PREFERRED)
    PairingWish.objects.create(mentee=mentee, mentor=avoided, kind=PairingWish.Kind.PLEASE_NOT)
    PairingWish.objects.create(mentee=mentee, mentor=avoided, kind=PairingWish.Kind.CONFLICT)

    mentees = privacy.export_personal_data(mentee.applicant)
    mentors = privacy.export_personal_data(avoided.applicant)

    said = {(w["you_said"], w["about"]) for w in mentees["pairing_wishes"]}
    assert said == {("Preferred", "Pat Lee"), ("Please not", "Sam Cole")}
    assert mentees["directory_listings"] == []
    # The mentor sees their own conflict and note, never the mentee's "please not".
    assert [(w["you_said"], w["about"]) for w in mentors["pairing_wishes"]] == [
        ("Conflict of interest", "Rosa Parks")
    ]
    assert [d["note"] for d in mentors["directory_listings"]] == ["Storytime is my thing."]
    assert privacy.export_personal_data(liked.applicant)["pairing_wishes"] == []


def test_erasing_a_mentor_takes_their_directory_note():
    mentor = accepted_mentor(cycle_under_way(), full_name="Pat Lee")
    DirectoryListing.objects.create(mentor=mentor, note="Call me on 614-555-0100.")

    privacy.erase_personal_data(mentor.applicant)

    assert not DirectoryListing.objects.filter(mentor=mentor).exists()
