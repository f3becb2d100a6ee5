"""The mentor and mentee application form, in the sections the applicant sees.

Every field is optional *to the form*, so a draft can be saved at any time; what a
submission needs is decided by ``services.missing_answers`` and shown beside each field.
Labels of questions that are never required end in “(optional)”.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from django import forms
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.limits import PROSE_MAX_LENGTH
from mentoring.models import Program

from .geography import STATE_CHOICES, TIME_ZONE_CHOICES
from .models import Answers, Application, Conference, Interest
from .selectors import choices

Role = Application.Role


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    role: str | None = None  # only on this role's form


SECTIONS: tuple[Section, ...] = (
    Section(
        "about-you",
        _("About you"),
        (
            "full_name",
            "preferred_name",
            "pronouns",
            "email",
            "phone",
            "city",
            "state",
            "country",
            "time_zone",
        ),
    ),
    Section(
        "your-work",
        _("Your work"),
        ("organization", "library_type", "position_title", "years_experience"),
    ),
    Section("membership", _("Membership"), ("membership", "funding_requested", "bipoc_identity")),
    Section("interests", _("Interests"), ("interests",)),
    Section(
        "your-hopes",
        _("Your hopes for the year"),
        ("career_stage", "hopes", "mentor_wishes"),
        role=Role.MENTEE,
    ),
    Section(
        "what-you-offer",
        _("What you can offer"),
        ("mentee_capacity", "committee_experience", "offer"),
        role=Role.MENTOR,
    ),
    Section(
        "working-together",
        _("Working together"),
        ("communication_methods", "in_person_ok", "conferences", "other_conferences"),
    ),
    Section("expectations", _("The program's expectations"), ("agreed_to_expectations",)),
)


@dataclass(frozen=True)
class SectionView:
    """A section of a form with its bound fields, as a template walks it."""

    section: Section
    fields: list
    has_errors: bool

    def __iter__(self):
        # Unpacks as (section, fields), as the answers summary reads it.
        return iter((self.section, self.fields))


def sections_for(role: str) -> list[Section]:
    return [s for s in SECTIONS if s.role in (None, role)]


NEW_TO_FIELD = Application.CareerStage.NEW_TO_FIELD


@cache
def _program_wording() -> dict[str, dict[str, str]]:
    data = json.loads((Path(__file__).parent / "data" / "interests.json").read_text())
    return {slug: spec.get("form", {}) for slug, spec in data["programs"].items()}


def program_wording(program: Program) -> dict[str, str]:
    """The labels that differ between programs, in their own words: the field of work
    and example job titles from the program's record, the interests' groups from
    interests.json."""
    field = program.field_words
    return {
        "experience_label": gettext("Years of experience in %(field)s") % {"field": field},
        "experience_help": gettext("Whole years, paid or volunteer; 0 if you are just starting."),
        "position_help": (
            gettext("For example %(titles)s.") % {"titles": program.position_examples}
            if program.position_examples
            else ""
        ),
        "career_stages": [
            (
                value,
                gettext("Experienced, new to %(field)s") % {"field": field}
                if value == NEW_TO_FIELD
                else label,
            )
            for value, label in Application.CareerStage.choices
        ],
        "competency_group": gettext("Competency areas"),
        "topic_group": gettext("Topics"),
        **_program_wording().get(program.slug, {}),
    }


def a_or_an(acronym: str) -> str:
    """The article before an acronym said letter by letter: “an ALSC member”."""
    return "an" if acronym[:1].upper() in "AEFHILMNORSX" else "a"


def membership_choices(program: Program) -> list[tuple[str, str]]:
    short = program.short_name
    # The English article agrees with the acronym said letter by letter, so each form is
    # its own message (other languages need no article there).
    an = a_or_an(short) == "an"
    not_member = gettext("Not an %(program)s member") if an else gettext("Not a %(program)s member")
    applying = (
        gettext("Applying to become an %(program)s member")
        if an
        else gettext("Applying to become a %(program)s member")
    )
    return [
        (Application.Membership.MEMBER, gettext("%(program)s member") % {"program": short}),
        (Application.Membership.NOT_MEMBER, not_member % {"program": short}),
        (Application.Membership.APPLYING, applying % {"program": short}),
    ]


class SharedChoiceField(forms.ChoiceField):
    """A choice among a long list that is the same for every form (the states, the time
    zones): each form's copy of the field shares the list instead of copying it deeply,
    as ChoiceField does on every form built. A form that offers other choices assigns a
    new list (never changes this one in place)."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class ApplicationForm(forms.Form):
    """One applicant's answers for one program and role."""

    full_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Full name"),
        help_text=_("As you would like the committee and your match to see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_name = forms.CharField(
        max_length=100,
        required=False,
        label=_("Preferred name (optional)"),
        help_text=_("What you like to be called, if not your full name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    pronouns = forms.CharField(
        max_length=40,
        required=False,
        label=_("Pronouns (optional)"),
        help_text=_("For example she/her, he/him or they/them. Shown to your match."),
    )
    email = forms.EmailField(required=False, disabled=True, label=_("Email"))
    phone = forms.CharField(
        max_length=40,
        required=False,
        label=_("Phone (optional)"),
        help_text=_("For the committee, and for your match if you like to talk by phone."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    city = forms.CharField(
        max_length=100,
        required=False,
        label=_("City or town"),
        help_text=_("Where you work: it tells us whether a match could meet in person."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    state = SharedChoiceField(
        required=False,
        label=_("State or province"),
        choices=[("", "Choose…"), *STATE_CHOICES],
        help_text=_("Choose “Outside the United States and Canada” if neither applies."),
    )
    country = forms.CharField(
        max_length=100,
        required=False,
        label=_("Country"),
        widget=forms.TextInput(attrs={"autocomplete": "country-name"}),
    )
    time_zone = SharedChoiceField(
        required=False,
        label=_("Time zone"),
        choices=[("", "Choose…"), *TIME_ZONE_CHOICES],
        help_text=_("So your match knows when to reach you."),
    )

    organization = forms.CharField(
        max_length=200,
        required=False,
        label=_("Library or organization"),
        help_text=_("Where you work now; if you are a student, your school."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    library_type = forms.ChoiceField(
        required=False,
        label=_("Type of library"),
        choices=Application.LibraryType.choices,
        widget=forms.RadioSelect,
    )
    position_title = forms.CharField(
        max_length=200,
        required=False,
        label=_("Position title"),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    years_experience = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=70,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-years"}),
    )

    membership = forms.ChoiceField(required=False, widget=forms.RadioSelect)
    funding_requested = forms.BooleanField(required=False)
    bipoc_identity = forms.ChoiceField(
        required=False,
        label=_("Do you identify as Black, Indigenous, or a Person of Color? (optional)"),
        choices=Application.BipocIdentity.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Private: only the staff who award membership funding see this answer, "
            "and only to consider your funding request."
        ),
    )

    interests = forms.MultipleChoiceField(
        required=False,
        label=_("Areas of interest"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose every area you would like to work on or talk about with your "
            "match; at least one. Matches are made on shared interests."
        ),
    )

    career_stage = forms.ChoiceField(
        required=False,
        label=_("Where are you in your career?"),
        choices=Application.CareerStage.choices,
        widget=forms.RadioSelect,
    )
    hopes = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        label=_("What do you hope to gain from the program?"),
        help_text=_(
            "A paragraph of at least 20 words: what you would like to learn, try or "
            "change this year. Your mentor will read it."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "data-min-words": 20}),
    )
    mentor_wishes = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        label=_("What would you like in a mentor? (optional)"),
        help_text=_(
            "Experience, library type, where they live, or anything else that matters to you."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    mentee_capacity = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=_("How many mentees can you take?"),
        choices=[(1, _("One")), (2, _("Two")), (3, _("Three"))],
        widget=forms.RadioSelect,
        help_text=_("Each mentee needs an hour or two of your time a month for the year."),
    )
    committee_experience = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        label=_("Committee and association experience (optional)"),
        help_text=_(
            "Committees, task forces, conference presentations, in the association "
            "or elsewhere. None yet is fine."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offer = forms.CharField(
        max_length=PROSE_MAX_LENGTH,
        required=False,
        label=_("What can you offer a mentee?"),
        help_text=_("The skills, experience and perspective you would like to share."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    communication_methods = forms.MultipleChoiceField(
        required=False,
        label=_("How would you like to communicate?"),
        choices=Application.Communication.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "At least one. The program is virtual: most matches talk by email, phone, "
            "video call or online chat."
        ),
    )
    in_person_ok = forms.BooleanField(
        required=False,
        label=_("I would be glad to meet in person if my match lives close by (optional)"),
    )
    conferences = forms.ModelMultipleChoiceField(
        queryset=Conference.objects.none(),
        required=False,
        label=_("Conferences you plan to attend this year (optional)"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Matches going to the same conference can meet there."),
    )
    other_conferences = forms.CharField(
        max_length=300,
        required=False,
        label=_("Other conferences (optional)"),
        help_text=_("Any others, separated by commas."),
    )

    agreed_to_expectations = forms.BooleanField(
        required=False, label=_("I have read the program's expectations and agree to them")
    )

    def __init__(
        self,
        *args,
        program: Program,
        role: str,
        chosen_interest_ids: frozenset[int] = frozenset(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.program = program
        self.role = role
        wording = program_wording(program)
        short = program.short_name

        keep = {name for section in sections_for(role) for name in section.fields}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

        self.fields["email"].help_text = format_html(
            gettext(
                "The address of your account: the committee writes to you there. "
                '<a href="{}">Change it in your account</a>.'
            ),
            reverse("account_email"),
        )
        self.fields["years_experience"].label = wording["experience_label"]
        self.fields["years_experience"].help_text = wording["experience_help"]
        self.fields["position_title"].help_text = wording["position_help"]
        if "career_stage" in self.fields:
            self.fields["career_stage"].choices = wording["career_stages"]
        self.fields["membership"].label = (
            gettext("Are you an %(program)s member?")
            if a_or_an(short) == "an"
            else gettext("Are you a %(program)s member?")
        ) % {"program": short}
        self.fields["membership"].choices = membership_choices(program)
        self.fields["funding_requested"].label = gettext(
            "Consider me for the %(program)s membership funding opportunity (optional)"
        ) % {"program": short}
        self.fields["funding_requested"].help_text = gettext(
            "For people who are not yet %(program)s members and identify as Black, "
            "Indigenous, or a Person of Color: the funding helps pay for %(program)s "
            "membership."
        ) % {"program": short}

        # Inactive interests stay on the form of someone who already chose them. From the
        # shared content (the same for everyone), in the interests' own order.
        interests = [
            i
            for i in choices().interests.values()
            if i.program_id == program.pk and (i.is_active or i.pk in chosen_interest_ids)
        ]
        self.interests_by_id = {str(i.pk): i for i in interests}
        groups = [
            (wording["competency_group"], Interest.Kind.COMPETENCY),
            (wording["topic_group"], Interest.Kind.TOPIC),
        ]
        grouped = [
            (label, [(str(i.pk), i.name) for i in interests if i.kind == kind])
            for label, kind in groups
        ]
        grouped = [(label, options) for label, options in grouped if options]
        self.fields["interests"].choices = (
            grouped if len(grouped) > 1 else sum((options for _, options in grouped), [])
        )
        # The queryset checks what is posted; the boxes offered come from the shared
        # content too (a query per page otherwise), in the conferences' own order.
        self.fields["conferences"].queryset = program.conferences.filter(is_active=True)
        self.fields["conferences"].choices = [
            (c.pk, c.name)
            for c in choices().conferences.values()
            if c.program_id == program.pk and c.is_active
        ]

        # Each label and help text is read four or five times as the page is drawn, and a
        # lazy one is looked up in the language's catalog again on every read.
        for field in self.fields.values():
            if isinstance(field.label, Promise):
                field.label = str(field.label)
            if isinstance(field.help_text, Promise):
                field.help_text = str(field.help_text)

        # A time zone outside the usual list (any IANA zone is valid) stays choosable.
        zone = self.initial.get("time_zone") or self.data.get("time_zone", "")
        known = {value for value, _ in TIME_ZONE_CHOICES}
        if zone and zone not in known and zone in available_timezones():
            self.fields["time_zone"].choices = [
                *self.fields["time_zone"].choices,
                (zone, zone.replace("_", " ")),
            ]

    def sections(self) -> list[SectionView]:
        views = []
        for section in sections_for(self.role):
            fields = [self[name] for name in section.fields]
            views.append(SectionView(section, fields, any(f.errors for f in fields)))
        return views

    def answers(self) -> Answers:
        data = dict(self.cleaned_data)
        interests = [self.interests_by_id[pk] for pk in data.pop("interests", [])]
        conferences = list(data.pop("conferences", []))
        data.pop("email", None)
        return Answers(values=data, interests=interests, conferences=conferences)

    def add_service_errors(self, error) -> None:
        """Show a service's refusal beside the fields it names (the rest at the top)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


def initial_from(application: Application) -> dict:
    """The form's initial values from a saved application."""
    values = {
        name: getattr(application, name)
        for section in sections_for(application.role)
        for name in section.fields
        if name not in ("interests", "conferences")
    }
    values["interests"] = [str(i.pk) for i in application.interests.all()]
    values["conferences"] = [c.pk for c in application.conferences.all()]
    return values


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Why are you withdrawing? (optional)"),
        help_text=_("It helps the committee plan next year's program."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
