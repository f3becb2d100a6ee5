"""The goal sheet pages of a match. Only the two partners see them (anyone else gets a
404); what each may do follows the table of transitions (``services.may``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from applications.models import Interest
from matches.models import Match

from . import selectors, services
from .conflicts import compare
from .forms import (
    CheckInForm,
    GoalFormSet,
    OutcomeForm,
    SendBackForm,
    VersionForm,
    example_initial,
    formset_data,
    goal_initial,
    typed_goals,
)
from .models import MAX_GOALS, Goal, GoalSheet, GoalSheetRevision
from .services import GoalSheetConflict, OutcomeInput

PREFIX = "goals"


def _match(request: HttpRequest, match_id: int) -> Match:
    """The match, if the person is its mentor or mentee (active or concluded); else 404."""
    return get_object_or_404(
        selectors.match_queryset().of_person(request.user).current(), pk=match_id
    )


def _sheet(request: HttpRequest, match_id: int) -> tuple[Match, GoalSheet]:
    match = _match(request, match_id)
    try:
        sheet = services.goal_sheet_open(match=match)
    except ValidationError as exc:
        raise Http404("This match has no goal sheet.") from exc
    sheet.match = match  # keep the match loaded with its partners and milestones
    return match, sheet


def _render(
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


def _name(match: Match, user) -> str:
    """How the page names a person: as the match knows them, else by their account."""
    if user is None:
        return "A former participant"
    for application in (match.mentor, match.mentee):
        if application.applicant_id == user.pk and application.display_name:
            return application.display_name
    return user.get_short_name()


def _to_sheet(match: Match) -> HttpResponse:
    return redirect("goals:sheet", match_id=match.pk)


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def my_sheets(request: HttpRequest) -> HttpResponse:
    summaries = selectors.goal_sheets_of_person(request.user)
    return render(request, "goals/my_sheets.html", {"summaries": summaries})


@login_required
def sheet_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match, sheet = _sheet(request, match_id)
    summary = selectors.goal_sheet_summary(match)
    sheet = summary.sheet
    sheet.match = match
    user = request.user
    today = match.cycle.program.today()
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
        "can_edit": services.may_edit(sheet, user),
        "can_submit": services.may(sheet, GoalSheet.Action.SUBMIT, user),
        "can_withdraw": services.may(sheet, GoalSheet.Action.WITHDRAW, user),
        "can_review": services.may(sheet, GoalSheet.Action.CONFIRM, user),
        "can_reopen": services.may(sheet, GoalSheet.Action.REOPEN, user),
        "can_check_in": services.may_check_in(sheet, user),
        "outcomes_open": services.outcomes_open(sheet),
        "incomplete": [(g, g.missing_parts()) for g in summary.goals if g.missing_parts()],
        "has_revisions": sheet.revision > 1 or sheet.status != GoalSheet.Status.DRAFT,
        "updated_by": _name(match, sheet.updated_by) if sheet.updated_by_id else "",
    }
    return _render(request, "goals/sheet.html", match, context)


def _competencies(match: Match, goals: list[Goal]) -> list[Interest]:
    """The program's competency areas offered on a goal, plus any a goal already has."""
    chosen = {area.pk for goal in goals for area in goal.competency_areas.all()}
    offered = Q(program_id=match.cycle.program_id, kind=Interest.Kind.COMPETENCY, is_active=True)
    return list(Interest.objects.filter(offered | Q(pk__in=chosen)).order_by("position", "name"))


