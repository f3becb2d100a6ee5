"""Surveys and program health in a real browser: a mentee answers from their own link,
meets an error beside a question with everything typed kept, answers again; the pages
pass axe, as do the committee's health and results pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import Answer, Question
from mentoring.models import Milestone
from tests.factories import (
    CheckInFactory,
    CycleFactory,
    GoalFactory,
    GoalSheetFactory,
    InvitationFactory,
    MatchFactory,
    MilestoneFactory,
    ObjectiveFactory,
    ProgramFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
)

from .conftest import assert_accessible, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cycle():
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
    return cycle


@pytest.fixture
def invitation(cycle):
    objective = ObjectiveFactory(program=cycle.program, text="Build skills and confidence")
    survey = SurveyFactory(cycle=cycle, title="Mid-year pulse")
    QuestionFactory(
        survey=survey, position=1, text="The program builds my confidence.", objective=objective
    )
    QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.CHOICE, text="How often do you talk?"
    )
    QuestionFactory(
        survey=survey,
        position=3,
        kind=Question.Kind.TEXT,
        text="What would help your match?",
        required=False,
    )
    match = MatchFactory(cycle=cycle, mentee__preferred_name="Maya")
    return InvitationFactory(survey=survey, person=match.mentee.applicant)


def test_a_mentee_answers_from_their_link_and_fixes_a_missed_question(page, invitation):
    page.goto(invitation.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Mid-year pulse")
    assert_accessible(page)

    page.get_by_label("Every month").check()
    by_label(page, "What would help your match? (optional)").fill("A webinar on writing goals.")
    page.get_by_role("button", name="Send my answers").click()

    # The scale question was missed: its message sits beside it; the rest is kept.
    expect(page.get_by_text("Some answers need another look")).to_be_visible()
    group = page.get_by_role("group", name=re.compile("The program builds my confidence"))
    expect(group.get_by_text("Choose a number from 1 to 5.")).to_be_visible()
    expect(page.get_by_label("Every month")).to_be_checked()
    expect(by_label(page, "What would help your match? (optional)")).to_have_value(
        "A webinar on writing goals."
    )
    assert_accessible(page)

    group.get_by_label("4").check()
    page.get_by_label("Yes: the committee may read my answers with my name").check()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_text("A webinar on writing goals.")).to_be_visible()
    assert_accessible(page)
    assert sorted(a.shown for a in Answer.objects.all()) == [
        "4",
        "A webinar on writing goals.",
        "Every month",
    ]

    # Answering again replaces the answers.
    page.get_by_role("link", name="change your answers").click()
    expect(group.get_by_label("4")).to_be_checked()
    group.get_by_label("5 (Strongly agree)").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert sorted(Answer.objects.values_list("number", flat=True), key=str) == [5, None, None]


def test_my_surveys_lists_the_persons_surveys(page, live_server, invitation):
    sign_in(page.context, live_server, invitation.person)

    page.goto("/surveys/")

    expect(page.get_by_role("link", name="Mid-year pulse")).to_be_visible()
    expect(page.get_by_text("Not answered yet")).to_be_visible()
    assert_accessible(page)


def test_the_committees_health_and_results_pages_pass_axe(page, live_server, invitation, cycle):
    match = MatchFactory(cycle=cycle)
    sheet = GoalSheetFactory(match=match, status="agreed", agreed_revision=1)
    CheckInFactory(goal=GoalFactory(sheet=sheet), on=cycle.program.today() - dt.timedelta(50))
    for value in (3, 4, 5):
        person_invitation = InvitationFactory(survey=invitation.survey, answered_at=timezone.now())
        Answer.objects.create(
            invitation=person_invitation,
            question=invitation.survey.questions.get(position=1),
            number=value,
        )
    sign_in(page.context, live_server, UserFactory(is_staff=True, is_superuser=True))

    page.goto(f"/admin/evaluation/programhealth/{cycle.pk}/health/")
    expect(page.get_by_role("img", name="From application to achieved goals")).to_be_visible()
    expect(page.get_by_role("heading", name="Matches at risk", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto(f"/admin/evaluation/survey/{invitation.survey.pk}/results/")
    expect(
        page.get_by_role("heading", name=re.compile("Build skills and confidence"))
    ).to_be_visible()
    assert_accessible(page)
