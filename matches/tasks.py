"""Background work of the matches app."""

from __future__ import annotations

from celery import shared_task

from mentoring.models import Cycle, User

from . import conclusion, services


@shared_task(ignore_result=True)
def propose_matches(cycle_id: int, user_id: int | None = None) -> int:
    """Run the engine for a large cohort outside the web request. Safe to run twice: a
    second run replaces the first's unlocked proposals with the same ones."""
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return 0
    by = User.objects.filter(pk=user_id).first() if user_id else None
    return services.matches_propose(cycle=cycle, by=by).proposed


@shared_task(ignore_result=True)
def conclude_ended_cycles() -> int:
    """Conclude the matches of every cycle whose last day has come (hourly, so the day
    is caught in each program's time zone). Safe to run twice: only active matches are
    concluded, each under its row lock, and the partners are written to once."""
    return conclusion.cycles_conclude_ended()
