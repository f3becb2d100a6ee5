"""The one table of the site's URLs and the world: for each URL name, which object of
the world its arguments come from, and around which match it is tried, so who is who
around it: the owner, the partner (the other side of the match), another applicant (a
participant of another match of the same cycle), staff, and nobody signed in.

The permission matrix tries each URL on this object as each of them; the query-count
guard and the accessibility sweep open the same URL on the same object as the person the
page is for, unless they say why they need another (a sweep visit of a page in another
state, a list the guard must see grow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from matches.models import Match
from mentoring.models import User
from newsletter.tokens import unsubscribe_token

from .build import World

ANONYMOUS = "anonymous"
ANOTHER_APPLICANT = "another_applicant"
PARTNER = "partner"
OWNER = "owner"
STAFF = "staff"
ROLES = (ANONYMOUS, ANOTHER_APPLICANT, PARTNER, OWNER, STAFF)


@dataclass
class Case:
    """A URL's object and the people around it (None: nobody signed in)."""

    kwargs: dict
    people: dict[str, User | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Arguments:
    """Where a URL's arguments come from, and the match whose people are tried on it
    (the owner is that match's mentee, or its mentor when ``owner`` says so)."""

    kwargs: Callable[[World], dict]
    match: Callable[[World], Match] = lambda w: w.draft
    owner: str = "mentee"


def _program(w: World) -> dict:
    return {"program_slug": w.program.slug}


def _cycle(w: World) -> dict:
    return {**_program(w), "cycle_slug": w.cycle.slug}


def _draft(w: World) -> dict:
    return {"match_id": w.draft.pk}


def _agreed(w: World) -> dict:
    return {"match_id": w.agreed.pk}


def _submitted(w: World) -> Match:
    return w.submitted


def _agreed_match(w: World) -> Match:
    return w.agreed


def _application(w: World) -> dict:
    return {"pk": w.application.pk}


def _owners_token(w: World) -> dict:
    return {"token": unsubscribe_token(w.owner.pk, "newsletter")}


def _invitation(w: World) -> dict:
    return {"token": w.invitation.token}


def _entry(w: World) -> dict:
    return {**_draft(w), "entry_id": w.entry.pk}


# URLs with no argument are tried around the draft match (the owner's): Arguments(dict).
ARGUMENTS: dict[str, Arguments] = {
    "program_detail": Arguments(_program),
    "program_timeline": Arguments(_program),
    "program_calendar": Arguments(_program),
    "cycle_timeline": Arguments(_cycle),
    "cycle_calendar": Arguments(_cycle),
    "applications:apply": Arguments(lambda w: {**_program(w), "role": "mentor"}),
    "applications:detail": Arguments(_application),
    "applications:edit": Arguments(_application),
    "applications:submitted": Arguments(_application),
    "applications:withdraw": Arguments(_application),
    "applications:reopen": Arguments(_application),
    "matches:detail": Arguments(lambda w: {"pk": w.draft.pk}),
    "matches:meeting_record": Arguments(lambda w: {"pk": w.draft.pk}),
    "matches:help": Arguments(lambda w: {"pk": w.draft.pk}),
    "matches:preferences": Arguments(lambda w: {"application_id": w.draft.mentee.pk}),
    "certificates:download": Arguments(
        lambda w: {"match_id": w.concluded.pk}, match=lambda w: w.concluded
    ),
    "certificates:verify": Arguments(lambda w: {"code": w.certificate.display_code}),
    "goals:sheet": Arguments(_draft),
    "goals:edit": Arguments(_draft),
    "goals:add_goal": Arguments(_draft),
    "goals:save_draft": Arguments(_draft),
    "goals:save_and_submit": Arguments(_draft),
    "goals:submit": Arguments(_draft),
    "goals:withdraw": Arguments(lambda w: {"match_id": w.submitted.pk}, match=_submitted),
    "goals:review": Arguments(
        lambda w: {"match_id": w.submitted.pk}, match=_submitted, owner="mentor"
    ),
    "goals:reopen": Arguments(_agreed, match=_agreed_match),
    "goals:revisions": Arguments(_agreed, match=_agreed_match),
    "goals:revision": Arguments(lambda w: {**_agreed(w), "number": 1}, match=_agreed_match),
    "goals:print": Arguments(_agreed, match=_agreed_match),
    "goals:outcomes": Arguments(_agreed, match=_agreed_match),
    "goals:check_in": Arguments(
        lambda w: {**_agreed(w), "goal_id": w.agreed_goal.pk}, match=_agreed_match
    ),
    "activities:activity_detail": Arguments(lambda w: {**_program(w), "slug": w.activity.slug}),
    "activities:log": Arguments(_draft),
    "activities:log_entry_create": Arguments(_draft),
    "activities:log_entry_edit": Arguments(_entry),
    "activities:log_entry_delete": Arguments(_entry),
    "activities:log_entry_mark_done": Arguments(lambda w: {**_draft(w), "entry_id": w.planned.pk}),
    "newsletter:issue": Arguments(lambda w: {"pk": w.issue.pk}),
    "newsletter:unsubscribe": Arguments(_owners_token),
    "newsletter:resubscribe": Arguments(_owners_token),
    "evaluation:answer": Arguments(_invitation),
    "evaluation:thanks": Arguments(_invitation),
}
NO_ARGUMENTS = Arguments(lambda w: {})

# URLs naming two objects, tried with the inner one taken from another match under the
# person's own (which must be a 404, not the other match's object).
CROSSED: dict[str, Arguments] = {
    "activities:log_entry_edit": Arguments(lambda w: {**_draft(w), "entry_id": w.other_entry.pk}),
    "activities:log_entry_delete": Arguments(lambda w: {**_draft(w), "entry_id": w.other_entry.pk}),
    "activities:log_entry_mark_done": Arguments(
        lambda w: {**_draft(w), "entry_id": w.other_entry.pk}
    ),
    "goals:check_in": Arguments(
        lambda w: {**_agreed(w), "goal_id": w.draft_goal.pk}, match=_agreed_match
    ),
}


def people(world: World, match: Match, *, owner: str = "mentee") -> dict[str, User | None]:
    """Who is who around ``match``: its ``owner`` side, the other side, the mentee of
    another match of the cycle (one with a single match of their own), staff."""
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    other = world.submitted if match != world.submitted else world.agreed
    return {
        ANONYMOUS: None,
        ANOTHER_APPLICANT: other.mentee.applicant,
        PARTNER: mentor if owner == "mentee" else mentee,
        OWNER: mentee if owner == "mentee" else mentor,
        STAFF: world.staff,
    }


def _case(world: World, arguments: Arguments) -> Case:
    match = arguments.match(world)
    return Case(arguments.kwargs(world), people(world, match, owner=arguments.owner))


def case(world: World, url_name: str) -> Case:
    """The object ``url_name`` is tried on, and the people around it."""
    return _case(world, ARGUMENTS.get(url_name, NO_ARGUMENTS))


def crossed(world: World, url_name: str) -> Case | None:
    """For a URL naming two objects: the person's own match with the inner object
    taken from another match."""
    arguments = CROSSED.get(url_name)
    return _case(world, arguments) if arguments else None


def path(world: World, url_name: str) -> str:
    """The URL on its object of the world."""
    return reverse(url_name, kwargs=case(world, url_name).kwargs)


def person(world: World, url_name: str, role: str) -> User | None:
    """Who ``role`` is around the URL's object."""
    return case(world, url_name).people[role]
