"""Public pages of the program: home, program page, timeline, calendar feed, health."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import selectors
from .calendar import program_calendar
from .celery import app as celery_app
from .dashboard import dashboard_for
from .timeline import phase_on, timeline_on

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The program's page when there is one program; the list of programs otherwise."""
    programs = list(selectors.programs_with_cycles())
    if len(programs) == 1:
        return _program_page(request, programs[0])
    overviews = [selectors.program_overview(p) for p in programs]
    return render(request, "mentoring/home.html", {"overviews": overviews})


def program_detail(request: HttpRequest, program_slug: str) -> HttpResponse:
    return _program_page(request, selectors.program_get(slug=program_slug))


def _program_page(request: HttpRequest, program) -> HttpResponse:
    overview = selectors.program_overview(program)
    with timezone.override(program.tz):
        return render(request, "mentoring/program_detail.html", {"overview": overview})


def timeline_index(request: HttpRequest) -> HttpResponse:
    programs = list(selectors.programs_with_cycles())
    if len(programs) == 1:
        return redirect("program_timeline", program_slug=programs[0].slug)
    overviews = [selectors.program_overview(p) for p in programs]
    return render(request, "mentoring/timeline_index.html", {"overviews": overviews})


def program_timeline(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = selectors.program_get(slug=program_slug)
    return _timeline_page(request, program, selectors.current_cycle(program, program.today()))


def cycle_timeline(request: HttpRequest, program_slug: str, cycle_slug: str) -> HttpResponse:
    program = selectors.program_get(slug=program_slug)
    return _timeline_page(request, program, selectors.cycle_get(program=program, slug=cycle_slug))


def _timeline_page(request: HttpRequest, program, cycle) -> HttpResponse:
    overview = selectors.program_overview(program)
    timeline = phase = None
    if cycle is not None:
        day = overview.today
        milestones = list(cycle.milestones.all())
        timeline = timeline_on(milestones, list(cycle.events.all()), day)
        phase = phase_on(milestones, day)
    context = {
        "overview": overview,
        "program": program,
        "cycle": cycle,
        "timeline": timeline,
        "phase": phase,
        "other_cycles": [c for c in program.cycles.all() if c != cycle],
    }
    with timezone.override(program.tz):
        return render(request, "mentoring/timeline.html", context)


def program_calendar_feed(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Every cycle of the program: one subscription that keeps working year after year."""
    program = selectors.program_get(slug=program_slug)
    return _calendar_response(program, list(program.cycles.all()), program.slug)


def cycle_calendar_feed(request: HttpRequest, program_slug: str, cycle_slug: str) -> HttpResponse:
    program = selectors.program_get(slug=program_slug)
    cycle = selectors.cycle_get(program=program, slug=cycle_slug)
    return _calendar_response(program, [cycle], f"{program.slug}-{cycle.slug}")


def _calendar_response(program, cycles, filename: str) -> HttpResponse:
    response = HttpResponse(
        program_calendar(program, cycles), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@login_required
def my_mentoring(request: HttpRequest) -> HttpResponse:
    """Where the person is in the program and what comes next."""
    return render(
        request, "mentoring/my_mentoring.html", {"dashboard": dashboard_for(request.user)}
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker both answer; 503 naming what does not."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    failing = [name for name, result in checks.items() if not result["ok"]]
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks},
        status=503 if failing else 200,
    )


def _failed(part: str, exc: Exception) -> dict:
    # The page is public: the error's text (host names, ports, user names) goes to the
    # log, the answer names only its kind.
    logger.warning("healthz: the %s does not answer: %s", part, exc)
    return {"ok": False, "detail": type(exc).__name__}


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not answering"
        return _failed("database", exc)
    return {"ok": True, "detail": connection.vendor}


def _check_broker() -> dict:
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return {"ok": True, "detail": "no broker: tasks run inside the web process (eager)"}
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors
        return _failed("broker", exc)
    return {"ok": True, "detail": conn.transport_cls}
