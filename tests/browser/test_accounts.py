"""Signing up in the browser: the form, the emailed link, signing in and out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import CycleFactory

from .conftest import assert_accessible, by_label

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_verify_from_the_email_and_sign_in(page, live_server):
    CycleFactory()
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()

    by_label(page, "Email").fill("maya.reader@example.org")
    by_label(page, "Full name").fill("Maya Reader")
    by_label(page, "Password").fill("short")
    by_label(page, "Password (again)").fill("short")
    page.get_by_role("button", name="Sign Up").click()

    # The error is beside the field and announced through aria-describedby;
    # what was typed is still there.
    password = by_label(page, "Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    described = password.get_attribute("aria-describedby")
    error = page.locator(f"#{described.split()[-1]}")
    expect(error).to_contain_text("too short")
    expect(by_label(page, "Full name")).to_have_value("Maya Reader")
    assert_accessible(page)

    by_label(page, "Password").fill("a-Long-test-passphrase-1")
    by_label(page, "Password (again)").fill("a-Long-test-passphrase-1")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring")
    expect(page.get_by_text("Signed in as Maya", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_apply_sign_up_and_verify_lands_on_the_form_with_the_browsers_time_zone(
    browser, live_server
):
    cycle = CycleFactory()
    context = browser.new_context(base_url=live_server.url, timezone_id="America/Denver")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(f"/programs/{cycle.program.slug}/")
        page.get_by_role("link", name="Apply as a mentee").click()
        page.get_by_role("link", name="Sign up").last.click()
        by_label(page, "Email").fill("maya.reader@example.org")
        by_label(page, "Full name").fill("Maya Reader")
        by_label(page, "Password").fill("a-Long-test-passphrase-1")
        by_label(page, "Password (again)").fill("a-Long-test-passphrase-1")
        page.get_by_role("button", name="Sign Up").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

        (message,) = mail.outbox
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
        page.goto(link.replace("http://testserver", live_server.url))
        page.get_by_role("button", name="Confirm").click()

        expect(page).to_have_url(re.compile(rf"/programs/{cycle.program.slug}/apply/mentee/$"))
        expect(by_label(page, "Time zone")).to_have_value("America/Denver")
        by_label(page, "Time zone").select_option("America/Chicago")  # theirs to change
        expect(by_label(page, "Time zone")).to_have_value("America/Chicago")
    finally:
        context.close()
