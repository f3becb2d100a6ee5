"""“My mentoring”: where a person is in the program and what comes next.

The roof of the project (with the site's URLs): it reads every app
through its selectors, and nothing imports it. Everything is fetched in a fixed number
of queries, whatever the person's history.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection

from activities.selectors import Suggestion, recent_and_planned_titles, suggested_activities
from applications.models import Application
from applications.selectors import attach_interests, choices
from certificates.models import Certificate
from certificates.selectors import downloadable_certificate, issued_code_sql
from evaluation.models import Invitation
from evaluation.selectors import invitations_waiting
from goals.selectors import GoalSheetSummary, goal_sheet_glances
from matches.models import Match
from matches.selectors import Introduction, introduction, match_and_partners_from
from mentoring import selectors, sql
from mentoring.models import Cycle, Program, User
from mentoring.selectors import ProgramOverview
from mentoring.timeline import TimelineEntry
from newsletter.models import NewsletterIssue
from newsletter.selectors import latest_newsletter_for

NEXT_ON_THE_TIMELINE = 4


@dataclass
class MatchCard:
    """One of the person's matches, as they see it."""

    match: Match
    role: str  # the reader's role: “mentor” or “mentee”
    intro: Introduction
    goal_sheet: GoalSheetSummary
    recent: list[dict]  # title and day of the latest done activities
    planned: list[dict]  # and of the next planned ones
    suggestions: list[Suggestion]
    certificate: Certificate | None = None  # once the match concluded, unless withheld

    @property
    def is_active(self) -> bool:
        return self.match.status == Match.Status.ACTIVE


@dataclass
class ProgramPanel:
    """A program the person takes part in (or could apply to), with their part in it."""

    program: Program
    applications: list[Application] = field(default_factory=list)
    match_cards: list[MatchCard] = field(default_factory=list)

    @cached_property  # worked out for the panels shown only: a participant's programs
    def overview(self) -> ProgramOverview:
        return selectors.program_overview(self.program)

    @cached_property  # the template asks twice
    def coming_up(self) -> list[TimelineEntry]:
        timeline = self.overview.timeline
        return timeline.coming_up(NEXT_ON_THE_TIMELINE) if timeline else []

    @cached_property  # the template and awaiting_match ask several times
    def current_applications(self) -> list[Application]:
        """Applications of the cycle under way or taking applications: the ones that
        still matter (older years are on “My applications”)."""
        cycles = {c.pk for c in (self.overview.cycle, self.overview.window.cycle) if c}
        return [a for a in self.applications if a.cycle_id in cycles]

    @property
    def awaiting_match(self) -> list[Application]:
        """Accepted applications of the current cycle not in a match yet."""
        matched = {
            card.match.mentor_id if card.role == Application.Role.MENTOR else card.match.mentee_id
            for card in self.match_cards
        }
        return [
            a
            for a in self.current_applications
            if a.status == Application.Status.ACCEPTED and a.pk not in matched
        ]

    @property
    def may_apply(self) -> bool:
        """Applications are open and the person has not applied in both roles."""
        window = self.overview.window
        if not window.is_open:
            return False
        roles = {a.role for a in self.applications if a.cycle_id == window.cycle.pk}
        return len(roles) < len(Application.Role.values)


@dataclass
class Dashboard:
    user: User
    panels: list[ProgramPanel]
    surveys_waiting: list[Invitation] = field(default_factory=list)
    latest_newsletter: NewsletterIssue | None = None

    @property
    def has_matches(self) -> bool:
        return any(panel.match_cards for panel in self.panels)

    @property
    def has_applied(self) -> bool:
        return any(panel.applications for panel in self.panels)


_MATCH_FIELDS = ("cycle_id", "mentor_id", "mentee_id", "status", "reasons")
# What a card and its introduction (matches.selectors.introduction) read of a partner.
_PARTNER_FIELDS = (
    "applicant_id",
    "full_name",
    "preferred_name",
    "anonymised_at",
    "email",
    "phone",
    "communication_methods",
    "position_title",
    "organization",
    "city",
    "state",
    "country",
    "time_zone",
    "library_type",
    "in_person_ok",
)


