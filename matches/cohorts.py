"""A cycle's cohort as the matching engine sees it, loaded from the database: the
accepted mentees and mentors, what staff ruled out, and one pair's explanation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from applications.geography import REGION_OF, STATE_NAMES
from applications.models import Application, Conference, Interest
from mentoring.models import Cycle

from . import engine
from .models import Match, MatchingWeights, NeverPair, PairingWish

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
    declined, preferred = _wishes(PairingWish.objects.filter(mentee__cycle=cycle))
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
        declined=declined,
        preferred=preferred,
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
    declined, preferred = _wishes(PairingWish.objects.filter(mentee=mentee, mentor=mentor))

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
        declined=declined,
        preferred=preferred,
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


def _wishes(wishes) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(mentee id, mentor id) pairs one of the two asked not to be in, and pairs the
    mentee preferred."""
    declined, preferred = set(), set()
    for mentee_id, mentor_id, kind in wishes.values_list("mentee_id", "mentor_id", "kind"):
        (preferred if kind == PairingWish.Kind.PREFERRED else declined).add((mentee_id, mentor_id))
    return declined, preferred


def pair_explanation(mentee: Application, mentor: Application) -> engine.Explanation:
    """The engine's score, reasons, flags and broken rules for one pair."""
    loaded = pair_cohort(mentee, mentor)
    return engine.explain_pairs(loaded.scorer, [0], [0])[0]
