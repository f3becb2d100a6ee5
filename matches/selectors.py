"""Reads of the matches app: a cycle's cohort for the engine, the proposals board staff
work on, and what partners see of each other."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.geography import REGION_OF, STATE_NAMES
from applications.models import Application, Conference, Interest
from mentoring.models import Cycle, Milestone

from . import engine
from .engine.explain import join
from .models import Match, MatchingRun, MatchingWeights, NeverPair

Role = Application.Role
Communication = Application.Communication

# How sentences name each way to talk and each library type.
COMMUNICATION_PHRASES = {
    Communication.EMAIL: "email",
    Communication.PHONE: "phone calls",
    Communication.VIDEO: "video calls",
    Communication.CHAT: "online chat",
}
LIBRARY_TYPE_PHRASES = {
    Application.LibraryType.PUBLIC: "both work in public libraries",
    Application.LibraryType.SCHOOL: "both work in school libraries",
    Application.LibraryType.ACADEMIC: "both work in academic libraries",
    Application.LibraryType.SPECIAL: "both work in special libraries",
    Application.LibraryType.LIS_STUDENT: "both LIS students",
    Application.LibraryType.OTHER: "both work outside libraries",
}
OUTSIDE_STATE = "XX"
_FIELDS = (
    "id",
    "role",
    "applicant_id",
    "full_name",
    "preferred_name",
    "email",
    "organization",
    "library_type",
    "years_experience",
    "state",
    "in_person_ok",
    "time_zone",
    "communication_methods",
    "mentee_capacity",
)


def matching_weights(cycle: Cycle) -> MatchingWeights:
    """The cycle's weights, or the defaults (unsaved) when staff have not set any."""
    try:
        return MatchingWeights.objects.get(cycle=cycle)
    except MatchingWeights.DoesNotExist:
        return MatchingWeights(cycle=cycle)


@lru_cache(maxsize=256)
def utc_offset_hours(time_zone: str, day: dt.date) -> float | None:
    """The zone's offset from UTC at noon on ``day``, in hours (None if unknown)."""
    if not time_zone:
        return None
    try:
        zone = ZoneInfo(time_zone)
    except (KeyError, ValueError):
        return None
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC).astimezone(zone)
    offset = moment.utcoffset()
    return None if offset is None else offset.total_seconds() / 3600


@dataclass
class LoadedCohort:
    """A cycle's cohort as the engine sees it, and the rows behind it."""

    cycle: Cycle
    weights: MatchingWeights
    cohort: engine.Cohort
    mentees: list[dict]  # values of each mentee's application, in engine row order
    mentors: list[dict]
    open_matches: list[dict]  # every proposed or active match of the cycle
    never: set[tuple[int, int]] = field(default_factory=set)  # (mentee id, mentor id)
    accepted_mentees: int = 0
    _scorer: engine.Scorer | None = None

    @property
    def scorer(self) -> engine.Scorer:
        if self._scorer is None:
            self._scorer = engine.Scorer(self.cohort, self.weights.as_engine())
        return self._scorer

    def mentee_row(self, application_id: int) -> int | None:
        return self._mentee_rows.get(application_id)

    def mentor_row(self, application_id: int) -> int | None:
        return self._mentor_rows.get(application_id)

    def __post_init__(self) -> None:
        self._mentee_rows = {p["id"]: row for row, p in enumerate(self.mentees)}
        self._mentor_rows = {p["id"]: row for row, p in enumerate(self.mentors)}

    def load(self) -> np.ndarray:
        """How many open matches (proposed or active) each mentor has now."""
        load = np.zeros(len(self.mentors), dtype=np.int64)
        for match in self.open_matches:
            row = self.mentor_row(match["mentor_id"])
            if row is not None:
                load[row] += 1
        return load


