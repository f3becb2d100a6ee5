"""A participant answers a survey from their own link: the last answer counts, an answer
outside the scale is refused beside its question with everything else kept, and nobody
else (the partner included) opens the link or sees the answers."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import Answer, Invitation, Question, Survey
from tests.factories import (
    InvitationFactory,
    MatchFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(cycle):
    return MatchFactory(cycle=cycle)


@pytest.fixture
def survey(cycle, objectives):
    survey = SurveyFactory(cycle=cycle, title="Mid-year pulse")
    QuestionFactory(survey=survey, position=1, objective=objectives[0], text="I feel confident.")
    QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.CHOICE, text="How often do you talk?"
    )
    QuestionFactory(
        survey=survey,
        position=3,
        kind=Question.Kind.TEXT,
        text="What would help?",
        required=False,
    )
    return survey


@pytest.fixture
def invitation(survey, match):
    return InvitationFactory(survey=survey, person=match.mentee.applicant, role="mentee")


def url(invitation) -> str:
    return reverse("evaluation:answer", kwargs={"token": invitation.token})


def post_data(survey, scale="4", choice="Every month", text="More webinars.", named="no"):
    scale_q, choice_q, text_q = survey.questions.order_by("position")
    return {
        f"q{scale_q.pk}": scale,
        f"q{choice_q.pk}": choice,
        f"q{text_q.pk}": text,
        "named": named,
    }


def answers(invitation) -> dict[str, str]:
    return {a.question.text: a.shown for a in invitation.answers.select_related("question")}


def test_the_personal_link_opens_the_survey_without_signing_in(client, invitation):
    response = client.get(url(invitation))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Mid-year pulse</h1>" in body
    assert "I feel confident." in body and "What would help? (optional)" in body
    assert "Your mentor never sees your answers." in body
    assert "May the committee read your answers with your name?" in body


def test_answering_records_the_answers_and_thanks_the_person(client, invitation, survey):
    response = client.post(url(invitation), post_data(survey, named="yes"))

    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:thanks", args=[invitation.token])
    invitation.refresh_from_db()
    assert invitation.answered_at is not None and invitation.named is True
    assert answers(invitation) == {
        "I feel confident.": "4",
        "How often do you talk?": "Every month",
        "What would help?": "More webinars.",
    }
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you" in thanks and "More webinars." in thanks


def test_a_survey_answered_twice_keeps_the_last_answer(client, invitation, survey):
    client.post(url(invitation), post_data(survey, scale="2", text="More webinars."))
    invitation.refresh_from_db()
    first_answered = invitation.answered_at

    page = client.get(url(invitation)).content.decode()
    assert "Your answers are filled in below" in page
    assert re.search(r'name="q\d+" value="2"[^>]*checked', page)
    client.post(url(invitation), post_data(survey, scale="5", choice="Every week", text=""))

    invitation.refresh_from_db()
    assert answers(invitation) == {"I feel confident.": "5", "How often do you talk?": "Every week"}
    assert Answer.objects.filter(invitation=invitation).count() == 2
    assert invitation.answered_at == first_answered
    assert invitation.updated_at > first_answered


def test_an_answer_outside_the_scale_is_refused_beside_the_question_and_nothing_is_lost(
    client, invitation, survey
):
    scale_q = survey.questions.get(position=1)

    response = client.post(
        url(invitation), post_data(survey, scale="6", text="Keep the networking session.")
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose a number from 1 to 5: “6” is not on the scale." in body
    field = body.split(f'id="div_id_q{scale_q.pk}"')[1].split("</fieldset>")[0]
    assert "is not on the scale" in field  # beside its own question
    assert "Keep the networking session.</textarea>" in body
    assert re.search(r'value="Every month"[^>]*checked', body)
    assert not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_a_required_question_left_blank_says_so(client, invitation, survey):
    data = post_data(survey)
    data.pop(f"q{survey.questions.get(position=1).pk}")

    response = client.post(url(invitation), data)

    assert response.status_code == 400
    assert "Choose a number from 1 to 5." in response.content.decode()


def test_the_service_refuses_an_answer_off_the_scale_whatever_the_form(invitation, survey):
    scale_q = survey.questions.get(position=1)

    with pytest.raises(ValidationError) as caught:
        services.survey_answer(invitation=invitation, answers={scale_q.pk: 7}, named=False)

    assert "is not on the scale" in caught.value.message_dict[f"q{scale_q.pk}"][0]
    assert not Answer.objects.exists()


def test_a_closed_survey_takes_no_more_answers(client, invitation, survey):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)

    page = client.get(url(invitation))
    client.post(url(invitation), post_data(survey))

    assert "This survey closed on" in page.content.decode()
    assert not Answer.objects.exists()


# --- Who opens what -----------------------------------------------------------------------


def test_an_unknown_link_is_a_404(client, invitation):
    response = client.get(reverse("evaluation:answer", kwargs={"token": "not-a-real-token"}))

    assert response.status_code == 404


def test_signed_in_as_someone_else_the_link_is_a_404(client, invitation, survey):
    client.force_login(UserFactory())

    assert client.get(url(invitation)).status_code == 404
    assert client.post(url(invitation), post_data(survey)).status_code == 404
    assert not Answer.objects.exists()


def test_the_partner_never_sees_the_answers(client, invitation, survey, match):
    client.post(url(invitation), post_data(survey, text="My mentor cancels our calls."))
    mentor = match.mentor.applicant
    partners = InvitationFactory(survey=survey, person=mentor, role="mentor")
    client.force_login(mentor)

    assert client.get(url(invitation)).status_code == 404
    assert client.get(reverse("evaluation:thanks", args=[invitation.token])).status_code == 404
    for page in [
        url(partners),
        reverse("evaluation:mine"),
        reverse("matches:detail", args=[match.pk]),
        reverse("my_mentoring"),
    ]:
        response = client.get(page)
        assert response.status_code == 200
        assert "My mentor cancels our calls." not in response.content.decode()


def test_my_surveys_lists_only_the_persons_own_invitations(client, invitation, survey):
    someone_else = InvitationFactory(survey=SurveyFactory(cycle=survey.cycle, title="Other one"))
    client.force_login(invitation.person)

    body = client.get(reverse("evaluation:mine")).content.decode()

    assert url(invitation) in body and "Mid-year pulse" in body
    assert url(someone_else) not in body and "Other one" not in body


def test_my_surveys_asks_to_sign_in(client):
    response = client.get(reverse("evaluation:mine"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_erased_persons_link_no_longer_opens(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(person=None)

    assert client.get(url(invitation)).status_code == 404
