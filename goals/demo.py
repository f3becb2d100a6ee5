"""Demo goal sheets for the active matches of the ALSC program's current cycle (made by
the applications and matches demos, which run first): an agreed sheet with check-ins, a
submitted one, a draft the mentor sent back, and one not started, so the partners' pages
and the staff screens show something real.

Idempotent: a match whose sheet already has goals or history is left as it is. Without
active matches it only says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch

from matches.models import Match
from mentoring.dates import month_day
from mentoring.demo import DEMO_PASSWORD
from mentoring.models import Cycle, Milestone, Program
from mentoring.selectors import current_cycle
from mentoring.timeline import goal_sheet_due_on

from . import progress, services
from .models import CheckIn, ExampleGoal, GoalSheet
from .services import GoalInput

PROGRAM_SLUG = "alsc"


@dataclass(frozen=True)
class DemoGoal:
    example_key: str
    title: str
    specific: str
    measurable: str
    achievable: str
    relevant: str
    month_fraction: float  # where the target date falls in the program year, 0 to 1


GOALS = [
    DemoGoal(
        "bookbag-crafts",
        "Six crafts for our school-age Bookbag program",
        "Design six crafts for children aged 6 to 12 that go with the Bookbag titles, one "
        "for each month from January to June.",
        "Six crafts, each with a materials list and instructions, tried out once with a "
        "group of children.",
        "Monthly calls with my mentor, who ran a craft program for ten years; the craft "
        "budget of the children's department.",
        "School-age programs are half of my work this year, and I have not planned crafts before.",
        0.75,
    ),
    DemoGoal(
        "network",
        "Meet five children's librarians outside my library system",
        "Meet five children's librarians from other systems, through my mentor's "
        "introductions and the networking session in January.",
        "Five conversations, each followed by a note or an exchange of program ideas.",
        "Introductions from my mentor; the program's virtual networking session.",
        "I am the only children's librarian in my branch and want colleagues to trade ideas with.",
        0.6,
    ),
    DemoGoal(
        "conferences-trainings",
        "Plan a year of professional development",
        "Choose the webinars and one conference that fit my goal of leading a youth services team.",
        "A written plan with dates and costs; two webinars attended by April.",
        "My mentor's advice on which events are worth it; my library's training budget.",
        "Leading a team is where I want my career to go in the next five years.",
        0.9,
    ),
]


def _target(cycle: Cycle, fraction: float) -> dt.date:
    return cycle.starts_on + dt.timedelta(
        days=int((cycle.ends_on - cycle.starts_on).days * fraction)
    )


def _inputs(
    cycle: Cycle, goals: list[DemoGoal], examples: dict[str, ExampleGoal]
) -> list[GoalInput]:
    inputs = []
    for goal in goals:
        example = examples.get(goal.example_key)
        inputs.append(
            GoalInput(
                title=goal.title,
                specific=goal.specific,
                measurable=goal.measurable,
                achievable=goal.achievable,
                relevant=goal.relevant,
                target_date=_target(cycle, goal.month_fraction),
                competency_area_ids=[a.pk for a in example.competency_areas.all()]
                if example
                else [],
                example_id=example.pk if example else None,
            )
        )
    return inputs


def _untouched(sheet: GoalSheet) -> bool:
    return not sheet.goals.exists() and not sheet.changes.exists()


def _check_ins(sheet: GoalSheet, cycle: Cycle, today: dt.date, *, achieved: bool) -> int:
    """Check-ins by both partners on days since the program started (none before)."""
    if today < cycle.starts_on:
        return 0
    match = sheet.match
    people = [match.mentee.applicant, match.mentor.applicant]
    span = (today - cycle.starts_on).days
    added = 0
    for number, goal in enumerate(sheet.goals.current(), start=1):
        steps = [
            (CheckIn.Status.NOT_STARTED, "We talked it through and set a first step.", 0.3),
            (
                CheckIn.Status.IN_PROGRESS,
                "First step done; the next is planned for our next call.",
                0.8,
            ),
        ]
        if achieved and number == 1:
            steps.append((CheckIn.Status.ACHIEVED, "Done, and shared with the team.", 1.0))
        for i, (status, note, fraction) in enumerate(steps):
            on = cycle.starts_on + dt.timedelta(days=int(span * fraction))
            progress.check_in_add(goal=goal, by=people[i % 2], status=status, note=note, on=on)
            added += 1
    return added


@transaction.atomic
def seed(*, log: Callable[[str], object] = print) -> None:
    program = (
        Program.objects.filter(slug=PROGRAM_SLUG)
        .prefetch_related(Prefetch("cycles__milestones", queryset=Milestone.objects.all()))
        .first()
    )
    if program is None:
        log("Goal sheets: no ALSC program yet (run load_program_content first)")
        return
    today = program.today()
    cycle = current_cycle(program, today)
    matches = (
        list(
            Match.objects.active()
            .filter(cycle=cycle)
            .select_related("cycle__program", "mentor__applicant", "mentee__applicant")
            .order_by("pk")
        )
        if cycle
        else []
    )
    matches = [m for m in matches if m.mentor.applicant and m.mentee.applicant]
    if not matches:
        log("Goal sheets: no active matches in the current ALSC cycle, so no demo goal sheets")
        return
    examples = {
        e.key: e
        for e in ExampleGoal.objects.filter(program=program).prefetch_related("competency_areas")
    }
    due_on = goal_sheet_due_on(cycle.milestones.all())
    plans = [
        ("agreed", lambda s: _agreed(s, cycle, today, examples, GOALS[:2], achieved=False)),
        ("submitted", lambda s: _submitted(s, cycle, examples, GOALS[1:3])),
        ("sent back", lambda s: _sent_back(s, cycle, examples)),
        ("agreed", lambda s: _agreed(s, cycle, today, examples, GOALS, achieved=True)),
        ("not started", lambda s: None),
    ]
    for match, (label, make) in zip(matches, plans, strict=False):
        sheet = services.goal_sheet_open(match=match)
        sheet.match = match
        if not _untouched(sheet):
            log(f"Goal sheet of {match}: kept as it is ({sheet.get_status_display().lower()})")
            continue
        make(sheet)
        overdue = label != "agreed" and due_on is not None and today > due_on
        people = f"mentee {match.mentee.applicant.email}, mentor {match.mentor.applicant.email}"
        late = " (overdue)" if overdue else ""
        log(f"Goal sheet of {match}: {label}{late} · {people} / {DEMO_PASSWORD}")
    if due_on is not None and today <= due_on:
        log(f"Goal sheets are due {month_day(due_on)}: none is overdue before then")


def _save(sheet: GoalSheet, by, inputs: list[GoalInput]) -> GoalSheet:
    return services.goal_sheet_save_draft(sheet=sheet, by=by, version=sheet.version, goals=inputs)


def _submitted(sheet, cycle, examples, goals) -> GoalSheet:
    match = sheet.match
    sheet = _save(sheet, match.mentee.applicant, _inputs(cycle, goals, examples))
    return services.goal_sheet_submit(sheet=sheet, by=match.mentee.applicant)


def _agreed(sheet, cycle, today, examples, goals, *, achieved: bool) -> GoalSheet:
    match = sheet.match
    sheet = _submitted(sheet, cycle, examples, goals)
    sheet = services.goal_sheet_confirm(sheet=sheet, by=match.mentor.applicant)
    sheet.match = match
    _check_ins(sheet, cycle, today, achieved=achieved)
    return sheet


def _sent_back(sheet, cycle, examples) -> GoalSheet:
    match = sheet.match
    sheet = _submitted(sheet, cycle, examples, GOALS[:1])
    return services.goal_sheet_send_back(
        sheet=sheet,
        by=match.mentor.applicant,
        comment="A good start! Let's make the measure concrete: how many crafts, and by "
        "which month each? And add a second goal about networking, as we discussed.",
    )
