"""What partners see of their match and of each other: their matches, one match's
page, and the introduction (on “My match” and in the introduction email)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext, ngettext

from applications.geography import STATE_NAMES
from applications.models import Application
from applications.selectors import attach_chosen, choices
from mentoring import sql
from mentoring.selectors import with_shared_cycle
from mentoring.timeline import goal_sheet_due_on

from .cohorts import LIBRARY_TYPE_PHRASES, OUTSIDE_STATE, utc_offset_hours
from .engine.explain import join, preference_sentence, where_they_meet
from .models import Match

Role = Application.Role
Communication = Application.Communication


def _visible_to(user) -> QuerySet[Match]:
    """The matches a person may open: confirmed ones (active or concluded) they are in."""
    if not user.is_authenticated:
        return Match.objects.none()
    return Match.objects.of_person(user).current()


def matches_of(user) -> QuerySet[Match]:
    """A person's matches, newest cycle first, for a list."""
    return (
        _visible_to(user)
        .select_related("cycle__program", "mentor", "mentee")
        .order_by("-cycle__starts_on", "id")
    )


def match_for_partner(*, user, pk: int) -> Match:
    """One of the person's own matches with everything the page shows, or 404."""
    if not user.is_authenticated:
        raise Http404("No such match")
    # Found by its key, the person's part in it checked on the partners' rows below: the
    # same matches as _visible_to, without its subqueries. The partners' interests and
    # conferences come as ids with the row, the objects from the shared content
    # (attach_chosen below): no query of their own.
    match = current_match_with_partners(pk, chosen=True)
    if match is None or match.role_of(user) is None:
        raise Http404("Not your match")
    # The cycle with its program and milestones (the goal sheet's due date) from the
    # shared content: not joined above.
    with_shared_cycle(match)
    known = choices()
    attach_chosen(match.mentor, match.mentor_interest_ids, match.mentor_conference_ids, known)
    attach_chosen(match.mentee, match.mentee_interest_ids, match.mentee_conference_ids, known)
    return match


def current_match_with_partners(pk: int, *, chosen: bool = False) -> Match | None:
    """The current match (active or concluded) ``pk`` with both partners' applications
    (which name them and tell whether a person is one of them), or None; with ``chosen``,
    each partner's interests and conferences as ids beside it (``mentor_interest_ids``,
    ``mentor_conference_ids``, ``mentee_…``), as :func:`chosen_ids` annotates them. The
    whole rows, as ``select_related("mentor", "mentee")`` reads them, with SQL written
    out once a process (:func:`_match_sql`): a match's pages read it on every visit, and
    the ORM took longer to compose the query than the database to answer it."""
    rows = sql.read(
        _match_sql(chosen, connection.vendor),
        [pk, Match.Status.ACTIVE, Match.Status.CONCLUDED],
        _MATCH_ROW_FIELDS,
    )
    if not rows:
        return None
    row = rows[0]
    match = sql.instance(Match, _MATCH_READ, row[:_MATCH_END])
    Match.mentor.field.set_cached_value(
        match, sql.instance(Application, _PARTNER_READ, row[_MATCH_END:_MENTOR_END])
    )
    Match.mentee.field.set_cached_value(
        match,
        sql.instance(Application, _PARTNER_READ, row[_MENTOR_END:_MENTEE_END]),
    )
    if chosen:
        (
            match.mentor_interest_ids,
            match.mentor_conference_ids,
            match.mentee_interest_ids,
            match.mentee_conference_ids,
        ) = (sql.id_list(ids) for ids in row[_MENTEE_END:])
    return match


_MATCH_READ = sql.model_fields(Match)
_PARTNER_READ = sql.model_fields(Application)
_MATCH_END = len(_MATCH_READ)
_MENTOR_END = _MATCH_END + len(_PARTNER_READ)
_MENTEE_END = _MENTOR_END + len(_PARTNER_READ)
# The id lists of the chosen interests and conferences, when read, have no field.
_MATCH_ROW_FIELDS = (*_MATCH_READ, *_PARTNER_READ, *_PARTNER_READ, None, None, None, None)


