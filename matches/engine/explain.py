"""Why a pair was proposed, what staff should know about it, and why a mentee is left
unmatched, in words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cohort import CRITERIA
from .scoring import (
    BELOW_MINIMUM,
    DECLINED,
    MARKED_NEVER,
    NO_SHARED_COMMUNICATION,
    SAME_ORGANIZATION,
    SAME_PERSON,
    SCALE,
    Scorer,
    broken_rules,
)

MAX_REASONS = 5
FAR_APART_HOURS = 3
# The board's reason for a pair the mentee chose, always listed first (stored with the
# match, so the introduction says the same: :func:`preference_sentence`).
PREFERRED_REASON = "the mentee's own choice"


@dataclass(frozen=True)
class Explanation:
    score: float  # 0 to 100
    breakdown: dict[str, float]  # points per criterion
    reasons: list[str]
    flags: list[str]
    broken: list[str]  # hard rules the pair breaks (a kept pair may)
    preferred: bool = False  # the mentee chose this mentor


def preference_sentence(*, reasons: list[str], reader_role: str, partner_name: str) -> str:
    """What a partner is told when the mentee chose the mentor (from the reasons stored
    with the match), or "" when they did not."""
    if PREFERRED_REASON not in reasons:
        return ""
    if reader_role == "mentee":
        return f"You chose {partner_name} among the mentors you would prefer."
    return f"{partner_name} chose you among the mentors they would prefer."


def join(words: list[str]) -> str:
    """“a”, “a and b”, “a, b and c”."""
    words = [str(word) for word in words]  # choice labels are lazy translations
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def plural(count: float, one: str, many: str | None = None) -> str:
    return f"{count:g} {one if count == 1 else (many or one + 's')}"


def explain_pairs(scorer: Scorer, rows, cols) -> list[Explanation]:
    """Explanations of the pairs (mentee rows[k], mentor cols[k])."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    if len(rows) == 0:
        return []
    pairs = scorer.pairs(rows, cols)
    cohort = scorer.cohort
    a, b, vocabulary = cohort.mentees, cohort.mentors, cohort.vocabulary
    explanations = []
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        points = {name: float(pairs.points[name][k]) / SCALE for name in CRITERIA}
        found: list[tuple[float, str]] = []
        flags: list[str] = []

        shared = np.flatnonzero(a.interests[i] & b.interests[j])
        if len(shared):
            labels = [vocabulary.interest_labels[s] for s in shared]
            shown = labels[:4] + ([f"{len(labels) - 4} more"] if len(labels) > 4 else [])
            found.append(
                (points["interests"], f"{plural(len(labels), 'shared interest')}: {join(shown)}")
            )
        elif a.interests[i].any():
            flags.append("no shared interests")

        same_state = a.state[i] >= 0 and a.state[i] == b.state[j]
        same_region = a.region[i] >= 0 and a.region[i] == b.region[j]
        state = vocabulary.states[a.state[i]] if same_state else ""
        where = where_they_meet(
            state_name=vocabulary.state_names.get(state, state),
            region=vocabulary.regions[a.region[i]] if same_region else "",
            both_open=bool(a.in_person[i] and b.in_person[j]),
        )
        if where.reason:
            found.append((points["geography"], where.reason))
        elif a.in_person[i]:
            flags.append("the mentee hoped to meet in person; they live in different regions")

        ways = [
            code
            for bit, code in enumerate(vocabulary.communication)
            if (int(a.communication[i]) & int(b.communication[j])) >> bit & 1
        ]
        if ways:
            phrases = [vocabulary.communication_phrases.get(w, w) for w in ways]
            found.append((points["communication"], f"both prefer {join(phrases)}"))

        gap = float(b.years[j] - a.years[i])
        if np.isnan(gap):
            flags.append("years of experience not given")
        elif gap >= 1:
            found.append((points["experience"], f"{plural(gap, 'year')} more experience"))
            if gap < 2:
                flags.append("mentor only a year more experienced")
        else:
            flags.append("mentor not more experienced than the mentee")

        if a.library_type[i] >= 0 and a.library_type[i] == b.library_type[j]:
            kind = vocabulary.library_types[a.library_type[i]]
            found.append(
                (points["library_type"], vocabulary.library_type_phrases.get(kind, f"both {kind}"))
            )

        hours = float(abs(a.utc_offset[i] - b.utc_offset[j]))
        if not np.isnan(hours):
            if hours == 0:
                found.append((points["time_zone"], "same time zone"))
            elif hours < FAR_APART_HOURS:
                found.append((points["time_zone"], f"{plural(hours, 'hour')} apart"))
            else:
                flags.append(f"{plural(hours, 'hour')} apart")

        conferences = np.flatnonzero(a.conferences[i] & b.conferences[j])
        if len(conferences):
            names = [vocabulary.conference_labels[c] for c in conferences]
            found.append((points["conferences"], f"both attend {join(names)}"))

        broken = broken_rules(int(pairs.broken[k]))
        flags = [f"breaks a rule: {rule}" for rule in broken] + flags
        found = [item for item in found if item[0] > 0]
        found.sort(key=lambda item: -item[0])
        preferred = bool(pairs.preferred[k])
        reasons = [words for _, words in found[:MAX_REASONS]]
        explanations.append(
            Explanation(
                score=float(pairs.score[k]) / SCALE,
                breakdown={name: round(value, 2) for name, value in points.items()},
                reasons=[PREFERRED_REASON, *reasons] if preferred else reasons,
                flags=flags,
                broken=broken,
                preferred=preferred,
            )
        )
    return explanations


def _region(region: str) -> str:
    return region if region == "Canada" else f"the {region}"


