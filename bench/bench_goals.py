"""Goal sheets: the sheet page, the staff changelist and the CSV export at program scale."""

from __future__ import annotations

import datetime as dt
import statistics
import time

TARGET_PAGE_MS = 150
TARGET_CHANGELIST_MS = 400
TARGET_EXPORT_MS = 2000
SHEETS = 400  # about a large program year's matches
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


def run(report) -> None:
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.test import Client
    from django.urls import reverse

    from goals.models import CheckIn, Goal, GoalSheet
    from mentoring.models import Milestone
    from tests.factories import MatchFactory, MilestoneFactory, ProgramFactory, UserFactory
    from tests.second_factor import force_login_with_second_factor

    program = ProgramFactory(time_zone="America/Chicago")
    today = program.today()
    first = MatchFactory(
        cycle__program=program,
        cycle__applications_open_on=today - dt.timedelta(days=90),
        cycle__applications_close_on=today - dt.timedelta(days=60),
        cycle__starts_on=today - dt.timedelta(days=30),
        cycle__ends_on=today + dt.timedelta(days=240),
    )
    cycle = first.cycle
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.INTRODUCTIONS, ends_on=today + dt.timedelta(days=20)
    )
    matches = [first] + [MatchFactory(cycle=cycle) for _ in range(SHEETS - 1)]
    sheets = GoalSheet.objects.bulk_create(
        [
            GoalSheet(match=m, status=["draft", "submitted", "agreed"][i % 3])
            for i, m in enumerate(matches)
        ]
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(
                sheet=sheet,
                position=position,
                title=f"Goal {position}",
                specific="Specific " * 20,
                measurable="Measurable " * 10,
                achievable="Achievable " * 10,
                relevant="Relevant " * 10,
                target_date=cycle.ends_on,
            )
            for sheet in sheets
            for position in (1, 2, 3)
        ]
    )
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                goal=goal, status="in_progress", note="Note " * 30, on=today - dt.timedelta(days=d)
            )
            for goal in goals
            for d in range(6)
        ]
    )

    mentee = Client(HTTP_HOST=HOST)
    mentee.force_login(first.mentee.applicant)
    sheet_url = reverse("goals:sheet", args=[first.pk])
    ms = _time(lambda: mentee.get(sheet_url))
    report(
        "goal sheet page (3 goals, 6 check-ins each)",
        ms,
        "ms",
        f"< {TARGET_PAGE_MS} ms",
        ms < TARGET_PAGE_MS,
    )

    staff = Client(HTTP_HOST=HOST)
    # Staff sign in with a second factor: without it every admin page is a redirect.
    force_login_with_second_factor(staff, UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:goals_goalsheet_changelist")
    assert staff.get(changelist).status_code == 200
    ms = _time(lambda: staff.get(changelist))
    report(
        f"admin changelist ({SHEETS} sheets, 100 a page)",
        ms,
        "ms",
        f"< {TARGET_CHANGELIST_MS} ms",
        ms < TARGET_CHANGELIST_MS,
    )
    ms = _time(lambda: staff.get(changelist, {"overdue": "yes"}))
    report(
        "admin changelist, overdue filter",
        ms,
        "ms",
        f"< {TARGET_CHANGELIST_MS} ms",
        ms < TARGET_CHANGELIST_MS,
    )

    ids = [s.pk for s in sheets]
    ms = _time(
        lambda: staff.post(changelist, {"action": "export_goals_csv", ACTION_CHECKBOX_NAME: ids}),
        repeat=3,
    )
    report(
        f"CSV export ({len(goals)} goals)",
        ms,
        "ms",
        f"< {TARGET_EXPORT_MS} ms",
        ms < TARGET_EXPORT_MS,
    )
