"""Applications: changelist, CSV export and decisions on a cycle of 1,000 applications.

Figures for the committee's busiest moments: the changelist and its filters, exporting
everything, and sending a cohort's decisions (then again, when nobody new is told)."""

from __future__ import annotations

import datetime as dt
import statistics
import time

N_APPLICATIONS = 1000
N_DECISIONS = 300


def _cohort():
    from django.utils import timezone

    from applications.models import Application, ApplicationReview, Interest
    from mentoring.models import Cycle, Program, User

    today = timezone.localdate()
    program = Program.objects.create(
        name="Bench Mentoring Program", short_name="BENCH", slug="bench", description="."
    )
    cycle = Cycle.objects.create(
        program=program,
        name="2026-2027",
        slug="2026-2027",
        applications_open_on=today - dt.timedelta(days=10),
        applications_close_on=today + dt.timedelta(days=10),
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=300),
    )
    interests = Interest.objects.bulk_create(
        Interest(program=program, name=f"Interest {i}", slug=f"interest-{i}") for i in range(20)
    )
    people = User.objects.bulk_create(
        User(email=f"bench{i}@example.org", full_name=f"Bench Person {i}")
        for i in range(N_APPLICATIONS)
    )
    reviewers = User.objects.bulk_create(
        User(email=f"reviewer{i}@example.org", full_name=f"Reviewer {i}", is_staff=True)
        for i in range(3)
    )
    applications = Application.objects.bulk_create(
        Application(
            cycle=cycle,
            applicant=person,
            role="mentor" if i % 3 == 0 else "mentee",
            status="accepted" if i < N_DECISIONS else "submitted",
            full_name=person.full_name,
            email=person.email,
            city="Columbus",
            state="OH",
            time_zone="America/New_York",
            organization=f"Library {i}",
            library_type="public",
            position_title="Children's Librarian",
            years_experience=i % 20,
            membership="member",
            hopes="word " * 25,
            communication_methods=["email"],
            agreed_to_expectations=True,
            submitted_at=timezone.now(),
        )
        for i, person in enumerate(people)
    )
    through = Application.interests.through
    through.objects.bulk_create(
        through(application_id=a.pk, interest_id=interests[(a.pk + k) % 20].pk)
        for a in applications
        for k in range(3)
    )
    ApplicationReview.objects.bulk_create(
        ApplicationReview(application=a, reviewer=r, score=1 + (a.pk + r.pk) % 5)
        for a in applications
        for r in reviewers
    )
    return applications


def _timed(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run(report) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from applications import services
    from applications.models import Application
    from mentoring.models import User
    from tests.second_factor import force_login_with_second_factor

    setup_test_environment()
    applications = _cohort()
    staff = User.objects.create(email="bench-staff@example.org", is_staff=True, is_superuser=True)
    client = Client()
    # Staff sign in with a second factor: without it every admin page is a redirect.
    force_login_with_second_factor(client, staff)
    changelist = reverse("admin:applications_application_changelist")
    assert client.get(changelist).status_code == 200

    ms = _timed(lambda: client.get(changelist))
    report("admin changelist, 1,000 applications (median)", ms, "ms", "< 400 ms", ms < 400)
    ms = _timed(lambda: client.get(changelist + "?status__exact=submitted&years=0-2&q=Bench"))
    report("filtered and searched changelist (median)", ms, "ms", "< 400 ms", ms < 400)

    # “Select all 1,000” in the changelist posts the page's ids and select_across.
    everything = {
        "action": "export_csv",
        "select_across": "1",
        "index": "0",
        "_selected_action": [a.pk for a in applications[:50]],
    }
    response = client.post(changelist, everything)
    assert response.status_code == 200, response.status_code
    assert response.content.count(b"\n") == N_APPLICATIONS + 1
    ms = _timed(lambda: client.post(changelist, everything), repeat=3)
    report("CSV export of 1,000 applications (median)", ms, "ms", "< 2,000 ms", ms < 2000)

    decided = list(Application.objects.filter(status="accepted"))
    started = time.perf_counter()
    outcome = services.applications_decisions_send(applications=decided)
    seconds = time.perf_counter() - started
    assert len(outcome.sent) == N_DECISIONS
    report("send 300 decision emails (record + send)", seconds, "s", "< 10 s", seconds < 10)
    started = time.perf_counter()
    again = services.applications_decisions_send(applications=decided)
    seconds = time.perf_counter() - started
    assert len(again.already_told) == N_DECISIONS
    report("send them again (nothing new is sent)", seconds, "s", "< 2 s", seconds < 2)
