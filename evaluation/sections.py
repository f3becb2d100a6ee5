"""The sections of the “Program health” page: the funnel from application to agreed
goals, goal sheets over time, activity by month, each newsletter's deliveries, and the
hours the partners met. Each
reads :class:`~evaluation.cycle_data.CycleData` in a fixed number of queries however
large the cycle.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Max,
    Min,
    Q,
)
from django.db.models.functions import TruncDate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityLogEntry
from applications.models import Application
from goals.models import CheckIn, GoalSheet, GoalSheetRevision
from mentoring.models import Delivery

from .cycle_data import (
    CURRENT_MATCH,
    NEWSLETTER_KIND,
    OWN_ACTIVITIES,
    CycleData,
    SheetRow,
    goal_achieved,
    month_start,
    next_month,
)

# --- The funnel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    mentees: int
    mentors: int


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    mentees: int
    mentors: int


@dataclass(frozen=True)
class Funnel:
    """Applications by role and status, and how far people got: applied, accepted,
    matched, goal sheet agreed, at least one goal achieved."""

    by_status: list[StatusCount]
    stages: list[FunnelStage]
    goals_agreed: int
    goals_achieved: int

    @property
    def applications(self) -> int:
        return sum(row.mentees + row.mentors for row in self.by_status)


def funnel(data: CycleData) -> Funnel:
    rows = (
        Application.objects.filter(cycle=data.cycle)
        .values("role", "status")
        .annotate(
            n=Count("pk"),
            never_submitted=Count(
                "pk",
                filter=Q(status=Application.Status.WITHDRAWN, submitted_at__isnull=True),
            ),
        )
    )
    counts: dict[tuple[str, str], int] = Counter()
    applied: dict[str, int] = Counter()
    for row in rows:
        counts[(row["role"], row["status"])] += row["n"]
        if row["status"] != Application.Status.DRAFT:
            applied[row["role"]] += row["n"] - row["never_submitted"]
    by_status = [
        StatusCount(
            status=value,
            label=label,
            mentees=counts[(Application.Role.MENTEE, value)],
            mentors=counts[(Application.Role.MENTOR, value)],
        )
        for value, label in Application.Status.choices
    ]

    # One pass over the goals: which matches achieved one, and the agreed goals' counts.
    achieved_matches: set[int] = set()
    goals_agreed = goals_achieved = 0
    for goal in data.goals:
        achieved_goal = goal_achieved(goal)
        if achieved_goal:
            achieved_matches.add(goal.match_id)
        if goal.agreed:
            goals_agreed += 1
            goals_achieved += achieved_goal
    matched: dict[str, set[int]] = {"mentee": set(), "mentor": set()}
    agreed: dict[str, set[int]] = {"mentee": set(), "mentor": set()}
    achieved: dict[str, set[int]] = {"mentee": set(), "mentor": set()}
    for match in data.matches:
        sheet = match.sheet
        mentee_id, mentor_id = match.mentee_id, match.mentor_id
        matched["mentee"].add(mentee_id)
        matched["mentor"].add(mentor_id)
        if sheet is not None and sheet.agreed_revision is not None:
            agreed["mentee"].add(mentee_id)
            agreed["mentor"].add(mentor_id)
            if match.pk in achieved_matches:
                achieved["mentee"].add(mentee_id)
                achieved["mentor"].add(mentor_id)
    accepted = Application.Status.ACCEPTED
    stages = [
        FunnelStage("applied", gettext("Applied"), applied["mentee"], applied["mentor"]),
        FunnelStage(
            "accepted",
            gettext("Accepted"),
            counts[(Application.Role.MENTEE, accepted)],
            counts[(Application.Role.MENTOR, accepted)],
        ),
        FunnelStage("matched", gettext("Matched"), len(matched["mentee"]), len(matched["mentor"])),
        FunnelStage(
            "agreed", gettext("Goal sheet agreed"), len(agreed["mentee"]), len(agreed["mentor"])
        ),
        FunnelStage(
            "achieved",
            gettext("A goal achieved"),
            len(achieved["mentee"]),
            len(achieved["mentor"]),
        ),
    ]
    return Funnel(
        by_status=by_status,
        stages=stages,
        goals_agreed=goals_agreed,
        goals_achieved=goals_achieved,
    )


# --- Goal sheets --------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetPoint:
    """How many sheets had been submitted, and agreed, by the end of ``day`` (each
    counted from the first time, so a sheet reopened later stays counted)."""

    day: dt.date
    submitted: int
    agreed: int


@dataclass(frozen=True)
class GoalSheetProgress:
    due_on: dt.date | None
    matches: int
    not_started: int
    draft: int
    submitted: int
    agreed: int
    overdue: int
    agreed_on_time: int
    points: list[SheetPoint] = field(default_factory=list)

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [
            ("agreed", gettext("Agreed"), self.agreed),
            ("submitted", gettext("Submitted, waiting for the mentor"), self.submitted),
            ("draft", gettext("Draft"), self.draft),
            ("not_started", gettext("Not started"), self.not_started),
        ]


def sheet_overdue(data: CycleData, sheet: SheetRow | None) -> bool:
    """Not agreed, and the due date has passed by the as-of day (the goals app's rule)."""
    if data.due_on is None or (sheet is not None and sheet.status == GoalSheet.Status.AGREED):
        return False
    return data.as_of > data.due_on


def goal_sheet_progress(data: CycleData) -> GoalSheetProgress:
    states = Counter(m.sheet.status if m.sheet else "not_started" for m in data.matches)
    # Every sheet not agreed is overdue once the due date has passed (sheet_overdue's rule).
    overdue = (
        len(data.matches) - states[GoalSheet.Status.AGREED] if sheet_overdue(data, None) else 0
    )
    # Each sheet's first submission and agreement, as days in the program's time zone.
    tz = data.program.tz
    firsts = (
        GoalSheetRevision.objects.filter(
            sheet__match__cycle=data.cycle, sheet__match__status__in=CURRENT_MATCH
        )
        .values("sheet_id")
        .annotate(
            submitted=TruncDate(Min("submitted_at"), tzinfo=tz),
            agreed=TruncDate(Min("confirmed_at"), tzinfo=tz),
        )
        .values_list("submitted", "agreed")
    )
    submitted_days, agreed_days = [], []
    for submitted, agreed in firsts:
        if submitted:
            submitted_days.append(submitted)
        if agreed:
            agreed_days.append(agreed)
    submitted_days.sort()
    agreed_days.sort()
    start = data.cycle.starts_on
    if submitted_days:
        start = min(start, min(submitted_days))
    days = set()
    day = start
    while day <= data.as_of:
        days.add(day)
        day += dt.timedelta(days=7)
    if start <= data.as_of:
        days.add(data.as_of)
    if data.due_on and start <= data.due_on <= data.as_of:
        days.add(data.due_on)  # where the sheets stood on the day they were due
    points = [_sheet_point(day, submitted_days, agreed_days) for day in sorted(days)]
    on_time = sum(1 for d in agreed_days if d <= data.due_on) if data.due_on else len(agreed_days)
    return GoalSheetProgress(
        due_on=data.due_on,
        matches=len(data.matches),
        not_started=states["not_started"],
        draft=states[GoalSheet.Status.DRAFT],
        submitted=states[GoalSheet.Status.SUBMITTED],
        agreed=states[GoalSheet.Status.AGREED],
        overdue=overdue,
        agreed_on_time=on_time,
        points=points,
    )


def _sheet_point(day: dt.date, submitted: list[dt.date], agreed: list[dt.date]) -> SheetPoint:
    """The sheets submitted and agreed by the end of ``day`` (both lists sorted)."""
    return SheetPoint(
        day=day, submitted=bisect_right(submitted, day), agreed=bisect_right(agreed, day)
    )


# --- Activity -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityMonth:
    month: dt.date
    check_ins: int
    activities: dict[str, int]

    @property
    def activities_total(self) -> int:
        return sum(self.activities.values())


@dataclass(frozen=True)
class ActivityByMonth:
    """Check-ins, and activities done (by catalog category), in each month of the year
    so far."""

    months: list[ActivityMonth]
    categories: list[str]

    @property
    def check_ins(self) -> int:
        return sum(m.check_ins for m in self.months)

    @property
    def activities(self) -> int:
        return sum(m.activities_total for m in self.months)

    def category_total(self, category: str) -> int:
        return sum(m.activities.get(category, 0) for m in self.months)


def activity_by_month(data: CycleData) -> ActivityByMonth:
    cycle, end = data.cycle, data.as_of
    # Counted by day in SQL and summed into months here: the database's DATE_TRUNC turns
    # each of 9,000 dates into a timestamp with a time zone first, and a year has only a
    # few hundred days with news.
    check_ins = (
        CheckIn.objects.filter(
            goal__sheet__match__cycle=cycle,
            goal__sheet__match__status__in=CURRENT_MATCH,
            on__lte=end,
        )
        .values("on")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("on", "n")
    )
    entries = (
        ActivityLogEntry.objects.filter(
            match__cycle=cycle,
            match__status__in=CURRENT_MATCH,
            status=ActivityLogEntry.Status.DONE,
            on__lte=end,
        )
        .values("on", "activity__category__name", "activity__category__position")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("on", "activity__category__name", "activity__category__position", "n")
    )
    by_month: dict[dt.date, dict[str, int]] = defaultdict(dict)
    check_ins_by_month: dict[dt.date, int] = defaultdict(int)
    order: dict[str, tuple] = {}
    for day, n in check_ins:
        check_ins_by_month[month_start(day)] += n
    for day, name, position, n in entries:
        name = name or str(OWN_ACTIVITIES)
        month = by_month[month_start(day)]
        month[name] = month.get(name, 0) + n
        order[name] = (position is None, position or 0, name)
    months = set(check_ins_by_month) | set(by_month)
    if end >= cycle.starts_on:
        day = month_start(cycle.starts_on)
        while day <= month_start(end):
            months.add(day)
            day = next_month(day)
    categories = sorted(order, key=order.get)
    return ActivityByMonth(
        months=[
            ActivityMonth(
                month=month,
                check_ins=check_ins_by_month.get(month, 0),
                activities={c: by_month[month].get(c, 0) for c in categories},
            )
            for month in sorted(months)
        ],
        categories=categories,
    )


# --- Newsletters --------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueDelivery:
    """How one newsletter issue reached the cycle's people."""

    message_key: str
    subject: str
    first_queued: dt.datetime
    sent: int
    failed: int
    waiting: int

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.waiting

    @property
    def delivered_share(self) -> float:
        return self.sent / self.total if self.total else 0.0


def newsletter_deliveries(data: CycleData) -> list[IssueDelivery]:
    """Deliveries of each newsletter issue to the people who applied in the cycle, queued
    during its year (a person may be in next year's cycle too)."""
    cycle = data.cycle
    tz = data.program.tz
    start = dt.datetime.combine(cycle.first_day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(cycle.ends_on + dt.timedelta(days=31), dt.time.max, tzinfo=tz)
    people = Application.objects.filter(cycle=cycle).values("applicant_id")
    Status = Delivery.Status
    rows = (
        Delivery.objects.filter(
            kind=NEWSLETTER_KIND,
            recipient_id__in=people,
            created_at__gte=start,
            created_at__lte=end,
        )
        .values("message_key")
        .annotate(
            subject=Max("subject"),
            first=Min("created_at"),
            sent=Count("pk", filter=Q(status=Status.SENT)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            waiting=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
        )
        .order_by("first", "message_key")
    )
    return [
        IssueDelivery(
            message_key=row["message_key"],
            subject=row["subject"] or row["message_key"],
            first_queued=row["first"],
            sent=row["sent"],
            failed=row["failed"],
            waiting=row["waiting"],
        )
        for row in rows
    ]


# --- Meetings -----------------------------------------------------------------------------

# The distribution's bins, in hours: (from, below, label); the last has no upper bound.
HOUR_BINS = (
    (0, 2, _("Under 2 hours")),
    (2, 5, _("2 to 5 hours")),
    (5, 10, _("5 to 10 hours")),
    (10, 20, _("10 to 20 hours")),
    (20, None, _("20 hours or more")),
)
NEVER_MET = _("No meeting recorded")


@dataclass(frozen=True)
class MeetingHours:
    matches: int
    met: int  # matches with at least one meeting
    total_hours: float
    median_hours: float | None  # over every match, those that never met counting 0
    distribution: list[tuple[str, int]]  # (bin label, matches)


def meeting_hours(data: CycleData) -> MeetingHours:
    """Hours the partners met per match up to the as-of day: the median and how the
    matches spread over bins (read from :attr:`CycleData.matches`, no further query)."""
    hours = sorted((m.meeting_minutes or 0) / 60 for m in data.matches)
    # Counted by the bin's place (the labels are translated on use: as keys, every
    # match would translate them again).
    counts = [0] * (1 + len(HOUR_BINS))
    for value in hours:
        if not value:
            counts[0] += 1
            continue
        for place, (low, high, _label) in enumerate(HOUR_BINS, start=1):
            if value >= low and (high is None or value < high):
                counts[place] += 1
                break
    median = None
    if hours:
        middle = len(hours) // 2
        median = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    labels = [NEVER_MET, *(label for _, _, label in HOUR_BINS)]
    return MeetingHours(
        matches=len(hours),
        met=sum(1 for value in hours if value),
        total_hours=sum(hours),
        median_hours=median,
        distribution=list(zip(labels, counts, strict=True)),
    )
