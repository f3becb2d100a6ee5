"""The matching services: running the engine for a cycle, and every change to a match."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from matches import cohorts, conclusion, services
from matches.models import Match, MatchingRun, NeverPair
from mentoring.models import Delivery
from tests.factories import (
    ApplicationFactory,
    ConferenceFactory,
    CycleFactory,
    InterestFactory,
    MatchFactory,
    MatchingWeightsFactory,
    ProposalFactory,
    UserFactory,
    accepted_mentee,
    accepted_mentor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return CycleFactory()


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def grow(cycle, mentees, mentors):
    program = cycle.program
    interests = [InterestFactory(program=program) for _ in range(3)]
    conference = ConferenceFactory(program=program)
    for _ in range(mentors):
        accepted_mentor(cycle, mentee_capacity=2, interests=interests[:2], conferences=[conference])
    for _ in range(mentees):
        accepted_mentee(cycle, interests=interests[1:], conferences=[conference])


def test_loading_a_cohort_costs_the_same_queries_whatever_its_size(cycle):
    grow(cycle, mentees=2, mentors=1)
    with CaptureQueriesContext(connection) as small:
        cohorts.cohort_load(cycle)
    grow(cycle, mentees=12, mentors=6)
    MatchFactory(cycle=cycle)

    with CaptureQueriesContext(connection) as large:
        loaded = cohorts.cohort_load(cycle)

    assert len(large) == len(small)
    assert len(loaded.cohort.mentees) == 15  # 14 grown + the factory match's mentee
    assert len(loaded.cohort.mentors) == 8


def test_proposing_pairs_accepted_mentees_with_accepted_mentors_only(cycle, staff):
    mentor = accepted_mentor(cycle)
    mentee = accepted_mentee(cycle)
    ApplicationFactory(cycle=cycle, status=Application.Status.SUBMITTED)
    ApplicationFactory(cycle=cycle, mentor=True, status=Application.Status.WAITLISTED)

    run = services.matches_propose(cycle=cycle, by=staff)

    proposal = Match.objects.get()
    assert (proposal.mentee, proposal.mentor, proposal.status) == (
        mentee,
        mentor,
        Match.Status.PROPOSED,
    )
    assert proposal.score > 0
    assert "both prefer email and video calls" in proposal.reasons
    assert sum(proposal.score_breakdown.values()) == pytest.approx(proposal.score, abs=0.01)
    assert (run.proposed, run.unmatched, run.run_by) == (1, 0, staff)


def test_proposing_again_keeps_confirmed_and_locked_pairs_and_replaces_the_rest(cycle, staff):
    mentors = [accepted_mentor(cycle, mentee_capacity=2) for _ in range(3)]
    mentees = [accepted_mentee(cycle) for _ in range(5)]
    confirmed = MatchFactory(cycle=cycle, mentor=mentors[0], mentee=mentees[0])
    locked = ProposalFactory(cycle=cycle, mentor=mentors[0], mentee=mentees[1], locked=True)
    loose = ProposalFactory(cycle=cycle, mentor=mentors[1], mentee=mentees[2])

    run = services.matches_propose(cycle=cycle, by=staff)

    assert Match.objects.filter(pk=confirmed.pk, status=Match.Status.ACTIVE).exists()
    assert Match.objects.filter(pk=locked.pk, locked=True, mentor=mentors[0]).exists()
    assert not Match.objects.filter(pk=loose.pk).exists()
    assert run.kept == 2 and run.proposed == 3
    # Mentor 0's two places are taken by the kept pairs.
    assert Match.objects.filter(mentor=mentors[0]).count() == 2
    assert set(Match.objects.filter(status="proposed").values_list("mentee", flat=True)) == {
        m.pk for m in mentees[1:]
    }


def test_an_unmatched_mentee_is_recorded_with_the_reason(cycle):
    accepted_mentor(cycle, communication_methods=["email"])
    lonely = accepted_mentee(cycle, communication_methods=["phone"], full_name="Robin Phone")

    run = services.matches_propose(cycle=cycle)

    assert run.unmatched == 1
    assert run.unmatched_reasons == [
        {
            "mentee": lonely.pk,
            "name": "Robin Phone",
            "reason": "No acceptable mentor: 1 shares no way to communicate.",
        }
    ]
    assert not Match.objects.exists()


def test_weights_set_for_the_cycle_change_what_is_proposed(cycle):
    interest = InterestFactory(program=cycle.program)
    near = accepted_mentor(cycle, state="OH", time_zone="America/New_York")
    alike = accepted_mentor(
        cycle, state="CA", time_zone="America/Los_Angeles", interests=[interest]
    )
    accepted_mentee(cycle, state="OH", interests=[interest])

    MatchingWeightsFactory(cycle=cycle, interests=0, geography=50)
    services.matches_propose(cycle=cycle)
    assert Match.objects.get().mentor == near

    cycle.matching_weights.delete()
    MatchingWeightsFactory(cycle=cycle, interests=100, geography=0, time_zone=0)
    services.matches_propose(cycle=cycle)
    assert Match.objects.get().mentor == alike


def test_confirming_activates_the_match_and_introduces_the_partners_once(
    cycle, staff, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(cycle=cycle)

    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_confirm(match=proposal, by=staff)

    match.refresh_from_db()
    assert (match.status, match.confirmed_by) == (Match.Status.ACTIVE, staff)
    assert match.confirmed_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [proposal.mentor.applicant.email, proposal.mentee.applicant.email]
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.match_confirm(match=match, by=staff)
    from matches.emails import send_introductions

    with django_capture_on_commit_callbacks(execute=True):
        assert send_introductions(match) == 0
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(kind="match_introduction").count() == 2


def test_confirming_beyond_a_mentors_capacity_is_refused(cycle, staff):
    mentor = accepted_mentor(cycle, mentee_capacity=1, full_name="Pat Lee", preferred_name="Pat")
    MatchFactory(cycle=cycle, mentor=mentor)
    extra = ProposalFactory(cycle=cycle, mentor=mentor)

    with pytest.raises(ValidationError, match="Pat already has 1 confirmed mentee of 1"):
        services.match_confirm(match=extra, by=staff)

    assert Match.objects.get(pk=extra.pk).status == Match.Status.PROPOSED


def test_confirming_is_refused_once_an_application_is_withdrawn(cycle, staff):
    proposal = ProposalFactory(cycle=cycle)
    Application.objects.filter(pk=proposal.mentee_id).update(status=Application.Status.WITHDRAWN)

    with pytest.raises(ValidationError, match="withdrawn, not accepted"):
        services.match_confirm(match=proposal, by=staff)


def test_swapping_gives_the_mentee_another_candidate_scored_and_locked(cycle, staff):
    proposal = ProposalFactory(cycle=cycle)
    other = accepted_mentor(cycle)

    match = services.match_swap(match=proposal, mentor=other, by=staff)

    match.refresh_from_db()
    assert (match.mentor, match.locked, match.proposed_by) == (other, True, staff)
    assert match.score > 0 and match.reasons


def test_swapping_to_a_full_mentor_or_a_forbidden_pair_is_refused(cycle, staff):
    proposal = ProposalFactory(cycle=cycle)
    full = accepted_mentor(cycle, mentee_capacity=1, full_name="Full Mentor")
    MatchFactory(cycle=cycle, mentor=full)
    silent = accepted_mentor(cycle, communication_methods=["phone"])
    colleague = accepted_mentor(cycle, organization=proposal.mentee.organization.upper())

    with pytest.raises(ValidationError, match="Full Mentor has no place left"):
        services.match_swap(match=proposal, mentor=full, by=staff)
    with pytest.raises(ValidationError, match="no shared way to communicate"):
        services.match_swap(match=proposal, mentor=silent, by=staff)
    with pytest.raises(ValidationError, match="same organization"):
        services.match_swap(match=proposal, mentor=colleague, by=staff)
    assert Match.objects.get(pk=proposal.pk).mentor == proposal.mentor


def test_locking_and_unlocking_a_proposal(cycle, staff):
    proposal = ProposalFactory(cycle=cycle)

    services.match_set_locked(match=proposal, locked=True, by=staff)
    assert Match.objects.get(pk=proposal.pk).locked
    services.match_set_locked(match=proposal, locked=False, by=staff)
    assert not Match.objects.get(pk=proposal.pk).locked

    active = MatchFactory(cycle=cycle)
    with pytest.raises(ValidationError, match="Only proposals are locked"):
        services.match_set_locked(match=active, locked=True, by=staff)


def test_matching_by_hand_makes_a_locked_proposal_or_a_confirmed_match(
    cycle, staff, django_capture_on_commit_callbacks
):
    mentor = accepted_mentor(cycle, mentee_capacity=2)
    first, second = accepted_mentee(cycle), accepted_mentee(cycle)

    proposal = services.match_create(mentee=first, mentor=mentor, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_create(mentee=second, mentor=mentor, by=staff, confirm=True)

    assert (proposal.status, proposal.locked, proposal.proposed_by) == ("proposed", True, staff)
    assert proposal.score > 0
    assert match.status == Match.Status.ACTIVE
    assert len(mail.outbox) == 2


def test_matching_by_hand_refuses_pairs_that_break_a_rule(cycle, staff):
    mentor = accepted_mentor(cycle, communication_methods=["email"])
    mentee = accepted_mentee(cycle, communication_methods=["phone", "chat"])
    proposed = accepted_mentee(cycle)
    ProposalFactory(cycle=cycle, mentee=proposed)
    waiting = ApplicationFactory(cycle=cycle, status=Application.Status.WAITLISTED)

    with pytest.raises(ValidationError, match="no shared way to communicate"):
        services.match_create(mentee=mentee, mentor=mentor, by=staff)
    with pytest.raises(ValidationError, match="change that proposal's mentor instead"):
        services.match_create(mentee=proposed, mentor=mentor, by=staff)
    with pytest.raises(ValidationError, match="waitlisted, not accepted"):
        services.match_create(mentee=waiting, mentor=mentor, by=staff)
    other_cycle_mentor = accepted_mentor(CycleFactory())
    with pytest.raises(ValidationError, match="different cycles"):
        services.match_create(mentee=proposed, mentor=other_cycle_mentor, by=staff)
    assert Match.objects.count() == 1


def test_dissolving_needs_a_reason_and_frees_the_mentee_to_be_matched_again(cycle, staff):
    match = MatchFactory(cycle=cycle)

    with pytest.raises(ValidationError, match="Say why"):
        services.match_dissolve(match=match, reason="  ", by=staff)
    services.match_dissolve(match=match, reason="The mentor changed jobs.", by=staff)

    match.refresh_from_db()
    assert (match.status, match.dissolved_by, match.dissolved_reason) == (
        Match.Status.DISSOLVED,
        staff,
        "The mentor changed jobs.",
    )
    again = services.match_create(
        mentee=match.mentee, mentor=accepted_mentor(cycle), by=staff, confirm=True
    )
    assert again.status == Match.Status.ACTIVE
    with pytest.raises(ValidationError, match="A dissolved match cannot become active"):
        services.match_confirm(match=match, by=staff)


def test_status_changes_follow_the_table(cycle):
    match = MatchFactory(cycle=cycle)

    conclusion.match_conclude(match=match, reason="The program closed early.")

    with pytest.raises(ValidationError, match="A concluded match cannot become dissolved"):
        services.match_dissolve(match=match, reason="Too late", by=None)
    assert Match.TRANSITIONS[Match.Status.PROPOSED] == {Match.Status.ACTIVE}


def test_marking_a_pair_never_drops_its_proposal_and_the_engine_avoids_it(cycle, staff):
    mentor = accepted_mentor(cycle)
    mentee = accepted_mentee(cycle)
    proposal = ProposalFactory(cycle=cycle, mentor=mentor, mentee=mentee)

    services.never_pair_create(mentee=mentee, mentor=mentor, by=staff, reason="Same family")
    run = services.matches_propose(cycle=cycle, by=staff)

    assert not Match.objects.filter(pk=proposal.pk).exists()
    assert NeverPair.objects.get().reason == "Same family"
    assert run.proposed == 0
    assert run.unmatched_reasons[0]["reason"] == "No acceptable mentor: 1 was marked never."
    with pytest.raises(ValidationError, match="marked never"):
        services.match_create(mentee=mentee, mentor=mentor, by=staff)


def test_a_matched_pair_cannot_be_marked_never(cycle, staff):
    match = MatchFactory(cycle=cycle)

    with pytest.raises(ValidationError, match="dissolve the match first"):
        services.never_pair_create(mentee=match.mentee, mentor=match.mentor, by=staff)


def test_discarding_a_proposal_leaves_the_mentee_unmatched(cycle, staff):
    proposal = ProposalFactory(cycle=cycle)

    services.proposal_discard(match=proposal, by=staff)

    assert not Match.objects.exists()
    with pytest.raises(ValidationError, match="no longer exists"):
        services.proposal_discard(match=proposal, by=staff)


def test_a_run_records_its_figures(cycle, staff):
    grow(cycle, mentees=4, mentors=2)

    run = services.matches_propose(cycle=cycle, by=staff)

    assert MatchingRun.objects.get() == run
    assert (run.mentees, run.mentors, run.places, run.proposed) == (4, 2, 4, 4)
    assert run.method == "dense"
    assert run.total_score == pytest.approx(
        sum(Match.objects.values_list("score", flat=True)), abs=0.05
    )


def test_running_again_rescores_locked_proposals_with_the_new_weights(cycle, staff):
    interest = InterestFactory(program=cycle.program)
    proposal = ProposalFactory(
        cycle=cycle,
        locked=True,
        score=1.0,
        mentor=accepted_mentor(cycle, interests=[interest]),
        mentee=accepted_mentee(cycle, interests=[interest]),
    )

    MatchingWeightsFactory(
        cycle=cycle,
        interests=100,
        experience=0,
        library_type=0,
        communication=0,
        geography=0,
        time_zone=0,
        conferences=0,
    )
    services.matches_propose(cycle=cycle, by=staff)

    proposal.refresh_from_db()
    assert proposal.score == 100.0
    assert proposal.reasons == [f"1 shared interest: {interest.name}"]
