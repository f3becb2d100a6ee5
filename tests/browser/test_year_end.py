"""The program year ends, in Chromium: the cycle's last day has passed (the timeline is
built relative to today), the beat task concludes the matches, the mentee downloads their
certificate from My mentoring and its code verifies on the public page, the closing
survey reaches both partners once; staff open the year's report and download its PDF and
CSV; when the next year opens, the mentee is invited once to come back as a mentor and
finds the mentor application filled in from last year's. The committee concludes another
cycle's matches early from admin, saying why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.models import Application, Interest
from certificates.models import Certificate
from evaluation import tasks as survey_tasks
from goals.models import Goal
from matches import tasks
from matches.models import Match
from newsletter.reminders import reminders_send
from tests.factories import (
    CycleFactory,
    InterestFactory,
    MatchFactory,
    ObjectiveFactory,
    ProgramFactory,
    UserFactory,
    agreed_sheet,
    cycle_under_way,
)

from .conftest import assert_accessible, by_label, sign_in
from .year import chapter

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_year_concludes_and_the_mentee_downloads_a_certificate_that_verifies(page, live_server):
    program = ProgramFactory(
        name="Library Mentoring Program", short_name="LMP", time_zone="America/Chicago"
    )
    ObjectiveFactory(program=program, position=1, text="Build skills and confidence")
    ObjectiveFactory(program=program, position=2, text="Encourage lasting connections")
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
    literacy = InterestFactory(program=program, kind=Interest.Kind.COMPETENCY, name="Literacy")
    match.mentee.interests.set([literacy])
    Application.objects.filter(pk=match.mentee.pk).update(
        organization="Toledo Lucas County Public Library", communication_methods=["phone"]
    )
    agreed_sheet(match, titles=["Plan a summer reading kickoff"])
    Goal.objects.filter(sheet__match=match).update(final_outcome="achieved")
    Goal.objects.get(sheet__match=match).competency_areas.set([literacy])
    mentee, mentor = match.mentee.applicant, match.mentor.applicant

    with chapter("the beat task concludes the year's matches"):
        assert tasks.conclude_ended_cycles() == 1
        assert tasks.conclude_ended_cycles() == 0  # the next hour's run finds nothing
        assert Match.objects.get(pk=match.pk).status == Match.Status.CONCLUDED

    with chapter("the closing survey reaches both partners once"):
        survey_tasks.send_due_surveys()  # the hourly survey run asks nobody again

        def closing_surveys(person) -> list:
            return [
                m for m in mail.outbox if m.to == [person.email] and "closing survey" in m.subject
            ]

        assert len(closing_surveys(mentee)) == 1 and len(closing_surveys(mentor)) == 1
        link = re.search(r"/surveys/[\w-]+/", closing_surveys(mentee)[0].body).group(0)
        sign_in(page.context, live_server, mentee)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Closing survey")
        expect(
            page.get_by_text("will stay in touch now that the program has ended")
        ).to_be_visible()

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

    with chapter("staff open the year's report and download its PDF and CSV"):
        sign_in(page.context, live_server, UserFactory(is_staff=True, is_superuser=True))
        page.goto("/admin/evaluation/programhealth/")
        page.get_by_role("link", name="Report of 2025-2026").click()
        expect(page.get_by_role("heading", name="The year's report: LMP 2025-2026")).to_be_visible()
        expect(page.locator("#objectives")).to_contain_text("Build skills and confidence")
        expect(page.locator("#goals")).to_contain_text("Literacy")
        expect(page.locator("#retention")).to_contain_text("Concluded")
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the report (PDF)").click()
        pdf = PdfReader(download.value.path())
        text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
        assert "The year's report: LMP 2025-2026" in text
        assert "Build skills and confidence" in text and "Literacy" in text
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the figures (CSV)").click()
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
        assert ["Retention", "Matches", "Concluded", "1"] in rows
        assert ["Goals by competency area", "Literacy", "Achieved", "1"] in rows

    with chapter("the next year opens: the mentee is invited once and applies as a mentor"):
        CycleFactory(
            program=program,
            name="2026-2027",
            slug="2026-2027",
            applications_open_on=today,
            applications_close_on=today + dt.timedelta(days=30),
            starts_on=today + dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=360),
        )
        yesterday, nine = today - dt.timedelta(days=1), dt.time(9, tzinfo=program.tz)
        assert "alumni" not in reminders_send(now=dt.datetime.combine(yesterday, nine))
        assert reminders_send(now=dt.datetime.combine(today, nine))["alumni"] == 2
        assert "alumni" not in reminders_send(now=dt.datetime.combine(today, nine))
        invitations = [
            m
            for m in mail.outbox
            if m.to == [mentee.email] and "Come back as a mentor" in m.subject
        ]
        assert len(invitations) == 1
        apply_link = re.search(r"http\S+/apply/mentor/", invitations[0].body).group(0)

        sign_in(page.context, live_server, mentee)
        page.goto(urlsplit(apply_link).path)
        expect(page.get_by_text("from your mentee application for 2025-2026")).to_be_visible()
        library = by_label(page, "Library or organization")
        expect(library).to_have_value("Toledo Lucas County Public Library")
        expect(page.get_by_role("checkbox", name="Literacy")).to_be_checked()
        expect(page.get_by_role("checkbox", name="Phone")).to_be_checked()
        library.fill("Toledo Lucas County Public Library, Main Branch")
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_text("Your draft is saved")).to_be_visible()
        draft = Application.objects.get(applicant=mentee, cycle__slug="2026-2027")
        assert draft.role == "mentor"
        assert draft.organization == "Toledo Lucas County Public Library, Main Branch"
        assert list(draft.interests.all()) == [literacy]


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