def cohort_load(cycle: Cycle, *, weights: MatchingWeights | None = None) -> LoadedCohort:
    """The accepted mentees and mentors of a cycle, with what the engine keeps and rules
    out, in a constant number of queries (however large the cohort)."""
    weights = weights or matching_weights(cycle)
    accepted = Application.objects.filter(cycle=cycle, status=Application.Status.ACCEPTED)
    people = list(accepted.order_by("role", "id").values(*_FIELDS))
    mentors = [p for p in people if p["role"] == Role.MENTOR]
    mentees_all = [p for p in people if p["role"] == Role.MENTEE]
    open_matches = list(
        Match.objects.filter(cycle=cycle, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .order_by("id")
        .values("id", "mentee_id", "mentor_id", "status", "locked")
    )
    never = set(NeverPair.objects.filter(mentee__cycle=cycle).values_list("mentee_id", "mentor_id"))
    interest_rows = Interest.objects.filter(program_id=cycle.program_id).values_list(
        "id", "name", "short_name"
    )
    conference_rows = Conference.objects.filter(program_id=cycle.program_id).values_list(
        "id", "name"
    )
    chosen_interests: dict[int, list[int]] = defaultdict(list)
    for application_id, interest_id in Application.interests.through.objects.filter(
        application__cycle=cycle, application__status=Application.Status.ACCEPTED
    ).values_list("application_id", "interest_id"):
        chosen_interests[application_id].append(interest_id)
    chosen_conferences: dict[int, list[int]] = defaultdict(list)
    for application_id, conference_id in Application.conferences.through.objects.filter(
        application__cycle=cycle, application__status=Application.Status.ACCEPTED
    ).values_list("application_id", "conference_id"):
        chosen_conferences[application_id].append(conference_id)

    # Pairs the engine keeps: confirmed matches, and proposals staff locked. A mentee with
    # an active match is never matched again, even if their mentor is no longer accepted;
    # a mentor's places taken by someone outside the cohort are not offered.
    mentor_ids = {p["id"] for p in mentors}
    mentee_ids = {p["id"] for p in mentees_all}
    taken_outside: dict[int, int] = defaultdict(int)
    kept: list[tuple[int, int]] = []
    settled: set[int] = set()
    for match in open_matches:
        keep = match["status"] == Match.Status.ACTIVE or match["locked"]
        if not keep:
            continue
        if match["mentee_id"] in mentee_ids and match["mentor_id"] in mentor_ids:
            if match["mentee_id"] not in settled:
                kept.append((match["mentee_id"], match["mentor_id"]))
                settled.add(match["mentee_id"])
        elif match["mentor_id"] in mentor_ids:
            taken_outside[match["mentor_id"]] += 1
        elif match["status"] == Match.Status.ACTIVE:
            settled.add(match["mentee_id"])
    kept_mentees = {mentee_id for mentee_id, _ in kept}
    mentees = [p for p in mentees_all if p["id"] not in settled or p["id"] in kept_mentees]

    day = cycle.starts_on

    def person(p: dict) -> engine.Person:
        capacity = 0
        if p["role"] == Role.MENTOR:
            capacity = max((p["mentee_capacity"] or 0) - taken_outside[p["id"]], 0)
        return engine.Person(
            id=p["id"],
            name=p["full_name"] or p["email"] or f"Application {p['id']}",
            person=p["applicant_id"],
            organization=p["organization"],
            library_type=p["library_type"],
            years=p["years_experience"],
            state=p["state"],
            region=REGION_OF.get(p["state"], ""),
            in_person=p["in_person_ok"],
            utc_offset=utc_offset_hours(p["time_zone"], day),
            communication=p["communication_methods"] or [],
            interests=chosen_interests.get(p["id"], ()),
            conferences=chosen_conferences.get(p["id"], ()),
            capacity=capacity,
        )

    cohort = engine.build_cohort(
        [person(p) for p in mentees],
        [person(p) for p in mentors],
        communication=[c.value for c in Communication],
        communication_phrases={str(k): v for k, v in COMMUNICATION_PHRASES.items()},
        interests=[(i, short or name) for i, name, short in interest_rows],
        conferences=list(conference_rows),
        state_names=STATE_NAMES,
        library_type_phrases={str(k): v for k, v in LIBRARY_TYPE_PHRASES.items()},
        kept=kept,
        never=never,
        outside_state=OUTSIDE_STATE,
    )
    return LoadedCohort(
        cycle=cycle,
        weights=weights,
        cohort=cohort,
        mentees=mentees,
        mentors=mentors,
        open_matches=open_matches,
        never=never,
        accepted_mentees=len(mentees_all),
    )


def pair_cohort(mentee: Application, mentor: Application) -> LoadedCohort:
    """A cohort of one mentee and one mentor (whatever their status), to check a pair
    staff chose against the hard rules and score it."""
    cycle = mentee.cycle
    weights = matching_weights(cycle)
    rows = list(
        Application.objects.filter(pk__in=[mentee.pk, mentor.pk]).order_by("role").values(*_FIELDS)
    )
    interests = Application.interests.through.objects.filter(
        application_id__in=[mentee.pk, mentor.pk]
    ).values_list("application_id", "interest_id")
    conferences = Application.conferences.through.objects.filter(
        application_id__in=[mentee.pk, mentor.pk]
    ).values_list("application_id", "conference_id")
    chosen_i: dict[int, list[int]] = defaultdict(list)
    for a, i in interests:
        chosen_i[a].append(i)
    chosen_c: dict[int, list[int]] = defaultdict(list)
    for a, c in conferences:
        chosen_c[a].append(c)
    labels_i = Interest.objects.filter(id__in={i for ids in chosen_i.values() for i in ids})
    labels_c = Conference.objects.filter(id__in={c for ids in chosen_c.values() for c in ids})
    never = set(
        NeverPair.objects.filter(mentee=mentee, mentor=mentor).values_list("mentee_id", "mentor_id")
    )

    def person(p: dict) -> engine.Person:
        return engine.Person(
            id=p["id"],
            name=p["full_name"] or p["email"],
            person=p["applicant_id"],
            organization=p["organization"],
            library_type=p["library_type"],
            years=p["years_experience"],
            state=p["state"],
            region=REGION_OF.get(p["state"], ""),
            in_person=p["in_person_ok"],
            utc_offset=utc_offset_hours(p["time_zone"], cycle.starts_on),
            communication=p["communication_methods"] or [],
            interests=chosen_i.get(p["id"], ()),
            conferences=chosen_c.get(p["id"], ()),
            capacity=p["mentee_capacity"] or 0,
        )

    mentee_rows = [p for p in rows if p["id"] == mentee.pk]
    mentor_rows = [p for p in rows if p["id"] == mentor.pk]
    cohort = engine.build_cohort(
        [person(p) for p in mentee_rows],
        [person(p) for p in mentor_rows],
        communication=[c.value for c in Communication],
        communication_phrases={str(k): v for k, v in COMMUNICATION_PHRASES.items()},
        interests=[(i.pk, i.label) for i in labels_i],
        conferences=[(c.pk, c.name) for c in labels_c],
        state_names=STATE_NAMES,
        library_type_phrases={str(k): v for k, v in LIBRARY_TYPE_PHRASES.items()},
        never=never,
        outside_state=OUTSIDE_STATE,
    )
    return LoadedCohort(
        cycle=cycle,
        weights=weights,
        cohort=cohort,
        mentees=mentee_rows,
        mentors=mentor_rows,
        open_matches=[],
        never=never,
    )


def pair_explanation(mentee: Application, mentor: Application) -> engine.Explanation:
    """The engine's score, reasons, flags and broken rules for one pair."""
    loaded = pair_cohort(mentee, mentor)
    return engine.explain_pairs(loaded.scorer, [0], [0])[0]


# --- The proposals board (admin) --------------------------------------------------------


@dataclass
class Candidate:
    mentor_id: int
    name: str
    score: float
    places_left: int
    current: bool = False

    @property
    def available(self) -> bool:
        return self.current or self.places_left > 0


@dataclass
class BoardRow:
    match: Match | None
    mentee: dict
    candidates: list[Candidate]
    reason: str = ""

    @property
    def has_choice(self) -> bool:
        return any(c.available for c in self.candidates)


@dataclass
class MentorPlaces:
    mentor: dict
    capacity: int
    active: int
    proposed: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.active - self.proposed, 0)


