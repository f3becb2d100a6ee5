"""Reads of the certificates."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from goals.models import Goal
from matches.models import Match
from mentoring import sql
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


def issued_code_sql(match: str, applications: int) -> str:
    """For a query of a person's matches written out: the code of the certificate issued
    for the match whose id is in the column ``match``, to one of the person's
    ``applications`` (as many ids, its parameters), not withheld; NULL without one. Read
    with the matches, the certificates cost the page no query of their own."""
    c = Certificate
    return (
        f"(SELECT {sql.column(c, 'code', 'certificate')} FROM {sql.table(c, 'certificate')} "
        f"WHERE {sql.column(c, 'match', 'certificate')} = {match} "
        f"AND {sql.column(c, 'withheld_at', 'certificate')} IS NULL "
        f"AND {sql.column(c, 'application', 'certificate')} "
        f"IN ({sql.placeholders(range(applications))}))"
    )


def downloadable_certificate(match: Match, code: str | None) -> Certificate | None:
    """The person's certificate of ``match`` from the code read with it
    (:func:`issued_code_sql`): only a concluded match has one to download."""
    if match.status != Match.Status.CONCLUDED or not code:
        return None
    return Certificate(match_id=match.pk, code=code)


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
