"""A person's matches: what they can download, and what is left when they delete their
account or staff anonymise a finished cycle (found by ``mentoring.privacy``).

A match keeps its history for the program's reports (cycle, dates, status, score and the
engine's reasons, which name no one); who was in it goes with the applications."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from applications.models import FORMER_PARTICIPANT, Application
from mentoring.models import Cycle, User

from .models import (
    DirectoryListing,
    HelpRequest,
    Match,
    MatchingRun,
    Meeting,
    NeverPair,
    PairingWish,
)

# A dissolved match must say why; staff's words may name the person.
ERASED_REASON = "Not kept: the match's personal data was anonymised."
# A request for help must say something; the words about the pair go with them.
ERASED_WORDS = "Not kept: the match's personal data was anonymised."


def matches_anonymise(matches: QuerySet[Match]) -> int:
    """Staff's words about the match go (the dissolution reason); its dates, status,
    score and the engine's reasons stay."""
    return matches.exclude(dissolved_reason="").update(dissolved_reason=ERASED_REASON)


def matching_traces_anonymise(applications: QuerySet[Application], *, whole_cycle: bool) -> None:
    """Staff's never-pair reasons about these applications, and their names in the
    engine runs' list of unmatched mentees (a mentor's name may appear in the words
    explaining why someone else was not matched: with ``whole_cycle`` those words go)."""
    NeverPair.objects.filter(Q(mentor__in=applications) | Q(mentee__in=applications)).exclude(
        reason=""
    ).update(reason="")
    people = list(applications.values("pk", "cycle_id", "full_name", "preferred_name"))
    if not people:
        return
    ids = {p["pk"] for p in people}
    names = {n for p in people for n in (p["full_name"], p["preferred_name"]) if n}
    runs = list(MatchingRun.objects.filter(cycle_id__in={p["cycle_id"] for p in people}))
    for run in runs:
        run.unmatched_reasons = [
            _without(entry, ids=ids, names=names, whole_cycle=whole_cycle)
            for entry in run.unmatched_reasons
        ]
    MatchingRun.objects.bulk_update(runs, ["unmatched_reasons"])


def _without(entry: dict, *, ids: set[int], names: set[str], whole_cycle: bool) -> dict:
    entry = dict(entry)
    if whole_cycle:
        return {**entry, "name": FORMER_PARTICIPANT, "reason": ""}
    if entry.get("mentee") in ids:
        entry["name"] = FORMER_PARTICIPANT
    reason = entry.get("reason", "")
    for name in sorted(names, key=len, reverse=True):
        reason = reason.replace(name, FORMER_PARTICIPANT)
    entry["reason"] = reason
    return entry


def export_personal_data(user: User) -> dict:
    matches = (
        Match.objects.of_person(user)
        .exclude(status=Match.Status.PROPOSED)  # a proposal is staff's working note
        .select_related("cycle__program", "mentor", "mentee")
        .order_by("confirmed_at", "pk")
    )
    rows = []
    for match in matches:
        role = match.role_of(user)
        partner = match.partner_of(user)
        rows.append(
            {
                "program": match.cycle.program.name,
                "cycle": match.cycle.name,
                "your_role": role,
                "partner": partner.display_name if partner else None,
                "status": match.get_status_display(),
                "confirmed_at": _iso(match.confirmed_at),
                "concluded_at": _iso(match.concluded_at),
                "dissolved_at": _iso(match.dissolved_at),
                "dissolved_reason": match.dissolved_reason,
            }
        )
    meetings = Meeting.objects.filter(match__in=matches.values("pk")).select_related("match__cycle")
    return {
        "matches": rows,
        "meetings": [
            {
                "cycle": m.match.cycle.name,
                "on": m.on.isoformat(),
                "minutes": m.minutes,
                "how": m.get_way_display(),
                "notes": m.notes,
                "recorded_by_you": m.recorded_by_id == user.pk,
            }
            for m in meetings.order_by("on", "pk")
        ],
        # Their own words to the committee (never the partner's); staff's resolution is
        # the committee's working note.
        "help_requests": [
            {
                "cycle": h.match.cycle.name,
                "asked_at": _iso(h.created_at),
                "message": h.message,
                "resolved_at": _iso(h.resolved_at),
            }
            for h in HelpRequest.objects.filter(asked_by=user)
            .select_related("match__cycle")
            .order_by("created_at", "pk")
        ],
        **_pairing_data(user),
    }


def _pairing_data(user: User) -> dict:
    """What the person said about who they are paired with: a mentee's preferred mentors
    and "please not", a mentor's conflicts of interest and directory note. What others
    said about them is left out: it is the others' confidence (a "please not" told to
    the person it names would undo the point of asking in private)."""
    Kind = PairingWish.Kind
    wishes = (
        PairingWish.objects.filter(
            Q(mentee__applicant=user, kind__in=[Kind.PREFERRED, Kind.PLEASE_NOT])
            | Q(mentor__applicant=user, kind=Kind.CONFLICT)
        )
        .select_related("mentee__cycle", "mentor")
        .order_by("created_at", "pk")
    )
    listings = (
        DirectoryListing.objects.filter(mentor__applicant=user)
        .select_related("mentor__cycle")
        .order_by("mentor__cycle__starts_on", "pk")
    )
    return {
        "pairing_wishes": [
            {
                "cycle": w.mentee.cycle.name,
                "you_said": w.get_kind_display(),
                "about": (w.mentee if w.kind == Kind.CONFLICT else w.mentor).display_name,
                "said_at": _iso(w.created_at),
            }
            for w in wishes
        ],
        "directory_listings": [
            {"cycle": d.mentor.cycle.name, "note": d.note, "updated_at": _iso(d.updated_at)}
            for d in listings
        ],
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def erase_personal_data(user: User) -> None:
    matches_anonymise(Match.objects.of_person(user))
    # The hours stay in the year's figures; the person's own words about them go.
    Meeting.objects.filter(recorded_by=user).exclude(notes="").update(notes="")
    HelpRequest.objects.filter(match__in=Match.objects.of_person(user)).update(
        message=ERASED_WORDS, resolution=""
    )
    # A mentor's note to mentees is their own words; the listing itself goes with them.
    DirectoryListing.objects.filter(mentor__applicant=user).delete()
    matching_traces_anonymise(Application.objects.filter(applicant=user), whole_cycle=False)


def cycle_personal_data(cycle: Cycle) -> dict[str, int]:
    return {"matches": Match.objects.filter(cycle=cycle).count()}


def anonymise_cycle(cycle: Cycle) -> None:
    matches_anonymise(Match.objects.filter(cycle=cycle))
    Meeting.objects.filter(match__cycle=cycle).exclude(notes="").update(notes="")
    HelpRequest.objects.filter(match__cycle=cycle).update(message=ERASED_WORDS, resolution="")
    matching_traces_anonymise(Application.objects.filter(cycle=cycle), whole_cycle=True)
