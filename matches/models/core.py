"""Matches: a mentor and a mentee paired for a cycle, from proposal to conclusion."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from mentoring.models import Cycle
from mentoring.sql import AnyOf

# Why staff concluded or dissolved a match early (the forms take as much).
REASON_MAX_LENGTH = 2000


class MatchQuerySet(models.QuerySet):
    def active(self) -> MatchQuerySet:
        return self.filter(status=Match.Status.ACTIVE)

    def current(self) -> MatchQuerySet:
        """Matches the partners work in: active, or concluded at the end of the year."""
        return self.filter(status__in=[Match.Status.ACTIVE, Match.Status.CONCLUDED])

    def of_person(self, user) -> MatchQuerySet:
        """Matches in which this person is the mentor or the mentee.

        The mentor or the mentee is one of their applications (``AnyOf``): the database
        reads each side from its index. Joined to the applications with an OR, it joined
        every match to both partners before filtering. Unordered: the applications'
        ordering joined their cycle and program into each subquery, for nothing."""
        applications = Subquery(Application.objects.filter(applicant=user).order_by().values("pk"))
        return self.filter(
            Q(AnyOf(F("mentor_id"), applications)) | Q(AnyOf(F("mentee_id"), applications))
        )


class Match(models.Model):
    """A mentor and a mentee for one cycle.

    A match starts as the engine's (or a person's) proposal, becomes active when staff
    confirm it, and ends concluded with the program or dissolved with a reason. The
    database allows each mentee one active match per cycle (their application belongs
    to the cycle) and one open proposal.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        CONCLUDED = "concluded", _("Concluded")
        DISSOLVED = "dissolved", _("Dissolved")

    # The only status changes there are; the services enforce them. (A proposal that is
    # not wanted is discarded: deleted, not given a status.)
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PROPOSED: frozenset({Status.ACTIVE}),
        Status.ACTIVE: frozenset({Status.DISSOLVED, Status.CONCLUDED}),
        Status.CONCLUDED: frozenset(),
        Status.DISSOLVED: frozenset(),
    }

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="matches", verbose_name=_("cycle")
    )
    mentor = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="mentor_matches",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="mentee_matches",
        verbose_name=_("mentee"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    score = models.FloatField(
        _("score"), null=True, blank=True, help_text=_("Compatibility, 0 to 100.")
    )
    score_breakdown = models.JSONField(
        _("score breakdown"),
        default=dict,
        blank=True,
        help_text=_("Points per criterion that made up the score."),
    )
    reasons = models.JSONField(
        _("reasons"), default=list, blank=True, help_text=_("Why the pair was proposed, in words.")
    )
    flags = models.JSONField(
        _("flags"),
        default=list,
        blank=True,
        help_text=_("What staff should know (e.g. far apart)."),
    )
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Kept as it is when the engine is run again.")
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the engine proposed it."),
        verbose_name=_("proposed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the match concluded with its cycle's last day."),
        verbose_name=_("concluded by"),
    )
    concluded_reason = models.TextField(
        _("concluded reason"),
        blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text=_("Why staff concluded the match before its cycle's end."),
    )
    dissolved_at = models.DateTimeField(_("dissolved at"), null=True, blank=True)
    dissolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dissolved by"),
    )
    dissolved_reason = models.TextField(
        _("dissolved reason"), blank=True, max_length=REASON_MAX_LENGTH
    )

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        ordering = ["cycle", "-score", "id"]
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="active"),
                name="one_active_match_per_mentee",
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="proposed"),
                name="one_open_proposal_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="match_mentor_is_not_the_mentee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.display_name} & {self.mentee.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("matches:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.mentor_id and self.mentor.role != Application.Role.MENTOR:
            errors["mentor"] = "This is not a mentor's application."
        if self.mentee_id and self.mentee.role != Application.Role.MENTEE:
            errors["mentee"] = "This is not a mentee's application."
        if self.cycle_id and self.mentor_id and self.mentor.cycle_id != self.cycle_id:
            errors["mentor"] = "The mentor applied for another cycle."
        if self.cycle_id and self.mentee_id and self.mentee.cycle_id != self.cycle_id:
            errors["mentee"] = "The mentee applied for another cycle."
        if self.status == self.Status.DISSOLVED and not self.dissolved_reason.strip():
            errors["dissolved_reason"] = "Say why the match was dissolved."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        """Proposed or active: the pair takes one of the mentor's places."""
        return self.status in (self.Status.PROPOSED, self.Status.ACTIVE)

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def role_of(self, user) -> str | None:
        """“mentor”, “mentee”, or None for someone outside the match."""
        if user.pk is not None and self.mentor.applicant_id == user.pk:
            return Application.Role.MENTOR
        if user.pk is not None and self.mentee.applicant_id == user.pk:
            return Application.Role.MENTEE
        return None

    def partner_of(self, user) -> Application | None:
        role = self.role_of(user)
        if role == Application.Role.MENTOR:
            return self.mentee
        if role == Application.Role.MENTEE:
            return self.mentor
        return None


class MatchingWeights(models.Model):
    """How the engine scores pairs in one cycle, set by staff.

    Each criterion's weight says how much it counts against the others (only the
    ratios matter: the score is always out of 100).
    """

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, related_name="matching_weights", verbose_name=_("cycle")
    )
    interests = models.PositiveSmallIntegerField(
        _("shared interests"),
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_("How much of the mentee's interests the mentor shares."),
    )
    experience = models.PositiveSmallIntegerField(
        _("experience gap"),
        default=15,
        validators=[MaxValueValidator(100)],
        help_text=_("The mentor clearly more experienced than the mentee."),
    )
    library_type = models.PositiveSmallIntegerField(
        _("same library type"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("Both in public libraries, both in school libraries, ..."),
    )
    communication = models.PositiveSmallIntegerField(
        _("shared ways to communicate"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "How many of the mentee's preferred ways to talk the mentor shares. "
            "Sharing none rules a pair out whatever the weight."
        ),
    )
    geography = models.PositiveSmallIntegerField(
        _("geography"),
        default=15,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The same state counts fully, the same region half; less when either "
            "would rather not meet in person."
        ),
    )
    time_zone = models.PositiveSmallIntegerField(
        _("time-zone distance"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("The same time zone counts fully, fading to nothing at the span below."),
    )
    conferences = models.PositiveSmallIntegerField(
        _("conferences both attend"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("How many of the mentee's conferences the mentor attends too."),
    )
    experience_gap_years = models.PositiveSmallIntegerField(
        _("years that make a clear gap"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text=_("A mentor this many more years in the field earns the full experience points."),
    )
    close_time_zone_hours = models.PositiveSmallIntegerField(
        _("time-zone span"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Time zones this many hours apart earn no time-zone points."),
    )
    minimum_score = models.PositiveSmallIntegerField(
        _("minimum score"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Pairs scoring less (out of 100) are never proposed. 0 proposes any pair "
            "that passes the rules."
        ),
    )
    preference = models.PositiveSmallIntegerField(
        _("bonus of a mentor the mentee preferred"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "In score points, added to the engine's total (not to the score) when "
            "the mentee chose the mentor among their preferred: at 10 a preferred mentor wins "
            "over a stranger scoring up to ten points more. 0 ignores preferences."
        ),
    )
    unmatched_penalty = models.PositiveSmallIntegerField(
        _("cost of leaving a mentee unmatched"),
        default=100,
        validators=[MaxValueValidator(1000)],
        help_text=_(
            "In score points. The engine maximises the total score minus this for "
            "each unmatched mentee: at 100 or more it matches one more mentee whenever the "
            "other pairs lose less than that in total; at 0 it only maximises the total score."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    CRITERIA = (
        "interests",
        "experience",
        "library_type",
        "communication",
        "geography",
        "time_zone",
        "conferences",
    )

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        ordering = ["cycle"]

    def __str__(self) -> str:
        return f"Matching weights of {self.cycle}"

    def clean(self) -> None:
        if not any(getattr(self, name) for name in self.CRITERIA):
            raise ValidationError(gettext("Give at least one criterion a weight above 0."))

    def as_engine(self):
        from ..engine import Weights

        return Weights(
            **{name: float(getattr(self, name)) for name in self.CRITERIA},
            minimum_score=float(self.minimum_score),
            unmatched_penalty=float(self.unmatched_penalty),
            preference=float(self.preference),
            experience_gap_years=float(self.experience_gap_years),
            close_time_zone_hours=float(self.close_time_zone_hours),
        )


class NeverPair(models.Model):
    """A mentor and a mentee staff ruled out: the engine never proposes them, nobody can
    match them by hand."""

    mentor = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Seen only by staff, e.g. “former colleagues”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("never pair")
        verbose_name_plural = _("never pairs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="never_pair_once"),
        ]

    def __str__(self) -> str:
        return f"Never {self.mentor.display_name} & {self.mentee.display_name}"

    def clean(self) -> None:
        errors = {}
        if self.mentor_id and self.mentor.role != Application.Role.MENTOR:
            errors["mentor"] = "This is not a mentor's application."
        if self.mentee_id and self.mentee.role != Application.Role.MENTEE:
            errors["mentee"] = "This is not a mentee's application."
        if self.mentor_id and self.mentee_id and self.mentor.cycle_id != self.mentee.cycle_id:
            errors["mentee"] = "The mentor and the mentee applied for different cycles."
        if errors:
            raise ValidationError(errors)


class MatchingRun(models.Model):
    """One run of the engine for a cycle: who ran it, how far it is, what it found, how
    long it took. Staff start it on the board; a worker runs it (see matches/runs.py)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="matching_runs", verbose_name=_("cycle")
    )
    # Runs recorded before runs had a state were all finished ones: "done" by default.
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DONE)
    step = models.CharField(
        _("step"),
        max_length=100,
        blank=True,
        help_text=_("What the engine is doing now, while it runs."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(
        _("error"), blank=True, max_length=2000, help_text=_("Why the run failed.")
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("run by"),
    )
    run_at = models.DateTimeField(_("run at"), default=timezone.now)
    mentees = models.PositiveIntegerField(_("mentees"), default=0, help_text=_("Accepted mentees."))
    mentors = models.PositiveIntegerField(_("mentors"), default=0, help_text=_("Accepted mentors."))
    places = models.PositiveIntegerField(
        _("places"), default=0, help_text=_("Mentor places in all.")
    )
    kept = models.PositiveIntegerField(
        _("kept"), default=0, help_text=_("Confirmed and locked pairs kept.")
    )
    proposed = models.PositiveIntegerField(_("proposed"), default=0, help_text=_("New proposals."))
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    total_score = models.FloatField(
        _("total score"), default=0, help_text=_("Of the new proposals.")
    )
    method = models.CharField(_("method"), max_length=20, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    unmatched_reasons = models.JSONField(
        _("unmatched reasons"),
        default=list,
        blank=True,
        help_text=_("Each unmatched mentee and why."),
    )
    details = models.JSONField(
        _("details"), default=dict, blank=True, help_text=_("The solver's figures.")
    )

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-run_at", "-id"]
        get_latest_by = "run_at"

    def __str__(self) -> str:
        return f"Matching run of {self.cycle} at {self.run_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
