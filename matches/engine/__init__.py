"""The matching engine: scores every mentee × mentor pair, assigns the whole cohort
optimally, and explains the result in words.

It works on NumPy arrays only (no database): :func:`build_cohort` turns plain records
into a :class:`Cohort`; :func:`solve` returns a :class:`Solution`; :func:`explain_pairs`
and :func:`explain_unmatched` put it into words. ``matches.services`` loads a cycle's
cohort and saves the proposals.
"""

from .cohort import CRITERIA, Cohort, Person, Weights, build_cohort, normalise_organization
from .duality import prices
from .explain import Explanation, explain_pairs, explain_unmatched, ranked_candidates
from .greedy import solve_greedy
from .scoring import SCALE, Scorer
from .solver import Solution, solve

__all__ = [
    "CRITERIA",
    "SCALE",
    "Cohort",
    "Explanation",
    "Person",
    "Scorer",
    "Solution",
    "Weights",
    "build_cohort",
    "explain_pairs",
    "explain_unmatched",
    "normalise_organization",
    "prices",
    "ranked_candidates",
    "solve",
    "solve_greedy",
]
