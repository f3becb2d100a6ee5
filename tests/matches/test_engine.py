"""The engine on its own (arrays in, arrays out, no database): optimal against brute
force on random small cohorts, hard rules and capacities always hold, kept pairs stay,
the sparse solver's optimality is proved by LP duality, and the words it says."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.geography import REGION_OF
from bench.matching_cohort import applicants
from matches.engine import (
    Person,
    Scorer,
    Weights,
    build_cohort,
    explain_pairs,
    explain_unmatched,
    ranked_candidates,
    solve,
    solve_greedy,
)
from matches.engine.scoring import NO_SHARED_COMMUNICATION, SCALE

WAYS = ["email", "phone", "video", "chat"]
PHRASES = {"email": "email", "phone": "phone calls", "video": "video calls", "chat": "online chat"}
INTERESTS = [(1, "storytime"), (2, "outreach"), (3, "EDI"), (4, "STEM"), (5, "teens")]
CONFERENCES = [(1, "ALA Annual"), (2, "PLA"), (3, "ALSC Institute")]


def cohort_of(mentees, mentors, **kwargs):
    return build_cohort(
        mentees,
        mentors,
        communication=WAYS,
        communication_phrases=PHRASES,
        interests=INTERESTS,
        conferences=CONFERENCES,
        state_names={"OH": "Ohio", "IL": "Illinois", "CA": "California", "MI": "Michigan"},
        library_type_phrases={"public": "both work in public libraries"},
        **kwargs,
    )


def person(pid, **values):
    defaults = {
        "name": f"Person {pid}",
        "person": pid,
        "organization": f"Library {pid}",
        "communication": ["email"],
        "capacity": 1,
    }
    return Person(id=pid, **{**defaults, **values})


# --- brute force ------------------------------------------------------------------------


def values_matrix(cohort, weights):
    """Every pair's value (score + penalty, hundredths) or -1 where not allowed."""
    n, m = cohort.shape
    scorer = Scorer(cohort, weights)
    if n == 0 or m == 0:
        return np.zeros((n, m), dtype=np.int64)
    penalty = int(round(weights.unmatched_penalty * SCALE))
    return scorer.block(np.arange(n), np.arange(m), bonus=penalty).astype(np.int64)


def brute_force(cohort, weights) -> int:
    """The best objective over every assignment of the free mentees, by enumeration."""
    n, m = cohort.shape
    w = values_matrix(cohort, weights)
    kept = {int(i): int(j) for i, j in cohort.kept[::-1]}  # first pair wins
    places = cohort.mentors.capacity.astype(int).copy()
    for j in kept.values():
        places[j] -= 1
    places = np.maximum(places, 0)
    free = [i for i in range(n) if i not in kept]
    best = 0

    def walk(k, room, total):
        nonlocal best
        if k == len(free):
            best = max(best, total)
            return
        i = free[k]
        walk(k + 1, room, total)
        for j in range(m):
            if room[j] > 0 and w[i, j] >= 0:
                room[j] -= 1
                walk(k + 1, room, total + int(w[i, j]))
                room[j] += 1

    walk(0, places, 0)
    return best


# --- random cohorts ---------------------------------------------------------------------


