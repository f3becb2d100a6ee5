"""Forms of the newsletter: a person's email preferences, and the committee's issue,
schedule and preview forms in admin. The rules live in services.py; the forms check
the same ones early so each message appears beside its field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from mentoring.admin_languages import TranslatedModelForm
from mentoring.dates import long_date, month_year
from mentoring.models import Cycle, Event, Milestone

from . import selectors
from .models import EmailPreference, NewsletterIssue, month_start, program_months


class EmailPreferencesForm(forms.Form):
    newsletter = forms.BooleanField(
        required=False,
        label=_("The monthly newsletter"),
        help_text=EmailPreference._meta.get_field("newsletter").help_text,
    )
    reminders = forms.BooleanField(
        required=False,
        label=_("Reminders"),
        help_text=EmailPreference._meta.get_field("reminders").help_text,
    )


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class IssueAddForm(forms.ModelForm):
    """A new issue: its cycle and month. The service drafts the rest from the timeline
    and the catalog."""

    month = forms.DateField(
        widget=MonthInput,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_(
            "The month the issue is for, e.g. 2027-01. The draft is pre-filled with "
            "the next question of the bank, activities for the month's phase and what is "
            "coming up on the timeline; you add the news and edit the rest next."
        ),
    )

    class Meta:
        model = NewsletterIssue
        fields = ["cycle", "month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.select_related("program").order_by(
            "-starts_on", "program__position"
        )

    def clean(self):
        cleaned = super().clean()
        cycle, month = cleaned.get("cycle"), cleaned.get("month")
        if cycle is not None and month is not None:
            month = cleaned["month"] = month_start(month)
            months = program_months(cycle)
            if month not in months:
                self.add_error(
                    "month",
                    gettext("Choose a month of the %(cycle)s program: %(first)s to %(last)s.")
                    % {
                        "cycle": cycle,
                        "first": month_year(months[0]),
                        "last": month_year(months[-1]),
                    },
                )
            elif NewsletterIssue.objects.filter(cycle=cycle, month=month).exists():
                self.add_error(
                    "month",
                    gettext("The %(cycle)s newsletter for %(month)s already exists.")
                    % {"cycle": cycle, "month": month_year(month)},
                )
        return cleaned

    def validate_unique(self):
        # clean() says it in the program's words, beside the month.
        pass


def _long(day: dt.date) -> str:
    return long_date(day)


def _milestone_label(milestone: Milestone) -> str:
    if milestone.starts_on == milestone.ends_on:
        return f"{milestone.title}, {_long(milestone.starts_on)}"
    return f"{milestone.title}, {_long(milestone.starts_on)} to {_long(milestone.ends_on)}"


class IssueForm(TranslatedModelForm):
    """Staff's edit of an issue: choices limited to the issue's program and cycle."""

    class Meta:
        model = NewsletterIssue
        fields = [
            "subject",
            "news",
            "discussion_activity",
            "own_discussion_question",
            "featured_activities",
            "events",
            "milestones",
            # The issue in Spanish, optional: Spanish readers get it where written.
            "subject_es",
            "news_es",
            "own_discussion_question_es",
        ]
        widgets = {
            "subject": forms.TextInput(attrs={"size": 80}),
            "news": forms.Textarea(attrs={"rows": 14, "cols": 90}),
            "own_discussion_question": forms.Textarea(attrs={"rows": 3, "cols": 90}),
            "subject_es": forms.TextInput(attrs={"size": 80}),
            "news_es": forms.Textarea(attrs={"rows": 14, "cols": 90}),
            "own_discussion_question_es": forms.Textarea(attrs={"rows": 3, "cols": 90}),
            "featured_activities": forms.CheckboxSelectMultiple(
                attrs={"class": "newsletter-choices"}
            ),
            "events": forms.CheckboxSelectMultiple(attrs={"class": "newsletter-choices"}),
            "milestones": forms.CheckboxSelectMultiple(attrs={"class": "newsletter-choices"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        issue: NewsletterIssue = self.instance
        if issue.pk is None or "subject" not in self.fields:
            return  # a new issue, or a view-only one (its fields are shown read-only)
        # The unsuffixed fields are the English text, whatever language staff read in.
        for name in ("subject", "news", "own_discussion_question"):
            self.initial[name] = getattr(issue, f"{name}_en") or ""
        for name in ("subject_es", "news_es", "own_discussion_question_es"):
            self.fields[name].required = False
            self.initial[name] = getattr(issue, name) or ""
        program = issue.cycle.program
        self.fields["discussion_activity"].queryset = selectors.question_bank(program)
        # The bank's questions can be long: a choice shows its start and the activity.
        self.fields["discussion_activity"].label_from_instance = lambda a: (
            f"{Truncator(a.discussion_question.strip()).chars(70)} ({a.title})"
        )
        # Unpublished activities leave the choices, except one the issue already features.
        self.fields["featured_activities"].queryset = (
            Activity.objects.filter(program=program)
            .filter(Q(is_published=True) | Q(pk__in=issue.featured_activities.values("pk")))
            .select_related("category")
            .order_by("category__position", "position", "title")
        )
        self.fields["featured_activities"].label_from_instance = lambda a: (
            f"{a.title} ({a.category.name}; suits: {a.get_phase_display().lower()})"
        )
        self.fields["events"].queryset = Event.objects.filter(cycle=issue.cycle).order_by(
            "starts_at"
        )
        self.fields["events"].label_from_instance = lambda e: (
            f"{e.title}, {long_date(e.local_starts_at)}"
        )
        self.fields["milestones"].queryset = Milestone.objects.filter(cycle=issue.cycle).order_by(
            "starts_on"
        )
        self.fields["milestones"].label_from_instance = _milestone_label

    def clean(self):
        cleaned = super().clean()
        current = NewsletterIssue.objects.filter(pk=self.instance.pk).values_list(
            "status", flat=True
        )
        status = next(iter(current), None)
        if status is not None and status not in NewsletterIssue.EDITABLE:
            raise ValidationError(
                gettext(
                    "This issue is %(status)s: it can no longer be changed. What you typed is "
                    "still below."
                )
                % {"status": NewsletterIssue.Status(status).label.lower()}
            )
        return cleaned


class ScheduleForm(forms.Form):
    """When the issue goes out, in the program's time zone."""

    send_on = forms.DateField(
        label=_("Send on"),
        widget=admin_widgets.AdminDateWidget,
        help_text=_("The day it goes out."),
    )
    send_time = forms.TimeField(
        label=_("At"),
        widget=admin_widgets.AdminTimeWidget,
        help_text=_("The time it goes out, in the program's time zone."),
    )

    def __init__(self, *args, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("send_on"), cleaned.get("send_time")
        if day is not None and time is not None:
            send_at = dt.datetime.combine(day, time, tzinfo=self.tz)
            if send_at < timezone.now() - dt.timedelta(minutes=5):
                self.add_error("send_on", gettext("Choose a time from now on, or send it now."))
            cleaned["send_at"] = send_at
        return cleaned


class RecipientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Preview as"),
        required=False,
        max_length=200,
        help_text=_("A recipient's name or email address."),
    )
