"""Goal sheets: the SMART goals a match agrees on (their contract), and their progress.

A match drafts its goal sheet together; the mentee submits it; the mentor confirms it
("we agree") or sends it back. Once agreed it is the pair's contract for the year:
changing it opens a new revision, and every submitted revision is kept as it was, with
who submitted and confirmed it and when (``GoalSheetRevision``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Interest
from matches.models import Match
from mentoring.limits import PROSE_MAX_LENGTH
from mentoring.models import Cycle, Milestone, Program
from mentoring.timeline import GOAL_SHEET_DUE_KIND

from .examples import ExampleGoal as ExampleGoal  # staff's catalogue of examples

# What partners and staff write about a sheet and its goals (the forms say the same).
COMMENT_MAX_LENGTH = 2000
REFLECTION_MAX_LENGTH = 1500
CHECK_IN_NOTE_MAX_LENGTH = 2000

MIN_GOALS = 1
MAX_GOALS = 3

# The SMART parts of a goal, in the order people read them, with the question each
# answers. "Time-bound" is the goal's target date.
SMART_PARTS: tuple[tuple[str, str, str], ...] = (
    ("specific", "Specific", "What exactly will you do or learn?"),
    ("measurable", "Measurable", "How will you know you got there?"),
    ("achievable", "Achievable", "What support or resources does it need?"),
    ("relevant", "Relevant", "Why does it matter to the mentee's work?"),
)
SMART_FIELDS: tuple[str, ...] = tuple(name for name, _, _ in SMART_PARTS)


# How long before the program's conclusion the partners can record each goal's final
# outcome (and any time after).
OUTCOMES_OPEN_DAYS_BEFORE_CONCLUSION = 30


def outcomes_open_on(cycle: Cycle, milestones: Iterable[Milestone]) -> dt.date:
    """From this day the partners record each goal's final outcome: a month before the
    program's conclusion milestone (or its last day without one)."""
    conclusions = [m.starts_on for m in milestones if m.kind == Milestone.Kind.CONCLUSION]
    conclusion = min(conclusions) if conclusions else cycle.ends_on
    return conclusion - dt.timedelta(days=OUTCOMES_OPEN_DAYS_BEFORE_CONCLUSION)


