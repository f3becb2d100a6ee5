"""Meetings on the health page: hours per match (median and distribution), and no
meeting for the cycle's number of days (45 unless staff set another) as a reason a match
is at risk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluation import risk, sections
from evaluation.cycle_data import CycleData
from evaluation.risk import NO_MEETING
from tests.factories import CheckInFactory, MeetingFactory

from .conftest import agreed_match, confirmed, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(cycle):
    cycle.days_without_meeting = 45
    cycle.save()
    return cycle


def busy_match(cycle, today, **kwargs):
    """An agreed match with a check-in yesterday: at risk for nothing but meetings."""
    match = agreed_match(cycle, today, **kwargs)
    CheckInFactory(goal=match.goal_sheet.goals.get(), on=days_ago(today, 1))
    return match


def reasons(cycle) -> dict[int, list[str]]:
    return {item.match.pk: item.codes for item in risk.matches_at_risk(CycleData(cycle))}


@pytest.mark.parametrize(("days", "at_risk"), [(44, False), (45, True), (90, True)])
def test_a_match_whose_last_meeting_is_45_days_old_is_at_risk(cycle, today, days, at_risk):
    match = busy_match(cycle, today)
    MeetingFactory(match=match, on=days_ago(today, 100))
    MeetingFactory(match=match, on=days_ago(today, days))

    found = reasons(cycle)

    assert found.get(match.pk, []) == ([NO_MEETING] if at_risk else [])
    if at_risk:
        (item,) = risk.matches_at_risk(CycleData(cycle))
        last = days_ago(today, days)
        assert f"{days} days without a meeting (this cycle allows 45)" in item.reasons[0].detail
        assert f"Last meeting on {last:%B} {last.day}, {last.year}." in item.reasons[0].detail
        assert item.reasons[0].url == (
            reverse("admin:matches_meeting_changelist") + f"?match__id__exact={match.pk}"
        )


def test_a_match_that_never_met_counts_from_its_introduction(cycle, today):
    old = busy_match(cycle, today)  # introduced 100 days ago
    new = busy_match(cycle, today, **confirmed(cycle, today, days=30))

    found = reasons(cycle)

    assert found == {old.pk: [NO_MEETING]}
    assert new.pk not in found


def test_staff_set_the_number_of_days_on_the_cycle(cycle, today):
    match = busy_match(cycle, today)
    MeetingFactory(match=match, on=days_ago(today, 20))
    assert reasons(cycle) == {}

    cycle.days_without_meeting = 14
    cycle.save()

    assert reasons(cycle) == {match.pk: [NO_MEETING]}


def test_hours_per_match_give_the_median_and_the_distribution(cycle, today):
    never = busy_match(cycle, today)
    for minutes_each in ([30, 60], [120, 60, 60], [600, 600, 90]):
        match = busy_match(cycle, today)
        for minutes in minutes_each:
            MeetingFactory(match=match, on=days_ago(today, 3), minutes=minutes)
    # A meeting recorded for a day after the as-of day does not count yet.
    MeetingFactory(match=never, on=days_ago(today, -1), minutes=60)

    hours = sections.meeting_hours(CycleData(cycle))

    assert (hours.matches, hours.met) == (4, 3)
    assert hours.median_hours == pytest.approx((1.5 + 4) / 2)
    assert hours.total_hours == pytest.approx(1.5 + 4 + 21.5)
    assert dict(hours.distribution) == {
        "No meeting recorded": 1,
        "Under 2 hours": 1,
        "2 to 5 hours": 1,
        "5 to 10 hours": 0,
        "10 to 20 hours": 0,
        "20 hours or more": 1,
    }


def test_the_health_page_shows_the_hours_and_the_reason(staff_client, cycle, today):
    match = busy_match(cycle, today)
    MeetingFactory(match=match, on=days_ago(today, 60), minutes=90)

    response = staff_client.get(reverse("admin:evaluation_programhealth_health", args=[cycle.pk]))

    body = response.content.decode()
    assert "Meetings: hours per match" in body
    assert "Median per match: <strong>1.5 hours</strong>" in body
    assert "No meeting recorded lately." in body
    assert "60 days without a meeting" in body