@st.composite
def cohorts(draw, max_mentees=6, max_mentors=4):
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(0, max_mentors))
    states = ["OH", "MI", "IL", "CA", "XX", ""]

    def someone(pid, mentor):
        state = draw(st.sampled_from(states))
        return Person(
            id=pid,
            name=f"{'Mentor' if mentor else 'Mentee'} {pid}",
            # A few people apply on both sides: the same account never pairs with itself.
            person=draw(st.sampled_from([pid, pid, pid, 1000 + draw(st.integers(0, 2))])),
            organization=draw(
                st.sampled_from(["Columbus Library", "columbus  library", "", f"Own {pid}"])
            ),
            library_type=draw(st.sampled_from(["public", "school", ""])),
            years=draw(st.one_of(st.none(), st.integers(0, 30))),
            state=state,
            region=REGION_OF.get(state, ""),
            in_person=draw(st.booleans()),
            utc_offset=draw(st.sampled_from([None, -5.0, -6.0, -8.0])),
            communication=draw(st.lists(st.sampled_from(WAYS), max_size=3, unique=True)),
            interests=draw(st.lists(st.sampled_from([1, 2, 3, 4, 5]), max_size=4, unique=True)),
            conferences=draw(st.lists(st.sampled_from([1, 2, 3]), max_size=2, unique=True)),
            capacity=draw(st.integers(1, 3)) if mentor else 0,
        )

    mentees = [someone(i + 1, False) for i in range(n)]
    mentors = [someone(100 + j, True) for j in range(m)]
    pairs = [(a.id, b.id) for a in mentees for b in mentors]
    never = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)) if pairs else []
    # The people's own say: mentees' preferred mentors (a bonus) and pairs either asked
    # not to be in (“please not”, a conflict of interest: a hard rule).
    declined = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)) if pairs else []
    preferred = draw(st.lists(st.sampled_from(pairs), max_size=4, unique=True)) if pairs else []
    kept = []
    load: dict[int, int] = {}
    for a, b in draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)) if pairs else []:
        capacity = next(x.capacity for x in mentors if x.id == b)
        if a not in dict(kept) and load.get(b, 0) < capacity:
            kept.append((a, b))
            load[b] = load.get(b, 0) + 1
    weight = st.integers(0, 30)
    weights = Weights(
        interests=draw(weight),
        experience=draw(weight),
        library_type=draw(weight),
        communication=draw(weight),
        geography=draw(weight),
        time_zone=draw(weight),
        conferences=draw(weight),
        minimum_score=draw(st.sampled_from([0, 0, 25])),
        unmatched_penalty=draw(st.sampled_from([0, 30, 100])),
        preference=draw(st.sampled_from([0, 10, 40])),
    )
    cohort = cohort_of(
        mentees, mentors, kept=kept, never=never, declined=declined, preferred=preferred
    )
    return cohort, weights


def check_solution(cohort, weights, solution):
    n, m = cohort.shape
    scorer = Scorer(cohort, weights)
    kept = {int(i): int(j) for i, j in cohort.kept[::-1]}
    # Kept pairs stay, whatever they score.
    for i, j in kept.items():
        assert solution.mentor_of[i] == j
        assert solution.kept[i]
    # Capacities hold.
    load = np.bincount(solution.mentor_of[solution.mentor_of >= 0], minlength=m)
    assert (load <= cohort.mentors.capacity).all()
    # Every pair the engine chose passes every hard rule.
    chosen = solution.proposed
    if len(chosen):
        pairs = scorer.pairs(chosen, solution.mentor_of[chosen])
        assert (pairs.broken == 0).all()
        a, b = cohort.mentees, cohort.mentors
        shared_ways = a.communication[chosen] & b.communication[solution.mentor_of[chosen]]
        assert (shared_ways != 0).all()
    # Every unmatched mentee is told why.
    reasons = explain_unmatched(scorer, load, solution.unmatched)
    assert all(reasons[i] for i in solution.unmatched.tolist())


def check_certificate(cohort, weights, solution):
    """LP duality: prices u (mentees) and p (mentors) with u, p ≥ 0 and u_i + p_j ≥ w_ij
    on every allowed pair, whose total equals the assignment's: no assignment can do
    better."""
    u, p = solution.prices
    free = solution.free
    w = values_matrix(cohort, weights)[free]
    open_mentors = solution.places > 0
    assert (u >= 0).all() and (p >= 0).all()
    allowed = (w >= 0) & open_mentors[None, :]
    assert (u[:, None] + p[None, :] >= w)[allowed].all()
    assert int(u.sum() + (solution.places * p).sum()) == solution.objective


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts())
def test_engine_total_equals_the_brute_force_optimum(case):
    cohort, weights = case

    solution = solve(cohort, weights, method="dense")

    assert solution.objective == brute_force(cohort, weights)
    check_solution(cohort, weights, solution)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(), st.integers(1, 2), st.integers(0, 2))
def test_sparse_solver_on_few_candidates_still_finds_the_optimum_and_proves_it(case, k, reserve):
    cohort, weights = case

    solution = solve(cohort, weights, method="sparse", top_k=k, mentor_side=1, reserve_k=reserve)

    assert solution.objective == brute_force(cohort, weights)
    check_solution(cohort, weights, solution)
    if solution.method == "sparse":
        check_certificate(cohort, weights, solution)


@settings(max_examples=100, deadline=None)
@given(cohorts())
def test_greedy_never_beats_the_engine(case):
    cohort, weights = case

    assert solve_greedy(cohort, weights).objective <= solve(cohort, weights).objective


