"""seed_demo: last year's ALSC cycle shows every chart and every reason a match can be at
risk, with survey answers; the current cycle has its two surveys; running it again
changes nothing."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from evaluation import demo, health, risk
from evaluation.models import Answer, Invitation, Survey
from goals.models import CheckIn
from mentoring.models import Cycle, Delivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def quiet(_):
    pass


@pytest.fixture
def seeded():
    call_command("load_program_content", stdout=io.StringIO())
    lines: list[str] = []
    demo.seed(log=lines.append)
    return lines


def past_cycle() -> Cycle:
    return Cycle.objects.filter(program__slug="alsc").order_by("starts_on").first()


def test_last_years_cycle_is_at_risk_for_every_reason_with_every_figure(seeded):
    cycle = past_cycle()
    report = health.program_health(health.cycle_for_health(cycle.pk))

    assert report.ended
    reasons = {code for item in report.at_risk for code in item.codes}
    assert reasons == set(risk.REASONS)
    assert [s.key for s in report.funnel.stages if s.mentees] == [
        "applied",
        "accepted",
        "matched",
        "agreed",
        "achieved",
    ]
    assert report.goal_sheets.overdue >= 1 and report.goal_sheets.agreed >= 10
    assert report.goal_sheets.points[-1].agreed == report.goal_sheets.agreed
    assert len(report.activity.months) == 8 and report.activity.check_ins > 50
    assert all(m.activities_total for m in report.activity.months)
    assert len(report.newsletters) == 7 and any(i.failed for i in report.newsletters)
    assert report.results is not None and report.results.any_answers
    assert len([o for o in report.results.objectives if o.objective]) == 7
    assert report.results.named


def test_the_demo_health_page_draws_every_chart(seeded, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:evaluation_programhealth_health", args=[past_cycle().pk]))

    body = response.content.decode()
    assert body.count('role="img"') == 8
    assert "No match is at risk." not in body


def test_the_current_cycle_gets_its_two_surveys_and_the_committee_may_read_results(seeded):
    current = Cycle.objects.get(
        program__slug="alsc", slug__endswith=str(past_cycle().ends_on.year + 1)
    )

    assert set(current.surveys.values_list("kind", flat=True)) == {
        Survey.Kind.MID_YEAR,
        Survey.Kind.END_OF_PROGRAM,
    }
    group = Group.objects.get(name="Coordinator")
    assert group.permissions.filter(codename="view_survey_results").exists()
    assert group.permissions.filter(codename="view_programhealth").exists()


def test_the_demo_runs_twice_without_adding_more(seeded):
    def counts():
        return [
            model.objects.count()
            for model in (Cycle, Survey, Invitation, Answer, CheckIn, Delivery)
        ]

    before = counts()
    demo.seed(log=quiet)

    assert counts() == before