@login_required
def edit(request: HttpRequest, match_id: int) -> HttpResponse:
    """Edit the draft together: a formset of one to three goals, goals started from the
    examples, and a refusal (showing both texts) when the partner saved meanwhile."""
    match, sheet = _sheet(request, match_id)
    user = request.user
    goals = list(sheet.goals.current().prefetch_related("competency_areas"))
    competencies = _competencies(match, goals)
    examples = list(selectors.example_goals(match.cycle.program))
    page = _EditPage(request, match, sheet, competencies, examples)
    if not services.may_edit(sheet, user):
        if request.method == "POST":
            # Submitted (or agreed) while this person was typing: show what they typed
            # beside the sheet as it is now, rather than dropping it.
            return page.conflict(page.formset(data=request.POST), version=None)
        messages.info(request, services.not_editable_reason(sheet))
        return _to_sheet(match)

    if request.method != "POST":
        initial = [goal_initial(goal) for goal in goals] or [{}]
        if request.GET.get("check"):
            # Show what stops the submission beside each field of the stored goals.
            formset = page.formset(data=formset_data(initial, prefix=PREFIX), complete=True)
            formset.is_valid()
        else:
            formset = page.formset(initial=initial)
        return page.render(formset, version=sheet.version)

    submit = "submit_sheet" in request.POST
    if submit and match.role_of(user) != "mentee":
        raise PermissionDenied("Only the mentee submits the goal sheet.")
    formset = page.formset(data=request.POST, complete=submit)
    version_form = VersionForm(request.POST)
    version = version_form.cleaned_data["version"] if version_form.is_valid() else None
    if version is None:
        messages.error(request, "The page was incomplete. Reload the goal sheet and try again.")
        return _to_sheet(match)

    taken = request.POST.get("add_example") or request.POST.get("take_saved")
    if "add_goal" in request.POST or taken:
        return page.add_goal(formset, version)

    if version != sheet.version:
        return page.conflict(formset, version)
    if not formset.is_valid():
        return page.render(formset, version=version, status=400)
    try:
        if submit:
            services.goal_sheet_save_and_submit(
                sheet=sheet, by=user, version=version, goals=formset.to_inputs()
            )
        else:
            services.goal_sheet_save_draft(
                sheet=sheet, by=user, version=version, goals=formset.to_inputs()
            )
    except GoalSheetConflict:
        return page.conflict(formset, version)
    except ValidationError as exc:
        return page.render(formset, version=version, status=400, service_errors=exc.messages)
    if submit:
        messages.success(
            request,
            f"You submitted the goal sheet. {match.mentor.display_name} has been emailed to "
            "confirm it or send it back.",
        )
    else:
        messages.success(request, "The draft is saved. Your partner sees it now.")
    return _to_sheet(match)


