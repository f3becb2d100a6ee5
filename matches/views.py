"""The partners' pages: “My match” for each of a person's matches, recording a meeting,
asking the committee for help in confidence; and, before matching, each accepted
person's preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Application

from . import help_requests, meetings, selectors, wishes
from .forms import HelpRequestForm, MeetingForm
from .models import MAX_PREFERRED, Match


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
            messages.success(request, gettext("The meeting is recorded."))
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
                request,
                gettext("The committee received your message; it stays between you and them."),
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


@login_required
def preferences(request: HttpRequest, application_id: int) -> HttpResponse:
    """A mentee's directory of listed mentors to prefer or rule out; a mentor's listing
    and conflicts of interest. Only the person's own accepted application."""
    application = wishes.own_accepted_application(user=request.user, pk=application_id)
    cycle = application.cycle
    is_mentee = application.role == Application.Role.MENTEE
    window = wishes.preferences_window(cycle)
    error = ""
    if request.method == "POST":
        try:
            if is_mentee:
                chosen = {
                    int(key.split("-", 1)[1]): value
                    for key, value in request.POST.items()
                    if key.startswith("mentor-") and key.split("-", 1)[1].isdigit()
                }
                wishes.mentee_wishes_save(mentee=application, by=request.user, wishes=chosen)
            else:
                wishes.mentor_choices_save(
                    mentor=application,
                    by=request.user,
                    listed=request.POST.get("listed") == "on",
                    note=request.POST.get("note", "")[:300],
                    conflicts=[c for c in request.POST.getlist("conflict") if c.isdigit()],
                )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, gettext("Your choices are saved; the committee reads them when matching.")
            )
            return redirect("matches:preferences", application_id=application.pk)
    context = {"application": application, "cycle": cycle, "window": window, "error": error}
    if is_mentee:
        chosen = (
            {k: v for k, v in request.POST.items() if k.startswith("mentor-")}
            if error
            else {f"mentor-{k}": v for k, v in wishes.wishes_of_mentee(application).items()}
        )
        context["mentors"] = [
            (entry, chosen.get(f"mentor-{entry.mentor.pk}", ""))
            for entry in wishes.directory_entries(cycle)
        ]
        context["max_preferred"] = MAX_PREFERRED
    else:
        listing = getattr(application, "directory_listing", None)
        context["listing"] = listing
        context["mentees"] = list(wishes.accepted_mentees(cycle))
        context["conflicts"] = wishes.conflicts_of_mentor(application)
    return render(request, "matches/preferences.html", context)
