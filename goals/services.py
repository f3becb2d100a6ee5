"""Writes of goal sheets: drafting together, the submit/confirm contract, revisions,
check-ins and final outcomes.

Every status change goes through :func:`_transition`, which allows only the moves of
``TRANSITIONS`` (transitions.py) by the person that table names. Each service takes a lock
on the sheet, so two partners acting at the same moment are serialised, and raises
``ValidationError`` with a message a person can act on when a rule is broken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.models import Interest
from matches.models import Match
from mentoring.models import User

from . import emails
from .models import (
    COMMENT_MAX_LENGTH,
    MAX_GOALS,
    MIN_GOALS,
    SMART_FIELDS,
    ExampleGoal,
    Goal,
    GoalSheet,
    GoalSheetChange,
    GoalSheetRevision,
)
from .rules import may, may_edit, not_editable_reason, role_of
from .transitions import TRANSITIONS
from .validation import TOO_FEW_GOALS, TOO_MANY_GOALS, goal_errors


class GoalSheetConflict(ValidationError):
    """The sheet changed after the copy the person was editing was loaded (their
    partner saved it, or its status changed): their save is refused, not merged."""


@dataclass(frozen=True)
class GoalInput:
    """One goal as a partner typed it in the draft."""

    title: str
    specific: str = ""
    measurable: str = ""
    achievable: str = ""
    relevant: str = ""
    target_date: dt.date | None = None
    competency_area_ids: Sequence[int] = ()
    example_id: int | None = None
    goal_id: int | None = None  # the goal this edits; None for a new one

    def parts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SMART_FIELDS}


def refusal(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def lock_sheet(sheet: GoalSheet) -> GoalSheet:
    """The sheet, freshly read under a row lock with what the rules need."""
    return (
        GoalSheet.objects.select_for_update(of=("self",))
        .select_related(
            "match__cycle__program", "match__mentor__applicant", "match__mentee__applicant"
        )
        .get(pk=sheet.pk)
    )


def _transition(sheet: GoalSheet, action: str, by: User) -> GoalSheetChange:
    """Move the (locked) sheet along the table, or refuse with the reason."""
    transition = TRANSITIONS[action]
    label = GoalSheet.Action(action).label.lower()
    if sheet.match.status != Match.Status.ACTIVE:
        raise refusal(
            gettext("The goal sheet can no longer change: the match is not active."), "inactive"
        )
    if sheet.status != transition.source:
        raise refusal(
            gettext(
                "The goal sheet is %(status)s, so it can't be %(action)s now. Reload the page "
                "to see where it stands."
            )
            % {"status": sheet.get_status_display().lower(), "action": label},
            "status",
        )
    if not may(sheet, action, by):
        refused = {
            "mentee": gettext("Only the mentee can do this."),
            "mentor": gettext("Only the mentor can do this."),
            "partner": gettext("Only the mentor or the mentee can do this."),
            "staff": gettext("Only committee staff can do this."),
        }[transition.actor]
        raise refusal(refused, "forbidden")
    from_status = sheet.status
    sheet.status = transition.target
    if transition.new_revision:
        sheet.revision += 1
    sheet.version += 1
    sheet.updated_by = by
    # A change that opens a revision is recorded under the new revision's number.
    return GoalSheetChange(
        sheet=sheet,
        revision=sheet.revision,
        action=action,
        from_status=from_status,
        to_status=sheet.status,
        by=by,
        at=timezone.now(),
    )


def _save(sheet: GoalSheet, change: GoalSheetChange | None = None) -> None:
    sheet.full_clean()
    sheet.save()
    if change is not None:
        change.full_clean()
        change.save()


# --- Opening sheets ----------------------------------------------------------------------


def goal_sheet_open(*, match: Match) -> GoalSheet:
    """The match's goal sheet, opened as an empty draft the first time it is needed.
    Only an active match gets a new one."""
    existing = GoalSheet.objects.filter(match=match).first()
    if existing is not None:
        return existing
    if match.status != Match.Status.ACTIVE:
        raise refusal(gettext("A goal sheet opens once the match is active."), "inactive")
    sheet, _ = GoalSheet.objects.get_or_create(match=match)
    return sheet


def goal_sheets_open_for_active_matches() -> int:
    """Open a draft goal sheet for every active match that has none, so staff see each
    match's sheet (and which are overdue) before the partners first look. Returns how
    many were opened; running it again opens nothing more."""
    missing = Match.objects.active().filter(goal_sheet__isnull=True).values_list("pk", flat=True)
    created = GoalSheet.objects.bulk_create(
        [GoalSheet(match_id=pk) for pk in missing], ignore_conflicts=True
    )
    return len(created)


# --- Drafting together -------------------------------------------------------------------


def _check_goals(sheet: GoalSheet, goals: Sequence[GoalInput], *, complete: bool) -> None:
    if len(goals) < MIN_GOALS:
        raise refusal(TOO_FEW_GOALS, "too_few")
    if len(goals) > MAX_GOALS:
        raise refusal(TOO_MANY_GOALS, "too_many")
    problems = []
    for number, goal in enumerate(goals, start=1):
        errors = goal_errors(
            title=goal.title,
            parts=goal.parts(),
            target_date=goal.target_date,
            cycle=sheet.match.cycle,
            complete=complete,
        )
        problems += [
            gettext("Goal %(number)s: %(problem)s") % {"number": number, "problem": message}
            for message in errors.values()
        ]
    if problems:
        raise ValidationError(problems, code="invalid")


def _remove_goal(goal: Goal, now: dt.datetime) -> None:
    """A goal that was never agreed and has no progress is simply deleted; any other is
    taken off the sheet and kept with its check-ins (and whatever links to it)."""
    if goal.first_agreed_revision is None and not goal.check_ins.exists():
        try:
            with transaction.atomic():
                goal.delete()
            return
        except (models.ProtectedError, models.RestrictedError):
            pass  # something else still points at it: keep it, off the sheet
    Goal.objects.filter(pk=goal.pk).update(position=None, retired_at=now)


def _write_goals(sheet: GoalSheet, goals: Sequence[GoalInput]) -> None:
    now = timezone.now()
    examples = set(
        ExampleGoal.objects.filter(
            program_id=sheet.match.cycle.program_id,
            pk__in=[g.example_id for g in goals if g.example_id],
        ).values_list("pk", flat=True)
    )
    current = {goal.pk: goal for goal in sheet.goals.current()}
    kept = {g.goal_id for g in goals if g.goal_id in current}
    for pk, goal in current.items():
        if pk not in kept:
            _remove_goal(goal, now)
    # Free the positions first: the database keeps them unique (and at most three).
    Goal.objects.filter(pk__in=kept).update(position=None)
    for position, data in enumerate(goals, start=1):
        goal = current.get(data.goal_id) if data.goal_id in kept else None
        if goal is None:
            goal = Goal(sheet=sheet)
            # A goal started from an example remembers it (for the committee's figures).
            goal.example_id = data.example_id if data.example_id in examples else None
        goal.position = position
        goal.title = data.title.strip()
        for name in SMART_FIELDS:
            setattr(goal, name, getattr(data, name).strip())
        goal.target_date = data.target_date
        goal.full_clean()
        goal.save()
        goal.competency_areas.set(_allowed_competencies(sheet, data.competency_area_ids))


def _allowed_competencies(sheet: GoalSheet, ids: Sequence[int]) -> list[int]:
    return list(
        Interest.objects.filter(
            pk__in=ids, program_id=sheet.match.cycle.program_id, kind=Interest.Kind.COMPETENCY
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def goal_sheet_save_draft(
    *, sheet: GoalSheet, by: User, version: int, goals: Sequence[GoalInput]
) -> GoalSheet:
    """Save the partners' draft (1 to 3 goals, in order).

    ``version`` is the sheet's version the person's copy was loaded at; if the sheet has
    changed since, the save is refused with :class:`GoalSheetConflict` and nothing is
    written, so neither partner's text silently replaces the other's.
    """
    sheet = lock_sheet(sheet)
    if role_of(sheet, by) is None:
        raise refusal(gettext("Only the mentor and the mentee edit their goal sheet."), "forbidden")
    if not may_edit(sheet, by):
        raise GoalSheetConflict(not_editable_reason(sheet), code="not_draft")
    if version != sheet.version:
        raise GoalSheetConflict(
            "Your partner saved the goal sheet while you were editing it.", code="stale"
        )
    _check_goals(sheet, goals, complete=False)
    _write_goals(sheet, goals)
    sheet.version += 1
    sheet.updated_by = by
    _save(sheet)
    return sheet


@transaction.atomic
def goal_sheet_save_and_submit(
    *, sheet: GoalSheet, by: User, version: int, goals: Sequence[GoalInput]
) -> GoalSheet:
    """The mentee saves the draft and submits it in one step."""
    sheet = goal_sheet_save_draft(sheet=sheet, by=by, version=version, goals=goals)
    return goal_sheet_submit(sheet=sheet, by=by, version=sheet.version)


# --- The contract ------------------------------------------------------------------------


def snapshot(goals: Sequence[Goal]) -> list[dict]:
    """The goals as plain data, so a revision stays readable whatever changes later."""
    return [
        {
            "id": goal.pk,
            "position": goal.position,
            "title": goal.title,
            **{name: getattr(goal, name) for name in SMART_FIELDS},
            "target_date": goal.target_date.isoformat() if goal.target_date else None,
            "competency_areas": [area.name for area in goal.competency_areas.all()],
        }
        for goal in goals
    ]


def _current_goals(sheet: GoalSheet) -> list[Goal]:
    return list(sheet.goals.current().prefetch_related("competency_areas"))


@transaction.atomic
def goal_sheet_submit(*, sheet: GoalSheet, by: User, version: int | None = None) -> GoalSheet:
    """The mentee submits the draft to the mentor: every goal complete and SMART.

    The submitted goals are kept as this revision's copy; the mentor is emailed.
    ``version``, when given, refuses a submission made from an outdated page.
    """
    sheet = lock_sheet(sheet)
    if version is not None and version != sheet.version and sheet.is_draft:
        raise GoalSheetConflict(
            "The goal sheet changed since you loaded it. Read it again before submitting.",
            code="stale",
        )
    change = _transition(sheet, GoalSheet.Action.SUBMIT, by)
    goals = _current_goals(sheet)
    _check_goals(
        sheet,
        [
            GoalInput(
                title=g.title,
                target_date=g.target_date,
                **{name: getattr(g, name) for name in SMART_FIELDS},
            )
            for g in goals
        ],
        complete=True,
    )
    now = change.at
    GoalSheetRevision.objects.update_or_create(
        sheet=sheet,
        number=sheet.revision,
        defaults={
            "goals": snapshot(goals),
            "submitted_by": by,
            "submitted_at": now,
            "confirmed_by": None,
            "confirmed_at": None,
        },
    )
    sheet.submitted_at = now
    sheet.returned_comment = ""
    sheet.returned_by = None
    sheet.returned_at = None
    _save(sheet, change)
    emails.goal_sheet_submitted(sheet=sheet, change=change, goals=goals)
    return sheet


@transaction.atomic
def goal_sheet_withdraw(*, sheet: GoalSheet, by: User) -> GoalSheet:
    """The mentee takes a submitted sheet back to edit before the mentor answers."""
    sheet = lock_sheet(sheet)
    change = _transition(sheet, GoalSheet.Action.WITHDRAW, by)
    _save(sheet, change)
    return sheet


@transaction.atomic
def goal_sheet_confirm(*, sheet: GoalSheet, by: User, version: int | None = None) -> GoalSheet:
    """The mentor agrees to the submitted sheet: it becomes the pair's contract.

    ``version`` is the sheet as the mentor read it: if the mentee took it back and
    submitted something else meanwhile, the mentor must read it again.
    """
    sheet = lock_sheet(sheet)
    if version is not None and version != sheet.version:
        raise GoalSheetConflict(
            "The goal sheet changed since you read it. Read it again before you agree.",
            code="stale",
        )
    change = _transition(sheet, GoalSheet.Action.CONFIRM, by)
    GoalSheetRevision.objects.filter(sheet=sheet, number=sheet.revision).update(
        confirmed_by=by, confirmed_at=change.at
    )
    sheet.goals.current().filter(first_agreed_revision__isnull=True).update(
        first_agreed_revision=sheet.revision
    )
    sheet.agreed_revision = sheet.revision
    sheet.agreed_at = change.at
    _save(sheet, change)
    emails.goal_sheet_agreed(sheet=sheet, change=change, goals=_current_goals(sheet))
    return sheet


def _clean_comment(comment: str) -> str:
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": gettext("Say what should change, so your partner knows what to revise.")},
            code="required",
        )
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": gettext("Keep the comment under %(limit)s characters.")
                % {"limit": COMMENT_MAX_LENGTH}
            },
            code="max_length",
        )
    return comment


def _send_back(sheet: GoalSheet, action: str, by: User, comment: str) -> GoalSheet:
    comment = _clean_comment(comment)
    read = sheet.revision
    change = _transition(sheet, action, by)
    change.comment = comment
    if action == GoalSheet.Action.SEND_BACK:
        # The revision the mentor read stays as it was, with their answer; the history
        # names it, not the draft that follows.
        change.revision = read
        GoalSheetRevision.objects.filter(sheet=sheet, number=read).update(
            sent_back_by=by, sent_back_at=change.at, sent_back_comment=comment
        )
    sheet.returned_comment = comment
    sheet.returned_by = by
    sheet.returned_at = change.at
    _save(sheet, change)
    emails.goal_sheet_returned(sheet=sheet, change=change)
    return sheet


@transaction.atomic
def goal_sheet_send_back(
    *, sheet: GoalSheet, by: User, comment: str, version: int | None = None
) -> GoalSheet:
    """The mentor sends the submitted sheet back to the draft with a comment."""
    sheet = lock_sheet(sheet)
    if version is not None and version != sheet.version:
        raise GoalSheetConflict(
            "The goal sheet changed since you read it. Read it again first.", code="stale"
        )
    return _send_back(sheet, GoalSheet.Action.SEND_BACK, by, comment)


@transaction.atomic
def goal_sheet_reopen(*, sheet: GoalSheet, by: User) -> GoalSheet:
    """A partner opens a new revision of the agreed sheet to change it. The agreed
    revision stays readable, and stays the contract until the new one is agreed."""
    sheet = lock_sheet(sheet)
    change = _transition(sheet, GoalSheet.Action.REOPEN, by)
    _save(sheet, change)
    return sheet


@transaction.atomic
def goal_sheet_return(*, sheet: GoalSheet, by: User, comment: str) -> GoalSheet:
    """Committee staff return an agreed sheet for revision with a comment: a new
    revision opens as a draft and both partners are emailed."""
    sheet = lock_sheet(sheet)
    return _send_back(sheet, GoalSheet.Action.STAFF_RETURN, by, comment)
