"""Scores and hard rules for every mentee × mentor pair, vectorised.

Most criteria compare values from a small set (states, time zones, library types, the
16 combinations of ways to talk, years of experience), so each is a lookup table over
the distinct values, built once per run; interests and conferences are one matrix
product. A block of mentees is then scored against every mentor with a product and a
few table gathers, and the cohort is worked through block by block in bounded memory.

Scores are integers in hundredths of a point (0 to 10,000), so the solver's sums and
comparisons are exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cohort import CRITERIA, Cohort, Weights

SCALE = 100  # hundredths of a point
POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)
FORBIDDEN = np.float32(-1e7)  # added to a pair's total when it shares no way to talk
JOINT_TABLE_CELLS = 2_000_000

# Why a pair is not allowed, as bits (a pair may break several rules at once).
NO_SHARED_COMMUNICATION = 1
SAME_ORGANIZATION = 2
MARKED_NEVER = 4
SAME_PERSON = 8
BELOW_MINIMUM = 16
DECLINED = 32
RULES: dict[int, str] = {
    NO_SHARED_COMMUNICATION: "no shared way to communicate",
    SAME_ORGANIZATION: "same organization",
    MARKED_NEVER: "marked never",
    SAME_PERSON: "the same person",
    BELOW_MINIMUM: "below the minimum score",
    DECLINED: "asked not to be paired",
}


def points_per_criterion(weights: Weights) -> np.ndarray:
    """Points each criterion is worth at full value (together 100, or all 0)."""
    total = weights.total
    if total <= 0:
        return np.zeros(len(CRITERIA))
    return 100 * weights.vector / total


def _codes(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns, and each person's row among them."""
    stacked = np.stack([np.asarray(c, dtype=np.float64) for c in columns], axis=1)
    # NaN never equals itself; give it a stand-in so unknowns group together.
    stacked = np.where(np.isnan(stacked), -1e9, stacked)
    values, inverse = np.unique(stacked, axis=0, return_inverse=True)
    values = np.where(values == -1e9, np.nan, values)
    return values, inverse.ravel().astype(np.int64)


@dataclass
class Columns:
    """The mentors' arrays for one set of mentor columns, cut once per run."""

    cols: np.ndarray
    right_t: np.ndarray
    codes: list[np.ndarray]
    ruled_rows: np.ndarray
    ruled_cols: np.ndarray
    preferred_rows: np.ndarray
    preferred_cols: np.ndarray


@dataclass
class Pairs:
    """Scores of aligned pairs (rows[k], cols[k]), with each criterion's value (0 to 1)
    and the hard rules each breaks, for explanations."""

    rows: np.ndarray
    cols: np.ndarray
    score: np.ndarray  # int32 hundredths
    broken: np.ndarray  # uint8 bits
    parts: dict[str, np.ndarray]  # each criterion's value, 0 to 1
    points: dict[str, np.ndarray]  # each criterion's points, in hundredths
    preferred: np.ndarray  # bool: the mentee chose this mentor
    bonus: np.ndarray  # int32 hundredths the preference adds to the engine's total


