"""Editing the draft together: a formset of one to three goals, goals started from the
examples, and a refusal (showing both texts) when the partner saved meanwhile. The page
shows the draft; each intent its form posts (add a goal, save the draft, save and
submit) has its own URL and view below."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from applications.models import Interest
from matches.models import Match

from . import rules, selectors, services
from .conflicts import compare
from .forms import (
    GoalFormSet,
    VersionForm,
    example_initial,
    formset_data,
    goal_initial,
    typed_goals,
)
from .models import MAX_GOALS, Goal, GoalSheet
from .pages import name_of, render_page, sheet_of, to_sheet
from .services import GoalSheetConflict

PREFIX = "goals"


def _competencies(match: Match, goals: list[Goal]) -> list[Interest]:
    """The program's competency areas offered on a goal, plus any a goal already has."""
    chosen = {area.pk for goal in goals for area in goal.competency_areas.all()}
    offered = Q(program_id=match.cycle.program_id, kind=Interest.Kind.COMPETENCY, is_active=True)
    return list(Interest.objects.filter(offered | Q(pk__in=chosen)).order_by("position", "name"))


def _page(request: HttpRequest, match_id: int) -> EditPage:
    match, sheet = sheet_of(request, match_id)
    goals = list(sheet.goals.current().prefetch_related("competency_areas"))
    examples = list(selectors.example_goals(match.cycle.program))
    return EditPage(request, match, sheet, _competencies(match, goals), examples, goals)


@login_required
@require_safe
def edit(request: HttpRequest, match_id: int) -> HttpResponse:
    """The draft to edit together. Its form posts each intent to a view of its own: add a
    goal, save the draft, save and submit."""
    page = _page(request, match_id)
    if not rules.may_edit(page.sheet, request.user):
        messages.info(request, rules.not_editable_reason(page.sheet))
        return to_sheet(page.match)
    initial = [goal_initial(goal) for goal in page.goals] or [{}]
    if request.GET.get("check"):
        # Show what stops the submission beside each field of the stored goals.
        formset = page.formset(data=formset_data(initial, prefix=PREFIX), complete=True)
        formset.is_valid()
    else:
        formset = page.formset(initial=initial)
    return page.render(formset, version=page.sheet.version)


def _posted(request: HttpRequest, match_id: int, *, complete: bool = False):
    """What every intent checks first: who may edit, and which version they started from.
    Returns the page, the posted formset and that version, or the response that ends it."""
    page = _page(request, match_id)
    formset = page.formset(data=request.POST, complete=complete)
    if not rules.may_edit(page.sheet, request.user):
        # Submitted (or agreed) while this person was typing: show what they typed beside
        # the sheet as it is now, rather than dropping it.
        return page.conflict(formset, version=None)
    version_form = VersionForm(request.POST)
    if not version_form.is_valid():
        messages.error(
            request, gettext("The page was incomplete. Reload the goal sheet and try again.")
        )
        return to_sheet(page.match)
    return page, formset, version_form.cleaned_data["version"]


@login_required
@require_POST
def add_goal(request: HttpRequest, match_id: int) -> HttpResponse:
    """Add a blank goal, one from an example, or the partner's saved goal (after a
    conflict), keeping everything typed; nothing is saved yet."""
    posted = _posted(request, match_id)
    if isinstance(posted, HttpResponse):
        return posted
    page, formset, version = posted
    return page.add_goal(formset, version)


@login_required
@require_POST
def save_draft(request: HttpRequest, match_id: int) -> HttpResponse:
    """Save the draft; the partner sees it at once."""
    posted = _posted(request, match_id)
    if isinstance(posted, HttpResponse):
        return posted
    return _save(
        *posted,
        services.goal_sheet_save_draft,
        "The draft is saved. Your partner sees it now.",
    )


@login_required
@require_POST
def save_and_submit(request: HttpRequest, match_id: int) -> HttpResponse:
    """The mentee saves the draft and submits it to the mentor in one step."""
    match, _sheet = sheet_of(request, match_id)
    if match.role_of(request.user) != "mentee":
        raise PermissionDenied("Only the mentee submits the goal sheet.")
    posted = _posted(request, match_id, complete=True)
    if isinstance(posted, HttpResponse):
        return posted
    return _save(
        *posted,
        services.goal_sheet_save_and_submit,
        gettext(
            "You submitted the goal sheet. %(mentor)s has been emailed to confirm it or "
            "send it back."
        )
        % {"mentor": match.mentor.display_name},
    )


def _save(page: EditPage, formset, version: int, service, done: str) -> HttpResponse:
    if version != page.sheet.version:
        return page.conflict(formset, version)
    if not formset.is_valid():
        return page.render(formset, version=version, status=400)
    try:
        service(sheet=page.sheet, by=page.request.user, version=version, goals=formset.to_inputs())
    except GoalSheetConflict:
        return page.conflict(formset, version)
    except ValidationError as exc:
        return page.render(formset, version=version, status=400, service_errors=exc.messages)
    messages.success(page.request, done)
    return to_sheet(page.match)


class EditPage:
    """The edit page's pieces, shared by its ways of being shown (first load, an added
    goal, errors, a conflict)."""

    def __init__(self, request, match, sheet, competencies, examples, goals):
        self.request = request
        self.goals = goals
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
        return render_page(self.request, "goals/edit.html", self.match, context, status=status)

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
                messages.error(self.request, gettext("That example goal is no longer offered."))
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
                self.request,
                gettext("A goal sheet has at most three goals. Remove one to add another."),
            )
        else:
            typed.append(new)
            focus = len(typed) - 1
        if focus is not None:
            messages.info(
                self.request,
                (
                    gettext(
                        "Goal %(number)s is added from the example: make it your own. "
                        "Nothing is saved until you save the draft."
                    )
                    if new
                    else gettext(
                        "Goal %(number)s is added. Nothing is saved until you save the draft."
                    )
                )
                % {"number": focus + 1},
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
            messages.error(self.request, gettext("That goal is no longer on the saved sheet."))
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
        if not rules.may_edit(fresh, self.request.user):
            return render_page(
                self.request,
                "goals/edit_refused.html",
                self.match,
                {
                    "sheet": fresh,
                    "pairs": pairs,
                    "reason": rules.not_editable_reason(fresh),
                    "saved_by": name_of(self.match, fresh.updated_by)
                    if fresh.updated_by_id
                    else "",
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
            saved_by=name_of(self.match, fresh.updated_by) if fresh.updated_by_id else "",
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