def is_overdue(
    *,
    status: str | None,
    due_on: dt.date | None,
    program: Program,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> bool:
    """Overdue: the due date has passed in the program's time zone (the sheet is due by
    the end of that day there) and the sheet is not agreed. ``status`` None means the
    match has no sheet yet. ``today``: the program's, when the caller knows it."""
    if due_on is None or status == GoalSheet.Status.AGREED:
        return False
    if today is None:
        today = timezone.localdate(now or timezone.now(), program.tz)
    return today > due_on


class GoalSheetQuerySet(models.QuerySet):
    def with_due_on(self) -> GoalSheetQuerySet:
        """Annotate ``due_on``: :func:`mentoring.timeline.goal_sheet_due_on` in SQL."""
        due = (
            Milestone.objects.filter(
                cycle=models.OuterRef("match__cycle"), kind=GOAL_SHEET_DUE_KIND
            )
            .order_by("-ends_on")
            .values("ends_on")[:1]
        )
        return self.annotate(due_on=models.Subquery(due, output_field=models.DateField()))

    def overdue(self, *, programs_today: dict[int, dt.date]) -> GoalSheetQuerySet:
        """Sheets not agreed whose due date has passed, each reckoned in its program's
        time zone (``programs_today`` maps a program id to its today). Needs
        :meth:`with_due_on`."""
        return self.filter(self._overdue_q(programs_today))

    def not_overdue(self, *, programs_today: dict[int, dt.date]) -> GoalSheetQuerySet:
        # Spelled out rather than excluded: a sheet without a due date (NULL) is not
        # overdue, and NOT over a NULL comparison would drop it.
        agreed = Q(status=GoalSheet.Status.AGREED)
        return self.filter(Q(due_on__isnull=True) | agreed | ~self._past_due(programs_today))

    def _overdue_q(self, programs_today: dict[int, dt.date]) -> Q:
        return self._past_due(programs_today) & ~Q(status=GoalSheet.Status.AGREED)

    @staticmethod
    def _past_due(programs_today: dict[int, dt.date]) -> Q:
        late = Q(pk__in=[])
        for program_id, today in programs_today.items():
            late |= Q(match__cycle__program_id=program_id, due_on__lt=today)
        return late


class GoalSheet(models.Model):
    """A match's goal sheet: drafted together, submitted by the mentee, confirmed by the
    mentor. Once agreed it is their contract; changing it opens a new revision, and the
    submitted revisions stay readable (``GoalSheetRevision``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        AGREED = "agreed", _("Agreed")

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        WITHDRAW = "withdraw", _("Taken back to edit")
        CONFIRM = "confirm", _("Agreed")
        SEND_BACK = "send_back", _("Sent back")
        REOPEN = "reopen", _("Reopened to change")
        STAFF_RETURN = "staff_return", _("Returned for revision by staff")

    match = models.OneToOneField(
        Match, on_delete=models.CASCADE, related_name="goal_sheet", verbose_name=_("match")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Which revision the partners are working on.")
    )
    agreed_revision = models.PositiveIntegerField(
        _("agreed revision"),
        null=True,
        blank=True,
        help_text=_(
            "The latest agreed revision: the contract in force while a new one is drafted."
        ),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Goes up with every change, so a save made on an outdated copy is refused."),
    )
    returned_comment = models.TextField(
        _("returned comment"),
        max_length=COMMENT_MAX_LENGTH,
        blank=True,
        help_text=_("Why the sheet was sent back, by the mentor or staff."),
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    submitted_at = models.DateTimeField(
        _("submitted at"),
        null=True,
        blank=True,
        help_text=_("When the current revision was last submitted."),
    )
    agreed_at = models.DateTimeField(
        _("agreed at"),
        null=True,
        blank=True,
        help_text=_("When the current agreement was confirmed."),
    )

    objects = GoalSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal sheet")
        verbose_name_plural = _("goal sheets")
        ordering = ["match"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_revision__isnull=True)
                | Q(agreed_revision__lte=models.F("revision")),
                name="goal_sheet_agreed_revision_not_ahead",
            ),
        ]

    def __str__(self) -> str:
        return f"Goal sheet of {self.match}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED

    @property
    def has_agreement(self) -> bool:
        """Whether the pair has agreed on goals at least once (progress can be recorded)."""
        return self.agreed_revision is not None


class GoalSheetRevision(models.Model):
    """A revision of a goal sheet as the mentee submitted it, and the mentor's answer:
    confirmed, or sent back with a comment (the next submission is the next revision).

    The goals are copied in as they were (``goals``), so an agreed revision stays
    readable after the partners change the sheet."""

    sheet = models.ForeignKey(
        GoalSheet, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("sheet")
    )
    number = models.PositiveIntegerField(_("number"))
    goals = models.JSONField(
        _("goals"), default=list, help_text=_("The goals as they were submitted.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent back by"),
    )
    sent_back_at = models.DateTimeField(_("sent back at"), null=True, blank=True)
    sent_back_comment = models.TextField(
        _("sent back comment"), max_length=COMMENT_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("goal sheet revision")
        verbose_name_plural = _("goal sheet revisions")
        ordering = ["sheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="one_revision_per_number"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number}"

    @property
    def is_agreed(self) -> bool:
        return self.confirmed_at is not None


class GoalSheetChange(models.Model):
    """One step in a goal sheet's history: who submitted, confirmed, sent back or
    reopened it, when, and with what comment."""

    sheet = models.ForeignKey(
        GoalSheet, on_delete=models.CASCADE, related_name="changes", verbose_name=_("sheet")
    )
    revision = models.PositiveIntegerField(_("revision"))
    action = models.CharField(_("action"), max_length=20, choices=GoalSheet.Action.choices)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=GoalSheet.Status.choices
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=GoalSheet.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["sheet", "at", "id"]
        verbose_name = _("goal sheet history entry")
        verbose_name_plural = _("goal sheet history")

    def __str__(self) -> str:
        return f"{self.get_action_display()} (revision {self.revision})"


class GoalQuerySet(models.QuerySet):
    def current(self) -> GoalQuerySet:
        """The goals on the sheet now (not those removed in a later revision)."""
        return self.filter(position__isnull=False)

    def retired(self) -> GoalQuerySet:
        return self.filter(position__isnull=True)


class Goal(models.Model):
    """One SMART goal of a sheet (1 required, up to 3).

    A draft may leave SMART parts empty while the partners work on it; submitting
    requires them all. A goal removed in a later revision after it was agreed (or after
    progress was recorded on it) is kept with its check-ins, without a position."""

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")
        CHANGED = "changed", _("Changed along the way")

    sheet = models.ForeignKey(
        GoalSheet, on_delete=models.CASCADE, related_name="goals", verbose_name=_("sheet")
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        null=True,
        blank=True,
        help_text=_("1 to 3 on the sheet; empty once the goal was removed in a later revision."),
    )
    title = models.CharField(_("title"), max_length=200)
    specific = models.TextField(
        _("specific"), max_length=PROSE_MAX_LENGTH, blank=True, help_text=SMART_PARTS[0][2]
    )
    measurable = models.TextField(
        _("measurable"), max_length=PROSE_MAX_LENGTH, blank=True, help_text=SMART_PARTS[1][2]
    )
    achievable = models.TextField(
        _("achievable"), max_length=PROSE_MAX_LENGTH, blank=True, help_text=SMART_PARTS[2][2]
    )
    relevant = models.TextField(
        _("relevant"), max_length=PROSE_MAX_LENGTH, blank=True, help_text=SMART_PARTS[3][2]
    )
    target_date = models.DateField(
        _("target date"),
        null=True,
        blank=True,
        help_text=_("By when (time-bound), inside the program's dates."),
    )
    competency_areas = models.ManyToManyField(
        Interest,
        blank=True,
        limit_choices_to={"kind": Interest.Kind.COMPETENCY},
        related_name="goals",
        verbose_name=_("competency areas"),
    )
    example = models.ForeignKey(
        ExampleGoal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("example"),
    )
    first_agreed_revision = models.PositiveIntegerField(
        _("first agreed revision"),
        null=True,
        blank=True,
        help_text=_("The first revision in which this goal was agreed."),
    )
    retired_at = models.DateTimeField(
        _("retired at"),
        null=True,
        blank=True,
        help_text=_("When the goal was taken off the sheet."),
    )
    final_outcome = models.CharField(
        _("final outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    reflection = models.TextField(_("reflection"), max_length=REFLECTION_MAX_LENGTH, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("outcome recorded by"),
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["sheet", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=1, position__lte=3),
                name="goal_position_1_to_3",
            ),
            # With positions 1 to 3, unique per sheet: never more than three current goals.
            models.UniqueConstraint(fields=["sheet", "position"], name="goal_position_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.position is not None

    def missing_parts(self) -> list[str]:
        """The labels of the SMART parts still empty (what stops the sheet's submission)."""
        missing = [label for name, label, _ in SMART_PARTS if not getattr(self, name).strip()]
        if self.target_date is None:
            missing.append("Target date")
        return missing


class CheckIn(models.Model):
    """A partner's note on how a goal is going."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        CHANGED = "changed", _("Changed")
        DROPPED = "dropped", _("Dropped")

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("goal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="check_ins",
        verbose_name=_("author"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), max_length=CHECK_IN_NOTE_MAX_LENGTH, blank=True)
    on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["goal", "-on", "-created_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["goal", "-on", "-created_at"], name="check_in_latest")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.on}"
