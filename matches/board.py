"""The “Propose matches” board staff work on in admin: a page of proposals with each
mentee's ranked candidates, the unmatched and why, each mentor's places."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from applications.models import Application
from mentoring.dates import clock, long_date
from mentoring.models import Cycle

from . import engine
from .cohorts import cohort_load
from .models import Match, MatchingRun, MatchingWeights
from .services import SAVING, STARTING

Role = Application.Role


@dataclass
class Candidate:
    mentor_id: int
    name: str
    score: float
    places_left: int
    current: bool = False

    @property
    def available(self) -> bool:
        return self.current or self.places_left > 0


@dataclass
class BoardRow:
    match: Match | None
    mentee: dict
    candidates: list[Candidate]
    reason: str = ""

    @property
    def has_choice(self) -> bool:
        return any(c.available for c in self.candidates)


@dataclass
class MentorPlaces:
    mentor: dict
    capacity: int
    active: int
    proposed: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.active - self.proposed, 0)


@dataclass
class Board:
    cycle: Cycle
    weights: MatchingWeights
    proposals: list[BoardRow]  # of this page
    page: Page
    unmatched: list[BoardRow]
    active: list[Match]
    mentors: list[MentorPlaces]
    last_run: MatchingRun | None  # the newest, in whatever state
    progress: dict  # how far it is (see run_progress)
    counts: dict[str, int]
    never_count: int


CANDIDATES_SHOWN = 8
PROPOSALS_PER_PAGE = 100
UNMATCHED_SHOWN = 200


def proposal_board(cycle: Cycle, *, page: int | str = 1) -> Board:
    """Everything the “Propose matches” page shows for a cycle: a page of proposals with
    each mentee's ranked candidates, the unmatched mentees and why, the confirmed
    matches, each mentor's places. A constant number of queries; mentees' candidates are
    scored only for the rows shown."""
    # The newest run first: one that is done has its proposals saved, and they are read
    # below; one still running is followed by the page. Read after the proposals, a run
    # that ended in between showed as done beside none of its proposals, and the page
    # no longer followed it.
    last_run = MatchingRun.objects.filter(cycle=cycle).select_related("run_by").first()
    loaded = cohort_load(cycle)
    matches = list(
        Match.objects.filter(cycle=cycle, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .select_related("mentor", "mentee", "confirmed_by", "proposed_by")
        .order_by("mentee__full_name", "id")
    )
    proposed = [m for m in matches if m.status == Match.Status.PROPOSED]
    active = [m for m in matches if m.status == Match.Status.ACTIVE]
    mentors_by_id = {p["id"]: p for p in loaded.mentors}
    places = {
        p["id"]: MentorPlaces(mentor=p, capacity=p["mentee_capacity"] or 0, active=0, proposed=0)
        for p in loaded.mentors
    }
    for m in matches:
        if m.mentor_id in places:
            if m.status == Match.Status.ACTIVE:
                places[m.mentor_id].active += 1
            else:
                places[m.mentor_id].proposed += 1

    matched_mentees = {m.mentee_id for m in matches}
    unmatched_rows = [row for row, p in enumerate(loaded.mentees) if p["id"] not in matched_mentees]
    unmatched_rows.sort(key=lambda row: (loaded.mentees[row]["full_name"] or "").casefold())
    unmatched_rows = unmatched_rows[:UNMATCHED_SHOWN]
    paginator = Paginator(proposed, PROPOSALS_PER_PAGE)
    page_obj = paginator.get_page(page)
    shown = list(page_obj.object_list)
    proposal_rows = [loaded.mentee_row(m.mentee_id) for m in shown]
    proposal_by_mentee = {m.mentee_id: m for m in shown}
    wanted = sorted({r for r in proposal_rows if r is not None} | set(unmatched_rows))
    scorer = loaded.scorer
    ranked = engine.ranked_candidates(scorer, wanted, limit=CANDIDATES_SHOWN * 3)

    def candidates(row: int | None, current: int | None) -> list[Candidate]:
        if row is None:
            return []
        found = []
        for col, score in ranked.get(row, []):
            mentor = loaded.mentors[col]
            found.append(
                Candidate(
                    mentor_id=mentor["id"],
                    name=mentor["full_name"] or mentor["email"],
                    score=score,
                    places_left=places[mentor["id"]].left,
                    current=mentor["id"] == current,
                )
            )
        # The ones that can be chosen first, keeping their rank among themselves.
        found.sort(key=lambda c: (not c.available,))
        found = found[:CANDIDATES_SHOWN]
        if current is not None and not any(c.current for c in found):
            # The current mentor is always offered, so the list never shows another
            # mentor as if chosen.
            mentor = mentors_by_id.get(current, {"full_name": "", "email": ""})
            match = proposal_by_mentee.get(loaded.mentees[row]["id"])
            found.insert(
                0,
                Candidate(
                    mentor_id=current,
                    name=mentor["full_name"] or mentor["email"],
                    score=match.score if match and match.score is not None else 0.0,
                    places_left=places[current].left if current in places else 0,
                    current=True,
                ),
            )
        return found

    proposals = [
        BoardRow(
            match=m,
            mentee=loaded.mentees[row] if row is not None else {"id": m.mentee_id},
            candidates=candidates(row, m.mentor_id),
        )
        for m, row in zip(shown, proposal_rows, strict=True)
    ]
    reasons = engine.explain_unmatched(scorer, loaded.load(), unmatched_rows)
    unmatched = [
        BoardRow(
            match=None,
            mentee=loaded.mentees[row],
            candidates=candidates(row, None),
            reason=reasons.get(row, ""),
        )
        for row in unmatched_rows
    ]
    mentor_places = sorted(
        places.values(), key=lambda p: (-p.left, (p.mentor["full_name"] or "").casefold())
    )
    capacity = sum(p.capacity for p in places.values())
    counts = {
        "mentees": loaded.accepted_mentees,
        "mentors": len(mentors_by_id),
        "places": capacity,
        "places_left": sum(p.left for p in places.values()),
        "active": len(active),
        "proposed": len(proposed),
        "locked": sum(1 for m in proposed if m.locked),
        "unmatched": len(loaded.mentees)
        - sum(1 for p in loaded.mentees if p["id"] in matched_mentees),
    }
    return Board(
        cycle=cycle,
        weights=loaded.weights,
        proposals=proposals,
        page=page_obj,
        unmatched=unmatched,
        active=active,
        mentors=mentor_places,
        last_run=last_run,
        progress=run_progress(cycle, last_run),
        counts=counts,
        never_count=len(loaded.never),
    )


def cycles_for_matching() -> QuerySet[Cycle]:
    """Cycles with their accepted mentees and mentors and their matches counted."""
    accepted = Q(applications__status=Application.Status.ACCEPTED)
    return (
        Cycle.objects.select_related("program")
        .annotate(
            accepted_mentees=Count(
                "applications", filter=accepted & Q(applications__role=Role.MENTEE), distinct=True
            ),
            accepted_mentors=Count(
                "applications", filter=accepted & Q(applications__role=Role.MENTOR), distinct=True
            ),
            active_matches=Count(
                "matches", filter=Q(matches__status=Match.Status.ACTIVE), distinct=True
            ),
            proposed_matches=Count(
                "matches", filter=Q(matches__status=Match.Status.PROPOSED), distinct=True
            ),
        )
        .order_by("program__position", "program__name", "-starts_on")
    )


def run_text(run: MatchingRun, tz) -> str:
    """What the board says of a run of the engine, in the reader's language: how far it
    is, with its counts."""
    State = MatchingRun.State
    now = timezone.now()
    accepted = ngettext("%(count)s accepted mentee", "%(count)s accepted mentees", run.mentees)
    accepted %= {"count": run.mentees}
    cohort = gettext("%(mentees)s, %(mentors)s (%(places)s)") % {
        "mentees": accepted,
        "mentors": ngettext("%(count)s mentor", "%(count)s mentors", run.mentors)
        % {"count": run.mentors},
        "places": ngettext("%(count)s place", "%(count)s places", run.places)
        % {"count": run.places},
    }
    found = gettext("%(pairs)s proposed, %(kept)s kept, %(unmatched)s unmatched") % {
        "pairs": ngettext("%(count)s pair", "%(count)s pairs", run.proposed)
        % {"count": run.proposed},
        "kept": run.kept,
        "unmatched": ngettext("%(count)s mentee", "%(count)s mentees", run.unmatched)
        % {"count": run.unmatched},
    }
    if run.state == State.QUEUED:
        waited = int((now - run.run_at).total_seconds())
        return gettext("Queued %(seconds)s s ago: waiting for a worker to pair %(mentees)s.") % {
            "seconds": waited,
            "mentees": accepted,
        }
    if run.state == State.RUNNING:
        seconds = int((now - (run.started_at or run.run_at)).total_seconds())
        # The step is stored in English (marked with gettext_noop where it is written).
        step = gettext(run.step or STARTING)
        text = gettext("Running for %(seconds)s s. %(step)s…") % {"seconds": seconds, "step": step}
        if run.mentors:
            text += f" {cohort}"
        if run.step == SAVING:
            text += f"; {found}"
        return text + "."
    local = timezone.localtime(run.run_at, tz)
    names = {
        "when": f"{long_date(local)}, {clock(local)}",
        "by": run.run_by or "",
        "error": run.error or gettext("no reason given"),
    }
    if run.state == State.FAILED:
        if run.run_by:
            return gettext("The run of %(when)s by %(by)s failed: %(error)s.") % names
        return gettext("The run of %(when)s failed: %(error)s.") % names
    if run.run_by:
        text = gettext("Last run %(when)s by %(by)s: %(cohort)s; %(found)s, in %(seconds)s s")
    else:
        text = gettext("Last run %(when)s: %(cohort)s; %(found)s, in %(seconds)s s")
    text %= {**names, "cohort": cohort, "found": found, "seconds": number_format(run.seconds, 1)}
    if run.method:
        text += " " + gettext("(%(method)s solver, optimal)") % {"method": run.method}
    return text + "."


def run_progress(cycle: Cycle, run: MatchingRun | None | bool = True) -> dict:
    """How far the cycle's newest run of the engine is (the board's progress, as JSON);
    ``run``: the newest run when the caller has it already (None: there is none)."""
    if run is True:
        run = MatchingRun.objects.filter(cycle=cycle).select_related("run_by").first()
    if run is None:
        return {"state": "none", "running": False, "text": gettext("The engine has not run yet.")}
    return {
        "state": run.state,
        "running": not run.is_finished,
        "text": run_text(run, cycle.program.tz),
        "step": run.step,
        **{
            name: getattr(run, name)
            for name in ("mentees", "mentors", "places", "kept", "proposed", "unmatched")
        },
    }
