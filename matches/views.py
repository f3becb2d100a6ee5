"""The partners' pages: “My match” for each of a person's matches, recording a meeting,
and asking the committee for help in confidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import help_requests, meetings, selectors
from .forms import HelpRequestForm, MeetingForm
from .models import Match


@login_required
def my_matches(request: HttpRequest) -> HttpResponse:
    """The person's matches; straight to the match when there is exactly one."""
    matches = list(selectors.matches_of(request.user))
    if len(matches) == 1:
        return redirect(matches[0])
    return render(request, "matches/my_matches.html", {"matches": matches})


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Who the partner is, how to reach them, what the two share, the meetings they
    recorded. 404 for anyone else."""
    match = selectors.match_for_partner(user=request.user, pk=pk)
    intro = selectors.introduction(match, match.role_of(request.user))
    context = {
        "intro": intro,
        "match": match,
        "meetings": meetings.meetings_of(match),
        "help_requests": help_requests.help_requests_of(match=match, user=request.user),
    }
    with timezone.override(match.cycle.program.tz):
        return render(request, "matches/match_detail.html", context)


@login_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Either partner records a meeting of an active match."""
    match = selectors.match_for_partner(user=request.user, pk=pk)
    if match.status != Match.Status.ACTIVE:
        raise Http404("This match's meetings are closed")
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        initial={"on": match.cycle.program.today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.meeting_record(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The meeting is recorded.")
            return redirect(match)
    partner = match.partner_of(request.user)
    return render(
        request, "matches/meeting_form.html", {"match": match, "form": form, "partner": partner}
    )


@login_required
def help_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Either partner writes to the committee; the other partner never sees it."""
    match = selectors.match_for_partner(user=request.user, pk=pk)
    form = HelpRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and match.status == Match.Status.ACTIVE and form.is_valid():
        try:
            help_requests.help_request_ask(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, "The committee received your message; it stays between you and them."
            )
            return redirect(match)
    context = {
        "match": match,
        "form": form,
        "partner": match.partner_of(request.user),
        "help_requests": help_requests.help_requests_of(match=match, user=request.user),
    }
    with timezone.override(match.cycle.program.tz):
        return render(request, "matches/help_request.html", context)
