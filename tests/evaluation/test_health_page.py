"""The “Program health” page in admin: who may open it, where it is linked from, what a
committee member reads there (charts with titles and tables), and its cost."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Survey
from goals.models import Goal
from mentoring.models import Delivery
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    AnswerFactory,
    CategoryFactory,
    CheckInFactory,
    InvitationFactory,
    MatchFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
)

from .conftest import agreed_match, confirmed, days_ago

pytestmark = pytest.mark.django_db


def page_url(cycle) -> str:
    return reverse("admin:evaluation_programhealth_health", args=[cycle.pk])


def staff_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="evaluation", codename__in=codenames)
    )
    return user


def cohort(cycle, today, n: int, objectives=()) -> None:
    """``n`` matches of every kind: quiet, bouncing, late goals, no sheet; activities,
    newsletters and survey answers."""
    activity = ActivityFactory(category=CategoryFactory(program=cycle.program, name="Interviews"))
    survey = cycle.surveys.first() or SurveyFactory(cycle=cycle, title="Mid-year pulse")
    question = survey.questions.first() or QuestionFactory(
        survey=survey, objective=objectives[0] if objectives else None
    )
    for i in range(n):
        match = agreed_match(cycle, today, goals=2)
        for goal in match.goal_sheet.goals.all():
            CheckInFactory(goal=goal, on=days_ago(today, 50))
        Goal.objects.filter(sheet__match=match, position=1).update(target_date=days_ago(today, 5))
        ActivityLogEntryFactory(match=match, activity=activity, on=days_ago(today, 55))
        Delivery.objects.create(
            message_key=f"newsletter:{i % 3}",
            kind="newsletter.issue",
            recipient=match.mentor.applicant,
            to_email=match.mentor.applicant.email,
            subject=f"Issue {i % 3}",
            status="failed" if i % 2 else "sent",
        )
        MatchFactory(cycle=cycle, **confirmed(cycle, today))
        for person in (match.mentee.applicant, match.mentor.applicant):
            role = "mentee" if person == match.mentee.applicant else "mentor"
            invitation = InvitationFactory(survey=survey, person=person, role=role)
            AnswerFactory(invitation=invitation, question=question, number=1 + i % 5)
            invitation.answered_at = timezone.now()
            invitation.save()


def count_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_page_runs_a_constant_number_of_queries_however_large_the_cycle(
    staff_client, cycle, today, objectives
):
    cohort(cycle, today, 3, objectives)
    few, _ = count_queries(staff_client, page_url(cycle))

    cohort(cycle, today, 15, objectives)
    many, response = count_queries(staff_client, page_url(cycle))

    assert many == few
    assert len(response.context["report"].at_risk) == 36
    assert response.context["report"].results.answered["all"] == 36


def test_a_committee_member_reads_every_section_with_charts_and_tables(
    staff_client, cycle, today, objectives
):
    cohort(cycle, today, 4, objectives)

    response = staff_client.get(page_url(cycle))
    body = response.content.decode()

    assert response.status_code == 200
    for heading in [
        "Funnel: from application to achieved goals",
        "Goal sheets",
        "Activity: check-ins and activities per month",
        "Meetings: hours per match",
        "Matches at risk",
        "Newsletter delivery per issue",
        "Surveys and results per objective",
    ]:
        assert heading in body
    charts = re.findall(r'<svg [^>]*role="img"[^>]*aria-labelledby="([\w-]+)-title', body)
    assert charts == [
        "chart-funnel",
        "chart-sheet-states",
        "chart-sheet-timeline",
        "chart-activity",
        "chart-meeting-hours",
        "chart-at-risk",
        "chart-newsletters",
        "chart-results",
    ]
    for chart in charts:
        assert f'<title id="{chart}-title">' in body and f'<desc id="{chart}-desc">' in body
    assert body.count("<table") >= 9  # a text table behind every chart
    assert 'style="' not in body.split('<div id="content-main"')[1]
    assert "No goal sheet past the due date" in body
    assert "Build skills and confidence" in body  # results per objective
    assert "<caption>People at each stage</caption>" in body


def test_each_match_at_risk_links_to_where_to_look(staff_client, cycle, today):
    quiet = agreed_match(cycle, today)

    response = staff_client.get(page_url(cycle))

    item = response.context["report"].at_risk[0]
    assert item.match == quiet
    assert f'href="{item.url}"' in response.content.decode()
    for reason in item.reasons:
        assert staff_client.get(reason.url).status_code == 200


def test_the_page_is_linked_from_the_admin_index_and_the_cycles_page(staff_client, cycle):
    index = staff_client.get(reverse("admin:index")).content.decode()
    changelist_url = reverse("admin:evaluation_programhealth_changelist")
    assert f'href="{changelist_url}"' in index
    assert ">Program health<" in index

    listing = staff_client.get(changelist_url).content.decode()
    assert f'href="{page_url(cycle)}"' in listing

    cycle_page = staff_client.get(reverse("admin:mentoring_cycle_change", args=[cycle.pk]))
    assert f'href="{page_url(cycle)}"' in cycle_page.content.decode()


def test_only_staff_open_the_health_page(client, cycle):
    url = page_url(cycle)

    assert client.get(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=True))  # staff without the permission
    assert client.get(url).status_code == 403


def test_staff_who_may_not_see_results_see_the_health_page_without_them(
    client, cycle, today, objectives
):
    cohort(cycle, today, 3, objectives)
    client.force_login(staff_with("view_programhealth"))

    response = client.get(page_url(cycle))

    assert response.status_code == 200
    assert response.context["report"].results is None
    body = response.content.decode()
    assert "results per objective" not in body and "Mid-year pulse" in body

    client.force_login(staff_with("view_programhealth", "view_survey_results"))
    assert client.get(page_url(cycle)).context["report"].results is not None


def test_a_cycle_that_has_not_started_has_an_empty_page_not_an_error(staff_client, program):
    from tests.factories import CycleFactory

    cycle = CycleFactory(program=program)  # applications open; the program year is ahead

    response = staff_client.get(page_url(cycle))

    assert response.status_code == 200
    assert "has not started yet" in response.content.decode()
    assert response.context["report"].at_risk == []


def test_staff_create_the_default_surveys_from_the_page(staff_client, cycle, objectives):
    response = staff_client.get(page_url(cycle))
    assert "Create the default surveys" in response.content.decode()

    response = staff_client.post(
        reverse("admin:evaluation_programhealth_default_surveys", args=[cycle.pk]), follow=True
    )

    assert set(cycle.surveys.values_list("kind", flat=True)) == {
        Survey.Kind.MID_YEAR,
        Survey.Kind.END_OF_PROGRAM,
    }
    assert "Create the default surveys" not in response.content.decode()


def test_the_survey_shown_is_the_one_asked_for(staff_client, cycle, today, objectives):
    cohort(cycle, today, 3, objectives)
    other = SurveyFactory(cycle=cycle, title="Spring check", opens_on=today - dt.timedelta(days=1))

    default = staff_client.get(page_url(cycle)).context["report"].results
    asked = staff_client.get(page_url(cycle), {"survey": other.pk}).context["report"].results

    assert default.survey.title == "Mid-year pulse"  # the latest survey with answers
    assert asked.survey == other
