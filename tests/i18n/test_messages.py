"""The messages of the services, forms and admin pages (not of templates) read in the
language of whoever sees them: a refusal, a broken rule, a survey's error."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from evaluation.forms import question_field
from evaluation.models import Question
from mentoring import services
from tests.factories import CycleFactory, verified_user

pytestmark = pytest.mark.django_db


def test_a_spanish_staff_member_is_refused_account_deletion_in_spanish(client):
    client.force_login(verified_user(is_staff=True, language="es"))

    page = client.get(reverse("my_account_delete")).content.decode()

    assert "Las cuentas del personal del comité no se pueden eliminar aquí" in page
    assert "Committee staff accounts" not in page


def test_a_service_s_broken_rule_reads_in_the_active_language():
    cycle = CycleFactory()

    with translation.override("es"), pytest.raises(ValidationError) as refused:
        services.cycle_copy(cycle=cycle, year=cycle.applications_open_on.year)

    assert "ya comienza en" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("language", "label", "required", "out_of_scale"),
    [
        ("en", "(optional)", "Choose a number from 1 to 5.", "“9” is not on the scale."),
        ("es", "(opcional)", "Elija un número del 1 al 5.", "«9» no está en la escala."),
    ],
)
def test_a_survey_question_s_label_and_errors_follow_the_language(
    language, label, required, out_of_scale
):
    question = Question(kind=Question.Kind.SCALE, text="Confident?", required=False)

    with translation.override(language):
        field = question_field(question)
        with pytest.raises(forms.ValidationError) as wrong:
            field.clean("9")
        assert str(field.label).endswith(label)
        assert str(field.error_messages["required"]) == required
        assert out_of_scale in wrong.value.messages[0]
