"""Dual prices of a sparse assignment, from shortest paths in its residual graph: the
certificate (LP duality) that no pair left out of the candidates could improve it."""

from __future__ import annotations

import numpy as np


def prices(nf, places, rows, cols, w, chosen) -> tuple[np.ndarray, np.ndarray]:
    """Dual prices of an assignment that is optimal over the pairs (rows, cols, w).

    Shortest paths (Bellman-Ford from every node at once) in the residual graph of the
    assignment seen as a flow: mentee → mentor (cost -w, any pair), mentor → mentee
    (cost w, chosen pairs), mentee → end (unmatched, 0), end → mentee (0, if unmatched),
    mentor → end (0, if places are left), end → mentor (0, if anyone is placed). With
    d the distances, u_i = d_i - d_end and p_j = max(0, d_end - d_j) satisfy
    u_i + p_j ≥ w_ij on every pair, u, p ≥ 0, and equality where the assignment pairs
    (complementary slackness), so Σu + Σ places·p equals the assignment's total.
    """
    mo = len(places)
    end = nf + mo
    load = np.bincount(chosen[chosen >= 0], minlength=mo)
    matched = np.flatnonzero(chosen >= 0)
    pair_w = _pair_values(rows, cols, w, matched, chosen[matched], mo)
    unmatched = np.flatnonzero(chosen < 0)
    has_room = np.flatnonzero(load < places)
    has_load = np.flatnonzero(load > 0)
    src = np.concatenate(
        [rows, nf + chosen[matched], np.arange(nf), np.full(len(unmatched), end),
         nf + has_room, np.full(len(has_load), end)]
    )  # fmt: skip
    dst = np.concatenate(
        [nf + cols, matched, np.full(nf, end), unmatched, np.full(len(has_room), end),
         nf + has_load]
    )  # fmt: skip
    cost = np.concatenate(
        [-w, pair_w, np.zeros(nf, np.int64), np.zeros(len(unmatched), np.int64),
         np.zeros(len(has_room), np.int64), np.zeros(len(has_load), np.int64)]
    )  # fmt: skip
    d = _bellman_ford(end + 1, src, dst, cost)
    u = d[:nf] - d[end]
    p = np.maximum(0, d[end] - d[nf:end])
    return u, p


def _pair_values(rows, cols, w, r, c, mo) -> np.ndarray:
    key = rows * mo + cols
    order = np.argsort(key)
    want = r * mo + c
    pos = np.searchsorted(key[order], want)
    return w[order][pos]


def _bellman_ford(nodes, src, dst, cost) -> np.ndarray:
    """Distances from a virtual source joined to every node at cost 0, relaxing all arcs
    at once per pass (NumPy), until nothing improves."""
    order = np.argsort(dst, kind="stable")
    src, dst, cost = src[order], dst[order], cost[order]
    targets, starts = np.unique(dst, return_index=True)
    d = np.zeros(nodes, dtype=np.int64)
    for _ in range(nodes + 1):
        best = np.minimum.reduceat(d[src] + cost, starts)
        better = best < d[targets]
        if not better.any():
            return d
        d[targets[better]] = best[better]
    raise AssertionError("Negative cycle: the assignment was not optimal over its pairs.")
