"""Reads of the newsletter: who receives an issue, what it says, each recipient's goal
section, the delivery report, the archive and email preferences.

The newsletter is the top of the program core: it reads the other apps through their
selectors and query methods; nothing imports it. Each read costs a fixed number of
queries, however many recipients, goals or issues.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import Http404
from django.shortcuts import get_object_or_404
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from activities import selectors as activity_selectors
from activities.models import Activity
from applications.models import Application
from goals import selectors as goal_selectors
from matches.models import Match
from mentoring import sql
from mentoring.models import Cycle, Delivery, Event, Milestone, Program, User

from .issue_sections import issues_with_content
from .models import (
    EmailPreference,
    NewsletterIssue,
    add_months,
    month_end,
)

# --- Who receives an issue -----------------------------------------------------------


def active_matches(cycle: Cycle) -> QuerySet[Match]:
    """The cycle's active matches with partners, program and milestones fetched."""
    return goal_selectors.match_queryset().active().filter(cycle=cycle).order_by("pk")


def issue_recipients(issue: NewsletterIssue) -> QuerySet[User]:
    """The mentors and mentees of the cycle's active matches who have an active account,
    less those who turned the newsletter off. One row per person, however many matches
    they are in."""
    matches = Match.objects.active().filter(cycle_id=issue.cycle_id)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=matches.values("mentor__applicant_id"))
            | Q(pk__in=matches.values("mentee__applicant_id"))
        )
        .exclude(email_preference__newsletter=False)
        .order_by("pk")
    )


def sample_recipients(issue: NewsletterIssue) -> dict[str, User | None]:
    """Someone to preview the issue as: a mentee with agreed goals, a mentor, and a
    mentee whose goal sheet is not agreed yet (None where the cycle has nobody such)."""
    matches = list(
        Match.objects.active()
        .filter(cycle_id=issue.cycle_id)
        .select_related("mentor__applicant", "mentee__applicant", "goal_sheet")
        .order_by("pk")[:200]
    )

    def agreed(match: Match) -> bool:
        sheet = getattr(match, "goal_sheet", None)
        return sheet is not None and sheet.has_agreement

    def first(people):
        return next((p for p in people if p is not None and p.is_active), None)

    return {
        "mentee with agreed goals": first(m.mentee.applicant for m in matches if agreed(m)),
        "mentor": first(m.mentor.applicant for m in matches),
        "mentee without an agreed goal sheet": first(
            m.mentee.applicant for m in matches if not agreed(m)
        ),
    }


def recipient_search(issue: NewsletterIssue, text: str, *, limit: int = 20) -> list[User]:
    """Recipients of the issue whose name or address contains ``text``."""
    text = text.strip()
    if not text:
        return []
    return list(
        issue_recipients(issue).filter(
            Q(email__icontains=text)
            | Q(full_name__icontains=text)
            | Q(preferred_name__icontains=text)
        )[:limit]
    )


# --- The delivery report ---------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryCounts:
    delivered: int = 0
    failed: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.delivered + self.failed + self.pending

    @property
    def finished(self) -> bool:
        return self.pending == 0


