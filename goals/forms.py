"""Forms of the goal sheet pages. The rules live in models.py and services.py; the
forms check the same ones early so each message appears beside its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Interest
from mentoring.dates import long_date
from mentoring.limits import PROSE_MAX_LENGTH
from mentoring.models import Cycle

from .models import (
    MAX_GOALS,
    MIN_GOALS,
    SMART_FIELDS,
    CheckIn,
    ExampleGoal,
    Goal,
)
from .progress import REFLECTION_MAX_LENGTH
from .services import COMMENT_MAX_LENGTH, GoalInput
from .validation import TOO_FEW_GOALS, TOO_MANY_GOALS, goal_errors


def _day(day: dt.date) -> str:
    return long_date(day)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class GoalForm(forms.Form):
    """One goal of the draft, its SMART parts as separate fields."""

    goal_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    example = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text=_("A short name for the goal, in your own words."),
    )
    specific = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        widget=_textarea(),
        help_text=_("What exactly will you do or learn? Name the project, skill or topic."),
    )
    measurable = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        widget=_textarea(),
        help_text=_("How will you know you got there? A number, something you make, an event."),
    )
    achievable = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        widget=_textarea(),
        help_text=_(
            "What support or resources does it need: from the mentor, a library, the program?"
        ),
    )
    relevant = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        widget=_textarea(),
        help_text=_("Why does it matter to the mentee's work and career?"),
    )
    target_date = forms.DateField(
        label=_("Target date (time-bound)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    competency_areas = forms.ModelMultipleChoiceField(
        label=_("Competency areas (optional)"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The competency areas this goal develops."),
    )

    def __init__(
        self, *args, cycle: Cycle, competencies: list[Interest], complete: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.complete = complete
        self.fields["target_date"].help_text = gettext(
            "By when? A day from %(start)s to %(end)s, the program's dates."
        ) % {"start": _day(cycle.starts_on), "end": _day(cycle.ends_on)}
        if competencies:
            areas = self.fields["competency_areas"]
            areas.queryset = Interest.objects.filter(pk__in=[c.pk for c in competencies])
            # The choices come from the list already loaded: no query per goal form.
            areas.choices = [(c.pk, c.name) for c in competencies]
        else:
            del self.fields["competency_areas"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = goal_errors(
            title=data.get("title") or "",
            parts={name: data.get(name) or "" for name in SMART_FIELDS},
            target_date=data.get("target_date"),
            cycle=self.cycle,
            complete=self.complete,
        )
        for name, message in errors.items():
            if name == "target_date" and "target_date" in self.errors:
                continue  # the date could not be read: that message says it already
            self.add_error(name, message)
        return data

    def to_input(self) -> GoalInput:
        data = self.cleaned_data
        areas = data.get("competency_areas") or []
        return GoalInput(
            title=data.get("title") or "",
            target_date=data.get("target_date"),
            competency_area_ids=[a.pk for a in areas],
            example_id=data.get("example"),
            goal_id=data.get("goal_id"),
            **{name: data.get(name) or "" for name in SMART_FIELDS},
        )


class BaseGoalFormSet(forms.BaseFormSet):
    """One to three goals; a goal can be removed by ticking its box."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext("Remove this goal")
            form.fields["DELETE"].help_text = gettext("It is removed when you save.")

    def kept_forms(self) -> list[GoalForm]:
        """The goals the person keeps: not removed, and not a blank goal left as it came."""
        kept = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.empty_permitted and not form.has_changed():
                continue
            kept.append(form)
        return kept

    def clean(self) -> None:
        kept = len(self.kept_forms())
        if kept < MIN_GOALS:
            raise ValidationError(TOO_FEW_GOALS, code="too_few")
        if kept > MAX_GOALS:
            raise ValidationError(TOO_MANY_GOALS, code="too_many")

    def to_inputs(self) -> list[GoalInput]:
        return [form.to_input() for form in self.kept_forms()]


GoalFormSet = forms.formset_factory(
    GoalForm,
    formset=BaseGoalFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_GOALS,
    absolute_max=10,
)

GOAL_FIELDS = ["goal_id", "example", "title", *SMART_FIELDS, "target_date", "competency_areas"]


def goal_initial(goal: Goal) -> dict[str, Any]:
    """A stored goal as the edit form's initial values."""
    return {
        "goal_id": goal.pk,
        "example": goal.example_id,
        "title": goal.title,
        **{name: getattr(goal, name) for name in SMART_FIELDS},
        "target_date": goal.target_date,
        "competency_areas": [area.pk for area in goal.competency_areas.all()],
    }


def example_initial(example: ExampleGoal) -> dict[str, Any]:
    """A new goal started from an example, for the partners to make specific."""
    return {
        "example": example.pk,
        "title": example.title,
        **{name: getattr(example, name) for name in SMART_FIELDS},
        "competency_areas": [area.pk for area in example.competency_areas.all()],
    }


def typed_goals(formset: BaseGoalFormSet) -> list[dict[str, Any]]:
    """Exactly what the person typed in each goal form (valid or not), so a page can be
    shown again with nothing lost."""
    typed = []
    for form in formset.forms:
        values = {name: form[name].value() for name in GOAL_FIELDS if name in form.fields}
        values["DELETE"] = bool(form["DELETE"].value()) if "DELETE" in form.fields else False
        typed.append(values)
    return typed


def formset_data(goals: list[dict[str, Any]], *, prefix: str) -> dict[str, Any]:
    """POST-like data for a goal formset with these values (for checking stored goals
    against the submission rules and showing each message beside its field)."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(goals)),
        f"{prefix}-INITIAL_FORMS": str(len(goals)),
    }
    for i, values in enumerate(goals):
        for name, value in values.items():
            key = f"{prefix}-{i}-{name}"
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, dt.date):
                data[key] = value.isoformat()
            elif name == "DELETE":
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = str(value)
    return data


class VersionForm(forms.Form):
    """The version of the sheet the page was made from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SendBackForm(VersionForm):
    comment = forms.CharField(
        label=_("What should change?"),
        widget=_textarea(5),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("Your comment is emailed to both of you and shown on the sheet."),
        error_messages={"required": _("Say what should change, so the sheet can be revised.")},
    )


class StaffReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the match"),
        widget=_textarea(5),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("Say what the partners should revise. It is emailed to both of them."),
        error_messages={"required": _("Say what the partners should revise.")},
    )


class CheckInForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How is the goal going?"),
        choices=CheckIn.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the goal is going.")},
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=_textarea(4),
        help_text=_(
            "What you did, what you learned, what comes next. Needed when the goal "
            "changed or was dropped."
        ),
    )
    on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day this check-in is about: today or an earlier day."),
        error_messages={"required": _("Choose the day this check-in is about.")},
    )


class OutcomeForm(forms.Form):
    """One goal's final outcome and reflection."""

    outcome = forms.ChoiceField(
        label=_("How did the goal turn out?"),
        choices=Goal.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the goal turned out.")},
    )
    reflection = forms.CharField(
        label=_("Reflection"),
        max_length=REFLECTION_MAX_LENGTH,
        widget=_textarea(4),
        help_text=_(
            "A few sentences: what you did, what you learned, what you would do differently."
        ),
        error_messages={"required": _("Write a short reflection on this goal.")},
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, prefix=f"goal-{goal.pk}", **kwargs)
        self.goal = goal
