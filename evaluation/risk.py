"""The “Matches at risk” section of the “Program health” page: matches without a goal
sheet, quiet for weeks, with goals past their target, or whose newsletters bounce."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    Exists,
    OuterRef,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from goals.models import GoalSheet
from matches.models import HelpRequest, Match
from mentoring.dates import long_date
from mentoring.models import Delivery

from .cycle_data import (
    NEWSLETTER_KIND,
    QUIET_DAYS,
    CycleData,
    GoalRow,
    MatchRow,
    Partner,
    SheetRow,
    goal_achieved,
)
from .sections import sheet_overdue

# --- Matches at risk ----------------------------------------------------------------------

NO_GOAL_SHEET = "no_goal_sheet"
QUIET = "quiet"
GOAL_PAST_TARGET = "goal_past_target"
NEWSLETTER_BOUNCING = "newsletter_bouncing"
NO_MEETING = "no_meeting"
HELP_REQUESTED = "help_requested"
REASONS = {
    HELP_REQUESTED: _("A partner asked the committee for help"),
    NO_GOAL_SHEET: _("No goal sheet past the due date"),
    QUIET: format_lazy(_("No check-in or activity for {days} days"), days=QUIET_DAYS),
    NO_MEETING: _("No meeting recorded lately"),
    GOAL_PAST_TARGET: _("A goal past its target date, not achieved"),
    NEWSLETTER_BOUNCING: _("Newsletters bouncing"),
}


SHEET_STATES = {
    None: _("the partners never opened it"),
    GoalSheet.Status.DRAFT: _("it is still a draft"),
    GoalSheet.Status.SUBMITTED: _("it is submitted, waiting for the mentor to confirm"),
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


# A reason found: its code and what its explanation reads (a help request, the goal
# sheet, the days of a silence, the late goals, a partner and the failed delivery).
Finding = tuple[str, object]


@dataclass(frozen=True)
class MatchAtRisk:
    row: MatchRow
    findings: tuple[Finding, ...]
    explain: _Explanations = field(repr=False, compare=False)

    @cached_property
    def match(self) -> Match:
        """The match as a model object, built when the page shows it (a bad year has
        every match at risk, and the page lists the first fifty)."""
        return self.row.as_match()

    @cached_property
    def reasons(self) -> list[RiskReason]:
        """Each reason in words with its link, written when the page shows the match
        (translating and formatting the dates of 1,500 matches was most of the page)."""
        return [self.explain(self.row, finding) for finding in self.findings]

    @property
    def url(self) -> str:
        return self.explain.url("admin:matches_match_change", self.row.pk)

    @property
    def codes(self) -> list[str]:
        return [code for code, _facts in self.findings]


def with_partners(items: list[MatchAtRisk]) -> list[MatchAtRisk]:
    """``items``, their partners read in one query: the page names the matches it shows
    (their reasons may name a partner too)."""
    if items:
        items[0].row.partners.load(item.row for item in items)
    return items


class _AdminUrls:
    """Admin URLs of many rows: each name reversed once, then the key put in (with 1,500
    matches at risk, reversing every link was a third of the page)."""

    KEY = "0risk0"

    def __init__(self):
        self._around: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str, pk=None) -> str:
        if pk is None:
            if name not in self._around:
                self._around[name] = (reverse(name), "")
            return self._around[name][0]
        if name not in self._around:
            before, after = reverse(name, args=[self.KEY]).split(self.KEY, 1)
            self._around[name] = (before, after)
        before, after = self._around[name]
        return f"{before}{pk}{after}"


def matches_at_risk(data: CycleData) -> list[MatchAtRisk]:
    """The matches that need the committee's attention, each with every reason and a
    link to where to look; the ones with most reasons first. Every match is judged
    here; a reason is put in words only when the page shows its match."""
    goals_late = _goals_past_target(data)
    bouncing = _bouncing_newsletters(data)
    help_requests = data.open_help_requests
    explain = _Explanations(data)
    # Each rule's deadline worked out once, as a day: a match is then judged by comparing
    # its own days with them (every rule runs on every match, 1,500 in a large year).
    sheet_past_due = sheet_overdue(data, None)
    quiet_by = data.as_of - dt.timedelta(days=QUIET_DAYS)
    meeting_by = data.as_of - dt.timedelta(days=data.cycle.days_without_meeting)
    result = []
    for match in data.matches:
        findings: list[Finding] = [
            (HELP_REQUESTED, item) for item in help_requests.get(match.pk, ())
        ]
        sheet = match.sheet
        # An agreed revision stands while a reopened sheet is redrafted: the match has a
        # goal sheet, even if the redraft is late.
        if sheet_past_due and (
            sheet is None
            or (sheet.status != GoalSheet.Status.AGREED and sheet.agreed_revision is None)
        ):
            findings.append((NO_GOAL_SHEET, sheet))
        start = _start(data, match)
        quiet = _quiet_since(match, start)
        if quiet[0] <= quiet_by:
            findings.append((QUIET, quiet))
        no_meeting = _without_meeting_since(match, start)
        if no_meeting[0] <= meeting_by:
            findings.append((NO_MEETING, no_meeting))
        late = goals_late.get(match.pk)
        if late:
            findings.append((GOAL_PAST_TARGET, late))
        for side, person_id in (
            ("mentee", match.mentee_person_id),
            ("mentor", match.mentor_person_id),
        ):
            delivery = bouncing.get(person_id)
            if delivery is not None:
                findings.append((NEWSLETTER_BOUNCING, (side, delivery)))
        if findings:
            result.append(MatchAtRisk(row=match, findings=tuple(findings), explain=explain))
    result.sort(key=lambda r: -len(r.findings))
    return result


class _Explanations:
    """The words and the link of each reason found, for the matches the page shows."""

    def __init__(self, data: CycleData):
        self.data = data
        self.url = _AdminUrls()
        self._days: dict[dt.date, str] = {}

    def day(self, day: dt.date) -> str:
        if day not in self._days:
            self._days[day] = long_date(day)
        return self._days[day]

    def __call__(self, match: MatchRow, finding: Finding) -> RiskReason:
        code, facts = finding
        words = {
            HELP_REQUESTED: self.help_requested,
            NO_GOAL_SHEET: self.no_goal_sheet,
            QUIET: self.quiet,
            NO_MEETING: self.no_meeting,
            GOAL_PAST_TARGET: self.goal_past_target,
            NEWSLETTER_BOUNCING: self.newsletter_bouncing,
        }[code]
        return words(match, facts)

    def help_requested(self, match: MatchRow, item: HelpRequest) -> RiskReason:
        asked = timezone.localdate(item.created_at, self.data.program.tz)
        return RiskReason(
            HELP_REQUESTED,
            gettext("The %(role)s wrote on %(day)s; not resolved yet.")
            % {"role": item.get_role_display().lower(), "day": self.day(asked)},
            self.url("admin:matches_helprequest_change", item.pk),
            gettext("Request"),
        )

    def no_goal_sheet(self, match: MatchRow, sheet: SheetRow | None) -> RiskReason:
        state = SHEET_STATES[sheet.status if sheet else None]
        return RiskReason(
            NO_GOAL_SHEET,
            gettext("Due %(day)s; %(state)s.")
            % {"day": self.day(self.data.due_on), "state": state},
            self.url("admin:goals_goalsheet_change", sheet.pk)
            if sheet
            else self.url("admin:matches_match_change", match.pk),
            gettext("Goal sheet") if sheet else gettext("Match"),
        )

    def quiet(self, match: MatchRow, quiet: tuple[dt.date, dt.date | None]) -> RiskReason:
        since, last = quiet
        days = (self.data.as_of - since).days
        detail = (
            gettext("Last check-in or activity on %(day)s.") % {"day": self.day(last)}
            if last
            else gettext("Nothing recorded since %(day)s.") % {"day": self.day(since)}
        )
        return RiskReason(
            QUIET,
            ngettext("%(days)s day without news.", "%(days)s days without news.", days)
            % {"days": days}
            + f" {detail}",
            self.url("admin:activities_activitylogentry_changelist")
            + f"?match__id__exact={match.pk}",
            gettext("Activity log"),
        )

    def no_meeting(self, match: MatchRow, no_meeting: tuple[dt.date, dt.date | None]) -> RiskReason:
        since, last = no_meeting
        days = (self.data.as_of - since).days
        detail = (
            gettext("Last meeting on %(day)s.") % {"day": self.day(last)}
            if last
            else gettext("No meeting recorded since %(day)s.") % {"day": self.day(since)}
        )
        return RiskReason(
            NO_MEETING,
            ngettext(
                "%(days)s day without a meeting (this cycle allows %(allowed)s).",
                "%(days)s days without a meeting (this cycle allows %(allowed)s).",
                days,
            )
            % {"days": days, "allowed": self.data.cycle.days_without_meeting}
            + f" {detail}",
            self.url("admin:matches_meeting_changelist") + f"?match__id__exact={match.pk}",
            gettext("Meetings"),
        )

    def goal_past_target(self, match: MatchRow, late: list[GoalRow]) -> RiskReason:
        titles = "; ".join(
            gettext("“%(title)s” (target %(day)s)")
            % {"title": g.title, "day": self.day(g.target_date)}
            for g in late
        )
        return RiskReason(
            GOAL_PAST_TARGET,
            gettext("Not marked achieved: %(goals)s.") % {"goals": titles},
            self.url("admin:goals_goalsheet_change", late[0].sheet_id),
            gettext("Goal sheet"),
        )

    def newsletter_bouncing(self, match: MatchRow, bounce: tuple[str, Bounce]) -> RiskReason:
        side, delivery = bounce
        partner: Partner = getattr(match, side)
        return RiskReason(
            NEWSLETTER_BOUNCING,
            (
                gettext("%(name)s (%(role)s): “%(subject)s” to %(email)s failed.")
                % {
                    "name": partner.display_name or partner.email,
                    "role": partner.get_role_display().lower(),
                    "subject": delivery.subject,
                    "email": delivery.to_email,
                }
                + f" {delivery.last_error}"
            ).strip(),
            self.url("admin:mentoring_delivery_change", delivery.pk),
            gettext("Delivery"),
        )


def _start(data: CycleData, match: MatchRow) -> dt.date:
    """The day from which a match's silences count: the start of the program year, or
    the partners' introduction if later (a match is not quiet before either)."""
    start = data.cycle.starts_on
    if match.confirmed_on and match.confirmed_on > start:
        return match.confirmed_on
    return start


