"""The committee's home: the admin index opens with each running cycle's phase and the
tasks waiting, each a count and a link to a list of exactly those rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.models import Milestone
from newsletter.models import NewsletterIssue
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    EventFactory,
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    NewsletterIssueFactory,
    ProposalFactory,
    SurveyFactory,
    UserFactory,
    accepted_mentee,
    cycle_under_way,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def year_with_work(extra: int = 0):
    """A cycle in goal setting, with work waiting of every kind (``extra`` more of each)."""
    cycle = cycle_under_way()
    today = cycle.program.today()
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        title="Introductions and goal setting",
        starts_on=today - dt.timedelta(days=20),
        ends_on=today - dt.timedelta(days=1),  # the goal sheets were due yesterday
    )
    for _ in range(1 + extra):
        MatchFactory(cycle=cycle)  # active, no goal sheet
        ProposalFactory(cycle=cycle)
        GoalSheetFactory(match__cycle=cycle, status="submitted")
        accepted_mentee(cycle)  # not matched
    NewsletterIssueFactory(cycle=cycle, status=NewsletterIssue.Status.DRAFT)
    for days in (5, 40):  # one survey opens within two weeks, one later
        SurveyFactory(cycle=cycle, status="scheduled", opens_on=today + dt.timedelta(days=days))
    # Applications of next year, open now.
    following = CycleFactory(program=cycle.program)
    for _ in range(2 + extra):
        ApplicationFactory(cycle=following)  # submitted
        ApplicationFactory(cycle=following, status="declined", decision_sent_at=None)
    ApplicationFactory(cycle=following, status="declined", decision_sent_at=timezone.now())
    return cycle, following


def tasks_of(response) -> dict[str, dict]:
    return {
        f"{worklist.cycle.pk}:{task.title}": task
        for worklist, tasks in response.context["worklists"]
        for task in tasks
    }


def test_each_task_links_to_a_list_of_exactly_its_rows(client, staff):
    cycle, following = year_with_work()

    response = client.get("/admin/")
    tasks = tasks_of(response)
    body = response.content.decode()

    assert str(cycle) in body and str(following) in body
    expected = {
        f"{cycle.pk}:Goal sheets not started": 1,
        f"{cycle.pk}:Goal sheets overdue": 1,  # the submitted one, due yesterday
        f"{cycle.pk}:Goal sheets waiting for the mentor": 1,
        f"{cycle.pk}:Proposals to confirm": 1,
        f"{cycle.pk}:Newsletter drafts to approve": 1,
        f"{cycle.pk}:Surveys due": 1,
        f"{following.pk}:Applications to review": 2,
        f"{following.pk}:Decisions to send": 2,
    }
    for key, count in expected.items():
        assert tasks[key].count == count, key
    for key, task in tasks.items():
        if task.is_done or "/propose/" in task.url:
            continue
        listed = client.get(task.url)
        assert listed.status_code == 200, key
        assert listed.context["cl"].result_count == task.count, (key, task.url)
        assert task.waiting in body


def test_the_board_tasks_count_unmatched_mentees_and_proposals(client, staff):
    cycle, _ = year_with_work()

    tasks = tasks_of(client.get("/admin/"))

    unmatched = tasks[f"{cycle.pk}:Mentees to match"]
    assert unmatched.count == 1
    assert client.get(unmatched.url).status_code == 200


def test_a_task_with_nothing_to_do_says_so(client, staff):
    cycle = cycle_under_way()
    MatchFactory(cycle=cycle)
    GoalSheetFactory(match=MatchFactory(cycle=cycle), status="agreed")

    body = client.get("/admin/").content.decode()

    assert "No newsletter draft is waiting." in body
    assert "No proposal is waiting for confirmation." in body


def test_the_home_runs_the_same_queries_whatever_the_rows(client, staff):
    year_with_work()
    client.get("/admin/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")

    year_with_work(extra=5)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/")

    # A second program's cycles add their own rows, not queries.
    assert len(many) == len(few)


def test_staff_see_only_the_tasks_and_sections_their_permissions_open(client):
    year_with_work()
    newsletter_editor = UserFactory(is_staff=True)
    newsletter_editor.user_permissions.set(
        Permission.objects.filter(codename__in=["change_newsletterissue", "view_newsletterissue"])
    )
    client.force_login(newsletter_editor)

    response = client.get("/admin/")
    titles = {key.split(":", 1)[1] for key in tasks_of(response)}
    sections = [app["name"] for app in response.context["app_list"]]

    assert titles == {"Newsletter drafts to approve"}
    assert sections == ["Newsletter and email"]


def test_sections_follow_the_year_and_technical_tables_are_for_superusers(client, staff):
    sections = [app["name"] for app in client.get("/admin/").context["app_list"]]

    assert sections[:9] == [
        "Program and cycles",
        "Applications and reviews",
        "Matching",
        "Goal sheets",
        "Activities",
        "Newsletter and email",
        "Evaluation",
        "The year's end",
        "People",
    ]
    assert "Periodic Tasks" in sections  # a superuser keeps the machinery

    coordinator = UserFactory(is_staff=True)
    coordinator.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(coordinator)
    sections = [app["name"] for app in client.get("/admin/").context["app_list"]]
    models = [
        m["object_name"] for app in client.get("/admin/").context["app_list"] for m in app["models"]
    ]

    assert "Periodic Tasks" not in sections and "Sites" not in sections
    assert "Delivery" not in models


def test_admin_forms_say_once_which_time_zone_their_dates_are_in(client, staff, settings):
    event = EventFactory()

    page = client.get(f"/admin/mentoring/event/{event.pk}/change/").content.decode()

    assert f"Dates and times are in {settings.TIME_ZONE}, the program's time zone." in page
    # Django's per-field "hours ahead of server time" warnings are hidden by this sheet.
    assert "committee/admin.css" in page