@dataclass(frozen=True)
class Meeting:
    """Where a pair lives and whether they can meet in person, in words: the board's
    reason, the match page's and introduction's “You are …” line and their sentence on
    meeting. One source, so the three never disagree."""

    place: str  # “both in Ohio”, “both in the South” or ""
    reason: str  # the board's reason, "" when they share no state or region
    in_person_possible: bool  # same state and both open to it
    sentence: str  # the partners' sentence on meeting in person ("" to let others say)


def where_they_meet(*, state_name: str, region: str, both_open: bool) -> Meeting:
    """``state_name`` when both live in the same state (else ""), ``region`` when both
    live in the same region (else ""), ``both_open`` when both are open to meeting in
    person. Only partners in the same state are told a meeting is likely; partners of
    one region who are both open are told it is possible but not to count on it."""
    if state_name:
        place = f"both in {state_name}"
        if both_open:
            return Meeting(
                place,
                f"{place}, in person possible",
                True,
                "You are both open to meeting in person and live in the same state, so a "
                "coffee or a library visit is possible.",
            )
        return Meeting(place, place, False, "")
    if region:
        place = f"both in {_region(region)}"
        if both_open:
            return Meeting(
                place,
                f"{place}, both open to meeting in person",
                False,
                f"You are both open to meeting in person and both live in {_region(region)}, "
                "though not in the same state: a meeting is possible if you travel, but "
                "plan on talking online or by phone.",
            )
        return Meeting(place, place, False, "")
    return Meeting("", "", False, "")


def ranked_candidates(
    scorer: Scorer, rows, *, limit: int | None = None
) -> dict[int, list[tuple[int, float]]]:
    """For each mentee row, the mentors they may be paired with (every hard rule
    passes), best first (a mentor the mentee chose counts its bonus), as (mentor row,
    score)."""
    rows = np.asarray(rows, dtype=np.int64)
    ranked: dict[int, list[tuple[int, float]]] = {}
    if len(rows) == 0 or len(scorer.cohort.mentors) == 0:
        return {int(i): [] for i in rows}
    columns = scorer.columns()
    for start in range(0, len(rows), 256):
        chunk = rows[start : start + 256]
        values = scorer.block(chunk, columns)
        for i, row in zip(chunk.tolist(), values, strict=True):
            allowed = np.flatnonzero(row >= 0)
            order = allowed[np.argsort(-row[allowed], kind="stable")][:limit]
            scores = scorer.pairs(np.full(len(order), i), order).score
            ranked[i] = [(int(j), float(v) / SCALE) for j, v in zip(order, scores, strict=True)]
    return ranked


# The first rule that rules a pair out names it, so the counts add up.
_RULE_ORDER = [
    (SAME_PERSON, "{} is the same person", "{} are the same person"),
    (MARKED_NEVER, "{} was marked never", "{} were marked never"),
    (DECLINED, "{} asked not to be paired", "{} asked not to be paired"),
    (
        NO_SHARED_COMMUNICATION,
        "{} shares no way to communicate",
        "{} share no way to communicate",
    ),
    (SAME_ORGANIZATION, "{} works at the same organization", "{} work at the same organization"),
    (BELOW_MINIMUM, "{} scores below the minimum", "{} score below the minimum"),
]


def explain_unmatched(scorer: Scorer, load: np.ndarray, rows) -> dict[int, str]:
    """Why each of these mentees has no mentor, given each mentor's current number of
    mentees (``load``). Scored a block of mentees at a time."""
    cohort = scorer.cohort
    a, b = cohort.mentees, cohort.mentors
    m = len(b)
    rows = np.asarray(rows, dtype=np.int64)
    room = b.capacity.astype(np.int64) - load
    places, mentees = int(b.capacity.sum()), len(a)
    reasons: dict[int, str] = {}
    if m == 0:
        return dict.fromkeys(rows.tolist(), "There are no accepted mentors in this cycle yet.")
    columns = scorer.columns()
    step = max(1, 2_000_000 // m)
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        values = scorer.block(chunk, columns)
        for i, row in zip(chunk.tolist(), values, strict=True):
            reasons[i] = _why_unmatched(scorer, i, row, room, places, mentees)
    return reasons


def _why_unmatched(scorer, i, values, room, places, mentees) -> str:
    b = scorer.cohort.mentors
    if scorer.cohort.mentees.communication[i] == 0:
        return (
            "Gave no way to communicate, so no mentor can be paired with them; ask how "
            "they would like to talk."
        )
    allowed = np.flatnonzero(values >= 0)
    if len(allowed) == 0:
        bits = scorer.rules_broken(np.array([i]), np.arange(len(b)))[0]
        counted = np.zeros(len(b), dtype=bool)
        parts = []
        for bit, one, many in _RULE_ORDER:
            hit = (bits & bit).astype(bool) & ~counted
            counted |= hit
            n = int(hit.sum())
            if n:
                parts.append((one if n == 1 else many).format(n))
        return "No acceptable mentor: " + join(parts) + "."
    best = allowed[np.argsort(-values[allowed], kind="stable")]
    with_room = best[room[best] > 0]
    if len(with_room):
        j = int(with_room[0])
        return (
            f"{b.names[j]} still has a place (score {values[j] / SCALE:.1f}); run the "
            "engine again or match them by hand."
        )
    j = int(best[0])
    if len(allowed) == 1:
        text = (
            f"The only acceptable mentor, {b.names[j]} (score {values[j] / SCALE:.1f}), has "
            "no place left."
        )
    else:
        text = (
            f"All {len(allowed)} acceptable mentors are full, with mentees who fit "
            f"them better; the best, {b.names[j]}, scores {values[j] / SCALE:.1f}."
        )
    if places < mentees:
        text += f" The cycle has {plural(places, 'mentor place')} for {mentees} mentees."
    return text
