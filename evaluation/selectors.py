"""Reads of the participants' survey pages. (The committee's figures are in
``health.py``.)"""

from __future__ import annotations

from django.db.models import QuerySet

from mentoring.models import User

from .models import Answer, Invitation, Question, Survey


def invitations_of_person(user: User) -> QuerySet[Invitation]:
    """A person's invitations to surveys that were sent, the newest first."""
    return (
        Invitation.objects.filter(person=user, survey__status__in=_SENT)
        .select_related("survey__cycle__program")
        .order_by("-survey__opens_on", "-pk")
    )


_SENT = [Survey.Status.OPEN, Survey.Status.CLOSED]


def invitations_waiting(user: User) -> QuerySet[Invitation]:
    """A person's unanswered invitations to surveys open now (by status: the caller
    checks each survey's closing day against its program's today), the newest first,
    with their survey but not its cycle and program: a caller holding the programs'
    shared content gives each survey its cycle from there."""
    return (
        Invitation.objects.filter(
            person=user, answered_at__isnull=True, survey__status=Survey.Status.OPEN
        )
        .select_related("survey")
        .order_by("-survey__opens_on", "-pk")
    )


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("survey__cycle__program", "person")
        .filter(token=token, person__isnull=False)
        .first()
    )


def survey_questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "id"))


def answers_of(invitation: Invitation) -> list[Answer]:
    return list(
        invitation.answers.select_related("question").order_by("question__position", "question_id")
    )