@dataclass
class Board:
    cycle: Cycle
    weights: MatchingWeights
    proposals: list[BoardRow]  # of this page
    page: Page
    unmatched: list[BoardRow]
    active: list[Match]
    mentors: list[MentorPlaces]
    last_run: MatchingRun | None
    counts: dict[str, int]
    never_count: int


CANDIDATES_SHOWN = 8
PROPOSALS_PER_PAGE = 100
UNMATCHED_SHOWN = 200


def proposal_board(cycle: Cycle, *, page: int | str = 1) -> Board:
    """Everything the “Propose matches” page shows for a cycle: a page of proposals with
    each mentee's ranked candidates, the unmatched mentees and why, the confirmed
    matches, each mentor's places. A constant number of queries; mentees' candidates are
    scored only for the rows shown."""
    loaded = cohort_load(cycle)
    matches = list(
        Match.objects.filter(cycle=cycle, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .select_related("mentor", "mentee", "confirmed_by", "proposed_by")
        .order_by("mentee__full_name", "id")
    )
    proposed = [m for m in matches if m.status == Match.Status.PROPOSED]
    active = [m for m in matches if m.status == Match.Status.ACTIVE]
    mentors_by_id = {p["id"]: p for p in loaded.mentors}
    places = {
        p["id"]: MentorPlaces(mentor=p, capacity=p["mentee_capacity"] or 0, active=0, proposed=0)
        for p in loaded.mentors
    }
    for m in matches:
        if m.mentor_id in places:
            if m.status == Match.Status.ACTIVE:
                places[m.mentor_id].active += 1
            else:
                places[m.mentor_id].proposed += 1

    matched_mentees = {m.mentee_id for m in matches}
    unmatched_rows = [row for row, p in enumerate(loaded.mentees) if p["id"] not in matched_mentees]
    unmatched_rows.sort(key=lambda row: (loaded.mentees[row]["full_name"] or "").casefold())
    unmatched_rows = unmatched_rows[:UNMATCHED_SHOWN]
    paginator = Paginator(proposed, PROPOSALS_PER_PAGE)
    page_obj = paginator.get_page(page)
    shown = list(page_obj.object_list)
    proposal_rows = [loaded.mentee_row(m.mentee_id) for m in shown]
    proposal_by_mentee = {m.mentee_id: m for m in shown}
    wanted = sorted({r for r in proposal_rows if r is not None} | set(unmatched_rows))
    scorer = loaded.scorer
    ranked = engine.ranked_candidates(scorer, wanted, limit=CANDIDATES_SHOWN * 3)

    def candidates(row: int | None, current: int | None) -> list[Candidate]:
        if row is None:
            return []
        found = []
        for col, score in ranked.get(row, []):
            mentor = loaded.mentors[col]
            found.append(
                Candidate(
                    mentor_id=mentor["id"],
                    name=mentor["full_name"] or mentor["email"],
                    score=score,
                    places_left=places[mentor["id"]].left,
                    current=mentor["id"] == current,
                )
            )
        # The ones that can be chosen first, keeping their rank among themselves.
        found.sort(key=lambda c: (not c.available,))
        found = found[:CANDIDATES_SHOWN]
        if current is not None and not any(c.current for c in found):
            # The current mentor is always offered, so the list never shows another
            # mentor as if chosen.
            mentor = mentors_by_id.get(current, {"full_name": "", "email": ""})
            match = proposal_by_mentee.get(loaded.mentees[row]["id"])
            found.insert(
                0,
                Candidate(
                    mentor_id=current,
                    name=mentor["full_name"] or mentor["email"],
                    score=match.score if match and match.score is not None else 0.0,
                    places_left=places[current].left if current in places else 0,
                    current=True,
                ),
            )
        return found

    proposals = [
        BoardRow(
            match=m,
            mentee=loaded.mentees[row] if row is not None else {"id": m.mentee_id},
            candidates=candidates(row, m.mentor_id),
        )
        for m, row in zip(shown, proposal_rows, strict=True)
    ]
    reasons = engine.explain_unmatched(scorer, loaded.load(), unmatched_rows)
    unmatched = [
        BoardRow(
            match=None,
            mentee=loaded.mentees[row],
            candidates=candidates(row, None),
            reason=reasons.get(row, ""),
        )
        for row in unmatched_rows
    ]
    mentor_places = sorted(
        places.values(), key=lambda p: (-p.left, (p.mentor["full_name"] or "").casefold())
    )
    capacity = sum(p.capacity for p in places.values())
    counts = {
        "mentees": loaded.accepted_mentees,
        "mentors": len(mentors_by_id),
        "places": capacity,
        "places_left": sum(p.left for p in places.values()),
        "active": len(active),
        "proposed": len(proposed),
        "locked": sum(1 for m in proposed if m.locked),
        "unmatched": len(loaded.mentees)
        - sum(1 for p in loaded.mentees if p["id"] in matched_mentees),
    }
    return Board(
        cycle=cycle,
        weights=loaded.weights,
        proposals=proposals,
        page=page_obj,
        unmatched=unmatched,
        active=active,
        mentors=mentor_places,
        last_run=MatchingRun.objects.filter(cycle=cycle).select_related("run_by").first(),
        counts=counts,
        never_count=len(loaded.never),
    )


def cycles_for_matching() -> QuerySet[Cycle]:
    """Cycles with their accepted mentees and mentors and their matches counted."""
    accepted = Q(applications__status=Application.Status.ACCEPTED)
    return (
        Cycle.objects.select_related("program")
        .annotate(
            accepted_mentees=Count(
                "applications", filter=accepted & Q(applications__role=Role.MENTEE), distinct=True
            ),
            accepted_mentors=Count(
                "applications", filter=accepted & Q(applications__role=Role.MENTOR), distinct=True
            ),
            active_matches=Count(
                "matches", filter=Q(matches__status=Match.Status.ACTIVE), distinct=True
            ),
            proposed_matches=Count(
                "matches", filter=Q(matches__status=Match.Status.PROPOSED), distinct=True
            ),
        )
        .order_by("program__position", "program__name", "-starts_on")
    )


# --- What partners see ------------------------------------------------------------------


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
    application_qs = Application.objects.prefetch_related("interests", "conferences")
    match = get_object_or_404(
        _visible_to(user)
        .select_related("cycle__program")
        .prefetch_related(
            Prefetch("mentor", queryset=application_qs),
            Prefetch("mentee", queryset=application_qs),
            Prefetch(
                "cycle__milestones",
                queryset=Milestone.objects.filter(kind=Milestone.Kind.INTRODUCTIONS).order_by(
                    "ends_on"
                ),
                to_attr="introduction_milestones",
            ),
        ),
        pk=pk,
    )
    if match.role_of(user) is None:
        raise Http404("Not your match")
    return match


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
    time_difference: str
    goal_sheet_due: dt.date | None

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
        if years == 0:
            return "New to serving children and families"
        return f"{years} year{'s' if years != 1 else ''} serving children and families"

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


def goal_sheet_due(cycle: Cycle, milestones: list[Milestone] | None = None) -> dt.date | None:
    """The end of the cycle's introductions milestone, when the goal sheet is due."""
    if milestones is None:
        milestones = list(
            cycle.milestones.filter(kind=Milestone.Kind.INTRODUCTIONS).order_by("ends_on")
        )
    intro = [m for m in milestones if m.kind == Milestone.Kind.INTRODUCTIONS]
    return intro[-1].ends_on if intro else None


_NOT_GIVEN = object()


def introduction(match: Match, reader_role: str, *, due=_NOT_GIVEN) -> Introduction:
    """The introduction of ``match`` for its mentor or mentee (``reader_role``). Uses the
    applications' prefetched interests and conferences when present. ``due`` is the goal
    sheet's due date when the caller knows it (None for a cycle without one)."""
    if reader_role == Role.MENTOR:
        reader, partner = match.mentor, match.mentee
    else:
        reader, partner = match.mentee, match.mentor
    mine = set(reader.communication_methods or [])
    labels = dict(Communication.choices)
    ways = [
        WayToTalk(code=code, label=labels.get(code, code), shared=code in mine)
        for code in Communication.values
        if code in (partner.communication_methods or [])
    ]
    reader_interests = {i.pk for i in reader.interests.all()}
    shared_interests = [i.label for i in partner.interests.all() if i.pk in reader_interests]
    reader_conferences = {c.pk for c in reader.conferences.all()}
    shared_conferences = [c.name for c in partner.conferences.all() if c.pk in reader_conferences]
    same_type = ""
    if reader.library_type and reader.library_type == partner.library_type:
        same_type = LIBRARY_TYPE_PHRASES.get(reader.library_type, "")
    place = ""
    known = reader.state and reader.state != OUTSIDE_STATE
    if known and reader.state == partner.state:
        place = f"both in {STATE_NAMES.get(reader.state, reader.state)}"
    elif known and reader.region and reader.region == partner.region:
        region = reader.region
        place = f"both in {region if region == 'Canada' else 'the ' + region}"
    in_person = bool(
        reader.in_person_ok and partner.in_person_ok and known and reader.state == partner.state
    )
    if due is _NOT_GIVEN:
        milestones = getattr(match.cycle, "introduction_milestones", None)
        due = goal_sheet_due(match.cycle, milestones)
    return Introduction(
        match=match,
        reader=reader,
        partner=partner,
        partner_role="mentee" if reader_role == Role.MENTOR else "mentor",
        ways=ways,
        shared_interests=shared_interests,
        shared_conferences=shared_conferences,
        same_library_type=same_type,
        place=place,
        in_person_possible=in_person,
        time_difference=_time_difference(reader, partner, match.cycle.starts_on),
        goal_sheet_due=due,
    )


def _time_difference(reader: Application, partner: Application, day: dt.date) -> str:
    mine = utc_offset_hours(reader.time_zone, day)
    theirs = utc_offset_hours(partner.time_zone, day)
    if mine is None or theirs is None:
        return ""
    hours = theirs - mine
    if hours == 0:
        return "You are in the same time zone."
    amount = f"{abs(hours):g} hour{'s' if abs(hours) != 1 else ''}"
    direction = "ahead of" if hours > 0 else "behind"
    return f"{partner.display_name} is {amount} {direction} you."
