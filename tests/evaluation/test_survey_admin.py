"""Staff build a survey in admin: its questions tagged with the program's objectives,
scheduled or sent by an action (each through the services), fixed once sent; the lists
run a constant number of queries; nobody edits or deletes what people answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Invitation, Question, Survey
from tests.factories import (
    InvitationFactory,
    MatchFactory,
    ObjectiveFactory,
    QuestionFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:evaluation_survey_changelist")


def inline(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"questions-{i}-{key}"] = value
    return data


def question(text: str, **extra) -> dict:
    return {
        "position": "1",
        "kind": "scale",
        "text_en": text,
        "required": "on",
        "low_label_en": "Strongly disagree",
        "high_label_en": "Strongly agree",
        **extra,
    }


def test_staff_build_a_survey_with_questions_tagged_with_objectives(
    staff_client, cycle, today, objectives
):
    data = {
        "cycle": cycle.pk,
        "kind": "other",
        "title_en": "Spring check",
        "introduction_en": "Three questions.",
        "opens_on": (today + dt.timedelta(days=3)).isoformat(),
        "closes_on": (today + dt.timedelta(days=20)).isoformat(),
        **inline(
            [
                question("I feel confident.", objective=str(objectives[0].pk)),
                question(
                    "How often do you talk?",
                    position="2",
                    kind="choice",
                    choices_en="Weekly\nMonthly",
                    objective=str(objectives[1].pk),
                ),
                question("Anything else?", position="3", kind="text", required=""),
            ]
        ),
    }

    response = staff_client.post(reverse("admin:evaluation_survey_add"), data)

    assert response.status_code == 302, response.context["adminform"].errors
    survey = Survey.objects.get(title="Spring check")
    assert survey.status == Survey.Status.DRAFT
    assert [(q.kind, q.objective) for q in survey.questions.order_by("position")] == [
        ("scale", objectives[0]),
        ("choice", objectives[1]),
        ("text", None),
    ]


def test_a_choice_question_needs_choices_and_an_objective_of_the_program(
    staff_client, cycle, today
):
    other_programs = ObjectiveFactory()
    data = {
        "cycle": cycle.pk,
        "kind": "other",
        "title_en": "Spring check",
        "opens_on": today.isoformat(),
        "closes_on": today.isoformat(),
        **inline([question("Pick one", kind="choice", choices_en="Only one")]),
    }

    response = staff_client.post(reverse("admin:evaluation_survey_add"), data)

    assert response.status_code == 200
    assert "Give at least two choices, one per line." in response.content.decode()
    assert not Survey.objects.exists()
    page = staff_client.get(reverse("admin:evaluation_survey_add")).content.decode()
    assert str(other_programs.text) in page  # on a new survey every program's are offered


def test_a_second_mid_year_pulse_in_a_cycle_is_refused_beside_the_field(staff_client, cycle, today):
    SurveyFactory(cycle=cycle, kind=Survey.Kind.MID_YEAR)
    data = {
        "cycle": cycle.pk,
        "kind": "mid_year",
        "title_en": "Another pulse",
        "opens_on": today.isoformat(),
        "closes_on": today.isoformat(),
        **inline([]),
    }

    response = staff_client.post(reverse("admin:evaluation_survey_add"), data)

    assert response.status_code == 200
    assert "This cycle already has a survey of this kind" in response.content.decode()
    assert Survey.objects.filter(kind="mid_year").count() == 1


def test_the_send_now_action_invites_every_active_mentor_and_mentee(
    staff_client, cycle, django_capture_on_commit_callbacks
):
    survey = SurveyFactory(cycle=cycle, status=Survey.Status.DRAFT, opened_at=None)
    QuestionFactory(survey=survey)
    match = MatchFactory(cycle=cycle)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            CHANGELIST, {"action": "send_now", ACTION_CHECKBOX_NAME: [survey.pk]}, follow=True
        )

    assert "2 invitations sent." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [match.mentee.applicant.email, match.mentor.applicant.email]
    )


def test_the_schedule_action_refuses_a_survey_without_questions(staff_client, cycle):
    survey = SurveyFactory(cycle=cycle, status=Survey.Status.DRAFT, opened_at=None)

    response = staff_client.post(
        CHANGELIST, {"action": "schedule_selected", ACTION_CHECKBOX_NAME: [survey.pk]}, follow=True
    )

    assert "Add at least one question first." in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_the_questions_of_a_sent_survey_are_fixed_and_it_cannot_be_deleted(staff_client, cycle):
    survey = SurveyFactory(cycle=cycle)
    QuestionFactory(survey=survey, text="I feel confident.")

    page = staff_client.get(reverse("admin:evaluation_survey_change", args=[survey.pk]))

    body = page.content.decode()
    assert "The questions are fixed now that the survey was sent" in body
    assert 'name="questions-0-text"' not in body and "I feel confident." in body
    delete = staff_client.get(reverse("admin:evaluation_survey_delete", args=[survey.pk]))
    assert delete.status_code == 403


def test_the_survey_and_invitation_lists_run_a_constant_number_of_queries(staff_client, cycle):
    def grow(n):
        for _ in range(n):
            survey = SurveyFactory(cycle=cycle)
            QuestionFactory(survey=survey)
            InvitationFactory.create_batch(2, survey=survey)

    def count(url):
        staff_client.get(url)  # the shared content cache warm, as a site runs
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    invitations = reverse("admin:evaluation_invitation_changelist")
    grow(2)
    few = count(CHANGELIST), count(invitations)
    grow(10)
    assert (count(CHANGELIST), count(invitations)) == few
    assert Invitation.objects.count() == 24


def test_the_invitations_list_never_shows_answers_or_links(staff_client, cycle):
    invitation = InvitationFactory(survey=SurveyFactory(cycle=cycle))

    body = staff_client.get(reverse("admin:evaluation_invitation_changelist")).content.decode()
    detail = staff_client.get(
        reverse("admin:evaluation_invitation_change", args=[invitation.pk])
    ).content.decode()

    assert invitation.person.email in body
    assert invitation.token not in body + detail


def test_the_preview_shows_the_survey_as_participants_see_it(staff_client, cycle):
    survey = SurveyFactory(cycle=cycle, title="Spring check")
    QuestionFactory(survey=survey, kind=Question.Kind.SCALE, text="I feel confident.")

    body = staff_client.get(
        reverse("admin:evaluation_survey_preview", args=[survey.pk])
    ).content.decode()

    assert "Preview: this is the survey as a mentee sees it." in body
    assert "I feel confident." in body and "disabled" in body
