"""Preferences in Chromium: an accepted mentee reads the directory, prefers one mentor and
rules out another who would score better; staff run the engine on the board, which pairs
her with the one she chose and says why."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from matches.models import DirectoryListing, Match, PairingWish
from mentoring.models import Milestone
from tests.factories import (
    InterestFactory,
    MilestoneFactory,
    UserFactory,
    accepted_mentee,
    accepted_mentor,
    cycle_under_way,
)

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mentee_prefers_a_mentor_rules_out_another_and_the_board_pairs_them(page, live_server):
    cycle = cycle_under_way()
    today = cycle.program.today()
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.PREFERENCES,
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=7),
    )
    storytime = InterestFactory(program=cycle.program, name="Storytime")
    talk = {"communication_methods": ["email", "video"]}
    mentee = accepted_mentee(cycle, full_name="Maya Reader", interests=[storytime], **talk)
    best_fit = accepted_mentor(cycle, full_name="Sam Cole", interests=[storytime], **talk)
    chosen = accepted_mentor(cycle, full_name="Pat Lee", communication_methods=["email"])
    for mentor, note in ((best_fit, "Storytime all the way."), (chosen, "Outreach and teens.")):
        DirectoryListing.objects.create(mentor=mentor, note=note)

    sign_in(page.context, live_server, mentee.applicant)
    page.goto("/my/")
    page.get_by_role("link", name="Choose the mentors you would prefer").click()
    expect(page.get_by_text("Outreach and teens.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Pat Lee").get_by_label("Preferred").check()
    page.get_by_role("group", name="Sam Cole").get_by_label("Please not").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved")).to_be_visible()
    expect(page.get_by_role("group", name="Pat Lee").get_by_label("Preferred")).to_be_checked()
    assert set(PairingWish.objects.values_list("mentor__full_name", "kind")) == {
        ("Pat Lee", "preferred"),
        ("Sam Cole", "please_not"),
    }

    sign_in(page.context, live_server, UserFactory(is_staff=True, is_superuser=True))
    page.goto(f"/admin/matches/match/propose/{cycle.pk}/")
    page.get_by_role("button", name="Run the engine").click()
    row = page.get_by_role("row").filter(has_text="Maya Reader")
    expect(row).to_contain_text("Pat Lee")
    expect(row).to_contain_text("the mentee's own choice")
    assert_accessible(page)
    assert Match.objects.get(mentee=mentee).mentor == chosen

    # What she chose, on the committee's list of pairing wishes.
    page.goto("/admin/matches/pairingwish/")
    expect(page.locator("#result_list")).to_contain_text("Pat Lee")
    assert_accessible(page)
