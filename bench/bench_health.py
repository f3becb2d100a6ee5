"""Program health: the committee's page and a survey's results at a large program year."""

from __future__ import annotations

import datetime as dt
import statistics
import time

MATCHES = 1500  # a program year far larger than ALSC's (about 40 matches)
TARGET_PAGE_MS = 150  # issue 16, point 3: program health at 1,500 matches
TARGET_RESULTS_MS = 500
HOST = "localhost"


def _time(call, repeat: int = 5) -> float:
    """The median wall time of ``call`` (a request) in milliseconds, after a warm-up."""
    assert call().status_code == 200
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def _cohort(cycle, today):
    """MATCHES active matches with agreed sheets of two goals, six check-ins and six
    activities each, seven newsletter issues to every partner and a survey answered by
    most of them, written in bulk."""
    from django.utils import timezone

    from activities.models import ActivityLogEntry
    from applications.models import Application
    from evaluation.models import Answer, Invitation, Question, Survey
    from goals.models import CheckIn, Goal, GoalSheet, GoalSheetRevision
    from matches.models import Match
    from mentoring.models import Delivery, ProgramObjective, User
    from tests.factories import ActivityFactory, CategoryFactory

    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"bench-health-{i}@example.org", full_name=f"Person {i}")
            for i in range(2 * MATCHES)
        ]
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                cycle=cycle,
                applicant=user,
                role="mentee" if i % 2 == 0 else "mentor",
                status="accepted",
                full_name=user.full_name,
                email=user.email,
                submitted_at=now,
                mentee_capacity=None if i % 2 == 0 else 1,
            )
            for i, user in enumerate(users)
        ]
    )
    matches = Match.objects.bulk_create(
        [
            Match(
                cycle=cycle,
                mentee=applications[2 * i],
                mentor=applications[2 * i + 1],
                status="active",
                confirmed_at=now - dt.timedelta(days=110),
            )
            for i in range(MATCHES)
        ]
    )
    sheets = GoalSheet.objects.bulk_create(
        [
            GoalSheet(
                match=m, status="agreed" if i % 5 else "draft", agreed_revision=1 if i % 5 else None
            )
            for i, m in enumerate(matches)
        ]
    )
    GoalSheetRevision.objects.bulk_create(
        [
            GoalSheetRevision(
                sheet=s,
                number=1,
                submitted_at=now - dt.timedelta(days=40 + i % 30),
                confirmed_at=now - dt.timedelta(days=35 + i % 30) if i % 5 else None,
            )
            for i, s in enumerate(sheets)
        ]
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(sheet=s, position=p, title=f"Goal {p}", target_date=today - dt.timedelta(days=p))
            for s in sheets
            for p in (1, 2)
        ]
    )
    CheckIn.objects.bulk_create(
        [
            CheckIn(goal=g, status="in_progress", on=today - dt.timedelta(days=10 * d + g.pk % 60))
            for g in goals
            for d in range(3)
        ]
    )
    activity = ActivityFactory(category=CategoryFactory(program=cycle.program))
    ActivityLogEntry.objects.bulk_create(
        [
            ActivityLogEntry(
                match=m,
                activity=activity if d % 2 else None,
                title="Monthly call",
                status="done",
                on=today - dt.timedelta(days=15 * d + m.pk % 50),
            )
            for m in matches
            for d in range(6)
        ]
    )
    Delivery.objects.bulk_create(
        [
            Delivery(
                message_key=f"newsletter:{issue}",
                kind="newsletter.issue",
                recipient=user,
                to_email=user.email,
                subject=f"Issue {issue}",
                status="failed" if (issue == 6 and i % 40 == 0) else "sent",
                created_at=now - dt.timedelta(days=30 * (7 - issue)),
            )
            for issue in range(7)
            for i, user in enumerate(users)
        ]
    )
    objectives = ProgramObjective.objects.bulk_create(
        [
            ProgramObjective(program=cycle.program, position=p, text=f"Objective {p}")
            for p in range(1, 8)
        ]
    )
    survey = Survey.objects.create(
        cycle=cycle,
        title="End-of-program evaluation",
        opens_on=today,
        closes_on=today,
        status="open",
    )
    questions = Question.objects.bulk_create(
        [
            Question(survey=survey, position=p, text=f"Q{p}", objective=objectives[p - 1])
            for p in range(1, 8)
        ]
    )
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                survey=survey,
                person=user,
                role="mentee" if i % 2 == 0 else "mentor",
                invited_at=now,
                answered_at=now if i % 3 else None,
            )
            for i, user in enumerate(users)
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(invitation=inv, question=q, number=1 + (inv.pk + q.pk) % 5)
            for inv in invitations
            if inv.answered_at
            for q in questions
        ]
    )
    return survey


def run(report) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from evaluation import health
    from mentoring.models import Milestone
    from tests.factories import CycleFactory, MilestoneFactory, ProgramFactory, UserFactory
    from tests.second_factor import force_login_with_second_factor

    program = ProgramFactory(time_zone="America/Chicago")
    today = program.today()
    cycle = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=200),
        applications_close_on=today - dt.timedelta(days=170),
        starts_on=today - dt.timedelta(days=120),
        ends_on=today + dt.timedelta(days=150),
    )
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=today - dt.timedelta(days=30),
    )
    started = time.perf_counter()
    survey = _cohort(cycle, today)
    # Fresh statistics, as autovacuum keeps them in production: right after a bulk load
    # the planner believes the tables empty and picks nested loops over 20,000 rows.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  (cohort of {MATCHES} matches built in {time.perf_counter() - started:.1f} s)")

    staff = Client(HTTP_HOST=HOST)
    force_login_with_second_factor(staff, UserFactory(is_staff=True, is_superuser=True))
    page = reverse("admin:evaluation_programhealth_health", args=[cycle.pk])
    ms = _time(lambda: staff.get(page))
    report(
        f"health page ({MATCHES} matches, every figure and chart)",
        ms,
        "ms",
        f"< {TARGET_PAGE_MS} ms",
        ms < TARGET_PAGE_MS,
    )
    report_at_risk = health.program_health(health.cycle_for_health(cycle.pk))
    print(f"  ({len(report_at_risk.at_risk)} matches at risk on that page)")

    results = reverse("admin:evaluation_survey_results", args=[survey.pk])
    ms = _time(lambda: staff.get(results))
    report(
        f"survey results page ({survey.invitations.count()} invited, 7 questions)",
        ms,
        "ms",
        f"< {TARGET_RESULTS_MS} ms",
        ms < TARGET_RESULTS_MS,
    )
    csv_url = reverse("admin:evaluation_survey_results_csv", args=[survey.pk])
    ms = _time(lambda: staff.get(csv_url))
    report("survey results CSV", ms, "ms", f"< {TARGET_RESULTS_MS} ms", ms < TARGET_RESULTS_MS)