class _EditPage:
    """The edit page's pieces, shared by its ways of being shown (first load, an added
    goal, errors, a conflict)."""

    def __init__(self, request, match, sheet, competencies, examples):
        self.request = request
        self.match = match
        self.sheet = sheet
        self.competencies = competencies
        self.examples = examples

    def formset(self, *, data=None, initial=None, complete: bool = False):
        return GoalFormSet(
            data=data,
            initial=initial,
            prefix=PREFIX,
            form_kwargs={
                "cycle": self.match.cycle,
                "competencies": self.competencies,
                "complete": complete,
            },
        )

    def render(self, formset, *, version: int, status: int = 200, **extra) -> HttpResponse:
        kept = sum(1 for form in formset.forms if not _removed(form))
        focus = extra.pop("focus", None)
        if focus is not None and 0 <= focus < len(formset.forms):
            formset.forms[focus].fields["title"].widget.attrs["autofocus"] = True
        context = {
            "sheet": self.sheet,
            "formset": formset,
            "version_form": VersionForm(initial={"version": version}),
            "examples": self.examples,
            "can_add": kept < MAX_GOALS,
            "max_goals": MAX_GOALS,
            "is_mentee": self.match.role_of(self.request.user) == "mentee",
            **extra,
        }
        return _render(self.request, "goals/edit.html", self.match, context, status=status)

    def add_goal(self, formset, version: int) -> HttpResponse:
        """Add a blank goal, one from an example, or the partner's saved goal (after a
        conflict), keeping everything typed; nothing is saved yet."""
        typed = typed_goals(formset)
        post = self.request.POST
        if post.get("take_saved"):
            return self._take_saved(typed, post["take_saved"], version)
        new: dict[str, Any] = {}
        if post.get("add_example"):
            example = next((e for e in self.examples if str(e.pk) == post["add_example"]), None)
            if example is None:
                # Withdrawn from the examples since the page was loaded: say so and keep
                # what was typed, rather than a dead end.
                messages.error(self.request, "That example goal is no longer offered.")
                return self.render(self.formset(initial=typed), version=version)
            new = example_initial(example)
        # Starting from an example fills an empty goal rather than adding another.
        blank = next((i for i, values in enumerate(typed) if _is_blank(values)), None)
        kept = sum(1 for values in typed if not values["DELETE"])
        focus = None
        if new and blank is not None:
            typed[blank] = new
            focus = blank
        elif kept >= MAX_GOALS:
            messages.error(
                self.request, "A goal sheet has at most three goals. Remove one to add another."
            )
        else:
            typed.append(new)
            focus = len(typed) - 1
        if focus is not None:
            messages.info(
                self.request,
                f"Goal {focus + 1} is added"
                + (" from the example: make it your own." if new else ".")
                + " Nothing is saved until you save the draft.",
            )
        return self.render(self.formset(initial=typed), version=version, focus=focus)

    def _take_saved(self, typed, goal_id: str, version: int) -> HttpResponse:
        goal = (
            self.sheet.goals.current()
            .prefetch_related("competency_areas")
            .filter(pk=int(goal_id) if goal_id.isdecimal() else None)
            .first()
        )
        if goal is None:
            # The partner removed that goal meanwhile (or the button's value is not a
            # goal at all): keep what was typed beside the sheet as it is now.
            messages.error(self.request, "That goal is no longer on the saved sheet.")
            return self.conflict(self.formset(initial=typed), version, typed=typed)
        saved = {**goal_initial(goal), "DELETE": False}
        for i, values in enumerate(typed):
            if str(values.get("goal_id") or "") == str(goal.pk):
                typed[i] = saved
                break
        else:
            typed.append(saved)
        return self.conflict(self.formset(initial=typed), version, typed=typed)

    def conflict(self, formset, version: int | None, typed=None) -> HttpResponse:
        """The partner changed the sheet after this copy was loaded: refuse the save and
        show both texts side by side, with the person's own in the form to merge."""
        typed = typed if typed is not None else typed_goals(formset)
        fresh = GoalSheet.objects.select_related("updated_by").get(pk=self.sheet.pk)
        fresh.match = self.match
        theirs = list(fresh.goals.current().prefetch_related("competency_areas"))
        competencies = list({c.pk: c for c in [*self.competencies, *_areas(theirs)]}.values())
        pairs = compare(theirs, typed, competencies)
        if not services.may_edit(fresh, self.request.user):
            return _render(
                self.request,
                "goals/edit_refused.html",
                self.match,
                {
                    "sheet": fresh,
                    "pairs": pairs,
                    "reason": services.not_editable_reason(fresh),
                    "saved_by": _name(self.match, fresh.updated_by) if fresh.updated_by_id else "",
                },
                status=409,
            )
        self.sheet = fresh
        self.competencies = competencies
        return self.render(
            self.formset(initial=typed),
            version=fresh.version,
            status=409,
            conflict=pairs,
            saved_by=_name(self.match, fresh.updated_by) if fresh.updated_by_id else "",
            saved_at=fresh.updated_at,
        )


def _is_blank(values: dict[str, Any]) -> bool:
    """A goal form nobody has typed in yet."""
    return not values.get("DELETE") and not any(
        values.get(name) for name in values if name != "DELETE"
    )


def _areas(goals: list[Goal]) -> list[Interest]:
    return [area for goal in goals for area in goal.competency_areas.all()]


