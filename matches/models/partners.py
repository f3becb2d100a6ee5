"""What the partners of a match say and record themselves, and what they say before
it exists: their meetings, their requests for help to the committee, the mentors'
directory listings and each participant's wishes about whom they are paired with."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from mentoring.limits import PROSE_MAX_LENGTH

from .core import Match

# A meeting longer than a working day is a typo, not a meeting.
MEETING_MAX_MINUTES = 12 * 60


class Meeting(models.Model):
    """A time the partners met, recorded by either of them: the hours add up on their
    match page and on the committee's health page. The notes are the pair's alone."""

    class Way(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        CHAT = "chat", _("Chat")
        IN_PERSON = "in_person", _("In person")

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("match")
    )
    on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MEETING_MAX_MINUTES)],
    )
    way = models.CharField(_("how you met"), max_length=20, choices=Way.choices)
    notes = models.TextField(
        _("notes"),
        blank=True,
        max_length=2000,
        help_text=_("Only the two of you see these, not the committee."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="meeting_lasts_a_minute"),
        ]

    def __str__(self) -> str:
        return f"{self.get_way_display()} on {self.on:%Y-%m-%d}, {self.minutes} min"

    def clean(self) -> None:
        if self.on and self.match_id:
            cycle = self.match.cycle
            if not cycle.first_day <= self.on <= cycle.ends_on:
                raise ValidationError({"on": gettext("Choose a day of this program year.")})
            if self.on > cycle.program.today():
                raise ValidationError({"on": gettext("Record a meeting once it has happened.")})


class HelpRequestQuerySet(models.QuerySet):
    def open(self) -> HelpRequestQuerySet:
        return self.filter(resolved_at__isnull=True)


class HelpRequest(models.Model):
    """A partner's word to the committee about their match, in confidence: the other
    partner never sees it. Staff record how it was resolved; the person who asked sees
    that it was received and when it was resolved."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("match")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked by"),
    )
    role = models.CharField(
        _("asked by the"), max_length=10, choices=Application.Role.choices, editable=False
    )
    message = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(
        _("resolution"),
        blank=True,
        max_length=PROSE_MAX_LENGTH,
        help_text=_(
            "How the committee resolved it: kept for the committee, not shown to either partner."
        ),
    )

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")

    def __str__(self) -> str:
        return f"Help request of {self.created_at:%Y-%m-%d} about {self.match}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


# A mentee marks at most this many mentors as preferred.
MAX_PREFERRED = 3


class DirectoryListing(models.Model):
    """An accepted mentor's entry in the directory the cycle's accepted mentees read while
    they choose: present when the mentor chose to be listed, with a short note."""

    mentor = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="directory_listing",
        verbose_name=_("mentor"),
    )
    note = models.CharField(
        _("a short note to mentees"),
        max_length=300,
        blank=True,
        help_text=_(
            "What you hope to share, what kind of mentee you would enjoy. No contact "
            "details: the committee introduces you once matched."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("directory listing")
        verbose_name_plural = _("directory listings")

    def __str__(self) -> str:
        return f"Directory listing of {self.mentor.display_name}"


class PairingWish(models.Model):
    """What a participant said about being paired with someone of the same cycle: a
    mentee's preferred mentor (a bonus in the engine) or “please not”, a mentor's conflict
    of interest with a mentee (both hard rules). Only the one who said it and staff see it."""

    class Kind(models.TextChoices):
        PREFERRED = "preferred", _("Preferred")
        PLEASE_NOT = "please_not", _("Please not")
        CONFLICT = "conflict", _("Conflict of interest")

    mentee = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    mentor = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("pairing wish")
        verbose_name_plural = _("pairing wishes")
        ordering = ["mentee", "kind", "mentor"]
        constraints = [
            # The mentee says one thing about a mentor; the mentor one about a mentee.
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=~Q(kind="conflict"),
                name="one_mentee_wish_per_mentor",
            ),
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(kind="conflict"),
                name="one_conflict_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee.display_name} & {self.mentor.display_name}"

    @property
    def is_hard_rule(self) -> bool:
        return self.kind != self.Kind.PREFERRED
