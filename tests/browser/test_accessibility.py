"""Every page of the site in a real browser: no WCAG 2.1 A/AA violation (axe-core), focus
that shows on every control, no Content-Security-Policy refusal or script error in the
console, and no horizontal scroll on a phone. Then the application form and the goal
sheet, from start to submission with the keyboard alone.

The sweep is generated from the URL conf: each URL name outside Django's admin is either
visited (``sweep.py``: as the person who uses it, on the shared world's objects) or
excluded with a reason, and a new URL name nobody has placed fails the test. One browser;
one context per person.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.utils import translation
from playwright.sync_api import Page

from applications.models import Application
from goals.models import CheckIn, GoalSheet
from mentoring.models import User
from tests.factories import (
    CycleFactory,
    InterestFactory,
    MatchFactory,
    ProgramFactory,
    cycle_under_way,
    verified_user,
)

from .conftest import ARTIFACTS, axe_violations, sign_in
from .keyboard import KeyboardRun, assert_errors_announced, press_enter_and_load
from .sweep import EXCLUDED, Visit, url_names, world

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Chromium's words for a refusal: "Refused to load/execute/apply ..." in older versions,
# "... violates the following Content Security Policy directive ..." in newer ones.
CSP_REFUSAL = re.compile(r"Refused to|Content Security Policy", re.IGNORECASE)


def reflows(page: Page) -> bool:
    """No horizontal scrolling (WCAG 1.4.10): the page is no wider than the window."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


# Every control a keyboard reaches, focused in turn (after a Tab, so the browser shows
# focus as it does for the keyboard): the ones whose focus does not show, and any
# tabindex above 0 (which would take the Tab order away from the document's order).
FOCUS_EVERYWHERE = """
() => {
  const look = (e) => {
    const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" ");
  };
  const reachable = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
  )].filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length
    && getComputedStyle(el).visibility !== "hidden");
  const problems = reachable.filter((el) => el.tabIndex > 0)
    .map((el) => `tabindex ${el.tabIndex} on ${el.outerHTML.slice(0, 80)}`);
  for (const el of reachable) {
    el.focus();
    if (document.activeElement !== el) continue;
    const twin = el.cloneNode(false);
    twin.removeAttribute("id");
    twin.removeAttribute("name");
    twin.setAttribute("tabindex", "-1");
    el.after(twin);
    const hidden = look(el) === look(twin);
    twin.remove();
    if (hidden) problems.push(`no visible focus on ${el.outerHTML.slice(0, 100)}`);
  }
  document.activeElement.blur();
  window.scrollTo(0, 0);
  return problems;
}
"""


def describe(violations: list[dict]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:4])
        for v in violations
    )


# Every page in each of the site's languages, with its lang attribute saying which.
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_is_accessible_and_keeps_to_the_security_policy(browser, live_server, language):
    people, visits = world()
    # A signed-in person reads their account's language; a visitor, their browser's.
    User.objects.update(language=language)
    visited = {visit.name for visit in visits}
    names = url_names()
    assert not (names - visited - EXCLUDED.keys()), (
        "URL names neither swept nor excluded with a reason: "
        f"{sorted(names - visited - EXCLUDED.keys())}"
    )
    assert not (visited | EXCLUDED.keys()) - names, "swept or excluded names the site lacks"
    assert not visited & EXCLUDED.keys(), "a name both swept and excluded"

    contexts: dict[str, tuple] = {}
    problems: list[str] = []
    # Buttons and labels the steps press are found by their words in this language.
    translation.activate(language)
    try:
        for visit in visits:
            if visit.who not in contexts:
                context = browser.new_context(
                    base_url=live_server.url, viewport=DESKTOP, locale=language
                )
                context.set_default_timeout(10_000)
                if visit.who != "anonymous":
                    sign_in(context, live_server, people[visit.who])
                page = context.new_page()
                console: list[str] = []
                # The browser reports each refusal of the Content-Security-Policy in the
                # console; script errors as page errors.
                page.on(
                    "console",
                    lambda message, console=console: (
                        CSP_REFUSAL.search(message.text) and console.append(message.text)
                    ),
                )
                page.on("pageerror", lambda error, console=console: console.append(str(error)))
                contexts[visit.who] = (context, page, console)
            context, page, console = contexts[visit.who]
            label = f"{visit.name} as {visit.who}" + (f" ({visit.note})" if visit.note else "")
            found = check_page(page, console, visit, language)
            if found:
                problems.append(f"{label} at {page.url}:\n    " + "\n    ".join(found))
                ARTIFACTS.mkdir(exist_ok=True)
                name = re.sub(r"[^\w.-]+", "_", f"{language}-{label}")
                page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"), full_page=True)
                (ARTIFACTS / f"a11y-{name}.html").write_text(page.content())
    finally:
        translation.activate("en")
        for context, _, _ in contexts.values():
            context.close()
    assert not problems, f"{len(problems)} pages with problems:\n" + "\n".join(problems)