def _removed(form) -> bool:
    return "DELETE" in form.fields and bool(form["DELETE"].value())


@login_required
def submit(request: HttpRequest, match_id: int) -> HttpResponse:
    """The mentee submits the draft to the mentor (a mentor may not: 403)."""
    match, sheet = _sheet(request, match_id)
    if match.role_of(request.user) != "mentee":
        raise PermissionDenied("Only the mentee submits the goal sheet.")
    if not services.may(sheet, GoalSheet.Action.SUBMIT, request.user):
        messages.info(request, "The goal sheet is not a draft, so there is nothing to submit.")
        return _to_sheet(match)
    if request.method == "POST":
        form = VersionForm(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else None
        try:
            services.goal_sheet_submit(sheet=sheet, by=request.user, version=version)
        except GoalSheetConflict as exc:
            messages.error(request, _message(exc))
            return redirect("goals:submit", match_id=match.pk)
        except ValidationError as exc:
            messages.error(request, "The goal sheet can't be submitted yet: " + _message(exc))
            return redirect(reverse("goals:edit", args=[match.pk]) + "?check=1")
        messages.success(
            request,
            f"You submitted the goal sheet. {match.mentor.display_name} has been emailed to "
            "confirm it or send it back.",
        )
        return _to_sheet(match)
    summary = selectors.goal_sheet_summary(match)
    context = {
        "sheet": sheet,
        "summary": summary,
        "form": VersionForm(initial={"version": sheet.version}),
        "incomplete": [(g, g.missing_parts()) for g in summary.goals if g.missing_parts()],
    }
    return _render(request, "goals/submit.html", match, context)


@login_required
@require_POST
def withdraw(request: HttpRequest, match_id: int) -> HttpResponse:
    """The mentee takes the submitted sheet back to edit it."""
    match, sheet = _sheet(request, match_id)
    if match.role_of(request.user) != "mentee":
        raise PermissionDenied("Only the mentee takes back the goal sheet.")
    try:
        services.goal_sheet_withdraw(sheet=sheet, by=request.user)
    except ValidationError as exc:
        messages.error(request, _message(exc))
        return _to_sheet(match)
    messages.success(request, "The goal sheet is a draft again: you can both edit it.")
    return redirect("goals:edit", match_id=match.pk)


@login_required
def review(request: HttpRequest, match_id: int) -> HttpResponse:
    """The mentor confirms the submitted sheet ("we agree") or sends it back."""
    match, sheet = _sheet(request, match_id)
    if match.role_of(request.user) != "mentor":
        raise PermissionDenied("Only the mentor confirms the goal sheet.")
    if not services.may(sheet, GoalSheet.Action.CONFIRM, request.user):
        messages.info(request, "There is no submitted goal sheet to review now.")
        return _to_sheet(match)
    send_back_form = SendBackForm(initial={"version": sheet.version})
    status = 200
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                form = VersionForm(request.POST)
                version = form.cleaned_data["version"] if form.is_valid() else None
                services.goal_sheet_confirm(sheet=sheet, by=request.user, version=version)
                messages.success(
                    request, "You agreed to the goal sheet. It is now your agreement for the year."
                )
                return _to_sheet(match)
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
                    f"You sent the goal sheet back. {match.mentee.display_name} has been "
                    "emailed your comment.",
                )
                return _to_sheet(match)
            status = 400
        except GoalSheetConflict as exc:
            messages.error(request, _message(exc))
            return redirect("goals:review", match_id=match.pk)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                send_back_form.add_error(None, exc)
                status = 400
            else:
                messages.error(request, _message(exc))
                return _to_sheet(match)
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
    return _render(request, "goals/review.html", match, context, status=status)