class Scorer:
    """Scores one cohort with one set of weights.

    ``block(rows, cols)`` gives the solver's values for a block; ``pairs(rows, cols)``
    gives what an explanation needs for a list of pairs.
    """

    def __init__(self, cohort: Cohort, weights: Weights) -> None:
        self.cohort, self.weights = cohort, weights
        a, b = cohort.mentees, cohort.mentors
        n, m = cohort.shape
        self.points = points_per_criterion(weights)
        pts = dict(zip(CRITERIA, self.points * SCALE, strict=True))
        self.minimum = int(round(weights.minimum_score * SCALE))

        # Interests and conferences: the share of the mentee's the mentor shares, as
        # one product of (mentee's, weighted) × (mentor's, 0/1) matrices. The weight of
        # one shared item is rounded to a 64th of a hundredth so that any sum of them is
        # exact in float32, whatever order the product adds them in.
        wanted_i = a.interests.sum(axis=1).astype(np.float32)
        wanted_c = a.conferences.sum(axis=1).astype(np.float32)
        self.share_i = _per(1, wanted_i)
        self.share_c = _per(1, wanted_c)
        self.points_i = _dyadic(_per(pts["interests"], wanted_i))
        self.points_c = _dyadic(_per(pts["conferences"], wanted_c))
        self.left = np.hstack(
            [a.interests * self.points_i[:, None], a.conferences * self.points_c[:, None]]
        ).astype(np.float32)
        self.right_t = np.ascontiguousarray(
            np.hstack([b.interests, b.conferences]).astype(np.float32).T
        )

        # Tables over distinct values, for the criteria that compare small domains.
        self.tables: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.point_tables: dict[str, np.ndarray] = {}
        self._table("experience", (a.years,), (b.years,), self._experience)
        self._table("library_type", (a.library_type,), (b.library_type,), _same_known)
        self._table("communication", (a.communication,), (b.communication,), _communication)
        self._table(
            "geography",
            (a.state, a.region, a.in_person),
            (b.state, b.region, b.in_person),
            _geography,
        )
        self._table("time_zone", (a.utc_offset,), (b.utc_offset,), self._time_zone)

        # The solver's tables: criteria folded together into as few joint tables as
        # stay small (fewer gathers per block), in hundredths, with pairs sharing no way
        # to talk made hugely negative.
        self.joint = self._joint(
            ("communication", "library_type", "time_zone", "geography", "experience")
        )

        # Rules about named people, few pairs each: kept as a sparse list.
        pair_rows, pair_cols, pair_bits = [], [], []
        for codes_a, codes_b, bit in (
            (a.organization, b.organization, SAME_ORGANIZATION),
            (a.person, b.person, SAME_PERSON),
        ):
            r, c = _equal_pairs(codes_a, codes_b)
            pair_rows.append(r)
            pair_cols.append(c)
            pair_bits.append(np.full(len(r), bit, np.uint8))
        for pairs, bit in ((cohort.never, MARKED_NEVER), (cohort.declined, DECLINED)):
            pair_rows.append(pairs[:, 0])
            pair_cols.append(pairs[:, 1])
            pair_bits.append(np.full(len(pairs), bit, np.uint8))
        self.ruled_rows = np.concatenate(pair_rows).astype(np.int64)
        self.ruled_cols = np.concatenate(pair_cols).astype(np.int64)
        self.ruled_bits = np.concatenate(pair_bits)
        self.ruled_keys = self.ruled_rows * m + self.ruled_cols
        # The mentee's own choices: a bonus in the engine's total, whole hundredths.
        self.preference = int(round(weights.preference * SCALE))
        self.preferred_rows = cohort.preferred[:, 0].astype(np.int64)
        self.preferred_cols = cohort.preferred[:, 1].astype(np.int64)
        self.preferred_keys = np.sort(self.preferred_rows * m + self.preferred_cols)

    # -- tables ----------------------------------------------------------------------

    def _table(self, name, mentee_columns, mentor_columns, value) -> None:
        """Values (0 to 1) of a criterion between distinct values, and the points they
        earn, rounded to hundredths (every part of a score is a whole number of them, so
        any sum of parts is exact)."""
        values_a, code_a = _codes(*mentee_columns)
        values_b, code_b = _codes(*mentor_columns)
        table = value(values_a[:, None, :], values_b[None, :, :]).astype(np.float32)
        weight = self.points[CRITERIA.index(name)] * SCALE
        points = np.rint(table.astype(np.float64) * weight).astype(np.float32)
        self.tables[name] = (code_a, code_b, table)
        self.point_tables[name] = points

    def _joint(self, names) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        joint = []
        code_a = np.zeros(len(self.cohort.mentees), dtype=np.int64)
        code_b = np.zeros(len(self.cohort.mentors), dtype=np.int64)
        table = np.zeros((1, 1), dtype=np.float32)
        for name in names:
            ca, cb, values = self.tables[name]
            part = self.point_tables[name]
            if name == "communication":
                part = np.where(values == 0, FORBIDDEN, part)
            new_a = code_a * values.shape[0] + ca
            new_b = code_b * values.shape[1] + cb
            used_a, inverse_a = np.unique(new_a, return_inverse=True)
            used_b, inverse_b = np.unique(new_b, return_inverse=True)
            if len(used_a) * len(used_b) > JOINT_TABLE_CELLS and table.size > 1:
                joint.append((code_a, code_b, table))
                code_a, code_b, table = ca, cb, part
                continue
            # Only the combinations people have, so the table stays small.
            old_a, part_a = np.divmod(used_a, values.shape[0])
            old_b, part_b = np.divmod(used_b, values.shape[1])
            table = table[np.ix_(old_a, old_b)] + part[np.ix_(part_a, part_b)]
            code_a, code_b = inverse_a.ravel(), inverse_b.ravel()
        joint.append((code_a, code_b, np.ascontiguousarray(table, dtype=np.float32)))
        return joint

    def _experience(self, a, b):
        gap = b[..., 0] - a[..., 0]
        return np.nan_to_num(np.clip(gap / self.weights.experience_gap_years, 0, 1), nan=0.0)

    def _time_zone(self, a, b):
        hours = np.abs(a[..., 0] - b[..., 0])
        close = 1 - hours / self.weights.close_time_zone_hours
        return np.nan_to_num(np.clip(close, 0, 1), nan=0.0)

    # -- scoring ---------------------------------------------------------------------

    def columns(self, cols: np.ndarray | None = None) -> Columns:
        """The mentors' side of the arrays, for blocks against the mentors ``cols``."""
        cols = np.arange(len(self.cohort.mentors)) if cols is None else np.asarray(cols)
        col_pos = np.full(len(self.cohort.mentors), -1, dtype=np.int64)
        col_pos[cols] = np.arange(len(cols))
        ruled = col_pos[self.ruled_cols] >= 0
        preferred = col_pos[self.preferred_cols] >= 0
        return Columns(
            cols=cols,
            right_t=np.ascontiguousarray(self.right_t[:, cols]),
            codes=[code_b[cols] for _, code_b, _ in self.joint],
            ruled_rows=self.ruled_rows[ruled],
            ruled_cols=col_pos[self.ruled_cols[ruled]],
            preferred_rows=self.preferred_rows[preferred],
            preferred_cols=col_pos[self.preferred_cols[preferred]],
        )

    def block(
        self, rows: np.ndarray, columns: Columns | np.ndarray | None = None, *, bonus: float = 0
    ) -> np.ndarray:
        """Values of mentees ``rows`` × the mentors of ``columns``: the score in
        hundredths plus ``bonus`` (and the preference bonus where the mentee chose the
        mentor), as whole numbers in float32, and -1 where the pair breaks a hard rule or
        scores below the minimum (the score itself, before any bonus)."""
        if not isinstance(columns, Columns):
            columns = self.columns(columns)
        total = self.left[rows] @ columns.right_t
        np.rint(total, out=total)
        for (code_a, _, table), code_b in zip(self.joint, columns.codes, strict=True):
            total += np.take(table[code_a[rows]], code_b, axis=1)
        lowest = max(self.minimum, 0)
        refused = total < lowest
        if bonus:
            total += np.float32(bonus)
        row_pos = None
        if len(columns.preferred_rows) and self.preference:
            row_pos = np.full(len(self.cohort.mentees), -1, dtype=np.int64)
            row_pos[rows] = np.arange(len(rows))
            r = row_pos[columns.preferred_rows]
            inside = r >= 0
            total[r[inside], columns.preferred_cols[inside]] += np.float32(self.preference)
        total[refused] = -1
        if len(columns.ruled_rows):
            if row_pos is None:
                row_pos = np.full(len(self.cohort.mentees), -1, dtype=np.int64)
                row_pos[rows] = np.arange(len(rows))
            r = row_pos[columns.ruled_rows]
            inside = r >= 0
            total[r[inside], columns.ruled_cols[inside]] = -1
        return total

    def pairs(self, rows, cols) -> Pairs:
        """Scores, criterion values and broken rules of the pairs (rows[k], cols[k])."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        a, b = self.cohort.mentees, self.cohort.mentors
        shared_i = (a.interests[rows] & b.interests[cols]).sum(axis=1).astype(np.float32)
        shared_c = (a.conferences[rows] & b.conferences[cols]).sum(axis=1).astype(np.float32)
        parts = {"interests": shared_i * self.share_i[rows]}
        points = {"interests": shared_i * self.points_i[rows]}
        parts["conferences"] = shared_c * self.share_c[rows]
        points["conferences"] = shared_c * self.points_c[rows]
        for name, (code_a, code_b, table) in self.tables.items():
            parts[name] = table[code_a[rows], code_b[cols]]
            points[name] = self.point_tables[name][code_a[rows], code_b[cols]]
        parts = {name: parts[name].astype(np.float32) for name in CRITERIA}
        points = {name: points[name].astype(np.float32) for name in CRITERIA}
        # The same sum as block(): the shared items' exact total rounded once, plus the
        # tables' whole hundredths.
        total = np.rint(points["interests"] + points["conferences"])
        for name in CRITERIA:
            if name not in ("interests", "conferences"):
                total = total + points[name]
        score = total.astype(np.int32)
        broken = np.zeros(len(rows), dtype=np.uint8)
        broken[parts["communication"] == 0] |= NO_SHARED_COMMUNICATION
        if self.minimum:
            broken[score < self.minimum] |= BELOW_MINIMUM
        keys = rows * len(b) + cols
        if len(self.ruled_keys):
            for bit in (SAME_ORGANIZATION, SAME_PERSON, MARKED_NEVER, DECLINED):
                hit = np.isin(keys, self.ruled_keys[self.ruled_bits == bit])
                broken[hit] |= bit
        preferred = np.isin(keys, self.preferred_keys)
        bonus = np.where(preferred, self.preference, 0).astype(np.int32)
        return Pairs(rows, cols, score, broken, parts, points, preferred, bonus)

    def rules_broken(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Bits of the rules each pair of the block breaks (for explaining unmatched)."""
        grid_rows = np.repeat(rows, len(cols))
        grid_cols = np.tile(cols, len(rows))
        return self.pairs(grid_rows, grid_cols).broken.reshape(len(rows), len(cols))


