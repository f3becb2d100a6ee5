"""A reviewer walks a blind review in the browser, as they would: from the year's work to
the list, a search, a sort, the application, its history, their score. No page they meet
before scoring names the applicant, says where she lives or works, or shows the others'
scores; once scored, her name shows."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import ApplicationReview
from mentoring.roles import REVIEWER
from tests.factories import ApplicationFactory, CycleFactory, UserFactory, role_user

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SECRETS = [
    "Megan",
    "Delgado",
    "megan.delgado@example.org",
    "555-0199",
    "Tucson",
    "Pima County",
    "Teen Services Librarian",
    "Identifies as Black",
]


def test_a_reviewer_walks_a_blind_review_without_meeting_a_name(page, live_server):
    cycle = CycleFactory(blind_review=True)
    megan = ApplicationFactory(
        cycle=cycle,
        applicant=UserFactory(full_name="Megan Delgado"),
        full_name="Megan Delgado",
        preferred_name="Megan",
        email="megan.delgado@example.org",
        phone="555-0199",
        city="Tucson",
        organization="Pima County Public Library",
        position_title="Teen Services Librarian",
        bipoc_identity="yes",
        funding_requested=True,
    )
    ApplicationFactory(cycle=cycle, applicant=UserFactory(full_name="Delia Second"))
    ApplicationReview.objects.create(
        application=megan, reviewer=role_user(REVIEWER, reviews=(cycle,)), score=5
    )
    reviewer = role_user(REVIEWER, reviews=(cycle,), full_name="Robin Alvarado")
    met = []

    def sealed(where: str, typed: str = "") -> None:
        body = page.content()
        if typed:  # what the reviewer typed comes back in the box and the filters' links
            body = body.replace(f'value="{typed}"', "").replace(f"q={typed}", "")
        met.extend(f"{where}: {secret}" for secret in SECRETS if secret in body)

    # Signed in with a second factor, as staff must be (the sign-in has tests of its own).
    sign_in(page.context, live_server, reviewer)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="The year's work")).to_be_visible()
    sealed("the year's work")
    expect(page.get_by_text("Applications to decide")).to_have_count(0)

    page.get_by_role("link", name="Applications to review", exact=True).click()
    expect(page.get_by_text(f"Applicant #{megan.pk}")).to_be_visible()
    sealed("the list")

    page.locator("#searchbar").fill("Megan")
    page.locator("#searchbar").press("Enter")
    expect(page.get_by_text(re.compile(r"0 results"))).to_be_visible()
    sealed("a search for her name", typed="Megan")  # the search box keeps what was typed

    page.goto(f"/admin/applications/application/?cycle={cycle.pk}")
    page.get_by_role("link", name="Name", exact=True).click()
    expect(page.get_by_text(f"Applicant #{megan.pk}")).to_be_visible()
    sealed("the list sorted by name")
    expect(page.get_by_role("button", name="Run")).to_have_count(0)  # no actions at all

    page.get_by_role("link", name=re.compile(f"Applicant #{megan.pk}")).click()
    expect(page.get_by_text("Hidden until you score it").first).to_be_visible()
    expect(page.get_by_text("1 review; they show once you have scored.")).to_be_visible()
    sealed("the application")

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name=re.compile("Change history"))).to_be_visible()
    sealed("its history")
    page.go_back()

    page.get_by_label("4 · Very good").check()
    page.get_by_label("Your comment").fill("Clear goals, a good fit.")
    page.get_by_role("button", name="Save", exact=True).click()

    assert met == [], f"the reviewer met {met}"
    review = ApplicationReview.objects.get(reviewer=reviewer)
    assert (review.score, review.comment) == (4, "Clear goals, a good fit.")
    # Scored: now she has a name, and the others' mean shows.
    page.goto(f"/admin/applications/application/{megan.pk}/change/")
    expect(page.get_by_text("Megan Delgado").first).to_be_visible()
    expect(page.get_by_text("Mean 4.5 from 2 reviews")).to_be_visible()
