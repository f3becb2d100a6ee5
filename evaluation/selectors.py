"""Reads of the participants' survey pages. (The committee's figures are in
``health.py``.)"""

from __future__ import annotations

import functools

from django.db.models import QuerySet

from mentoring import sql
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


def invitations_waiting(user: User) -> list[Invitation]:
    """A person's unanswered invitations to surveys open now (by status: the caller
    checks each survey's closing day against its program's today), the newest first,
    with their survey but not its cycle and program: a caller holding the programs'
    shared content gives each survey its cycle from there. Written out (“My mentoring”
    asks on every visit): the ORM took longer to compose it than the database to
    answer."""
    rows = sql.read(_waiting_sql(), [user.pk, Survey.Status.OPEN], _WAITING_FIELDS)
    return sql.linked(rows, Invitation.survey.field, _INVITATION_FIELDS, _SURVEY_FIELDS)


_INVITATION_FIELDS = sql.model_fields(Invitation)
_SURVEY_FIELDS = sql.model_fields(Survey)
_WAITING_FIELDS = (*_INVITATION_FIELDS, *_SURVEY_FIELDS)


@functools.cache
def _waiting_sql() -> str:
    i, s = Invitation, Survey
    return (
        f"SELECT {sql.columns(_INVITATION_FIELDS, 'i')}, {sql.columns(_SURVEY_FIELDS, 's')} "
        f"FROM {sql.table(i, 'i')} INNER JOIN {sql.table(s, 's')} "
        f"ON {sql.column(s, 'id', 's')} = {sql.column(i, 'survey', 'i')} "
        f"WHERE {sql.column(i, 'answered_at', 'i')} IS NULL "
        f"AND {sql.column(i, 'person', 'i')} = %s AND {sql.column(s, 'status', 's')} = %s "
        f"ORDER BY {sql.column(s, 'opens_on', 's')} DESC, {sql.column(i, 'id', 'i')} DESC"
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
