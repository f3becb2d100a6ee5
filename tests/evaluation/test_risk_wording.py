"""Matches at risk are judged all at once, and their reasons put in words only for the
matches the page shows: a bad year has every match at risk, and translating and dating
1,500 matches' reasons was most of the page's time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluation import admin as evaluation_admin
from evaluation import risk
from evaluation.cycle_data import CycleData
from evaluation.risk import NEWSLETTER_BOUNCING, NO_GOAL_SHEET, QUIET
from mentoring.models import Delivery
from tests.factories import MatchFactory

from .conftest import agreed_match, confirmed

pytestmark = pytest.mark.django_db


def test_reasons_are_put_in_words_only_when_read(cycle, today, monkeypatch):
    agreed_match(cycle, today)  # quiet since the start
    troubled = MatchFactory(cycle=cycle, **confirmed(cycle, today))  # no sheet, quiet
    dated = []
    monkeypatch.setattr(risk, "long_date", lambda day: dated.append(day) or str(day))

    first, second = risk.matches_at_risk(CycleData(cycle))

    assert dated == []
    assert first.row.pk == troubled.pk and first.codes == [NO_GOAL_SHEET, QUIET]
    assert [reason.code for reason in first.reasons] == first.codes
    assert dated and [reason.code for reason in second.reasons] == [QUIET]


def test_the_page_words_the_first_matches_and_counts_every_one(
    client, staff, cycle, today, monkeypatch
):
    monkeypatch.setattr(evaluation_admin, "AT_RISK_SHOWN", 2)
    for i in range(3):
        match = MatchFactory(cycle=cycle, **confirmed(cycle, today))
        Delivery.objects.create(
            message_key="newsletter:1",
            kind="newsletter.issue",
            recipient=match.mentee.applicant,
            to_email=f"bounce-{i}@example.org",
            subject="April news",
            status=Delivery.Status.FAILED,
        )
    client.force_login(staff)
    url = reverse("admin:evaluation_programhealth_health", args=[cycle.pk])

    body = client.get(url).content.decode()

    assert body.count('class="reason-newsletter_bouncing"') == 2
    assert "The first 2 of 3." in body
    # The chart's table counts every match, worded or not.
    assert '<tr><th scope="row">Newsletters bouncing</th><td class="num">3</td></tr>' in body
    every = client.get(url + "?risks=all").content.decode()
    assert every.count('class="reason-newsletter_bouncing"') == 3
    assert every.count("bounce-") >= 3 and NEWSLETTER_BOUNCING in every
