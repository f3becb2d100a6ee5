"""Every write of the evaluation: surveys and their questions, sending, reminding,
closing, and a participant's answers.

A survey's status follows ``Survey.TRANSITIONS``. Sending is safe to repeat: each person
has one invitation per survey (a unique constraint) and each email is one ``Delivery``
per message and address, so a task run twice, or a survey opened again, invites and
reminds nobody twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from matches.models import Match
from mentoring.content_spanish import catalogue, spanish
from mentoring.models import Cycle, Event, Milestone, User

from . import emails
from .models import (
    SCALE_MAX,
    SCALE_MIN,
    TEXT_MAX_LENGTH,
    Answer,
    Invitation,
    Question,
    Survey,
)

DEFAULTS_FILE = Path(__file__).parent / "data" / "default_surveys.json"
# How long each default survey takes answers.
MID_YEAR_OPEN_DAYS = 21
END_CLOSES_DAYS_AFTER_PROGRAM = 14
# The end-of-program evaluation goes out this long before the program concludes.
END_OPENS_DAYS_BEFORE_CONCLUSION = 29

# Lazy: read by the survey's form and services in the participant's language.
SCALE_ERROR = format_lazy(
    gettext_lazy("Choose a number from {low} to {high}."), low=SCALE_MIN, high=SCALE_MAX
)
# “%(value)s” is filled in by the form (its invalid_choice) or by the service.
SCALE_OUT_OF_RANGE = format_lazy(
    gettext_lazy("Choose a number from {low} to {high}: “%(value)s” is not on the scale."),
    low=SCALE_MIN,
    high=SCALE_MAX,
)
REQUIRED_ERROR = {
    Question.Kind.SCALE: SCALE_ERROR,
    Question.Kind.CHOICE: gettext_lazy("Choose one of the answers."),
    Question.Kind.TEXT: gettext_lazy("Write a few words."),
}


def field_name(question: Question) -> str:
    """The form field (and error key) of a question."""
    return f"q{question.pk}"


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("cycle__program").get(pk=survey.pk)


def _transition(survey: Survey, to: str) -> None:
    if not survey.can_become(to):
        raise ValidationError(
            gettext("A survey that is %(status)s cannot become %(to)s.")
            % {
                "status": survey.get_status_display().lower(),
                "to": Survey.Status(to).label.lower(),
            },
            code="transition",
        )
    survey.status = to


# --- Surveys and questions ----------------------------------------------------------------


@transaction.atomic
def survey_save(*, survey: Survey, by: User | None = None) -> Survey:
    """Create or change a survey (its title, introduction and dates; the status changes
    through the other services)."""
    if survey.pk is None:
        survey.created_by = by
        survey.status = Survey.Status.DRAFT
    survey.full_clean()
    survey.save()
    return survey


def _check_questions(survey: Survey) -> None:
    questions = list(survey.questions.all())
    if not questions:
        raise ValidationError(gettext("Add at least one question first."), code="no_questions")
    for question in questions:
        question.survey = survey
        question.full_clean()


@transaction.atomic
def survey_schedule(*, survey: Survey, by: User | None = None) -> Survey:
    """Have a draft sent automatically on its opening day."""
    survey = _lock(survey)
    _transition(survey, Survey.Status.SCHEDULED)
    _check_questions(survey)
    survey.full_clean()
    survey.save(update_fields=["status"])
    return survey


@transaction.atomic
def survey_unschedule(*, survey: Survey, by: User | None = None) -> Survey:
    """Back to a draft: it will not be sent until scheduled or sent by hand."""
    survey = _lock(survey)
    _transition(survey, Survey.Status.DRAFT)
    survey.save(update_fields=["status"])
    return survey


@transaction.atomic
def survey_open(*, survey: Survey, by: User | None = None) -> int:
    """Send the survey now: it takes answers, and every active mentor and mentee of the
    cycle is invited by email (each once). Returns how many were invited now."""
    survey = _lock(survey)
    today = survey.cycle.program.today()
    _transition(survey, Survey.Status.OPEN)
    _check_questions(survey)
    if survey.closes_on < today:
        raise ValidationError(
            {"closes_on": gettext("The closing day has passed: move it later before sending.")},
            code="closed",
        )
    survey.opened_at = survey.opened_at or timezone.now()
    survey.closed_at = None
    survey.save(update_fields=["status", "opened_at", "closed_at"])
    return _invite(survey)


@transaction.atomic
def survey_send_due(*, survey: Survey) -> int:
    """What the beat task does for one survey, decided under a lock so two workers agree:
    send a scheduled survey whose day has come, or invite the newcomers to an open one.
    Returns how many were invited now."""
    survey = _lock(survey)
    today = survey.cycle.program.today()
    if survey.status == Survey.Status.SCHEDULED and survey.opens_on <= today:
        return survey_open(survey=survey)
    if survey.takes_answers_on(today):
        return _invite(survey)
    return 0


@transaction.atomic
def survey_close_ended(*, survey: Survey) -> bool:
    """Close an open survey whose last day has passed (once, whoever asks twice)."""
    survey = _lock(survey)
    if survey.status != Survey.Status.OPEN or survey.closes_on >= survey.cycle.program.today():
        return False
    survey_close(survey=survey)
    return True


def participants(cycle: Cycle, *, concluded_only: bool = False) -> dict[int, tuple[User, str]]:
    """Every active mentor and mentee of a cycle (matches at work or concluded with the
    program), by person, with their role; someone who is both is asked as a mentee.
    ``concluded_only``: the partners of its concluded matches (the closing survey's)."""
    statuses = [Match.Status.CONCLUDED]
    if not concluded_only:
        statuses.append(Match.Status.ACTIVE)
    matches = list(
        Match.objects.filter(cycle=cycle, status__in=statuses)
        .select_related("mentor__applicant", "mentee__applicant")
        .order_by("pk")
    )
    return partners_of(matches)


def partners_of(matches: list[Match]) -> dict[int, tuple[User, str]]:
    """The people of these matches with an active account, by person, with their role
    (mentees first, so someone who is both is asked as a mentee)."""
    people: dict[int, tuple[User, str]] = {}
    for application in [m.mentee for m in matches] + [m.mentor for m in matches]:
        person = application.applicant
        if person is not None and person.is_active and person.pk not in people:
            people[person.pk] = (person, application.role)
    return people


@transaction.atomic
def invite_people(*, survey: Survey, people: dict[int, tuple[User, str]]) -> int:
    """Invite these people to an open survey (those not invited yet), under its lock."""
    return _invite(_lock(survey), people)


def _invite(survey: Survey, people: dict[int, tuple[User, str]] | None = None) -> int:
    """Invite these people (by default everyone the survey is for) who were not yet
    invited, each once: an invitation row per person (unique), an email per address."""
    if people is None:
        people = participants(survey.cycle, concluded_only=survey.kind == Survey.Kind.CLOSING)
    invited = set(
        Invitation.objects.filter(survey=survey, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    Invitation.objects.bulk_create(
        [
            Invitation(survey=survey, person=person, role=role)
            for pk, (person, role) in people.items()
            if pk not in invited
        ]
    )
    now = timezone.now()
    waiting = list(
        Invitation.objects.filter(
            survey=survey, invited_at__isnull=True, person_id__in=list(people)
        ).select_related("person")
    )
    for invitation in waiting:
        invitation.survey = survey
        emails.survey_invitation(invitation=invitation)
    Invitation.objects.filter(pk__in=[i.pk for i in waiting]).update(invited_at=now)
    return len(waiting)


@transaction.atomic
def survey_close(*, survey: Survey, by: User | None = None) -> Survey:
    """Stop taking answers (the beat task closes a survey after its closing day)."""
    survey = _lock(survey)
    _transition(survey, Survey.Status.CLOSED)
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    return survey


def survey_remind(*, survey: Survey, now: dt.datetime | None = None) -> int:
    """Remind, once, each person invited a week ago or more who has not answered, while
    the survey takes answers. Returns how many were reminded now."""
    now = now or timezone.now()
    survey = Survey.objects.select_related("cycle__program").get(pk=survey.pk)
    if not survey.takes_answers_on(survey.cycle.program.today()):
        return 0
    reminded = 0
    for invitation in (
        Invitation.objects.filter(survey=survey).due_a_reminder(now=now).select_related("person")
    ):
        with transaction.atomic():
            # Claim the reminder first: a second run, or a second worker, finds it taken.
            claimed = Invitation.objects.filter(
                pk=invitation.pk, reminded_at__isnull=True, answered_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                invitation.survey = survey
                emails.survey_reminder(invitation=invitation)
                reminded += 1
    return reminded


# --- The two default surveys of a cycle ---------------------------------------------------


def default_specs() -> dict[str, Any]:
    return json.loads(DEFAULTS_FILE.read_text())


def default_dates(
    cycle: Cycle, kind: str, milestones: list[Milestone], events: list[Event]
) -> tuple[dt.date, dt.date]:
    """When a default survey opens and closes: the mid-year pulse the day after the
    networking session (or at the end of the networking milestone), for three weeks;
    the end-of-program evaluation a month before the conclusion, until two weeks after
    the program's last day."""
    if kind == Survey.Kind.MID_YEAR:
        sessions = [e.ends_on for e in events if e.kind == Event.Kind.NETWORKING_SESSION]
        networking = [m.ends_on for m in milestones if m.kind == Milestone.Kind.NETWORKING]
        if sessions:
            opens = max(sessions) + dt.timedelta(days=1)
        elif networking:
            opens = max(networking)
        else:
            opens = cycle.starts_on + (cycle.ends_on - cycle.starts_on) / 2
        closes = opens + dt.timedelta(days=MID_YEAR_OPEN_DAYS - 1)
    else:
        conclusions = [m.starts_on for m in milestones if m.kind == Milestone.Kind.CONCLUSION]
        conclusion = min(conclusions) if conclusions else cycle.ends_on
        opens = conclusion - dt.timedelta(days=END_OPENS_DAYS_BEFORE_CONCLUSION)
        closes = cycle.ends_on + dt.timedelta(days=END_CLOSES_DAYS_AFTER_PROGRAM)
    opens = min(max(opens, cycle.starts_on), cycle.ends_on)
    return opens, max(closes, opens)


def default_surveys_create(*, cycle: Cycle, today: dt.date | None = None) -> list[Survey]:
    """Give a cycle the mid-year pulse and the end-of-program evaluation it lacks, with
    the default questions tagged with the program's objectives. Scheduled, so they go
    out on their day; one whose day has already passed is left a draft for staff to
    send or not. Returns the surveys created (none the second time)."""
    today = today or cycle.program.today()
    specs = default_specs()
    milestones = list(cycle.milestones.all())
    events = list(cycle.events.all())
    objectives = {o.position: o for o in cycle.program.objectives.all()}
    existing = set(cycle.surveys.exclude(kind=Survey.Kind.OTHER).values_list("kind", flat=True))
    created = []
    for kind in (Survey.Kind.MID_YEAR, Survey.Kind.END_OF_PROGRAM):
        if kind in existing:
            continue
        spec = specs[kind]
        opens, closes = default_dates(cycle, kind, milestones, events)
        words = spanish_words(cycle.program)
        survey = Survey(
            cycle=cycle,
            kind=kind,
            title_en=spec["title"],
            introduction_en=spec["introduction"],
            title_es=spanish(spec["title"], words),
            introduction_es=spanish(spec["introduction"], words),
            opens_on=opens,
            closes_on=closes,
            status=Survey.Status.SCHEDULED if opens >= today else Survey.Status.DRAFT,
        )
        survey.full_clean()
        try:
            with transaction.atomic():
                survey.save()
                Question.objects.bulk_create(
                    question_from_spec(survey, position, item, objectives)
                    for position, item in enumerate(spec["questions"], start=1)
                )
        except IntegrityError:
            continue  # made meanwhile by another run
        created.append(survey)
    return created


def spanish_words(program) -> dict[str, str]:
    """The default surveys' Spanish (data/es.json), in the program's own words too."""
    words = catalogue(DEFAULTS_FILE.parent)
    field_en = program.field_of_work_en or "the field"
    field_es = program.field_of_work_es or "su área"
    return {
        **words,
        **{
            en.replace("{field_of_work}", field_en): es.replace("{field_of_work}", field_es)
            for en, es in words.items()
            if "{field_of_work}" in en
        },
    }


def question_from_spec(survey: Survey, position: int, item: dict, objectives: dict) -> Question:
    """A default question (an item of ``default_surveys.json``), tagged with the program
    objective at its position; unsaved."""
    program = survey.cycle.program
    words = spanish_words(program)
    english = {
        # In the program's own words: "skills in collections and technical services".
        "text": item["text"].replace("{field_of_work}", program.field_of_work_en or "the field"),
        "help_text": item.get("help_text", ""),
        "choices": "\n".join(item.get("choices", [])),
    }
    question = Question(
        survey=survey,
        position=position,
        kind=item["kind"],
        objective=objectives.get(item.get("objective")),
        required=item.get("required", True),
        **{f"{name}_en": value for name, value in english.items()},
        **{f"{name}_es": spanish(value, words) for name, value in english.items()},
        low_label_es=spanish(Question._meta.get_field("low_label").default, words),
        high_label_es=spanish(Question._meta.get_field("high_label").default, words),
    )
    question.full_clean(exclude=["survey"])
    return question


# --- Answers ------------------------------------------------------------------------------


def _clean_answer(question: Question, value: Any) -> tuple[int | None, str, str] | None:
    """(number, choice, text) for a value given to a question, None when left blank.
    Raises ValidationError with the message for the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if question.required:
            raise ValidationError(REQUIRED_ERROR[question.kind], code="required")
        return None
    if question.kind == Question.Kind.SCALE:
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or not SCALE_MIN <= number <= SCALE_MAX:
            raise ValidationError(SCALE_OUT_OF_RANGE, code="out_of_scale", params={"value": value})
        return number, "", ""
    if question.kind == Question.Kind.CHOICE:
        if value not in question.choice_list:
            raise ValidationError(
                gettext("Choose one of the answers listed."), code="invalid_choice"
            )
        return None, value, ""
    text = str(value).strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            gettext("Keep it under %(limit)s characters (this has %(length)s).")
            % {"limit": TEXT_MAX_LENGTH, "length": len(text)},
            code="max_length",
        )
    return None, "", text


@transaction.atomic
def survey_answer(
    *,
    invitation: Invitation,
    answers: Mapping[int, Any],
    named: bool,
    now: dt.datetime | None = None,
) -> Invitation:
    """Record a person's answers (question id -> value) and whether they agree to be
    named. Answering again replaces every earlier answer: the last one counts.

    Raises ValidationError keyed by each question's field name (``q<id>``) when an
    answer is missing or outside what the question allows; nothing is saved then."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey__cycle__program")
        .get(pk=invitation.pk)
    )
    survey = invitation.survey
    if invitation.person_id is None:
        raise ValidationError(gettext("This invitation is no longer valid."), code="erased")
    if not survey.takes_answers_on(survey.cycle.program.today()):
        raise ValidationError(gettext("This survey is not taking answers."), code="closed")
    cleaned: dict[int, tuple[int | None, str, str]] = {}
    errors: dict[str, list[ValidationError]] = {}
    for question in survey.questions.all():
        try:
            value = _clean_answer(question, answers.get(question.pk))
        except ValidationError as exc:
            errors[field_name(question)] = [exc]
            continue
        if value is not None:
            cleaned[question.pk] = value
    if errors:
        raise ValidationError(errors)
    Answer.objects.filter(invitation=invitation).exclude(question_id__in=list(cleaned)).delete()
    for question_id, (number, choice, text) in cleaned.items():
        answer = Answer.objects.filter(invitation=invitation, question_id=question_id).first()
        answer = answer or Answer(invitation=invitation, question_id=question_id)
        answer.number, answer.choice, answer.text = number, choice, text
        answer.full_clean(exclude=["invitation", "question"], validate_unique=False)
        answer.save()
    invitation.named = named
    invitation.answered_at = invitation.answered_at or now
    invitation.updated_at = now
    invitation.save(update_fields=["named", "answered_at", "updated_at"])
    return invitation
