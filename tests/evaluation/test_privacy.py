"""A person's survey data: they download it; erasing their account anonymises it (the
1-5 and choice answers stay in the totals, the written ones and the link go)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from evaluation import privacy
from evaluation.models import Answer, Invitation, Question
from evaluation.results import survey_results
from mentoring.privacy import privacy_modules
from tests.factories import AnswerFactory, InvitationFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(cycle):
    survey = SurveyFactory(cycle=cycle, title="Mid-year pulse")
    scale = QuestionFactory(survey=survey, position=1, text="I feel confident.")
    comment = QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.TEXT, text="Anything else?"
    )
    invitation = InvitationFactory(survey=survey, named=True, answered_at=timezone.now())
    AnswerFactory(invitation=invitation, question=scale, number=4)
    AnswerFactory(
        invitation=invitation, question=comment, number=None, text="I am the only one in Tucson."
    )
    return invitation


def test_the_evaluation_is_one_of_the_privacy_modules():
    assert "evaluation" in dict(privacy_modules())


def test_a_person_downloads_their_invitations_and_answers(invitation):
    data = privacy.export_personal_data(invitation.person)

    (survey,) = data["surveys"]
    assert survey["survey"] == "Mid-year pulse"
    assert survey["agreed_to_be_named"] is True
    assert survey["answers"] == [
        {"question": "I feel confident.", "answer": "4"},
        {"question": "Anything else?", "answer": "I am the only one in Tucson."},
    ]
    json.dumps(data)  # serialisable as it is


def test_erasing_anonymises_the_answers_and_ends_the_link(client, invitation):
    person, survey = invitation.person, invitation.survey

    privacy.erase_personal_data(person)

    invitation.refresh_from_db()
    assert invitation.person is None and invitation.named is False
    assert list(Answer.objects.values_list("number", "text")) == [(4, "")]
    assert client.get(invitation.get_absolute_url()).status_code == 404
    results = survey_results(survey)
    assert results.answered["all"] == 1 and results.named == []
    assert privacy.export_personal_data(person) == {"surveys": []}
    assert Invitation.objects.count() == 1