def _cycles(programs: list, wanted: set[int]) -> dict[int, Cycle]:
    """The cycles ``wanted`` with their program and milestones, from the programs'
    content already loaded (shared, cached): no join and no milestone query per page."""
    cycles = {cycle.pk: cycle for program in programs for cycle in program.cycles.all()}
    missing = wanted - cycles.keys()
    if missing:
        # A cycle written where no signal told the shared content (a bulk insert): read
        # it from the database rather than fail.
        cycles.update(
            (cycle.pk, cycle)
            for cycle in Cycle.objects.filter(pk__in=missing)
            .select_related("program")
            .prefetch_related("milestones")
        )
    return cycles


def _applications_of(user: User, programs: list) -> list[Application]:
    """The person's applications, newest year first, with only what the page reads of
    them (role, status, cycle): the whole rows with their cycle and program joined took
    longer to build than the page needs, and the ORM longer to compose even this query
    than the database to answer it (:func:`_applications_sql`)."""
    if not user.is_authenticated:
        return []
    applications = [
        sql.instance(Application, _APPLICATION_READ, row)
        for row in sql.read(_applications_sql(), [user.pk], _APPLICATION_READ)
    ]
    cycles = _cycles(programs, {a.cycle_id for a in applications})
    for application in applications:
        application.cycle = cycles[application.cycle_id]
    applications.sort(key=lambda a: (-a.cycle.starts_on.toordinal(), a.role, a.pk))
    return applications


_APPLICATION_READ = sql.model_fields(Application, ("cycle", "role", "status"))


@functools.cache
def _applications_sql() -> str:
    return (
        f"SELECT {sql.columns(_APPLICATION_READ)} FROM {sql.table(Application)} "
        f"WHERE {sql.column(Application, 'applicant')} = %s"
    )


def _matches_of(applications: list[Application], programs: list) -> list[Match]:
    """The confirmed matches (active, then concluded) of the person whose
    ``applications`` these are, newest year first, with what their cards show."""
    ids = [a.pk for a in applications]
    if not ids:
        return []
    rows = sql.read(
        _matches_sql(len(ids), connection.vendor),
        [*ids, *ids, *ids, Match.Status.ACTIVE, Match.Status.CONCLUDED],
        _MATCH_READ_FIELDS,
    )
    known = choices()
    cycles = _cycles(programs, {row[1] for row in rows})
    matches = []
    fields, partner_fields = len(_MATCH_READ), len(_PARTNER_READ)
    for row in rows:
        match = sql.instance(Match, _MATCH_READ, row[:fields])
        match.cycle = cycles[match.cycle_id]
        for side, start, interest_ids in (
            (Match.mentor, fields, row[-3]),
            (Match.mentee, fields + partner_fields, row[-2]),
        ):
            partner = sql.instance(Application, _PARTNER_READ, row[start : start + partner_fields])
            # The interests (for the suggestions) from the programs' shared content.
            attach_interests(partner, "interests", sql.id_list(interest_ids), known)
            side.field.set_cached_value(match, partner)
        # Kept with the match for its card (see dashboard_for).
        match.certificate = downloadable_certificate(match, row[-1])
        matches.append(match)
    matches.sort(key=lambda m: (m.status, -m.cycle.starts_on.toordinal(), m.pk))
    return matches


_MATCH_READ = sql.model_fields(Match, _MATCH_FIELDS)
_PARTNER_READ = sql.model_fields(Application, _PARTNER_FIELDS)
# The two interest id lists and the certificate's code, last: no field of their own.
_MATCH_READ_FIELDS = (*_MATCH_READ, *_PARTNER_READ, *_PARTNER_READ, None, None, None)


