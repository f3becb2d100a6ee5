"""Reads of the certificates."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Application
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


def certificates_by_match(user: User, matches: Iterable[Match]) -> dict[int, Certificate]:
    """The person's downloadable certificates of these matches, by match id: one query,
    none for someone with no concluded match. Written out (“My mentoring” reads it on
    every visit): the ORM took longer to compose it than the database to answer."""
    concluded = [m.pk for m in matches if m.status == Match.Status.CONCLUDED]
    if not concluded:
        return {}
    rows = sql.read(
        _certificates_sql(len(concluded)),
        [user.pk, *concluded, Match.Status.CONCLUDED],
        _CERTIFICATE_FIELDS,
    )
    certificates = (Certificate.from_db(DEFAULT_DB_ALIAS, _CERTIFICATE_ATTNAMES, r) for r in rows)
    return {c.match_id: c for c in certificates}


_CERTIFICATE_FIELDS = tuple(sql.model_fields(Certificate))
_CERTIFICATE_ATTNAMES = [f.attname for f in _CERTIFICATE_FIELDS]


@functools.lru_cache(maxsize=8)
def _certificates_sql(matches: int) -> str:
    """certificates_by_match's query: issued certificates of a person's applications
    in ``matches`` concluded matches."""
    c, a, m = Certificate, Application, Match
    return (
        f"SELECT {sql.columns(_CERTIFICATE_FIELDS, 'c')} FROM {sql.table(c, 'c')} "
        f"INNER JOIN {sql.table(a, 'a')} "
        f"ON {sql.column(a, 'id', 'a')} = {sql.column(c, 'application', 'c')} "
        f"INNER JOIN {sql.table(m, 'm')} "
        f"ON {sql.column(m, 'id', 'm')} = {sql.column(c, 'match', 'c')} "
        f"WHERE {sql.column(c, 'withheld_at', 'c')} IS NULL "
        f"AND {sql.column(a, 'applicant', 'a')} = %s "
        f"AND {sql.column(c, 'match', 'c')} IN ({sql.placeholders(range(matches))}) "
        f"AND {sql.column(m, 'status', 'm')} = %s "
        f"ORDER BY {sql.column(c, 'issued_at', 'c')} DESC, {sql.column(c, 'id', 'c')} ASC"
    )


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
