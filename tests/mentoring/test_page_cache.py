"""The most-read pages are served again from the cache while nothing they show has
changed, and every way of changing it shows on the next visit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityLogEntry
from goals.models import Goal
from mentoring import page_cache
from mentoring.models import Milestone
from mentoring.roles import COORDINATOR, role_group
from tests.factories import (
    ApplicationFactory,
    ConferenceFactory,
    GoalFactory,
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    ProgramFactory,
    UserFactory,
    cycle_under_way,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def match():
    cycle = cycle_under_way(ProgramFactory(time_zone="America/Chicago"))
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=cycle.program.today() + dt.timedelta(days=21),
    )
    match = MatchFactory(cycle=cycle)
    sheet = GoalSheetFactory(match=match)
    GoalFactory(sheet=sheet, position=1, title="Plan a sensory storytime")
    return match


def browser(user) -> Client:
    """A signed-in browser that has its CSRF cookie, as after its first page."""
    client = Client()
    client.force_login(user)
    client.get(reverse("my_mentoring"))
    assert "csrftoken" in client.cookies
    return client


def page(client, url) -> tuple[str, int]:
    """The page's text and the queries it took."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def goal_sheet(match) -> str:
    return reverse("goals:sheet", args=[match.pk])


def test_a_page_read_again_is_served_from_the_cache(match):
    client = browser(match.mentee.applicant)

    first, rendering = page(client, goal_sheet(match))
    again, serving = page(client, goal_sheet(match))

    assert again == first and "Plan a sensory storytime" in again
    # Left: the session and the person, which every signed-in request reads.
    assert serving <= 2 < rendering


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda goal: Goal.objects.filter(pk=goal.pk).update(title="Run a book club"),
            id="update",
        ),
        pytest.param(
            lambda goal: setattr(goal, "title", "Run a book club") or goal.save(), id="save"
        ),
        pytest.param(
            lambda goal: connection.cursor().execute(
                'UPDATE "goals_goal" SET "title" = %s WHERE "id" = %s', ["Run a book club", goal.pk]
            ),
            id="raw SQL",
        ),
    ],
)
def test_every_way_of_changing_a_row_shows_on_the_next_visit(match, change):
    client = browser(match.mentee.applicant)
    page(client, goal_sheet(match))
    goal = Goal.objects.get(sheet__match=match)

    change(goal)

    body, _ = page(client, goal_sheet(match))
    assert "Run a book club" in body and "Plan a sensory storytime" not in body


def test_rows_added_in_bulk_and_deleted_show_on_the_next_visit(match):
    client = browser(match.mentee.applicant)
    url = reverse("activities:log", args=[match.pk])
    page(client, url)

    ActivityLogEntry.objects.bulk_create(
        [
            ActivityLogEntry(
                match=match, title="Visited the children's room", on=timezone.localdate()
            )
        ]
    )
    assert "Visited the children&#x27;s room" in page(client, url)[0]

    ActivityLogEntry.objects.filter(match=match).delete()
    assert "Visited the children&#x27;s room" not in page(client, url)[0]


def test_a_change_inside_a_transaction_shows(match):
    client = browser(match.mentee.applicant)
    page(client, goal_sheet(match))

    with transaction.atomic():
        Goal.objects.filter(sheet__match=match).update(title="Lead a toddler dance party")

    assert "Lead a toddler dance party" in page(client, goal_sheet(match))[0]


def test_each_person_gets_their_own_page(match):
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    url = reverse("matches:detail", args=[match.pk])

    as_mentee, _ = page(browser(mentee), url)
    as_mentor, _ = page(browser(mentor), url)

    assert as_mentee != as_mentor
    assert "Write to" in as_mentee and "your mentee" in as_mentor


def test_a_person_who_may_not_see_a_page_never_gets_it_from_the_cache(match):
    page(browser(match.mentee.applicant), goal_sheet(match))

    stranger = browser(UserFactory())
    assert stranger.get(goal_sheet(match)).status_code == 404


def test_a_new_name_on_the_account_shows_at_once(match):
    mentee = match.mentee.applicant
    client = browser(mentee)
    page(client, reverse("my_mentoring"))

    mentee.preferred_name = "Robin"
    mentee.save()

    assert "Robin" in page(client, reverse("my_mentoring"))[0]


def test_program_content_from_its_own_cache_still_renews_the_page(match):
    """The timeline comes from the program-content cache, not from a query the page ran;
    the page knows it read those tables all the same."""
    client = browser(match.mentee.applicant)
    url = reverse("program_timeline", args=[match.cycle.program.slug])
    page(client, url)
    page(client, url)

    Milestone.objects.filter(cycle=match.cycle, kind=Milestone.Kind.INTRODUCTIONS).update(
        title="Say hello to each other"
    )

    assert "Say hello to each other" in page(client, url)[0]


