"""Runs of the engine as work with a state: queued on the board, run by a worker after
commit, with its step and counts seen while it runs, then done or failed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from matches import runs, services, tasks
from matches.models import Match, MatchingRun
from tests.factories import CycleFactory, UserFactory, accepted_mentee, accepted_mentor

pytestmark = pytest.mark.django_db

State = MatchingRun.State


@pytest.fixture
def cycle():
    return CycleFactory()


def test_queuing_records_a_queued_run_and_publishes_it_after_commit(
    cycle, django_capture_on_commit_callbacks, monkeypatch
):
    accepted_mentee(cycle)
    staff = UserFactory(is_staff=True)
    published = []
    monkeypatch.setattr(tasks.run_matching, "delay", published.append)

    with django_capture_on_commit_callbacks() as callbacks:
        run, queued = runs.matching_run_queue(cycle=cycle, by=staff)
        assert published == []  # nothing reaches a worker before the commit

    assert queued and (run.state, run.run_by, run.mentees) == (State.QUEUED, staff, 1)
    for callback in callbacks:
        callback()
    assert published == [run.pk]


def test_queuing_again_while_a_run_is_unfinished_queues_nothing(cycle):
    first, _ = runs.matching_run_queue(cycle=cycle)

    again, queued = runs.matching_run_queue(cycle=cycle)

    assert (again, queued) == (first, False)
    assert MatchingRun.objects.count() == 1


def test_a_run_lost_by_its_worker_is_marked_failed_and_a_new_one_queued(cycle):
    lost = MatchingRun.objects.create(
        cycle=cycle, state=State.RUNNING, run_at=timezone.now() - timedelta(hours=1)
    )

    run, queued = runs.matching_run_queue(cycle=cycle)

    lost.refresh_from_db()
    assert queued and run != lost
    assert lost.state == State.FAILED and "lost" in lost.error


def test_performing_runs_the_engine_into_the_queued_run_once(cycle):
    accepted_mentor(cycle)
    accepted_mentee(cycle)
    run, _ = runs.matching_run_queue(cycle=cycle)

    done = runs.matching_run_perform(run_id=run.pk)

    assert done.pk == run.pk and MatchingRun.objects.count() == 1
    assert (done.state, done.mentees, done.mentors, done.proposed) == (State.DONE, 1, 1, 1)
    assert done.started_at <= done.finished_at and done.step == ""
    assert runs.matching_run_perform(run_id=run.pk) is None  # a second delivery: nothing
    assert Match.objects.count() == 1


def test_a_failing_engine_marks_the_run_failed_with_why(cycle, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the solver ran out of memory")

    monkeypatch.setattr(services, "matches_propose", broken)
    run, _ = runs.matching_run_queue(cycle=cycle)

    failed = runs.matching_run_perform(run_id=run.pk)

    assert failed.state == State.FAILED
    assert failed.error == "RuntimeError: the solver ran out of memory"
    assert runs.matching_run_unfinished(cycle) is None


@pytest.mark.django_db(transaction=True)
def test_the_step_and_counts_are_seen_while_the_engine_still_works(cycle, monkeypatch):
    # What another connection (the board's request) reads while the engine's own
    # transaction is still open: the step and the cohort's counts, not "queued".
    for _ in range(2):
        accepted_mentor(cycle, mentee_capacity=2)
    for _ in range(3):
        accepted_mentee(cycle)
    monkeypatch.setattr(tasks.run_matching, "delay", lambda run_id: None)  # run below
    run, _ = runs.matching_run_queue(cycle=cycle)
    seen = []
    solve = services.engine.solve

    def watching_solve(*args, **kwargs):
        other = connections["default"].copy()
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT state, step, mentees, mentors, places FROM matches_matchingrun "
                    "WHERE id = %s",
                    [run.pk],
                )
                seen.append(cursor.fetchone())
        finally:
            other.close()
        return solve(*args, **kwargs)

    monkeypatch.setattr(services.engine, "solve", watching_solve)

    runs.matching_run_perform(run_id=run.pk)

    assert seen == [("running", "Pairing", 3, 2, 4)]
    run.refresh_from_db()
    assert (run.state, run.proposed) == (State.DONE, 3)


def test_a_run_ending_while_the_board_is_read_shows_its_proposals_or_is_followed(
    cycle, monkeypatch
):
    """The board reads the run before the proposals: a run that ends while the page is
    read is either shown with its proposals or shown running (and the page follows it),
    never done beside none of its proposals."""
    from matches import board

    accepted_mentor(cycle)
    accepted_mentee(cycle)
    run, _ = runs.matching_run_queue(cycle=cycle)
    load = board.cohort_load

    def the_worker_finishes_meanwhile(*args, **kwargs):
        runs.matching_run_perform(run_id=run.pk)
        return load(*args, **kwargs)

    monkeypatch.setattr(board, "cohort_load", the_worker_finishes_meanwhile)
    shown = board.proposal_board(cycle)

    assert shown.counts["proposed"] == 1
    assert shown.progress["running"] is True  # as read first: the page follows it
