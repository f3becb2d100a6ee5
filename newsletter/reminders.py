"""Reminders driven by the timeline, each sent once per person per occasion.

- applications closing in three days, to people with a draft application;
- the goal sheet due in seven days, to both partners of a match without an agreed sheet;
- a monthly check-in nudge during goal work, to matches with no check-in that month;
- the program's conclusion, to matches still to record their goals' final outcomes;
- the next year opening for applications, to last year's alumni (concluded matches):
  mentees are invited to come back as mentors, mentors to mentor again.

Each occasion names its delivery (``reminder:<name>:<occasion>``), unique per address, so
the daily task may run any number of times, or late, and a person hears once. The
windows run up to the day itself, so a day the task did not run is caught up the next.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from goals import selectors as goal_selectors
from goals.models import outcomes_open_on
from matches import alumni
from mentoring.mail import email_queue_bulk
from mentoring.models import Cycle, Delivery, Milestone, Program, User
from mentoring.timeline import goal_sheet_due_on

from . import emails, issue_sections, selectors
from .models import month_start

APPLICATIONS_CLOSING_DAYS = 3
GOAL_SHEET_DUE_DAYS = 7
# The check-in nudge goes from this day of the month to matches with none that month.
CHECK_IN_NUDGE_DAY = 20
CONCLUSION_DAYS = 14
CHUNK = 500

NAMES = {
    "applications_closing": "Applications closing",
    "goal_sheet_due": "Goal sheet due",
    "check_in": "Monthly check-in",
    "conclusion": "Program conclusion",
    "alumni": "Invitation to come back",
}


@dataclass(frozen=True)
class Occasion:
    """One reminder due to one person."""

    name: str
    message_key: str
    user: User
    program: Program
    context: dict[str, Any] = field(default_factory=dict)


def _cycles(now: dt.datetime, *, days_before: int = 0) -> list[Cycle]:
    """Cycles not yet over, with program and milestones."""
    return list(
        Cycle.objects.filter(ends_on__gte=(now - dt.timedelta(days=days_before + 2)).date())
        .select_related("program")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on")))
    )


def _today(cycle: Cycle, now: dt.datetime) -> dt.date:
    return timezone.localdate(now, cycle.program.tz)


def applications_closing(now: dt.datetime) -> list[Occasion]:
    """Applications close within three days: to each person with a draft in the cycle."""
    occasions = []
    for cycle in _cycles(now):
        days_left = (cycle.applications_close_on - _today(cycle, now)).days
        if not 0 <= days_left <= APPLICATIONS_CLOSING_DAYS:
            continue
        drafts: dict[int, list[Application]] = defaultdict(list)
        people: dict[int, User] = {}
        for application in (
            Application.objects.filter(
                cycle=cycle, status=Application.Status.DRAFT, applicant__is_active=True
            )
            .select_related("applicant")
            .order_by("applicant_id", "role")
        ):
            drafts[application.applicant_id].append(application)
            people[application.applicant_id] = application.applicant
        for user_id, applications in drafts.items():
            occasions.append(
                Occasion(
                    name="applications_closing",
                    message_key=f"reminder:applications_closing:cycle-{cycle.pk}",
                    user=people[user_id],
                    program=cycle.program,
                    context={
                        "cycle": cycle,
                        "applications": applications,
                        "closes_on": cycle.applications_close_on,
                        "days_left": days_left,
                    },
                )
            )
    return occasions


def _partners(match):
    """(role, the person's user, the partner's name) for both partners with an account."""
    for role, person, partner in (
        ("mentee", match.mentee, match.mentor),
        ("mentor", match.mentor, match.mentee),
    ):
        user = person.applicant
        if user is not None and user.is_active:
            yield role, user, partner.display_name


def _summaries(cycles: list[Cycle]) -> dict:
    if not cycles:
        return {}
    matches = goal_selectors.match_queryset().active().filter(cycle__in=cycles).order_by("pk")
    return goal_selectors.goal_sheet_summaries(matches)


def goal_sheet_due(now: dt.datetime) -> list[Occasion]:
    """The goal sheet is due within seven days: to both partners of each active match
    without an agreed sheet."""
    due_soon = []
    for cycle in _cycles(now):
        due_on = goal_sheet_due_on(cycle.milestones.all())
        if due_on is not None and 0 <= (due_on - _today(cycle, now)).days <= GOAL_SHEET_DUE_DAYS:
            due_soon.append(cycle)
    occasions = []
    for summary in _summaries(due_soon).values():
        if summary.state.has_agreement:
            continue
        match = summary.match
        for role, user, partner_name in _partners(match):
            section = issue_sections.GoalSection(
                match=match, role=role, partner_name=partner_name, summary=summary
            )
            occasions.append(
                Occasion(
                    name="goal_sheet_due",
                    message_key=f"reminder:goal_sheet_due:match-{match.pk}",
                    user=user,
                    program=match.cycle.program,
                    context={
                        "match": match,
                        "section": section,
                        "due_on": summary.state.due_on,
                        "days_left": (summary.state.due_on - _today(match.cycle, now)).days,
                    },
                )
            )
    return occasions


def check_in_nudges(now: dt.datetime) -> list[Occasion]:
    """During goal work, from the 20th of the month: to both partners of each match with
    agreed goals and no check-in dated this month."""
    working = []
    for cycle in _cycles(now):
        today = _today(cycle, now)
        in_goal_work = any(
            m.kind == Milestone.Kind.GOAL_WORK and m.contains(today) for m in cycle.milestones.all()
        )
        if in_goal_work and today.day >= CHECK_IN_NUDGE_DAY:
            working.append(cycle)
    occasions = []
    for summary in _summaries(working).values():
        if not summary.state.has_agreement or not summary.goals:
            continue
        match = summary.match
        month = month_start(_today(match.cycle, now))
        latest = summary.latest_check_in
        if latest is not None and latest.on >= month:
            continue
        for role, user, partner_name in _partners(match):
            occasions.append(
                Occasion(
                    name="check_in",
                    message_key=f"reminder:check_in:match-{match.pk}:{month:%Y-%m}",
                    user=user,
                    program=match.cycle.program,
                    context={
                        "match": match,
                        "role": role,
                        "partner_name": partner_name,
                        "month": month,
                        "goals": issue_sections.goal_lines(summary.goals),
                        "latest": latest,
                    },
                )
            )
    return occasions


def _conclusion_on(cycle: Cycle) -> dt.date:
    days = [m.starts_on for m in cycle.milestones.all() if m.kind == Milestone.Kind.CONCLUSION]
    return min(days) if days else cycle.ends_on


def conclusion(now: dt.datetime) -> list[Occasion]:
    """Two weeks before the program concludes (once outcomes can be recorded): to both
    partners of each match with agreed goals whose final outcomes are not all recorded."""
    concluding = []
    for cycle in _cycles(now):
        today, ends = _today(cycle, now), _conclusion_on(cycle)
        opens = max(
            ends - dt.timedelta(days=CONCLUSION_DAYS),
            outcomes_open_on(cycle, cycle.milestones.all()),
        )
        if opens <= today <= ends:
            concluding.append(cycle)
    occasions = []
    for summary in _summaries(concluding).values():
        missing = [g for g in summary.goals if not g.final_outcome]
        if not summary.state.has_agreement or not missing:
            continue
        match = summary.match
        for role, user, partner_name in _partners(match):
            occasions.append(
                Occasion(
                    name="conclusion",
                    message_key=f"reminder:conclusion:match-{match.pk}",
                    user=user,
                    program=match.cycle.program,
                    context={
                        "match": match,
                        "role": role,
                        "partner_name": partner_name,
                        "concludes_on": _conclusion_on(match.cycle),
                        "goals": summary.goals,
                        "missing": missing,
                    },
                )
            )
    return occasions


def alumni_invitations(now: dt.datetime) -> list[Occasion]:
    """While a cycle takes applications: to each partner of a concluded match of the
    program's year before it who has not applied to it yet, once per person and year
    they concluded (mentees to mentor, mentors to mentor again)."""
    occasions = []
    for cycle in _cycles(now):
        if not cycle.accepts_applications_on(_today(cycle, now)):
            continue
        previous = alumni.previous_cycle(cycle)
        if previous is None:
            continue
        applied = set(
            Application.objects.filter(cycle=cycle, applicant__isnull=False).values_list(
                "applicant_id", flat=True
            )
        )
        for application, role in alumni.alumni_of(previous):
            if application.applicant_id in applied:
                continue
            occasions.append(
                Occasion(
                    name="alumni",
                    message_key=f"reminder:alumni:cycle-{previous.pk}",
                    user=application.applicant,
                    program=cycle.program,
                    context={
                        "cycle": cycle,
                        "previous": previous,
                        "role": role,
                        "closes_on": cycle.applications_close_on,
                        "apply_path": reverse(
                            "applications:apply",
                            kwargs={
                                "program_slug": cycle.program.slug,
                                "role": Application.Role.MENTOR,
                            },
                        ),
                    },
                )
            )
    return occasions


def occasions_on(now: dt.datetime) -> list[Occasion]:
    """Every reminder due at ``now``, whether or not it was sent already."""
    return [
        *applications_closing(now),
        *goal_sheet_due(now),
        *check_in_nudges(now),
        *conclusion(now),
        *alumni_invitations(now),
    ]


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Record and send the reminders due now to those who have not had them and have
    not turned reminders off. Returns how many of each were sent."""
    now = now or timezone.now()
    occasions = occasions_on(now)
    if not occasions:
        return {}
    already = set(
        Delivery.objects.filter(message_key__in={o.message_key for o in occasions}).values_list(
            "message_key", "to_email"
        )
    )
    wanted = selectors.wants({o.user.pk for o in occasions}, "reminders")
    fresh = [
        o for o in occasions if (o.message_key, o.user.email) not in already and o.user.pk in wanted
    ]
    # Rendered and recorded a chunk at a time, each chunk queued as it commits.
    for start in range(0, len(fresh), CHUNK):
        deliveries = [
            emails.reminder_delivery(
                name=o.name,
                message_key=o.message_key,
                to=o.user,
                program=o.program,
                context=o.context,
            )
            for o in fresh[start : start + CHUNK]
        ]
        with transaction.atomic():
            email_queue_bulk(deliveries)
    return dict(Counter(o.name for o in fresh))
