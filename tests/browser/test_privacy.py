"""Your data and deleting your account in a real browser: the pages pass axe, the
download is a JSON file, a wrong password is refused beside the field, and the partner's
match page still works afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mentoring.models import User
from tests.factories import (
    MatchFactory,
    ProgramFactory,
    agreed_sheet,
    cycle_under_way,
)
from tests.factories.core import PASSWORD

from .conftest import assert_accessible, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def match():
    program = ProgramFactory(short_name="ALSC")
    cycle = cycle_under_way(program)
    match = MatchFactory(
        cycle=cycle,
        mentee__preferred_name="Maya",
        mentee__hopes="Plan storytimes.",
        mentor__preferred_name="Rosa",
    )
    agreed_sheet(match, titles=["Six crafts for Bookbag"])
    return match


def test_a_mentee_downloads_her_data_then_deletes_her_account(page, live_server, match):
    mentee = match.mentee.applicant
    sign_in(page.context, live_server, mentee)

    page.goto("/my/")
    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename.startswith("mentoring-data-")
    data = json.loads(Path(download.path()).read_text())
    assert data["goals"]["goal_sheets"][0]["goals"][0]["title"] == "Six crafts for Bookbag"

    page.goto("/my/")
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    assert_accessible(page)
    by_label(page, "Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    assert_accessible(page)

    by_label(page, "Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    assert_accessible(page)
    assert not User.objects.filter(pk=mentee.pk).exists()

    page.context.clear_cookies()
    sign_in(page.context, live_server, match.mentor.applicant)
    page.goto(f"/matches/{match.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentee: a former participant")
    assert_accessible(page)
