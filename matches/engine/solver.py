"""The optimal assignment of a whole cohort.

The problem: choose for each mentee one mentor or none, so that no mentor gets more
mentees than their capacity, every pair passes the hard rules, and the total of
(pair score + the mentee's preference bonus + the cost of an unmatched mentee) over the
pairs is as high as possible.
Pairs that are kept (confirmed, or locked by staff) stay and use up their mentor's
places.

Two ways to solve it, chosen by size, both exact:

* **dense** (small cohorts): ``scipy.optimize.linear_sum_assignment`` on the full
  (mentees × mentor places) matrix, each mentor's column repeated once per free place,
  plus one “unmatched” column per mentee.
* **sparse** (large cohorts): the same assignment restricted to candidate pairs (each
  mentee's ``top_k`` best mentors, and each mentor's best mentees), solved with
  ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``. Its optimality for the
  *whole* cohort is then proved, not assumed: shortest paths in the residual graph
  give dual prices (u for each mentee, p for each mentor) with u_i + p_j ≥ w_ij on every
  candidate pair and Σu + Σ places·p equal to the total; every pair left out is checked
  against the same inequality (cheaply by the mentee's k-th best value, exactly by
  rescoring the few mentees that need it). Any pair that breaks it is added and the
  problem solved again; when none does, LP duality certifies the optimum.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .cohort import Cohort, Weights
from .duality import prices
from .scoring import SCALE, Scorer

# Below this many cells (free mentees × (mentor places + free mentees)) the dense
# solver is used: it needs no candidate selection and is fast at such sizes.
DENSE_MAX_CELLS = 1_500_000
# Scoring works through the cohort in blocks of about this many pairs.
BLOCK_CELLS = 2_000_000
TOP_K = 10  # candidate mentors per mentee in the sparse solver
RESERVE_K = 40  # the mentee's next best, checked against the prices but not solved over
MENTOR_SIDE = 4  # candidate mentees per place of each mentor
NOT_ALLOWED = -1


@dataclass
class Solution:
    """Who is paired with whom.

    ``mentor_of[i]``: the mentor row of mentee row i, or -1. ``score[i]``: the pair's
    score in hundredths of a point (0 when unmatched). ``kept[i]``: the pair was kept
    from before, not chosen now. ``objective``: what the engine maximised over the pairs
    it chose, in hundredths: Σ (score + unmatched penalty).
    """

    mentor_of: np.ndarray
    score: np.ndarray
    kept: np.ndarray
    method: str
    objective: int
    places: np.ndarray  # each mentor's free places before the engine chose
    stats: dict = field(default_factory=dict)
    prices: tuple[np.ndarray, np.ndarray] | None = None  # (u per free mentee, p per mentor)
    free: np.ndarray | None = None  # the mentee rows the engine assigned
    matrix: csr_matrix | None = None  # the last sparse problem, when asked to keep it

    @property
    def proposed(self) -> np.ndarray:
        """Mentee rows the engine paired now."""
        return np.flatnonzero((self.mentor_of >= 0) & ~self.kept)

    @property
    def unmatched(self) -> np.ndarray:
        return np.flatnonzero(self.mentor_of < 0)

    @property
    def total_score(self) -> float:
        """Points of the pairs the engine chose now."""
        return float(self.score[self.proposed].sum()) / SCALE

    def load(self, mentors: int) -> np.ndarray:
        taken = self.mentor_of[self.mentor_of >= 0]
        return np.bincount(taken, minlength=mentors)


def solve(
    cohort: Cohort,
    weights: Weights,
    *,
    method: str = "auto",
    top_k: int = TOP_K,
    mentor_side: int = MENTOR_SIDE,
    reserve_k: int = RESERVE_K,
    keep_matrix: bool = False,
    scorer: Scorer | None = None,
) -> Solution:
    """Pair the cohort's free mentees with mentors' free places, optimally."""
    scorer = scorer or Scorer(cohort, weights)
    n, m = cohort.shape
    mentor_of = np.full(n, -1, dtype=np.int64)
    score = np.zeros(n, dtype=np.int64)
    kept = np.zeros(n, dtype=bool)
    for i, j in cohort.kept:
        if not kept[i]:
            mentor_of[i], kept[i] = j, True
    if kept.any():
        kept_rows = np.flatnonzero(kept)
        score[kept_rows] = scorer.pairs(kept_rows, mentor_of[kept_rows]).score
    load = np.bincount(mentor_of[kept], minlength=m)
    places = np.maximum(cohort.mentors.capacity.astype(np.int64) - load, 0)
    free = np.flatnonzero(~kept)
    open_cols = np.flatnonzero(places > 0)
    penalty = int(round(weights.unmatched_penalty * SCALE))
    stats: dict = {"free_mentees": len(free), "open_mentors": len(open_cols)}
    started = time.perf_counter()

    if len(free) == 0 or len(open_cols) == 0:
        chosen, used, prices, matrix = np.full(len(free), -1), "none", None, None
    else:
        cells = len(free) * (int(places.sum()) + len(free))
        dense = method == "dense" or (method == "auto" and cells <= DENSE_MAX_CELLS)
        if dense:
            chosen = _solve_dense(scorer, free, open_cols, places, penalty, stats)
            used, prices, matrix = "dense", None, None
        else:
            chosen, prices, matrix = _solve_sparse(
                scorer, free, open_cols, places, penalty, top_k, mentor_side, reserve_k, stats
            )
            used = "sparse"
    stats["seconds"] = time.perf_counter() - started

    matched = chosen >= 0
    mentor_of[free[matched]] = open_cols[chosen[matched]]
    objective = 0
    if matched.any():
        rows = free[matched]
        pairs = scorer.pairs(rows, mentor_of[rows])
        if pairs.broken.any():
            raise AssertionError("The solver chose a pair that breaks a hard rule.")
        score[rows] = pairs.score
        objective = (
            int(pairs.score.astype(np.int64).sum())
            + int(pairs.bonus.astype(np.int64).sum())
            + penalty * len(rows)
        )
    return Solution(
        mentor_of=mentor_of,
        score=score,
        kept=kept,
        method=used,
        objective=objective,
        places=places,
        stats=stats,
        prices=prices,
        free=free,
        matrix=matrix if keep_matrix else None,
    )


def block_rows(columns: int) -> int:
    return max(16, BLOCK_CELLS // max(columns, 1))


# --- dense ------------------------------------------------------------------------------


def _solve_dense(scorer, free, open_cols, places, penalty, stats):
    w = scorer.block(free, open_cols, bonus=penalty)
    slot_col = np.repeat(np.arange(len(open_cols)), places[open_cols])
    nf, ns = len(free), len(slot_col)
    cost = np.full((nf, ns + nf), np.inf)
    slot_w = w[:, slot_col].astype(np.float64)
    cost[:, :ns] = np.where(slot_w >= 0, -slot_w, np.inf)
    cost[np.arange(nf), ns + np.arange(nf)] = 0.0
    solver_started = time.perf_counter()
    rows, cols = linear_sum_assignment(cost)
    stats["solver_seconds"] = time.perf_counter() - solver_started
    stats["cells"] = cost.size
    chosen = np.full(nf, -1, dtype=np.int64)
    is_slot = cols < ns
    chosen[rows[is_slot]] = slot_col[cols[is_slot]]
    return chosen


# --- sparse -----------------------------------------------------------------------------


@dataclass
class _Candidates:
    rows: np.ndarray  # free-mentee position
    cols: np.ndarray  # open-mentor position
    w: np.ndarray  # value (score + penalty)
    # The next best pairs of each mentee, not given to the solver but checked exactly
    # against the prices; no pair outside both lists is worth more than ``threshold``.
    reserve: tuple[np.ndarray, np.ndarray, np.ndarray]
    threshold: np.ndarray  # per free mentee (-1: nothing left out)


def _candidates(scorer, free, open_cols, places, penalty, top_k, mentor_side, reserve_k):
    """Each mentee's ``top_k`` mentors (and the next ``reserve_k`` in reserve), and each
    mentor's best mentees (``mentor_side`` per free place), in one pass over the cohort,
    block by block, on as many threads as there are cores (NumPy releases the GIL)."""
    nf, mo = len(free), len(open_cols)
    columns = scorer.columns(open_cols)
    k = min(top_k, mo)
    kk = min(top_k + reserve_k, mo)
    wanted = np.minimum(mentor_side * places[open_cols], nf)
    mentor_best = _ColumnBest(wanted)
    threshold = np.full(nf, NOT_ALLOWED, dtype=np.int64)
    top_parts, reserve_parts = [], []

    def scan(start: int):
        positions = np.arange(start, min(start + step, nf))
        w = scorer.block(free[positions], columns, bonus=penalty)
        if kk < mo:
            best = np.argpartition(w, mo - kk, axis=1)[:, mo - kk :]
        else:
            best = np.broadcast_to(np.arange(mo), w.shape)
        best_w = np.take_along_axis(w, best, axis=1)
        # Within the kk best, the k best first.
        order = np.argsort(-best_w, axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        best_w = np.take_along_axis(best_w, order, axis=1)
        left_out = (w >= 0).sum(axis=1) > kk
        return positions, w, best, best_w, left_out

    step = block_rows(mo)
    starts = range(0, nf, step)
    with ThreadPoolExecutor(max_workers=_threads()) as pool:
        for positions, w, best, best_w, left_out in pool.map(scan, starts):
            threshold[positions[left_out]] = best_w[left_out, -1]
            for part, sl in ((top_parts, slice(0, k)), (reserve_parts, slice(k, kk))):
                b, bw = best[:, sl], best_w[:, sl]
                keep = (bw >= 0).ravel()
                part.append(
                    (np.repeat(positions, b.shape[1])[keep], b.ravel()[keep], bw.ravel()[keep])
                )
            mentor_best.add(w, positions)
    r, c, v = mentor_best.result()
    rows = np.concatenate([*(p[0] for p in top_parts), r])
    cols = np.concatenate([*(p[1] for p in top_parts), c])
    w = np.concatenate([*(p[2] for p in top_parts), v]).astype(np.int64)
    rows, cols, w = _unique_edges(rows, cols, w, mo)
    reserve = tuple(
        np.concatenate([p[i] for p in reserve_parts]).astype(np.int64) for i in range(3)
    )
    return _Candidates(rows, cols, w, reserve, threshold)


def _threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


class _ColumnBest:
    """The best ``wanted[j]`` rows of each column j over blocks seen one at a time.

    Only entries beating the column's current cut-off are kept, so after the first
    blocks few entries per block survive the filter; the cut-offs are refreshed as the
    pool grows."""

    def __init__(self, wanted: np.ndarray) -> None:
        self.wanted = wanted
        self.cut = np.full(len(wanted), -0.5, dtype=np.float32)  # allowed pairs only
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.values: list[np.ndarray] = []
        self.pending = 0

    def add(self, w: np.ndarray, positions: np.ndarray) -> None:
        beats = w > self.cut[None, :]
        survivors = int(np.count_nonzero(beats))
        if survivors == 0:
            return
        depth = int(self.wanted.max())
        if survivors > 2 * depth * w.shape[1] and w.shape[0] > depth:
            # Early blocks: most entries beat the cut; keep only each column's best rows.
            top = np.argpartition(w, w.shape[0] - depth, axis=0)[w.shape[0] - depth :]
            values = np.take_along_axis(w, top, axis=0)
            keep = values > self.cut[None, :]
            c = np.broadcast_to(np.arange(w.shape[1]), top.shape)[keep]
            self.rows.append(positions[top[keep]])
            self.cols.append(c)
            self.values.append(values[keep])
        else:
            r, c = np.nonzero(beats)
            self.rows.append(positions[r])
            self.cols.append(c)
            self.values.append(w[r, c])
        self.pending += len(self.cols[-1])
        if self.pending > 2 * int(self.wanted.sum()) + 1024:
            self._compact()

    def _compact(self) -> None:
        rows = np.concatenate(self.rows)
        cols = np.concatenate(self.cols).astype(np.int64)
        values = np.concatenate(self.values)
        # One sort by (column, best value first).
        order = np.argsort(cols * (1 << 32) - values.astype(np.int64))
        rows, cols, values = rows[order], cols[order], values[order]
        first = np.searchsorted(cols, np.arange(len(self.wanted)))
        rank = np.arange(len(cols)) - first[cols]
        keep = rank < self.wanted[cols]
        rows, cols, values = rows[keep], cols[keep], values[keep]
        full = np.bincount(cols, minlength=len(self.wanted)) >= self.wanted
        last = np.searchsorted(cols, np.arange(len(self.wanted)), side="right") - 1
        self.cut[full] = values[last[full]]
        self.rows, self.cols, self.values = [rows], [cols], [values]
        self.pending = 0

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not self.rows:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0, dtype=np.float32)
        self._compact()
        return self.rows[0], self.cols[0], self.values[0]


def _unique_edges(rows, cols, w, mo):
    key = rows * mo + cols
    _, first = np.unique(key, return_index=True)
    return rows[first], cols[first], w[first]


def _solve_sparse(scorer, free, open_cols, places, penalty, top_k, mentor_side, reserve_k, stats):
    nf, mo = len(free), len(open_cols)
    open_places = places[open_cols]
    t = time.perf_counter()
    cand = _candidates(scorer, free, open_cols, places, penalty, top_k, mentor_side, reserve_k)
    stats["candidate_seconds"] = time.perf_counter() - t
    stats.update(solver_seconds=0.0, price_seconds=0.0, rounds=0, added=[])
    rows, cols, w = cand.rows, cand.cols, cand.w
    rescored = _RowCache(scorer, free, open_cols, penalty)
    while True:
        stats["rounds"] += 1
        matrix, slot_col = _sparse_matrix(nf, open_places, rows, cols, w)
        t = time.perf_counter()
        matched_rows, matched_slots = min_weight_full_bipartite_matching(matrix)
        stats["solver_seconds"] += time.perf_counter() - t
        chosen = np.full(nf, -1, dtype=np.int64)
        is_slot = matched_slots < len(slot_col)
        chosen[matched_rows[is_slot]] = slot_col[matched_slots[is_slot]]

        t = time.perf_counter()
        u, p = prices(nf, open_places, rows, cols, w, chosen)
        extra = _violations(cand, rescored, u, p)
        stats["price_seconds"] += time.perf_counter() - t
        stats["added"].append(len(extra[0]))
        if len(extra[0]) == 0:
            break
        rows, cols, w = _unique_edges(
            np.concatenate([rows, extra[0]]),
            np.concatenate([cols, extra[1]]),
            np.concatenate([w, extra[2]]),
            mo,
        )
    stats.update(
        candidate_pairs=len(rows), matrix_entries=matrix.nnz, rescored_mentees=len(rescored)
    )
    full_p = np.zeros(len(places), dtype=np.int64)
    full_p[open_cols] = p
    return chosen, (u, full_p), matrix


def _sparse_matrix(nf, open_places, rows, cols, w):
    """Rows: free mentees. Columns: every free place of every mentor, then one
    “unmatched” column per mentee. Costs are positive (BIG - value) so every stored
    entry is an edge; a row's choice of column is unchanged by the constant."""
    slot_start = np.concatenate([[0], np.cumsum(open_places)[:-1]])
    slot_col = np.repeat(np.arange(len(open_places)), open_places)
    ns = len(slot_col)
    big = float(max(int(w.max(initial=0)), 0) + 1)
    repeat = open_places[cols]
    r = np.repeat(rows, repeat)
    offset = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    c = np.repeat(slot_start[cols], repeat) + offset
    cost = big - np.repeat(w, repeat).astype(np.float64)
    r = np.concatenate([r, np.arange(nf)])
    c = np.concatenate([c, ns + np.arange(nf)])
    cost = np.concatenate([cost, np.full(nf, big)])
    matrix = csr_matrix((cost, (r, c)), shape=(nf, ns + nf))
    return matrix, slot_col


