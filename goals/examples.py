"""Example goals a match can start from (seeds 001/002), which staff keep in admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applications.models import Interest
from mentoring.limits import PROSE_MAX_LENGTH
from mentoring.models import Program


class ExampleGoal(models.Model):
    """An example goal (seeds 001/002) a match can start from and make specific."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="example_goals", verbose_name=_("program")
    )
    key = models.SlugField(
        _("key"),
        max_length=80,
        help_text=_("Identifies the example for the content loader; staff may change the text."),
    )
    title = models.CharField(_("title"), max_length=200)
    specific = models.TextField(
        _("specific"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("A starting point for “specific”."),
    )
    measurable = models.TextField(
        _("measurable"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("A starting point for “measurable”."),
    )
    achievable = models.TextField(
        _("achievable"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("A starting point for “achievable”."),
    )
    relevant = models.TextField(
        _("relevant"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("A starting point for “relevant”."),
    )
    competency_areas = models.ManyToManyField(
        Interest,
        blank=True,
        limit_choices_to={"kind": Interest.Kind.COMPETENCY},
        related_name="+",
        verbose_name=_("competency areas"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        pgettext_lazy("example goal", "is active"),  # Spanish: “activa”, as a meta
        default=True,
        help_text=_("Inactive examples are no longer offered to matches."),
    )

    class Meta:
        verbose_name = _("example goal")
        verbose_name_plural = _("example goals")
        ordering = ["program", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="example_goal_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title
