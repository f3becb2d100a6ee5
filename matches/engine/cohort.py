"""The engine's inputs: a cohort as NumPy arrays, and the weights of the criteria.

Nothing here knows about the database. The service turns applications into plain
records (:class:`Person`) and :func:`build_cohort` turns records into arrays, so the
engine can be tested and benchmarked with made-up people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

# The criteria, in the order staff see them; each scores a pair from 0 to 1.
CRITERIA: tuple[str, ...] = (
    "interests",
    "experience",
    "library_type",
    "communication",
    "geography",
    "time_zone",
    "conferences",
)


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts (any non-negative numbers; only their ratios
    matter), and the rules around them.

    ``minimum_score``: a pair scoring less is never proposed.
    ``unmatched_penalty``: what leaving one mentee unmatched costs, in score points. The
    engine maximises the total score of the pairs minus this cost per unmatched mentee,
    so with the default (100, the highest possible score) it matches one more mentee
    whenever the other pairs lose less than 100 points in total to make room.
    ``experience_gap_years``: a mentor this many years more experienced than the mentee
    gets the full experience points.
    ``close_time_zone_hours``: time zones this many hours apart score nothing.
    ``preference``: points a pair earns in the engine's total when the mentee chose the
    mentor as one of their preferred (not part of its score out of 100). The default lets
    a preferred mentor win over a stranger scoring up to ten points more.
    """

    interests: float = 30
    experience: float = 15
    library_type: float = 10
    communication: float = 10
    geography: float = 15
    time_zone: float = 10
    conferences: float = 10
    minimum_score: float = 0
    unmatched_penalty: float = 100
    experience_gap_years: float = 5
    close_time_zone_hours: float = 6
    preference: float = 10

    def __post_init__(self) -> None:
        for name in CRITERIA:
            if getattr(self, name) < 0:
                raise ValueError(f"The weight of {name} cannot be negative.")
        if self.experience_gap_years <= 0 or self.close_time_zone_hours <= 0:
            raise ValueError("The experience gap and the time-zone span must be positive.")
        if not 0 <= self.minimum_score <= 100:
            raise ValueError("The minimum score is between 0 and 100.")
        if self.unmatched_penalty < 0:
            raise ValueError("The cost of leaving a mentee unmatched cannot be negative.")
        if self.preference < 0:
            raise ValueError("The bonus of a preferred mentor cannot be negative.")

    @property
    def vector(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in CRITERIA], dtype=np.float64)

    @property
    def total(self) -> float:
        return float(self.vector.sum())


@dataclass
class Person:
    """One accepted applicant as the engine sees them (plain values, no model)."""

    id: int
    name: str
    person: int | None = None  # the account, so nobody is paired with themselves
    organization: str = ""
    library_type: str = ""
    years: float | None = None
    state: str = ""
    region: str = ""
    in_person: bool = False
    utc_offset: float | None = None  # hours
    communication: Sequence[str] = ()
    interests: Iterable[int] = ()
    conferences: Iterable[int] = ()
    capacity: int = 0  # mentors: how many mentees they can take


@dataclass
class Side:
    """One side of the cohort (mentees or mentors), one row per person."""

    ids: np.ndarray  # int64: the caller's ids (application ids)
    names: list[str]
    person: np.ndarray  # int64, -1 unknown
    organization: np.ndarray  # int32 code, -1 none given
    library_type: np.ndarray  # int16 code, -1 none given
    years: np.ndarray  # float32, NaN unknown
    state: np.ndarray  # int16 code, -1 unknown
    region: np.ndarray  # int16 code, -1 unknown
    in_person: np.ndarray  # bool
    utc_offset: np.ndarray  # float32 hours, NaN unknown
    communication: np.ndarray  # uint8 bit mask over Cohort.communication
    interests: np.ndarray  # bool (people, interests)
    conferences: np.ndarray  # bool (people, conferences)
    capacity: np.ndarray  # int16 (0 for mentees)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Vocabulary:
    """The words behind the codes, for explanations.

    ``communication`` are the method codes in bit order; ``communication_phrases`` how a
    sentence names them (“video calls”); ``library_type_phrases`` say “both work in
    public libraries”.
    """

    communication: list[str] = field(default_factory=list)
    communication_phrases: dict[str, str] = field(default_factory=dict)
    interest_ids: list[int] = field(default_factory=list)
    interest_labels: list[str] = field(default_factory=list)
    conference_ids: list[int] = field(default_factory=list)
    conference_labels: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    state_names: dict[str, str] = field(default_factory=dict)
    regions: list[str] = field(default_factory=list)
    library_types: list[str] = field(default_factory=list)
    library_type_phrases: dict[str, str] = field(default_factory=dict)
    organizations: list[str] = field(default_factory=list)


@dataclass
class Cohort:
    """Everything the engine needs about one cycle's matching.

    ``kept``: pairs (mentee row, mentor row) that stay as they are: confirmed matches and
    pairs staff locked. ``never``: pairs staff ruled out. ``declined``: pairs one of the
    two asked not to be in (the mentee's “please not”, the mentor's conflict of interest).
    ``preferred``: pairs the mentee chose.
    """

    mentees: Side
    mentors: Side
    vocabulary: Vocabulary
    kept: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    never: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    declined: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))
    preferred: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.mentees), len(self.mentors)

    def mentee_row(self) -> dict[int, int]:
        return {int(i): row for row, i in enumerate(self.mentees.ids)}

    def mentor_row(self) -> dict[int, int]:
        return {int(i): row for row, i in enumerate(self.mentors.ids)}


