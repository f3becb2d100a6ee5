"""Reads of the newsletter: who receives an issue, what it says, each recipient's goal
section, the delivery report, the archive and email preferences.

The newsletter is the top of the program core: it reads the other apps through their
selectors and query methods; nothing imports it. Each read costs a fixed number of
queries, however many recipients, goals or issues.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import Http404
from django.shortcuts import get_object_or_404

from activities import selectors as activity_selectors
from activities.models import Activity
from goals import selectors as goal_selectors
from goals.models import CheckIn, Goal
from matches.models import Match
from mentoring.models import Cycle, Delivery, Event, Milestone, Program, User

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


# --- What an issue says ------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """An event or a milestone the issue mentions, in date order."""

    title: str
    starts_on: dt.date
    ends_on: dt.date
    description: str
    event: Event | None = None
    milestone: Milestone | None = None

    @property
    def is_event(self) -> bool:
        return self.event is not None


@dataclass(frozen=True)
class IssueContent:
    """Everything an issue says that is the same for every recipient."""

    issue: NewsletterIssue
    program: Program
    cycle: Cycle
    question: str
    activities: list[Activity]
    timeline: list[TimelineItem]

    @property
    def month_label(self) -> str:
        return f"{self.issue.month:%B %Y}"


def issues_with_content() -> QuerySet[NewsletterIssue]:
    """Issues with their program, question, activities, events and milestones fetched."""
    return NewsletterIssue.objects.select_related(
        "cycle__program", "discussion_activity"
    ).prefetch_related(
        Prefetch(
            "featured_activities",
            queryset=Activity.objects.for_listing().order_by(
                "category__position", "position", "id"
            ),
        ),
        Prefetch("events", queryset=Event.objects.order_by("starts_at", "id")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on", "ends_on", "id")),
    )


def issue_content(issue: NewsletterIssue) -> IssueContent:
    """What the issue says to everyone, from an issue loaded by
    :func:`issues_with_content` (no further queries)."""
    items = [
        TimelineItem(
            title=e.title,
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            description=e.description,
            event=e,
        )
        for e in issue.events.all()
    ] + [
        TimelineItem(
            title=m.title,
            starts_on=m.starts_on,
            ends_on=m.ends_on,
            description=m.description,
            milestone=m,
        )
        for m in issue.milestones.all()
    ]
    items.sort(key=lambda item: (item.starts_on, item.ends_on, item.is_event, item.title))
    return IssueContent(
        issue=issue,
        program=issue.cycle.program,
        cycle=issue.cycle,
        question=issue.discussion_question,
        activities=list(issue.featured_activities.all()),
        timeline=items,
    )


def issue_content_get(issue_id: int) -> IssueContent:
    return issue_content(issues_with_content().get(pk=issue_id))


# --- Each recipient's goal section ------------------------------------------------------


@dataclass(frozen=True)
class GoalLine:
    """One goal as the goal section shows it."""

    goal: Goal
    status: str
    latest_on: dt.date | None
    outcome: str

    @property
    def title(self) -> str:
        return self.goal.title

    @property
    def target_date(self) -> dt.date | None:
        return self.goal.target_date


@dataclass(frozen=True)
class GoalSection:
    """A recipient's part of one match in the newsletter: their goals, each with its
    status, target date and a link to add a check-in; or, without an agreed goal sheet,
    a nudge with the due date."""

    match: Match
    role: str  # "mentor" or "mentee"
    partner_name: str
    summary: goal_selectors.GoalSheetSummary
    goals: list[GoalLine] = field(default_factory=list)

    @property
    def agreed(self) -> bool:
        return self.summary.state.has_agreement

    @property
    def state(self) -> goal_selectors.GoalSheetState:
        return self.summary.state

    @property
    def partner_role(self) -> str:
        return "mentee" if self.role == "mentor" else "mentor"

    @property
    def nudge(self) -> list[str]:
        """Without an agreed goal sheet: where it stands and what the reader does next,
        with its due date, in sentences."""
        if self.agreed:
            return []
        partner, status = self.partner_name, self.state.status
        if status == "submitted":
            sentences = (
                [
                    f"{partner} submitted your goal sheet: read it, then confirm it or send "
                    "it back with a comment."
                ]
                if self.role == "mentor"
                else [f"You submitted your goal sheet; {partner} has yet to confirm it."]
            )
        else:
            first = (
                "Your goal sheet is not started yet."
                if status == "not_started"
                else "Your goal sheet is still a draft."
            )
            next_step = (
                "Agree on one to three SMART goals together; you submit the sheet and "
                f"{partner} confirms it."
                if self.role == "mentee"
                else f"Agree on one to three SMART goals together; {partner} submits the "
                "sheet and you confirm it."
            )
            sentences = [first, next_step]
        due = self.state.due_on
        if due is not None:
            when = f"{due:%B} {due.day}, {due.year}"
            sentences.append(
                f"It was due on {when}." if self.state.overdue else f"It is due on {when}."
            )
        return sentences


NO_CHECK_IN = "No check-in yet"


def goal_lines(goals: Iterable[Goal]) -> list[GoalLine]:
    lines = []
    for goal in goals:
        latest = goal.latest_check_in
        lines.append(
            GoalLine(
                goal=goal,
                status=CheckIn.Status(latest.status).label if latest else NO_CHECK_IN,
                latest_on=latest.on if latest else None,
                outcome=goal.get_final_outcome_display() if goal.final_outcome else "",
            )
        )
    return lines


def goal_sections_for(cycle_id: int, user_ids: Iterable[int]) -> dict[int, list[GoalSection]]:
    """The goal section of each of these people, by user id: one part per active match
    of theirs in the cycle (a mentor with three mentees has three). A fixed number of
    queries for any number of people."""
    ids = {pk for pk in user_ids if pk is not None}
    sections: dict[int, list[GoalSection]] = defaultdict(list)
    if not ids:
        return sections
    matches = list(
        goal_selectors.match_queryset()
        .active()
        .filter(cycle_id=cycle_id)
        .filter(Q(mentor__applicant_id__in=ids) | Q(mentee__applicant_id__in=ids))
        .order_by("pk")
    )
    summaries = goal_selectors.goal_sheet_summaries(matches)
    for match in matches:
        summary = summaries[match.pk]
        lines = goal_lines(summary.goals) if summary.state.has_agreement else []
        for role, person, partner in (
            ("mentee", match.mentee, match.mentor),
            ("mentor", match.mentor, match.mentee),
        ):
            if person.applicant_id in ids:
                sections[person.applicant_id].append(
                    GoalSection(
                        match=match,
                        role=role,
                        partner_name=partner.display_name,
                        summary=summary,
                        goals=lines,
                    )
                )
    return sections


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
    """The issues that went out in the cycles a person takes part in, newest first."""
    if not user.is_authenticated:
        return []
    return list(
        NewsletterIssue.objects.released()
        .filter(cycle__in=cycles_of(user))
        .select_related("cycle__program")
        .order_by("-month", "cycle__program__position")
    )


def latest_newsletter_for(user: User) -> NewsletterIssue | None:
    """The newest issue a person received or can read (for the "My mentoring"
    dashboard), with its cycle and program; None before the first one. One query."""
    if not user.is_authenticated:
        return None
    return (
        NewsletterIssue.objects.released()
        .filter(cycle__in=cycles_of(user))
        .select_related("cycle__program")
        .order_by("-month", "-sent_at", "-pk")
        .first()
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
