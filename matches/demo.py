"""Demo matches: the engine pairs the demo cohort of the ALSC program's current cycle;
most pairs are confirmed (the introduction emails go out), a few are left proposed and
one locked, so the committee's board and the partners' pages show something real.

Runs after ``applications.demo``. Does nothing when the cycle has no accepted
applications, or already has matches (so running it again changes nothing).
"""

from __future__ import annotations

from django.db import transaction

from applications.models import Application
from mentoring import selectors as program_selectors
from mentoring.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL
from mentoring.models import User

from . import services
from .models import Match, Meeting

PROGRAM_SLUG = "alsc"
LEFT_PROPOSED = 3  # proposals left for staff to look at; the first of them locked


def demo_meetings(match: Match, occasions, rng) -> list[Meeting]:
    """A meeting on each (day, who recorded it) of a demo match's year, of a plausible
    length and way (for last year's cycle, built by ``evaluation.demo_year``)."""
    ways = [Meeting.Way.VIDEO, Meeting.Way.PHONE, Meeting.Way.VIDEO, Meeting.Way.IN_PERSON]
    return [
        Meeting(
            match=match,
            on=day,
            minutes=rng.choice((30, 45, 60, 60, 90)),
            way=ways[i % len(ways)],
            recorded_by=author,
        )
        for i, (day, author) in enumerate(occasions)
    ]


def seed(*, log=print) -> None:
    program = program_selectors.programs_with_cycles().filter(slug=PROGRAM_SLUG).first()
    if program is None:
        log("Matches: no ALSC program; run load_program_content first.")
        return
    cycle = program_selectors.current_cycle(program, program.today())
    if cycle is None:
        log("Matches: the ALSC program has no cycle.")
        return
    accepted = Application.objects.filter(cycle=cycle, status=Application.Status.ACCEPTED)
    mentees = accepted.filter(role=Application.Role.MENTEE).count()
    mentors = accepted.filter(role=Application.Role.MENTOR).count()
    if not mentees or not mentors:
        log(f"Matches: {cycle} has no accepted mentees and mentors to pair yet.")
        return
    if Match.objects.filter(cycle=cycle).exists():
        log(f"Matches: {cycle} already has matches; left as they are.")
        _print_partners(cycle, log)
        return

    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    with transaction.atomic():
        run = services.matches_propose(cycle=cycle, by=staff)
        proposals = list(
            Match.objects.filter(cycle=cycle, status=Match.Status.PROPOSED)
            .select_related("mentor", "mentee")
            .order_by("-score", "id")
        )
        # Leave the lowest-scoring few for staff to weigh; lock the first of them.
        keep = proposals[-LEFT_PROPOSED:] if len(proposals) > LEFT_PROPOSED else []
        if keep:
            services.match_set_locked(match=keep[0], locked=True, by=staff)
        confirmed = 0
        for match in proposals:
            if match in keep:
                continue
            services.match_confirm(match=match, by=staff)
            confirmed += 1
    log(
        f"Matches: the engine paired {run.proposed} of {run.mentees} mentees in {cycle} "
        f"({run.unmatched} unmatched); {confirmed} confirmed, {len(keep)} left proposed "
        f"({1 if keep else 0} locked)."
    )
    _print_partners(cycle, log)


def _print_partners(cycle, log) -> None:
    """One confirmed match whose partners are demo people who can sign in."""
    for match in (
        Match.objects.filter(cycle=cycle, status=Match.Status.ACTIVE)
        .select_related("mentor__applicant", "mentee__applicant")
        .order_by("-score", "id")[:20]
    ):
        mentor, mentee = match.mentor.applicant, match.mentee.applicant
        if (
            mentor
            and mentee
            and mentor.check_password(DEMO_PASSWORD)
            and mentee.check_password(DEMO_PASSWORD)
        ):
            log(
                f"Demo match “My match” page /matches/{match.pk}/: mentee {mentee.email}, "
                f"mentor {mentor.email} (password {DEMO_PASSWORD})"
            )
            return
