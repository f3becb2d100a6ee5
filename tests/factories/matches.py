from __future__ import annotations

import factory
from django.utils import timezone

from matches.models import Match, MatchingWeights, Meeting, NeverPair

from .applications import ApplicationFactory
from .core import CycleFactory

__all__ = [
    "MatchFactory",
    "ProposalFactory",
    "MatchingWeightsFactory",
    "NeverPairFactory",
    "MeetingFactory",
    "accepted_mentor",
    "accepted_mentee",
]


class MatchFactory(factory.django.DjangoModelFactory):
    """An active match: a mentor and a mentee of the same cycle, confirmed."""

    class Meta:
        model = Match

    cycle = factory.SubFactory(CycleFactory)
    mentor = factory.SubFactory(
        ApplicationFactory,
        cycle=factory.SelfAttribute("..cycle"),
        mentor=True,
        status="accepted",
    )
    mentee = factory.SubFactory(
        ApplicationFactory, cycle=factory.SelfAttribute("..cycle"), status="accepted"
    )
    status = Match.Status.ACTIVE
    score = 72.5
    confirmed_at = factory.LazyFunction(timezone.now)


class ProposalFactory(MatchFactory):
    """A proposal the engine made, not yet confirmed."""

    status = Match.Status.PROPOSED
    confirmed_at = None
    reasons = factory.LazyFunction(lambda: ["both prefer email"])


class MatchingWeightsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchingWeights

    cycle = factory.SubFactory(CycleFactory)


class NeverPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeverPair

    mentor = factory.SubFactory(ApplicationFactory, mentor=True, status="accepted")
    mentee = factory.SubFactory(
        ApplicationFactory, cycle=factory.SelfAttribute("..mentor.cycle"), status="accepted"
    )
    reason = "Former colleagues"


def accepted_mentor(cycle, **kwargs):
    """An accepted mentor's application in ``cycle`` (capacity 1 unless given)."""
    return ApplicationFactory(cycle=cycle, mentor=True, status="accepted", **kwargs)


def accepted_mentee(cycle, **kwargs):
    return ApplicationFactory(cycle=cycle, status="accepted", **kwargs)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A video call of an hour, recorded by the mentee, on the cycle's first day."""

    class Meta:
        model = Meeting

    match = factory.SubFactory(MatchFactory)
    on = factory.LazyAttribute(lambda o: o.match.cycle.starts_on)
    minutes = 60
    way = Meeting.Way.VIDEO
    recorded_by = factory.LazyAttribute(lambda o: o.match.mentee.applicant)
