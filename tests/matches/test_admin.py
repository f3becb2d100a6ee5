"""The committee's screens: the match list, the “Propose matches” board, matching by
hand, dissolving, the weights and never pairs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matches.models import Match, MatchingRun, MatchingWeights, NeverPair
from tests.factories import (
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
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def cycle():
    return CycleFactory()


def board_url(cycle):
    return reverse("admin:matches_match_propose", args=[cycle.pk])


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(cycle, n):
    interest = InterestFactory(program=cycle.program)
    for _ in range(n):
        mentor = accepted_mentor(cycle, mentee_capacity=2, interests=[interest])
        MatchFactory(
            cycle=cycle, mentor=mentor, mentee=accepted_mentee(cycle, interests=[interest])
        )
        ProposalFactory(cycle=cycle, mentor=mentor, mentee=accepted_mentee(cycle))
        accepted_mentee(cycle, interests=[interest])  # left unmatched


def test_the_match_list_runs_a_constant_number_of_queries(client, staff, cycle):
    url = reverse("admin:matches_match_changelist")
    grow(cycle, 2)
    few = queries(client, url)

    grow(cycle, 10)
    grow(CycleFactory(), 3)

    assert queries(client, url) == few


def test_the_match_list_links_to_the_proposals_board(client, staff, cycle):
    MatchFactory(cycle=cycle)

    page = client.get(reverse("admin:matches_match_changelist")).content.decode()

    assert reverse("admin:matches_match_propose_index") in page
    assert "Propose matches" in page


def test_the_board_runs_a_constant_number_of_queries(client, staff, cycle):
    grow(cycle, 2)
    few = queries(client, board_url(cycle))

    grow(cycle, 12)
    MatchingRun.objects.create(cycle=cycle, run_by=staff)

    assert queries(client, board_url(cycle)) == few


def test_the_cycle_page_links_to_its_board(client, staff, cycle):
    page = client.get(reverse("admin:mentoring_cycle_change", args=[cycle.pk])).content.decode()

    assert board_url(cycle) in page


def test_the_cycles_to_match_are_listed_with_their_counts(client, staff, cycle):
    grow(cycle, 2)

    page = client.get(reverse("admin:matches_match_propose_index")).content.decode()

    assert board_url(cycle) in page
    assert "<td>6</td><td>2</td>" in page  # accepted mentees, accepted mentors


def test_running_the_engine_from_the_board_shows_proposals_with_reasons(
    client, staff, cycle, django_capture_on_commit_callbacks
):
    accepted_mentor(cycle, full_name="Pat Lee")
    accepted_mentee(cycle, full_name="Sam Ortiz")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(board_url(cycle), {"run": "Run the engine"}, follow=True)

    # A worker runs it after the commit; meanwhile the board says it is queued.
    page = response.content.decode()
    assert "The engine is pairing 1 mentee; its progress shows below." in page
    assert "Queued 0 s ago: waiting for a worker to pair 1 accepted mentee." in page
    run = MatchingRun.objects.get()
    assert (run.state, run.run_by, run.proposed) == ("done", staff, 1)

    page = client.get(board_url(cycle)).content.decode()
    assert "1 accepted mentee, 1 mentor (1 place); 1 pair proposed, 0 kept, 0 mentees" in page
    assert "Sam Ortiz" in page and "Pat Lee" in page
    assert "both prefer email and video calls" in page
    assert Match.objects.get().status == Match.Status.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_run_is_done_when_the_board_comes_back(client, staff, cycle):
    # Committed at once, the run goes to Celery, which runs it in the request when there
    # is no broker (eager, as `make run` alone): the board says what the engine found.
    accepted_mentor(cycle)
    accepted_mentee(cycle)

    response = client.post(board_url(cycle), {"run": "Run the engine"}, follow=True)

    assert "The engine proposed 1 pair (kept 0; 0 mentees unmatched)" in response.content.decode()
    assert MatchingRun.objects.get().state == "done"


def test_confirming_selected_proposals_from_the_board(
    client, staff, cycle, django_capture_on_commit_callbacks
):
    chosen, other = ProposalFactory(cycle=cycle), ProposalFactory(cycle=cycle)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            board_url(cycle), {"confirm": "Confirm selected", "selected": [chosen.pk]}, follow=True
        )

    assert (
        "Confirmed 1 match; the introduction emails are on their way." in response.content.decode()
    )
    assert Match.objects.get(pk=chosen.pk).status == Match.Status.ACTIVE
    assert Match.objects.get(pk=other.pk).status == Match.Status.PROPOSED
    assert len(mail.outbox) == 2


def test_a_refused_confirmation_is_explained_on_the_board(client, staff, cycle):
    mentor = accepted_mentor(cycle, mentee_capacity=1, full_name="Pat Lee", preferred_name="Pat")
    MatchFactory(cycle=cycle, mentor=mentor)
    extra = ProposalFactory(cycle=cycle, mentor=mentor)

    response = client.post(
        board_url(cycle), {"confirm": "Confirm selected", "selected": [extra.pk]}, follow=True
    )

    assert "Pat already has 1 confirmed mentee of 1" in response.content.decode()


def test_swapping_a_mentor_from_the_mentees_ranked_candidates(client, staff, cycle):
    proposal = ProposalFactory(cycle=cycle)
    other = accepted_mentor(cycle, full_name="Jo Park")
    page = client.get(board_url(cycle)).content.decode()
    assert f'<option value="{other.pk}"' in page and "Jo Park (1 place left)" in page

    client.post(board_url(cycle), {"swap": proposal.pk, f"mentor_{proposal.pk}": other.pk})

    proposal.refresh_from_db()
    assert (proposal.mentor, proposal.locked) == (other, True)


def test_locking_discarding_and_ruling_out_from_the_board(client, staff, cycle):
    kept, dropped, ruled_out = (ProposalFactory(cycle=cycle) for _ in range(3))

    client.post(board_url(cycle), {"lock": kept.pk})
    client.post(board_url(cycle), {"discard": dropped.pk})
    client.post(board_url(cycle), {"never": ruled_out.pk})

    assert Match.objects.get(pk=kept.pk).locked
    assert set(Match.objects.values_list("pk", flat=True)) == {kept.pk}
    assert NeverPair.objects.filter(mentee=ruled_out.mentee, mentor=ruled_out.mentor).exists()


def test_unmatched_mentees_are_listed_with_why_and_can_be_matched_by_hand(client, staff, cycle):
    mentor = accepted_mentor(cycle, full_name="Pat Lee")
    mentee = accepted_mentee(cycle, full_name="Sam Ortiz")
    accepted_mentee(cycle, full_name="Robin Phone", communication_methods=["phone"])

    page = client.get(board_url(cycle)).content.decode()
    assert "Pat Lee still has a place" in page
    assert "No acceptable mentor: 1 shares no way to communicate." in page

    client.post(board_url(cycle), {"create": mentee.pk, f"mentor_for_{mentee.pk}": mentor.pk})

    match = Match.objects.get()
    assert (match.mentee, match.mentor, match.locked) == (mentee, mentor, True)


def test_a_staff_member_who_may_only_view_cannot_change_anything(client, cycle):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_match"))
    client.force_login(viewer)
    proposal = ProposalFactory(cycle=cycle)

    assert client.get(board_url(cycle)).status_code == 200
    assert client.post(board_url(cycle), {"lock": proposal.pk}).status_code == 403
    assert not Match.objects.get(pk=proposal.pk).locked


def test_people_who_are_not_staff_are_sent_to_sign_in(client, cycle):
    client.force_login(UserFactory())

    response = client.get(board_url(cycle))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_dissolving_asks_for_a_reason(client, staff, cycle):
    match = MatchFactory(cycle=cycle)
    url = reverse("admin:matches_match_dissolve", args=[match.pk])

    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACTIVE

    response = client.post(url, {"reason": "The mentee left the profession."}, follow=True)
    match.refresh_from_db()
    assert match.status == Match.Status.DISSOLVED
    assert match.dissolved_reason == "The mentee left the profession."
    assert "can be matched again" in response.content.decode()


def test_the_match_page_links_to_dissolve_an_active_match(client, staff, cycle):
    match = MatchFactory(cycle=cycle, reasons=["both prefer email"], flags=["3 hours apart"])

    page = client.get(reverse("admin:matches_match_change", args=[match.pk])).content.decode()

    assert reverse("admin:matches_match_dissolve", args=[match.pk]) in page
    assert "both prefer email" in page and "3 hours apart" in page


def test_matching_by_hand_in_admin(client, staff, cycle, django_capture_on_commit_callbacks):
    mentor, mentee = accepted_mentor(cycle), accepted_mentee(cycle)
    url = reverse("admin:matches_match_add") + f"?cycle={cycle.pk}"

    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"mentee": mentee.pk, "mentor": mentor.pk, "confirm": "on"})

    match = Match.objects.get()
    assert response.status_code == 302
    assert match.status == Match.Status.ACTIVE
    assert len(mail.outbox) == 2


def test_matching_by_hand_shows_a_broken_rule_beside_the_form(client, staff, cycle):
    mentor = accepted_mentor(cycle, communication_methods=["email"])
    mentee = accepted_mentee(cycle, communication_methods=["phone"])

    response = client.post(
        reverse("admin:matches_match_add"), {"mentee": mentee.pk, "mentor": mentor.pk}
    )

    assert response.status_code == 200
    assert "no shared way to communicate" in response.content.decode()
    assert not Match.objects.exists()


def test_staff_edit_a_cycles_weights(client, staff, cycle):
    weights = MatchingWeightsFactory(cycle=cycle)
    url = reverse("admin:matches_matchingweights_change", args=[weights.pk])
    data = {
        "interests": 50,
        "experience": 10,
        "library_type": 0,
        "communication": 10,
        "geography": 10,
        "time_zone": 10,
        "conferences": 10,
        "experience_gap_years": 8,
        "close_time_zone_hours": 4,
        "minimum_score": 20,
        "unmatched_penalty": 100,
        "preference": 10,
    }

    response = client.post(url, data)

    assert response.status_code == 302
    weights.refresh_from_db()
    assert (weights.interests, weights.minimum_score, weights.updated_by) == (50, 20, staff)


def test_weights_all_zero_are_refused(client, staff, cycle):
    weights = MatchingWeightsFactory(cycle=cycle)
    url = reverse("admin:matches_matchingweights_change", args=[weights.pk])
    zeros = dict.fromkeys(MatchingWeights.CRITERIA, 0)

    response = client.post(
        url,
        {
            **zeros,
            "experience_gap_years": 5,
            "close_time_zone_hours": 6,
            "minimum_score": 0,
            "unmatched_penalty": 100,
        },
    )

    assert response.status_code == 200
    assert "Give at least one criterion a weight above 0." in response.content.decode()


def test_the_weights_and_never_pairs_lists_run_a_constant_number_of_queries(client, staff):
    for n in (2, 8):
        for _ in range(n):
            MatchingWeightsFactory()
            pair = ProposalFactory()
            NeverPair.objects.create(mentee=pair.mentee, mentor=pair.mentor, created_by=staff)
        counts = [
            queries(client, reverse("admin:matches_matchingweights_changelist")),
            queries(client, reverse("admin:matches_neverpair_changelist")),
            queries(client, reverse("admin:matches_matchingrun_changelist")),
        ]
        if n == 2:
            first = counts
    assert counts == first


def test_staff_add_a_never_pair_in_admin(client, staff, cycle):
    proposal = ProposalFactory(cycle=cycle)

    response = client.post(
        reverse("admin:matches_neverpair_add"),
        {"mentee": proposal.mentee.pk, "mentor": proposal.mentor.pk, "reason": "Siblings"},
    )

    assert response.status_code == 302
    assert NeverPair.objects.get().created_by == staff
    assert not Match.objects.exists()


def test_a_proposals_current_mentor_is_always_offered_first(client, staff, cycle):
    interest = InterestFactory(program=cycle.program)
    mentee = accepted_mentee(cycle, interests=[interest])
    for _ in range(10):
        accepted_mentor(cycle, interests=[interest])
    current = accepted_mentor(cycle, full_name="Weak Fit")
    proposal = ProposalFactory(cycle=cycle, mentee=mentee, mentor=current, score=40.0)

    page = client.get(board_url(cycle)).content.decode()

    select = page.split(f'name="mentor_{proposal.pk}"')[1].split("</select>")[0]
    assert f'<option value="{current.pk}" selected>40.0 · Weak Fit (current)' in select
    assert select.count("<option") == 9


def test_the_board_polls_the_run_s_progress_as_json(client, staff, cycle):
    run = MatchingRun.objects.create(
        cycle=cycle, run_by=staff, state="running", step="Pairing", mentees=40, mentors=12,
        places=30,
    )  # fmt: skip

    page = client.get(board_url(cycle)).content.decode()
    progress = reverse("admin:matches_match_propose_progress", args=[cycle.pk])
    assert f'data-progress-url="{progress}" data-progress-json' in page
    assert 'data-running="yes"' in page and "committee/progress.js" in page
    answer = client.get(progress).json()
    assert answer["state"] == "running" and answer["running"] is True
    assert (answer["mentees"], answer["mentors"], answer["places"]) == (40, 12, 30)
    assert "Pairing… 40 accepted mentees, 12 mentors (30 places)." in answer["text"]

    run.state, run.proposed, run.kept, run.unmatched, run.seconds = "done", 25, 3, 12, 2.5
    run.save()
    answer = client.get(progress).json()
    assert answer["running"] is False and answer["state"] == "done"
    assert "25 pairs proposed, 3 kept, 12 mentees unmatched, in 2.5 s" in answer["text"]


def test_the_progress_is_for_staff_who_see_matches(client, cycle):
    client.force_login(UserFactory(is_staff=True))
    progress = reverse("admin:matches_match_propose_progress", args=[cycle.pk])
    assert client.get(progress).status_code == 403
