"""What applicants choose from: interests (the program's areas and competencies) and
the conferences they attend, each program's own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.limits import PROSE_MAX_LENGTH
from mentoring.models import Program


class Interest(models.Model):
    """An area of interest applicants choose from, edited by staff.

    Competency areas (the seven areas of ALSC's competencies for librarians serving
    children) are interests too: goals and activities are tagged with them, which is how
    suggestions and matching line up with what people said they care about.
    """

    class Kind(models.TextChoices):
        COMPETENCY = "competency", _("Competency area")
        TOPIC = "topic", _("Topic")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="interests", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("A short form for explanations, e.g. “storytime”."),
    )
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), max_length=PROSE_MAX_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("is active"),
        default=True,
        help_text=_("Inactive interests are no longer offered on new applications."),
    )

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["program", "kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="interest_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Conference(models.Model):
    """A conference applicants may say they plan to attend (matches can meet there)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="conferences", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["program", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="conference_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
