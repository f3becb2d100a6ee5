"""The closing survey: both partners of each match are asked, as their match concludes,
what the year gave them, one question per program objective (``data/default_surveys.json``,
``"closing"``).

A cycle has one closing survey (the unique constraint on a cycle's default kinds). It is
created and opened by the first conclusion, from the defaults or from the one staff
prepared in admin; every later conclusion invites its two partners to the same survey.
Each person is invited once (an invitation per person and survey, an email per message
and address), so concluding twice, or the hourly survey task catching up, asks nobody
twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from matches.models import Match
from mentoring.models import Cycle

from . import services
from .models import Question, Survey

# A survey opened late in the grace period still takes answers this long.
MIN_OPEN_DAYS = 21


def _closes_on(cycle: Cycle, today: dt.date) -> dt.date:
    """Answers are taken until final outcomes close (the pair's last word on the year),
    and at least three weeks from today."""
    return max(cycle.outcomes_until, today + dt.timedelta(days=MIN_OPEN_DAYS))


def closing_survey_of(cycle: Cycle) -> Survey | None:
    return Survey.objects.filter(cycle=cycle, kind=Survey.Kind.CLOSING).first()


def closing_survey_create(*, cycle: Cycle, opens_on: dt.date) -> Survey:
    """The cycle's closing survey from the defaults, a draft opening on ``opens_on``
    (the one there is, if another conclusion made it meanwhile)."""
    today = opens_on
    spec = services.default_specs()[Survey.Kind.CLOSING]
    objectives = {o.position: o for o in cycle.program.objectives.all()}
    words = services.spanish_words(cycle.program)
    survey = Survey(
        cycle=cycle,
        kind=Survey.Kind.CLOSING,
        # Both languages, whatever language the conclusion that makes it is read in.
        title_en=spec["title"],
        introduction_en=spec["introduction"],
        title_es=services.spanish(spec["title"], words),
        introduction_es=services.spanish(spec["introduction"], words),
        opens_on=today,
        closes_on=_closes_on(cycle, today),
        status=Survey.Status.DRAFT,
    )
    survey.full_clean()
    try:
        with transaction.atomic():
            survey.save()
            Question.objects.bulk_create(
                services.question_from_spec(survey, position, item, objectives)
                for position, item in enumerate(spec["questions"], start=1)
            )
    except IntegrityError:  # made meanwhile by another conclusion
        return Survey.objects.get(cycle=cycle, kind=Survey.Kind.CLOSING)
    return survey


@transaction.atomic
def closing_survey_open(*, cycle: Cycle) -> Survey:
    """The cycle's closing survey, taking answers: created from the defaults if staff
    prepared none, opened if a draft or scheduled, opened again (later closing day) if
    it had closed. Invites nobody by itself."""
    today = cycle.program.today()
    survey = closing_survey_of(cycle) or closing_survey_create(cycle=cycle, opens_on=today)
    survey = Survey.objects.select_for_update().select_related("cycle__program").get(pk=survey.pk)
    if survey.takes_answers_on(today):
        return survey
    survey.closes_on = max(survey.closes_on, _closes_on(cycle, today))
    survey.opens_on = min(survey.opens_on, today)
    survey.status = Survey.Status.OPEN
    survey.opened_at = survey.opened_at or timezone.now()
    survey.closed_at = None
    survey.full_clean()
    survey.save(update_fields=["status", "opens_on", "closes_on", "opened_at", "closed_at"])
    return survey


@transaction.atomic
def closing_survey_send(*, match: Match) -> int:
    """Invite both partners of a concluded match to the cycle's closing survey (each
    once, whatever runs twice). Returns how many were invited now."""
    if match.status != Match.Status.CONCLUDED:
        return 0
    survey = closing_survey_open(cycle=match.cycle)
    return services.invite_people(survey=survey, people=services.partners_of([match]))


def on_match_concluded(sender, *, match: Match, **kwargs) -> None:
    """matches.signals.match_concluded: the closing survey goes to the pair, in the
    conclusion's transaction (its emails leave after the commit)."""
    closing_survey_send(match=match)
