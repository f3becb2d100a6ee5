"""The goal sheet's status changes: each allowed one, and who may make it."""

from __future__ import annotations

from dataclasses import dataclass

from .models import GoalSheet


@dataclass(frozen=True)
class Transition:
    """One allowed change of a goal sheet's status, and who may make it."""

    source: str
    target: str
    actor: str  # "mentee", "mentor", "partner" (either of the two) or "staff"
    new_revision: bool = False
    needs_comment: bool = False


# Every status change a goal sheet may go through. The services refuse anything else.
TRANSITIONS: dict[str, Transition] = {
    GoalSheet.Action.SUBMIT: Transition(
        GoalSheet.Status.DRAFT, GoalSheet.Status.SUBMITTED, "mentee"
    ),
    GoalSheet.Action.WITHDRAW: Transition(
        GoalSheet.Status.SUBMITTED, GoalSheet.Status.DRAFT, "mentee"
    ),
    GoalSheet.Action.CONFIRM: Transition(
        GoalSheet.Status.SUBMITTED, GoalSheet.Status.AGREED, "mentor"
    ),
    # Sent back, the submitted revision is kept as the mentor read it; the pair drafts
    # the next one.
    GoalSheet.Action.SEND_BACK: Transition(
        GoalSheet.Status.SUBMITTED,
        GoalSheet.Status.DRAFT,
        "mentor",
        new_revision=True,
        needs_comment=True,
    ),
    GoalSheet.Action.REOPEN: Transition(
        GoalSheet.Status.AGREED, GoalSheet.Status.DRAFT, "partner", new_revision=True
    ),
    GoalSheet.Action.STAFF_RETURN: Transition(
        GoalSheet.Status.AGREED,
        GoalSheet.Status.DRAFT,
        "staff",
        new_revision=True,
        needs_comment=True,
    ),
}
