"""The newsletter's pages: the archive of past issues for participants, an issue on the
web, a person's email preferences, and the one-click unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mentoring.models import User

from . import issue_sections, selectors, services
from .emails import goals_heading
from .forms import EmailPreferencesForm
from .tokens import read_unsubscribe_token

LIST_LABELS = {"newsletter": "the monthly newsletter", "reminders": "reminders"}


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """The issues of the cycles the person takes part in, newest first."""
    issues = selectors.archive_for(request.user)
    return render(request, "newsletter/archive.html", {"issues": issues})


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An issue on the web, with the reader's goals as they stand today; 404 for an
    issue not sent, or of a cycle the reader is not in."""
    issue = selectors.archive_issue_get(request.user, pk)
    content = issue_sections.issue_content(issue)
    sections = issue_sections.goal_sections_for(issue.cycle_id, [request.user.pk]).get(
        request.user.pk, []
    )
    previous, following = selectors.neighbours(request.user, issue)
    context = {
        "issue": issue,
        "content": content,
        "sections": sections,
        "goals_heading": goals_heading(sections),
        "previous": previous,
        "following": following,
    }
    with timezone.override(content.program.tz):
        return render(request, "newsletter/issue.html", context)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.email_preference_of(request.user)
    form = EmailPreferencesForm(
        request.POST or None,
        initial={"newsletter": preference.newsletter, "reminders": preference.reminders},
    )
    if request.method == "POST" and form.is_valid():
        services.email_preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, gettext("Your email preferences are saved."))
        return redirect("newsletter:preferences")
    return render(request, "newsletter/preferences.html", {"form": form})


def _token_owner(token: str) -> tuple[User, str] | None:
    found = read_unsubscribe_token(token)
    if found is None:
        return None
    user = User.objects.filter(pk=found[0], is_active=True).first()
    return (user, found[1]) if user is not None else None


# The mail client's one-click POST (RFC 8058) carries no session and no CSRF token: the
# signed token in the link is what identifies the person.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link checkers open links without meaning to unsubscribe);
    POST, from the page or straight from the mail client, unsubscribes."""
    owner = _token_owner(token)
    if owner is None:
        return render(request, "newsletter/unsubscribe_invalid.html", status=404)
    user, list_name = owner
    context = {
        "token": token,
        "person": user,
        "list_name": list_name,
        "label": LIST_LABELS[list_name],
    }
    if request.method == "POST":
        services.email_list_set(user=user, list_name=list_name, subscribed=False)
        return render(request, "newsletter/unsubscribed.html", context)
    return render(request, "newsletter/unsubscribe.html", context)


@csrf_exempt
@require_POST
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Undo an unsubscribe from the same link."""
    owner = _token_owner(token)
    if owner is None:
        return render(request, "newsletter/unsubscribe_invalid.html", status=404)
    user, list_name = owner
    services.email_list_set(user=user, list_name=list_name, subscribed=True)
    context = {
        "token": token,
        "person": user,
        "list_name": list_name,
        "label": LIST_LABELS[list_name],
    }
    return render(request, "newsletter/resubscribed.html", context)
