"""Meetings in Chromium: a partner records two meetings from My match and the page adds
up the hours; a mistake is shown beside its field with nothing typed lost."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from matches.models import Meeting
from tests.factories import MatchFactory, UserFactory, cycle_under_way

from .conftest import assert_accessible, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partner_records_two_meetings_and_the_match_page_shows_the_hours(page, live_server):
    cycle = cycle_under_way()
    today = cycle.program.today()
    match = MatchFactory(cycle=cycle, mentee__preferred_name="Maya", mentor__preferred_name="Rosa")
    sign_in(page.context, live_server, match.mentee.applicant)

    page.goto(f"/matches/{match.pk}/")
    expect(page.get_by_text("No meeting recorded yet.")).to_be_visible()
    page.get_by_role("link", name="Record a meeting").click()
    assert_accessible(page)
    by_label(page, "Length in minutes").fill("90")
    page.get_by_label("Video call").check()
    by_label(page, "Date").fill((today + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_contain_text(
        "Record a meeting once it has happened."
    )
    expect(by_label(page, "Length in minutes")).to_have_value("90")
    assert_accessible(page)
    by_label(page, "Date").fill((today - dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("The meeting is recorded.")).to_be_visible()

    page.get_by_role("link", name="Record a meeting").click()
    by_label(page, "Length in minutes").fill("60")
    page.get_by_label("Phone").check()
    page.get_by_label("Notes").fill("Planned the summer reading kickoff.")
    page.get_by_role("button", name="Record the meeting").click()

    meetings = page.get_by_role("region", name="Your meetings")
    expect(meetings).to_contain_text("2 meetings, 2.5 hours in all")
    expect(meetings).to_contain_text("Planned the summer reading kickoff.")
    assert_accessible(page)
    assert Meeting.objects.filter(match=match).count() == 2

    # Rosa reads the same meetings on her side.
    sign_in(page.context, live_server, match.mentor.applicant)
    page.goto(f"/matches/{match.pk}/")
    expect(page.get_by_role("region", name="Your meetings")).to_contain_text("2.5 hours in all")

    # The committee's list of meetings.
    sign_in(page.context, live_server, UserFactory(is_staff=True, is_superuser=True))
    page.goto("/admin/matches/meeting/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    assert_accessible(page)
