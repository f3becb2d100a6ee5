"""Writes of the matches app: running the engine, and every change to a match.

Capacity is guarded by row locks. Everything that can add a mentee to a mentor (a run
of the engine, confirming, swapping, matching by hand) first locks the mentor's
application row (``SELECT ... FOR UPDATE``), always mentor rows before match rows and
in ascending id, then counts. So two staff confirming at once wait for each other and
the second sees the first's match; and nobody deadlocks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from applications.models import Application
from mentoring.models import Cycle, User

from . import cohorts, emails, engine
from .models import Match, MatchingRun, MatchingWeights, NeverPair
from .pair_checks import check_accepted, check_room, check_rules

Status = Match.Status


def _transition(match: Match, to: str) -> None:
    if not match.can_become(to):
        raise ValidationError(
            gettext("A %(status)s match cannot become %(to)s.")
            % {"status": match.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    match.status = to


def _lock_mentors(ids: Iterable[int]) -> dict[int, Application]:
    """Lock these mentors' application rows, in id order; return them by id."""
    rows = Application.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")
    return {a.pk: a for a in rows}


def _lock_match(match: Match) -> Match:
    """The match as it is now, locked (after its mentor's row, see the module doc)."""
    try:
        return (
            Match.objects.select_for_update(of=("self",))
            .select_related("mentor", "mentee", "cycle__program")
            .get(pk=match.pk)
        )
    except Match.DoesNotExist:
        raise ValidationError(
            gettext("This proposal no longer exists (the engine was run again); reload the page.")
        ) from None


def _explain_into(match: Match, explanation: engine.Explanation) -> None:
    match.score = explanation.score
    match.score_breakdown = explanation.breakdown
    match.reasons = explanation.reasons
    match.flags = explanation.flags


# --- The engine ---------------------------------------------------------------------------


def matching_weights_save(*, weights: MatchingWeights, by: User | None = None) -> MatchingWeights:
    """Save a cycle's matching weights (staff edit them in admin)."""
    weights.updated_by = by
    weights.full_clean()
    weights.save()
    return weights


# The steps of a run, stored in English on the run (its row is the board's progress for
# every reader); the board says them in the reader's language.
STARTING = gettext_noop("Starting")
LOADING = gettext_noop("Loading the applications")
PAIRING = gettext_noop("Pairing")
SAVING = gettext_noop("Saving the proposals")


def _no_progress(step: str, **counts: int) -> None:
    pass


