"""What every figure of the committee's “Program health” page reads: a cycle's
applications, matches, goal sheets, check-ins, activities and deliveries, loaded once
(:class:`CycleData`), and the rules the figures share.

Figures are reckoned “as of” a day in the program's time zone: today while the year is
under way, the program's last day once it has ended (so last year's page reads as the
year stood when it concluded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import router
from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.db.models.base import DEFERRED
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityLogEntry
from applications.models import Application
from goals.models import CheckIn, Goal
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
ROLE_LABELS = {"mentee": _("Mentees"), "mentor": _("Mentors"), "all": _("Everyone")}
OWN_ACTIVITIES = _("Their own activities")


def as_of(cycle: Cycle, today: dt.date | None = None) -> dt.date:
    """The day a cycle's figures are reckoned on: today, or its last day once ended."""
    return min(today or cycle.program.today(), cycle.ends_on)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# --- Rows: what the figures read of each match and goal, without model objects --------
# A program year of 1,500 matches is 9,000 model objects (match, both applications, goal
# sheet, goals), built and torn down on every view of the page: most of its time. The
# figures read a few columns of each, so each is a row of those columns. The rows are
# plain (not frozen) dataclasses: a frozen one sets each field through object.__setattr__,
# five times the cost of building it, and nothing here changes them.


@dataclass(slots=True)
class Partner:
    """One side of a match: the columns of its application the page shows."""

    pk: int
    applicant_id: int | None
    role: str
    full_name: str
    preferred_name: str
    email: str
    anonymised_at: dt.datetime | None

    # The application's own rule (a former participant's name is never shown).
    display_name = Application.display_name

    def get_role_display(self) -> str:
        return str(Application.Role(self.role).label)


@dataclass(slots=True)
class SheetRow:
    """A match's goal sheet: where it stands, and its agreed revision if any."""

    pk: int
    status: str
    agreed_revision: int | None


# The columns of a partner's application (:class:`Partner`), in its order.
PARTNER_COLUMNS = ("id", "applicant_id", "role", "full_name", "preferred_name", "email",
                   "anonymised_at")  # fmt: skip


class Partners:
    """The partners of a cycle's matches (:class:`Partner`) by application, read when a
    page shows them: the names and addresses of 3,000 people were a third of the time
    reading the matches, and the page names fifty. :meth:`load` reads those of the
    matches given in one query; a partner asked for before that reads every match's in
    one query (never one query a match)."""

    # More applications than this are read as the cycle's matches' rather than by id.
    BY_ID = 500

    def __init__(self, data: CycleData):
        self._data = data
        self._loaded: dict[int, Partner] = {}

    def load(self, rows: Iterable[MatchRow]) -> None:
        wanted = {pk for row in rows for pk in (row.mentee_id, row.mentor_id)}
        wanted -= self._loaded.keys()
        if not wanted:
            return
        if len(wanted) <= self.BY_ID:
            applications = Application.objects.filter(pk__in=wanted)
        else:
            matches = Match.objects.filter(cycle=self._data.cycle, status__in=CURRENT_MATCH)
            applications = Application.objects.filter(
                Q(pk__in=matches.values("mentee_id")) | Q(pk__in=matches.values("mentor_id"))
            )
        for row in applications.order_by().values_list(*PARTNER_COLUMNS):
            self._loaded[row[0]] = Partner(*row)

    def __getitem__(self, pk: int) -> Partner:
        if pk not in self._loaded:
            self.load(self._data.matches)
        return self._loaded[pk]


@dataclass(slots=True)
class MatchRow:
    """A match at work or concluded: its partners' applications (the people, the
    ``*_person_id``; their names from ``partners`` when shown), goal sheet, the days of
    its latest check-in, activity and meeting up to the as-of day, and the minutes met."""

    pk: int
    cycle_id: int
    status: str
    confirmed_on: dt.date | None  # in the program's time zone
    mentee_id: int
    mentor_id: int
    mentee_person_id: int | None
    mentor_person_id: int | None
    sheet: SheetRow | None
    last_check_in: dt.date | None
    last_activity: dt.date | None
    last_meeting: dt.date | None
    meeting_minutes: int | None
    partners: Partners = field(repr=False, compare=False)

    @property
    def mentee(self) -> Partner:
        return self.partners[self.mentee_id]

    @property
    def mentor(self) -> Partner:
        return self.partners[self.mentor_id]

    def as_match(self) -> Match:
        """The match as a model object with these columns loaded (what a link or a name
        on the page needs; any other field is read on demand), built without a query."""
        match = _loaded(Match, id=self.pk, cycle_id=self.cycle_id, status=self.status,
                        mentor_id=self.mentor_id, mentee_id=self.mentee_id)  # fmt: skip
        for name in ("mentee", "mentor"):
            partner: Partner = getattr(self, name)
            setattr(match, name, _loaded(Application, id=partner.pk,
                    cycle_id=self.cycle_id, applicant_id=partner.applicant_id, role=partner.role,
                    full_name=partner.full_name, preferred_name=partner.preferred_name,
                    email=partner.email, anonymised_at=partner.anonymised_at))  # fmt: skip
        return match


