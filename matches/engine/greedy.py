"""A greedy assignment of a cohort (best pairs first), for comparison with the optimal
one in tests and benchmarks."""

from __future__ import annotations

import numpy as np

from .cohort import Cohort, Weights
from .scoring import SCALE, Scorer
from .solver import NOT_ALLOWED, Solution, block_rows


def solve_greedy(
    cohort: Cohort, weights: Weights, *, top_k: int = 50, scorer: Scorer | None = None
) -> Solution:
    """The pairing a person would make by hand: the best-scoring pair first, then the
    next best among those still free, down the list; mentees whose list ran out take the
    best mentor with a place left. Only for comparing with :func:`solve`."""
    scorer = scorer or Scorer(cohort, weights)
    n, m = cohort.shape
    mentor_of = np.full(n, -1, dtype=np.int64)
    kept = np.zeros(n, dtype=bool)
    for i, j in cohort.kept:
        if not kept[i]:
            mentor_of[i], kept[i] = j, True
    load = np.bincount(mentor_of[kept], minlength=m)
    places = np.maximum(cohort.mentors.capacity.astype(np.int64) - load, 0)
    free = np.flatnonzero(~kept)
    penalty = int(round(weights.unmatched_penalty * SCALE))
    columns = scorer.columns()
    room = places.copy()
    pairs_r = [np.empty(0, np.int64)]
    pairs_c = [np.empty(0, np.int64)]
    pairs_w = [np.empty(0, np.float32)]
    step = block_rows(m)
    k = min(top_k, m)
    for start in range(0, len(free) if m else 0, step):
        positions = np.arange(start, min(start + step, len(free)))
        w = scorer.block(free[positions], columns, bonus=penalty)
        top = (
            np.argpartition(w, m - k, axis=1)[:, m - k :]
            if k < m
            else np.tile(np.arange(m), (len(w), 1))
        )
        top_w = np.take_along_axis(w, top, axis=1)
        keep = (top_w >= 0).ravel()
        pairs_r.append(np.repeat(positions, top.shape[1])[keep])
        pairs_c.append(top.ravel()[keep])
        pairs_w.append(top_w.ravel()[keep])
    r, c, w = (np.concatenate(x) for x in (pairs_r, pairs_c, pairs_w))
    chosen = np.full(len(free), -1, dtype=np.int64)
    for idx in np.argsort(-w, kind="stable"):
        i, j = r[idx], c[idx]
        if chosen[i] < 0 and room[j] > 0:
            chosen[i] = j
            room[j] -= 1
    for position in np.flatnonzero(chosen < 0) if m else []:
        w = scorer.block(free[[position]], columns, bonus=penalty)[0]
        w[room <= 0] = NOT_ALLOWED
        if w.max(initial=NOT_ALLOWED) >= 0:
            j = int(np.argmax(w))
            chosen[position] = j
            room[j] -= 1
    matched = chosen >= 0
    mentor_of[free[matched]] = chosen[matched]
    score = np.zeros(n, dtype=np.int64)
    objective = 0
    rows = np.flatnonzero(mentor_of >= 0)
    if len(rows):
        pairs = scorer.pairs(rows, mentor_of[rows])
        score[rows] = pairs.score
        bonus = np.zeros(n, dtype=np.int64)
        bonus[rows] = pairs.bonus
        objective = (
            int(score[free[matched]].sum())
            + int(bonus[free[matched]].sum())
            + penalty * int(matched.sum())
        )
    return Solution(mentor_of, score, kept, "greedy", objective, places)
