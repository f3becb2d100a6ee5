"""Reads of applications that pages, admin and the export share. Each fetches what its
page shows up front, so the page costs the same queries however many rows."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from mentoring import content_cache, sql
from mentoring.models import Cycle, Milestone, Program, User
from mentoring.sql import IdArray

from . import rules
from .geography import STATE_NAMES
from .models import (
    BLIND_STATUSES,
    Application,
    ApplicationReview,
    ApplicationStatusChange,
    Conference,
    Interest,
    scored_by,
)

HIDDEN = _("Hidden until you score it")

# The interests and conferences people choose from: program content, the same for
# everyone, kept in the shared cache until staff change them (``apps.py`` connects the
# signals; the loaders that write them in bulk say so themselves).
CHOICES = "interests"


@dataclass(frozen=True)
class Choices:
    """Every interest and conference by id, and each one's place in its list's order."""

    interests: dict[int, Interest]
    conferences: dict[int, Conference]
    order: dict[tuple[type, int], int]


def choices() -> Choices:
    """The interests and conferences, from the shared cache while unchanged. Read-only:
    the objects are every request's."""

    def load() -> Choices:
        interests = {i.pk: i for i in Interest.objects.all()}
        conferences = {c.pk: c for c in Conference.objects.all()}
        order = {(Interest, pk): n for n, pk in enumerate(interests)}
        order.update({(Conference, pk): n for n, pk in enumerate(conferences)})
        return Choices(interests, conferences, order)

    return content_cache.kept(CHOICES, load)


def chosen_ids(application: str, *, conferences: bool = True) -> dict[str, IdArray]:
    """Annotations holding the ids of the interests (and conferences) chosen on the
    application ``application`` points at (``"mentor"`` on a match, ``"pk"`` on an
    application), for :func:`attach_chosen`: no query of their own."""
    outer = "pk" if application == "pk" else f"{application}_id"
    prefix = "" if application == "pk" else f"{application}_"
    ids = {
        f"{prefix}interest_ids": IdArray(
            Application.interests.through.objects.filter(application_id=OuterRef(outer)),
            "interest_id",
        )
    }
    if conferences:
        ids[f"{prefix}conference_ids"] = IdArray(
            Application.conferences.through.objects.filter(application_id=OuterRef(outer)),
            "conference_id",
        )
    return ids


def attach_chosen(
    application: Application,
    interest_ids: Iterable[int],
    conference_ids: Iterable[int],
    known: Choices,
) -> None:
    """Give ``application`` its interests and conferences as ``prefetch_related`` would
    (``application.interests.all()`` asks nothing more), from ``known``
    (:func:`choices`, read once for all the rows)."""
    attach_interests(application, "interests", interest_ids, known)
    _attach(application, "conferences", Conference, conference_ids, known)


def attach_interests(instance: models.Model, name: str, ids: Iterable[int], known: Choices) -> None:
    """Fill the many-to-many ``name`` of ``instance`` to interests (an application's
    interests, a goal's competency areas) with the interests ``ids`` from ``known``
    (:func:`choices`), as ``prefetch_related`` would."""
    _attach(instance, name, Interest, ids, known)


def _attach(
    instance: models.Model, name: str, model: type, ids: Iterable[int], known: Choices
) -> None:
    by_id = known.interests if model is Interest else known.conferences
    ids = set(ids or ())
    # A copy of every row's queryset, made once a process and language (its default order
    # names the reader's language's columns): built for every goal and partner of a
    # page, the manager's new queryset cost more than the rest of this.
    rows = _every_row(model, get_language())._chain()
    # The filter is added when the rows are read or narrowed, as a related manager's is
    # (what ``filter()`` after ``_defer_next_filter`` would set).
    rows._deferred_filter = (False, (), {"pk__in": ids})
    # An id the shared copy does not know yet (written where no signal told it): the
    # rows are read from the database when asked for.
    if ids <= by_id.keys():
        rows._result_cache = sorted(
            (by_id[pk] for pk in ids), key=lambda row: known.order[model, row.pk]
        )
        rows._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = rows


@functools.lru_cache(maxsize=16)
def _every_row(model: type, language: str | None) -> QuerySet:
    """``model.objects.all()`` for the language ``language`` (part of the key only),
    never read itself: only copies of it are."""
    return model.objects.all()


