"""``|lean_field`` writes each field as crispy-forms' Bootstrap 5 pack does (crispy's own
``|as_crispy_field`` is the reference), for every field of the application form, blank,
filled in and with errors, in English and in Spanish; and for the kinds of widget the
form does not use yet (a required field, options in groups, several choosable)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from applications.forms import ApplicationForm
from mentoring.templatetags.fields import lean_field
from tests.factories import ConferenceFactory, InterestFactory, ProgramFactory

pytestmark = pytest.mark.django_db

CRISPY = engines["django"].from_string("{% load crispy_forms_filters %}{{ field|as_crispy_field }}")


def markup(html: str) -> str:
    """The markup without the whitespace crispy's templates leave between tags and
    around a label's text."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


def assert_as_crispy(form: forms.Form) -> None:
    for name in form.fields:
        ours, crispys = lean_field(form[name]), CRISPY.render({"field": form[name]})
        assert markup(ours) == markup(crispys), name


@pytest.fixture
def program():
    program = ProgramFactory(short_name="ALCTS", slug="alcts-test")
    InterestFactory(program=program, kind="competency", name="Cataloging & <metadata>")
    InterestFactory(program=program, kind="topic", name="Preservation")
    ConferenceFactory(program=program, name="ALA Annual")
    ConferenceFactory(program=program, name="Core Forum")
    return program


def answers(program) -> dict:
    interest = str(program.interests.first().pk)
    return {
        "full_name": 'Ana "O\'Brien" <b>',
        "state": "OK",
        "time_zone": "Pacific/Chatham",  # outside the usual list: added to the choices
        "library_type": "public",
        "membership": "member",
        "interests": [interest],
        "communication_methods": ["email", "video"],
        "conferences": [str(program.conferences.first().pk)],
        "in_person_ok": True,
        "hopes": "Line one\r\n<line two> & more",
        "mentee_capacity": 2,
    }


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_every_field_of_a_blank_form_is_written_as_crispy_writes_it(program, role, language):
    with translation.override(language):
        assert_as_crispy(ApplicationForm(program=program, role=role, initial={"country": "US"}))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_a_saved_draft_s_answers_are_written_as_crispy_writes_them(program, role, language):
    with translation.override(language):
        assert_as_crispy(ApplicationForm(program=program, role=role, initial=answers(program)))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_errors_and_what_was_typed_are_written_as_crispy_writes_them(program, role, language):
    posted = {
        **answers(program),
        "years_experience": "many",
        "state": "ZZ",
        "interests": ["0"],
        "mentee_capacity": "9",
        "library_type": "castle",
        "communication_methods": ["email", "pigeon"],
    }
    with translation.override(language):
        form = ApplicationForm(posted, program=program, role=role)
        assert not form.is_valid()
        form.add_service_errors(
            forms.ValidationError({"hopes": ["Say more."], "full_name": ["<Enter> it."]})
        )
        assert_as_crispy(form)


class EveryKind(forms.Form):
    """Widgets the application form does not use (yet), each kind once."""

    title = forms.CharField(help_text="With a <a href='/x'>link</a>.")
    grouped = forms.ChoiceField(
        choices=[("", "Choose…"), ("North", [("n1", "One"), ("n2", "Two & a half")]), ("x", "X")]
    )
    several = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B"), ("c", "C")], widget=forms.SelectMultiple
    )
    grouped_radios = forms.ChoiceField(
        choices=[("G", [("g1", "G one"), ("g2", "G two")]), ("h", "H")], widget=forms.RadioSelect
    )
    styled_radios = forms.ChoiceField(
        choices=[("p", "P"), ("q", "Q")],
        required=False,
        widget=forms.RadioSelect(attrs={"data-kind": "<radio>", "class": "inline"}),
    )
    own_id = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two")],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"id": "chosen"}),
    )
    agree = forms.BooleanField()
    note = forms.CharField(widget=forms.Textarea, required=False, disabled=True)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "title": "<t>",
            "grouped": "n2",
            "several": ["a", "c"],
            "grouped_radios": "g2",
            "agree": "on",
            "styled_radios": "q",
            "own_id": ["2"],
        },
        {"grouped": "nope", "several": ["z"], "grouped_radios": "x"},
    ],
    ids=["blank", "filled in", "with errors"],
)
def test_required_grouped_and_multiple_choice_fields_are_written_as_crispy_writes_them(data):
    form = EveryKind(data)
    form.is_valid()
    assert_as_crispy(form)


def test_only_the_first_option_of_a_single_choice_with_the_value_is_selected():
    class Twice(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A"), ("G", [("a", "A again")])])

    html = str(lean_field(Twice({"pick": "a"})["pick"]))
    assert html.count(" selected") == 1
    assert markup(html) == markup(CRISPY.render({"field": Twice({"pick": "a"})["pick"]}))


def test_a_time_zone_outside_the_list_is_offered_to_that_form_only(program):
    unusual = ApplicationForm(
        program=program, role="mentee", initial={"time_zone": "Asia/Kathmandu"}
    )
    usual = ApplicationForm(program=program, role="mentee")

    assert "Asia/Kathmandu" in str(lean_field(unusual["time_zone"]))
    assert "Asia/Kathmandu" not in str(lean_field(usual["time_zone"]))
    assert "Asia/Kathmandu" not in dict(ApplicationForm.base_fields["time_zone"].choices)
    # The long lists are shared by the forms' copies of their fields, not copied.
    assert usual.fields["state"].choices is ApplicationForm.base_fields["state"].choices


def test_labels_and_help_texts_are_in_the_language_the_form_was_made_in(program):
    with translation.override("es"):
        spanish = ApplicationForm(program=program, role="mentee")
        expected = str(ApplicationForm.base_fields["full_name"].label)
    with translation.override("en"):
        assert str(lean_field(spanish["full_name"])).count(expected) == 1
        assert expected != str(ApplicationForm.base_fields["full_name"].label)
