from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_languages import TranslatedModelForm
from .content import program_year_start
from .models import validate_time_zone


class SignupDetailsForm(forms.Form):
    """The names a person gives when signing up (allauth adds email and password)."""

    full_name = forms.CharField(
        max_length=200,
        label=_("Full name"),
        help_text=_("As you would like it to appear to the committee and your match."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_name = forms.CharField(
        max_length=100,
        required=False,
        label=_("Preferred name (optional)"),
        help_text=_("What you like to be called, if not your full name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    # Filled by static/js/time-zone.js with the browser's zone (no inline script: CSP);
    # the application form starts from it and the person changes it there.
    time_zone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
    )

    def clean_time_zone(self) -> str:
        # A browser that reports no zone, or one this server does not know, leaves it
        # empty rather than refusing the sign-up over a field the person never saw.
        zone = self.cleaned_data.get("time_zone", "").strip()
        try:
            validate_time_zone(zone)
        except forms.ValidationError:
            return ""
        return zone

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.preferred_name = self.cleaned_data["preferred_name"].strip()
        user.time_zone = self.cleaned_data.get("time_zone", "")
        # The language they were browsing in when they signed up (the switcher changes it).
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.language = language if language in dict(settings.LANGUAGES) else user.language
        user.save(update_fields=["full_name", "preferred_name", "time_zone", "language"])


class AccountDeleteForm(forms.Form):
    """The person confirms with their password that they mean to delete their account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("To make sure it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                gettext("That is not your password. Type the password you sign in with."),
                code="wrong_password",
            )
        return password


class CycleCopyForm(forms.Form):
    """Which program year to copy a cycle to (staff, in admin)."""

    year = forms.IntegerField(
        label=_("Copy to the program year beginning in"),
        min_value=2000,
        max_value=2100,
        help_text=_("Every date of the cycle, its milestones and events moves by whole years."),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        taken = {c.applications_open_on.year for c in cycle.program.cycles.all()}
        # The program year under way today, if it has no cycle yet; else the first free
        # year after this cycle.
        year = program_year_start(cycle.program.today())
        if year in taken:
            year = cycle.applications_open_on.year + 1
            while year in taken:
                year += 1
        self.fields["year"].initial = year


class EventAdminForm(TranslatedModelForm):
    """An event's start and end are typed, and shown back, in the event's own time zone:
    a session of a conference in San Diego at 9:00 is 9:00 there, whatever the program's
    zone, in which the rest of the admin reads dates (committee/time_zones.py). A new
    event starts in that zone, the program's."""

    TIMES = ("starts_at", "ends_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "time_zone" not in self.fields:
            return  # shown read-only
        self.fields["time_zone"].help_text = _(
            "Where the event takes place: its start and end above are in this time zone."
        )
        if self.instance.pk is None:
            self.initial.setdefault("time_zone", timezone.get_current_timezone_name())
            return
        for name in self.TIMES:
            value = getattr(self.instance, name)
            if value is not None:
                # Naive, so the widget shows it as it is instead of in the active zone.
                self.initial[name] = timezone.make_naive(value, self.instance.tz)

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone")
        if zone and "time_zone" not in self.errors:
            here = ZoneInfo(zone)
            for name in self.TIMES:
                if cleaned.get(name) is not None:
                    # The field read the wall time typed in the active zone: keep the wall
                    # time, in the event's zone.
                    typed = timezone.make_naive(cleaned[name])
                    cleaned[name] = timezone.make_aware(typed, here)
        return cleaned
