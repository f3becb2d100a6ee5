"""The program year's calendar: its milestones (the phases) and its events (sessions,
webinars, conferences), each on a cycle."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..dates import long_date
from ..limits import PROSE_MAX_LENGTH
from .core import Cycle, validate_time_zone


class Milestone(models.Model):
    """A step of the program year on the timeline (seed calendar: applications in
    September, notifications in November, ... conclusion on June 30)."""

    class Kind(models.TextChoices):
        APPLICATIONS = "applications", _("Applications")
        NOTIFICATIONS = "notifications", _("Notifications")
        # Accepted mentees choose among the listed mentors, mentors declare conflicts of
        # interest, before the committee runs the matching engine.
        PREFERENCES = "preferences", _("Mentor preferences")
        INTRODUCTIONS = "introductions", _("Introductions and goal setting")
        NETWORKING = "networking", _("Networking session")
        GOAL_WORK = "goal_work", _("Goal work")
        CONCLUSION = "conclusion", _("Conclusion")
        OTHER = "other", _("Other")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=PROSE_MAX_LENGTH, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), help_text=_("The last day; the same as the start for a single day.")
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
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
            errors["ends_on"] = gettext("A milestone must end on or after the day it starts.")
        if self.cycle_id and self.starts_on and self.ends_on:
            cycle = self.cycle
            inside = gettext("Must fall inside the %(cycle)s cycle (%(first)s to %(last)s).") % {
                "cycle": cycle.name,
                "first": long_date(cycle.first_day),
                "last": long_date(cycle.ends_on),
            }
            if self.starts_on < cycle.first_day or self.starts_on > cycle.ends_on:
                errors["starts_on"] = inside
            if self.ends_on > cycle.ends_on or self.ends_on < cycle.first_day:
                errors["ends_on"] = inside
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
        NETWORKING_SESSION = "networking_session", _("Networking session")
        WEBINAR = "webinar", _("Webinar")
        COMMUNITY_FORUM = "community_forum", _("Community forum")
        CONFERENCE = "conference", _("Conference")
        MEETUP = "meetup", _("Conference meet-up")
        OTHER = "other", _("Other")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="events", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=PROSE_MAX_LENGTH, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=63,
        default="America/Chicago",
        validators=[validate_time_zone],
        help_text=_("Where the event's times are given (a conference's own city, say)."),
    )
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("A conference spanning whole days rather than set hours."),
    )
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("A place, such as “Philadelphia, PA”."),
    )
    join_url = models.URLField(_("join link"), blank=True, help_text=_("For an online event."))
    recording_url = models.URLField(
        _("recording link"), blank=True, help_text=_("Where to watch it afterwards.")
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
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
            raise ValidationError({"ends_at": gettext("An event must end after it starts.")})

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
