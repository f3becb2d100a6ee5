"""Forms of the committee's matching screens (admin), and of the partners' own pages
(a meeting)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application

from .models import MEETING_MAX_MINUTES, Match, MatchingWeights, Meeting, NeverPair


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        where = ", ".join(p for p in [obj.organization, obj.state] if p)
        return f"{obj.full_name or obj.email} ({where}) · {obj.cycle}"


def _accepted(role: str):
    return (
        Application.objects.filter(role=role, status=Application.Status.ACCEPTED)
        .select_related("cycle__program")
        .order_by("-cycle__starts_on", "full_name", "id")
    )


class MatchCreateForm(forms.Form):
    """Match a mentee with a mentor by hand."""

    mentee = ApplicationChoiceField(
        queryset=Application.objects.none(),
        help_text=_("An accepted mentee without a proposal or a confirmed match."),
    )
    mentor = ApplicationChoiceField(
        queryset=Application.objects.none(),
        help_text=_("An accepted mentor of the same cycle with a place left."),
    )
    confirm = forms.BooleanField(
        label=_("Confirm now and send the introduction emails"),
        required=False,
        help_text=_("Leave unticked to add a locked proposal you confirm later."),
    )

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        mentees = _accepted(Application.Role.MENTEE).exclude(
            mentee_matches__status__in=["proposed", "active"]
        )
        mentors = _accepted(Application.Role.MENTOR)
        if cycle is not None:
            mentees, mentors = mentees.filter(cycle=cycle), mentors.filter(cycle=cycle)
        self.fields["mentee"].queryset = mentees
        self.fields["mentor"].queryset = mentors


class DissolveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the match dissolved?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Kept with the match for the committee; the partners are not emailed it."),
    )


class ConcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does it conclude early?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_(
            "Needed before the program year's last day; the partners' conclusion email quotes it."
        ),
    )


class MatchingWeightsForm(forms.ModelForm):
    class Meta:
        model = MatchingWeights
        fields = [
            "cycle",
            *MatchingWeights.CRITERIA,
            "experience_gap_years",
            "close_time_zone_hours",
            "minimum_score",
            "unmatched_penalty",
            "preference",
        ]


class NeverPairForm(forms.ModelForm):
    mentee = ApplicationChoiceField(queryset=Application.objects.none())
    mentor = ApplicationChoiceField(queryset=Application.objects.none())

    class Meta:
        model = NeverPair
        fields = ["mentee", "mentor", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = (
            Application.objects.mentees().submitted().select_related("cycle__program")
        )
        self.fields["mentor"].queryset = (
            Application.objects.mentors().submitted().select_related("cycle__program")
        )

    def clean(self):
        data = super().clean()
        mentee, mentor = data.get("mentee"), data.get("mentor")
        if (
            mentee
            and mentor
            and Match.objects.filter(mentee=mentee, mentor=mentor, status="active").exists()
        ):
            raise forms.ValidationError(
                gettext("These two are matched; dissolve the match before ruling the pair out.")
            )
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    """A meeting of the partners; the service checks the day against the program year and
    its messages land beside these fields."""

    on = forms.DateField(
        label=_("Date"),
        widget=DateInput,
        error_messages={
            "required": _("Give the day you met."),
            "invalid": _("Enter a date, such as 2027-03-15."),
        },
    )
    minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=1,
        max_value=MEETING_MAX_MINUTES,
        error_messages={
            "required": _("Say how long you met, in minutes."),
            "min_value": _("A meeting lasts at least a minute."),
            "max_value": _("Give at most %(limit_value)s minutes (twelve hours)."),
        },
    )
    way = forms.ChoiceField(
        label=_("How you met"),
        choices=Meeting.Way.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how you met.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the two of you see these, not the committee."),
    )


class HelpRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What is wrong, and how can the committee help?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write a few words for the committee.")},
        help_text=_("Only the committee reads this; your partner is never told."),
    )