def match_and_partners_from() -> str:
    """``FROM`` a match (aliased "m") with its mentor's and its mentee's applications
    joined (aliased "mentor" and "mentee"): the start of a read written out."""
    return (
        f"FROM {sql.table(Match, 'm')} "
        f"INNER JOIN {sql.table(Application, 'mentor')} "
        f"ON {sql.column(Application, 'id', 'mentor')} = {sql.column(Match, 'mentor', 'm')} "
        f"INNER JOIN {sql.table(Application, 'mentee')} "
        f"ON {sql.column(Application, 'id', 'mentee')} = {sql.column(Match, 'mentee', 'm')}"
    )


@functools.lru_cache(maxsize=8)
def _match_sql(chosen: bool, vendor: str) -> str:
    """current_match_with_partners' query: the match by id and status (two), its mentor's
    and mentee's applications joined, and with ``chosen`` their interests' and
    conferences' ids."""
    del vendor  # part of the cache's key only: the SQL differs between databases
    selected = [sql.columns(_MATCH_READ, "m")]
    selected += [sql.columns(_PARTNER_READ, alias) for alias in ("mentor", "mentee")]
    if chosen:
        for alias in ("mentor", "mentee"):
            for through, target in (
                (Application.interests.through, "interest"),
                (Application.conferences.through, "conference"),
            ):
                ids = (
                    f"SELECT {sql.column(through, target)} FROM {sql.table(through)} "
                    f"WHERE {sql.column(through, 'application')} = "
                    f"{sql.column(Match, alias, 'm')}"
                )
                selected.append(sql.id_array(ids, through._meta.get_field(target).column))
    return (
        f"SELECT {', '.join(selected)} {match_and_partners_from()} "
        f"WHERE {sql.column(Match, 'id', 'm')} = %s "
        f"AND {sql.column(Match, 'status', 'm')} IN (%s, %s)"
    )


@dataclass
class WayToTalk:
    code: str
    label: str
    shared: bool


@dataclass
class Introduction:
    """What one partner is told about the other: on the “My match” page and in the
    introduction email."""

    match: Match
    reader: Application
    partner: Application
    partner_role: str  # “mentor” or “mentee”
    ways: list[WayToTalk]
    shared_interests: list[str]
    shared_conferences: list[str]
    same_library_type: str
    place: str  # “both in Ohio”, “both in the Midwest” or ""
    in_person_possible: bool
    meeting_sentence: str  # from where_they_meet, like the board's reason
    time_difference: str
    goal_sheet_due: dt.date | None
    preference_sentence: str = ""  # when the mentee chose the mentor (explain.py's words)

    @property
    def shared_ways(self) -> list[str]:
        return [w.label for w in self.ways if w.shared]

    @property
    def shared_ways_words(self) -> str:
        """“email and video call”."""
        return join([label.lower() for label in self.shared_ways])

    @property
    def experience_words(self) -> str:
        years = self.partner.years_experience
        if years is None:
            return ""
        field = self.match.cycle.program.field_words
        if years == 0:
            return gettext("New to %(field)s") % {"field": field}
        return ngettext("%(count)s year in %(field)s", "%(count)s years in %(field)s", years) % {
            "count": years,
            "field": field,
        }

    @property
    def shares_anything(self) -> bool:
        return bool(
            self.shared_interests
            or self.shared_conferences
            or self.same_library_type
            or self.place
            or self.shared_ways
        )

    @property
    def goes_by(self) -> str:
        """The partner's preferred name, when it is not simply their first name."""
        preferred, full = self.partner.preferred_name.strip(), self.partner.full_name.strip()
        if not preferred or preferred == full or full.split()[:1] == [preferred]:
            return ""
        return preferred

    @property
    def partner_location(self) -> str:
        state = (
            STATE_NAMES.get(self.partner.state, "") if self.partner.state != OUTSIDE_STATE else ""
        )
        parts = [self.partner.city, state or self.partner.country]
        return ", ".join(p for p in parts if p)