def realistic(mentors, mentees, seed=3):
    def people(apps, offset):
        return [
            Person(
                id=offset + k,
                name=a.name,
                person=offset + k,
                organization=a.organization,
                library_type=a.library_type,
                years=a.years,
                state=a.state,
                region=a.region,
                in_person=a.in_person,
                utc_offset=a.utc_offset,
                communication=a.communication,
                interests=a.interests,
                conferences=a.conferences,
                capacity=a.capacity,
            )
            for k, a in enumerate(apps)
        ]

    return build_cohort(
        people(applicants(mentees, mentors=False, interests=20, conferences=5, seed=seed), 0),
        people(
            applicants(mentors, mentors=True, interests=20, conferences=5, seed=seed + 1), 10**6
        ),
        communication=WAYS,
        interests=[(i, f"interest {i}") for i in range(20)],
        conferences=[(i, f"conference {i}") for i in range(5)],
    )


@pytest.mark.parametrize("mentors, mentees", [(120, 200), (200, 150), (60, 300)])
def test_sparse_and_dense_solvers_agree_on_realistic_cohorts(mentors, mentees):
    cohort = realistic(mentors, mentees)
    weights = Weights()

    dense = solve(cohort, weights, method="dense")
    sparse = solve(cohort, weights, method="sparse", top_k=3, mentor_side=1, reserve_k=3)

    assert sparse.objective == dense.objective
    check_solution(cohort, weights, sparse)
    check_certificate(cohort, weights, sparse)
    assert sparse.stats["rounds"] >= 1


def test_a_mentee_with_no_shared_way_to_communicate_is_left_unmatched_with_the_reason():
    cohort = cohort_of(
        [person(1, communication=["phone"])],
        [person(101, communication=["email", "video"], capacity=3)],
    )
    weights = Weights()

    solution = solve(cohort, weights)
    reasons = explain_unmatched(Scorer(cohort, weights), solution.load(1), solution.unmatched)

    assert solution.mentor_of[0] == -1
    assert reasons[0] == "No acceptable mentor: 1 shares no way to communicate."
    pair = Scorer(cohort, weights).pairs([0], [0])
    assert pair.broken[0] & NO_SHARED_COMMUNICATION


def test_same_organization_and_never_pairs_are_never_proposed():
    mentees = [person(1, organization="Columbus Metropolitan Library"), person(2)]
    mentors = [person(101, organization="columbus  metropolitan library"), person(102)]

    solution = solve(cohort_of(mentees, mentors, never=[(2, 102)]), Weights())

    assert solution.mentor_of.tolist() == [1, 0]


def test_a_please_not_or_a_conflict_of_interest_is_never_proposed_and_is_told():
    mentees = [person(1, interests=[1]), person(2, interests=[2])]
    mentors = [person(101, interests=[1]), person(102, interests=[2])]
    # Mentee 1 asked not to have mentor 101; mentor 102 declared a conflict with mentee 2.
    cohort = cohort_of(mentees, mentors, declined=[(1, 101), (2, 102)])

    solution = solve(cohort, Weights())
    scorer = Scorer(cohort, Weights())

    assert solution.mentor_of.tolist() == [1, 0]
    assert explain_pairs(scorer, [0], [0])[0].broken == ["asked not to be paired"]


def test_a_preferred_mentor_wins_over_a_slightly_better_scored_stranger():
    mentee = person(1, interests=[1, 2], communication=["email", "video"])
    stranger = person(101, interests=[1, 2], communication=["email", "video"])
    chosen = person(102, interests=[1, 2], communication=["email"])
    cohort = cohort_of([mentee], [stranger, chosen], preferred=[(1, 102)])
    scorer = Scorer(cohort, Weights())
    stranger_score, chosen_score = scorer.pairs([0, 0], [0, 1]).score / SCALE
    assert 0 < stranger_score - chosen_score < 10  # the stranger scores a little better

    assert solve(cohort, Weights()).mentor_of.tolist() == [1]
    assert solve(cohort, Weights(preference=0)).mentor_of.tolist() == [0]
    (explanation,) = explain_pairs(scorer, [0], [1])
    assert explanation.preferred and explanation.reasons[0] == "the mentee's own choice"
    assert explanation.score == chosen_score  # the bonus is not part of the score
    assert ranked_candidates(scorer, [0])[0] == [(1, chosen_score), (0, stranger_score)]


def test_nobody_is_paired_with_themselves():
    cohort = cohort_of([person(1, person=7)], [person(101, person=7)])

    assert solve(cohort, Weights()).mentor_of.tolist() == [-1]


def test_mentor_capacity_decides_how_many_mentees_they_get():
    mentees = [person(i) for i in range(1, 6)]
    mentors = [person(101, capacity=3), person(102, capacity=1)]

    solution = solve(cohort_of(mentees, mentors), Weights())

    assert sorted(solution.mentor_of.tolist()) == [-1, 0, 0, 0, 1]


