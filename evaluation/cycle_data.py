"""What every figure of the committee's “Program health” page reads: a cycle's
applications, matches, goal sheets, check-ins, activities and deliveries, loaded once
(:class:`CycleData`), and the rules the figures share.

Figures are reckoned “as of” a day in the program's time zone: today while the year is
under way, the program's last day once it has ended (so last year's page reads as the
year stood when it concluded).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from activities.models import ActivityLogEntry
from applications.models import Application
from goals.models import CheckIn, Goal, GoalSheet
from matches.models import HelpRequest, Match, Meeting
from mentoring.models import Cycle, Milestone
from mentoring.timeline import goal_sheet_due_on

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


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


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
        """The cycle's matches at work or concluded, with their partners, goal sheet, the
        days of their latest check-in, activity and meeting up to the as-of day, and the
        minutes they met (``meeting_minutes``)."""
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
        meetings = Meeting.objects.filter(match=OuterRef("pk"), on__lte=self.as_of)
        minutes = meetings.order_by().values("match").annotate(total=Sum("minutes")).values("total")
        # Only what the figures and the list of matches at risk read: 1,500 matches are
        # 6,000 rows, and whole applications (every answer) cost most of the page.
        partner = ("applicant_id", "role", "full_name", "preferred_name", "email", "anonymised_at")
        return list(
            Match.objects.filter(cycle=self.cycle, status__in=CURRENT_MATCH)
            .select_related("mentor", "mentee", "goal_sheet")
            .only(
                *("cycle_id", "status", "mentor_id", "mentee_id", "confirmed_at"),
                *(f"{role}__{name}" for role in ("mentor", "mentee") for name in partner),
                *("goal_sheet__status", "goal_sheet__agreed_revision", "goal_sheet__match_id"),
            )
            .annotate(
                last_check_in=Subquery(last_check_in),
                last_activity=Subquery(last_activity),
                last_meeting=Subquery(meetings.order_by("-on").values("on")[:1]),
                meeting_minutes=Subquery(minutes, output_field=IntegerField()),
            )
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
            .only("sheet_id", "position", "title", "target_date", "final_outcome")
            .annotate(
                latest_status=Subquery(latest.values("status")[:1]),
                match_id=F("sheet__match_id"),
                agreed=ExpressionWrapper(
                    Q(sheet__agreed_revision__isnull=False), output_field=BooleanField()
                ),
            )
            .order_by("sheet_id", "position")
        )

    @cached_property
    def open_help_requests(self) -> dict[int, list[HelpRequest]]:
        """The partners' requests for help not resolved by the end of the as-of day, by
        match, the oldest first (the words stay in admin; the page says only when)."""
        tz = self.program.tz
        found: dict[int, list[HelpRequest]] = {}
        requests = HelpRequest.objects.filter(
            match__cycle=self.cycle, match__status__in=CURRENT_MATCH
        ).only("pk", "match_id", "role", "created_at", "resolved_at")
        for item in requests.order_by("created_at", "pk"):
            asked = timezone.localdate(item.created_at, tz)
            resolved = item.resolved_at and timezone.localdate(item.resolved_at, tz)
            if asked <= self.as_of and not (resolved and resolved <= self.as_of):
                found.setdefault(item.match_id, []).append(item)
        return found

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
