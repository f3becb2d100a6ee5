"""Runs of the matching engine as work with a state: staff queue a run on the board, a
worker runs it after commit (matches/tasks.py), and the board shows how far it is from
the run's row (queued, running with its step and counts, done or failed).

The engine works in one transaction (it holds the cycle's mentors until its proposals
are written), so nothing it writes is seen before it ends. Its steps are therefore
written on a database connection of their own, committed at once, for the board to
read while the engine still works.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import connections, transaction
from django.dispatch import Signal
from django.utils import timezone

from applications.models import Application
from mentoring.models import Cycle, User

from . import services
from .models import MatchingRun

logger = logging.getLogger(__name__)

State = MatchingRun.State

# Sent after the commit that queued a run, with ``run_id``: the tasks module publishes it.
matching_run_queued = Signal()

# A run queued or running longer than this is taken as lost (its worker died): the
# board offers to run the engine again rather than wait for it forever.
STALE_AFTER = timedelta(minutes=30)

_COUNTS = ("mentees", "mentors", "places", "kept", "proposed", "unmatched")


def matching_run_unfinished(cycle: Cycle) -> MatchingRun | None:
    """The cycle's run still queued or running (and not lost), if any."""
    return (
        MatchingRun.objects.filter(
            cycle=cycle,
            state__in=[State.QUEUED, State.RUNNING],
            run_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-run_at", "-id")
        .first()
    )


def matching_run_queue(*, cycle: Cycle, by: User | None = None) -> tuple[MatchingRun, bool]:
    """Queue a run of the engine for the cycle, run by a worker after commit. A run
    already queued or running is returned instead (False: nothing new was queued), so
    a double click runs the engine once."""
    with transaction.atomic():
        # One queuer at a time per cycle: the second waits, then sees the first's run.
        Cycle.objects.select_for_update().filter(pk=cycle.pk).exists()
        unfinished = matching_run_unfinished(cycle)
        if unfinished is not None:
            return unfinished, False
        MatchingRun.objects.filter(cycle=cycle, state__in=[State.QUEUED, State.RUNNING]).update(
            state=State.FAILED,
            finished_at=timezone.now(),
            error="No word from the worker: the run was lost.",
        )
        mentees = Application.objects.filter(
            cycle=cycle, role=Application.Role.MENTEE, status=Application.Status.ACCEPTED
        ).count()
        run = MatchingRun.objects.create(
            cycle=cycle, run_by=by, state=State.QUEUED, step="", mentees=mentees
        )
        transaction.on_commit(lambda: matching_run_queued.send(sender=MatchingRun, run_id=run.pk))
    return run, True


def _claim(run_id: int) -> MatchingRun | None:
    """Mark the queued run running; None when it is not queued (a second delivery of
    the task, or a run already done)."""
    claimed = MatchingRun.objects.filter(pk=run_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now(), step=services.STARTING
    )
    if not claimed:
        return None
    return MatchingRun.objects.select_related("cycle__program", "run_by").get(pk=run_id)


class _StepWriter:
    """Writes the run's step and counts on a connection of its own (see the module doc)."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.connection = connections["default"].copy()

    def __call__(self, step: str, **counts: int) -> None:
        values = {"step": step[:100], **{k: v for k, v in counts.items() if k in _COUNTS}}
        assignments = ", ".join(f"{self.connection.ops.quote_name(k)} = %s" for k in values)
        table = self.connection.ops.quote_name(MatchingRun._meta.db_table)
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = %s AND state = %s",
                    [*values.values(), self.run_id, State.RUNNING.value],
                )
        except Exception:  # progress is a courtesy: the run goes on without it
            logger.warning("Could not record the step of matching run %s", self.run_id)

    def close(self) -> None:
        self.connection.close()


def matching_run_perform(*, run_id: int) -> MatchingRun | None:
    """Run a queued run of the engine (the worker's part): running, then done with what
    the engine found, or failed with why. Safe to run twice: only a queued run is run."""
    run = _claim(run_id)
    if run is None:
        return None
    steps = _StepWriter(run.pk)
    try:
        return services.matches_propose(cycle=run.cycle, by=run.run_by, run=run, progress=steps)
    except Exception as exc:
        logger.exception("Matching run %s failed", run_id)
        MatchingRun.objects.filter(pk=run_id).update(
            state=State.FAILED,
            finished_at=timezone.now(),
            step="",
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        run.refresh_from_db()
        return run
    finally:
        steps.close()