def test_kept_pairs_stay_and_use_up_places_even_when_a_better_pair_exists():
    mentees = [person(1, interests=[1]), person(2, interests=[2])]
    mentors = [person(101, interests=[2], capacity=1), person(102, interests=[1], capacity=1)]

    solution = solve(cohort_of(mentees, mentors, kept=[(1, 101)]), Weights())

    assert solution.mentor_of.tolist() == [0, 1]
    assert solution.kept.tolist() == [True, False]


def test_the_cost_of_an_unmatched_mentee_trades_total_score_for_more_matches():
    # Mentee 1 fits mentor X far better; mentee 2 can only have X. Maximising the score
    # alone gives X to mentee 1; a high enough cost of leaving someone out matches both.
    mentees = [
        person(1, interests=[1, 2], communication=["email", "video"]),
        person(2, communication=["phone"]),
    ]
    mentors = [
        person(101, interests=[1, 2], communication=["email", "phone"]),
        person(102, communication=["video"]),
    ]
    cohort = cohort_of(mentees, mentors)
    weights = Weights(
        interests=60,
        communication=40,
        experience=0,
        library_type=0,
        geography=0,
        time_zone=0,
        conferences=0,
    )

    by_score = solve(cohort, Weights(**{**weights.__dict__, "unmatched_penalty": 0}))
    by_count = solve(cohort, Weights(**{**weights.__dict__, "unmatched_penalty": 100}))

    assert by_score.mentor_of.tolist() == [0, -1]
    assert by_count.mentor_of.tolist() == [1, 0]


def test_a_minimum_score_leaves_weak_pairs_out_and_says_so():
    cohort = cohort_of([person(1, interests=[1])], [person(101, interests=[2])])
    weights = Weights(minimum_score=60)

    solution = solve(cohort, weights)
    reasons = explain_unmatched(Scorer(cohort, weights), solution.load(1), [0])

    assert solution.mentor_of.tolist() == [-1]
    assert reasons[0] == "No acceptable mentor: 1 scores below the minimum."


def test_a_full_mentor_is_the_reason_given_for_an_unmatched_mentee():
    mentees = [person(1, interests=[1, 2, 3]), person(2)]
    mentors = [person(101, name="Pat Lee", interests=[1, 2, 3], capacity=1)]
    cohort = cohort_of(mentees, mentors)

    solution = solve(cohort, Weights())
    reasons = explain_unmatched(Scorer(cohort, Weights()), solution.load(1), solution.unmatched)

    assert solution.mentor_of.tolist() == [0, -1]
    assert reasons[1].startswith("The only acceptable mentor, Pat Lee (score ")
    assert reasons[1].endswith("has no place left. The cycle has 1 mentor place for 2 mentees.")


def test_explanations_say_why_in_words():
    mentee = person(
        1,
        interests=[1, 2, 3],
        state="OH",
        region="Midwest",
        in_person=True,
        communication=["video"],
        years=2,
        library_type="public",
        utc_offset=-5,
        conferences=[1],
    )
    mentor = person(
        101,
        interests=[1, 2, 3, 4],
        state="OH",
        region="Midwest",
        in_person=True,
        communication=["video", "email"],
        years=14,
        library_type="public",
        utc_offset=-8,
        conferences=[1],
    )
    cohort = cohort_of([mentee], [mentor])

    (explanation,) = explain_pairs(Scorer(cohort, Weights()), [0], [0])

    assert explanation.reasons[:5] == [
        "3 shared interests: storytime, outreach and EDI",
        "both in Ohio, in person possible",
        "12 years more experience",
        "both prefer video calls",
        "both work in public libraries",
    ]
    assert "3 hours apart" in explanation.flags
    assert explanation.score == pytest.approx(sum(explanation.breakdown.values()), abs=0.01)
    assert explanation.score == pytest.approx(95.0)


def test_ranked_candidates_list_only_acceptable_mentors_best_first():
    mentees = [person(1, interests=[1, 2])]
    mentors = [
        person(101, interests=[1]),
        person(102, interests=[1, 2]),
        person(103, communication=["phone"]),
    ]

    ranked = ranked_candidates(Scorer(cohort_of(mentees, mentors), Weights()), [0])

    assert [col for col, _ in ranked[0]] == [1, 0]
    assert ranked[0][0][1] > ranked[0][1][1]


def test_weights_refuse_nonsense():
    with pytest.raises(ValueError):
        Weights(interests=-1)
    with pytest.raises(ValueError):
        Weights(minimum_score=101)