def check_page(page: Page, console: list[str], visit: Visit, language: str = "en") -> list[str]:
    """What is wrong with the visit's page: the list is empty when all is well."""
    console.clear()
    page.set_viewport_size(DESKTOP)
    response = page.goto(visit.path)
    found = []
    if visit.then is None and not response.ok:
        found.append(f"status {response.status}")
    if visit.then is not None:
        visit.then(page)
    landed = resolve(urlsplit(page.url).path)
    if landed.view_name != visit.name:
        found.append(f"landed on {landed.view_name}, not {visit.name}")
    if (lang := page.evaluate("document.documentElement.lang")) != language:
        found.append(f"<html lang={lang!r}>, not {language!r}")
    if page.locator("h1").count() != 1:
        found.append(f"{page.locator('h1').count()} h1 headings")
    found += [f"console: {text[:200]}" for text in console]
    page.keyboard.press("Tab")
    found += page.evaluate(FOCUS_EVERYWHERE)
    if violations := axe_violations(page):
        found.append("axe at desktop width: " + describe(violations))
    page.set_viewport_size(PHONE)
    if not reflows(page):
        width = page.evaluate("document.documentElement.scrollWidth")
        found.append(
            f"scrolls sideways at {PHONE['width']}px: {width}px wide, past the edge: "
            + "; ".join(page.evaluate(PAST_THE_EDGE, PHONE["width"]))
        )
    if visit.phone_axe and (violations := axe_violations(page)):
        found.append("axe at phone width: " + describe(violations))
    page.set_viewport_size(DESKTOP)
    return found


# The innermost elements whose right edge is past the viewport's: what to fix when a
# page scrolls sideways.
PAST_THE_EDGE = """(width) => {
  const past = [...document.body.querySelectorAll("*")].filter(
    (e) => e.getBoundingClientRect().right > width + 0.5 && e.getBoundingClientRect().width > 0
  );
  return past
    .filter((e) => !past.some((other) => other !== e && e.contains(other)))
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} “${e.textContent.trim().slice(0, 50)}”`);
}"""


HOPES = (
    "I lead storytime twice a week and want to plan a whole year of early literacy "
    "programs with advice from someone who has done it for many years."
)


