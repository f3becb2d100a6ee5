"""The program's alumni: the partners of a year's concluded matches, and the people who
come back. One definition for every page that counts them (the committee's home, the
health page, the year's report) and for the invitation to come back.

A *returning* applicant of a cycle applied to it (submitted) after concluding a match in
an earlier year of the same program, as mentee or mentor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

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


def _concluded_before(role: str) -> Exists:
    """A concluded match, in an earlier year of the applicant's program, in which the
    applicant (of the outer application) was the partner of that ``role``.

    One role a subquery: the two asked in one, with an OR across the mentee's and the
    mentor's application, cannot use the applicant's index, and the committee's home
    page then joined every applicant with every concluded match (90 ms at 5,000
    applications, against 2 ms)."""
    partner = "mentee" if role == Role.MENTEE else "mentor"
    return Exists(
        Match.objects.filter(
            status=Match.Status.CONCLUDED,
            cycle__program_id=OuterRef("cycle__program_id"),
            cycle__ends_on__lt=OuterRef("cycle__starts_on"),
            **{f"{partner}__applicant_id": OuterRef("applicant_id")},
        )
    )


def returning_by_cycle(cycle_ids: Iterable[int]) -> dict[int, Returning]:
    """Returning applicants of each cycle (every cycle asked for has an entry). One
    query however many cycles and people."""
    ids = list(cycle_ids)
    rows = (
        Application.objects.filter(
            cycle_id__in=ids, submitted_at__isnull=False, applicant__isnull=False
        )
        .annotate(
            was_mentee=_concluded_before(Role.MENTEE), was_mentor=_concluded_before(Role.MENTOR)
        )
        .filter(Q(was_mentee=True) | Q(was_mentor=True))
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
        pk: Returning(
            mentees=counts[pk][Role.MENTEE],
            mentors=counts[pk][Role.MENTOR],
            mentees_as_mentors=counts[pk]["mentees_as_mentors"],
        )
        for pk in ids
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
