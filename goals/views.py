"""The goal sheet pages of a match. Only the two partners see them (anyone else gets a
404); what each may do follows the table of transitions (``rules.may``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mentoring import form_tokens

from . import progress, rules, selectors, services
from .forms import (
    CheckInForm,
    OutcomeForm,
    SendBackForm,
    VersionForm,
)
from .models import GoalSheet, GoalSheetRevision
from .pages import (
    match_of,
    message_of,
    open_sheet,
    render_page,
    sheet_of,
    to_sheet,
    updated_by_name,
)
from .progress import OutcomeInput
from .services import GoalSheetConflict
from .sheet_cards import goal_cards

PREFIX = "goals"


@login_required
def my_sheets(request: HttpRequest) -> HttpResponse:
    summaries = selectors.goal_sheets_of_person(request.user)
    return render(request, "goals/my_sheets.html", {"summaries": summaries})


@login_required
def sheet_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match = match_of(request, match_id)
    # The sheet is read once, with its goals; only the first visit opens it.
    summary = selectors.goal_sheet_summary(match)
    if summary.sheet is None:
        open_sheet(match)
        summary = selectors.goal_sheet_summary(match)
    sheet = summary.sheet
    sheet.match = match
    user = request.user
    today = match.cycle.program.today()
    can_check_in = rules.may_check_in(sheet, user)
    context = {
        "summary": summary,
        "sheet": sheet,
        "state": summary.state,
        "days_left": (summary.state.due_on - today).days if summary.state.due_on else None,
        "agreed_on_time": bool(
            sheet.agreed_at
            and summary.state.due_on
            and timezone.localdate(sheet.agreed_at, match.cycle.program.tz) <= summary.state.due_on
        ),
        "can_edit": rules.may_edit(sheet, user),
        "can_submit": rules.may(sheet, GoalSheet.Action.SUBMIT, user),
        "can_withdraw": rules.may(sheet, GoalSheet.Action.WITHDRAW, user),
        "can_review": rules.may(sheet, GoalSheet.Action.CONFIRM, user),
        "can_reopen": rules.may(sheet, GoalSheet.Action.REOPEN, user),
        "can_check_in": can_check_in,
        "goal_cards": goal_cards(
            summary.goals, match=match, sheet=sheet, can_check_in=can_check_in
        ),
        "outcomes_open": rules.outcomes_open(sheet),
        "incomplete": [(g, g.missing_parts()) for g in summary.goals if g.missing_parts()],
        "has_revisions": sheet.revision > 1 or sheet.status != GoalSheet.Status.DRAFT,
        "updated_by": updated_by_name(match, sheet) if sheet.updated_by_id else "",
    }
    return render_page(request, "goals/sheet.html", match, context)


@login_required
def submit(request: HttpRequest, match_id: int) -> HttpResponse:
    """The mentee submits the draft to the mentor (a mentor may not: 403)."""
    match, sheet = sheet_of(request, match_id)
    if match.role_of(request.user) != "mentee":
        raise PermissionDenied("Only the mentee submits the goal sheet.")
    if not rules.may(sheet, GoalSheet.Action.SUBMIT, request.user):
        messages.info(
            request, gettext("The goal sheet is not a draft, so there is nothing to submit.")
        )
        return to_sheet(match)
    if request.method == "POST":
        form = VersionForm(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else None
        try:
            services.goal_sheet_submit(sheet=sheet, by=request.user, version=version)
        except GoalSheetConflict as exc:
            messages.error(request, message_of(exc))
            return redirect("goals:submit", match_id=match.pk)
        except ValidationError as exc:
            messages.error(
                request,
                gettext("The goal sheet can't be submitted yet: %(reason)s")
                % {"reason": message_of(exc)},
            )
            return redirect(reverse("goals:edit", args=[match.pk]) + "?check=1")
        messages.success(
            request,
            gettext(
                "You submitted the goal sheet. %(mentor)s has been emailed to confirm it or "
                "send it back."
            )
            % {"mentor": match.mentor.display_name},
        )
        return to_sheet(match)
    summary = selectors.goal_sheet_summary(match)
    context = {
        "sheet": sheet,
        "summary": summary,
        "form": VersionForm(initial={"version": sheet.version}),
        "incomplete": [(g, g.missing_parts()) for g in summary.goals if g.missing_parts()],
    }
    return render_page(request, "goals/submit.html", match, context)


@login_required
@require_POST
def withdraw(request: HttpRequest, match_id: int) -> HttpResponse:
    """The mentee takes the submitted sheet back to edit it."""
    match, sheet = sheet_of(request, match_id)
    if match.role_of(request.user) != "mentee":
        raise PermissionDenied("Only the mentee takes back the goal sheet.")
    try:
        services.goal_sheet_withdraw(sheet=sheet, by=request.user)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
        return to_sheet(match)
    messages.success(request, gettext("The goal sheet is a draft again: you can both edit it."))
    return redirect("goals:edit", match_id=match.pk)


@login_required
def review(request: HttpRequest, match_id: int) -> HttpResponse:
    """The mentor confirms the submitted sheet ("we agree") or sends it back."""
    match, sheet = sheet_of(request, match_id)
    if match.role_of(request.user) != "mentor":
        raise PermissionDenied("Only the mentor confirms the goal sheet.")
    if not rules.may(sheet, GoalSheet.Action.CONFIRM, request.user):
        messages.info(request, gettext("There is no submitted goal sheet to review now."))
        return to_sheet(match)
    send_back_form = SendBackForm(initial={"version": sheet.version})
    status = 200
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                form = VersionForm(request.POST)
                version = form.cleaned_data["version"] if form.is_valid() else None
                services.goal_sheet_confirm(sheet=sheet, by=request.user, version=version)
                messages.success(
                    request,
                    gettext("You agreed to the goal sheet. It is now your agreement for the year."),
                )
                return to_sheet(match)
            send_back_form = SendBackForm(request.POST)
            if send_back_form.is_valid():
                services.goal_sheet_send_back(
                    sheet=sheet,
                    by=request.user,
                    comment=send_back_form.cleaned_data["comment"],
                    version=send_back_form.cleaned_data["version"],
                )
                messages.success(
                    request,
                    gettext(
                        "You sent the goal sheet back. %(mentee)s has been emailed your comment."
                    )
                    % {"mentee": match.mentee.display_name},
                )
                return to_sheet(match)
            status = 400
        except GoalSheetConflict as exc:
            messages.error(request, message_of(exc))
            return redirect("goals:review", match_id=match.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                send_back_form.add_error(None, exc)
                status = 400
            else:
                messages.error(request, message_of(exc))
                return to_sheet(match)
    summary = selectors.goal_sheet_summary(match)
    context = {
        "sheet": sheet,
        "summary": summary,
        "confirm_form": VersionForm(initial={"version": sheet.version}),
        "send_back_form": send_back_form,
        "revision": sheet.revisions.filter(number=sheet.revision)
        .select_related("submitted_by")
        .first(),
    }
    return render_page(request, "goals/review.html", match, context, status=status)


@login_required
def reopen(request: HttpRequest, match_id: int) -> HttpResponse:
    """Either partner opens a new revision of the agreed sheet to change it."""
    match, sheet = sheet_of(request, match_id)
    if not rules.may(sheet, GoalSheet.Action.REOPEN, request.user):
        messages.info(request, gettext("Only an agreed goal sheet is reopened to change it."))
        return to_sheet(match)
    if request.method == "POST":
        try:
            services.goal_sheet_reopen(sheet=sheet, by=request.user)
        except ValidationError as exc:
            messages.error(request, message_of(exc))
            return to_sheet(match)
        messages.success(
            request,
            gettext(
                "Revision %(new)s is open as a draft. Revision %(old)s stays your agreement "
                "until the new one is agreed."
            )
            % {"new": sheet.revision + 1, "old": sheet.revision},
        )
        return redirect("goals:edit", match_id=match.pk)
    return render_page(request, "goals/reopen.html", match, {"sheet": sheet})


@login_required
def revisions(request: HttpRequest, match_id: int) -> HttpResponse:
    match, sheet = sheet_of(request, match_id)
    context = {
        "sheet": sheet,
        "revisions": selectors.revisions_of(sheet),
        "history": selectors.history_of(sheet),
    }
    return render_page(request, "goals/revisions.html", match, context)


@login_required
def revision_detail(request: HttpRequest, match_id: int, number: int) -> HttpResponse:
    match, sheet = sheet_of(request, match_id)
    revision = get_object_or_404(
        GoalSheetRevision.objects.select_related("submitted_by", "confirmed_by", "sent_back_by"),
        sheet=sheet,
        number=number,
    )
    context = {
        "sheet": sheet,
        "revision": revision,
        "goals": selectors.revision_goals(revision),
        "history": [c for c in selectors.history_of(sheet) if c.revision == number],
    }
    return render_page(request, "goals/revision.html", match, context)


@login_required
def print_sheet(request: HttpRequest, match_id: int) -> HttpResponse:
    """The agreed goal sheet, laid out to print (the form the committee used to collect)."""
    match, sheet = sheet_of(request, match_id)
    if sheet.agreed_revision is None:
        messages.info(request, gettext("There is no agreed goal sheet to print yet."))
        return to_sheet(match)
    revision = get_object_or_404(
        GoalSheetRevision.objects.select_related("submitted_by", "confirmed_by"),
        sheet=sheet,
        number=sheet.agreed_revision,
    )
    context = {
        "sheet": sheet,
        "revision": revision,
        "goals": selectors.revision_goals(revision),
        "printed_on": match.cycle.program.today(),
    }
    return render_page(request, "goals/print.html", match, context)


@login_required
def check_in(request: HttpRequest, match_id: int, goal_id: int) -> HttpResponse:
    """Either partner records how a goal is going."""
    match, sheet = sheet_of(request, match_id)
    goal = get_object_or_404(sheet.goals.current(), pk=goal_id)
    if not rules.may_check_in(sheet, request.user):
        messages.info(request, gettext("Progress is recorded once your goal sheet is agreed."))
        return to_sheet(match)
    today = match.cycle.program.today()
    form = CheckInForm(initial={"on": today})
    status = 200
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            # Spent with the check-in, so a double click or a resubmit records one.
            try:
                with transaction.atomic():
                    first = form_tokens.spend(
                        user=request.user, token=request.POST.get(form_tokens.FIELD, "")
                    )
                    if first:
                        progress.check_in_add(goal=goal, by=request.user, **form.cleaned_data)
            except form_tokens.FormTokenError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    messages.error(request, message_of(exc))
                    return to_sheet(match)
                form.add_error(None, exc)
            else:
                if first:
                    messages.success(
                        request,
                        gettext("Your check-in on “%(goal)s” is recorded.") % {"goal": goal.title},
                    )
                else:
                    messages.info(
                        request,
                        gettext("That check-in on “%(goal)s” was already recorded.")
                        % {"goal": goal.title},
                    )
                return redirect(reverse("goals:sheet", args=[match.pk]) + f"#goal-{goal.pk}")
        status = 400
    recent = list(goal.check_ins.select_related("author").order_by("-on", "-created_at")[:5])
    context = {
        "sheet": sheet,
        "goal": goal,
        "form": form,
        "recent": recent,
        "today": today,
        "form_token": form_tokens.token_for_page(request),
    }
    return render_page(request, "goals/check_in.html", match, context, status=status)


@login_required
def outcomes(request: HttpRequest, match_id: int) -> HttpResponse:
    """At the program's conclusion: each goal's final outcome and a short reflection."""
    match, sheet = sheet_of(request, match_id)
    if not rules.outcomes_open(sheet):
        messages.info(request, rules.outcomes_window_words(sheet))
        return to_sheet(match)
    goals = list(sheet.goals.current())
    data = request.POST if request.method == "POST" else None
    forms = [
        OutcomeForm(
            data,
            goal=goal,
            initial={"outcome": goal.final_outcome, "reflection": goal.reflection},
        )
        for goal in goals
    ]
    status = 200
    if data is not None:
        valid = [form.is_valid() for form in forms]  # every form, so each shows its errors
        if all(valid):
            try:
                progress.goal_outcomes_record(
                    sheet=sheet,
                    by=request.user,
                    outcomes=[
                        OutcomeInput(
                            goal_id=form.goal.pk,
                            outcome=form.cleaned_data["outcome"],
                            reflection=form.cleaned_data["reflection"],
                        )
                        for form in forms
                    ],
                )
            except ValidationError as exc:
                messages.error(request, message_of(exc))
            else:
                messages.success(request, gettext("Your final outcomes are recorded. Thank you!"))
                return to_sheet(match)
        status = 400
    context = {"sheet": sheet, "forms": forms}
    return render_page(request, "goals/outcomes.html", match, context, status=status)
