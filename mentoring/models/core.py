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
from django.utils.translation import gettext_lazy as _

from ..limits import PAGE_MAX_LENGTH, PROSE_MAX_LENGTH


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(f"“{value}” is not a time zone name such as America/Chicago.")


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


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: applicant, mentor, mentee or committee staff.

    The email address is the login. Names are free text because people's names do not
    split into first and last reliably.
    """

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What you like to be called, if not your full name."
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="The browser's when the person signed up; their applications start from it.",
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
        "committee staff",
        default=False,
        help_text="Staff can sign in to the administration site.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        if self.preferred_name:
            return self.preferred_name
        if self.full_name:
            return self.full_name.split()[0]
        return self.email.split("@")[0]


# --- Programs and their yearly cycles -----------------------------------------------------


class Program(models.Model):
    """A mentoring program run by a division of the association (ALSC, ALCTS...)."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=30, help_text="The division's short name, as in “ALSC”."
    )
    slug = models.SlugField(unique=True)
    organization = models.CharField(
        max_length=200, blank=True, help_text="The division that runs the program."
    )
    description = models.TextField(
        max_length=PAGE_MAX_LENGTH, help_text="A short description for the program's page."
    )
    contact_email = models.EmailField(blank=True)
    time_zone = models.CharField(
        max_length=63,
        default="America/Chicago",
        validators=[validate_time_zone],
        help_text="Dates and deadlines are reckoned in this time zone.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Programs are listed in this order."
    )
    # The program's own words where forms, emails and surveys speak of the work its
    # people do: one program's "library service to children" is another's "collections
    # and technical services".
    field_of_work = models.CharField(
        "field of work",
        max_length=100,
        blank=True,
        help_text="The work the program's people do, as it reads after “years of experience "
        "in” and “new to”: e.g. “library service to children”. Empty: “the field”.",
    )
    position_examples = models.CharField(
        max_length=200,
        blank=True,
        help_text="Job titles the application form gives as examples, e.g. “Cataloger, "
        "Acquisitions Librarian or LIS student”.",
    )

    class Meta:
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
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(
        max_length=PROSE_MAX_LENGTH,
    )

    class Meta:
        ordering = ["program", "position", "id"]
        verbose_name = "objective"

    def __str__(self) -> str:
        return self.text


class Committee(models.Model):
    """A committee that administers a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="committees")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "position", "name"]
        verbose_name = "administering committee"

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

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=50, help_text="As people say it, e.g. “2026-2027”.")
    slug = models.SlugField()
    applications_open_on = models.DateField(
        "applications open on", help_text="The first day people can apply."
    )
    applications_close_on = models.DateField(
        "applications close on", help_text="The last day people can apply."
    )
    starts_on = models.DateField("program starts on")
    ends_on = models.DateField("program ends on", help_text="The day the program concludes.")
    outcomes_close_on = models.DateField(
        "final outcomes close on",
        null=True,
        blank=True,
        help_text="The last day the partners of a concluded match can record their goals' "
        f"final outcomes. Empty: {OUTCOMES_GRACE_DAYS} days after the program ends.",
    )
    days_without_meeting = models.PositiveSmallIntegerField(
        "days without a meeting before a match is at risk",
        default=DEFAULT_DAYS_WITHOUT_MEETING,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text="The program health page lists a match as at risk once its partners "
        "have recorded no meeting for this many days.",
    )
    blind_review = models.BooleanField(
        default=False,
        help_text="Reviewers see an applicant's name, email and library only once they "
        "have scored the application.",
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When staff anonymised the finished cycle: its applications, matches, "
        "goal sheets, logs and surveys no longer say who took part.",
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reviewed_cycles",
        help_text="The reviewers who score this cycle's applications: a person in the "
        "Reviewer role sees the applications of the cycles they are assigned to, no others.",
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
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


class Milestone(models.Model):
    """A step of the program year on the timeline (seed calendar: applications in
    September, notifications in November, ... conclusion on June 30)."""

    class Kind(models.TextChoices):
        APPLICATIONS = "applications", "Applications"
        NOTIFICATIONS = "notifications", "Notifications"
        # Accepted mentees choose among the listed mentors, mentors declare conflicts of
        # interest, before the committee runs the matching engine.
        PREFERENCES = "preferences", "Mentor preferences"
        INTRODUCTIONS = "introductions", "Introductions and goal setting"
        NETWORKING = "networking", "Networking session"
        GOAL_WORK = "goal_work", "Goal work"
        CONCLUSION = "conclusion", "Conclusion"
        OTHER = "other", "Other"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=PROSE_MAX_LENGTH, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day; the same as the start for a single day.")

    class Meta:
        ordering = ["cycle", "starts_on", "ends_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="milestone_ends_on_or_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "A milestone must end on or after the day it starts."
        if self.cycle_id and self.starts_on and self.ends_on:
            cycle = self.cycle
            if self.starts_on < cycle.first_day or self.starts_on > cycle.ends_on:
                errors["starts_on"] = (
                    f"Must fall inside the {cycle.name} cycle "
                    f"({cycle.first_day:%b %-d, %Y} to {cycle.ends_on:%b %-d, %Y})."
                )
            if self.ends_on > cycle.ends_on or self.ends_on < cycle.first_day:
                errors["ends_on"] = (
                    f"Must fall inside the {cycle.name} cycle "
                    f"({cycle.first_day:%b %-d, %Y} to {cycle.ends_on:%b %-d, %Y})."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def length_in_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Event(models.Model):
    """A dated happening on a cycle's timeline: the networking session, a webinar,
    a community forum, a conference where matches can meet."""

    class Kind(models.TextChoices):
        NETWORKING_SESSION = "networking_session", "Networking session"
        WEBINAR = "webinar", "Webinar"
        COMMUNITY_FORUM = "community_forum", "Community forum"
        CONFERENCE = "conference", "Conference"
        MEETUP = "meetup", "Conference meet-up"
        OTHER = "other", "Other"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=PROSE_MAX_LENGTH, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=63,
        default="America/Chicago",
        validators=[validate_time_zone],
        help_text="Where the event's times are given (a conference's own city, say).",
    )
    all_day = models.BooleanField(
        default=False, help_text="A conference spanning whole days rather than set hours."
    )
    location = models.CharField(
        max_length=200, blank=True, help_text="A place, such as “Philadelphia, PA”."
    )
    join_url = models.URLField("join link", blank=True, help_text="For an online event.")
    recording_url = models.URLField(
        "recording link", blank=True, help_text="Where to watch it afterwards."
    )

    class Meta:
        ordering = ["cycle", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_at_or_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "An event must end after it starts."})

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> dt.datetime:
        return self.starts_at.astimezone(self.tz)

    @property
    def local_ends_at(self) -> dt.datetime:
        return self.ends_at.astimezone(self.tz)

    @property
    def starts_on(self) -> dt.date:
        return self.local_starts_at.date()

    @property
    def ends_on(self) -> dt.date:
        return self.local_ends_at.date()

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on