class _RowCache:
    """Full rows of the mentees the pricing had to rescore, kept (within a memory
    budget) so later rounds check them again without scoring them again."""

    BUDGET_CELLS = 40_000_000

    def __init__(self, scorer, free, open_cols, penalty) -> None:
        self.scorer, self.free, self.penalty = scorer, free, penalty
        self.columns = scorer.columns(open_cols)
        self.rows: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, positions: np.ndarray) -> np.ndarray:
        missing = np.array([i for i in positions.tolist() if i not in self.rows], dtype=np.int64)
        fresh = {}
        if len(missing):
            w = self.scorer.block(self.free[missing], self.columns, bonus=self.penalty)
            fresh = dict(zip(missing.tolist(), w, strict=True))
            room = self.BUDGET_CELLS // max(w.shape[1], 1) - len(self.rows)
            for key in list(fresh)[: max(room, 0)]:
                self.rows[key] = fresh[key]
        return np.stack([self.rows[i] if i in self.rows else fresh[i] for i in positions.tolist()])


def _violations(cand: _Candidates, rescored: _RowCache, u, p, *, per_mentee: int = 4):
    """Pairs left out of the solver's problem that break the prices' inequality
    w_ij ≤ u_i + p_j (so the assignment may not be optimal), to add to it.

    Reserve pairs are checked exactly. Any other left-out pair of mentee i is worth at
    most threshold_i, so u_i ≥ threshold_i clears them all; only the other mentees are
    rescored. For a mentee with a violated pair, their few best pairs at these prices
    are added, not just the violated one, so the next round needs fewer additions.
    """
    found_r, found_c, found_w = [], [], []
    r, c, v = cand.reserve
    bad = v > u[r] + p[c]
    found_r.append(r[bad])
    found_c.append(c[bad])
    found_w.append(v[bad])
    suspect = np.flatnonzero(u < cand.threshold)
    step = block_rows(len(p))
    for start in range(0, len(suspect), step):
        positions = suspect[start : start + step]
        w = rescored.get(positions).astype(np.int64)
        gain = np.where(w >= 0, w - p[None, :], NOT_ALLOWED)
        violated = (gain > u[positions][:, None]).any(axis=1)
        if not violated.any():
            continue
        positions, w, gain = positions[violated], w[violated], gain[violated]
        n_best = min(per_mentee, w.shape[1])
        best = np.argpartition(-gain, n_best - 1, axis=1)[:, :n_best]
        keep = np.take_along_axis(w, best, axis=1) >= 0
        found_r.append(np.repeat(positions, n_best)[keep.ravel()])
        found_c.append(best[keep])
        found_w.append(np.take_along_axis(w, best, axis=1)[keep])
    return (
        np.concatenate(found_r).astype(np.int64),
        np.concatenate(found_c).astype(np.int64),
        np.concatenate(found_w).astype(np.int64),
    )