@functools.lru_cache(maxsize=32)
def _matches_sql(applications: int, vendor: str) -> str:
    """The person's current matches with both partners (only what the cards, the
    introductions and the suggestions read of them), both partners' interests as ids and
    the person's certificate's code, the ids of the person's ``applications`` given (three
    times: the certificates, the mentors, the mentees). Written out, not composed by the ORM
    on every visit: composing the query took several times longer than running it. The
    cycles come from the programs' shared content, and the rows are sorted by them here:
    no join to them."""
    del vendor  # part of the cache's key only: the SQL differs between databases
    interests = Application.interests.through
    selected = [sql.columns(_MATCH_READ, "m")]
    selected += [sql.columns(_PARTNER_READ, alias) for alias in ("mentor", "mentee")]
    for alias in ("mentor", "mentee"):
        chosen = (
            f"SELECT {sql.column(interests, 'interest')} FROM {sql.table(interests)} "
            f"WHERE {sql.column(interests, 'application')} = {sql.column(Match, alias, 'm')}"
        )
        selected.append(sql.id_array(chosen, interests._meta.get_field("interest").column))
    # The person's certificate of each match (a concluded one's, to download).
    selected.append(issued_code_sql(sql.column(Match, "id", "m"), applications))
    listed = sql.placeholders(range(applications))
    return (
        f"SELECT {', '.join(selected)} {match_and_partners_from()} "
        f"WHERE ({sql.column(Match, 'mentor', 'm')} IN ({listed}) "
        f"OR {sql.column(Match, 'mentee', 'm')} IN ({listed})) "
        f"AND {sql.column(Match, 'status', 'm')} IN (%s, %s)"
    )


def dashboard_for(user: User) -> Dashboard:
    """Everything “My mentoring” shows for ``user``."""
    programs = selectors.programs()
    applications = _applications_of(user, programs)
    matches = _matches_of(applications, programs)
    # The interests, read once for the partners (above) and the goals.
    known = choices() if matches else None
    sheets = goal_sheet_glances(matches, known=known)
    recent, planned, logged = recent_and_planned_titles(matches=matches)
    # The goals just loaded (with their competency areas) and the partners' interests
    # prefetched above: the suggestions need no query of their own for them.
    goals = {pk: [*s.goals, *s.retired_goals] for pk, s in sheets.items()}
    suggestions = suggested_activities(
        matches=matches, limit=3, goals_by_match=goals, logged_by_match=logged
    )

    panels = {p.pk: ProgramPanel(program=p) for p in programs}
    for application in applications:
        panels[application.cycle.program_id].applications.append(application)
    for match in matches:
        # The cycle the goal-sheet selectors loaded carries the milestones the due date
        # needs; the introduction reads it from there.
        role = match.role_of(user)
        panels[match.cycle.program_id].match_cards.append(
            MatchCard(
                match=match,
                role=role,
                intro=introduction(
                    match, role, due=sheets[match.pk].state.due_on, shared_choices=False
                ),
                goal_sheet=sheets[match.pk],
                recent=recent[match.pk],
                planned=planned[match.pk],
                suggestions=suggestions[match.pk],
                certificate=match.certificate,
            )
        )
    involved = [p for p in panels.values() if p.applications or p.match_cards]
    surveys_waiting = []
    for invitation in invitations_waiting(user):
        survey = invitation.survey
        survey.cycle = _cycles(programs, {survey.cycle_id})[survey.cycle_id]
        if survey.takes_answers_on(survey.cycle.program.today()):
            surveys_waiting.append(invitation)
    # Someone new sees every program, to apply to; a participant sees their own.
    return Dashboard(
        user=user,
        panels=involved or list(panels.values()),
        surveys_waiting=surveys_waiting,
        # The cycles of the matches loaded above (active or concluded, as cycles_of).
        latest_newsletter=latest_newsletter_for(user, cycle_ids=[m.cycle_id for m in matches]),
    )