def normalise_organization(name: str) -> str:
    """“Columbus  Metropolitan Library ” and “columbus metropolitan library” are one."""
    return " ".join(name.casefold().replace("&", "and").split())


class _Codes:
    def __init__(self, values: Iterable[str] = ()) -> None:
        self.index: dict[str, int] = {}
        for value in values:
            self.code(value)

    def code(self, value: str) -> int:
        if not value:
            return -1
        if value not in self.index:
            self.index[value] = len(self.index)
        return self.index[value]

    @property
    def values(self) -> list[str]:
        return list(self.index)


def build_cohort(
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    *,
    communication: Sequence[str],
    communication_phrases: dict[str, str] | None = None,
    interests: Sequence[tuple[int, str]] = (),
    conferences: Sequence[tuple[int, str]] = (),
    state_names: dict[str, str] | None = None,
    library_type_phrases: dict[str, str] | None = None,
    kept: Iterable[tuple[int, int]] = (),
    never: Iterable[tuple[int, int]] = (),
    declined: Iterable[tuple[int, int]] = (),
    preferred: Iterable[tuple[int, int]] = (),
    outside_state: str = "XX",
) -> Cohort:
    """Arrays from records. ``kept``, ``never``, ``declined`` and ``preferred`` are
    (mentee id, mentor id) pairs; pairs
    naming someone outside the cohort are ignored. ``outside_state`` is the code for
    “outside the US and Canada”, which never counts as being in the same place."""
    vocabulary = Vocabulary(
        communication=list(communication),
        communication_phrases=dict(communication_phrases or {}),
        interest_ids=[i for i, _ in interests],
        interest_labels=[label for _, label in interests],
        conference_ids=[i for i, _ in conferences],
        conference_labels=[label for _, label in conferences],
        state_names=dict(state_names or {}),
        library_type_phrases=dict(library_type_phrases or {}),
    )
    organizations, states, regions, types = _Codes(), _Codes(), _Codes(), _Codes()
    bits = {code: 1 << position for position, code in enumerate(communication)}
    interest_col = {i: col for col, i in enumerate(vocabulary.interest_ids)}
    conference_col = {i: col for col, i in enumerate(vocabulary.conference_ids)}

    def side(people: Sequence[Person]) -> Side:
        n = len(people)
        interest_matrix = np.zeros((n, len(interest_col)), dtype=bool)
        conference_matrix = np.zeros((n, len(conference_col)), dtype=bool)
        mask = np.zeros(n, dtype=np.uint8)
        for row, p in enumerate(people):
            for i in p.interests:
                if i in interest_col:
                    interest_matrix[row, interest_col[i]] = True
            for c in p.conferences:
                if c in conference_col:
                    conference_matrix[row, conference_col[c]] = True
            mask[row] = sum(bits.get(code, 0) for code in set(p.communication))
        here = [p.state if p.state != outside_state else "" for p in people]
        return Side(
            ids=np.array([p.id for p in people], dtype=np.int64),
            names=[p.name for p in people],
            person=np.array([-1 if p.person is None else p.person for p in people], np.int64),
            organization=np.array(
                [organizations.code(normalise_organization(p.organization)) for p in people],
                dtype=np.int32,
            ),
            library_type=np.array([types.code(p.library_type) for p in people], np.int16),
            years=np.array([np.nan if p.years is None else p.years for p in people], np.float32),
            state=np.array([states.code(s) for s in here], dtype=np.int16),
            region=np.array(
                [regions.code(p.region if s else "") for p, s in zip(people, here, strict=True)],
                dtype=np.int16,
            ),
            in_person=np.array([bool(p.in_person) for p in people], dtype=bool),
            utc_offset=np.array(
                [np.nan if p.utc_offset is None else p.utc_offset for p in people], np.float32
            ),
            communication=mask,
            interests=interest_matrix,
            conferences=conference_matrix,
            capacity=np.array([max(0, int(p.capacity or 0)) for p in people], dtype=np.int16),
        )

    cohort = Cohort(mentees=side(mentees), mentors=side(mentors), vocabulary=vocabulary)
    vocabulary.states = states.values
    vocabulary.regions = regions.values
    vocabulary.library_types = types.values
    vocabulary.organizations = organizations.values
    cohort.kept = _pairs(cohort, kept)
    cohort.never = _pairs(cohort, never)
    cohort.declined = _pairs(cohort, declined)
    cohort.preferred = np.unique(_pairs(cohort, preferred), axis=0).reshape(-1, 2)
    return cohort


def _pairs(cohort: Cohort, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    mentee_row, mentor_row = cohort.mentee_row(), cohort.mentor_row()
    rows = [(mentee_row[a], mentor_row[b]) for a, b in pairs if a in mentee_row and b in mentor_row]
    return np.array(rows, dtype=np.int64).reshape(-1, 2)
