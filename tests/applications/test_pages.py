"""My applications, the apply buttons on the program page, and their query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from tests.factories import ApplicationFactory, CycleFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_applications_shows_each_status_and_its_history(client, cycle, applicant):
    staff = UserFactory(is_staff=True)
    application = ApplicationFactory(cycle=cycle, applicant=applicant)
    services.application_status_change(application=application, to_status="under_review", by=staff)
    services.application_status_change(application=application, to_status="accepted", by=staff)
    ApplicationFactory(cycle=cycle, applicant=applicant, mentor=True, status="draft")
    ApplicationFactory(cycle=cycle)  # someone else's
    client.force_login(applicant)

    body = client.get(reverse("applications:mine")).content.decode()

    assert body.count('class="card application-card') == 2
    assert "Accepted" in body and "Under review" in body
    assert "Continue your draft" in body
    history = body[body.index("status-history") :]
    assert history.index("Under review") < history.index("Accepted")


def test_my_applications_runs_the_same_queries_however_many(client, applicant):
    client.force_login(applicant)
    staff = UserFactory(is_staff=True)

    def add(n):
        for _ in range(n):
            application = ApplicationFactory(applicant=applicant)
            services.application_status_change(
                application=application, to_status="under_review", by=staff
            )

    add(2)
    few = queries(client, reverse("applications:mine"))
    add(12)

    assert queries(client, reverse("applications:mine")) == few


def test_program_page_offers_both_roles_to_a_visitor(client, cycle):
    body = client.get(reverse("program_detail", args=[cycle.program.slug])).content.decode()

    assert reverse("applications:apply", args=[cycle.program.slug, "mentee"]) in body
    assert "Apply as a mentee" in body and "Apply as a mentor" in body
    assert "You will sign in, or create an account, first." in body


def test_program_page_offers_to_continue_a_draft_or_view_an_application(client, cycle, applicant):
    draft = ApplicationFactory(cycle=cycle, applicant=applicant, status="draft")
    mentor = ApplicationFactory(cycle=cycle, applicant=applicant, mentor=True)
    client.force_login(applicant)

    body = client.get(reverse("program_detail", args=[cycle.program.slug])).content.decode()

    assert "Continue your mentee draft" in body
    assert reverse("applications:edit", args=[draft.pk]) in body
    assert "View your mentor application" in body
    assert reverse("applications:detail", args=[mentor.pk]) in body
    assert "Apply as a" not in body


def test_program_page_offers_no_form_outside_the_window(client, program, applicant):
    today = program.today()
    CycleFactory(
        program=program,
        applications_open_on=today.replace(year=today.year - 1),
        applications_close_on=today.replace(year=today.year - 1),
    )
    client.force_login(applicant)

    body = client.get(reverse("program_detail", args=[program.slug])).content.decode()

    assert "Apply as a" not in body


def test_program_page_queries_do_not_grow_with_a_persons_applications(client, cycle, applicant):
    client.force_login(applicant)
    url = reverse("program_detail", args=[cycle.program.slug])
    ApplicationFactory(cycle=cycle, applicant=applicant)
    few = queries(client, url)

    ApplicationFactory(cycle=cycle, applicant=applicant, mentor=True)
    for _ in range(3):
        ApplicationFactory(applicant=applicant)

    assert queries(client, url) == few
