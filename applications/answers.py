"""An application's answers as the applicant gave them, section by section, with the
form's own labels: for the confirmation email, the applicant's page and staff."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext, gettext_lazy

from .forms import ApplicationForm, membership_choices
from .geography import STATE_NAMES, TIME_ZONE_CHOICES
from .models import Application

NOT_ANSWERED = gettext_lazy("Not answered")
_TIME_ZONE_NAMES = dict(TIME_ZONE_CHOICES)


@dataclass(frozen=True)
class Answer:
    label: str
    value: str
    answered: bool
    multiline: bool = False

    @property
    def prompt(self) -> str:
        """The label as it leads an answer in plain text: “Country:”, “Are you a member?”."""
        return self.label if self.label.endswith("?") else f"{self.label}:"


@dataclass(frozen=True)
class AnswerSection:
    slug: str
    title: str
    answers: tuple[Answer, ...]


def _label(label: str) -> str:
    return str(label).removesuffix(" (optional)")


def _value(application: Application, name: str) -> str:
    value = getattr(application, name)
    if name == "state":
        return STATE_NAMES.get(value, value)
    if name == "time_zone":
        return _TIME_ZONE_NAMES.get(value, value.replace("_", " "))
    if name == "membership":
        return dict(membership_choices(application.cycle.program)).get(value, "")
    if name in ("interests", "conferences"):
        names = [str(item) for item in getattr(application, name).all()]
        if name == "conferences" and application.other_conferences:
            names.append(application.other_conferences)
        return "; ".join(names)
    if name == "communication_methods":
        labels = dict(Application.Communication.choices)
        # The labels are lazy (translated when read): made text before joining.
        return ", ".join(str(labels.get(code, code)) for code in value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value is None:
        return ""
    display = getattr(application, f"get_{name}_display", None)
    return str(display() if display else value)


def answer_sections(
    application: Application,
    *,
    include_private: bool = True,
    form: ApplicationForm | None = None,
) -> list[AnswerSection]:
    """The answers of ``application`` in the form's sections. The private identity answer
    is included only with ``include_private`` and only when it matters (a funding
    request). ``form``: an unbound form of the same program and role, for a caller going
    through many applications (building one queries the program's choices)."""
    if form is None:
        form = ApplicationForm(program=application.cycle.program, role=application.role)
    sections = []
    for section, fields in form.sections():
        answers = []
        for bound in fields:
            name = bound.name
            if name == "other_conferences":
                continue  # shown with the conferences
            if name == "funding_requested" and application.membership == "member":
                continue
            if name == "bipoc_identity" and not (include_private and application.funding_requested):
                continue
            value = _value(application, name)
            label = _label(bound.label)
            if name == "bipoc_identity":
                label = f"{label} (private)"
            answers.append(
                Answer(
                    label=label,
                    value=value or NOT_ANSWERED,
                    answered=bool(value),
                    multiline=isinstance(bound.field.widget, forms.Textarea),
                )
            )
        sections.append(AnswerSection(section.slug, section.title, tuple(answers)))
    return sections
