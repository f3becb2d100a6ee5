"""The survey form a participant fills in, built from the survey's questions. The rules
live in ``services.survey_answer``; the form checks the same ones first so each message
shows beside its question, with every other answer kept as typed."""

from __future__ import annotations

from typing import Any

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import SCALE, SCALE_MAX, SCALE_MIN, Answer, Question
from .services import REQUIRED_ERROR, SCALE_OUT_OF_RANGE, TEXT_MAX_LENGTH, field_name

NAMED_CHOICES = [
    ("no", _("No: count my answers only in the totals, without my name")),
    ("yes", _("Yes: the committee may read my answers with my name")),
]


def _scale_choices(question: Question) -> list[tuple[int, str]]:
    labels = {SCALE_MIN: question.low_label, SCALE_MAX: question.high_label}
    return [(n, f"{n} ({labels[n]})" if labels.get(n) else str(n)) for n in SCALE]


def _label(question: Question) -> str:
    if question.required:
        return question.text
    return gettext("%(question)s (optional)") % {"question": question.text}


def question_field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": _label(question),
        "required": question.required,
        "help_text": question.help_text,
        "error_messages": {"required": REQUIRED_ERROR[question.kind]},
    }
    if question.kind == Question.Kind.SCALE:
        return forms.TypedChoiceField(
            choices=_scale_choices(question),
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **{
                **common,
                "error_messages": {
                    **common["error_messages"],
                    "invalid_choice": SCALE_OUT_OF_RANGE,
                },
            },
        )
    if question.kind == Question.Kind.CHOICE:
        return forms.ChoiceField(
            choices=question.choice_pairs,
            widget=forms.RadioSelect,
            **{
                **common,
                "error_messages": {
                    **common["error_messages"],
                    "invalid_choice": _("Choose one of the answers listed."),
                },
            },
        )
    return forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        **common,
    )


class SurveyAnswerForm(forms.Form):
    named = forms.ChoiceField(
        label=_("May the committee read your answers with your name?"),
        choices=NAMED_CHOICES,
        initial="no",
        widget=forms.RadioSelect,
        help_text=_("Either way, your mentor or mentee never sees your answers."),
        error_messages={"required": _("Choose whether the committee may use your name.")},
    )

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        named = self.fields.pop("named")
        for question in questions:
            self.fields[field_name(question)] = question_field(question)
        self.fields["named"] = named
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[
                InlineRadios(field_name(q)) if q.is_scale else Field(field_name(q))
                for q in questions
            ],
            Field("named"),
        )

    @classmethod
    def initial_from(cls, answers: list[Answer], *, named: bool) -> dict[str, Any]:
        """The form's initial values: the person's last answers."""
        initial: dict[str, Any] = {"named": "yes" if named else "no"}
        for answer in answers:
            key = f"q{answer.question_id}"
            initial[key] = answer.number if answer.number is not None else answer.shown
        return initial

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}

    @property
    def named_value(self) -> bool:
        return self.cleaned_data.get("named") == "yes"

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                self.add_error(key if key in self.fields else None, errors)
        else:
            self.add_error(None, exc)