@transaction.atomic
def matches_propose(
    *,
    cycle: Cycle,
    by: User | None = None,
    run: MatchingRun | None = None,
    progress: Callable[..., None] = _no_progress,
) -> MatchingRun:
    """Run the engine for a cycle: confirmed matches and locked proposals stay; every
    other proposal is replaced by the engine's optimal proposals for the rest of the
    cohort. Records the run (and why each mentee left over is unmatched): in ``run``
    when given (a run queued by matches/runs.py), else in a new one. ``progress(step,
    **counts)`` is told each step as it starts."""
    started = time.perf_counter()
    progress(LOADING)
    if connection.vendor == "postgresql":
        # Proposals can always be computed again, so this transaction need not wait for
        # its commit to reach the disk (a crash could lose this run, never corrupt data).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    # Hold every mentor of the cycle: nothing may confirm, swap or add a match while the
    # proposals are replaced (they all lock the mentor first).
    list(
        Application.objects.select_for_update()
        .filter(cycle=cycle, role=Application.Role.MENTOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Match.objects.filter(cycle=cycle, status=Status.PROPOSED, locked=False).delete()
    loaded = cohorts.cohort_load(cycle)
    load_seconds = time.perf_counter() - started
    progress(
        PAIRING,
        mentees=loaded.accepted_mentees,
        mentors=len(loaded.mentors),
        places=int(sum((p["mentee_capacity"] or 0) for p in loaded.mentors)),
    )
    scorer = loaded.scorer
    solution = engine.solve(loaded.cohort, scorer.weights, scorer=scorer)
    solve_seconds = time.perf_counter() - started - load_seconds

    rows = solution.proposed
    cols = solution.mentor_of[rows]
    progress(
        SAVING,
        kept=int(solution.kept.sum()),
        proposed=len(rows),
        unmatched=len(solution.unmatched),
    )
    explanations = engine.explain_pairs(scorer, rows, cols)
    now = timezone.now()
    _insert_proposals(
        [
            {
                "cycle_id": cycle.pk,
                "mentee_id": loaded.mentees[i]["id"],
                "mentor_id": loaded.mentors[j]["id"],
                "status": Status.PROPOSED.value,
                "score": e.score,
                "score_breakdown": e.breakdown,
                "reasons": e.reasons,
                "flags": e.flags,
                "locked": False,
                "proposed_at": now,
                "dissolved_reason": "",
                "concluded_reason": "",
            }
            for i, j, e in zip(rows.tolist(), cols.tolist(), explanations, strict=True)
        ]
    )
    _refresh_locked(loaded, scorer)
    unmatched = solution.unmatched
    reasons = engine.explain_unmatched(scorer, solution.load(len(loaded.mentors)), unmatched)
    stats = {
        key: value
        for key, value in solution.stats.items()
        if isinstance(value, int | float | str | list)
    }
    stats.update(load_seconds=load_seconds, solve_seconds=solve_seconds)
    run = run or MatchingRun(cycle=cycle, run_by=by, run_at=now)
    fields = {
        "state": MatchingRun.State.DONE,
        "step": "",
        "finished_at": timezone.now(),
        "mentees": loaded.accepted_mentees,
        "mentors": len(loaded.mentors),
        "places": int(sum((p["mentee_capacity"] or 0) for p in loaded.mentors)),
        "kept": int(solution.kept.sum()),
        "proposed": len(rows),
        "unmatched": len(unmatched),
        "total_score": round(solution.total_score, 2),
        "method": solution.method,
        "seconds": round(time.perf_counter() - started, 3),
        "unmatched_reasons": [
            {
                "mentee": loaded.mentees[i]["id"],
                "name": loaded.cohort.mentees.names[i],
                "reason": reasons[i],
            }
            for i in unmatched.tolist()
        ],
        "details": stats,
    }
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()
    return run


def _refresh_locked(loaded: cohorts.LoadedCohort, scorer: engine.Scorer) -> None:
    """Score and explain the locked proposals again with today's weights and answers
    (a pair that now breaks a rule says so in its flags)."""
    locked = [
        m
        for m in loaded.open_matches
        if m["status"] == Status.PROPOSED
        and m["locked"]
        and loaded.mentee_row(m["mentee_id"]) is not None
        and loaded.mentor_row(m["mentor_id"]) is not None
    ]
    if not locked:
        return
    explanations = engine.explain_pairs(
        scorer,
        [loaded.mentee_row(m["mentee_id"]) for m in locked],
        [loaded.mentor_row(m["mentor_id"]) for m in locked],
    )
    Match.objects.bulk_update(
        [
            Match(
                pk=m["id"],
                score=e.score,
                score_breakdown=e.breakdown,
                reasons=e.reasons,
                flags=e.flags,
            )
            for m, e in zip(locked, explanations, strict=True)
        ],
        ["score", "score_breakdown", "reasons", "flags"],
        batch_size=1000,
    )


_JSON_FIELDS = ("score_breakdown", "reasons", "flags")


def _insert_proposals(rows: list[dict]) -> None:
    """Insert the engine's proposals at once: PostgreSQL's COPY (thousands of rows in a
    fraction of the time of INSERTs), else a bulk insert. The engine has already applied
    every rule a proposal must pass; the database's constraints still hold it to them."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Match.objects.bulk_create([Match(**row) for row in rows], batch_size=2000)
        return
    names = list(rows[0])
    table = connection.ops.quote_name(Match._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    json_at = [k for k, name in enumerate(names) if name in _JSON_FIELDS]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = list(row.values())
            for k in json_at:
                values[k] = json.dumps(values[k])
            copy.write_row(values)


# --- Changing matches ---------------------------------------------------------------------


def match_confirm(*, match: Match, by: User | None = None) -> Match:
    """Confirm a proposal: the pair becomes an active match and both partners get the
    introduction email. Refused when the mentor has no place left among active
    matches, or either application is no longer accepted."""
    with transaction.atomic():
        mentor = _lock_mentors([match.mentor_id]).get(match.mentor_id)
        match = _lock_match(match)
        if mentor is None or match.mentor_id != mentor.pk:
            raise ValidationError(
                gettext("The proposal's mentor changed meanwhile; reload the page.")
            )
        _transition(match, Status.ACTIVE)
        check_accepted(match.mentee, mentor)
        active = Match.objects.filter(mentor_id=mentor.pk, status=Status.ACTIVE).count()
        capacity = mentor.mentee_capacity or 0
        if active >= capacity:
            raise ValidationError(
                ngettext(
                    "%(mentor)s already has %(active)s confirmed mentee of %(capacity)s; "
                    "%(mentee)s needs another mentor.",
                    "%(mentor)s already has %(active)s confirmed mentees of %(capacity)s; "
                    "%(mentee)s needs another mentor.",
                    active,
                )
                % {
                    "mentor": mentor.display_name,
                    "active": active,
                    "capacity": capacity,
                    "mentee": match.mentee.display_name,
                }
            )
        if Match.objects.filter(mentee_id=match.mentee_id, status=Status.ACTIVE).exists():
            raise ValidationError(
                gettext("%(name)s already has a confirmed match.")
                % {"name": match.mentee.display_name}
            )
        match.confirmed_at = timezone.now()
        match.confirmed_by = by
        match.full_clean()
        match.save()
        emails.send_introductions(match)
    return match


def match_swap(*, match: Match, mentor: Application, by: User | None = None) -> Match:
    """Give a proposal another mentor, one of the mentee's acceptable candidates with a
    place left. The new pair is scored and explained, and locked so that running the
    engine again keeps staff's choice."""
    with transaction.atomic():
        mentors = _lock_mentors([match.mentor_id, mentor.pk])
        old_mentor_id = match.mentor_id
        match = _lock_match(match)
        if match.mentor_id != old_mentor_id:
            raise ValidationError(
                gettext("The proposal's mentor changed meanwhile; reload the page.")
            )
        if match.status != Status.PROPOSED:
            raise ValidationError(
                gettext("Only a proposal's mentor can be changed; dissolve a match.")
            )
        new_mentor = mentors[mentor.pk]
        if new_mentor.pk == match.mentor_id:
            return match
        check_accepted(match.mentee, new_mentor)
        explanation = check_rules(match.mentee, new_mentor)
        check_room(new_mentor)
        match.mentor = new_mentor
        _explain_into(match, explanation)
        match.locked = True
        match.proposed_by = by
        match.proposed_at = timezone.now()
        match.full_clean()
        match.save()
    return match


def match_set_locked(*, match: Match, locked: bool, by: User | None = None) -> Match:
    """Lock a proposal (running the engine again keeps it) or unlock it."""
    with transaction.atomic():
        match = _lock_match(match)
        if match.status != Status.PROPOSED:
            raise ValidationError(
                gettext("Only proposals are locked; confirmed matches are always kept.")
            )
        if match.locked != locked:
            match.locked = locked
            match.save(update_fields=["locked"])
    return match


def match_create(
    *, mentee: Application, mentor: Application, by: User | None = None, confirm: bool = False
) -> Match:
    """Match a mentee with a mentor by hand: a locked proposal (confirmed at once with
    ``confirm``). The pair must pass the hard rules and the mentor have a place left."""
    with transaction.atomic():
        mentor = _lock_mentors([mentor.pk])[mentor.pk]
        mentee = Application.objects.select_related("cycle").get(pk=mentee.pk)
        check_accepted(mentee, mentor)
        mine = Match.objects.filter(mentee=mentee, status__in=[Status.PROPOSED, Status.ACTIVE])
        current = mine.select_related("mentor").first()
        if current is not None:
            names = {"mentee": mentee.display_name, "mentor": current.mentor.display_name}
            if current.status == Status.ACTIVE:
                message = gettext(
                    "%(mentee)s already is matched with %(mentor)s; dissolve that match first."
                )
            else:
                message = gettext(
                    "%(mentee)s already has a proposal with %(mentor)s; change that "
                    "proposal's mentor instead."
                )
            raise ValidationError({"mentee": message % names})
        explanation = check_rules(mentee, mentor)
        check_room(mentor)
        match = Match(
            cycle_id=mentee.cycle_id,
            mentee=mentee,
            mentor=mentor,
            status=Status.PROPOSED,
            locked=True,
            proposed_by=by,
            proposed_at=timezone.now(),
        )
        _explain_into(match, explanation)
        match.full_clean()
        try:
            with transaction.atomic():
                match.save()
        except IntegrityError:
            raise ValidationError(
                {
                    "mentee": gettext("%(name)s was just matched by someone else.")
                    % {"name": mentee.display_name}
                }
            ) from None
        if confirm:
            match = match_confirm(match=match, by=by)
    return match


def proposal_discard(*, match: Match, by: User | None = None) -> None:
    """Drop a proposal (the mentee is unmatched until the engine runs again or staff
    match them by hand)."""
    with transaction.atomic():
        match = _lock_match(match)
        if match.status != Status.PROPOSED:
            raise ValidationError(
                gettext("Only proposals are discarded; dissolve a confirmed match.")
            )
        match.delete()


def match_dissolve(*, match: Match, reason: str, by: User | None = None) -> Match:
    """End an active match early, saying why. The mentee can then be matched again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"dissolved_reason": gettext("Say why the match is dissolved.")})
    with transaction.atomic():
        match = _lock_match(match)
        _transition(match, Status.DISSOLVED)
        match.dissolved_at = timezone.now()
        match.dissolved_by = by
        match.dissolved_reason = reason
        match.full_clean()
        match.save()
    return match


def never_pair_create(
    *, mentee: Application, mentor: Application, by: User | None = None, reason: str = ""
) -> NeverPair:
    """Rule a pair out: the engine never proposes it and nobody can match it by hand.
    An open proposal of that pair is discarded; a confirmed match must be dissolved
    first."""
    with transaction.atomic():
        _lock_mentors([mentor.pk])
        if Match.objects.filter(mentee=mentee, mentor=mentor, status=Status.ACTIVE).exists():
            raise ValidationError(
                gettext("%(mentee)s and %(mentor)s are matched; dissolve the match first.")
                % {"mentee": mentee.display_name, "mentor": mentor.display_name}
            )
        never = NeverPair(mentee=mentee, mentor=mentor, reason=reason.strip(), created_by=by)
        never.full_clean()
        never.save()
        Match.objects.filter(mentee=mentee, mentor=mentor, status=Status.PROPOSED).delete()
    return never


def never_pair_delete(*, never: NeverPair) -> None:
    """Allow a pair again (the engine may propose it on its next run)."""
    never.delete()
