"""The program core: people, programs, their yearly cycles and timelines.

Every other app builds on these models; nothing here imports from the other apps.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..limits import PAGE_MAX_LENGTH, PROSE_MAX_LENGTH


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as America/Chicago."),
            params={"value": value},
        )


def _time_zones() -> frozenset[str]:
    global _TIME_ZONES
    if _TIME_ZONES is None:
        _TIME_ZONES = frozenset(available_timezones())
    return _TIME_ZONES


_TIME_ZONES: frozenset[str] | None = None


# --- People ---------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


# Whether every authentication backend of a list (as settings give it) answers from the
# person's permissions alone: see _refused_by_every_backend.
_ANSWERS_FROM_PERMISSIONS: dict[tuple[str, ...], bool] = {}


def _refused_by_every_backend() -> bool:
    """Whether a permission a person does not hold (not in Django's ``_perm_cache``) is
    refused by every authentication backend, so need not be asked of each: so when each
    is a ModelBackend answering from those permissions alone (the program's own, marked
    ``answers_from_permissions_alone``, and allauth's, Django's unchanged). Django loads
    every backend afresh for each such question: a score of them on an admin page."""
    paths = tuple(settings.AUTHENTICATION_BACKENDS)
    try:
        return _ANSWERS_FROM_PERMISSIONS[paths]
    except KeyError:
        pass
    # (Django's backends module reads the user model as it loads: not before this one.)
    from django.contrib.auth.backends import ModelBackend

    answer = all(_answers_from_permissions(import_string(path), ModelBackend) for path in paths)
    _ANSWERS_FROM_PERMISSIONS[paths] = answer
    return answer


def _answers_from_permissions(backend: type, model_backend: type) -> bool:
    if backend.__dict__.get("answers_from_permissions_alone"):
        return True
    return issubclass(backend, model_backend) and all(
        getattr(backend, name) is getattr(model_backend, name)
        for name in ("has_perm", "has_module_perms", "get_all_permissions")
    )


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: applicant, mentor, mentee or committee staff.

    The email address is the login. Names are free text because people's names do not
    split into first and last reliably.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=100,
        blank=True,
        help_text=_("What you like to be called, if not your full name."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("The browser's when the person signed up; their applications start from it."),
    )
    # The language of the person's pages and of every email to them (set by the header's
    # switcher; at sign-up, the language they were browsing in).
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the site's pages and of the emails the person gets."),
    )
    is_staff = models.BooleanField(
        _("committee staff"),
        default=False,
        help_text=_("Staff can sign in to the administration site."),
    )
    # A context: “is active” is said of an account here, of an example goal or an
    # interest elsewhere, and Spanish words each differently.
    is_active = models.BooleanField(pgettext_lazy("account", "is active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def has_perm(self, perm: str, obj=None) -> bool:
        # A permission the person holds, once their permissions are read (Django's
        # _perm_cache, kept on this object by the backend): yes, as every backend would
        # say; one they do not hold: no, when every backend answers from those
        # permissions alone (_refused_by_every_backend). Either without loading each
        # backend anew for each of the admin's hundred-odd questions a page. Anything
        # else is asked of the backends as Django does.
        if obj is None and self.is_active:
            granted = getattr(self, "_perm_cache", None)
            if granted is not None:
                if perm in granted:
                    return True
                if not self.is_superuser and _refused_by_every_backend():
                    return False
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        # The admin asks this for each of its thirty-odd models on every page, and Django
        # asks each backend in turn: allauth's, a ModelBackend too, walks every permission
        # the person holds again for each app they may not open. The answer is kept per
        # app on this object, for as long as its permissions are (Django's _perm_cache).
        granted = getattr(self, "_perm_cache", None)
        memo = self.__dict__.get("_module_perms_memo")
        if memo is None or memo[0] is not granted:
            memo = self._module_perms_memo = (granted, {})
        if app_label not in memo[1]:
            if (
                granted is not None
                and self.is_active
                and not self.is_superuser
                and _refused_by_every_backend()
            ):
                # Every backend answers from the permissions alone: whether one of them
                # is in the app (each app's name once, not a walk of them all per app).
                apps = self.__dict__.get("_module_perms_apps")
                if apps is None or apps[0] is not granted:
                    apps = (granted, {perm.partition(".")[0] for perm in granted})
                    self._module_perms_apps = apps
                memo[1][app_label] = app_label in apps[1]
            else:
                memo[1][app_label] = super().has_module_perms(app_label)
            if memo[0] is None:  # the permissions were read just now: key on them
                memo = self._module_perms_memo = (getattr(self, "_perm_cache", None), memo[1])
        return memo[1][app_label]

    def get_short_name(self) -> str:
        if self.preferred_name:
            return self.preferred_name
        if self.full_name:
            return self.full_name.split()[0]
        return self.email.split("@")[0]


# --- Programs and their yearly cycles -----------------------------------------------------


class Program(models.Model):
    """A mentoring program run by a division of the association (ALSC, ALCTS...)."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=30, help_text=_("The division's short name, as in “ALSC”.")
    )
    slug = models.SlugField(_("slug"), unique=True)
    organization = models.CharField(
        _("organization"),
        max_length=200,
        blank=True,
        help_text=_("The division that runs the program."),
    )
    description = models.TextField(
        _("description"),
        max_length=PAGE_MAX_LENGTH,
        help_text=_("A short description for the program's page."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=63,
        default="America/Chicago",
        validators=[validate_time_zone],
        help_text=_("Dates and deadlines are reckoned in this time zone."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Programs are listed in this order.")
    )
    # The program's own words where forms, emails and surveys speak of the work its
    # people do: one program's "library service to children" is another's "collections
    # and technical services".
    field_of_work = models.CharField(
        _("field of work"),
        max_length=100,
        blank=True,
        help_text=_(
            "The work the program's people do, as it reads after “years of experience "
            "in” and “new to”: e.g. “library service to children”. Empty: “the field”."
        ),
    )
    position_examples = models.CharField(
        _("position examples"),
        max_length=200,
        blank=True,
        help_text=_(
            "Job titles the application form gives as examples, e.g. “Cataloger, "
            "Acquisitions Librarian or LIS student”."
        ),
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program_detail", kwargs={"program_slug": self.slug})

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def field_words(self) -> str:
        return self.field_of_work or "the field"

    def today(self) -> dt.date:
        """Today's date where the program is run (deadlines fall at its midnight)."""
        return timezone.localdate(timezone.now(), self.tz)


class ProgramObjective(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("program")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(
        _("text"),
        max_length=PROSE_MAX_LENGTH,
    )

    class Meta:
        ordering = ["program", "position", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text


class Committee(models.Model):
    """A committee that administers a program."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="committees", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["program", "position", "name"]
        verbose_name = _("administering committee")
        verbose_name_plural = _("administering committees")

    def __str__(self) -> str:
        return self.name


# Default grace after a cycle's end for recording final outcomes (staff may set another).
OUTCOMES_GRACE_DAYS = 30
# A match that has not met for this long is at risk, unless staff set the cycle otherwise.
DEFAULT_DAYS_WITHOUT_MEETING = 45


class CycleQuerySet(models.QuerySet):
    def accepting_applications_on(self, day: dt.date) -> CycleQuerySet:
        return self.filter(applications_open_on__lte=day, applications_close_on__gte=day)


class Cycle(models.Model):
    """One program year, e.g. “2026-2027”: its application window and its dates.

    Whether applications are open and which phase the program is in are derived from
    these dates and the milestones, never stored.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("program")
    )
    name = models.CharField(
        _("name"), max_length=50, help_text=_("As people say it, e.g. “2026-2027”.")
    )
    slug = models.SlugField(_("slug"))
    applications_open_on = models.DateField(
        _("applications open on"), help_text=_("The first day people can apply.")
    )
    applications_close_on = models.DateField(
        _("applications close on"), help_text=_("The last day people can apply.")
    )
    starts_on = models.DateField(_("program starts on"))
    ends_on = models.DateField(_("program ends on"), help_text=_("The day the program concludes."))
    outcomes_close_on = models.DateField(
        _("final outcomes close on"),
        null=True,
        blank=True,
        help_text=format_lazy(
            _(
                "The last day the partners of a concluded match can record their goals' "
                "final outcomes. Empty: {days} days after the program ends."
            ),
            days=OUTCOMES_GRACE_DAYS,
        ),
    )
    days_without_meeting = models.PositiveSmallIntegerField(
        _("days without a meeting before a match is at risk"),
        default=DEFAULT_DAYS_WITHOUT_MEETING,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text=_(
            "The program health page lists a match as at risk once its partners "
            "have recorded no meeting for this many days."
        ),
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_(
            "Reviewers see an applicant's name, email and library only once they "
            "have scored the application."
        ),
    )
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When staff anonymised the finished cycle: its applications, matches, "
            "goal sheets, logs and surveys no longer say who took part."
        ),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reviewed_cycles",
        help_text=_(
            "The reviewers who score this cycle's applications: a person in the "
            "Reviewer role sees the applications of the cycles they are assigned to, no others."
        ),
        verbose_name=_("reviewers"),
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["program", "-starts_on"]
        permissions = [
            ("anonymise_cycle", "Can anonymise a finished cycle's personal data"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"], name="cycle_slug_unique_in_program"
            ),
            models.CheckConstraint(
                condition=Q(applications_close_on__gte=F("applications_open_on")),
                name="cycle_applications_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="cycle_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.short_name} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "cycle_timeline", kwargs={"program_slug": self.program.slug, "cycle_slug": self.slug}
        )

    def clean(self) -> None:
        errors = {}
        if (
            self.applications_open_on
            and self.applications_close_on
            and self.applications_close_on < self.applications_open_on
        ):
            errors["applications_close_on"] = "Applications must close on or after they open."
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = "The program must end after it starts."
        if (
            self.applications_close_on
            and self.ends_on
            and self.applications_close_on > self.ends_on
        ):
            errors["applications_close_on"] = "Applications must close before the program ends."
        if self.outcomes_close_on and self.ends_on and self.outcomes_close_on < self.ends_on:
            errors["outcomes_close_on"] = (
                "Final outcomes must stay open until at least the day the program ends."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def first_day(self) -> dt.date:
        """The cycle's timeline begins with whichever comes first: applications or the start."""
        return min(self.applications_open_on, self.starts_on)

    def accepts_applications_on(self, day: dt.date) -> bool:
        return self.applications_open_on <= day <= self.applications_close_on

    @property
    def accepting_applications(self) -> bool:
        return self.accepts_applications_on(self.program.today())

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.ends_on

    @property
    def outcomes_until(self) -> dt.date:
        """The last day final outcomes can be recorded: staff's grace date, or by default
        a month after the program's end (the pair's last meeting is often in its last week)."""
        return self.outcomes_close_on or self.ends_on + dt.timedelta(days=OUTCOMES_GRACE_DAYS)

    @property
    def is_finished(self) -> bool:
        """The program year is over where it is run: its last day is in the past."""
        return self.ends_on < self.program.today()
