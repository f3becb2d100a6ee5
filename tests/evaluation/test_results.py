"""Survey results: per objective, by role, the mean, distribution, count and response
rate; small groups kept confidential; named answers only of those who agreed; the CSV;
and only staff allowed to see results see them."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Question
from evaluation.results import survey_results
from tests.factories import (
    AnswerFactory,
    InvitationFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(cycle, objectives):
    survey = SurveyFactory(cycle=cycle, title="End-of-program evaluation")
    confident = QuestionFactory(
        survey=survey, position=1, objective=objectives[0], text="I feel confident."
    )
    skills = QuestionFactory(
        survey=survey, position=2, objective=objectives[0], text="I learned skills."
    )
    connected = QuestionFactory(
        survey=survey, position=3, objective=objectives[1], text="I made connections."
    )
    often = QuestionFactory(
        survey=survey,
        position=4,
        kind=Question.Kind.CHOICE,
        objective=objectives[1],
        text="How often did you talk?",
    )
    comment = QuestionFactory(
        survey=survey, position=5, kind=Question.Kind.TEXT, text="What would you change?"
    )
    survey.q = {
        "confident": confident,
        "skills": skills,
        "connected": connected,
        "often": often,
        "comment": comment,
    }
    return survey


def respond(survey, role: str, values: dict, *, named: bool = False, person=None):
    """One person's answers (question key -> value)."""
    extra = {"person": person} if person else {}
    invitation = InvitationFactory(
        survey=survey, role=role, named=named, answered_at=timezone.now(), **extra
    )
    for key, value in values.items():
        question = survey.q[key]
        field = {"scale": "number", "choice": "choice", "text": "text"}[question.kind]
        AnswerFactory(invitation=invitation, question=question, **{"number": None, field: value})
    return invitation


@pytest.fixture
def answered(survey):
    """Four mentees and three mentors answered; two mentees and one mentor did not."""
    mentees = [
        {"confident": 5, "skills": 4, "connected": 3, "often": "Every week"},
        {"confident": 4, "skills": 4, "connected": 4, "often": "Every month", "comment": "More."},
        {"confident": 2, "skills": 3, "connected": 5, "often": "Every week"},
        {"confident": 5, "connected": 4, "often": "Less often"},
    ]
    mentors = [
        {"confident": 3, "skills": 3, "connected": 5, "often": "Every week"},
        {"confident": 4, "skills": 5, "connected": 5, "often": "Every week"},
        {"confident": 5, "skills": 4, "connected": 4, "often": "Every month"},
    ]
    people = [respond(survey, "mentee", values) for values in mentees]
    people += [respond(survey, "mentor", values) for values in mentors]
    InvitationFactory.create_batch(2, survey=survey, role="mentee")
    InvitationFactory(survey=survey, role="mentor")
    return people


def test_results_per_objective_by_role(survey, answered, objectives):
    results = survey_results(survey)

    assert results.invited == {"mentee": 6, "mentor": 4, "all": 10}
    assert results.answered == {"mentee": 4, "mentor": 3, "all": 7}
    assert results.response_rate["all"] == pytest.approx(0.7)
    first, second, untagged = results.objectives
    assert (first.objective, second.objective, untagged.objective) == (*objectives, None)

    # Objective 1: "confident" and "skills" combined.
    assert first.scale["mentee"].count == 7
    assert first.scale["mentee"].mean == pytest.approx((5 + 4 + 2 + 5 + 4 + 4 + 3) / 7)
    assert dict(first.scale["mentee"].distribution) == {"1": 0, "2": 1, "3": 1, "4": 3, "5": 2}
    assert first.scale["mentor"].mean == pytest.approx((3 + 4 + 5 + 3 + 5 + 4) / 6)
    assert first.scale["all"].count == 13
    assert first.respondents == {"mentee": 4, "mentor": 3, "all": 7}
    assert first.response_rate["mentee"] == pytest.approx(4 / 6)
    assert first.response_rate["mentor"] == pytest.approx(3 / 4)

    confident = first.questions[0].stats
    assert confident["mentee"].mean == pytest.approx(4.0)
    assert confident["mentor"].mean == pytest.approx(4.0)
    assert confident["all"].count == 7
    skills = first.questions[1].stats
    assert skills["mentee"].count == 3  # one mentee skipped it

    # Objective 2: a choice question's distribution, in the order of its choices.
    often = second.questions[1].stats
    assert dict(often["all"].distribution) == {
        "Every week": 4,
        "Every month": 2,
        "Less often": 1,
    }
    assert often["all"].mean is None
    assert untagged.label == "Not tied to an objective"
    assert untagged.questions[0].stats["mentee"].count == 1


def test_a_group_of_fewer_than_three_is_a_count_only_and_cannot_be_subtracted(survey):
    for value in (4, 5, 3, 4):
        respond(survey, "mentee", {"confident": value})
    respond(survey, "mentor", {"confident": 1})

    stats = survey_results(survey).objectives[0].questions[0].stats

    assert stats["mentee"].shown and stats["mentee"].mean == pytest.approx(4.0)
    assert stats["mentor"].hidden and stats["mentor"].count == 1
    assert stats["mentor"].mean is None and stats["mentor"].distribution == ()
    # Everyone minus the mentees would be the one mentor's answer: not shown either.
    assert stats["all"].hidden and stats["all"].count == 5


def test_individual_answers_are_given_only_for_people_who_agreed_to_be_named(survey):
    named = UserFactory(full_name="Nadia Named")
    respond(survey, "mentee", {"confident": 5, "comment": "Loved it."}, named=True, person=named)
    respond(survey, "mentee", {"confident": 2, "comment": "My mentor never answered."})

    results = survey_results(survey)

    assert [n.name for n in results.named] == ["Nadia Named"]
    assert [a.shown for a in results.named[0].answers] == ["5", "Loved it."]


