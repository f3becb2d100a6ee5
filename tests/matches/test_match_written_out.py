"""A match's pages read the match and its partners with SQL written out: the same rows
select_related reads, and only current matches (active or concluded)."""

from __future__ import annotations

import pytest

from matches.models import Match
from matches.selectors import current_match_with_partners
from tests.factories import InterestFactory, MatchFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.parametrize("status", [Match.Status.ACTIVE, Match.Status.CONCLUDED])
def test_a_current_match_reads_back_as_select_related_reads_it(status):
    match = MatchFactory(status=status, reasons=["Both in Ohio"])
    interest = InterestFactory(program=match.cycle.program)
    match.mentee.interests.add(interest)

    read = current_match_with_partners(match.pk, chosen=True)
    expected = Match.objects.select_related("mentor", "mentee").get(pk=match.pk)

    assert _values(read) == _values(expected)
    assert _values(read.mentor) == _values(expected.mentor)
    assert _values(read.mentee) == _values(expected.mentee)
    assert read.mentee_interest_ids == [interest.pk]
    assert read.mentor_interest_ids == []
    assert read.mentor_conference_ids == read.mentee_conference_ids == []


def test_a_proposal_or_an_unknown_id_is_no_match():
    proposal = ProposalFactory()

    assert current_match_with_partners(proposal.pk) is None
    assert current_match_with_partners(proposal.pk + 1000) is None
