"""A person's goal sheets: what they can download, and what is left when they delete
their account or staff anonymise a finished cycle (found by ``mentoring.privacy``).

The goal sheet is about the mentee's development: when the mentee leaves (or the cycle
is anonymised) every goal's words go, and the sheet keeps its structure for the
program's reports: how many goals, their competency areas, target dates, statuses,
check-in statuses, outcomes and history dates. When the mentor leaves, the goals stay
with the mentee, and only what the mentor wrote themselves goes."""

from __future__ import annotations

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat

from matches.models import Match
from mentoring.models import Cycle, User

from .models import SMART_FIELDS, CheckIn, Goal, GoalSheet, GoalSheetChange, GoalSheetRevision

REMOVED_GOAL_TITLE = "A removed goal"


def goal_sheets_anonymise(sheets: QuerySet[GoalSheet], *, forget_people: bool = False) -> None:
    """Every written word of these sheets goes: goal titles (they become “Goal 1”...),
    SMART parts, reflections, check-in notes, comments, and the copies kept in the
    revisions. With ``forget_people``, who did what goes too (a whole cycle)."""
    goals = Goal.objects.filter(sheet__in=sheets)
    texts = dict.fromkeys(SMART_FIELDS, "") | {"reflection": ""}
    goals.filter(position__isnull=False).update(
        title=Concat(Value("Goal "), Cast("position", CharField())), **texts
    )
    goals.filter(position__isnull=True).update(title=REMOVED_GOAL_TITLE, **texts)
    check_ins = CheckIn.objects.filter(goal__sheet__in=sheets)
    check_ins.exclude(note="").update(note="")
    changes = GoalSheetChange.objects.filter(sheet__in=sheets)
    changes.exclude(comment="").update(comment="")
    GoalSheetRevision.objects.filter(sheet__in=sheets).exclude(sent_back_comment="").update(
        sent_back_comment=""
    )
    revisions = list(GoalSheetRevision.objects.filter(sheet__in=sheets))
    for revision in revisions:
        revision.goals = [_anonymous(goal) for goal in revision.goals]
    GoalSheetRevision.objects.bulk_update(revisions, ["goals"], batch_size=500)
    if forget_people:
        goals.update(outcome_recorded_by=None)
        check_ins.update(author=None)
        changes.update(by=None)
        GoalSheetRevision.objects.filter(sheet__in=sheets).update(
            submitted_by=None, confirmed_by=None, sent_back_by=None
        )
    sheets.update(
        returned_comment="", **({"returned_by": None, "updated_by": None} if forget_people else {})
    )


def _anonymous(goal: dict) -> dict:
    position = goal.get("position")
    title = f"Goal {position}" if position else REMOVED_GOAL_TITLE
    return {**goal, "title": title, **dict.fromkeys(SMART_FIELDS, "")}


def writing_anonymise(user: User) -> None:
    """What the person wrote themselves on any sheet: check-in notes, comments in the
    sheet's history, a send-back comment, an outcome's reflection."""
    CheckIn.objects.filter(author=user).exclude(note="").update(note="")
    GoalSheetChange.objects.filter(by=user).exclude(comment="").update(comment="")
    GoalSheet.objects.filter(returned_by=user).exclude(returned_comment="").update(
        returned_comment=""
    )
    Goal.objects.filter(outcome_recorded_by=user).exclude(reflection="").update(reflection="")


def export_personal_data(user: User) -> dict:
    sheets = (
        GoalSheet.objects.filter(match__in=Match.objects.of_person(user))
        .select_related("match__cycle__program", "match__mentor", "match__mentee")
        .prefetch_related("goals__competency_areas", "goals__check_ins", "changes", "revisions")
        .order_by("match__cycle__starts_on", "pk")
    )
    return {"goal_sheets": [_sheet(sheet, user) for sheet in sheets]}


def _sheet(sheet: GoalSheet, user: User) -> dict:
    match = sheet.match
    partner = match.partner_of(user)
    return {
        "program": match.cycle.program.name,
        "cycle": match.cycle.name,
        "your_role": match.role_of(user),
        "partner": partner.display_name if partner else None,
        "status": sheet.get_status_display(),
        "revision": sheet.revision,
        "agreed_revision": sheet.agreed_revision,
        "submitted_at": _iso(sheet.submitted_at),
        "agreed_at": _iso(sheet.agreed_at),
        "returned_comment": sheet.returned_comment,
        "goals": [
            {
                "title": goal.title,
                **{name: getattr(goal, name) for name in SMART_FIELDS},
                "target_date": _iso(goal.target_date),
                "competency_areas": [area.name for area in goal.competency_areas.all()],
                "on_the_sheet": goal.is_current,
                "final_outcome": goal.get_final_outcome_display(),
                "reflection": goal.reflection,
                # Check-ins are each partner's own notes: the person's, not the partner's.
                "your_check_ins": [
                    {"on": _iso(c.on), "status": c.get_status_display(), "note": c.note}
                    for c in sorted(goal.check_ins.all(), key=lambda c: (c.on, c.created_at))
                    if c.author_id == user.pk
                ],
            }
            for goal in sorted(sheet.goals.all(), key=lambda g: (g.position or 99, g.pk))
        ],
        "history": [
            {
                "action": change.get_action_display(),
                "revision": change.revision,
                "at": _iso(change.at),
                "by_you": change.by_id == user.pk,
                "comment": change.comment,
            }
            for change in sheet.changes.all()
        ],
        "revisions": [
            {
                "number": revision.number,
                "submitted_at": _iso(revision.submitted_at),
                "confirmed_at": _iso(revision.confirmed_at),
                "sent_back_at": _iso(revision.sent_back_at),
                "sent_back_comment": revision.sent_back_comment,
                "goals": revision.goals,
            }
            for revision in sheet.revisions.all()
        ],
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def erase_personal_data(user: User) -> None:
    goal_sheets_anonymise(
        GoalSheet.objects.filter(match__in=Match.objects.filter(mentee__applicant=user))
    )
    writing_anonymise(user)


def _of_cycle(cycle: Cycle) -> QuerySet[GoalSheet]:
    return GoalSheet.objects.filter(match__cycle=cycle)


def cycle_personal_data(cycle: Cycle) -> dict[str, int]:
    return {
        "goal sheets": _of_cycle(cycle).count(),
        "goals": Goal.objects.filter(sheet__match__cycle=cycle).count(),
        "check-ins": CheckIn.objects.filter(goal__sheet__match__cycle=cycle).count(),
    }


def anonymise_cycle(cycle: Cycle) -> None:
    goal_sheets_anonymise(_of_cycle(cycle), forget_people=True)
