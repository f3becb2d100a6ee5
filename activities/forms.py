"""Forms of the activities app: the catalog's filters and an activity log entry."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Interest
from goals.models import Goal
from matches.models import Match
from mentoring.limits import PROSE_MAX_LENGTH
from mentoring.models import Program
from mentoring.templatetags.program import daterange

from .models import Activity, ActivityLogEntry, Category


def _grouped(items, program_of) -> list:
    """Choices grouped under each program's name (a select's optgroups), in order."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(program_of(item).name, []).append((str(item.pk), str(item)))
    return list(groups.items())


class CatalogFilterForm(forms.Form):
    """The catalog's filters, read from the query string. Choices come from lists the
    view loads once, so validating and drawing the form cost no further queries."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words from the title, description, steps or competency area."),
    )
    program = forms.ChoiceField(
        label=_("Program"),
        required=False,
        error_messages={"invalid_choice": _("Choose a program from the list.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    competency = forms.ChoiceField(
        label=_("Competency area"),
        required=False,
        help_text=_("The ALSC competency areas an activity develops."),
        error_messages={"invalid_choice": _("Choose a competency area from the list.")},
    )

    def __init__(
        self,
        data=None,
        *,
        programs: Sequence[Program],
        categories: Sequence[Category],
        competency_areas: Sequence[Interest],
    ):
        super().__init__(data)
        self.programs = {p.slug: p for p in programs}
        self.categories = {str(c.pk): c for c in categories}
        self.competency_areas = {str(i.pk): i for i in competency_areas}
        programs_by_id = {p.pk: p for p in programs}
        self.fields["program"].choices = [("", gettext("All programs"))] + [
            (p.slug, p.name) for p in programs
        ]
        self.fields["category"].choices = [("", gettext("All categories"))] + _grouped(
            categories, lambda c: programs_by_id[c.program_id]
        )
        self.fields["competency"].choices = [("", gettext("Any competency area"))] + _grouped(
            competency_areas, lambda i: programs_by_id[i.program_id]
        )
        if len(programs) < 2:
            # One program: nothing to choose, and categories need no program headings.
            del self.fields["program"]
            self.fields["category"].choices = [("", gettext("All categories"))] + [
                (str(c.pk), c.name) for c in categories
            ]
            self.fields["competency"].choices = [("", gettext("Any competency area"))] + [
                (str(i.pk), i.name) for i in competency_areas
            ]

    def clean(self):
        data = super().clean()
        program = self.programs.get(data.get("program") or "")
        category = self.categories.get(data.get("category") or "")
        competency = self.competency_areas.get(data.get("competency") or "")
        if program and category and category.program_id != program.pk:
            self.add_error(
                "category",
                gettext(
                    "“%(category)s” is not in the %(program)s catalog: "
                    "choose one of its categories, or all programs."
                )
                % {"category": category.name, "program": program.short_name},
            )
            category = None
        if program and competency and competency.program_id != program.pk:
            self.add_error(
                "competency",
                gettext(
                    "“%(area)s” is not a competency area of %(program)s: "
                    "choose one of its own, or all programs."
                )
                % {"area": competency.name, "program": program.short_name},
            )
            competency = None
        data["program_obj"], data["category_obj"], data["competency_obj"] = (
            program,
            category,
            competency,
        )
        return data

    def filters(self) -> dict:
        """The filters to apply: the valid ones, ignoring any field that had an error."""
        if not self.is_bound:
            return {"program": None, "category": None, "competency_area": None, "search": ""}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "program": data.get("program_obj"),
            "category": data.get("category_obj"),
            "competency_area": data.get("competency_obj"),
            "search": data.get("q", ""),
        }

    @property
    def active(self) -> bool:
        filters = self.filters()
        return any(filters.values())


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class GoalsField(forms.MultipleChoiceField):
    """Goals of the match's own goal sheet, offered and checked from the list the view
    read once (``goals``), and cleaned to those goals in sheet order. A
    ModelMultipleChoiceField asked the database for them again to draw the boxes and to
    check them; its rules are kept: a null character refused first, then anything not
    one of the goals."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._goals: list[Goal] = []

    @property
    def goals(self) -> list[Goal]:
        return self._goals

    @goals.setter
    def goals(self, goals: Sequence[Goal]) -> None:
        self._goals = list(goals)
        self.choices = [(str(g.pk), str(g)) for g in self._goals]

    def validate(self, value) -> None:
        for picked in value:
            ProhibitNullCharactersValidator()(picked)
        super().validate(value)

    def clean(self, value) -> list[Goal]:
        picked = set(super().clean(value))
        return [g for g in self._goals if str(g.pk) in picked]


class LogEntryForm(forms.Form):
    """An entry of a match's activity log. The service checks the program's rules (the
    dates, whose goals) and its messages land beside these same fields."""

    activity = forms.ChoiceField(
        label=_("Activity from the catalog"),
        required=False,
        help_text=_("Pick a suggested activity, or leave this empty and describe your own."),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_(
            "What you did or plan to do. Left empty, it takes the catalog activity’s title."
        ),
    )
    status = forms.ChoiceField(
        label=_("Planned or done?"),
        choices=ActivityLogEntry.Status.choices,
        widget=forms.RadioSelect,
        initial=ActivityLogEntry.Status.DONE,
        error_messages={"required": _("Say whether you plan to do it or have done it.")},
    )
    on = forms.DateField(
        label=_("Date"),
        widget=DateInput,
        error_messages={
            "required": _("Give the date you did it, or plan to."),
            "invalid": _("Enter a date, such as 2027-03-15."),
        },
    )
    notes = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you did, what you learned, what comes next. Both of you can read them."),
    )
    goals = GoalsField(
        label=_("Goals it served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which goals of your goal sheet this activity worked towards."),
        error_messages={"invalid_choice": _("Choose only goals from your own goal sheet.")},
    )

    def __init__(
        self,
        data=None,
        *,
        match: Match,
        activities: Callable[[], Sequence[Activity]],
        goals: Sequence[Goal],
        initial=None,
    ):
        """``activities``: reads the catalog activities to offer, only once the form needs
        them (to draw the list, or to check an activity picked): a post that picks none
        reads no catalog. ``goals``: the match's goals."""
        super().__init__(data, initial=initial)
        self._read_activities = activities
        self.fields["activity"].choices = self._activity_choices
        self.fields["activity"].error_messages["invalid_choice"] = gettext(
            "Pick an activity from the %(program)s catalog."
        ) % {"program": match.cycle.program.short_name}
        cycle = match.cycle
        self.fields["on"].help_text = gettext(
            "When you did it, or plan to, in the program year: %(dates)s."
        ) % {"dates": daterange(cycle.starts_on, cycle.ends_on)}
        self.fields["goals"].goals = goals
        self.has_goals = bool(goals)
        if not self.has_goals:
            del self.fields["goals"]

    @functools.cached_property
    def activities(self) -> dict[str, Activity]:
        return {str(a.pk): a for a in self._read_activities()}

    def _activity_choices(self) -> list:
        groups: dict[str, list] = {}
        for key, activity in self.activities.items():
            groups.setdefault(activity.category.name, []).append((key, activity.title))
        return [("", gettext("None: our own activity")), *groups.items()]

    def clean_activity(self) -> Activity | None:
        picked = self.cleaned_data.get("activity")
        return self.activities.get(picked) if picked else None

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "activity": data.get("activity"),
            "title": data.get("title", ""),
            "status": data["status"],
            "on": data["on"],
            "notes": data.get("notes", ""),
            "goals": list(data.get("goals") or []),
        }
