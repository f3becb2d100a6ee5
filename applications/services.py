"""Writes of applications: the applicant's drafts, submission, edits and withdrawal, and
the committee's statuses, reviews and decisions.

Every status change goes through :func:`application_status_change`, which allows only
the moves in ``models.ALLOWED_TRANSITIONS`` and records each one in
``ApplicationStatusChange`` (the history the applicant sees).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from mentoring.dates import long_date
from mentoring.models import Cycle, User

from . import emails
from .models import (
    DECISIONS,
    Answers,
    Application,
    ApplicationReview,
    ApplicationStatusChange,
    Interest,
)

Status = Application.Status
Role = Application.Role

# The answers an applicant gives, by role; anything else in ``answers`` is ignored, so a
# mentee's form can never write a mentor's fields (or the committee's).
COMMON_ANSWERS = [
    "full_name",
    "preferred_name",
    "pronouns",
    "phone",
    "city",
    "state",
    "country",
    "time_zone",
    "organization",
    "library_type",
    "position_title",
    "years_experience",
    "membership",
    "funding_requested",
    "bipoc_identity",
    "communication_methods",
    "in_person_ok",
    "other_conferences",
    "agreed_to_expectations",
]
ROLE_ANSWERS = {
    Role.MENTEE: ["career_stage", "hopes", "mentor_wishes"],
    Role.MENTOR: ["mentee_capacity", "committee_experience", "offer"],
}

# What "a real paragraph" means for a mentee's hopes.
MIN_HOPES_WORDS = 20

_REQUIRED_COMMON = {
    "full_name": gettext_lazy("Enter your full name."),
    "city": gettext_lazy("Enter the city or town where you work."),
    "state": gettext_lazy(
        "Choose your state or province, or “Outside the United States and Canada”."
    ),
    "country": gettext_lazy("Enter your country."),
    "time_zone": gettext_lazy("Choose your time zone, so your match knows when to reach you."),
    "organization": gettext_lazy(
        "Enter the name of your library or organization (your school, if you are a student)."
    ),
    "library_type": gettext_lazy("Choose the type of library you work in."),
    "position_title": gettext_lazy("Enter your position title (“Student” is fine)."),
    "years_experience": gettext_lazy(
        "Enter your years of experience (0 if you are just starting)."
    ),
}
_REQUIRED_BY_ROLE = {
    Role.MENTEE: {
        "career_stage": gettext_lazy("Choose where you are in your career."),
        "hopes": gettext_lazy("Tell the committee what you hope to gain from the program."),
    },
    Role.MENTOR: {
        "mentee_capacity": gettext_lazy("Choose how many mentees you can take (1 to 3)."),
        "offer": gettext_lazy("Tell the committee what you can offer a mentee."),
    },
}


def closed_message(cycle: Cycle) -> str:
    """Why ``cycle`` takes no application today."""
    today = cycle.program.today()
    if today < cycle.applications_open_on:
        opens = cycle.applications_open_on
        return gettext("Applications for %(cycle)s open on %(day)s.") % {
            "cycle": cycle.name,
            "day": long_date(opens),
        }
    return gettext("Applications for %(cycle)s closed on %(day)s.") % {
        "cycle": cycle.name,
        "day": long_date(cycle.applications_close_on),
    }


def _require_window_open(cycle: Cycle) -> None:
    if not cycle.accepting_applications:
        raise ValidationError(closed_message(cycle), code="window_closed")


def _duplicate_message(cycle: Cycle, role: str) -> str:
    return gettext(
        "You already have a %(role)s application for %(program)s %(year)s. Open it from "
        "“My applications” to continue it."
    ) % {"role": Role(role).label.lower(), "program": cycle.program.short_name, "year": cycle.name}


def _apply_answers(application: Application, answers: Answers) -> None:
    for name in [*COMMON_ANSWERS, *ROLE_ANSWERS[application.role]]:
        if name not in answers.values:
            continue
        value = answers.values[name]
        if isinstance(value, str):
            value = value.strip()
        setattr(application, name, value)
    # The funding opportunity is for non-members, and the identity question matters only
    # to a funding request: an answer that no longer applies is not kept (it is private).
    if application.membership == Application.Membership.MEMBER:
        application.funding_requested = False
    if not application.funding_requested:
        application.bipoc_identity = ""
    program_id = application.cycle.program_id
    if any(i.program_id != program_id for i in answers.interests):
        raise ValidationError({"interests": gettext("Choose interests from this program's list.")})
    if any(c.program_id != program_id for c in answers.conferences):
        raise ValidationError(
            {"conferences": gettext("Choose conferences from this program's list.")}
        )


def missing_answers(
    application: Application, *, interests: Iterable[Interest]
) -> dict[str, list[str]]:
    """What still stops this application from being submitted, by field."""
    errors: dict[str, list[str]] = {}
    required = {**_REQUIRED_COMMON, **_REQUIRED_BY_ROLE[application.role]}
    for name, message in required.items():
        value = getattr(application, name)
        if value is None or value == "":
            errors[name] = [message]
    if not application.membership:
        short = application.cycle.program.short_name
        errors["membership"] = [
            gettext("Tell us about your %(program)s membership.") % {"program": short}
        ]
    if not list(interests):
        errors["interests"] = [gettext("Choose at least one area of interest.")]
    if not application.communication_methods:
        errors["communication_methods"] = [gettext("Choose at least one way to communicate.")]
    if application.role == Role.MENTEE and "hopes" not in errors:
        words = len(application.hopes.split())
        if words < MIN_HOPES_WORDS:
            errors["hopes"] = [
                gettext(
                    "Write a little more about what you hope to gain: at least %(least)s words "
                    "(you wrote %(words)s)."
                )
                % {"least": MIN_HOPES_WORDS, "words": words}
            ]
    if not application.agreed_to_expectations:
        errors["agreed_to_expectations"] = [
            gettext("Agree to the program's expectations to submit your application.")
        ]
    return errors


def _require_complete(application: Application, answers: Answers) -> None:
    errors = missing_answers(application, interests=answers.interests)
    if errors:
        raise ValidationError(errors, code="incomplete")


def _save_answers(application: Application, answers: Answers) -> None:
    application.full_clean()
    application.save()
    application.interests.set(answers.interests)
    application.conferences.set(answers.conferences)


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cycle__program", "applicant")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_create(
    *, applicant: User, cycle: Cycle, role: str, answers: Answers, submit: bool = False
) -> Application:
    """Start an application for ``cycle`` while its window is open: saved as a draft
    (no answer required), or submitted at once when ``submit`` (every answer checked).

    One application per person, role and cycle: a second one is refused with a message
    saying where the first is."""
    _require_window_open(cycle)
    if Application.objects.filter(cycle=cycle, applicant=applicant, role=role).exists():
        raise ValidationError(_duplicate_message(cycle, role), code="duplicate")
    application = Application(
        cycle=cycle, applicant=applicant, role=role, status=Status.DRAFT, email=applicant.email
    )
    _apply_answers(application, answers)
    if submit:
        _require_complete(application, answers)
    try:
        # A savepoint, so that losing a race to a second tab is a message, not a 500.
        with transaction.atomic():
            _save_answers(application, answers)
    except IntegrityError as exc:
        raise ValidationError(_duplicate_message(cycle, role), code="duplicate") from exc
    ApplicationStatusChange.objects.create(
        application=application, from_status="", to_status=Status.DRAFT, changed_by=applicant
    )
    if submit:
        _submit(application, by=applicant)
    return application


@transaction.atomic
def application_update(
    *, application: Application, answers: Answers, by: User, submit: bool = False
) -> Application:
    """Save an applicant's changed answers while the window is open and the committee has
    not decided. A draft may be incomplete; with ``submit`` it is checked and submitted.
    A submitted application stays complete: its changes are checked as on submission."""
    application = _locked(application)
    _require_window_open(application.cycle)
    if not application.answers_editable:
        raise ValidationError(
            gettext("This application is %(status)s: its answers can no longer be changed.")
            % {"status": application.get_status_display().lower()},
            code="not_editable",
        )
    _apply_answers(application, answers)
    application.email = application.applicant.email if application.applicant else ""
    if submit or not application.is_draft:
        _require_complete(application, answers)
    _save_answers(application, answers)
    if submit and application.is_draft:
        _submit(application, by=by)
    return application


@transaction.atomic
def application_submit(*, application: Application, by: User) -> Application:
    """Submit a draft as it is saved: every required answer checked, the window open.
    The applicant gets a confirmation email with a copy of the answers."""
    application = _locked(application)
    _require_window_open(application.cycle)
    errors = missing_answers(application, interests=application.interests.all())
    if errors:
        raise ValidationError(errors, code="incomplete")
    return _submit(application, by=by)


def _submit(application: Application, *, by: User) -> Application:
    change = _record_status_change(application, to_status=Status.SUBMITTED, by=by)
    emails.send_confirmation(application=application, change=change)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    """Withdraw an application (the applicant, or staff on their behalf), at any time."""
    return application_status_change(
        application=application,
        to_status=Status.WITHDRAWN,
        by=by,
        note=reason.strip()[:300],
    )


@transaction.atomic
def application_reopen(*, application: Application, by: User) -> Application:
    """Bring a withdrawn application back as a draft while the window is open; it must be
    submitted again, so its answers are checked again."""
    application = _locked(application)
    _require_window_open(application.cycle)
    _record_status_change(application, to_status=Status.DRAFT, by=by)
    return application


@transaction.atomic
def application_status_change(
    *, application: Application, to_status: str, by: User | None, note: str = ""
) -> Application:
    """Move an application to ``to_status`` if the table of allowed transitions permits,
    and record the change. Every status change of an application goes through here."""
    application = _locked(application)
    _record_status_change(application, to_status=to_status, by=by, note=note)
    return application


def _record_status_change(
    application: Application, *, to_status: str, by: User | None, note: str = ""
) -> ApplicationStatusChange:
    """The transition itself, on a row this transaction has locked (or just created)."""
    from_status = application.status
    if not application.can_change_to(to_status):
        raise ValidationError(
            gettext("A %(status)s application cannot become %(to)s.")
            % {
                "status": Status(from_status).label.lower(),
                "to": Status(to_status).label.lower(),
            },
            code="transition",
        )
    application.status = to_status
    # The applicant has not been told the new status yet (the decision email says when).
    application.decision_sent_at = None
    update_fields = ["status", "decision_sent_at", "updated_at"]
    if to_status == Status.SUBMITTED:
        application.submitted_at = timezone.now()
        update_fields.append("submitted_at")
    application.save(update_fields=update_fields)
    return ApplicationStatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        note=note,
    )


@dataclass
class BulkOutcome:
    """What a committee action did to a selection of applications."""

    changed: list[Application] = field(default_factory=list)
    unchanged: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def applications_status_change(
    *, applications: Iterable[Application], to_status: str, by: User
) -> BulkOutcome:
    """Move each application to ``to_status`` (a committee action on a selection); each
    change is its own transaction, so one refusal does not undo the others."""
    outcome = BulkOutcome()
    for application in applications:
        if application.status == to_status:
            outcome.unchanged.append(application)
            continue
        try:
            changed = application_status_change(application=application, to_status=to_status, by=by)
        except ValidationError as exc:
            outcome.refused.append((application, " ".join(exc.messages)))
        else:
            outcome.changed.append(changed)
    return outcome


@transaction.atomic
def application_staff_update(
    *, application: Application, status: str, staff_notes: str, by: User
) -> Application:
    """What staff change on an application: its status (along the allowed transitions)
    and their notes. Answers are the applicant's and are never changed here."""
    application = _locked(application)
    if application.staff_notes != staff_notes:
        application.staff_notes = staff_notes
        application.full_clean()
        application.save(update_fields=["staff_notes", "updated_at"])
    if status != application.status:
        _record_status_change(application, to_status=status, by=by)
    return application