def applications_of(user: User, *, with_history: bool = True) -> QuerySet[Application]:
    """A person's own applications, newest program year first, with their history
    (unless ``with_history`` is False: a summary shows only the status)."""
    applications = (
        Application.objects.of_person(user)
        .select_related("cycle__program")
        .order_by("-cycle__starts_on", "role")
    )
    if not with_history:
        return applications
    return applications.prefetch_related(
        Prefetch(
            "status_changes",
            queryset=ApplicationStatusChange.objects.order_by("changed_at", "id"),
        )
    )


def application_of(user: User, pk: int) -> Application:
    """One of this person's applications; anyone else's is a 404."""
    return get_object_or_404(
        applications_of(user).prefetch_related(
            "interests",
            "conferences",
            Prefetch("cycle__milestones", queryset=Milestone.objects.order_by("starts_on")),
        ),
        pk=pk,
    )


def applications_in_program(user: User, program: Program) -> list[Application]:
    """A person's applications to a program, the latest changed first, with their cycle
    (a handful): the application form finds both the one it may continue and the one
    it fills in from here, in one query."""
    if not user.is_authenticated:
        return []
    # Written out (the form asks on every visit), as Application.objects.of_person(user)
    # .filter(cycle__program=program).select_related("cycle").order_by("-updated_at"):
    # the ORM took longer to compose the query than the database to answer it.
    rows = sql.read(_in_program_sql(), [user.pk, program.pk], _IN_PROGRAM_READ)
    return sql.linked(rows, Application.cycle.field, _IN_PROGRAM_APPLICATION, _IN_PROGRAM_CYCLE)


# Every column of both, in the models' order, as select_related reads them.
_IN_PROGRAM_APPLICATION = sql.model_fields(Application)
_IN_PROGRAM_CYCLE = sql.model_fields(Cycle)
_IN_PROGRAM_READ = (*_IN_PROGRAM_APPLICATION, *_IN_PROGRAM_CYCLE)


@functools.cache
def _in_program_sql() -> str:
    return (
        f"SELECT {sql.columns(_IN_PROGRAM_APPLICATION, 'a')}, "
        f"{sql.columns(_IN_PROGRAM_CYCLE, 'c')} "
        f"FROM {sql.table(Application, 'a')} INNER JOIN {sql.table(Cycle, 'c')} "
        f"ON {sql.column(Cycle, 'id', 'c')} = {sql.column(Application, 'cycle', 'a')} "
        f"WHERE {sql.column(Application, 'applicant', 'a')} = %s "
        f"AND {sql.column(Cycle, 'program', 'c')} = %s "
        f"ORDER BY {sql.column(Application, 'updated_at', 'a')} DESC"
    )


def application_prefill(
    user: User, program: Program, *, applications: list[Application] | None = None
) -> tuple[dict, Application | None]:
    """A new application's answers from the account and, when the person applied before
    to this program (the other role, or an earlier year), from their latest answers
    (contact, library, interests and ways to talk; every field stays editable); with
    that earlier application. ``applications``: :func:`applications_in_program`, when
    the caller holds them."""
    values: dict = {
        "full_name": user.full_name,
        "preferred_name": user.preferred_name,
        "email": user.email,
    }
    if applications is None:
        applications = applications_in_program(user, program)
    previous = applications[0] if applications else None
    if previous is not None:
        for name in [
            "full_name",
            "preferred_name",
            "pronouns",
            "phone",
            "city",
            "state",
            "country",
            "time_zone",
            "organization",
            "library_type",
            "position_title",
            "membership",
        ]:
            if getattr(previous, name):
                values[name] = getattr(previous, name)
        # Interests and the ways to talk carry over too (a returning person's, above
        # all); only those the program still offers.
        values["interests"] = [str(i.pk) for i in previous.interests.all() if i.is_active]
        values["conferences"] = [c.pk for c in previous.conferences.all() if c.is_active]
        values["communication_methods"] = list(previous.communication_methods or [])
        values["in_person_ok"] = previous.in_person_ok
    values.setdefault("country", "United States")
    if user.time_zone:  # the browser's at sign-up, until the person says otherwise
        values.setdefault("time_zone", user.time_zone)
    return values, previous


