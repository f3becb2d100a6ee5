"""A message to a group, in Chromium: a coordinator filters the goal sheets to the overdue
ones (two pages of them), messages their mentees (the whole list, not the page), writes in
Markdown, reads it as one of them, and sends it: pressed twice, and once more from a
second tab. Exactly the overdue mentees receive it, once each.

Screens of the new pages are written to test-artifacts/screens/ (to look at), with the
email's text and HTML parts, and each page is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.core import mail
from playwright.sync_api import expect

from goals.models import GoalSheet
from mentoring.models import Delivery, Milestone
from mentoring.roles import COORDINATOR, role_group
from newsletter.models import GROUP_MESSAGE_KIND, GroupMessage
from tests.factories import (
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    UserFactory,
    cycle_under_way,
)

from .conftest import ARTIFACTS, assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = ARTIFACTS / "screens"
BODY = (
    "Your goal sheet was due last week. Please **submit it by Friday**; your mentor "
    "confirms it next.\n\n- Open *My mentoring*\n- Choose [the goal sheet](https://example.org/)"
)


def look(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
    assert_accessible(page)


def test_staff_message_the_overdue_mentees_and_exactly_those_receive_it_once(
    page, live_server, monkeypatch
):
    # Two rows a page: three overdue sheets are more than the page shows.
    monkeypatch.setattr(admin.site.get_model_admin(GoalSheet), "list_per_page", 2)
    cycle = cycle_under_way()
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=cycle.program.today() - dt.timedelta(days=7),
    )
    names = ["Ada Lovelace", "Grace Hopper", "Mary Jackson"]
    late = [
        GoalSheetFactory(match=MatchFactory(cycle=cycle, mentee__applicant__full_name=name)).match
        for name in names
    ]
    on_time = GoalSheetFactory(
        match=MatchFactory(cycle=cycle, mentee__applicant__full_name="Olive Agreed"),
        status="agreed",
    ).match
    coordinator = UserFactory(is_staff=True, full_name="Casey Committee", email="casey@example.org")
    coordinator.groups.add(role_group(COORDINATOR))

    sign_in(page.context, live_server, coordinator)
    page.goto("/admin/goals/goalsheet/")
    page.get_by_role("link", name="Overdue", exact=True).click()
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("message_mentees")
    page.get_by_role("button", name="Go", exact=True).click()
    page.get_by_role("button", name="Message the mentees: all 3 goal sheets").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Writing to 3 mentees: those of the 3 goal sheets chosen. They are the whole filtered list"
    )
    page.get_by_label("Subject").fill("Your goal sheet is overdue")
    page.get_by_label("Body").fill(BODY)
    look(page, "group-message-draft")
    page.get_by_role("button", name="Save", exact=True).click()

    # The preview: read as Grace.
    page.get_by_label("Preview as").select_option(label=f"Grace Hopper ({late[1].mentee.email})")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("pre")).to_contain_text("Hello Grace,")
    frame = page.frame_locator("iframe")
    expect(frame.locator("strong")).to_have_text("submit it by Friday")
    look(page, "group-message-preview")

    # A second tab with the same preview, to press send there afterwards.
    other_tab = page.context.new_page()
    other_tab.goto(page.url)

    # Pressed twice (a second press, if the browser sends it, finds the token spent).
    page.get_by_role("button", name="Send to 3 people").dblclick()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("sent", re.IGNORECASE))
    other_tab.get_by_role("button", name="Send to 3 people").click()
    expect(other_tab.locator(".messagelist")).to_contain_text(
        "This message was sent already: nothing was sent again."
    )
    other_tab.close()

    # Exactly the overdue mentees, once each.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.mentee.email for m in late)
    assert on_time.mentee.email not in {m.to[0] for m in mail.outbox}
    assert Delivery.objects.filter(kind=GROUP_MESSAGE_KIND).count() == 3

    page.reload()
    rows = page.locator("#recipients tbody tr")
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row).to_contain_text("Delivered")
    look(page, "group-message-sent")
    page.goto("/admin/newsletter/groupmessage/")
    expect(page.locator("#result_list")).to_contain_text("3 delivered, 0 failed")
    look(page, "group-message-list")

    email = next(m for m in mail.outbox if m.to == [late[1].mentee.email])
    (SCREENS / "group-message-email.txt").write_text(
        f"Subject: {email.subject}\n{email.extra_headers}\n\n{email.body}"
    )
    (SCREENS / "group-message-email.html").write_text(email.alternatives[0][0])
    assert email.body.startswith("Hello Grace,\n") and "**submit it by Friday**" in email.body
    assert GroupMessage.objects.get().status == GroupMessage.Status.SENT