def _by_match(queryset, key: str, **aggregates) -> dict[int, tuple]:
    """``aggregates`` of ``queryset``'s rows by match (``key``), as tuples."""
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {row[0]: row[1:] for row in rows.values_list(key, *aggregates)}


def _loaded(model, **values):
    """A model object with only ``values`` loaded, as ``.only()`` would give it."""
    fields = model._meta.concrete_fields
    return model.from_db(
        router.db_for_read(model), list(values), [values.get(f.attname, DEFERRED) for f in fields]
    )


@dataclass(slots=True)
class GoalRow:
    """A goal on a current sheet: ``latest_achieved`` whether its latest check-in up to
    the as-of day says achieved; ``agreed`` whether its sheet has an agreed revision."""

    pk: int
    sheet_id: int
    match_id: int
    position: int
    title: str
    target_date: dt.date | None
    final_outcome: str
    latest_achieved: bool
    agreed: bool


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
    def matches(self) -> list[MatchRow]:
        """The cycle's matches at work or concluded (:class:`MatchRow`), by the mentee's
        name."""
        # The latest days and the minutes come from one grouped scan of each table (a
        # subquery per match ran 1,500 times each).
        up_to = {"on__lte": self.as_of}
        check_ins = self.last_check_ins
        of_matches = {"match__cycle": self.cycle, "match__status__in": CURRENT_MATCH}
        activities = _by_match(
            ActivityLogEntry.objects.filter(
                status=ActivityLogEntry.Status.DONE, **of_matches, **up_to
            ),
            "match_id",
            last=Max("on"),
        )
        meetings = _by_match(
            Meeting.objects.filter(**of_matches, **up_to),
            "match_id",
            last=Max("on"),
            minutes=Sum("minutes"),
        )
        # The day of the introduction, not its moment: a timestamp costs the driver ten
        # times a date to read, and 1,500 of them were a tenth of the page.
        rows = (
            Match.objects.filter(cycle=self.cycle, status__in=CURRENT_MATCH)
            .annotate(confirmed_on=TruncDate("confirmed_at", tzinfo=self.program.tz))
            .order_by("mentee__full_name", "pk")
            .values_list(
                *("id", "cycle_id", "status", "confirmed_on", "mentee_id", "mentor_id"),
                *("mentee__applicant_id", "mentor__applicant_id"),
                *("goal_sheet__id", "goal_sheet__status", "goal_sheet__agreed_revision"),
            )
        )
        none = (None, None)
        result = []
        for row in rows:
            pk = row[0]
            last_meeting, minutes = meetings.get(pk, none)
            result.append(
                MatchRow(
                    *row[:8],
                    sheet=SheetRow(*row[8:]) if row[8] is not None else None,
                    last_check_in=check_ins.get(pk),
                    last_activity=activities.get(pk, none)[0],
                    last_meeting=last_meeting,
                    meeting_minutes=minutes,
                    partners=self.partners,
                )
            )
        return result

    @cached_property
    def partners(self) -> Partners:
        return Partners(self)

    @cached_property
    def last_check_ins(self) -> dict[int, dt.date]:
        """The day of each match's latest check-in up to the as-of day, retired goals'
        too, by match."""
        return {
            match_id: day
            for match_id, (day,) in _by_match(
                CheckIn.objects.filter(
                    goal__sheet__match__cycle=self.cycle,
                    goal__sheet__match__status__in=CURRENT_MATCH,
                    on__lte=self.as_of,
                ),
                "goal__sheet__match_id",
                last=Max("on"),
            ).items()
        }

    @cached_property
    def achieved_by_check_in(self) -> set[int]:
        """The goals whose latest check-in up to the as-of day (the latest day, then the
        one written last) says achieved. Only the achieved check-ins are read, each
        asking the index whether a later one exists: sorting all 9,000 check-ins of a
        large year to find each goal's latest cost twice that."""
        later = CheckIn.objects.filter(goal_id=OuterRef("goal_id"), on__lte=self.as_of).filter(
            Q(on__gt=OuterRef("on"))
            | Q(on=OuterRef("on"), created_at__gt=OuterRef("created_at"))
            | Q(on=OuterRef("on"), created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        achieved = CheckIn.objects.filter(
            goal__sheet__match__cycle=self.cycle,
            goal__sheet__match__status__in=CURRENT_MATCH,
            on__lte=self.as_of,
            status=CheckIn.Status.ACHIEVED,
        ).filter(~Exists(later))
        return set(achieved.order_by().values_list("goal_id", flat=True))

    @cached_property
    def goals(self) -> list[GoalRow]:
        """The goals on the sheets of those matches now (:class:`GoalRow`)."""
        rows = (
            Goal.objects.current()
            .filter(sheet__match__cycle=self.cycle, sheet__match__status__in=CURRENT_MATCH)
            .order_by("sheet_id", "position")
            .values_list(
                *("id", "sheet_id", "sheet__match_id", "position", "title", "target_date"),
                *("final_outcome", "sheet__agreed_revision"),
            )
        )
        achieved = self.achieved_by_check_in
        return [GoalRow(*row[:7], row[0] in achieved, row[7] is not None) for row in rows]

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


def goal_achieved(goal: GoalRow) -> bool:
    """A goal counts as achieved once its final outcome says so, or its latest check-in."""
    return goal.final_outcome == Goal.Outcome.ACHIEVED or goal.latest_achieved