@transaction.atomic
def application_review_save(
    *, application: Application, reviewer: User, score: int, comment: str = ""
) -> ApplicationReview:
    """Record (or change) one reviewer's score and comment. The first review of a
    submitted application puts it under review."""
    application = _locked(application)
    if application.status in (Status.DRAFT, Status.WITHDRAWN):
        raise ValidationError(
            gettext("A %(status)s application cannot be reviewed.")
            % {"status": application.get_status_display().lower()},
            code="not_reviewable",
        )
    review = ApplicationReview.objects.filter(application=application, reviewer=reviewer).first()
    if review is None:
        review = ApplicationReview(application=application, reviewer=reviewer)
    review.score = score
    review.comment = comment.strip()
    review.full_clean()
    review.save()
    if application.status == Status.SUBMITTED:
        _record_status_change(application, to_status=Status.UNDER_REVIEW, by=reviewer)
    return review


@transaction.atomic
def application_decision_send(*, application: Application) -> bool:
    """Email the applicant the committee's decision, once: the message is named after the
    application and the decision, so sending again tells nobody twice. Returns whether a
    new email was queued."""
    application = _locked(application)
    if application.status not in DECISIONS:
        raise ValidationError(
            gettext("A %(status)s application has no decision to send.")
            % {"status": application.get_status_display().lower()},
            code="no_decision",
        )
    if application.applicant is None:
        raise ValidationError(gettext("The applicant deleted their account."), code="no_applicant")
    delivery, created = emails.send_decision(application=application)
    if application.decision_sent_at is None:
        # Back to a decision the applicant was already told: that email is the one.
        application.decision_sent_at = timezone.now() if created else delivery.created_at
        application.save(update_fields=["decision_sent_at", "updated_at"])
    return created


