"""A person's matches: downloaded with the partner's name only; anonymised, they keep
their history and lose staff's words and the person's name in the engine's runs."""

from __future__ import annotations

import pytest

from matches import privacy
from matches.models import Match, MatchingRun
from tests.factories import MatchFactory, NeverPairFactory

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
