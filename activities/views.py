"""Pages of the activities app: the public catalog and reading list, and each match's
activity log (its partners only)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from matches.models import Match
from mentoring import form_tokens

from . import selectors, services
from .cards import with_cards
from .forms import CatalogFilterForm, LogEntryForm
from .log_rows import attach_rows, entry_list, suggestion_list
from .models import ActivityLogEntry

CATALOG_PAGE_SIZE = 30


def catalog(request: HttpRequest) -> HttpResponse:
    """Every program's suggested activities, filtered and searched from the query string."""
    choices = selectors.catalog_choices()
    form = CatalogFilterForm(
        request.GET if request.GET else None,
        programs=choices.programs,
        categories=choices.categories,
        competency_areas=choices.competency_areas,
    )
    filters = form.filters()
    page = Paginator(selectors.catalog_activities(**filters), CATALOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "filtered": any(filters.values()),
        "page": page,
        "activities": page.object_list,
        "cards": with_cards(page.object_list),
        "programs": choices.programs,
        "my_matches": selectors.active_matches_of(request.user),
    }
    return render(request, "activities/catalog.html", context)


def activity_detail(request: HttpRequest, program_slug: str, slug: str) -> HttpResponse:
    activity = selectors.activity_get(program_slug=program_slug, slug=slug)
    matches = selectors.active_matches_in_program(user=request.user, program=activity.program)
    logged = selectors.logged_by_matches(activity=activity, matches=matches)
    context = {
        "activity": activity,
        "matches": [(m, m.partner_of(request.user), logged.get(m.pk)) for m in matches],
    }
    return render(request, "activities/activity_detail.html", context)


def reading_list(request: HttpRequest) -> HttpResponse:
    resources = list(selectors.reading_list())
    return render(request, "activities/reading_list.html", {"resources": resources})


# --- A match's activity log ---------------------------------------------------------------


@login_required
def log(request: HttpRequest, match_id: int) -> HttpResponse:
    # With the partners' interests read beside the match: the suggestions need them.
    match = selectors.match_for_partner(user=request.user, match_id=match_id, chosen=True)
    log = selectors.log_page(match=match)
    entries = log.entries
    is_active = match.status == Match.Status.ACTIVE
    today = match.cycle.program.today()
    attach_rows(entries, request=request, match=match, can_change=is_active, today=today)
    planned = sorted((e for e in entries if not e.is_done), key=lambda e: (e.on, e.pk))
    done = [e for e in entries if e.is_done]
    context = {
        "match": match,
        "partner": match.partner_of(request.user),
        "planned": planned,
        "done": done,
        # The month lists and the suggestions written out (log_rows.py): the same markup.
        "planned_list": entry_list(planned),
        "done_list": entry_list(done),
        "suggestion_list": suggestion_list(
            selectors.suggestions_for_match(
                match=match,
                logged={e.activity_id for e in entries if e.activity_id},
                goals=log.goals,
                catalog=log.catalog,
            ),
            match=match,
        )
        if is_active
        else "",
        "can_change": is_active,
    }
    return render(request, "activities/log.html", context)


def _entry_form(request, match, *, entry: ActivityLogEntry | None = None, initial=None):
    return LogEntryForm(
        request.POST if request.method == "POST" else None,
        match=match,
        # Read when the form draws or checks them: a post that picks none never does.
        activities=functools.partial(selectors.log_activity_choices, match=match, entry=entry),
        goals=selectors.match_goals(match=match),
        initial=initial,
    )


def _save(request, form, save) -> bool:
    """Run the service; its rule messages go beside the fields, nothing typed is lost."""
    if not form.is_valid():
        return False
    try:
        save(**form.service_arguments())
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@login_required
def log_entry_create(request: HttpRequest, match_id: int) -> HttpResponse:
    match = selectors.match_for_partner(user=request.user, match_id=match_id)
    if match.status != Match.Status.ACTIVE:
        raise Http404("This match's log is closed")
    initial = {"on": match.cycle.program.today()}
    if request.GET.get("activity"):
        initial["activity"] = request.GET["activity"]
    if request.GET.get("status") in ActivityLogEntry.Status.values:
        initial["status"] = request.GET["status"]
    form = _entry_form(request, match, initial=initial)
    if request.method == "POST" and form.is_valid():
        # The form's one-time token is spent with the entry: a double click or the back
        # button posts it again and finds the entry already made.
        try:
            with transaction.atomic():
                first = form_tokens.spend(
                    user=request.user, token=request.POST.get(form_tokens.FIELD, "")
                )
                if first:
                    services.log_entry_create(
                        match=match, user=request.user, **form.service_arguments()
                    )
        except form_tokens.FormTokenError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if first:
                messages.success(request, gettext("Added to your activity log."))
            else:
                messages.info(request, gettext("That entry was already added to your log."))
            return redirect("activities:log", match_id=match.pk)
    context = {
        "match": match,
        "form": form,
        "partner": match.partner_of(request.user),
        "form_token": form_tokens.token_for_page(request),
    }
    return render(request, "activities/log_entry_form.html", context)


def _own_entry(request, match_id: int, entry_id: int):
    match = selectors.match_for_partner(user=request.user, match_id=match_id)
    entry = selectors.log_entry_get(match=match, entry_id=entry_id)
    # The other partner's entries, and a closed log, have no edit or delete pages.
    if entry.recorded_by_id != request.user.pk or match.status != Match.Status.ACTIVE:
        raise Http404("Not your entry")
    return match, entry


@login_required
def log_entry_edit(request: HttpRequest, match_id: int, entry_id: int) -> HttpResponse:
    match, entry = _own_entry(request, match_id, entry_id)
    initial = {
        "activity": str(entry.activity_id or ""),
        "title": entry.title,
        "status": entry.status,
        "on": entry.on,
        "notes": entry.notes,
        "goals": [g.pk for g in entry.goals.all()],
    }
    form = _entry_form(request, match, entry=entry, initial=initial)
    if request.method == "POST" and _save(
        request,
        form,
        lambda **args: services.log_entry_update(entry=entry, user=request.user, **args),
    ):
        messages.success(request, gettext("Saved your changes."))
        return redirect("activities:log", match_id=match.pk)
    return render(
        request,
        "activities/log_entry_form.html",
        {"match": match, "form": form, "entry": entry, "partner": match.partner_of(request.user)},
    )


@login_required
def log_entry_delete(request: HttpRequest, match_id: int, entry_id: int) -> HttpResponse:
    match, entry = _own_entry(request, match_id, entry_id)
    if request.method == "POST":
        try:
            services.log_entry_delete(entry=entry, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                gettext("Deleted “%(title)s” from your activity log.") % {"title": entry.title},
            )
        return redirect("activities:log", match_id=match.pk)
    return render(request, "activities/log_entry_delete.html", {"match": match, "entry": entry})


@login_required
@require_POST
def log_entry_mark_done(request: HttpRequest, match_id: int, entry_id: int) -> HttpResponse:
    match = selectors.match_for_partner(user=request.user, match_id=match_id)
    entry = selectors.log_entry_get(match=match, entry_id=entry_id)
    try:
        entry = services.log_entry_mark_done(entry=entry, user=request.user)
    except ValidationError as exc:
        messages.error(
            request,
            gettext("“%(title)s” was not marked done: %(why)s")
            % {"title": entry.title, "why": " ".join(exc.messages)},
        )
    else:
        messages.success(request, gettext("Marked “%(title)s” done.") % {"title": entry.title})
    return redirect("activities:log", match_id=match.pk)
