"""Matching: a whole cohort's proposal (load, score, solve, save) at 2k × 3k and 10k × 15k.

For each size: cohorts are generated straight into PostgreSQL (bulk inserts, not timed),
then ``matches_propose`` runs end to end as staff would run it. Printed in the same run:
the bare assignment solver's time on the same (final) matrix and the ratio of the whole
to it, the peak memory of the proposal, and the engine's total score against a greedy
assignment's (best pair first) on the same cohort.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from pathlib import Path

from scipy.sparse.csgraph import min_weight_full_bipartite_matching

SIZES = [
    # (mentors, mentees, seconds target, memory target in GiB or None)
    (2_000, 3_000, 2.0, None),
    (10_000, 15_000, 30.0, 2.0),
]
INTERESTS = 27
CONFERENCES = 8


def run(report) -> None:
    from django.db import connection

    for mentors, mentees, target, memory in SIZES:
        print(f"  -- {mentors:,} mentors (capacity 1-3) × {mentees:,} mentees")
        started = time.perf_counter()
        cycle = _generate(mentors, mentees)
        print(f"     (cohort generated in PostgreSQL in {time.perf_counter() - started:.1f} s)")
        _measure(report, cycle, target, memory)
        connection.close()


def _generate(mentors: int, mentees: int):
    from applications.models import Application, Conference, Interest
    from bench.matching_cohort import applicants
    from mentoring.models import Cycle, Program

    program, _ = Program.objects.get_or_create(
        slug="bench-matching",
        defaults={"name": "Bench Mentoring Program", "short_name": "BENCH", "description": "-"},
    )
    today = dt.date.today()
    cycle = Cycle.objects.create(
        program=program,
        name=f"{mentors}x{mentees}",
        slug=f"bench-{mentors}-{mentees}",
        applications_open_on=today - dt.timedelta(days=60),
        applications_close_on=today - dt.timedelta(days=30),
        starts_on=today,
        ends_on=today + dt.timedelta(days=240),
    )
    interests = Interest.objects.bulk_create(
        Interest(program=program, name=f"Interest {i}", slug=f"interest-{cycle.pk}-{i}")
        for i in range(INTERESTS)
    )
    conferences = Conference.objects.bulk_create(
        Conference(program=program, name=f"Conference {cycle.pk}-{i}") for i in range(CONFERENCES)
    )
    people = [
        (Application.Role.MENTOR, a)
        for a in applicants(
            mentors, mentors=True, interests=INTERESTS, conferences=CONFERENCES, seed=11
        )
    ] + [
        (Application.Role.MENTEE, a)
        for a in applicants(
            mentees, mentors=False, interests=INTERESTS, conferences=CONFERENCES, seed=12
        )
    ]
    rows = Application.objects.bulk_create(
        (
            Application(
                cycle=cycle,
                role=role,
                status=Application.Status.ACCEPTED,
                full_name=a.name,
                email=f"{a.name.replace(' ', '.').lower()}@bench.example.org",
                state=a.state,
                time_zone=a.time_zone,
                organization=a.organization,
                library_type=a.library_type,
                years_experience=a.years,
                communication_methods=a.communication,
                in_person_ok=a.in_person,
                mentee_capacity=a.capacity or None,
                agreed_to_expectations=True,
            )
            for role, a in people
        ),
        batch_size=5000,
    )
    through_i = Application.interests.through
    through_i.objects.bulk_create(
        (
            through_i(application_id=row.pk, interest_id=interests[i].pk)
            for row, (_, a) in zip(rows, people, strict=True)
            for i in a.interests
        ),
        batch_size=20000,
    )
    through_c = Application.conferences.through
    through_c.objects.bulk_create(
        (
            through_c(application_id=row.pk, conference_id=conferences[c].pk)
            for row, (_, a) in zip(rows, people, strict=True)
            for c in a.conferences
        ),
        batch_size=20000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cycle


def _reset_peak_memory() -> bool:
    """Reset the kernel's record of this process's peak resident memory (VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_memory_gib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024 / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def _measure(report, cycle, target: float, memory: float | None) -> None:
    from matches import cohorts, engine, services
    from matches.models import Match

    gc.collect()
    _reset_peak_memory()
    started = time.perf_counter()
    run = services.matches_propose(cycle=cycle)
    whole = time.perf_counter() - started
    peak = _peak_memory_gib()
    assert Match.objects.filter(cycle=cycle).count() == run.proposed

    details = run.details
    save = whole - details["load_seconds"] - details["solve_seconds"]
    report(
        "whole proposal (load, score, solve, explain, save)",
        whole,
        "s",
        f"≤ {target:g} s",
        whole <= target,
    )
    report("  load the cohort (constant queries)", details["load_seconds"], "s")
    report("  score and solve (engine)", details["solve_seconds"], "s")
    report("  explain and save the proposals", save, "s")
    if memory is not None:
        report(
            "peak memory (resident) of the proposal",
            peak,
            "GiB",
            f"≤ {memory:g} GiB",
            peak <= memory,
        )
    else:
        report("peak memory (resident) of the proposal", peak, "GiB")
    report("proposals saved", run.proposed, "pairs")
    report("mentees left unmatched", run.unmatched, "mentees")
    print(
        f"     solver: {run.method}, {details.get('rounds', 1)} round(s), "
        f"{details.get('candidate_pairs', 0):,} candidate pairs, "
        f"{details.get('rescored_mentees', 0):,} mentees rescored by the pricing"
    )

    # The same cohort again, to time the bare solver on the final matrix and compare
    # with a greedy assignment.
    loaded = cohorts.cohort_load(cycle)
    Match.objects.filter(cycle=cycle, status=Match.Status.PROPOSED).delete()
    loaded = cohorts.cohort_load(cycle)
    scorer = loaded.scorer
    solution = engine.solve(loaded.cohort, scorer.weights, scorer=scorer, keep_matrix=True)
    if solution.matrix is not None:
        t = time.perf_counter()
        min_weight_full_bipartite_matching(solution.matrix)
        bare = time.perf_counter() - t
        label = f"bare solver on the same matrix ({solution.matrix.nnz:,} entries)"
    else:
        bare = solution.stats.get("solver_seconds", 0.0)
        label = "bare solver on the same matrix (dense)"
    report(label, bare, "s")
    report("whole proposal ÷ bare solver", whole / bare if bare else 0.0, "×")
    greedy = engine.solve_greedy(loaded.cohort, scorer.weights, scorer=scorer)
    optimal_total, greedy_total = solution.total_score, greedy.total_score
    report("total score, optimal assignment", optimal_total, "points")
    report("total score, greedy assignment (best pair first)", greedy_total, "points")
    report("optimal over greedy", 100 * (optimal_total - greedy_total) / greedy_total, "%")
    report("mentees matched, optimal", len(solution.proposed), "mentees")
    report("mentees matched, greedy", int((greedy.mentor_of >= 0).sum()), "mentees")
    assert solution.objective >= greedy.objective
