"""Factories of the evaluation: surveys (open today unless told), questions tagged with an
objective, invitations and answers."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from evaluation.models import Answer, Invitation, Question, Survey
from mentoring.models import ProgramObjective

from .core import CycleFactory, UserFactory

__all__ = [
    "ObjectiveFactory",
    "SurveyFactory",
    "QuestionFactory",
    "InvitationFactory",
    "AnswerFactory",
]


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramObjective

    program = factory.SubFactory("tests.factories.core.ProgramFactory")
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Objective {n + 1} of the program")


class SurveyFactory(factory.django.DjangoModelFactory):
    """An open survey of another kind than the defaults, taking answers for three weeks
    from today."""

    class Meta:
        model = Survey

    cycle = factory.SubFactory(CycleFactory)
    kind = Survey.Kind.OTHER
    title = factory.Sequence(lambda n: f"Survey {n}")
    introduction = "How is your mentoring year going?"
    opens_on = factory.LazyAttribute(lambda o: o.cycle.program.today())
    closes_on = factory.LazyAttribute(lambda o: o.opens_on + dt.timedelta(days=21))
    status = Survey.Status.OPEN
    opened_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in (Survey.Status.OPEN, Survey.Status.CLOSED) else None
    )


class QuestionFactory(factory.django.DjangoModelFactory):
    """A 1-5 question; ``kind="choice"`` gets three choices."""

    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.SCALE
    text = factory.Sequence(lambda n: f"Question {n}: the program helps me.")
    choices = factory.LazyAttribute(
        lambda o: "Every week\nEvery month\nLess often" if o.kind == Question.Kind.CHOICE else ""
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    person = factory.SubFactory(UserFactory)
    role = Invitation.Role.MENTEE
    invited_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    invitation = factory.SubFactory(InvitationFactory)
    question = factory.SubFactory(
        QuestionFactory, survey=factory.SelfAttribute("..invitation.survey")
    )
    number = 4
