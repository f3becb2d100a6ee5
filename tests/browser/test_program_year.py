"""The program year end to end, in Chromium, as its people live it: a newcomer signs up
and applies as a mentee, a librarian applies as a mentor, the committee accepts both,
tells them, and pairs them; the pair agree two goals, the mentee logs an activity, and
the committee's newsletter reaches the mentee, who reads it again in the archive.

Everything is done by the links, buttons and labels a person reads; the only addresses
typed are the home page and the verification link in the email. Emails go the real way:
the live server queues them on Redis, a Celery worker (with beat, which sends a due
newsletter) delivers them to an SMTP server in the test, and the test reads them there.

The timeline: one cycle whose application window is open today while its program year
has already begun (the introductions and goal-setting phase is under way). The app gates
applying on the window, and goals, check-ins and the activity log on the match being
active and on dates inside the program year, never on the phase; so this one cycle lets
the year run in an afternoon without editing any date between chapters, which no member
of staff would do.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from activities.models import ActivityLogEntry
from applications.models import Application
from goals.models import GoalSheet
from matches.models import Match
from mentoring.models import Milestone
from newsletter.models import NewsletterIssue
from tests.celery_helpers import publishing_to
from tests.factories import (
    ActivityFactory,
    CategoryFactory,
    CycleFactory,
    ExampleGoalFactory,
    InterestFactory,
    MilestoneFactory,
    ProgramFactory,
    verified_user,
)
from tests.factories.core import PASSWORD
from tests.second_factor import authenticator_for
from tests.smtp_sink import smtp_sink
from tests.worker import broker_url, celery_worker, empty_broker, wait_for

from .conftest import by_label
from .year import Inbox, admin_action, admin_open, chapter, link_in, sign_in, sign_out, text_of

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MENTEE = "maya.reader@example.org"
MENTOR = "rosa.martinez@example.org"
STAFF = "carmen.committee@example.org"
HOPES_TOO_SHORT = "Storytime help, please."
HOPES = (
    "I lead storytime twice a week and want to plan a whole year of early literacy "
    "programs with advice from someone who has done it for many years."
)
OFFER = "Twenty years of storytimes, outreach to schools, and a lot of craft supplies."
NEWS = "Welcome to the program year. Write to each other **this week**."


@pytest.fixture
def year():
    """The program, its cycle (applications open, the program year under way), the
    catalog a match works from, and the two people who already have accounts."""
    program = ProgramFactory(
        name="ALSC Mentoring Program",
        short_name="ALSC",
        slug="alsc",
        time_zone="America/Chicago",
        field_of_work="library service to children",
    )
    today = program.today()
    cycle = CycleFactory(
        program=program,
        name="2026-2027",
        slug="2026-2027",
        applications_open_on=today - dt.timedelta(days=14),
        applications_close_on=today + dt.timedelta(days=14),
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=220),
    )
    for kind, starts_on, ends_on in [
        (Milestone.Kind.APPLICATIONS, cycle.applications_open_on, cycle.applications_close_on),
        (Milestone.Kind.INTRODUCTIONS, cycle.starts_on, today + dt.timedelta(days=30)),
        (Milestone.Kind.GOAL_WORK, today, cycle.ends_on - dt.timedelta(days=1)),
        (Milestone.Kind.CONCLUSION, cycle.ends_on, cycle.ends_on),
    ]:
        MilestoneFactory(
            cycle=cycle,
            kind=kind,
            title=Milestone.Kind(kind).label,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    InterestFactory(program=program, name="Storytime and early literacy")
    ExampleGoalFactory(program=program, title="Work together to come up with 6 crafts")
    ExampleGoalFactory(program=program, title="Make new contacts and network")
    ActivityFactory(
        category=CategoryFactory(program=program, name="Programming"),
        title="Observe each other's storytime",
    )
    # The mentor and the committee member already have accounts: signing up is the
    # mentee's chapter; the mentor's is applying.
    verified_user(email=MENTOR, full_name="Rosa Martinez", preferred_name="Rosa")
    staff = verified_user(email=STAFF, full_name="Carmen Lee", is_staff=True, is_superuser=True)
    authenticator_for(staff)  # the admin asks staff for a code at sign-in
    return cycle


def fill_about_you_and_work(page, *, city, state, zone, library, title, years):
    by_label(page, "City or town").fill(city)
    by_label(page, "State or province").select_option(state)
    by_label(page, "Country").fill("United States")
    by_label(page, "Time zone").select_option(zone)
    by_label(page, "Library or organization").fill(library)
    page.get_by_role("group", name="Type of library").get_by_label("Public library").check()
    by_label(page, "Position title").fill(title)
    by_label(page, "Years of experience in library service to children").fill(str(years))
    page.get_by_role("group", name="Are you an ALSC member?").get_by_label(
        "ALSC member", exact=True
    ).check()


def fill_working_together(page):
    page.get_by_label("Storytime and early literacy").check()
    page.get_by_role("group", name="How would you like to communicate?").get_by_label(
        "Video call"
    ).check()
    page.get_by_label("I have read the program's expectations and agree to them").check()


def test_the_program_year_from_sign_up_to_the_newsletter(page, live_server, year):
    cycle = year
    empty_broker()
    with (
        smtp_sink() as (sink, port),
        celery_worker(smtp_port=port, beat=True, every={"send-due-newsletters": 1}),
        publishing_to(broker_url()),
    ):
        inbox = Inbox(sink)

        with chapter("Maya signs up and verifies her email from the link in the message"):
            page.goto("/")
            page.get_by_role("link", name="Sign up").click()
            by_label(page, "Email").fill(MENTEE)
            by_label(page, "Full name").fill("Maya Reader")
            by_label(page, "Password").fill(PASSWORD)
            by_label(page, "Password (again)").fill(PASSWORD)
            page.get_by_role("button", name="Sign Up").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

            message = inbox.wait_for(MENTEE, "Confirm")
            link = link_in(message, "/accounts/confirm-email/")
            # Opened on this live server, whatever host the message names.
            page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
            page.get_by_role("button", name="Confirm").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring")
            expect(page.get_by_text("Signed in as Maya", exact=True)).to_be_visible()

        with chapter("Maya applies as a mentee: an error, a draft, and back later to submit"):
            page.get_by_role("link", name="Apply as a mentee").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mentee application")
            fill_about_you_and_work(
                page,
                city="Columbus",
                state="OH",
                zone="America/New_York",
                library="Columbus Metropolitan Library",
                title="Library Associate",
                years=1,
            )
            page.get_by_label("New to the profession (under 2 years)").check()
            hopes = by_label(page, "What do you hope to gain from the program?")
            hopes.fill(HOPES_TOO_SHORT)
            page.get_by_role("button", name="Submit application").click()

            expect(page.get_by_role("alert")).to_contain_text("at least 20 words (you wrote 3)")
            hopes = by_label(page, "What do you hope to gain from the program?")
            expect(hopes).to_have_attribute("aria-invalid", "true")
            expect(by_label(page, "Library or organization")).to_have_value(
                "Columbus Metropolitan Library"
            )
            hopes.fill(HOPES)
            page.get_by_role("button", name="Save draft").click()
            expect(page.get_by_text("Your draft is saved")).to_be_visible()

            sign_out(page)
            sign_in(page, MENTEE)
            page.get_by_role("link", name="Continue your mentee draft").click()
            expect(by_label(page, "What do you hope to gain from the program?")).to_have_value(
                HOPES
            )
            fill_working_together(page)
            page.get_by_role("button", name="Submit application").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Your mentee application is in"
            )
            inbox.wait_for(MENTEE, "We have your mentee application")

        with chapter("Rosa, who has an account, applies as a mentor"):
            sign_out(page)
            sign_in(page, MENTOR)
            page.get_by_role("link", name="Apply as a mentor").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mentor application")
            fill_about_you_and_work(
                page,
                city="Cincinnati",
                state="OH",
                zone="America/New_York",
                library="Cincinnati Public Library",
                title="Youth Services Manager",
                years=20,
            )
            page.get_by_role("group", name="How many mentees can you take?").get_by_label(
                "One"
            ).check()
            by_label(page, "What can you offer a mentee?").fill(OFFER)
            fill_working_together(page)
            page.get_by_role("button", name="Submit application").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Your mentor application is in"
            )
            inbox.wait_for(MENTOR, "We have your mentor application")

        with chapter("The committee accepts both and sends the decisions"):
            sign_out(page)
            sign_in(page, STAFF)
            page.get_by_role("link", name="Administration").click()
            admin_open(page, "Applications")
            rows = (
                "Select this object for an action - Maya Reader (Mentee)",
                "Select this object for an action - Rosa Martinez (Mentor)",
            )
            admin_action(page, "Accept", *rows)
            expect(page.get_by_text("Accepted 2 applications.")).to_be_visible()
            admin_action(page, "Send decisions (each applicant is emailed once)", *rows)
            expect(page.get_by_text("Sending 2 decisions")).to_be_visible()

            welcome = "Welcome to the ALSC Mentoring Program"
            assert "accepted you as a mentee" in text_of(inbox.wait_for(MENTEE, welcome))
            inbox.wait_for(MENTOR, welcome)

        with chapter("The committee proposes the match on the board and confirms it"):
            page.get_by_role("link", name="Home", exact=True).click()
            admin_open(page, "Matches")
            page.get_by_role("link", name="Propose matches").click()
            page.get_by_role("link", name=str(cycle)).click()
            page.get_by_role("button", name="Run the engine").click()
            # The worker runs the engine; the board follows it and, if the run was still
            # going when the page came back, links to the result once it is done.
            result = page.get_by_role("link", name="Show the proposals of this run")
            shown = page.get_by_role("heading", name="Proposals (1)")
            expect(result.or_(shown)).to_be_visible(timeout=30_000)
            if result.is_visible():
                result.click()
            expect(page.get_by_role("heading", name="Proposals (1)")).to_be_visible()
            page.get_by_label("Select Maya Reader and Rosa Martinez").check()
            page.get_by_role("button", name="Confirm selected").click()
            expect(page.get_by_text("Confirmed 1 match")).to_be_visible()

            inbox.wait_for(MENTEE, "meet your mentor, Rosa")
            inbox.wait_for(MENTOR, "meet your mentee, Maya")

        with chapter("Maya drafts two goals from the examples and submits the goal sheet"):
            page.get_by_role("link", name="View site").click()
            sign_out(page)
            sign_in(page, MENTEE)
            page.get_by_role("link", name="My mentoring").click()
            expect(page.get_by_role("heading", name="Your mentor: Rosa")).to_be_visible()
            page.get_by_role("link", name="Start your goal sheet").click()
            page.get_by_role("link", name="Start your goals").click()
            target = (cycle.ends_on - dt.timedelta(days=30)).isoformat()

            page.get_by_role("button", name=re.compile(r"Use this example\W+Work together")).click()
            first = page.get_by_role("group", name=re.compile(r"^Goal 1\b"))
            expect(first.get_by_label("Title")).to_have_value(
                "Work together to come up with 6 crafts"
            )
            first.get_by_label("Title").fill("Six Bookbag crafts, one a month")
            first.get_by_label("Target date (time-bound)").fill(target)
            page.get_by_role(
                "button", name=re.compile(r"Use this example\W+Make new contacts")
            ).click()
            second = page.get_by_role("group", name=re.compile(r"^Goal 2\b"))
            expect(second.get_by_label("Title")).to_have_value("Make new contacts and network")
            second.get_by_label("Target date (time-bound)").fill(target)
            page.get_by_role("button", name="Save and submit to Rosa").click()
            expect(page.get_by_text("You submitted the goal sheet.")).to_be_visible()

        with chapter("Rosa confirms the goal sheet"):
            sign_out(page)
            sign_in(page, MENTOR)
            page.get_by_role("link", name="My mentoring").click()
            page.get_by_role(
                "link", name="Review the goal sheet: confirm it or send it back"
            ).click()
            page.get_by_role("link", name="Review: agree or send back").click()
            page.get_by_role("button", name="We agree: confirm the goal sheet").click()
            expect(page.get_by_text("Agreed", exact=True)).to_be_visible()

        with chapter("Maya logs an activity"):
            sign_out(page)
            sign_in(page, MENTEE)
            page.get_by_role("link", name="My mentoring").click()
            page.get_by_role("link", name="Record an activity").click()
            by_label(page, "Activity from the catalog").select_option(
                label="Observe each other's storytime"
            )
            by_label(page, "Notes").fill("Rosa watched my Tuesday storytime over video.")
            page.get_by_label("Six Bookbag crafts, one a month").check()
            page.get_by_role("button", name="Add to the log").click()
            expect(page.get_by_text("Added to your activity log.")).to_be_visible()
            expect(page.get_by_text("Observe each other's storytime").first).to_be_visible()

        with chapter("The committee writes the newsletter and sends it"):
            sign_out(page)
            sign_in(page, STAFF)
            page.get_by_role("link", name="Administration").click()
            admin_open(page, "Newsletter issues")
            page.get_by_role("link", name="Add newsletter issue").click()
            page.get_by_role("button", name="Save", exact=True).click()
            expect(page.get_by_text("Drafted “ALSC mentoring newsletter")).to_be_visible()
            subject = page.get_by_label("Subject:").input_value()
            page.get_by_label("News:").fill(NEWS)
            page.get_by_role("button", name="Save and continue editing").click()
            expect(page.get_by_text("was changed successfully")).to_be_visible()
            page.get_by_role("link", name="Schedule").click()
            page.get_by_role("button", name="Send now").click()
            expect(page.get_by_text("It goes out within the minute.")).to_be_visible()

            newsletter = inbox.wait_for(MENTEE, subject)
            # Each copy carries its reader's own goals.
            assert "this week" in text_of(newsletter)
            assert "Six Bookbag crafts, one a month" in text_of(newsletter)
            inbox.wait_for(MENTOR, subject)
            wait_for(
                lambda: NewsletterIssue.objects.get(subject=subject).status == "sent",
                timeout=60,
                what="the issue marked sent",
            )

        with chapter("Maya reads the newsletter in the archive"):
            page.get_by_role("link", name="View site").click()
            sign_out(page)
            sign_in(page, MENTEE)
            page.get_by_role("link", name="My mentoring").click()
            page.get_by_role("link", name="Every past issue").click()
            page.get_by_role("link", name=subject).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(subject)
            expect(page.get_by_text("Six Bookbag crafts, one a month").first).to_be_visible()
            expect(page.get_by_role("strong").filter(has_text="this week")).to_be_visible()

    # Every email went through the worker to the sink: none was sent in this process (the
    # live server's thread), as it would have been had tasks run eagerly.
    assert mail.outbox == []
    mentee = Application.objects.get(email=MENTEE)
    match = Match.objects.get(mentee=mentee)
    assert match.status == Match.Status.ACTIVE and match.mentor.email == MENTOR
    assert GoalSheet.objects.get(match=match).status == GoalSheet.Status.AGREED
    assert ActivityLogEntry.objects.filter(match=match, status="done").count() == 1
