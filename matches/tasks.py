"""Background work of the matches app."""

from __future__ import annotations

from celery import shared_task
from django.dispatch import receiver

from . import conclusion, runs


@shared_task(ignore_result=True)
def run_matching(run_id: int) -> int:
    """Run a run of the engine staff queued on the board; the run's row says how far it
    is. Safe to run twice: only a queued run is run."""
    run = runs.matching_run_perform(run_id=run_id)
    return run.proposed if run is not None else 0


@receiver(runs.matching_run_queued)
def publish_matching_run(run_id: int, **kwargs) -> None:
    run_matching.delay(run_id)


@shared_task(ignore_result=True)
def conclude_ended_cycles() -> int:
    """Conclude the matches of every cycle whose last day has come (hourly, so the day
    is caught in each program's time zone). Safe to run twice: only active matches are
    concluded, each under its row lock, and the partners are written to once."""
    return conclusion.cycles_conclude_ended()
