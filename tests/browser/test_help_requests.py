"""A confidential request for help, in Chromium: the mentee writes to the committee from
My match, the coordinator reads it in admin (from the committee home) and records how it
was resolved, the mentee sees it resolved; the mentor's pages never mention it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from matches.models import HelpRequest
from mentoring.models import Delivery
from tests.factories import MatchFactory, UserFactory, cycle_under_way

from .conftest import assert_accessible, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = "Rosa has missed our last three calls and I do not want to complain to her."


def test_a_confidential_request_reaches_staff_and_never_the_partner(page, live_server):
    match = MatchFactory(
        cycle=cycle_under_way(), mentee__preferred_name="Maya", mentor__preferred_name="Rosa"
    )
    staff = UserFactory(is_staff=True, is_superuser=True, email="chair@example.org")

    sign_in(page.context, live_server, match.mentee.applicant)
    page.goto(f"/matches/{match.pk}/")
    page.get_by_role("link", name="Ask the committee for help").click()
    expect(page.get_by_text("Rosa never sees it")).to_be_visible()
    page.get_by_role("button", name="Send to the committee").click()
    expect(page.get_by_text("Write a few words for the committee.")).to_be_visible()
    assert_accessible(page)
    by_label(page, "What is wrong, and how can the committee help?").fill(WORDS)
    page.get_by_role("button", name="Send to the committee").click()
    expect(page.get_by_text("The committee received your message")).to_be_visible()
    help_card = page.get_by_role("region", name="Need the committee's help?")
    expect(help_card).to_contain_text("received by the committee")
    expect(help_card).to_contain_text("Open")

    request = HelpRequest.objects.get()
    delivery = Delivery.objects.get(kind="match_help_request")
    assert delivery.to_email == staff.email and WORDS in delivery.body_text

    # The partner's pages say nothing about it.
    sign_in(page.context, live_server, match.mentor.applicant)
    for path in (f"/matches/{match.pk}/", "/my/", f"/matches/{match.pk}/help/"):
        page.goto(path)
        expect(page.locator("body")).not_to_contain_text(WORDS)
        expect(page.locator("body")).not_to_contain_text("received by the committee")

    # The committee finds it from its home and records the resolution.
    sign_in(page.context, live_server, staff)
    page.goto("/admin/")
    page.get_by_role("link", name="Requests for help", exact=True).click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("a").first.click()
    expect(page.locator("#content-main")).to_contain_text(WORDS)
    assert_accessible(page)
    page.get_by_label("Resolution").fill("Called Rosa; they meet on Tuesdays again.")
    page.get_by_role("button", name="Save", exact=True).click()
    request.refresh_from_db()
    assert request.resolved_by == staff

    sign_in(page.context, live_server, match.mentee.applicant)
    page.goto(f"/matches/{match.pk}/")
    expect(page.get_by_role("region", name="Need the committee's help?")).to_contain_text(
        "Resolved"
    )