def test_a_new_day_in_the_programs_time_zone_renders_again(match, monkeypatch):
    """Chicago's midnight; the page's "days left" counts down by one."""
    client = browser(match.mentee.applicant)
    tz = match.cycle.program.tz
    midnight = dt.datetime.combine(timezone.localdate(timezone.now(), tz), dt.time(0), tzinfo=tz)
    monkeypatch.setattr(timezone, "now", lambda: midnight - dt.timedelta(seconds=1))
    before, _ = page(client, goal_sheet(match))
    assert page(client, goal_sheet(match))[1] <= 2

    monkeypatch.setattr(timezone, "now", lambda: midnight)

    after, queries = page(client, goal_sheet(match))
    assert queries > 2 and after != before


def test_a_waiting_message_is_shown_not_a_cached_page(match, rf):
    client = browser(match.mentee.applicant)
    page(client, goal_sheet(match))
    # A message left by the redirect after a POST, in the message cookie.
    saved = Message(constants.SUCCESS, "The draft is saved. Your partner sees it now.")
    client.cookies["messages"] = CookieStorage(rf.get("/"))._encode([saved])

    body, queries = page(client, goal_sheet(match))

    assert "The draft is saved" in body and queries > 2


def test_a_form_from_the_cache_still_posts(match):
    """The cached page's CSRF token belongs to the browser's own secret."""
    mentee = match.mentee.applicant
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    client.get(reverse("my_mentoring"))
    url = reverse("newsletter:archive")
    client.get(url)
    body, queries = page(client, url)
    assert queries <= 2
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_a_page_that_hands_out_a_new_csrf_cookie_is_not_kept(match):
    client = Client()
    client.force_login(match.mentee.applicant)  # no CSRF cookie yet

    response = client.get(goal_sheet(match))
    assert "csrftoken" in response.cookies
    client.cookies.pop("csrftoken")
    assert page(client, goal_sheet(match))[1] > 2


def test_an_admin_changelist_shows_a_new_application_at_once(match):
    member = UserFactory(is_staff=True)
    member.groups.add(role_group(COORDINATOR))
    staff = browser(member)
    url = reverse("admin:applications_application_changelist")
    page(staff, url)
    _, serving = page(staff, url)
    assert serving <= 2

    ApplicationFactory(cycle=match.cycle, full_name="Quinn Newcomer", status="submitted")

    assert "Quinn Newcomer" in page(staff, url)[0]


def test_without_a_shared_cache_nothing_is_kept(match, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = browser(match.mentee.applicant)
    page(client, goal_sheet(match))

    assert page(client, goal_sheet(match))[1] > 2


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        (
            'INSERT INTO "goals_goal" ("title") VALUES (%s) RETURNING "goals_goal"."id"',
            {"goals_goal"},
        ),
        ('UPDATE "goals_goal" SET "title" = %s WHERE "goals_goal"."id" = %s', {"goals_goal"}),
        ('DELETE FROM "goals_goal" WHERE "goals_goal"."id" IN (%s)', {"goals_goal"}),
        (
            'TRUNCATE "goals_goal", "matches_match" RESTART IDENTITY CASCADE;',
            {"goals_goal", "matches_match"},
        ),
        ("update goals_goal set title = 'x'", {"goals_goal"}),
        ('ALTER TABLE "goals_goal" ADD COLUMN "x" integer', {"goals_goal"}),
        ('SELECT "goals_goal"."id" FROM "goals_goal"', set()),
        ("WITH x AS (SELECT 1) SELECT * FROM x", set()),
    ],
)
def test_the_tables_a_statement_writes(sql, tables):
    assert page_cache._written_tables(sql) == tables


def test_a_page_is_not_kept_when_rendering_it_wrote(match):
    """The first visit to a match's goal sheet makes the sheet: that page is rendered
    again next time (what it wrote could yet have been rolled back)."""
    client = browser(match.mentee.applicant)
    match.goal_sheet.delete()

    page(client, goal_sheet(match))
    _, second = page(client, goal_sheet(match))
    _, third = page(client, goal_sheet(match))

    assert second > 2 >= third


def test_a_write_to_a_table_the_page_did_not_read_leaves_it_in_the_cache(match):
    client = browser(match.mentee.applicant)
    assert client.get(goal_sheet(match))[page_cache.HEADER] == "stored"

    ConferenceFactory(program=match.cycle.program)

    assert client.get(goal_sheet(match))[page_cache.HEADER] == "hit"
    assert client.get(goal_sheet(match))[page_cache.HEADER] == "hit"
