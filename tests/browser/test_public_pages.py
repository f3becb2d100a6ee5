"""The public pages in a real browser: they read right and work by keyboard (axe runs on
every page in test_accessibility.py)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, seed_calendar_cycle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cycle():
    today = dt.date.today()
    year = today.year if today.month >= 7 else today.year - 1
    cycle = seed_calendar_cycle(year)
    EventFactory(cycle=cycle, title="Virtual networking session", location="Online")
    return cycle


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(page, cycle):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_a_visitor_reads_the_program_and_its_timeline(page, cycle):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(cycle.program.name)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Timeline {cycle.name}")
    expect(page.get_by_text("Virtual networking session").first).to_be_visible()
    expect(page.locator("[aria-current=date]")).to_contain_text("Today")
    calendar = page.get_by_role("link", name="Add this timeline to your calendar (iCalendar)")
    # In the reader's language, so the calendar's events read as the page does.
    assert calendar.get_attribute("href").endswith("/calendar.ics?lang=en")


def test_the_navigation_collapses_into_a_menu_on_a_phone(page, cycle):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    timeline = page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline")
    expect(timeline).to_be_hidden()

    page.get_by_role("button", name="Show navigation").click()

    expect(timeline).to_be_visible()
