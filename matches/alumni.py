"""The program's alumni: the partners of a year's concluded matches, and the people who
come back. One definition for every page that counts them (the committee's home, the
health page, the year's report) and for the invitation to come back.

A *returning* applicant of a cycle applied to it (submitted) after concluding a match in
an earlier year of the same program, as mentee or mentor.
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q

from applications.models import Application
from mentoring.models import Cycle

from .models import Match

Role = Application.Role


@dataclass(frozen=True)
class Returning:
    """Returning applicants of a cycle by the role they apply for; ``mentees_as_mentors``
    of the mentors were mentees the year they concluded."""

    mentees: int = 0
    mentors: int = 0
    mentees_as_mentors: int = 0

    @property
    def total(self) -> int:
        return self.mentees + self.mentors


def _partners_before(cycle: Cycle, partner: str):
    """The applicants who were the ``partner`` ("mentee" or "mentor") of a match
    concluded in an earlier year of ``cycle``'s program: their ids, as a subquery."""
    return Match.objects.filter(
        status=Match.Status.CONCLUDED,
        cycle__program_id=cycle.program_id,
        cycle__ends_on__lt=cycle.starts_on,
    ).values(f"{partner}__applicant_id")


def returning_by_cycle(cycles: Iterable[Cycle]) -> dict[int, Returning]:
    """Returning applicants of each cycle (every cycle asked for has an entry). One
    query however many cycles and people.

    Each cycle's alumni are one subquery, the same for all of its applicants, which the
    database reads once and looks each applicant up in. Asked per applicant instead (was
    this person a partner of a concluded match of an earlier year?), it was 8,000
    lookups for the committee's home at 5,000 applications, or, with the mentee's and
    the mentor's side in one condition, every applicant against every concluded match."""
    cycles = list(cycles)
    if not cycles:
        return {}
    returning, was_mentee = [], []
    for cycle in cycles:
        mentees = Q(applicant_id__in=_partners_before(cycle, "mentee"))
        mentors = Q(applicant_id__in=_partners_before(cycle, "mentor"))
        returning.append(Q(cycle_id=cycle.pk) & (mentees | mentors))
        was_mentee.append(Q(cycle_id=cycle.pk) & mentees)
    rows = (
        Application.objects.filter(
            cycle_id__in=[cycle.pk for cycle in cycles],
            submitted_at__isnull=False,
            applicant__isnull=False,
        )
        .filter(functools.reduce(operator.or_, returning))
        .annotate(
            was_mentee=ExpressionWrapper(
                functools.reduce(operator.or_, was_mentee), output_field=BooleanField()
            )
        )
        .values("cycle_id", "role", "was_mentee")
        .annotate(people=Count("applicant_id", distinct=True))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row["cycle_id"]][row["role"]] += row["people"]
        if row["role"] == Role.MENTOR and row["was_mentee"]:
            counts[row["cycle_id"]]["mentees_as_mentors"] += row["people"]
    return {
        cycle.pk: Returning(
            mentees=counts[cycle.pk][Role.MENTEE],
            mentors=counts[cycle.pk][Role.MENTOR],
            mentees_as_mentors=counts[cycle.pk]["mentees_as_mentors"],
        )
        for cycle in cycles
    }


def returned_later(cycle: Cycle) -> Returning:
    """The partners of a cycle's concluded matches who applied (submitted) to a later
    year of the program, by the role they applied for. One query."""
    concluded = Match.objects.filter(cycle=cycle, status=Match.Status.CONCLUDED)
    rows = (
        Application.objects.filter(
            cycle__program_id=cycle.program_id,
            cycle__starts_on__gt=cycle.ends_on,
            submitted_at__isnull=False,
            applicant__isnull=False,
        )
        .annotate(
            was_mentee=Exists(concluded.filter(mentee__applicant_id=OuterRef("applicant_id"))),
            was_mentor=Exists(concluded.filter(mentor__applicant_id=OuterRef("applicant_id"))),
        )
        .filter(Q(was_mentee=True) | Q(was_mentor=True))
        .values("role", "was_mentee")
        .annotate(people=Count("applicant_id", distinct=True))
        .order_by()
    )
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["role"]] += row["people"]
        if row["role"] == Role.MENTOR and row["was_mentee"]:
            counts["mentees_as_mentors"] += row["people"]
    return Returning(
        mentees=counts[Role.MENTEE],
        mentors=counts[Role.MENTOR],
        mentees_as_mentors=counts["mentees_as_mentors"],
    )


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The program's year before this one: the latest that ended before it starts."""
    return (
        Cycle.objects.filter(program_id=cycle.program_id, ends_on__lt=cycle.starts_on)
        .order_by("-ends_on")
        .first()
    )


def alumni_of(cycle: Cycle) -> list[tuple[Application, str]]:
    """The partners of a cycle's concluded matches with an active account, each once,
    with the application they took part with: (application, role). A person who was
    both is counted as a mentee (the invitation to mentor suits them)."""
    matches = list(
        Match.objects.filter(cycle=cycle, status=Match.Status.CONCLUDED)
        .select_related("mentee__applicant", "mentor__applicant")
        .order_by("pk")
    )
    people: dict[int, tuple[Application, str]] = {}
    for application in [m.mentee for m in matches] + [m.mentor for m in matches]:
        person = application.applicant
        if person is not None and person.is_active and person.pk not in people:
            people[person.pk] = (application, application.role)
    return list(people.values())
