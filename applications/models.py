"""Mentor and mentee applications for a cycle, and their review by the committee."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.limits import PAGE_MAX_LENGTH, PROSE_MAX_LENGTH
from mentoring.models import Cycle, validate_time_zone

from .geography import STATE_CHOICES, region_of
from .interests import Conference as Conference
from .interests import Interest as Interest


def scored_by(viewer) -> models.Exists:
    """Whether ``viewer`` (a person, or their id: None for no one) has scored the
    application (an annotation of its rows)."""
    viewer_id = viewer if viewer is None or isinstance(viewer, int) else viewer.pk
    return models.Exists(
        ApplicationReview.objects.filter(application=models.OuterRef("pk"), reviewer_id=viewer_id)
    )


class ApplicationQuerySet(models.QuerySet):
    def of_person(self, user) -> ApplicationQuerySet:
        return self.filter(applicant=user) if user.is_authenticated else self.none()

    def submitted(self) -> ApplicationQuerySet:
        """Applications past the draft stage and not withdrawn."""
        return self.exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])

    def accepted(self) -> ApplicationQuerySet:
        return self.filter(status=Application.Status.ACCEPTED)

    def mentors(self) -> ApplicationQuerySet:
        return self.filter(role=Application.Role.MENTOR)

    def mentees(self) -> ApplicationQuerySet:
        return self.filter(role=Application.Role.MENTEE)

    def decided(self) -> ApplicationQuerySet:
        """Applications with a decision the applicant is told about."""
        return self.filter(status__in=DECISIONS)

    def with_review_summary(self, *, viewer=None) -> ApplicationQuerySet:
        """Annotate the reviews' mean score and count (and, given a viewer, whether they
        have scored it), in the same query as the rows.

        Each is a subquery of its row, not a join grouped over every application: a page
        of 50 computes 50 summaries, after the database has sorted and cut the list."""
        reviews = ApplicationReview.objects.filter(application=models.OuterRef("pk"))
        summary = reviews.order_by().values("application")
        qs = self.annotate(
            review_mean=models.Subquery(
                summary.annotate(mean=models.Avg("score")).values("mean"),
                output_field=models.FloatField(),
            ),
            review_count=Coalesce(
                models.Subquery(summary.annotate(n=models.Count("pk")).values("n")),
                0,
            ),
        )
        if viewer is not None:
            qs = qs.annotate(scored_by_viewer=scored_by(viewer))
        return qs


@dataclass
class Answers:
    """An applicant's answers as a form gives them: plain values by field name, and the
    chosen interests and conferences (what the form hands the services)."""

    values: dict[str, Any]
    interests: list[Interest] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)


class Application(models.Model):
    """One person's application to be a mentor or a mentee in one cycle.

    Answers are kept as the applicant typed them, also while it is a draft (so nothing
    is lost); required answers are enforced when it is submitted, by the service.
    """

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class LibraryType(models.TextChoices):
        PUBLIC = "public", _("Public library")
        SCHOOL = "school", _("School library")
        ACADEMIC = "academic", _("Academic library")
        SPECIAL = "special", _("Special library")
        LIS_STUDENT = "lis_student", _("LIS student")
        OTHER = "other", _("Other")

    class Membership(models.TextChoices):
        MEMBER = "member", _("Member")
        NOT_MEMBER = "not_member", _("Not a member")
        APPLYING = "applying", _("Applying for membership")

    class BipocIdentity(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        PREFER_NOT = "prefer_not", _("Prefer not to say")

    class CareerStage(models.TextChoices):
        LIS_STUDENT = "lis_student", _("LIS student")
        NEW = "new", _("New to the profession (under 2 years)")
        EARLY = "early", _("Early career (2 to 5 years)")
        CAREER_CHANGER = "career_changer", _("Changing careers into library work")
        # The form says it in the program's words (“new to library service to children”).
        NEW_TO_FIELD = "new_to_field", _("Experienced, new to the program's field")

    class Communication(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")
        CHAT = "chat", _("Online chat")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cycle")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        help_text=_("Empty once the person deleted their account (the answers are anonymised)."),
        verbose_name=_("applicant"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # About you
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(
        _("state or province"), max_length=2, choices=STATE_CHOICES, blank=True, db_index=True
    )
    country = models.CharField(_("country"), max_length=100, blank=True, default="United States")
    time_zone = models.CharField(
        _("time zone"), max_length=63, blank=True, validators=[validate_time_zone]
    )

    # Your work
    organization = models.CharField(_("library or organization"), max_length=200, blank=True)
    library_type = models.CharField(
        _("library type"), max_length=20, choices=LibraryType.choices, blank=True
    )
    position_title = models.CharField(_("position title"), max_length=200, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(70)],
    )

    # Membership
    membership = models.CharField(
        _("membership"), max_length=20, choices=Membership.choices, blank=True
    )
    funding_requested = models.BooleanField(
        _("consider me for the membership funding opportunity"), default=False
    )
    bipoc_identity = models.CharField(
        _("identifies as Black, Indigenous, or a Person of Color"),
        max_length=20,
        choices=BipocIdentity.choices,
        blank=True,
        help_text=_("Optional and private: seen only by the staff who award membership funding."),
    )

    # Interests
    interests = models.ManyToManyField(
        Interest, blank=True, related_name="applications", verbose_name=_("interests")
    )

    # Mentee only
    career_stage = models.CharField(
        _("career stage"), max_length=20, choices=CareerStage.choices, blank=True
    )
    hopes = models.TextField(_("what you hope to gain"), max_length=PROSE_MAX_LENGTH, blank=True)
    mentor_wishes = models.TextField(
        _("what you would like in a mentor"), max_length=PROSE_MAX_LENGTH, blank=True
    )

    # Mentor only
    mentee_capacity = models.PositiveSmallIntegerField(
        _("how many mentees you can take"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    committee_experience = models.TextField(
        _("committee and association experience"), max_length=PROSE_MAX_LENGTH, blank=True
    )
    offer = models.TextField(_("what you can offer"), max_length=PROSE_MAX_LENGTH, blank=True)

    # Working together
    communication_methods = models.JSONField(
        _("preferred ways to communicate"),
        default=list,
        blank=True,
        help_text=_("Codes from Application.Communication."),
    )
    in_person_ok = models.BooleanField(_("willing to meet in person if close by"), default=False)
    conferences = models.ManyToManyField(
        Conference, blank=True, related_name="applications", verbose_name=_("conferences")
    )
    other_conferences = models.CharField(_("other conferences"), max_length=300, blank=True)

    agreed_to_expectations = models.BooleanField(_("agreed to expectations"), default=False)

    # The committee's side
    staff_notes = models.TextField(
        _("staff notes"), max_length=PAGE_MAX_LENGTH, blank=True, help_text=_("Seen only by staff.")
    )
    decision_sent_at = models.DateTimeField(
        _("decision sent at"),
        null=True,
        blank=True,
        help_text=_("When the applicant was told the current decision."),
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the person's name, contact and written answers were erased (they "
            "deleted their account, or staff anonymised the cycle). What reports count stays."
        ),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["cycle", "role", "full_name", "id"]
        permissions = [
            (
                "view_funding_identity",
                "Can see the private identity answer of membership funding requests",
            ),
            (
                "review_application",
                "Can score and comment on the applications of the cycles they review",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "applicant", "role"],
                name="one_application_per_person_role_and_cycle",
            ),
            models.CheckConstraint(
                condition=Q(mentee_capacity__isnull=True)
                | Q(mentee_capacity__gte=1, mentee_capacity__lte=3),
                name="mentee_capacity_between_1_and_3",
            ),
        ]
        indexes = [
            # The committee's list finds a page's keys by sorting a cycle's applications
            # on their role and (blind review's) name: with what that sort reads in one
            # narrow index (as Meta.ordering, and the status blind review asks), the
            # database sorts without reading the wide rows, their answers and notes.
            models.Index(
                fields=["cycle", "role", "full_name", "status", "id"],
                name="application_list_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.email or 'Applicant'} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.anonymised_at is not None:
            return FORMER_PARTICIPANT
        return self.preferred_name or self.full_name

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def region(self) -> str:
        return region_of(self.state)

    @property
    def is_mentor(self) -> bool:
        return self.role == self.Role.MENTOR

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_decided(self) -> bool:
        return self.status in DECISIONS

    @property
    def allowed_next_statuses(self) -> frozenset[str]:
        return ALLOWED_TRANSITIONS[self.status]

    def can_change_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]

    @property
    def answers_editable(self) -> bool:
        """Whether the applicant may still change their answers (window aside): until the
        committee decides, and not once withdrawn."""
        return self.status in EDITABLE_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return self.can_change_to(self.Status.WITHDRAWN)


# How an anonymised application's person is named to their partner and in reports.
FORMER_PARTICIPANT = "a former participant"

_S = Application.Status

# Every status change an application may go through, in one place. The services refuse
# anything else. Decisions are final unless staff reopen the review; a withdrawn
# application can only come back as a draft (to be submitted again, answers re-checked).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.DRAFT: frozenset({_S.SUBMITTED, _S.WITHDRAWN}),
    _S.SUBMITTED: frozenset(
        {_S.UNDER_REVIEW, _S.ACCEPTED, _S.WAITLISTED, _S.DECLINED, _S.WITHDRAWN}
    ),
    _S.UNDER_REVIEW: frozenset({_S.ACCEPTED, _S.WAITLISTED, _S.DECLINED, _S.WITHDRAWN}),
    _S.WAITLISTED: frozenset({_S.ACCEPTED, _S.DECLINED, _S.UNDER_REVIEW, _S.WITHDRAWN}),
    _S.ACCEPTED: frozenset({_S.UNDER_REVIEW, _S.WITHDRAWN}),
    _S.DECLINED: frozenset({_S.UNDER_REVIEW}),
    _S.WITHDRAWN: frozenset({_S.DRAFT}),
}

# The statuses in which the applicant is told a decision.
DECISIONS = frozenset({_S.ACCEPTED, _S.WAITLISTED, _S.DECLINED})

# The applicant may edit answers in these statuses (while the window is open).
EDITABLE_STATUSES = frozenset({_S.DRAFT, _S.SUBMITTED, _S.UNDER_REVIEW})

# Statuses in which a blind review still hides who applied.
BLIND_STATUSES = frozenset({_S.DRAFT, _S.SUBMITTED, _S.UNDER_REVIEW})


class ApplicationStatusChange(models.Model):
    """The history an applicant sees under “My applications”."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("application"),
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Application.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Application.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")
        ordering = ["application", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class ApplicationReview(models.Model):
    """One reviewer's score of an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    # A reviewer who leaves takes their name, not their score, out of the review summary.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="application_reviews",
        verbose_name=_("reviewer"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (weak) to 5 (excellent)."),
    )
    comment = models.TextField(_("comment"), max_length=PROSE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application review")
        verbose_name_plural = _("application reviews")
        ordering = ["application", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="review_score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 by {self.reviewer or 'a former reviewer'}"