def _per(amount: float, counts: np.ndarray) -> np.ndarray:
    """amount / count per person, 0 where the count is 0 (float32)."""
    out = np.zeros(len(counts), dtype=np.float32)
    np.divide(np.float32(amount), counts, out=out, where=counts > 0)
    return out


def _dyadic(values: np.ndarray) -> np.ndarray:
    return (np.rint(values.astype(np.float64) * 64) / 64).astype(np.float32)


def _same_known(a, b):
    return ((a[..., 0] == b[..., 0]) & (a[..., 0] >= 0)).astype(np.float64)


def _communication(a, b):
    mentee = a[..., 0].astype(np.int64)
    shared = POPCOUNT[mentee & b[..., 0].astype(np.int64)].astype(np.float64)
    own = POPCOUNT[mentee].astype(np.float64)
    return np.divide(
        shared, own, out=np.zeros(np.broadcast_shapes(shared.shape, own.shape)), where=own > 0
    )


def _geography(a, b):
    same_state = (a[..., 0] == b[..., 0]) & (a[..., 0] >= 0)
    same_region = (a[..., 1] == b[..., 1]) & (a[..., 1] >= 0)
    both_meet = (a[..., 2] > 0) & (b[..., 2] > 0)
    near = np.where(same_state, 1.0, np.where(same_region, 0.5, 0.0))
    return near * np.where(both_meet, 1.0, 0.7)


def _equal_pairs(codes_a: np.ndarray, codes_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with codes_a[i] == codes_b[j] >= 0, without an n × m comparison."""
    order_b = np.argsort(codes_b, kind="stable")
    sorted_b = codes_b[order_b]
    known = np.flatnonzero(codes_a >= 0)
    lo = np.searchsorted(sorted_b, codes_a[known], side="left")
    hi = np.searchsorted(sorted_b, codes_a[known], side="right")
    count = hi - lo
    rows = np.repeat(known, count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    cols = order_b[np.repeat(lo, count) + offset]
    return rows.astype(np.int64), cols.astype(np.int64)


def broken_rules(bits: int) -> list[str]:
    return [words for bit, words in RULES.items() if bits & bit]
