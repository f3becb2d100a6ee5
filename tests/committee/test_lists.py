"""The committee's lists open on the cycles at work (one click for all cycles, the choice
kept in the URL), and a list with no rows says why."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import (
    ActivityLogEntryFactory,
    ApplicationFactory,
    CycleFactory,
    GoalSheetFactory,
    MatchFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    SurveyFactory,
    UserFactory,
    cycle_under_way,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def years_of(program=None):
    """This year's cycle and one that ended well over a year ago, of the same program."""
    program = program or ProgramFactory()
    today = program.today()
    past = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=800),
        applications_close_on=today - dt.timedelta(days=770),
        starts_on=today - dt.timedelta(days=740),
        ends_on=today - dt.timedelta(days=420),
    )
    return cycle_under_way(program), past


LISTS = {
    "applications/application": ("cycle", lambda cycle: ApplicationFactory(cycle=cycle)),
    "matches/match": ("cycle_id", lambda cycle: MatchFactory(cycle=cycle)),
    "goals/goalsheet": ("match_cycle_id", lambda cycle: GoalSheetFactory(match__cycle=cycle)),
    "activities/activitylogentry": (
        "cycle",
        lambda cycle: ActivityLogEntryFactory(match__cycle=cycle),
    ),
    "newsletter/newsletterissue": ("cycle", lambda cycle: NewsletterIssueFactory(cycle=cycle)),
    "evaluation/survey": ("cycle", lambda cycle: SurveyFactory(cycle=cycle)),
}


@pytest.mark.parametrize("path", LISTS)
def test_a_list_opens_on_the_current_cycle_and_all_cycles_is_one_click(client, staff, path):
    parameter, make = LISTS[path]
    current, past = years_of()
    now = make(current)
    before = make(past)

    opening = client.get(f"/admin/{path}/")
    everything = client.get(f"/admin/{path}/?{parameter}=all")

    assert list(opening.context["cl"].result_list) == [now]
    assert {row.pk for row in everything.context["cl"].result_list} == {now.pk, before.pk}
    page = opening.content.decode()
    assert f"Current ({current})" in page
    assert f'href="?{parameter}=all"' in page  # "All cycles", kept in the URL
    assert f"?{parameter}=all" in everything.content.decode()


def test_the_current_cycles_are_every_programs_year_at_work(client, staff):
    alsc, _ = years_of()
    alcts, _ = years_of()
    ApplicationFactory(cycle=alsc)
    ApplicationFactory(cycle=alcts)

    listed = client.get("/admin/applications/application/").context["cl"].result_list

    assert {a.cycle_id for a in listed} == {alsc.pk, alcts.pk}


def test_an_empty_list_says_why_and_links_to_every_cycle(client, staff):
    current, past = years_of()
    ApplicationFactory(cycle=past)

    page = client.get("/admin/applications/application/").content.decode()

    assert f"No applications in the current cycles ({current})." in page
    assert '<a href="?cycle=all">See all cycles</a>' in page

    filtered = client.get(
        f"/admin/applications/application/?cycle={past.pk}&status__exact=accepted"
    )
    assert f"No applications in {past} with these filters." in filtered.content.decode()


def test_goal_sheets_say_how_many_active_matches_have_not_started_theirs(client, staff):
    current, past = years_of()
    GoalSheetFactory(match__cycle=current)
    waiting = [MatchFactory(cycle=current) for _ in range(3)]
    MatchFactory(cycle=past)  # another year's: not counted on the current list

    page = client.get("/admin/goals/goalsheet/").content.decode()

    assert "3 active matches have not started theirs" in page
    link = "/admin/matches/match/?status__exact=active&amp;goal_sheet=none"
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).context["cl"].result_list
    assert {m.pk for m in listed} == {m.pk for m in waiting}

    everything = client.get("/admin/goals/goalsheet/?match_cycle_id=all").content.decode()
    assert "4 active matches have not started theirs" in everything
    assert "cycle_id=all" in everything