def applications_by_cycle_and_role(user: User) -> dict[int, dict[str, Application]]:
    """All of a person's applications in one query, keyed by cycle and role (the apply
    buttons of every program on a page read from this)."""
    found: dict[int, dict[str, Application]] = {}
    for application in Application.objects.of_person(user).only("pk", "cycle_id", "role", "status"):
        found.setdefault(application.cycle_id, {})[application.role] = application
    return found


def identity_hidden(application: Application, *, scored_by_viewer: bool) -> bool:
    """Under blind review a reviewer sees who applied (name, email, library) only once
    they have scored the application, and everyone sees it once it is decided."""
    return (
        application.cycle.blind_review
        and application.status in BLIND_STATUSES
        and not scored_by_viewer
    )


# An application whose applicant a blind review hides from the viewer (on a queryset
# annotated ``with_review_summary(viewer=...)``).
HIDDEN_FROM_VIEWER = Q(cycle__blind_review=True, status__in=BLIND_STATUSES, scored_by_viewer=False)


def _blind_sorts() -> dict:
    """``name_sort`` and ``mean_sort``: the name and the mean score, blank where a blind
    review hides them from the viewer, so sorting by them cannot tell what is hidden."""
    return {
        "name_sort": Case(
            When(HIDDEN_FROM_VIEWER, then=Value("")),
            default=F("full_name"),
            output_field=models.CharField(),
        ),
        "mean_sort": Case(
            When(HIDDEN_FROM_VIEWER, then=Value(None)),
            default=F("review_mean"),
            output_field=models.FloatField(),
        ),
    }


INTEREST_LABEL = ("program_id", "kind", "position", "name", "short_name")


@functools.cache
def _reviewed_applications() -> QuerySet[Application]:
    """What every viewer's list starts from (the review summary, the program), composed
    once a process and copied for each list: resolving the summary's subqueries said the
    same on every visit. Never evaluated. (The interests' prefetch is each list's own:
    Django notes the rows it reads on its queryset.)"""
    return Application.objects.with_review_summary().select_related("cycle__program")


def applications_for_committee(*, viewer: User) -> QuerySet[Application]:
    """Applications as the committee lists them: program, interests and the review
    summary (mean, count, whether ``viewer`` scored it) fetched with the rows.

    A reviewer gets the submitted applications of the cycles they are assigned to. What
    sorts by name or by mean score sorts by ``name_sort`` and ``mean_sort``: blank where a
    blind review hides them from ``viewer``, so the order cannot tell what is hidden."""
    return _committee_list(viewer.pk, rules.reviews_assigned_cycles_only(viewer)).all()


@functools.lru_cache(maxsize=256)
def _committee_list(viewer_id: int, assigned_cycles_only: bool) -> QuerySet[Application]:
    """:func:`applications_for_committee`, composed once a process for each committee
    member and copied for each list: resolving the viewer's scores and the blind-review
    sorts said the same on every visit (a millisecond of the applications list). The
    query holds the viewer's id and no row; it is never evaluated, and the member's
    role, which decides what it filters, is part of its key."""
    applications = (
        _reviewed_applications()
        # The list shows each interest's label: not the descriptions of every one.
        .prefetch_related(Prefetch("interests", queryset=Interest.objects.only(*INTEREST_LABEL)))
        .annotate(scored_by_viewer=scored_by(viewer_id))
        # Aliases, not annotations: they order the rows and are never read, so they are
        # written into the query once (its ORDER BY), not also into every row.
        .alias(**_blind_sorts())
        # Never by the name itself (Meta.ordering): the order would tell a hidden name.
        .order_by("-cycle__starts_on", "role", "name_sort", "pk")
    )
    if assigned_cycles_only:
        applications = applications.submitted().filter(
            cycle__in=Cycle.objects.filter(reviewers=viewer_id)
        )
    return applications


def reviews_of(application: Application) -> list[ApplicationReview]:
    return list(application.reviews.select_related("reviewer").order_by("created_at"))


