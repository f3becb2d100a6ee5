"""What an issue says: the content every reader shares (news, featured activities, the
timeline ahead) and each recipient's own goal section, read when an issue is rendered
(for a batch of recipients at once)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from applications.models import Application
from goals import selectors as goal_selectors
from goals.models import CheckIn, Goal
from matches.models import Match
from mentoring.dates import long_date, month_year
from mentoring.models import Cycle, Event, Milestone, Program

from .models import (
    NewsletterIssue,
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
        return month_year(self.issue.month)


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
        return gettext("mentee") if self.role == "mentor" else gettext("mentor")

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
                    gettext(
                        "%(partner)s submitted your goal sheet: read it, then confirm it or "
                        "send it back with a comment."
                    )
                    % {"partner": partner}
                ]
                if self.role == "mentor"
                else [
                    gettext("You submitted your goal sheet; %(partner)s has yet to confirm it.")
                    % {"partner": partner}
                ]
            )
        else:
            first = (
                gettext("Your goal sheet is not started yet.")
                if status == "not_started"
                else gettext("Your goal sheet is still a draft.")
            )
            next_step = (
                gettext(
                    "Agree on one to three SMART goals together; you submit the sheet and "
                    "%(partner)s confirms it."
                )
                % {"partner": partner}
                if self.role == "mentee"
                else gettext(
                    "Agree on one to three SMART goals together; %(partner)s submits the "
                    "sheet and you confirm it."
                )
                % {"partner": partner}
            )
            sentences = [first, next_step]
        due = self.state.due_on
        if due is not None:
            when = long_date(due)
            sentences.append(
                gettext("It was due on %(date)s.") % {"date": when}
                if self.state.overdue
                else gettext("It is due on %(date)s.") % {"date": when}
            )
        return sentences


NO_CHECK_IN = _("No check-in yet")


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
    # Their applications first, then the matches by the applications' ids: an OR across
    # two joins makes PostgreSQL read every match of the cycle (100 ms at 5,000).
    applications = list(
        Application.objects.filter(cycle_id=cycle_id, applicant_id__in=ids)
        .order_by()
        .values_list("pk", flat=True)
    )
    matches = list(
        goal_selectors.match_queryset()
        .active()
        .filter(cycle_id=cycle_id)
        .filter(Q(mentor_id__in=applications) | Q(mentee_id__in=applications))
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
