"""The emails of the matches app: one function per email."""

from __future__ import annotations

from applications.models import Application
from mentoring.mail import email_queue
from mentoring.timeline import goal_sheet_due_on

from . import selectors
from .models import Match


def send_introductions(match: Match) -> int:
    """Introduce the partners of a confirmed match to each other: one email to each,
    once (the delivery is keyed by the match, so confirming again sends nothing).
    Returns how many were queued now."""
    due = goal_sheet_due_on(match.cycle.milestones.all())
    queued = 0
    for role in (Application.Role.MENTEE, Application.Role.MENTOR):
        intro = selectors.introduction(match, role, due=due)
        person = intro.reader.applicant
        if person is None:  # the account was deleted; nobody to write to
            continue
        _, created = email_queue(
            kind="match_introduction",
            message_key=f"match-introduction-{match.pk}",
            to=person,
            template="matches/emails/introduction",
            context={
                "intro": intro,
                "program": match.cycle.program,
                "cycle": match.cycle,
                "match": match,
            },
        )
        queued += created
    return queued


def send_conclusion(match: Match) -> int:
    """Tell both partners their match has concluded: what they keep reading, and until
    when they record their goals' final outcomes. Once per match."""
    queued = 0
    for mine, partner in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
        person = mine.applicant
        if person is None:
            continue
        _, created = email_queue(
            kind="match_conclusion",
            message_key=f"match-conclusion-{match.pk}",
            to=person,
            template="matches/emails/conclusion",
            context={
                "reader": mine,
                "partner": partner,
                "match": match,
                "program": match.cycle.program,
                "cycle": match.cycle,
            },
        )
        queued += created
    return queued


def send_help_request(help_request, *, to) -> int:
    """Tell the coordinators a partner asked for help: once per request and person."""
    match = help_request.match
    queued = 0
    for person in to:
        _, created = email_queue(
            kind="match_help_request",
            message_key=f"help-request-{help_request.pk}",
            to=person,
            template="matches/emails/help_request",
            context={"help_request": help_request, "match": match, "program": match.cycle.program},
        )
        queued += created
    return queued
