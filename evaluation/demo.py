"""Demo of the evaluation, run by ``manage.py seed_demo`` after every other app's demo.

The current ALSC cycle gets its two default surveys (scheduled, as every cycle does).
Since today may fall early in that year, when nothing can be overdue yet, the demo also
builds last year's ALSC cycle as it stood when it concluded: a cohort of its own (every
application status), matches concluded with the year and one dissolved, goal sheets
agreed on time, late or never, check-ins and activities month by month, goals achieved
and goals left past their target, a monthly newsletter that bounced for a few people,
and both surveys answered. Its “Program health” page shows every chart and every reason
a match can be at risk.

The past year's rows are written directly with the dates they would have had (the
services stamp everything “now” and send emails). Idempotent: a cycle that already has
applications, or a survey that already has invitations, is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse

from matches.models import HelpRequest, Match
from mentoring.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL
from mentoring.models import Cycle, Program, User
from mentoring.selectors import current_cycle

from . import services
from .demo_year import (
    MENTEES,
    PLANS,
    PROGRAM_SLUG,
    SEED,
    THRIVING,
    _at,
    _cohort,
    _email,
    _past_cycle,
)
from .models import Answer, Invitation, Question, Survey

TEXT_ANSWERS = [
    "More structured check-ins in the first two months would have helped us get going.",
    "The networking session was the highlight: I met three people I still talk to.",
    "A shared calendar of webinars would make it easier to plan together.",
    "Matching by time zone mattered more than I expected.",
    "I would like a short guide on writing measurable goals.",
    "Keep the monthly discussion question; it gave us something to start with.",
]


def seed(*, log: Callable[[str], object] = print) -> None:
    program = Program.objects.filter(slug=PROGRAM_SLUG).prefetch_related("cycles").first()
    if program is None:
        log("Evaluation: no ALSC program yet (run load_program_content first)")
        return
    today = program.today()
    current = current_cycle(program, today)
    if current is not None:
        created = services.default_surveys_create(cycle=current, today=today)
        log(
            f"Surveys of {current}: "
            + (
                ", ".join(
                    f"{s.title} {s.get_status_display().lower()} for {s.opens_on}" for s in created
                )
                or "kept"
            )
        )
    past = _past_cycle(program, today, log)
    if past is None:
        return
    with transaction.atomic():
        if not past.applications.exists():
            _cohort(past, log)
            _help_request(past)
        else:
            log(f"Last year's cohort in {past}: kept as it is")
        _surveys(past, log)
    url = reverse("admin:evaluation_programhealth_health", args=[past.pk])
    log(f"Program health of last year's demo cycle: {url}  (staff login {DEMO_STAFF_EMAIL})")
    if current is not None:
        url = reverse("admin:evaluation_programhealth_health", args=[current.pk])
        log(f"Program health of the current cycle: {url}")
    mentee = User.objects.filter(email=_email(*MENTEES[0])).first()
    if mentee:
        log(
            f"A participant of last year, with their surveys at /surveys/: "
            f"{mentee.email} / {DEMO_PASSWORD}"
        )


def _help_request(cycle: Cycle) -> None:
    """The mentee of the match that went quiet in March asked the committee for help, and
    nobody has resolved it: the health page lists it as a reason the match is at risk."""
    quiet = [i for i, plan in enumerate(PLANS) if plan.sheet == "agreed" and plan.last_month == 5]
    matches = list(Match.objects.filter(cycle=cycle).select_related("mentee").order_by("pk"))
    if not quiet or len(matches) <= quiet[0]:
        return
    match = matches[quiet[0]]
    HelpRequest.objects.create(
        match=match,
        asked_by=match.mentee.applicant,
        role="mentee",
        message="My mentor has not answered my emails since March. Could the committee help?",
        created_at=_at(
            cycle.starts_on.replace(day=1) + dt.timedelta(days=160), 10, cycle.program.tz
        ),
    )


# --- Last year's surveys ------------------------------------------------------------------


def _surveys(cycle: Cycle, log) -> None:
    services.default_surveys_create(cycle=cycle, today=cycle.starts_on)
    rng = random.Random(SEED + 1)
    tz = cycle.program.tz
    people = services.participants(cycle)
    mood = _moods(cycle)
    for survey in cycle.surveys.exclude(kind=Survey.Kind.OTHER).order_by("opens_on"):
        if survey.invitations.exists():
            log(f"{survey}: kept as it is")
            continue
        opened = _at(survey.opens_on, 9, tz)
        Survey.objects.filter(pk=survey.pk).update(
            status=Survey.Status.CLOSED,
            opened_at=opened,
            closed_at=_at(survey.closes_on + dt.timedelta(days=1), 1, tz),
        )
        questions = list(survey.questions.order_by("position"))
        answered = 0
        share = 0.8 if survey.kind == Survey.Kind.MID_YEAR else 0.7
        for person, role in people.values():
            level = mood.get(person.pk, 3.8)
            answers = rng.random() < share - (0.25 if level < 3.3 else 0)
            late = rng.random() < 0.4
            invitation = Invitation.objects.create(
                survey=survey,
                person=person,
                role=role,
                invited_at=opened,
                reminded_at=opened + dt.timedelta(days=7) if (late or not answers) else None,
            )
            if not answers:
                continue
            answered += 1
            when = opened + dt.timedelta(days=rng.randint(8, 12) if late else rng.randint(0, 5))
            Answer.objects.bulk_create(
                answer
                for question in questions
                if (answer := _answer(invitation, question, level, role, rng)) is not None
            )
            Invitation.objects.filter(pk=invitation.pk).update(
                answered_at=when, updated_at=when, named=rng.random() < 0.3
            )
        log(f"{survey}: {answered} of {len(people)} answered (closed)")


def _moods(cycle: Cycle) -> dict[int, float]:
    """How well each person's year went, from their match's plan (1 to 5)."""
    moods = {}
    for i, match in enumerate(
        Match.objects.filter(cycle=cycle, status=Match.Status.CONCLUDED)
        .select_related("mentee", "mentor")
        .order_by("pk")
    ):
        plan = PLANS[i % len(PLANS)]
        level = 4.3 if plan in (THRIVING,) else 3.9
        if plan.sheet in ("none", "draft", "submitted") or plan.last_month < 8:
            level = 2.8
        moods[match.mentee.applicant_id] = level
        moods.setdefault(match.mentor.applicant_id, level + 0.2)
    return moods


def _answer(invitation: Invitation, question: Question, level: float, role: str, rng):
    if question.kind == Question.Kind.SCALE:
        # Mentors say a little less about what they learned; a little more about
        # connections and committees.
        bias = {3: -0.4, 5: 0.3}.get(question.objective.position if question.objective else 0, 0)
        value = round(rng.gauss(level + (bias if role == "mentor" else 0), 0.8))
        return Answer(invitation=invitation, question=question, number=min(5, max(1, value)))
    if question.kind == Question.Kind.CHOICE:
        choices = question.choice_list
        index = 0 if level > 4 else 1 if level > 3.5 else 2
        index = min(len(choices) - 1, max(0, index + rng.choice([-1, 0, 0, 1])))
        return Answer(invitation=invitation, question=question, choice=choices[index])
    if rng.random() < 0.5:
        return Answer(invitation=invitation, question=question, text=rng.choice(TEXT_ANSWERS))
    return None