def _quiet_since(match: MatchRow, start: dt.date) -> tuple[dt.date, dt.date | None]:
    """(the day the match's silence began, its last day with news or None): the match
    is quiet once that silence has lasted QUIET_DAYS by the as-of day."""
    last = match.last_check_in
    activity = match.last_activity
    if last is None or (activity is not None and activity > last):
        last = activity
    return (last if last is not None and last > start else start), last


def _without_meeting_since(match: MatchRow, start: dt.date) -> tuple[dt.date, dt.date | None]:
    """(the day since which the partners have not met, their last meeting or None):
    counted, like the silence above, from ``start``; the match is at risk once that is
    the cycle's ``days_without_meeting`` by the as-of day."""
    last = match.last_meeting
    return (last if last is not None and last > start else start), last


def _goals_past_target(data: CycleData) -> dict[int, list[GoalRow]]:
    late: dict[int, list[GoalRow]] = defaultdict(list)
    for goal in data.goals:
        if (
            goal.agreed
            and goal.target_date
            and goal.target_date < data.as_of
            and not goal_achieved(goal)
        ):
            late[goal.match_id].append(goal)
    return late


@dataclass(frozen=True)
class Bounce:
    """A failed newsletter delivery: what the reason says of it, and its admin page."""

    pk: int
    subject: str
    to_email: str
    last_error: str


def _bouncing_newsletters(data: CycleData) -> dict[int, Bounce]:
    """The people of the cycle's matches whose latest newsletter failed, with that
    delivery. Every failed newsletter with no later one to its address is read (a few,
    from the address index), and kept when its person is in one of the matches: their
    people are on the match rows already, and asking the database to find them again
    was most of the time this took."""
    people = {person for m in data.matches for person in (m.mentee_person_id, m.mentor_person_id)}
    people.discard(None)  # an application whose person has gone matches no delivery
    later = Delivery.objects.filter(
        kind=NEWSLETTER_KIND, to_email=OuterRef("to_email"), created_at__gt=OuterRef("created_at")
    )
    failed = (
        Delivery.objects.filter(kind=NEWSLETTER_KIND, status=Delivery.Status.FAILED)
        .filter(~Exists(later))
        .order_by("created_at", "pk")
        .values_list("recipient_id", "pk", "subject", "to_email", "last_error")
    )
    return {row[0]: Bounce(*row[1:]) for row in failed if row[0] in people}