_NOT_GIVEN = object()


def introduction(
    match: Match, reader_role: str, *, due=_NOT_GIVEN, shared_choices: bool = True
) -> Introduction:
    """The introduction of ``match`` for its mentor or mentee (``reader_role``). Uses the
    applications' prefetched interests and conferences when present. ``due`` is the goal
    sheet's due date when the caller knows it (None for a cycle without one). Without
    ``shared_choices`` the interests and conferences they share are left empty, unread:
    for a summary that shows none of them (the “My mentoring” card)."""
    if reader_role == Role.MENTOR:
        reader, partner = match.mentor, match.mentee
    else:
        reader, partner = match.mentee, match.mentor
    mine = set(reader.communication_methods or [])
    labels = {value: str(label) for value, label in Communication.choices}
    ways = [
        WayToTalk(code=code, label=labels.get(code, code), shared=code in mine)
        for code in Communication.values
        if code in (partner.communication_methods or [])
    ]
    shared_interests, shared_conferences = [], []
    if shared_choices:
        reader_interests = {i.pk for i in reader.interests.all()}
        shared_interests = [i.label for i in partner.interests.all() if i.pk in reader_interests]
        reader_conferences = {c.pk for c in reader.conferences.all()}
        shared_conferences = [
            c.name for c in partner.conferences.all() if c.pk in reader_conferences
        ]
    same_type = ""
    if reader.library_type and reader.library_type == partner.library_type:
        same_type = LIBRARY_TYPE_PHRASES.get(reader.library_type, "")
    known = reader.state and reader.state != OUTSIDE_STATE
    same_state = known and reader.state == partner.state
    meeting = where_they_meet(
        state_name=STATE_NAMES.get(reader.state, reader.state) if same_state else "",
        region=reader.region if known and reader.region == partner.region else "",
        both_open=bool(reader.in_person_ok and partner.in_person_ok),
    )
    if due is _NOT_GIVEN:
        milestones = getattr(match.cycle, "introduction_milestones", None)
        due = goal_sheet_due_on(match.cycle.milestones.all() if milestones is None else milestones)
    return Introduction(
        match=match,
        reader=reader,
        partner=partner,
        partner_role=gettext("mentee") if reader_role == Role.MENTOR else gettext("mentor"),
        ways=ways,
        shared_interests=shared_interests,
        shared_conferences=shared_conferences,
        same_library_type=same_type,
        place=meeting.place,
        in_person_possible=meeting.in_person_possible,
        meeting_sentence=meeting.sentence,
        time_difference=_time_difference(reader, partner, match.cycle.starts_on),
        goal_sheet_due=due,
        preference_sentence=preference_sentence(
            reasons=match.reasons or [],
            reader_role=reader_role,
            partner_name=partner.display_name,
        ),
    )


def _time_difference(reader: Application, partner: Application, day: dt.date) -> str:
    mine = utc_offset_hours(reader.time_zone, day)
    theirs = utc_offset_hours(partner.time_zone, day)
    if mine is None or theirs is None:
        return ""
    hours = theirs - mine
    if hours == 0:
        return gettext("You are in the same time zone.")
    # gettext counts whole numbers; a fraction reads as plural (“1.5 hours”).
    count = int(abs(hours)) if float(hours).is_integer() else 2
    values = {"name": partner.display_name, "hours": f"{abs(hours):g}"}
    if hours > 0:
        return (
            ngettext(
                "%(name)s is %(hours)s hour ahead of you.",
                "%(name)s is %(hours)s hours ahead of you.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "%(name)s is %(hours)s hour behind you.",
            "%(name)s is %(hours)s hours behind you.",
            count,
        )
        % values
    )