def test_the_application_form_works_with_the_keyboard_alone(page, live_server):
    cycle = CycleFactory()
    InterestFactory(program=cycle.program, name="Storytime and early literacy")
    person = verified_user(full_name="Rosa Jones")
    sign_in(page.context, live_server, person)
    page.goto(f"/programs/{cycle.program.slug}/apply/mentee/")
    run = KeyboardRun(page)

    # Straight to "Submit application": the answers are missing, and the page says which.
    run.to(page.get_by_role("button", name="Submit application"))
    press_enter_and_load(page)
    summary = page.locator("#error-summary")
    assert summary.evaluate("el => el === document.activeElement"), "the summary has no focus"
    messages = assert_errors_announced(page)
    for link in summary.get_by_role("link").all():
        field_id = link.get_attribute("href").removeprefix("#")
        item = link.locator("xpath=..").inner_text()
        assert field_id in messages, f"the summary names {field_id}, not marked invalid"
        assert item.split(": ", 1)[1] in messages[field_id]
    assert "city" in " ".join(messages), messages

    # The summary's links lead to the fields.
    run.restart()
    run.to(summary.get_by_role("link", name="City or town"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_city"

    # Everything filled in, from the top, with Tab, typing, Space and the arrow keys.
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    page.locator("#error-summary").focus()  # the focus the page itself gives on load
    run.restart()
    form = page.locator("form.application-form")

    def type_into(selector: str, text: str) -> None:
        run.to(form.locator(selector))
        page.keyboard.press("Control+A")
        page.keyboard.type(text)

    type_into("#id_city", "Columbus")
    run.to(form.locator("#id_state"))
    page.keyboard.press("ArrowDown")  # the first state
    type_into("#id_country", "United States")
    run.to(form.locator("#id_time_zone"))
    page.keyboard.press("ArrowDown")
    type_into("#id_organization", "Columbus Metropolitan Library")
    run.to(form.locator("#id_library_type_0"))
    page.keyboard.press("ArrowDown")  # a radio group: the arrow keys choose
    type_into("#id_position_title", "Library Associate")
    type_into("#id_years_experience", "1")
    run.to(form.locator("#id_membership_0"))
    page.keyboard.press("Space")  # a member: no funding questions
    run.to(form.get_by_label("Storytime and early literacy"))
    page.keyboard.press("Space")
    run.to(form.locator("#id_career_stage_0"))
    page.keyboard.press("Space")
    type_into("#id_hopes", HOPES)
    run.to(form.locator("#id_communication_methods_0"))
    page.keyboard.press("Space")
    run.to(form.get_by_label("I have read the program's expectations and agree to them"))
    page.keyboard.press("Space")
    run.to(page.get_by_role("button", name="Submit application"))
    press_enter_and_load(page)

    assert page.get_by_role("heading", level=1).inner_text() == "Your mentee application is in"
    application = Application.objects.get(applicant=person)
    assert application.status == Application.Status.SUBMITTED
    assert (application.city, application.years_experience) == ("Columbus", 1)
    assert application.library_type and application.state and application.time_zone
    assert run.stops > 30
    run.assert_clean()


def test_the_goal_sheet_works_with_the_keyboard_alone(page, live_server):
    program = ProgramFactory(time_zone="America/Chicago")
    cycle = cycle_under_way(program)
    InterestFactory(program=program, kind="competency", name="Programming Skills")
    match = MatchFactory(cycle=cycle, mentee__preferred_name="Maya", mentor__preferred_name="Rosa")
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    target = cycle.ends_on - dt.timedelta(days=60)

    # The mentee starts the goals from the sheet page.
    sign_in(page.context, live_server, mentee)
    page.goto(f"/matches/{match.pk}/goals/")
    run = KeyboardRun(page)
    run.to(page.get_by_role("link", name="Start your goals"))
    press_enter_and_load(page)
    run.restart()

    goal = page.locator("#goal-form-1")

    def type_into(label: str, text: str) -> None:
        run.to(goal.get_by_label(label, exact=True))
        page.keyboard.press("Control+A")
        page.keyboard.type(text)

    type_into("Title", "Six Bookbag crafts, one a month")
    type_into("Specific", "Six crafts for school-age children.")
    type_into("Measurable", "Each written up with a materials list.")
    type_into("Achievable", "Monthly calls with Rosa.")
    # "Relevant" is left out: submitting says so beside the field.
    run.to(goal.get_by_label("Target date (time-bound)"))
    page.keyboard.type(target.strftime("%m%d%Y"))  # the date field's parts, in order
    run.to(goal.get_by_label("Programming Skills"))
    page.keyboard.press("Space")
    run.to(page.get_by_role("button", name="Save and submit to Rosa"))
    press_enter_and_load(page)

    messages = assert_errors_announced(page)
    assert list(messages) == ["id_goals-0-relevant"], messages
    relevant = goal.get_by_label("Relevant", exact=True)
    assert "relevant" in messages["id_goals-0-relevant"].lower()
    assert goal.get_by_label("Title", exact=True).input_value() == "Six Bookbag crafts, one a month"
    assert goal.get_by_label("Target date (time-bound)").input_value() == target.isoformat()

    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    run.restart()
    run.to(relevant)
    page.keyboard.type("School-age programs are most of my job.")
    run.to(page.get_by_role("button", name="Save and submit to Rosa"))
    press_enter_and_load(page)
    assert page.get_by_text("You submitted the goal sheet.").is_visible()

    # The mentor agrees, then records progress: a radio group chosen with the arrow keys.
    sign_in(page.context, live_server, mentor)
    page.reload()
    run.restart()
    run.to(page.get_by_role("link", name="Review: agree or send back"))
    press_enter_and_load(page)
    run.restart()
    run.to(page.get_by_role("button", name="We agree: confirm the goal sheet"))
    press_enter_and_load(page)
    run.restart()
    run.to(page.get_by_role("link", name="Add a check-in on “Six Bookbag crafts, one a month”"))
    press_enter_and_load(page)
    run.restart()
    run.to(page.locator("#id_status_0"))
    page.keyboard.press("ArrowDown")  # not started → in progress
    run.to(page.get_by_label("Note"))
    page.keyboard.type("We picked the first two crafts.")
    run.to(page.get_by_role("button", name="Save the check-in"))
    press_enter_and_load(page)

    sheet = GoalSheet.objects.get(match=match)
    assert sheet.status == GoalSheet.Status.AGREED
    (goal_row,) = sheet.goals.current()
    assert goal_row.target_date == target
    assert goal_row.relevant == "School-age programs are most of my job."
    assert [a.name for a in goal_row.competency_areas.all()] == ["Programming Skills"]
    (check_in,) = CheckIn.objects.filter(goal=goal_row)
    assert (check_in.author, check_in.status) == (mentor, CheckIn.Status.IN_PROGRESS)
    assert run.stops > 20
    run.assert_clean()