def test_the_results_page_shows_aggregates_and_named_answers_only(staff_client, survey, answered):
    named = UserFactory(full_name="Nadia Named")
    respond(survey, "mentee", {"comment": "Loved the forum."}, named=True, person=named)
    respond(survey, "mentee", {"comment": "My mentor never answered."})

    response = staff_client.get(reverse("admin:evaluation_survey_results", args=[survey.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Objective 1: Build skills and confidence" in body
    assert "Nadia Named" in body and "Loved the forum." in body
    assert "My mentor never answered." not in body
    assert "<title" in body  # the chart


def test_the_results_csv_has_a_row_per_objective_question_and_role(staff_client, survey, answered):
    response = staff_client.get(reverse("admin:evaluation_survey_results_csv", args=[survey.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == [
        "Objective",
        "Question",
        "Kind",
        "Role",
        "Invited",
        "Answered",
        "Response rate",
        "Mean",
        "Distribution",
    ]
    by_key = {(r[0], r[1], r[3]): r for r in rows[1:]}
    combined = by_key[
        ("Build skills and confidence", "All 1-5 questions of the objective", "Mentees")
    ]
    assert combined[4:] == ["6", "7", "67%", "3.86", "1: 0; 2: 1; 3: 1; 4: 3; 5: 2"]
    confident = by_key[("Build skills and confidence", "I feel confident.", "Mentors")]
    assert confident[4:8] == ["4", "3", "75%", "4.00"]
    often = by_key[("Encourage connections", "How often did you talk?", "Everyone")]
    assert often[8] == "Every week: 4; Every month: 2; Less often: 1"
    # 5 questions x 3 roles, and 2 objectives' combined rows x 3 roles.
    assert len(rows) == 1 + 15 + 6


def test_the_named_answers_csv_lists_only_those_who_agreed(staff_client, survey, answered):
    named = UserFactory(full_name="Nadia Named", email="nadia@example.org")
    respond(survey, "mentor", {"confident": 5, "comment": "Great year."}, named=True, person=named)

    response = staff_client.get(reverse("admin:evaluation_survey_named_csv", args=[survey.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[1:] == [
        [
            "Nadia Named",
            "nadia@example.org",
            "Mentor",
            "I feel confident.",
            "Build skills and confidence",
            "5",
        ],
        ["Nadia Named", "nadia@example.org", "Mentor", "What would you change?", "", "Great year."],
    ]


@pytest.mark.parametrize("name", ["results", "results_csv", "named_csv"])
def test_only_staff_allowed_to_see_results_see_them(client, survey, answered, name):
    url = reverse(f"admin:evaluation_survey_{name}", args=[survey.pk])

    assert client.get(url).status_code == 302  # to sign in
    participant = answered[0].person
    client.force_login(participant)
    assert client.get(url).status_code == 302  # not staff: the admin's sign-in
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["view_survey", "change_survey"])
    )
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_survey_results"))
    client.force_login(UserFactory._meta.model.objects.get(pk=staff.pk))
    assert client.get(url).status_code == 200


def test_the_named_answers_csv_escapes_formulas(staff_client, survey, answered):
    named = UserFactory(full_name='=HYPERLINK("http://evil.example")', email="n@example.org")
    respond(survey, "mentor", {"comment": "-1+1 is zero"}, named=True, person=named)

    response = staff_client.get(reverse("admin:evaluation_survey_named_csv", args=[survey.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][-1] == "'-1+1 is zero"


def test_the_results_csv_is_in_the_language_of_the_staff_member_downloading(
    staff_client, staff, survey, answered
):
    staff.language = "es"  # the request's language is the account's
    staff.save(update_fields=["language"])

    response = staff_client.get(reverse("admin:evaluation_survey_results_csv", args=[survey.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == [
        "Objetivo",
        "Pregunta",
        "Tipo",
        "Rol",
        "Invitados",
        "Respondidas",
        "Tasa de respuesta",
        "Promedio",
        "Distribución",
    ]
    combined = [r for r in rows if r[1] == "Todas las preguntas de 1 a 5 del objetivo"]
    assert {r[2] for r in combined} == {"Escala del 1 al 5"}
    assert {r[3] for r in combined} == {"Mentorados", "Mentores", "Todos"}
    assert not {"Mentees", "Everyone", "Scale of 1 to 5"} & {c for r in rows for c in r}


def test_an_objective_of_one_question_counts_the_people_who_answered_it(
    cycle, objectives, django_assert_num_queries
):
    survey = SurveyFactory(cycle=cycle, title="Mid-year pulse")
    survey.q = {
        "confident": QuestionFactory(survey=survey, position=1, objective=objectives[0]),
        "often": QuestionFactory(
            survey=survey, position=2, kind=Question.Kind.CHOICE, objective=objectives[1]
        ),
    }
    for number in (5, 4, 2, 3):
        respond(survey, "mentee", {"confident": number, "often": "Every week"})
    respond(survey, "mentor", {"often": "Every month"})

    with django_assert_num_queries(4):  # no count of people apart: one answer per person
        results = survey_results(survey)

    confident, often = results.objectives
    assert confident.respondents == {"mentee": 4, "mentor": 0, "all": 4}
    assert confident.scale["mentee"].count == 4 and confident.scale["mentee"].shown
    assert often.respondents == {"mentee": 4, "mentor": 1, "all": 5}