@login_required
def reopen(request: HttpRequest, match_id: int) -> HttpResponse:
    """Either partner opens a new revision of the agreed sheet to change it."""
    match, sheet = _sheet(request, match_id)
    if not services.may(sheet, GoalSheet.Action.REOPEN, request.user):
        messages.info(request, "Only an agreed goal sheet is reopened to change it.")
        return _to_sheet(match)
    if request.method == "POST":
        try:
            services.goal_sheet_reopen(sheet=sheet, by=request.user)
        except ValidationError as exc:
            messages.error(request, _message(exc))
            return _to_sheet(match)
        messages.success(
            request,
            f"Revision {sheet.revision + 1} is open as a draft. Revision {sheet.revision} "
            "stays your agreement until the new one is agreed.",
        )
        return redirect("goals:edit", match_id=match.pk)
    return _render(request, "goals/reopen.html", match, {"sheet": sheet})


@login_required
def revisions(request: HttpRequest, match_id: int) -> HttpResponse:
    match, sheet = _sheet(request, match_id)
    context = {
        "sheet": sheet,
        "revisions": selectors.revisions_of(sheet),
        "history": selectors.history_of(sheet),
    }
    return _render(request, "goals/revisions.html", match, context)


@login_required
def revision_detail(request: HttpRequest, match_id: int, number: int) -> HttpResponse:
    match, sheet = _sheet(request, match_id)
    revision = get_object_or_404(
        GoalSheetRevision.objects.select_related("submitted_by", "confirmed_by"),
        sheet=sheet,
        number=number,
    )
    context = {
        "sheet": sheet,
        "revision": revision,
        "goals": selectors.revision_goals(revision),
        "history": [c for c in selectors.history_of(sheet) if c.revision == number],
    }
    return _render(request, "goals/revision.html", match, context)


@login_required
def print_sheet(request: HttpRequest, match_id: int) -> HttpResponse:
    """The agreed goal sheet, laid out to print (the form the committee used to collect)."""
    match, sheet = _sheet(request, match_id)
    if sheet.agreed_revision is None:
        messages.info(request, "There is no agreed goal sheet to print yet.")
        return _to_sheet(match)
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
    return _render(request, "goals/print.html", match, context)


@login_required
def check_in(request: HttpRequest, match_id: int, goal_id: int) -> HttpResponse:
    """Either partner records how a goal is going."""
    match, sheet = _sheet(request, match_id)
    goal = get_object_or_404(sheet.goals.current(), pk=goal_id)
    if not services.may_check_in(sheet, request.user):
        messages.info(request, "Progress is recorded once your goal sheet is agreed.")
        return _to_sheet(match)
    today = match.cycle.program.today()
    form = CheckInForm(initial={"on": today})
    status = 200
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                services.check_in_add(goal=goal, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    messages.error(request, _message(exc))
                    return _to_sheet(match)
                form.add_error(None, exc)
            else:
                messages.success(request, f"Your check-in on “{goal.title}” is recorded.")
                return redirect(reverse("goals:sheet", args=[match.pk]) + f"#goal-{goal.pk}")
        status = 400
    recent = list(goal.check_ins.select_related("author").order_by("-on", "-created_at")[:5])
    context = {"sheet": sheet, "goal": goal, "form": form, "recent": recent, "today": today}
    return _render(request, "goals/check_in.html", match, context, status=status)


@login_required
def outcomes(request: HttpRequest, match_id: int) -> HttpResponse:
    """At the program's conclusion: each goal's final outcome and a short reflection."""
    match, sheet = _sheet(request, match_id)
    if not services.outcomes_open(sheet):
        messages.info(
            request,
            "Final outcomes are recorded near the program's conclusion, on an agreed sheet.",
        )
        return _to_sheet(match)
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
                services.goal_outcomes_record(
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
                messages.error(request, _message(exc))
            else:
                messages.success(request, "Your final outcomes are recorded. Thank you!")
                return _to_sheet(match)
        status = 400
    context = {"sheet": sheet, "forms": forms}
    return _render(request, "goals/outcomes.html", match, context, status=status)
