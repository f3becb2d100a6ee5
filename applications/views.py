"""The applicant's pages: apply, save a draft, submit, edit, withdraw, and “My
applications”. Each object URL shows only the signed-in person's own applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mentoring import selectors as program_selectors
from mentoring.models import Cycle
from mentoring.templatetags.program import daterange

from . import selectors, services
from .answers import answer_sections
from .forms import ApplicationForm, WithdrawForm, initial_from
from .models import Application

Role = Application.Role

# Short answers that sit two to a row on wide screens.
HALF_WIDTH_FIELDS = frozenset(
    {
        "full_name",
        "preferred_name",
        "pronouns",
        "email",
        "phone",
        "city",
        "state",
        "country",
        "time_zone",
        "organization",
        "position_title",
    }
)


def _wants_submit(request: HttpRequest) -> bool:
    return request.POST.get("action") == "submit"


@login_required
def apply(request: HttpRequest, program_slug: str, role: str) -> HttpResponse:
    """A new application to the program's open cycle; the person's existing one for this
    role and cycle opens instead."""
    if role not in Role.values:
        raise Http404("No such role")
    program = program_selectors.program_get(slug=program_slug)
    window = program_selectors.application_window(program, program.today())
    if not window.is_open and request.method != "POST":
        return _closed_page(request, program, window, role)
    cycle = window.cycle if window.is_open else _posted_cycle(request, program)
    if cycle is None:
        return _closed_page(request, program, window, role)
    mine = selectors.applications_in_program(request.user, program)
    existing = next((a for a in mine if a.cycle_id == cycle.pk and a.role == role), None)
    if existing is not None and request.method != "POST":
        return redirect(_continue_url(existing))

    initial, previous = selectors.application_prefill(request.user, program, applications=mine)
    form = ApplicationForm(request.POST or None, program=program, role=role, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                applicant=request.user,
                cycle=cycle,
                role=role,
                answers=form.answers(),
                submit=_wants_submit(request),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _after_save(request, application, was_draft=True)
    return _form_page(request, form, cycle=cycle, role=role, application=None, previous=previous)


def _posted_cycle(request: HttpRequest, program) -> Cycle | None:
    """The cycle a form was posted for: if its window closed while the person typed, the
    form comes back with their answers and says so, rather than losing them."""
    slug = request.POST.get("cycle", "")
    return next((c for c in program.cycles.all() if c.slug == slug), None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_of(request.user, pk)
    cycle = application.cycle
    if request.method != "POST" and not (
        application.answers_editable and cycle.accepting_applications
    ):
        if not application.answers_editable:
            messages.info(
                request,
                gettext("This application is %(status)s: its answers can no longer be changed.")
                % {"status": application.get_status_display().lower()},
            )
        else:
            messages.info(request, services.closed_message(cycle))
        return redirect("applications:detail", pk=application.pk)

    form = ApplicationForm(
        request.POST or None,
        program=cycle.program,
        role=application.role,
        initial={**initial_from(application), "email": request.user.email},
        chosen_interest_ids=frozenset(i.pk for i in application.interests.all()),
    )
    if request.method == "POST" and form.is_valid():
        was_draft = application.is_draft
        try:
            application = services.application_update(
                application=application,
                answers=form.answers(),
                by=request.user,
                submit=_wants_submit(request),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _after_save(request, application, was_draft=was_draft)
    return _form_page(request, form, cycle=cycle, role=application.role, application=application)


def _form_page(request, form, *, cycle, role, application, previous=None) -> HttpResponse:
    # In the order of the form, whatever order the service found them in.
    field_errors = [
        (form[name], form.errors[name], _anchor(form[name]))
        for name in form.fields
        if name in form.errors
    ]
    context = {
        "form": form,
        "cycle": cycle,
        "program": cycle.program,
        "role": role,
        "role_label": Role(role).label,
        "application": application,
        "previous": previous,
        "field_errors": field_errors,
        "error_count": len(field_errors) + len(form.non_field_errors()),
        "days_left": (cycle.applications_close_on - cycle.program.today()).days,
        "milestones": {m.kind: m for m in cycle.milestones.all()},
        "half_width": HALF_WIDTH_FIELDS,
    }
    with timezone.override(cycle.program.tz):
        return render(request, "applications/form.html", context)


def _anchor(field) -> str:
    """Where the error summary's link for a field leads: the field itself, or the first
    option of a group of radio buttons or checkboxes (Django gives a group no id of its
    own, and a link to "#" would only jump to the top of the page)."""
    return field.id_for_label or f"{field.auto_id}_0"


def _after_save(request: HttpRequest, application: Application, *, was_draft: bool):
    if application.is_draft:
        close = application.cycle.applications_close_on
        messages.success(
            request,
            gettext(
                "Your draft is saved. Come back to it any time until %(date)s: it is under "
                "“My applications”."
            )
            % {"date": daterange(close)},
        )
        return redirect("applications:edit", pk=application.pk)
    if was_draft:
        return redirect("applications:submitted", pk=application.pk)
    messages.success(request, gettext("Your changes are saved."))
    return redirect("applications:detail", pk=application.pk)


def _continue_url(application: Application) -> str:
    if application.answers_editable and application.cycle.accepting_applications:
        return reverse("applications:edit", args=[application.pk])
    return reverse("applications:detail", args=[application.pk])


def _closed_page(request, program, window, role) -> HttpResponse:
    context = {
        "program": program,
        "window": window,
        "role": role,
        "role_label": Role(role).label,
        "today": program.today(),
    }
    return render(request, "applications/closed.html", context)


@login_required
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page after submitting."""
    application = selectors.application_of(request.user, pk)
    if application.status not in (Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW):
        return redirect("applications:detail", pk=application.pk)
    other_role = Role.MENTOR if application.role == Role.MENTEE else Role.MENTEE
    context = {
        **_detail_context(application),
        "other_role": other_role,
        "other_role_label": Role(other_role).label.lower(),
        "applied_in_other_role": Application.objects.of_person(request.user)
        .filter(cycle=application.cycle, role=other_role)
        .exists(),
    }
    with timezone.override(application.cycle.program.tz):
        return render(request, "applications/submitted.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_of(request.user, pk)
    with timezone.override(application.cycle.program.tz):
        return render(request, "applications/detail.html", _detail_context(application))


def _detail_context(application: Application) -> dict:
    cycle = application.cycle
    return {
        "application": application,
        "cycle": cycle,
        "program": cycle.program,
        "sections": answer_sections(application),
        "milestones": list(cycle.milestones.all()),
        "window_open": cycle.accepting_applications,
        "can_edit": application.answers_editable and cycle.accepting_applications,
        "can_reopen": application.status == Application.Status.WITHDRAWN
        and cycle.accepting_applications,
    }


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_of(request.user, pk)
    if not application.can_withdraw:
        messages.info(
            request,
            gettext("This application is %(status)s: there is nothing to withdraw.")
            % {"status": application.get_status_display().lower()},
        )
        return redirect("applications:detail", pk=application.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                gettext("Your %(role)s application for %(cycle)s is withdrawn.")
                % {
                    "role": application.get_role_display().lower(),
                    "cycle": application.cycle.name,
                },
            )
            return redirect("applications:mine")
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_of(request.user, pk)
    try:
        services.application_reopen(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:detail", pk=application.pk)
    messages.success(
        request, gettext("Your application is a draft again. Check your answers, then submit it.")
    )
    return redirect("applications:edit", pk=application.pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """“My applications”: each application, its status and the history of its status."""
    applications = list(selectors.applications_of(request.user))
    programs = program_selectors.programs()
    overviews = [program_selectors.program_overview(p) for p in programs]
    return render(
        request,
        "applications/mine.html",
        {"applications": applications, "overviews": overviews},
    )
