"""Goal sheets in a real browser: a mentee and a mentor draft two goals from examples,
the mentee submits, the mentor confirms, both record progress; the pages pass axe,
including an error, the conflict page and the print view."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from goals.models import CheckIn, GoalSheet
from mentoring.models import Milestone
from tests.factories import (
    ExampleGoalFactory,
    InterestFactory,
    MatchFactory,
    MilestoneFactory,
    ProgramFactory,
    cycle_under_way,
)

from .conftest import assert_accessible, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def match():
    program = ProgramFactory(time_zone="America/Chicago")
    today = program.today()
    cycle = cycle_under_way(program)
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.INTRODUCTIONS, ends_on=today + dt.timedelta(days=21)
    )
    InterestFactory(program=program, kind="competency", name="Programming Skills")
    ExampleGoalFactory(program=program, title="Work together to come up with 6 crafts", position=1)
    ExampleGoalFactory(program=program, title="Make new contacts and network", position=2)
    return MatchFactory(cycle=cycle, mentee__preferred_name="Maya", mentor__preferred_name="Rosa")


def test_a_match_drafts_submits_agrees_and_records_progress(page, live_server, match):
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    sheet_path = f"/matches/{match.pk}/goals/"

    # The mentee starts the first goal from an example and makes it specific.
    sign_in(page.context, live_server, mentee)
    page.goto("/goal-sheets/")
    page.get_by_role("link", name="Maya and Rosa").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start your goals").click()
    page.get_by_role("button", name=re.compile(r"Use this example\W+Work together")).click()
    expect(by_label(page, "Title")).to_have_value("Work together to come up with 6 crafts")
    by_label(page, "Title").fill("Six Bookbag crafts, one a month")
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page.get_by_text("The draft is saved.")).to_be_visible()

    # The mentor adds a second goal from another example, first with a date outside the program.
    sign_in(page.context, live_server, mentor)
    page.goto(sheet_path + "edit/")
    page.get_by_role("button", name=re.compile(r"Use this example\W+Make new contacts")).click()
    second = page.locator("#goal-form-2")
    second.get_by_label("Target date (time-bound)").fill("2099-01-01")
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    date = second.get_by_label("Target date (time-bound)")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{date.get_attribute('aria-describedby').split()[-1]}")).to_contain_text(
        "Choose a date inside the program"
    )
    expect(second.get_by_label("Title")).to_have_value("Make new contacts and network")
    assert_accessible(page)
    second.get_by_label("Target date (time-bound)").fill(match.cycle.ends_on.isoformat())
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page.get_by_text("The draft is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Submit to")).to_have_count(
        0
    )  # the mentor does not submit

    # The mentee submits: the first goal has no target date yet, so the fields say what is missing.
    sign_in(page.context, live_server, mentee)
    page.goto(sheet_path + "edit/")
    page.get_by_role("button", name="Save and submit to Rosa").click()
    first_date = page.locator("#goal-form-1").get_by_label("Target date (time-bound)")
    expect(first_date).to_have_attribute("aria-invalid", "true")
    first_date.fill(match.cycle.ends_on.isoformat())
    page.get_by_role("button", name="Save and submit to Rosa").click()
    expect(page.get_by_text("You submitted the goal sheet.")).to_be_visible()

    # The mentor agrees.
    sign_in(page.context, live_server, mentor)
    page.goto(sheet_path)
    page.get_by_role("link", name="Review: agree or send back").click()
    assert_accessible(page)
    page.get_by_role("button", name="We agree: confirm the goal sheet").click()
    expect(page.get_by_text("Agreed", exact=True)).to_be_visible()

    # Both record progress.
    for person, status in ((mentor, "Not started"), (mentee, "In progress")):
        sign_in(page.context, live_server, person)
        page.goto(sheet_path)
        page.get_by_role("link", name="Add a check-in on “Six Bookbag crafts, one a month”").click()
        page.get_by_label(status).check()
        by_label(page, "Note").fill(f"{person.get_short_name()}'s check-in")
        assert_accessible(page)
        page.get_by_role("button", name="Save the check-in").click()
        expect(page.get_by_text("is recorded")).to_be_visible()

    sheet = GoalSheet.objects.get(match=match)
    assert (sheet.status, sheet.goals.count()) == ("agreed", 2)
    assert set(CheckIn.objects.values_list("author", flat=True)) == {mentee.pk, mentor.pk}
    expect(page.get_by_text("Earlier check-ins (1)")).to_be_visible()


def test_the_conflict_page_shows_both_texts_and_passes_axe(page, live_server, match):
    from goals import services
    from goals.services import GoalInput

    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    sheet = services.goal_sheet_open(match=match)
    services.goal_sheet_save_draft(
        sheet=sheet, by=mentee, version=1, goals=[GoalInput(title="Our goal")]
    )
    sign_in(page.context, live_server, mentee)
    page.goto(f"/matches/{match.pk}/goals/edit/")
    sheet.refresh_from_db()
    goal = sheet.goals.get()
    services.goal_sheet_save_draft(
        sheet=sheet,
        by=mentor,
        version=sheet.version,
        goals=[GoalInput(title="Rosa's words", goal_id=goal.pk)],
    )

    by_label(page, "Title").fill("Maya's words")
    page.get_by_role("button", name="Save draft", exact=True).last.click()

    expect(
        page.get_by_role(
            "heading", level=2, name="Rosa saved the goal sheet while you were editing it"
        )
    ).to_be_visible()
    table = page.locator(".compare-table")
    expect(table).to_contain_text("Rosa's words")
    expect(table).to_contain_text("Maya's words")
    expect(by_label(page, "Title")).to_have_value("Maya's words")
    assert_accessible(page)


def test_the_print_view_prints_only_the_sheet(page, live_server, match):
    from goals import services
    from goals.services import GoalInput

    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    sheet = services.goal_sheet_open(match=match)
    goal = GoalInput(
        title="Six Bookbag crafts",
        specific="Six crafts.",
        measurable="Six written up.",
        achievable="Monthly calls.",
        relevant="School-age programs.",
        target_date=match.cycle.ends_on,
    )
    services.goal_sheet_save_draft(sheet=sheet, by=mentee, version=1, goals=[goal])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)
    sign_in(page.context, live_server, mentee)

    page.goto(f"/matches/{match.pk}/goals/print/")
    assert_accessible(page)
    page.emulate_media(media="print")

    expect(page.get_by_role("heading", level=2, name="Goal 1: Six Bookbag crafts")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
