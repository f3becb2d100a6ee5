"""Surveys that evaluate a program year against its objectives, and the answers to them.

A survey belongs to a cycle; each question is tagged with the program objective it
measures. Every active mentor and mentee gets a personal invitation (a link with a
token of their own); their answers are confidential: staff read them in aggregate, and
individually only where the person agreed to be named.

``ProgramHealth`` is the cycle seen by the committee's “Program health” page in admin.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from mentoring.limits import PAGE_MAX_LENGTH, PROSE_MAX_LENGTH
from mentoring.models import Cycle, ProgramObjective

# A written answer to a survey's text question.
TEXT_MAX_LENGTH = 5000

SCALE_MIN = 1
SCALE_MAX = 5
SCALE = range(SCALE_MIN, SCALE_MAX + 1)

# A survey's invitees who have not answered hear from the program once more, this long
# after their invitation.
REMINDER_AFTER = dt.timedelta(days=7)


class ProgramHealth(Cycle):
    """A cycle as the committee's “Program health” page shows it (admin only)."""

    class Meta:
        proxy = True
        verbose_name = _("program health")
        verbose_name_plural = _("program health")


def new_token() -> str:
    return secrets.token_urlsafe(24)


# A survey "due" is one not yet open whose day comes within this (or has passed): the
# committee's home and the survey list's "due" filter count the same rows.
SURVEY_DUE_WITHIN = dt.timedelta(days=14)


class SurveyQuerySet(models.QuerySet):
    def due(self, *, today: dt.date) -> SurveyQuerySet:
        """Not yet open, and due to open within two weeks of ``today`` (or overdue)."""
        return self.filter(
            status__in=[Survey.Status.DRAFT, Survey.Status.SCHEDULED],
            opens_on__lte=today + SURVEY_DUE_WITHIN,
        )

    def with_response_counts(self) -> SurveyQuerySet:
        """Annotate ``invited`` and ``answered`` (people), in the same query as the rows."""
        return self.annotate(
            invited=models.Count("invitations", distinct=True),
            answered=models.Count(
                "invitations",
                filter=Q(invitations__answered_at__isnull=False),
                distinct=True,
            ),
        )