@dataclass
class DecisionsOutcome:
    sent: list[Application] = field(default_factory=list)
    already_told: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def applications_decisions_send(*, applications: Iterable[Application]) -> DecisionsOutcome:
    """Send each application's decision (a committee action on a selection)."""
    outcome = DecisionsOutcome()
    for application in applications:
        try:
            created = application_decision_send(application=application)
        except ValidationError as exc:
            outcome.refused.append((application, " ".join(exc.messages)))
        else:
            (outcome.sent if created else outcome.already_told).append(application)
    return outcome


@dataclass
class DecisionsPlan:
    """What “Send decisions” will do with a selection, known before anything is sent."""

    to_send: list[int] = field(default_factory=list)
    already_told: list[Application] = field(default_factory=list)
    refused: list[Application] = field(default_factory=list)


# Sent after commit with the ids whose decisions a worker should send; tasks.py, which
# calls these services, answers it by queuing ``send_decisions`` (no import back here).
decisions_queued = Signal()


def applications_decisions_queue(*, applications: Iterable[Application]) -> DecisionsPlan:
    """Queue the decisions of a selection to be sent by a worker after commit.

    Rendering and recording a few hundred emails takes seconds, too long for the
    committee's request; the worker sends each decision once (see
    :func:`application_decision_send`), so queuing twice tells nobody twice."""
    plan = DecisionsPlan()
    for application in applications:
        if application.status not in DECISIONS or application.applicant_id is None:
            plan.refused.append(application)
        elif application.decision_sent_at is not None:
            plan.already_told.append(application)
        else:
            plan.to_send.append(application.pk)
    if plan.to_send:
        ids = list(plan.to_send)
        transaction.on_commit(
            lambda: decisions_queued.send(sender=Application, application_ids=ids)
        )
    return plan
