"""What every goal sheet page shares: finding the person's match and sheet (anyone else
gets a 404), rendering with the match around it, naming people as the match knows them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from matches.models import Match
from matches.selectors import current_match_with_partners
from mentoring.selectors import with_shared_cycle

from . import selectors, services
from .models import GoalSheet


def match_of(request: HttpRequest, match_id: int) -> Match:
    """The match, if the person is its mentor or mentee (active or concluded); else 404."""
    if request.method not in ("GET", "HEAD"):
        # A write checks its rules (the outcomes' grace date) against the cycle's row.
        return get_object_or_404(
            selectors.match_queryset().of_person(request.user).current(), pk=match_id
        )
    # A page shows the cycle's dates from the shared content, so the match is read
    # without its cycle and program; and the partners it is read with tell whether the
    # person is one of them (no subquery of their applications to plan on every visit),
    # with SQL written out, not composed on every visit.
    match = current_match_with_partners(match_id)
    if match is None or match.role_of(request.user) is None:
        raise Http404("No such match")
    with_shared_cycle(match)
    return match


def sheet_of(request: HttpRequest, match_id: int) -> tuple[Match, GoalSheet]:
    match = match_of(request, match_id)
    sheet = open_sheet(match)
    sheet.match = match  # keep the match loaded with its partners and milestones
    return match, sheet


def open_sheet(match: Match) -> GoalSheet:
    """The match's sheet, opened as a draft the first time (an active match's only:
    any other without one gets a 404)."""
    try:
        return services.goal_sheet_open(match=match)
    except ValidationError as exc:
        raise Http404("This match has no goal sheet.") from exc


def render_page(
    request: HttpRequest, template: str, match: Match, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    program = match.cycle.program
    base = {
        "match": match,
        "program": program,
        "cycle": match.cycle,
        "role": match.role_of(request.user),
        "partner": match.partner_of(request.user),
    }
    with timezone.override(program.tz):
        return render(request, template, {**base, **context}, status=status)


def name_of(match: Match, user) -> str:
    """How the page names a person: as the match knows them, else by their account."""
    if user is None:
        return "A former participant"
    for application in (match.mentor, match.mentee):
        if application.applicant_id == user.pk and application.display_name:
            return application.display_name
    return user.get_short_name()


def updated_by_name(match: Match, sheet: GoalSheet) -> str:
    """Who last changed the sheet, as :func:`name_of` names them; a partner (nearly
    always) without reading their account."""
    for application in (match.mentor, match.mentee):
        if application.applicant_id == sheet.updated_by_id and application.display_name:
            return application.display_name
    return name_of(match, sheet.updated_by)


def to_sheet(match: Match) -> HttpResponse:
    return redirect("goals:sheet", match_id=match.pk)


def message_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)