class Survey(models.Model):
    """A short survey of a cycle's mentors and mentees.

    Two are created for every cycle: a mid-year pulse after the networking session and
    an end-of-program evaluation in the last month. A third, the closing survey, is
    created and opened when the cycle's first match concludes, and goes to the partners
    of its concluded matches only. Staff add others in admin.
    """

    class Kind(models.TextChoices):
        MID_YEAR = "mid_year", _("Mid-year pulse")
        END_OF_PROGRAM = "end_of_program", _("End-of-program evaluation")
        # Sent to both partners of each match as it concludes (not on a date).
        CLOSING = "closing", _("Closing survey")
        OTHER = "other", _("Other survey")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # The only status changes there are; the services enforce them. A scheduled survey
    # is sent on its opening day by the beat task; a draft is never sent by itself.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SCHEDULED, Status.OPEN}),
        Status.SCHEDULED: frozenset({Status.DRAFT, Status.OPEN}),
        Status.OPEN: frozenset({Status.CLOSED}),
        Status.CLOSED: frozenset({Status.OPEN}),
    }

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("As participants see it in the email.")
    )
    introduction = models.TextField(
        _("introduction"),
        max_length=PAGE_MAX_LENGTH,
        blank=True,
        help_text=_("A sentence or two at the top of the survey: why it matters."),
    )
    opens_on = models.DateField(
        _("opens on"),
        help_text=_(
            "The day the invitations go out (in the program's time zone), when the "
            "survey is scheduled."
        ),
    )
    closes_on = models.DateField(_("closes on"), help_text=_("The last day answers are taken."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_(
            "Draft: being written, never sent by itself. Scheduled: sent on the "
            "opening day. Open: invitations sent, answers taken. Closed: no more answers."
        ),
    )
    opened_at = models.DateTimeField(
        _("opened at"), null=True, blank=True, help_text=_("When it was sent.")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["cycle", "opens_on", "id"]
        permissions = [
            ("view_survey_results", "Can see survey results (aggregates and named answers)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind"],
                condition=~Q(kind="other"),
                name="one_default_survey_of_each_kind_per_cycle",
                violation_error_message="This cycle already has a survey of this kind: "
                "choose “Other survey”, or change the one it has.",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="survey_closes_on_or_after_opening",
                violation_error_message="A survey closes on or after the day it opens.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.cycle})"

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": gettext("A survey closes on or after the day it opens.")}
            )

    @property
    def is_default(self) -> bool:
        return self.kind != self.Kind.OTHER

    @property
    def questions_fixed(self) -> bool:
        """Once invitations are out, every answer must answer the same questions."""
        return self.status in (self.Status.OPEN, self.Status.CLOSED) or self.opened_at is not None

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def takes_answers_on(self, day: dt.date) -> bool:
        return self.status == self.Status.OPEN and day <= self.closes_on


class Question(models.Model):
    """One question of a survey, tagged with the program objective it measures."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale of 1 to 5")
        CHOICE = "choice", _("One choice from a list")
        TEXT = "text", _("Text")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    text = models.CharField(_("text"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    objective = models.ForeignKey(
        ProgramObjective,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_questions",
        help_text=_("The program objective this question measures."),
        verbose_name=_("objective"),
    )
    choices = models.TextField(
        _("choices"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("For a choice question: one choice per line, in order."),
    )
    low_label = models.CharField(
        _("label of 1"), max_length=60, blank=True, default="Strongly disagree"
    )
    high_label = models.CharField(
        _("label of 5"), max_length=60, blank=True, default="Strongly agree"
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.CHOICE and len(self.choice_list) < 2:
            errors["choices"] = "Give at least two choices, one per line."
        if len(set(self.choice_list)) != len(self.choice_list):
            errors["choices"] = "Each choice appears once."
        if (
            self.objective_id
            and self.survey_id
            and self.objective.program_id != self.survey.cycle.program_id
        ):
            errors["objective"] = "Choose one of this program's objectives."
        if errors:
            raise ValidationError(errors)

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def choice_pairs(self) -> list[tuple[str, str]]:
        """(kept, shown) for each choice: an answer is kept as the English choice, so the
        results add up whichever language people answered in; it is shown in the reader's
        language where the Spanish has as many choices as the English."""
        english = [
            line.strip()
            for line in (getattr(self, "choices_en", None) or self.choices).splitlines()
            if line.strip()
        ]
        shown = self.choice_list
        return list(zip(english, shown if len(shown) == len(english) else english, strict=True))

    @property
    def is_scale(self) -> bool:
        return self.kind == self.Kind.SCALE


class InvitationQuerySet(models.QuerySet):
    def answered(self) -> InvitationQuerySet:
        return self.filter(answered_at__isnull=False)

    def due_a_reminder(self, *, now: dt.datetime) -> InvitationQuerySet:
        """Invited a week ago or more, not answered, never reminded."""
        return self.filter(
            answered_at__isnull=True,
            reminded_at__isnull=True,
            invited_at__lte=now - REMINDER_AFTER,
            person__isnull=False,
        )


class Invitation(models.Model):
    """One person's invitation to one survey: their own link, and whether they answered
    and agreed to be named."""

    Role = Application.Role

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
        help_text=_("Empty once the person deleted their account (the answers are anonymised)."),
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Application.Role.choices)
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_at = models.DateTimeField(
        _("answered at"), null=True, blank=True, help_text=_("When the person first answered.")
    )
    updated_at = models.DateTimeField(
        _("updated at"),
        null=True,
        blank=True,
        help_text=_("When the person last changed their answers."),
    )
    named = models.BooleanField(
        _("agreed to be named"),
        default=False,
        help_text=_("The person agreed that the committee may read their answers with their name."),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=Q(person__isnull=False),
                name="one_invitation_per_person_and_survey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey.title}: {self.person or 'a former participant'}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:answer", kwargs={"token": self.token})

    @property
    def has_answered(self) -> bool:
        return self.answered_at is not None


class Answer(models.Model):
    """One person's answer to one question (answering again replaces it)."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("invitation")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["invitation", "question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "question"], name="one_answer_per_question_and_person"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=SCALE_MIN, number__lte=SCALE_MAX),
                name="answer_number_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"

    @property
    def shown(self) -> str:
        """The answer as a person reads it."""
        if self.number is not None:
            return str(self.number)
        return self.choice or self.text
