"""The goal sheet's read-only rules: who may do what to a sheet now, and why nobody can
edit it. Pages use them to offer only what is allowed; the services enforce them."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from matches.models import Match
from mentoring.dates import long_date
from mentoring.models import User

from .models import GoalSheet, outcomes_open_on
from .transitions import TRANSITIONS


def role_of(sheet: GoalSheet, user: User) -> str | None:
    """“mentor”, “mentee”, or None for anyone who is not one of the two partners."""
    return sheet.match.role_of(user)


def may(sheet: GoalSheet, action: str, user: User) -> bool:
    """Whether ``user`` may take ``action`` (a ``GoalSheet.Action``) on the sheet now,
    by the table of transitions. Pages use it to offer only what is allowed."""
    transition = TRANSITIONS[action]
    if sheet.status != transition.source or sheet.match.status != Match.Status.ACTIVE:
        return False
    if transition.actor == "staff":
        return bool(user.is_staff)
    role = role_of(sheet, user)
    if transition.actor == "partner":
        return role is not None
    return role == transition.actor


def may_edit(sheet: GoalSheet, user: User) -> bool:
    """Either partner edits a draft of an active match; nobody edits a submitted or
    agreed revision in place."""
    return (
        sheet.status == GoalSheet.Status.DRAFT
        and sheet.match.status == Match.Status.ACTIVE
        and role_of(sheet, user) is not None
    )


def may_check_in(sheet: GoalSheet, user: User) -> bool:
    """Progress is recorded on goals the pair has agreed on, while the match is active."""
    return (
        sheet.has_agreement
        and sheet.match.status == Match.Status.ACTIVE
        and role_of(sheet, user) is not None
    )


def outcomes_open(sheet: GoalSheet, *, today: dt.date | None = None) -> bool:
    """Whether final outcomes can be recorded: near or after the program's conclusion,
    on an agreed sheet of an active or concluded match, until the cycle's grace date
    (``Cycle.outcomes_until``). Needs the cycle's milestones."""
    match = sheet.match
    if not sheet.has_agreement or match.status not in (
        Match.Status.ACTIVE,
        Match.Status.CONCLUDED,
    ):
        return False
    cycle = match.cycle
    today = today or cycle.program.today()
    if today > cycle.outcomes_until:
        return False
    return match.status == Match.Status.CONCLUDED or today >= outcomes_open_on(
        cycle, cycle.milestones.all()
    )


def outcomes_window_words(sheet: GoalSheet) -> str:
    """When final outcomes can be recorded, in words (for a refusal)."""
    return gettext(
        "Final outcomes are recorded at the program's conclusion, on an agreed goal sheet, "
        "until %(until)s."
    ) % {"until": long_date(sheet.match.cycle.outcomes_until)}


def not_editable_reason(sheet: GoalSheet) -> str:
    """Why nobody can edit the sheet now, in words for the partners."""
    if sheet.match.status != Match.Status.ACTIVE:
        return gettext("The goal sheet can no longer be changed: the match is not active.")
    if sheet.status == GoalSheet.Status.SUBMITTED:
        return gettext(
            "The goal sheet has been submitted and waits for the mentor: it can't be "
            "edited now. The mentee can take it back to edit, or the mentor can send it back."
        )
    return gettext(
        "The goal sheet is agreed: nobody changes an agreed revision. Open a new revision "
        "to change the goals."
    )
