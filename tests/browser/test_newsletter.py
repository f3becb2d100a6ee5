"""The newsletter's pages in a real browser: the archive, an issue with the reader's own
goals, the email preferences and the unsubscribe link's pages pass axe; turning the
newsletter off from the preferences page sticks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import Milestone
from newsletter.models import NewsletterIssue
from newsletter.richtext import markdown_to_html
from newsletter.selectors import email_preference_of
from newsletter.tokens import unsubscribe_token
from tests.factories import (
    ActivityFactory,
    EventFactory,
    MatchFactory,
    MilestoneFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    UserFactory,
    agreed_sheet,
    cycle_under_way,
)

from .conftest import assert_accessible, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def match():
    program = ProgramFactory(time_zone="America/Chicago", short_name="ALSC")
    today = program.today()
    cycle = cycle_under_way(program)
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.INTRODUCTIONS, ends_on=today + dt.timedelta(days=21)
    )
    match = MatchFactory(cycle=cycle, mentee__preferred_name="Maya", mentor__preferred_name="Rosa")
    agreed_sheet(match, titles=["Six crafts for Bookbag", "Meet five colleagues"])
    issue = NewsletterIssueFactory(
        cycle=cycle,
        subject="ALSC mentoring newsletter: November",
        news="### Welcome\n\nWrite to each other **this week**.",
        own_discussion_question="What made you choose children's librarianship?",
        status=NewsletterIssue.Status.SENT,
        send_at=timezone.now(),
    )
    issue.news_html = markdown_to_html(issue.news)
    issue.save()
    issue.featured_activities.set(
        [ActivityFactory(category__program=program, title="Mock interview")]
    )
    issue.events.set([EventFactory(cycle=cycle, title="Mentoring forum")])
    return match


def test_a_mentee_reads_the_archive_and_an_issue_then_turns_the_newsletter_off(
    page, live_server, match
):
    mentee = match.mentee.applicant
    sign_in(page.context, live_server, mentee)

    page.goto("/newsletters/")
    assert_accessible(page)
    page.get_by_role("link", name="ALSC mentoring newsletter: November").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ALSC mentoring newsletter: November")
    expect(page.get_by_text("Six crafts for Bookbag", exact=True)).to_be_visible()
    expect(
        page.get_by_role("link", name="Add a check-in on “Six crafts for Bookbag”")
    ).to_be_visible()
    expect(page.get_by_text("What made you choose children's librarianship?")).to_be_visible()
    expect(page.get_by_role("link", name="Mock interview")).to_be_visible()
    assert_accessible(page)

    page.goto("/my/email/")
    assert_accessible(page)
    by_label(page, "The monthly newsletter").uncheck()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_text("Your email preferences are saved.")).to_be_visible()
    expect(by_label(page, "The monthly newsletter")).not_to_be_checked()
    assert not email_preference_of(mentee).newsletter


def test_the_unsubscribe_link_asks_then_confirms_and_can_be_undone(page, live_server, match):
    mentee = match.mentee.applicant
    page.goto(f"/email/unsubscribe/{unsubscribe_token(mentee.pk, 'newsletter')}/")
    assert_accessible(page)

    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(page)
    assert not email_preference_of(mentee).newsletter

    page.get_by_role("button", name="Subscribe again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed again")
    assert email_preference_of(mentee).newsletter


def test_the_preview_frame_shows_the_whole_email_without_a_scroll_bar_of_its_own(
    page, live_server, match
):
    issue = NewsletterIssue.objects.get(cycle=match.cycle)
    sign_in(page.context, live_server, UserFactory(is_staff=True, is_superuser=True))

    page.goto(f"/admin/newsletter/newsletterissue/{issue.pk}/preview/")
    frame = page.locator("iframe[data-fit-content]")
    expect(frame).to_be_visible()
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe[data-fit-content]');"
        " return f.contentDocument && f.getBoundingClientRect().height"
        " >= f.contentDocument.documentElement.scrollHeight; }"
    )
    content = page.frame_locator("iframe[data-fit-content]")
    expect(content.get_by_text("Trouble reading this email?")).to_be_visible()
