"""Public pages of the program: home, program page, timeline, calendar feed, health."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import fail_open, selectors, services
from .calendar import program_calendar
from .celery import app as celery_app
from .forms import AccountDeleteForm
from .privacy import personal_data_export
from .timeline import phase_on, timeline_on

logger = logging.getLogger(__name__)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: Django's own view (the cookie, back to the page),
    and a signed-in person's choice kept on their account too."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.person_set_language(user=request.user, language=language)
    return response


def home(request: HttpRequest) -> HttpResponse:
    """The program's page when there is one program; the list of programs otherwise."""
    programs = selectors.programs()
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
    programs = selectors.programs()
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
@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    """What the site holds about the person, and the button to download it."""
    return render(request, "mentoring/my_data.html")


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> JsonResponse:
    """Everything the site holds about the person, as a JSON file to keep."""
    response = JsonResponse(
        personal_data_export(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mentoring-data-{day}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def account_delete(request: HttpRequest) -> HttpResponse:
    """The person deletes their account, with their password; they are signed out."""
    user = request.user
    if user.is_staff or user.is_superuser:
        return render(
            request, "mentoring/account_delete.html", {"refusal": services.STAFF_CANNOT_DELETE}
        )
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            return redirect("my_account_deleted")
    return render(request, "mentoring/account_delete.html", {"form": form})


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "mentoring/account_deleted.html")


# allauth's request limits (sign-in, sign-up, password reset...) all count per minute.
TRY_AGAIN_AFTER_SECONDS = 60


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """What a person sees when allauth's rate limits refuse a request: the site's own
    page saying when to try again, not a bare error."""
    response = render(
        request,
        "429.html",
        {"wait_minutes": TRY_AGAIN_AFTER_SECONDS // 60},
        status=429,
    )
    response["Retry-After"] = str(TRY_AGAIN_AFTER_SECONDS)
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Each part by name (database, broker, cache). 503 only when the database does not
    answer: without the broker e-mails wait in the outbox, without the cache pages are
    read from the database, and the site still serves."""
    checks = {"database": _check_database(), "broker": _check_broker(), "cache": _check_cache()}
    failing = [name for name, result in checks.items() if not result["ok"]]
    status = "degraded" if failing else "ok"
    if not checks["database"]["ok"]:
        status = "unavailable"
    return JsonResponse(
        {"status": status, "failing": failing, "checks": checks},
        status=503 if status == "unavailable" else 200,
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


def _check_cache() -> dict:
    backend = caches["default"]
    if not isinstance(backend, fail_open.RedisCache):
        return {"ok": True, "detail": type(backend).__name__}
    try:
        backend.ping()
    except Exception as exc:  # redis-py's connection and timeout errors
        return _failed("cache", exc)
    return {"ok": True, "detail": "redis"}
