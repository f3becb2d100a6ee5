"""The goal sheets' spreadsheet (the admin's export): one row per goal, with its sheet,
its match and its progress."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.timeline import goal_sheet_due_on

from .models import SMART_FIELDS, CheckIn, Goal, is_overdue

EXPORT_HEADER = [
    _("Program"),
    _("Cycle"),
    _("Match"),
    _("Mentee"),
    _("Mentee email"),
    _("Mentor"),
    _("Mentor email"),
    _("Sheet status"),
    _("Revision"),
    _("Agreed revision"),
    _("Due"),
    _("Overdue"),
    _("Goal"),
    _("Title"),
    _("Specific"),
    _("Measurable"),
    _("Achievable"),
    _("Relevant"),
    _("Target date"),
    _("Competency areas"),
    _("Latest check-in"),
    _("Latest check-in date"),
    _("Final outcome"),
    _("Reflection"),
    _("Meetings"),
    _("Hours met"),
]


def export_row(goal: Goal) -> list[Any]:
    sheet = goal.sheet
    match = sheet.match
    cycle = match.cycle
    due_on = goal_sheet_due_on(cycle.milestones.all())
    return [
        cycle.program.short_name,
        cycle.name,
        match.pk,
        match.mentee.full_name,
        match.mentee.email,
        match.mentor.full_name,
        match.mentor.email,
        sheet.get_status_display(),
        sheet.revision,
        sheet.agreed_revision or "",
        due_on.isoformat() if due_on else "",
        gettext("yes")
        if is_overdue(status=sheet.status, due_on=due_on, program=cycle.program)
        else gettext("no"),
        goal.position,
        goal.title,
        *(getattr(goal, name) for name in SMART_FIELDS),
        goal.target_date.isoformat() if goal.target_date else "",
        "; ".join(area.name for area in goal.competency_areas.all()),
        CheckIn.Status(goal.latest_status).label if goal.latest_status else "",
        goal.latest_on.isoformat() if goal.latest_on else "",
        goal.get_final_outcome_display(),
        goal.reflection,
        goal.meetings_count or 0,
        f"{(goal.meetings_minutes or 0) / 60:.1f}",
    ]
