"""A partner's open request for help puts their match at risk on the health page, from
the day it was asked until the day staff resolved it (as of the page's day)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from evaluation import risk
from evaluation.cycle_data import CycleData
from evaluation.risk import HELP_REQUESTED
from matches.models import HelpRequest
from tests.factories import CheckInFactory

from .conftest import agreed_match, days_ago

pytestmark = pytest.mark.django_db


def moment(cycle, day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)), cycle.program.tz)


def test_an_open_request_puts_the_match_at_risk_until_resolved(cycle, today):
    match = agreed_match(cycle, today)
    CheckInFactory(goal=match.goal_sheet.goals.get(), on=days_ago(today, 1))
    request = HelpRequest.objects.create(
        match=match,
        asked_by=match.mentor.applicant,
        role="mentor",
        message="Words only the committee reads",
        created_at=moment(cycle, days_ago(today, 5)),
    )

    (item,) = risk.matches_at_risk(CycleData(cycle))
    assert item.codes == [HELP_REQUESTED]
    assert "The mentor wrote on" in item.reasons[0].detail
    assert "Words only the committee reads" not in item.reasons[0].detail
    assert item.reasons[0].url.endswith(f"/matches/helprequest/{request.pk}/change/")

    HelpRequest.objects.filter(pk=request.pk).update(resolved_at=moment(cycle, today))
    assert risk.matches_at_risk(CycleData(cycle)) == []
    # As of the day before it was resolved, it was still open.
    assert [i.codes for i in risk.matches_at_risk(CycleData(cycle, today=days_ago(today, 1)))] == [
        [HELP_REQUESTED]
    ]
