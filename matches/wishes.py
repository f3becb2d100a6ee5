"""Who a participant would like to be paired with, said before matching: an accepted
mentee reads the directory of the cycle's listed mentors and marks up to three as
preferred and any as “please not”; a mentor chooses to be listed (with a short note) and
marks mentees they should not be paired with (a conflict of interest). The engine reads
them in ``cohorts``; only the person who said them and staff see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from applications.geography import STATE_NAMES
from applications.models import Application
from mentoring.models import Cycle, Milestone, User

from .cohorts import OUTSIDE_STATE
from .models import MAX_PREFERRED, DirectoryListing, PairingWish

Kind = PairingWish.Kind


@dataclass(frozen=True)
class Window:
    """The cycle's time for preferences, from its “Mentor preferences” milestone."""

    opens_on: dt.date | None
    closes_on: dt.date | None
    today: dt.date

    @property
    def is_open(self) -> bool:
        return bool(self.opens_on and self.opens_on <= self.today <= self.closes_on)

    @property
    def not_yet(self) -> bool:
        return bool(self.opens_on and self.today < self.opens_on)


def preferences_window(cycle: Cycle) -> Window:
    """Staff set its dates on the cycle's milestone; without one there is no window."""
    milestone = (
        Milestone.objects.filter(cycle=cycle, kind=Milestone.Kind.PREFERENCES)
        .order_by("starts_on")
        .first()
    )
    today = cycle.program.today()
    if milestone is None:
        return Window(None, None, today)
    return Window(milestone.starts_on, milestone.ends_on, today)


def own_accepted_application(*, user: User, pk: int) -> Application:
    """The person's own accepted application, or 404 (anyone else's is not found)."""
    return get_object_or_404(
        Application.objects.select_related("cycle__program").filter(
            applicant=user, status=Application.Status.ACCEPTED
        ),
        pk=pk,
    )


def directory(cycle: Cycle) -> QuerySet[Application]:
    """The cycle's accepted mentors who chose to be listed, with what the directory
    shows (no contact details are read from them)."""
    return (
        Application.objects.filter(
            cycle=cycle,
            role=Application.Role.MENTOR,
            status=Application.Status.ACCEPTED,
            directory_listing__isnull=False,
        )
        .select_related("directory_listing")
        .prefetch_related("interests")
        .order_by("full_name", "pk")
    )


@dataclass(frozen=True)
class DirectoryEntry:
    """A listed mentor as mentees read them: no contact details."""

    mentor: Application
    library_type: str
    state: str
    interests: list[str]
    ways: list[str]
    note: str


def directory_entries(cycle: Cycle) -> list[DirectoryEntry]:
    ways = {value: str(label) for value, label in Application.Communication.choices}
    return [
        DirectoryEntry(
            mentor=mentor,
            library_type=mentor.get_library_type_display() if mentor.library_type else "",
            state=STATE_NAMES.get(mentor.state, "") if mentor.state != OUTSIDE_STATE else "",
            interests=[i.label for i in mentor.interests.all()],
            ways=[ways.get(c, c) for c in mentor.communication_methods or []],
            note=mentor.directory_listing.note,
        )
        for mentor in directory(cycle)
    ]


def accepted_mentees(cycle: Cycle) -> QuerySet[Application]:
    return Application.objects.filter(
        cycle=cycle, role=Application.Role.MENTEE, status=Application.Status.ACCEPTED
    ).order_by("full_name", "pk")


def wishes_of_mentee(mentee: Application) -> dict[int, str]:
    """The mentee's own wishes, by mentor id (never the mentors' conflicts)."""
    return dict(
        PairingWish.objects.filter(mentee=mentee)
        .exclude(kind=Kind.CONFLICT)
        .values_list("mentor_id", "kind")
    )


def conflicts_of_mentor(mentor: Application) -> set[int]:
    return set(
        PairingWish.objects.filter(mentor=mentor, kind=Kind.CONFLICT).values_list(
            "mentee_id", flat=True
        )
    )


def _check_open(application: Application, user: User) -> None:
    if application.applicant_id != user.pk:
        raise PermissionDenied
    if application.status != Application.Status.ACCEPTED:
        raise ValidationError(gettext("Only accepted applicants choose before matching."))
    if not preferences_window(application.cycle).is_open:
        raise ValidationError(gettext("The time for preferences is over (or not here yet)."))


@transaction.atomic
def mentee_wishes_save(*, mentee: Application, by: User, wishes: dict[int, str]) -> None:
    """Replace the mentee's preferred and “please not” mentors with ``wishes`` (mentor
    id → kind); at most three preferred, all from the cycle's directory."""
    _check_open(mentee, by)
    if mentee.role != Application.Role.MENTEE:
        raise ValidationError(gettext("Mentors declare conflicts of interest, not preferences."))
    wishes = {int(k): v for k, v in wishes.items() if v}
    if any(kind not in (Kind.PREFERRED, Kind.PLEASE_NOT) for kind in wishes.values()):
        raise ValidationError(gettext("Choose preferred, please not, or no preference."))
    if sum(1 for kind in wishes.values() if kind == Kind.PREFERRED) > MAX_PREFERRED:
        raise ValidationError(
            gettext("Mark at most %(count)s mentors as preferred.") % {"count": MAX_PREFERRED}
        )
    listed = set(directory(mentee.cycle).filter(pk__in=wishes).values_list("pk", flat=True))
    if set(wishes) - listed:
        raise ValidationError(gettext("Choose only among the mentors of the directory."))
    PairingWish.objects.filter(mentee=mentee).exclude(kind=Kind.CONFLICT).delete()
    PairingWish.objects.bulk_create(
        PairingWish(mentee=mentee, mentor_id=mentor_id, kind=kind)
        for mentor_id, kind in wishes.items()
    )


@transaction.atomic
def mentor_choices_save(
    *, mentor: Application, by: User, listed: bool, note: str, conflicts: Iterable[int]
) -> None:
    """The mentor's directory listing (kept, changed or taken down) and the mentees they
    should not be paired with."""
    _check_open(mentor, by)
    if mentor.role != Application.Role.MENTOR:
        raise ValidationError(gettext("Mentees choose their preferred mentors."))
    if listed:
        listing = DirectoryListing(mentor=mentor, note=note.strip())
        listing.full_clean(validate_unique=False)
        DirectoryListing.objects.update_or_create(mentor=mentor, defaults={"note": listing.note})
    else:
        DirectoryListing.objects.filter(mentor=mentor).delete()
    conflicts = {int(c) for c in conflicts}
    known = set(
        accepted_mentees(mentor.cycle).filter(pk__in=conflicts).values_list("pk", flat=True)
    )
    if conflicts - known:
        raise ValidationError(gettext("Choose only among the cycle's accepted mentees."))
    PairingWish.objects.filter(mentor=mentor, kind=Kind.CONFLICT).delete()
    PairingWish.objects.bulk_create(
        PairingWish(mentee_id=mentee_id, mentor=mentor, kind=Kind.CONFLICT)
        for mentee_id in sorted(conflicts)
    )
