"""Celery tasks of the evaluation. The two beat tasks find the work and hand each survey
to a task that takes its id and calls a service; each is safe to run twice (invitations
are unique per person and survey, reminders are claimed, emails are recorded once)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from mentoring.models import Cycle, Program

from . import services
from .models import Invitation, Survey


def _programs_today() -> dict[int, dt.date]:
    return {program.pk: program.today() for program in Program.objects.all()}


def _by_program_day(field: str, lookup: str, todays: dict[int, dt.date]) -> Q:
    """Surveys whose ``field`` compares (``lookup``) with their own program's today."""
    condition = Q(pk__in=[])
    for program_id, today in todays.items():
        condition |= Q(cycle__program_id=program_id, **{f"{field}__{lookup}": today})
    return condition


@shared_task
def send_due_surveys() -> dict:
    """Hourly: give every cycle still to run its two default surveys; send each
    scheduled survey on its opening day; invite newcomers to open surveys; close the
    surveys whose last day has passed."""
    todays = _programs_today()
    created = 0
    for cycle in Cycle.objects.filter(_cycles_running(todays)).select_related("program"):
        created += len(services.default_surveys_create(cycle=cycle, today=todays[cycle.program_id]))
    to_open = Survey.objects.filter(status=Survey.Status.SCHEDULED).filter(
        _by_program_day("opens_on", "lte", todays)
    )
    still_open = Survey.objects.filter(status=Survey.Status.OPEN)
    to_close = still_open.filter(_by_program_day("closes_on", "lt", todays))
    closing = set(to_close.values_list("pk", flat=True))
    opening = list(to_open.values_list("pk", flat=True))
    for survey_id in opening + list(still_open.values_list("pk", flat=True)):
        if survey_id not in closing:
            send_survey.delay(survey_id)
    for survey_id in closing:
        close_survey.delay(survey_id)
    return {"created": created, "sent": len(opening), "closed": len(closing)}


def _cycles_running(todays: dict[int, dt.date]) -> Q:
    condition = Q(pk__in=[])
    for program_id, today in todays.items():
        condition |= Q(program_id=program_id, ends_on__gte=today)
    return condition


@shared_task
def send_survey(survey_id: int) -> int:
    """Send a scheduled survey whose day has come; for an open one, invite whoever
    joined since. Returns how many were invited."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return 0
    return services.survey_send_due(survey=survey)


@shared_task
def close_survey(survey_id: int) -> bool:
    """Close an open survey after its last day."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return False
    return services.survey_close_ended(survey=survey)


@shared_task
def send_survey_reminders() -> int:
    """Hourly: each open survey with people invited a week ago who have not answered
    gets its reminders sent."""
    now = timezone.now()
    due = (
        Invitation.objects.filter(survey__status=Survey.Status.OPEN)
        .due_a_reminder(now=now)
        .values_list("survey_id", flat=True)
        .distinct()
    )
    survey_ids = sorted(set(due))
    for survey_id in survey_ids:
        remind_survey.delay(survey_id)
    return len(survey_ids)


@shared_task
def remind_survey(survey_id: int) -> int:
    """Remind, once, whoever has not answered a week after their invitation."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        return 0
    return services.survey_remind(survey=survey)
