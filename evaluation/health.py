"""Every figure of the committee's “Program health” page, and of the survey results.

One module so that each number the committee reads has one definition, tested once.
Each function reads a cycle in a fixed number of queries however many applications,
matches, goals, check-ins, activities and deliveries it has.

Figures are reckoned “as of” a day in the program's time zone: today while the year is
under way, the program's last day once it has ended (so last year's page reads as the
year stood when it concluded).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityLogEntry
from applications.models import Application
from goals.models import CheckIn, Goal, GoalSheet, GoalSheetRevision
from matches.models import Match
from mentoring.models import Cycle, Delivery, Milestone, ProgramObjective
from mentoring.timeline import goal_sheet_due_on

from .models import SCALE, Answer, Invitation, Question, Survey

# Newsletter issues are deliveries of this kind, keyed ``newsletter:<issue id>``.
NEWSLETTER_KIND = "newsletter.issue"
# A match that recorded no check-in and no activity for this long is at risk.
QUIET_DAYS = 45
# Fewer answers than this in a group and its mean and distribution are not shown: with
# one or two answers, an “aggregate” is a person's answer.
MIN_GROUP = 3

CURRENT_MATCH = (Match.Status.ACTIVE, Match.Status.CONCLUDED)
ROLES = (Application.Role.MENTEE, Application.Role.MENTOR)
ROLE_LABELS = {"mentee": "Mentees", "mentor": "Mentors", "all": "Everyone"}
OWN_ACTIVITIES = "Their own activities"


def as_of(cycle: Cycle, today: dt.date | None = None) -> dt.date:
    """The day a cycle's figures are reckoned on: today, or its last day once ended."""
    return min(today or cycle.program.today(), cycle.ends_on)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _long(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


class CycleData:
    """The rows a cycle's figures are computed from, each loaded once, when first used."""

    def __init__(self, cycle: Cycle, *, today: dt.date | None = None):
        self.cycle = cycle
        self.program = cycle.program
        self.today = today or self.program.today()
        self.as_of = as_of(cycle, self.today)

    @cached_property
    def milestones(self) -> list[Milestone]:
        return list(self.cycle.milestones.all())

    @cached_property
    def due_on(self) -> dt.date | None:
        return goal_sheet_due_on(self.milestones)

    @cached_property
    def matches(self) -> list[Match]:
        """The cycle's matches at work or concluded, with their partners, goal sheet, and
        the days of their latest check-in and activity up to the as-of day."""
        last_check_in = (
            CheckIn.objects.filter(goal__sheet__match=OuterRef("pk"), on__lte=self.as_of)
            .order_by("-on")
            .values("on")[:1]
        )
        last_activity = (
            ActivityLogEntry.objects.filter(
                match=OuterRef("pk"), status=ActivityLogEntry.Status.DONE, on__lte=self.as_of
            )
            .order_by("-on")
            .values("on")[:1]
        )
        return list(
            Match.objects.filter(cycle=self.cycle, status__in=CURRENT_MATCH)
            .select_related("mentor__applicant", "mentee__applicant", "goal_sheet")
            .annotate(last_check_in=Subquery(last_check_in), last_activity=Subquery(last_activity))
            .order_by("mentee__full_name", "pk")
        )

    @cached_property
    def goals(self) -> list[Goal]:
        """The goals on the sheets of those matches now, each with ``latest_status`` (its
        latest check-in's, up to the as-of day) and ``match_id``."""
        latest = CheckIn.objects.filter(goal=OuterRef("pk"), on__lte=self.as_of).order_by(
            "-on", "-created_at", "-id"
        )
        return list(
            Goal.objects.current()
            .filter(sheet__match__cycle=self.cycle, sheet__match__status__in=CURRENT_MATCH)
            .annotate(
                latest_status=Subquery(latest.values("status")[:1]),
                match_id=F("sheet__match_id"),
                agreed=ExpressionWrapper(
                    Q(sheet__agreed_revision__isnull=False), output_field=BooleanField()
                ),
            )
            .order_by("sheet_id", "position")
        )

    def sheet(self, match: Match) -> GoalSheet | None:
        try:
            return match.goal_sheet
        except GoalSheet.DoesNotExist:
            return None


def goal_achieved(goal: Goal) -> bool:
    """A goal counts as achieved once its final outcome says so, or its latest check-in."""
    return (
        goal.final_outcome == Goal.Outcome.ACHIEVED
        or getattr(goal, "latest_status", None) == CheckIn.Status.ACHIEVED
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

    goals_by_match: dict[int, list[Goal]] = defaultdict(list)
    for goal in data.goals:
        goals_by_match[goal.match_id].append(goal)
    matched: dict[str, set[int]] = {"mentee": set(), "mentor": set()}
    agreed: dict[str, set[int]] = {"mentee": set(), "mentor": set()}
    achieved: dict[str, set[int]] = {"mentee": set(), "mentor": set()}
    for match in data.matches:
        sheet = data.sheet(match)
        matched["mentee"].add(match.mentee_id)
        matched["mentor"].add(match.mentor_id)
        if sheet is not None and sheet.agreed_revision is not None:
            agreed["mentee"].add(match.mentee_id)
            agreed["mentor"].add(match.mentor_id)
            if any(goal_achieved(g) for g in goals_by_match[match.pk]):
                achieved["mentee"].add(match.mentee_id)
                achieved["mentor"].add(match.mentor_id)
    accepted = Application.Status.ACCEPTED
    stages = [
        FunnelStage("applied", "Applied", applied["mentee"], applied["mentor"]),
        FunnelStage(
            "accepted",
            "Accepted",
            counts[(Application.Role.MENTEE, accepted)],
            counts[(Application.Role.MENTOR, accepted)],
        ),
        FunnelStage("matched", "Matched", len(matched["mentee"]), len(matched["mentor"])),
        FunnelStage("agreed", "Goal sheet agreed", len(agreed["mentee"]), len(agreed["mentor"])),
        FunnelStage(
            "achieved",
            "A goal achieved",
            len(achieved["mentee"]),
            len(achieved["mentor"]),
        ),
    ]
    agreed_goals = [g for g in data.goals if g.agreed]
    return Funnel(
        by_status=by_status,
        stages=stages,
        goals_agreed=len(agreed_goals),
        goals_achieved=sum(1 for g in agreed_goals if goal_achieved(g)),
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
            ("agreed", "Agreed", self.agreed),
            ("submitted", "Submitted, waiting for the mentor", self.submitted),
            ("draft", "Draft", self.draft),
            ("not_started", "Not started", self.not_started),
        ]


def sheet_overdue(data: CycleData, sheet: GoalSheet | None) -> bool:
    """Not agreed, and the due date has passed by the as-of day (the goals app's rule)."""
    if data.due_on is None or (sheet is not None and sheet.status == GoalSheet.Status.AGREED):
        return False
    return data.as_of > data.due_on


def goal_sheet_progress(data: CycleData) -> GoalSheetProgress:
    states: Counter[str] = Counter()
    overdue = 0
    for match in data.matches:
        sheet = data.sheet(match)
        states[sheet.status if sheet else "not_started"] += 1
        overdue += sheet_overdue(data, sheet)
    firsts = (
        GoalSheetRevision.objects.filter(
            sheet__match__cycle=data.cycle, sheet__match__status__in=CURRENT_MATCH
        )
        .values("sheet_id")
        .annotate(submitted=Min("submitted_at"), agreed=Min("confirmed_at"))
    )
    tz = data.program.tz
    submitted_days, agreed_days = [], []
    for row in firsts:
        if row["submitted"]:
            submitted_days.append(timezone.localdate(row["submitted"], tz))
        if row["agreed"]:
            agreed_days.append(timezone.localdate(row["agreed"], tz))
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
    return SheetPoint(
        day=day,
        submitted=sum(1 for d in submitted if d <= day),
        agreed=sum(1 for d in agreed if d <= day),
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
    check_ins = (
        CheckIn.objects.filter(
            goal__sheet__match__cycle=cycle,
            goal__sheet__match__status__in=CURRENT_MATCH,
            on__lte=end,
        )
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    entries = (
        ActivityLogEntry.objects.filter(
            match__cycle=cycle,
            match__status__in=CURRENT_MATCH,
            status=ActivityLogEntry.Status.DONE,
            on__lte=end,
        )
        .annotate(month=TruncMonth("on"))
        .values("month", "activity__category__name", "activity__category__position")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_month: dict[dt.date, dict[str, int]] = defaultdict(dict)
    check_ins_by_month: dict[dt.date, int] = {}
    order: dict[str, tuple] = {}
    for row in check_ins:
        check_ins_by_month[_as_date(row["month"])] = row["n"]
    for row in entries:
        name = row["activity__category__name"] or OWN_ACTIVITIES
        month = _as_date(row["month"])
        by_month[month][name] = by_month[month].get(name, 0) + row["n"]
        position = row["activity__category__position"]
        order[name] = (position is None, position or 0, name)
    months = set(check_ins_by_month) | set(by_month)
    if end >= cycle.starts_on:
        day = _month(cycle.starts_on)
        while day <= _month(end):
            months.add(day)
            day = _next_month(day)
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


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- Matches at risk ----------------------------------------------------------------------

NO_GOAL_SHEET = "no_goal_sheet"
QUIET = "quiet"
GOAL_PAST_TARGET = "goal_past_target"
NEWSLETTER_BOUNCING = "newsletter_bouncing"
REASONS = {
    NO_GOAL_SHEET: "No goal sheet past the due date",
    QUIET: f"No check-in or activity for {QUIET_DAYS} days",
    GOAL_PAST_TARGET: "A goal past its target date, not achieved",
    NEWSLETTER_BOUNCING: "Newsletters bouncing",
}


SHEET_STATES = {
    None: "the partners never opened it",
    GoalSheet.Status.DRAFT: "it is still a draft",
    GoalSheet.Status.SUBMITTED: "it is submitted, waiting for the mentor to confirm",
}


@dataclass(frozen=True)
class RiskReason:
    code: str
    detail: str
    url: str
    link_text: str

    @property
    def label(self) -> str:
        return REASONS[self.code]


@dataclass(frozen=True)
class MatchAtRisk:
    match: Match
    reasons: list[RiskReason]

    @property
    def url(self) -> str:
        return reverse("admin:matches_match_change", args=[self.match.pk])

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


def matches_at_risk(data: CycleData) -> list[MatchAtRisk]:
    """The matches that need the committee's attention, each with every reason and a
    link to where to look; the ones with most reasons first."""
    goals_late = _goals_past_target(data)
    bouncing = _bouncing_newsletters(data)
    tz = data.program.tz
    result = []
    for match in data.matches:
        reasons: list[RiskReason] = []
        sheet = data.sheet(match)
        # An agreed revision stands while a reopened sheet is redrafted: the match has a
        # goal sheet, even if the redraft is late.
        if sheet_overdue(data, sheet) and (sheet is None or sheet.agreed_revision is None):
            state = SHEET_STATES[sheet.status if sheet else None]
            reasons.append(
                RiskReason(
                    NO_GOAL_SHEET,
                    f"Due {_long(data.due_on)}; {state}.",
                    reverse("admin:goals_goalsheet_change", args=[sheet.pk])
                    if sheet
                    else reverse("admin:matches_match_change", args=[match.pk]),
                    "Goal sheet" if sheet else "Match",
                )
            )
        quiet = _quiet_since(data, match, tz)
        if quiet is not None:
            since, last = quiet
            detail = (
                f"Last check-in or activity on {_long(last)}."
                if last
                else f"Nothing recorded since {_long(since)}."
            )
            reasons.append(
                RiskReason(
                    QUIET,
                    f"{(data.as_of - since).days} days without news. {detail}",
                    reverse("admin:activities_activitylogentry_changelist")
                    + f"?match__id__exact={match.pk}",
                    "Activity log",
                )
            )
        late = goals_late.get(match.pk)
        if late:
            titles = "; ".join(f"“{g.title}” (target {_long(g.target_date)})" for g in late)
            reasons.append(
                RiskReason(
                    GOAL_PAST_TARGET,
                    f"Not marked achieved: {titles}.",
                    reverse("admin:goals_goalsheet_change", args=[late[0].sheet_id]),
                    "Goal sheet",
                )
            )
        for application in (match.mentee, match.mentor):
            delivery = bouncing.get(application.applicant_id)
            if delivery is not None:
                reasons.append(
                    RiskReason(
                        NEWSLETTER_BOUNCING,
                        f"{application.display_name or application.email} "
                        f"({application.get_role_display().lower()}): “{delivery.subject}” "
                        f"to {delivery.to_email} failed. {delivery.last_error}".strip(),
                        reverse("admin:mentoring_delivery_change", args=[delivery.pk]),
                        "Delivery",
                    )
                )
        if reasons:
            result.append(MatchAtRisk(match=match, reasons=reasons))
    result.sort(key=lambda r: -len(r.reasons))
    return result


def _quiet_since(data: CycleData, match: Match, tz) -> tuple[dt.date, dt.date | None] | None:
    """(the day the silence began, the last day with news or None) when the match has
    been quiet for QUIET_DAYS or more by the as-of day; else None. A match is not quiet
    before its program year started or its partners were introduced."""
    news = [d for d in (match.last_check_in, match.last_activity) if d]
    start = data.cycle.starts_on
    if match.confirmed_at:
        start = max(start, timezone.localdate(match.confirmed_at, tz))
    last = max(news) if news else None
    since = max([start, *news])
    if (data.as_of - since).days >= QUIET_DAYS:
        return since, last
    return None


def _goals_past_target(data: CycleData) -> dict[int, list[Goal]]:
    late: dict[int, list[Goal]] = defaultdict(list)
    for goal in data.goals:
        if (
            goal.agreed
            and goal.target_date
            and goal.target_date < data.as_of
            and not goal_achieved(goal)
        ):
            late[goal.match_id].append(goal)
    return late


def _bouncing_newsletters(data: CycleData) -> dict[int, Delivery]:
    """The people of the cycle's matches whose latest newsletter failed, with that
    delivery."""
    later = Delivery.objects.filter(
        kind=NEWSLETTER_KIND, to_email=OuterRef("to_email"), created_at__gt=OuterRef("created_at")
    )
    people = Application.objects.filter(
        Q(mentee_matches__cycle=data.cycle, mentee_matches__status__in=CURRENT_MATCH)
        | Q(mentor_matches__cycle=data.cycle, mentor_matches__status__in=CURRENT_MATCH)
    ).values("applicant_id")
    failed = (
        Delivery.objects.filter(
            kind=NEWSLETTER_KIND, status=Delivery.Status.FAILED, recipient_id__in=people
        )
        .filter(~Exists(later))
        .only("pk", "recipient_id", "to_email", "subject", "last_error", "created_at")
        .order_by("created_at")
    )
    return {delivery.recipient_id: delivery for delivery in failed}


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


# --- Surveys ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    """Answers of one group to one question (or one objective's scale questions)."""

    count: int
    distribution: tuple[tuple[str, int], ...] = ()
    mean: float | None = None
    hidden: bool = False

    @property
    def shown(self) -> bool:
        return self.count > 0 and not self.hidden


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    stats: dict[str, Stat]


@dataclass(frozen=True)
class ObjectiveResult:
    """The questions that measure one objective (``objective`` None: questions not tied
    to one), their combined 1-5 answers by role, and how many answered them."""

    objective: ProgramObjective | None
    questions: list[QuestionResult]
    scale: dict[str, Stat]
    respondents: dict[str, int]
    response_rate: dict[str, float | None]

    @property
    def label(self) -> str:
        return self.objective.text if self.objective else "Not tied to an objective"

    @property
    def has_scale(self) -> bool:
        return any(q.question.is_scale for q in self.questions)


@dataclass(frozen=True)
class NamedResponse:
    """The answers of a person who agreed to be named."""

    invitation: Invitation
    answers: list[Answer]

    @property
    def name(self) -> str:
        person = self.invitation.person
        return person.get_full_name() if person else "A former participant"


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    invited: dict[str, int]
    answered: dict[str, int]
    objectives: list[ObjectiveResult]
    named: list[NamedResponse]

    @property
    def response_rate(self) -> dict[str, float | None]:
        return {key: _rate(self.answered[key], self.invited[key]) for key in self.invited}

    @property
    def any_answers(self) -> bool:
        return self.answered["all"] > 0


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _stat(question_kind: str, values: Counter, labels: list[str]) -> Stat:
    count = sum(values.values())
    if question_kind == Question.Kind.TEXT:
        return Stat(count=count)
    distribution = tuple((label, values.get(label, 0)) for label in labels)
    mean = None
    if question_kind == Question.Kind.SCALE and count:
        mean = sum(int(label) * n for label, n in distribution) / count
    return Stat(count=count, distribution=distribution, mean=mean)


def _protect(stats: dict[str, Stat], people: dict[str, int] | None = None) -> dict[str, Stat]:
    """Hide the mean and distribution of a group of fewer than MIN_GROUP people (by
    default one answer is one person); and of everyone together when that would reveal
    a hidden group by subtraction."""
    sizes = people or {key: stat.count for key, stat in stats.items()}

    def hide(stat: Stat) -> Stat:
        return Stat(count=stat.count, hidden=True)

    small = {k for k in ROLES if 0 < sizes[k] < MIN_GROUP}
    protected = {k: hide(stats[k]) if k in small else stats[k] for k in ROLES}
    shown_roles = [k for k in ROLES if sizes[k] >= MIN_GROUP]
    everyone = stats["all"]
    if everyone.count and (sizes["all"] < MIN_GROUP or (small and shown_roles)):
        everyone = hide(everyone)
    protected["all"] = everyone
    return protected


def _labels(question: Question) -> list[str]:
    if question.kind == Question.Kind.SCALE:
        return [str(n) for n in SCALE]
    if question.kind == Question.Kind.CHOICE:
        return question.choice_list
    return []


def survey_results(survey: Survey) -> SurveyResults:
    """A survey's results per objective, by role: mean, distribution, count and response
    rate; and the answers of those who agreed to be named. Six queries."""
    questions = list(survey.questions.select_related("objective").order_by("position", "id"))
    invited = {"mentee": 0, "mentor": 0}
    answered = {"mentee": 0, "mentor": 0}
    for row in (
        Invitation.objects.filter(survey=survey)
        .values("role")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    ):
        invited[row["role"]] = row["n"]
        answered[row["role"]] = row["answered"]
    invited["all"] = sum(invited.values())
    answered["all"] = sum(answered.values())

    tallies: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for row in (
        Answer.objects.filter(invitation__survey=survey, invitation__answered_at__isnull=False)
        .values("question_id", "invitation__role", "number", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        value = str(row["number"]) if row["number"] is not None else row["choice"]
        tallies[row["question_id"]][row["invitation__role"]][value] += row["n"]

    # People who answered at least one of an objective's questions, and at least one of
    # its 1-5 questions (the size of the group its combined figures describe).
    respondents: dict[int | None, Counter] = defaultdict(Counter)
    scale_people: dict[int | None, Counter] = defaultdict(Counter)
    for row in (
        Answer.objects.filter(invitation__survey=survey, invitation__answered_at__isnull=False)
        .values("question__objective_id", "invitation__role")
        .annotate(
            n=Count("invitation", distinct=True),
            on_scale=Count("invitation", distinct=True, filter=Q(number__isnull=False)),
        )
        .order_by()
    ):
        respondents[row["question__objective_id"]][row["invitation__role"]] += row["n"]
        scale_people[row["question__objective_id"]][row["invitation__role"]] += row["on_scale"]

    by_objective: dict[int | None, list[QuestionResult]] = defaultdict(list)
    objectives: dict[int | None, ProgramObjective | None] = {None: None}
    for question in questions:
        labels = _labels(question)
        per_role = {role: tallies[question.pk][role] for role in ROLES}
        per_role["all"] = sum(per_role.values(), Counter())
        stats = {key: _stat(question.kind, values, labels) for key, values in per_role.items()}
        by_objective[question.objective_id].append(QuestionResult(question, _protect(stats)))
        objectives[question.objective_id] = question.objective

    results = []
    ordered = sorted(
        by_objective,
        key=lambda pk: (pk is None, objectives[pk].position if pk else 0, pk or 0),
    )
    for pk in ordered:
        items = by_objective[pk]
        combined: dict[str, Counter] = {key: Counter() for key in (*ROLES, "all")}
        for item in items:
            if item.question.is_scale:
                for role in ROLES:
                    combined[role] += tallies[item.question.pk][role]
        for role in ROLES:
            combined["all"] += combined[role]
        scale_labels = [str(n) for n in SCALE]
        sizes = {role: scale_people[pk][role] for role in ROLES}
        sizes["all"] = sum(sizes.values())
        scale = _protect(
            {
                key: _stat(Question.Kind.SCALE, values, scale_labels)
                for key, values in combined.items()
            },
            sizes,
        )
        people = {role: respondents[pk][role] for role in ROLES}
        people["all"] = sum(people.values())
        results.append(
            ObjectiveResult(
                objective=objectives[pk],
                questions=items,
                scale=scale,
                respondents=people,
                response_rate={key: _rate(people[key], invited[key]) for key in people},
            )
        )

    named = [
        NamedResponse(invitation=invitation, answers=list(invitation.answers.all()))
        for invitation in Invitation.objects.filter(
            survey=survey, named=True, answered_at__isnull=False
        )
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            )
        )
        .order_by("role", "person__full_name", "pk")
    ]
    return SurveyResults(
        survey=survey,
        invited=invited,
        answered=answered,
        objectives=results,
        named=named,
    )


@dataclass(frozen=True)
class SurveySummary:
    survey: Survey
    invited: dict[str, int]
    answered: dict[str, int]

    @property
    def response_rate(self) -> dict[str, float | None]:
        return {key: _rate(self.answered[key], self.invited[key]) for key in self.invited}


def survey_summaries(data: CycleData) -> list[SurveySummary]:
    """The cycle's surveys, each with how many were invited and answered, by role."""
    surveys = list(Survey.objects.filter(cycle=data.cycle).order_by("opens_on", "pk"))
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: {"invited": Counter(), "answered": Counter()}
    )
    for row in (
        Invitation.objects.filter(survey__cycle=data.cycle)
        .values("survey_id", "role")
        .annotate(n=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    ):
        counts[row["survey_id"]]["invited"][row["role"]] = row["n"]
        counts[row["survey_id"]]["answered"][row["role"]] = row["answered"]
    summaries = []
    for survey in surveys:
        invited = {role: counts[survey.pk]["invited"][role] for role in ROLES}
        answered = {role: counts[survey.pk]["answered"][role] for role in ROLES}
        invited["all"], answered["all"] = sum(invited.values()), sum(answered.values())
        summaries.append(SurveySummary(survey=survey, invited=invited, answered=answered))
    return summaries


# --- The whole page -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramHealthReport:
    cycle: Cycle
    today: dt.date
    as_of: dt.date
    funnel: Funnel
    goal_sheets: GoalSheetProgress
    activity: ActivityByMonth
    at_risk: list[MatchAtRisk]
    newsletters: list[IssueDelivery]
    surveys: list[SurveySummary]
    results: SurveyResults | None

    @property
    def ended(self) -> bool:
        return self.today > self.cycle.ends_on

    @property
    def started(self) -> bool:
        return self.as_of >= self.cycle.starts_on

    @property
    def risk_counts(self) -> list[tuple[str, str, int]]:
        counts = Counter(code for item in self.at_risk for code in set(item.codes))
        return [(code, label, counts[code]) for code, label in REASONS.items()]


def cycle_for_health(cycle_id: int) -> Cycle:
    """A cycle with its program and milestones, as :func:`program_health` reads it."""
    return (
        Cycle.objects.select_related("program")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on")))
        .get(pk=cycle_id)
    )


def results_survey(summaries: Iterable[SurveySummary], survey_id: int | None) -> Survey | None:
    """The survey whose results to show: the one asked for, else the latest answered."""
    summaries = list(summaries)
    for summary in summaries:
        if survey_id is not None and summary.survey.pk == survey_id:
            return summary.survey
    answered = [s for s in summaries if s.answered["all"]]
    return answered[-1].survey if answered else None


def program_health(
    cycle: Cycle,
    *,
    today: dt.date | None = None,
    survey_id: int | None = None,
    with_results: bool = True,
) -> ProgramHealthReport:
    """Every figure of the cycle's health page, in a fixed number of queries.

    ``with_results`` False leaves out the survey results (for staff who may not see
    them); ``survey_id`` picks whose results to show (else the latest answered)."""
    data = CycleData(cycle, today=today)
    surveys = survey_summaries(data)
    chosen = results_survey(surveys, survey_id) if with_results else None
    return ProgramHealthReport(
        cycle=cycle,
        today=data.today,
        as_of=data.as_of,
        funnel=funnel(data),
        goal_sheets=goal_sheet_progress(data),
        activity=activity_by_month(data),
        at_risk=matches_at_risk(data),
        newsletters=newsletter_deliveries(data),
        surveys=surveys,
        results=survey_results(chosen) if chosen else None,
    )
