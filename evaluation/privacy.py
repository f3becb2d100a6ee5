"""A person's survey invitations and answers: what they can download, and what is left
when they delete their account (found by ``mentoring.privacy``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from mentoring.models import Cycle, User

from .models import Answer, Invitation, Question


def export_personal_data(user: User) -> dict:
    invitations = (
        Invitation.objects.filter(person=user)
        .select_related("survey__cycle__program")
        .prefetch_related("answers__question")
        .order_by("survey__opens_on", "pk")
    )
    return {
        "surveys": [
            {
                "survey": invitation.survey.title,
                "cycle": str(invitation.survey.cycle),
                "role": invitation.role,
                "invited_at": _iso(invitation.invited_at),
                "reminded_at": _iso(invitation.reminded_at),
                "answered_at": _iso(invitation.answered_at),
                "last_changed_at": _iso(invitation.updated_at),
                "agreed_to_be_named": invitation.named,
                "answers": [
                    {"question": answer.question.text, "answer": answer.shown}
                    for answer in sorted(
                        invitation.answers.all(),
                        key=lambda a: (a.question.position, a.question_id),
                    )
                ],
            }
            for invitation in invitations
        ]
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def invitations_anonymise(invitations: QuerySet[Invitation]) -> int:
    """The 1-5 and choice answers stay in the totals without the person; their written
    answers (which may say who they are) and their consent to be named go, and their
    survey links stop working."""
    Answer.objects.filter(invitation__in=invitations, question__kind=Question.Kind.TEXT).delete()
    return invitations.update(person=None, named=False)


@transaction.atomic
def erase_personal_data(user: User) -> None:
    invitations_anonymise(Invitation.objects.filter(person=user))


def _of_cycle(cycle: Cycle) -> QuerySet[Invitation]:
    return Invitation.objects.filter(survey__cycle=cycle)


def cycle_personal_data(cycle: Cycle) -> dict[str, int]:
    return {"survey invitations": _of_cycle(cycle).count()}


def anonymise_cycle(cycle: Cycle) -> None:
    invitations_anonymise(_of_cycle(cycle))
