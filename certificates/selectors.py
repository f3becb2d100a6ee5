"""Reads of the certificates."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404
from django.shortcuts import get_object_or_404

from goals.models import Goal
from matches.models import Match
from mentoring.models import User

from .models import Certificate, normalise_code
from .pdf import GoalLine


def certificate_of(user: User, match_id: int) -> Certificate:
    """The person's own certificate for a concluded match; a 404 for anyone else, and
    while it is withheld."""
    return get_object_or_404(
        Certificate.objects.issued().select_related(
            "application__applicant", "match__cycle__program"
        ),
        match_id=match_id,
        match__status=Match.Status.CONCLUDED,
        application__applicant=user,
        application__applicant__isnull=False,
    )


def certificates_by_match(user: User, matches: Iterable[Match]) -> dict[int, Certificate]:
    """The person's downloadable certificates of these matches, by match id: one query,
    none for someone with no concluded match."""
    concluded = [m.pk for m in matches if m.status == Match.Status.CONCLUDED]
    if not concluded:
        return {}
    return {
        c.match_id: c
        for c in Certificate.objects.issued().filter(
            match__in=concluded,
            match__status=Match.Status.CONCLUDED,
            application__applicant=user,
        )
    }


def goal_lines(certificate: Certificate) -> list[GoalLine]:
    """The pair's current goals and their final outcomes, for the PDF (the outcome's
    label stays lazy: the PDF is written in its person's language, not the asker's)."""
    goals = Goal.objects.current().filter(sheet__match_id=certificate.match_id).order_by("pk")
    return [
        GoalLine(g.title, Goal.Outcome(g.final_outcome).label if g.final_outcome else "")
        for g in goals
    ]


def certificate_verified(code: str) -> Certificate:
    """A certificate anyone may verify by its code (not withheld); a 404 otherwise."""
    found = (
        Certificate.objects.issued()
        .select_related("application", "match__cycle__program")
        .filter(code=normalise_code(code))
        .first()
    )
    if found is None:
        raise Http404("No certificate has this code.")
    return found