def delivery_counts(issue: NewsletterIssue) -> DeliveryCounts:
    """How the issue's deliveries stand: delivered, failed, and pending (queued, being
    sent, or waiting to be tried again). One query."""
    counts = dict(
        Delivery.objects.filter(message_key=issue.message_key)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return DeliveryCounts(
        delivered=counts.get(Delivery.Status.SENT, 0),
        failed=counts.get(Delivery.Status.FAILED, 0),
        pending=counts.get(Delivery.Status.PENDING, 0) + counts.get(Delivery.Status.SENDING, 0),
    )


def _count_by_status(statuses: Sequence[str]) -> Coalesce:
    key = Concat(Value("newsletter:"), Cast(OuterRef("pk"), CharField()))
    counted = (
        Delivery.objects.filter(message_key=key, status__in=statuses)
        .order_by()
        .values("message_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def issues_with_counts() -> QuerySet[NewsletterIssue]:
    """Issues annotated with ``delivered``, ``failed`` and ``pending`` counts (subqueries
    on the indexed message key, so a list of issues is one query)."""
    return NewsletterIssue.objects.annotate(
        delivered=_count_by_status([Delivery.Status.SENT]),
        failed=_count_by_status([Delivery.Status.FAILED]),
        pending=_count_by_status([Delivery.Status.PENDING, Delivery.Status.SENDING]),
    )


def issue_deliveries(
    issue: NewsletterIssue, *, status: str = "", search: str = ""
) -> QuerySet[Delivery]:
    """The issue's deliveries, one per recipient, with the person, failed first."""
    deliveries = Delivery.objects.filter(message_key=issue.message_key).select_related("recipient")
    if status == "pending":
        deliveries = deliveries.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
        )
    elif status:
        deliveries = deliveries.filter(status=status)
    if search.strip():
        text = search.strip()
        deliveries = deliveries.filter(
            Q(to_email__icontains=text) | Q(recipient__full_name__icontains=text)
        )
    return deliveries.order_by("status", "to_email")


# --- The archive --------------------------------------------------------------------------


def cycles_of(user: User) -> QuerySet[Cycle]:
    """The cycles a person takes part in: those of their active or concluded matches."""
    return Cycle.objects.filter(pk__in=Match.objects.current().of_person(user).values("cycle_id"))


def archive_for(user: User) -> list[NewsletterIssue]:
    """The issues that went out in the cycles a person takes part in (as
    :func:`cycles_of`), newest first, each with its cycle and program: only what the
    archive shows of them (the subject in every language, the month and status, the
    cycle's name, the program's short name). Written out (:func:`_archive_sql`): whole
    issues, with every language's news, composed and built by the ORM, cost several times
    what the page needs."""
    if not user.is_authenticated:
        return []
    params = [
        *(user.pk, user.pk),
        *(Match.Status.ACTIVE, Match.Status.CONCLUDED),
        *(NewsletterIssue.Status.SENDING, NewsletterIssue.Status.SENT),
    ]
    issues = []
    cycle_at, program_at = len(_ARCHIVE_READ), len(_ARCHIVE_READ) + len(_ARCHIVE_CYCLE_READ)
    for row in sql.read(_archive_sql(connection.vendor), params, _ARCHIVE_FIELDS):
        issue = sql.instance(NewsletterIssue, _ARCHIVE_READ, row[:cycle_at])
        cycle = sql.instance(Cycle, _ARCHIVE_CYCLE_READ, row[cycle_at:program_at])
        Cycle.program.field.set_cached_value(
            cycle, sql.instance(Program, _ARCHIVE_PROGRAM_READ, row[program_at:])
        )
        NewsletterIssue.cycle.field.set_cached_value(issue, cycle)
        issues.append(issue)
    return issues


_ARCHIVE_READ = sql.model_fields(
    NewsletterIssue,
    [
        "cycle",
        "month",
        "status",
        "subject",
        *(build_localized_fieldname("subject", lang) for lang in AVAILABLE_LANGUAGES),
    ],
)
_ARCHIVE_CYCLE_READ = sql.model_fields(Cycle, ["program", "name"])
_ARCHIVE_PROGRAM_READ = sql.model_fields(Program, ["short_name"])
_ARCHIVE_FIELDS = (*_ARCHIVE_READ, *_ARCHIVE_CYCLE_READ, *_ARCHIVE_PROGRAM_READ)


@functools.lru_cache(maxsize=4)
def _archive_sql(vendor: str) -> str:
    """archive_for's query (the person's id twice, the current matches' two statuses and
    the released issues' two given), as ``released()``, ``cycle__in=cycles_of(user)``,
    ``select_related("cycle__program")`` and ``order_by("-month",
    "cycle__program__position")`` wrote it, with fewer columns."""
    del vendor  # part of the cache's key only: the SQL differs between databases
    applications = (
        f"SELECT {sql.column(Application, 'id')} FROM {sql.table(Application)} "
        f"WHERE {sql.column(Application, 'applicant')} = %s"
    )
    cycles = (
        f"SELECT {sql.column(Match, 'cycle')} FROM {sql.table(Match)} WHERE "
        f"({sql.any_of(sql.column(Match, 'mentor'), applications)} "
        f"OR {sql.any_of(sql.column(Match, 'mentee'), applications)}) "
        f"AND {sql.column(Match, 'status')} IN (%s, %s)"
    )
    issue = NewsletterIssue
    return (
        f"SELECT {sql.columns(_ARCHIVE_READ)}, {sql.columns(_ARCHIVE_CYCLE_READ)}, "
        f"{sql.columns(_ARCHIVE_PROGRAM_READ)} FROM {sql.table(issue)} "
        f"INNER JOIN {sql.table(Cycle)} "
        f"ON {sql.column(issue, 'cycle')} = {sql.column(Cycle, 'id')} "
        f"INNER JOIN {sql.table(Program)} "
        f"ON {sql.column(Cycle, 'program')} = {sql.column(Program, 'id')} "
        f"WHERE {sql.column(issue, 'cycle')} IN ({cycles}) "
        f"AND {sql.column(issue, 'status')} IN (%s, %s) "
        f"ORDER BY {sql.column(issue, 'month')} DESC, {sql.column(Program, 'position')} ASC"
    )


def latest_newsletter_for(
    user: User, *, cycle_ids: Iterable[int] | None = None
) -> NewsletterIssue | None:
    """The newest issue a person received or can read (for the "My mentoring"
    dashboard, which links it by its subject: only that is read); None before the first
    one. One query, none when ``cycle_ids`` (the cycles of the person's active or
    concluded matches, when the caller has them) is empty."""
    if not user.is_authenticated:
        return None
    if cycle_ids is None:
        issues = NewsletterIssue.objects.filter(cycle__in=cycles_of(user))
        return issues.released().only("id", "subject").order_by(*_NEWEST_FIRST).first()
    cycle_ids = sorted(set(cycle_ids))
    if not cycle_ids:
        return None
    # Written out (“My mentoring” asks on every visit): composed by the ORM, the query
    # took longer than the database took to answer it.
    released = [NewsletterIssue.Status.SENDING, NewsletterIssue.Status.SENT]
    rows = sql.read(_latest_sql(len(cycle_ids)), [*cycle_ids, *released], _LATEST_FIELDS)
    return sql.instance(NewsletterIssue, _LATEST_FIELDS, rows[0]) if rows else None


_NEWEST_FIRST = ("-month", "-sent_at", "-pk")
# The subject in each language (the page shows the reader's, or the fallback's).
_LATEST_FIELDS = sql.model_fields(
    NewsletterIssue,
    ["subject", *(build_localized_fieldname("subject", lang) for lang in AVAILABLE_LANGUAGES)],
)


@functools.lru_cache(maxsize=8)
def _latest_sql(cycles: int) -> str:
    """latest_newsletter_for's query for ``cycles`` cycle ids, as ``.released()`` and
    ``_NEWEST_FIRST`` would write it."""
    issue = NewsletterIssue
    order = ", ".join(f"{sql.column(issue, name)} DESC" for name in ("month", "sent_at", "id"))
    return (
        f"SELECT {sql.columns(_LATEST_FIELDS)} FROM {sql.table(issue)} "
        f"WHERE {sql.column(issue, 'cycle')} IN ({sql.placeholders(range(cycles))}) "
        f"AND {sql.column(issue, 'status')} IN (%s, %s) ORDER BY {order} LIMIT 1"
    )


def archive_issue_get(user: User, pk: int) -> NewsletterIssue:
    """An issue a participant may read: it went out, in a cycle they take part in; a
    404 for anything else."""
    if not user.is_authenticated:
        raise Http404("No such newsletter issue")
    return get_object_or_404(
        issues_with_content().released().filter(cycle__in=cycles_of(user)), pk=pk
    )


def neighbours(user: User, issue: NewsletterIssue) -> tuple[NewsletterIssue | None, ...]:
    """The previous and next issues of the same cycle a participant can read."""
    released = NewsletterIssue.objects.released().filter(cycle_id=issue.cycle_id)
    previous = released.filter(month__lt=issue.month).order_by("-month").first()
    following = released.filter(month__gt=issue.month).order_by("month").first()
    return previous, following


# --- Email preferences ----------------------------------------------------------------------


def email_preference_of(user: User) -> EmailPreference:
    """A person's preferences (an unsaved row with both on when they never changed them)."""
    return EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)


def wants(user_ids: Iterable[int], what: str) -> set[int]:
    """Which of these people want ``what`` ("newsletter" or "reminders")."""
    ids = set(user_ids)
    opted_out = set(
        EmailPreference.objects.filter(user_id__in=ids, **{what: False}).values_list(
            "user_id", flat=True
        )
    )
    return ids - opted_out


# --- Drafting -------------------------------------------------------------------------------


def timeline_window(month: dt.date) -> tuple[dt.date, dt.date]:
    """What an issue for ``month`` looks ahead to: that month and the next."""
    return month, month_end(add_months(month, 1))


def upcoming_on_timeline(cycle: Cycle, month: dt.date) -> tuple[list[Event], list[Milestone]]:
    """The cycle's events starting in the window of an issue for ``month``, and its
    milestones starting or ending in it (a deadline falls on a milestone's last day)."""
    start, end = timeline_window(month)
    events = [e for e in cycle.events.order_by("starts_at") if start <= e.starts_on <= end]
    # A milestone named like an event in the window (the networking session) is said once.
    titles = {e.title.casefold() for e in events}
    milestones = [
        m
        for m in cycle.milestones.order_by("starts_on", "ends_on")
        if (start <= m.starts_on <= end or start <= m.ends_on <= end)
        and m.title.casefold() not in titles
    ]
    return events, milestones


def used_in_cycle(cycle: Cycle, *, exclude_issue: int | None = None) -> tuple[list, list]:
    """The discussion activities and featured activities of the cycle's other issues."""
    others = NewsletterIssue.objects.filter(cycle=cycle).exclude(pk=exclude_issue)
    questions = list(others.values_list("discussion_activity_id", flat=True))
    featured = list(
        NewsletterIssue.featured_activities.through.objects.filter(
            newsletterissue__in=others
        ).values_list("activity_id", flat=True)
    )
    return questions, featured


def next_question(cycle: Cycle, used: Iterable[int | None]) -> Activity | None:
    return activity_selectors.next_discussion_question(cycle=cycle, used=used)


def activities_to_feature(
    cycle: Cycle, phase: str, exclude: Iterable[int | None], limit: int = 3
) -> list[Activity]:
    return activity_selectors.activities_for_phase(
        program=cycle.program, phase=phase, exclude=exclude, limit=limit
    )


def question_bank(program: Program) -> QuerySet[Activity]:
    return activity_selectors.discussion_questions(program=program)


def committee_staff() -> QuerySet[User]:
    """The active staff who may edit newsletter issues (those told a draft is ready)."""
    permission = Permission.objects.filter(
        codename="change_newsletterissue", content_type__app_label="newsletter"
    ).first()
    allowed = Q(is_superuser=True)
    if permission is not None:
        allowed |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return User.objects.filter(is_active=True, is_staff=True).filter(allowed).distinct()
