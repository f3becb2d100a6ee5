"""The program year ends, in Chromium: the cycle's last day has passed (the timeline is
built relative to today), the beat task concludes the matches, the mentee downloads their
certificate from My mentoring and its code verifies on the public page; the committee
concludes another cycle's matches early from admin, saying why."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from certificates.models import Certificate
from goals.models import Goal
from matches import tasks
from matches.models import Match
from tests.factories import (
    CycleFactory,
    MatchFactory,
    ProgramFactory,
    UserFactory,
    agreed_sheet,
    cycle_under_way,
)

from .conftest import assert_accessible, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_year_concludes_and_the_mentee_downloads_a_certificate_that_verifies(page, live_server):
    program = ProgramFactory(name="Library Mentoring Program", time_zone="America/Chicago")
    today = program.today()
    cycle = CycleFactory(
        program=program,
        name="2025-2026",
        slug="2025-2026",
        applications_open_on=today - dt.timedelta(days=330),
        applications_close_on=today - dt.timedelta(days=300),
        starts_on=today - dt.timedelta(days=280),
        ends_on=today - dt.timedelta(days=1),  # the last day was yesterday
    )
    match = MatchFactory(
        cycle=cycle, mentee__full_name="Maya Reader", mentor__full_name="Rosa Mendes"
    )
    agreed_sheet(match, titles=["Plan a summer reading kickoff"])
    Goal.objects.filter(sheet__match=match).update(final_outcome="achieved")

    assert tasks.conclude_ended_cycles() == 1
    assert tasks.conclude_ended_cycles() == 0  # the next hour's run finds nothing
    assert Match.objects.get(pk=match.pk).status == Match.Status.CONCLUDED

    sign_in(page.context, live_server, match.mentee.applicant)
    page.goto("/my/")
    card = page.get_by_role("region", name="Certificate of completion")
    expect(card).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        card.get_by_role("link", name="Download the certificate (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "Maya Reader" in text
    assert "completed the Library Mentoring Program, 2025-2026, as a mentee" in text
    certificate = Certificate.objects.get(match=match, application=match.mentee)
    assert certificate.display_code in text

    page.context.clear_cookies()
    page.goto(f"/certificates/{certificate.display_code}/")
    expect(page.get_by_text("This is a genuine certificate of completion.")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("Maya Reader")
    expect(page.locator("dl")).to_contain_text("2025-2026")
    expect(page.locator("dl")).not_to_contain_text("Rosa Mendes")
    assert_accessible(page)


def test_the_committee_concludes_a_cycle_early_and_says_why(page, live_server):
    cycle = cycle_under_way()
    matches = [MatchFactory(cycle=cycle) for _ in range(2)]
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(page.context, live_server, staff)

    page.goto(f"/admin/matches/match/cycle/{cycle.pk}/conclude/")
    expect(page.get_by_text("2 active matches of")).to_be_visible()
    page.get_by_role("button", name="Conclude the matches").click()
    expect(page.locator(".errorlist")).to_contain_text("say why its matches conclude early")
    by_label(page, "Why does it conclude early?").fill("The division ends the program early.")
    page.get_by_role("button", name="Conclude the matches").click()

    expect(page.get_by_text("Concluded 2 matches of")).to_be_visible()
    concluded = Match.objects.filter(pk__in=[m.pk for m in matches], status="concluded")
    assert concluded.count() == 2
    assert {m.concluded_reason for m in concluded} == {"The division ends the program early."}