EXPORT_COLUMNS = [
    ("id", _("Application")),
    ("program", _("Program")),
    ("cycle", _("Cycle")),
    ("role", _("Role")),
    ("status", _("Status")),
    ("full_name", _("Full name")),
    ("preferred_name", _("Preferred name")),
    ("pronouns", _("Pronouns")),
    ("email", _("Email")),
    ("phone", _("Phone")),
    ("city", _("City")),
    ("state", _("State or province")),
    ("country", _("Country")),
    ("time_zone", _("Time zone")),
    ("organization", _("Library or organization")),
    ("library_type", _("Library type")),
    ("position_title", _("Position title")),
    ("years_experience", _("Years of experience")),
    ("membership", _("Membership")),
    ("funding_requested", _("Funding requested")),
    ("interests", _("Interests")),
    ("career_stage", _("Career stage")),
    ("hopes", _("Hopes")),
    ("mentor_wishes", _("Wishes for a mentor")),
    ("mentee_capacity", _("Mentee capacity")),
    ("committee_experience", _("Committee experience")),
    ("offer", _("Offer")),
    ("communication_methods", _("Communication")),
    ("in_person_ok", _("Meets in person")),
    ("conferences", _("Conferences")),
    ("submitted_at", _("Submitted")),
    ("review_mean", _("Mean score")),
    ("review_count", _("Reviews")),
    ("decision_sent_at", _("Decision sent")),
    ("staff_notes", _("Staff notes")),
]
# What a blind review hides, on screen as in the file: who applied, where they work and
# live, and (before one's own score) the others' scores.
_BLIND_COLUMNS = {
    "full_name",
    "preferred_name",
    "email",
    "phone",
    "city",
    "organization",
    "position_title",
    "bipoc_identity",
    "review_mean",
}


def export_rows(
    applications: QuerySet[Application], *, viewer: User, include_private: bool = False
) -> Iterator[list[str]]:
    """The header, then one row per application (interests and conferences joined with
    “; ”), in three queries however many rows. Blind review hides the same columns as on
    screen; the private identity answer is a column only with ``include_private``."""
    columns = list(EXPORT_COLUMNS)
    if include_private:
        at = [key for key, _title in columns].index("funding_requested") + 1
        columns.insert(at, ("bipoc_identity", _("Identifies as BIPOC (private)")))
    yield [str(title) for _key, title in columns]
    communication = {value: str(label) for value, label in Application.Communication.choices}
    rows = (
        applications.with_review_summary(viewer=viewer)
        .alias(**_blind_sorts())
        .select_related("cycle__program")
        .prefetch_related("interests", "conferences")
        .order_by("cycle__program__position", "cycle__starts_on", "role", "name_sort", "pk")
    )
    for application in rows:
        hidden = identity_hidden(application, scored_by_viewer=application.scored_by_viewer)
        values = {
            "id": application.pk,
            "program": application.cycle.program.short_name,
            "cycle": application.cycle.name,
            "role": application.get_role_display(),
            "status": application.get_status_display(),
            "state": STATE_NAMES.get(application.state, application.state),
            "library_type": application.get_library_type_display(),
            "membership": application.get_membership_display(),
            "funding_requested": gettext("yes") if application.funding_requested else gettext("no"),
            "bipoc_identity": application.get_bipoc_identity_display(),
            "interests": "; ".join(i.name for i in application.interests.all()),
            "career_stage": application.get_career_stage_display(),
            "communication_methods": "; ".join(
                str(communication.get(code, code)) for code in application.communication_methods
            ),
            "in_person_ok": gettext("yes") if application.in_person_ok else gettext("no"),
            "conferences": "; ".join(
                [c.name for c in application.conferences.all()]
                + ([application.other_conferences] if application.other_conferences else [])
            ),
            "review_mean": (
                f"{application.review_mean:.2f}" if application.review_mean is not None else ""
            ),
        }
        row = []
        for key, _title in columns:
            if hidden and key in _BLIND_COLUMNS:
                row.append(HIDDEN)
                continue
            value = values[key] if key in values else getattr(application, key)
            if value is None:
                value = ""
            elif isinstance(value, dt.datetime):
                value = timezone.localtime(value, application.cycle.program.tz)
                value = f"{value:%Y-%m-%d %H:%M}"
            row.append(str(value))
        yield row
