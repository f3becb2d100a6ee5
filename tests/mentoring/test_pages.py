"""Public pages: what they say, and a constant number of queries however long the timeline."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CycleFactory,
    EventFactory,
    MilestoneFactory,
    ProgramFactory,
    seed_calendar_cycle,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(cycle, n):
    for i in range(n):
        MilestoneFactory(cycle=cycle, starts_on=cycle.starts_on + dt.timedelta(days=i))
        EventFactory(cycle=cycle)


@pytest.mark.parametrize("url_name", ["home", "timeline", "program_timeline", "program_detail"])
def test_pages_run_a_constant_number_of_queries(client, url_name):
    cycle = seed_calendar_cycle(2026)
    CycleFactory(program=cycle.program)  # a second cycle
    ProgramFactory()  # the timelines page lists each program (one would redirect)
    url = (
        reverse(url_name)
        if url_name in ("home", "timeline")
        else reverse(url_name, args=[cycle.program.slug])
    )
    grow(cycle, 2)
    few = count_queries(client, url)

    grow(cycle, 25)
    ProgramFactory()  # and another program on the home page

    assert count_queries(client, url) == few


def test_one_program_home_page_is_that_programs_page(client):
    cycle = CycleFactory()

    response = client.get(reverse("home"))

    assert cycle.program.name in response.content.decode()
    assert "Applications for" in response.content.decode()
    assert response.templates[0].name == "mentoring/program_detail.html"


def test_several_programs_are_listed(client):
    first, second = CycleFactory(), CycleFactory()

    body = client.get(reverse("home")).content.decode()

    assert first.program.name in body and second.program.name in body


def test_home_says_until_when_applications_are_open(client):
    cycle = CycleFactory()

    body = client.get(reverse("home")).content.decode()

    close = cycle.applications_close_on
    assert f"are open until <strong>{close:%B} {close.day}, {close.year}</strong>" in body


def test_home_says_when_applications_will_open(client):
    today = dt.date.today()
    cycle = CycleFactory(
        applications_open_on=today + dt.timedelta(days=30),
        applications_close_on=today + dt.timedelta(days=60),
    )

    body = client.get(reverse("home")).content.decode()

    opens = cycle.applications_open_on
    assert f"open on <strong>{opens:%B} {opens.day}, {opens.year}</strong>" in body


def test_timeline_lists_milestones_and_events_in_order_with_today_marked(client):
    today = dt.date.today()
    cycle = CycleFactory(
        applications_open_on=today - dt.timedelta(days=60),
        applications_close_on=today - dt.timedelta(days=30),
        starts_on=today - dt.timedelta(days=20),
    )
    MilestoneFactory(
        cycle=cycle,
        title="Done already",
        starts_on=today - dt.timedelta(days=20),
        ends_on=today - dt.timedelta(days=10),
    )
    MilestoneFactory(
        cycle=cycle,
        title="Under way",
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=5),
    )
    ahead = dt.datetime.combine(today + dt.timedelta(days=10), dt.time(13), tzinfo=dt.UTC)
    EventFactory(cycle=cycle, title="Webinar ahead", starts_at=ahead, ends_at=ahead)

    page = client.get(reverse("program_timeline", args=[cycle.program.slug])).content.decode()
    body = page[page.index('class="timeline') :]

    done, under_way, marker, ahead = (
        body.index("Done already"),
        body.index("Under way"),
        body.index("Today,"),
        body.index("Webinar ahead"),
    )
    assert done < under_way < marker < ahead
    assert 'aria-current="date"' in body
    assert "Now</span>" in body[under_way:marker]


def test_pages_have_landmarks_and_a_skip_link(client):
    CycleFactory()

    body = client.get(reverse("home")).content.decode()

    assert 'href="#main"' in body and 'id="main"' in body
    assert "<nav" in body and "<header" in body and "<footer" in body
    for label in ["Program", "Timeline", "Activities", "My mentoring", "Sign in"]:
        assert f">{label}</a>" in body


def test_unknown_program_is_a_404(client):
    assert client.get(reverse("program_detail", args=["nope"])).status_code == 404


def test_responses_carry_the_security_headers(client):
    response = client.get(reverse("home"))

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_timelines_page_shows_each_programs_whole_year_with_today_marked(client):
    today = dt.date.today()
    programs = []
    for name in ("Youth services", "Collections"):
        cycle = CycleFactory(program__name=name, starts_on=today - dt.timedelta(days=20))
        MilestoneFactory(
            cycle=cycle,
            title=f"{name}: behind us",
            starts_on=today - dt.timedelta(days=20),
            ends_on=today - dt.timedelta(days=10),
        )
        MilestoneFactory(
            cycle=cycle,
            title=f"{name}: the year ends",
            starts_on=today + dt.timedelta(days=200),
            ends_on=today + dt.timedelta(days=200),
        )
        programs.append(name)

    body = client.get(reverse("timeline")).content.decode()

    sections = body.split("<section")[1:]
    assert len(sections) == 2
    for name in programs:
        (section,) = [s for s in sections if f"{name}: behind us" in s]
        behind, marker, ends = (
            section.index(f"{name}: behind us"),
            section.index('aria-current="date"'),
            section.rindex(f"{name}: the year ends"),
        )
        assert behind < marker < ends
    assert body.count('aria-current="date"') == 2


def test_the_navigation_leads_to_the_reading_list(client):
    CycleFactory()

    page = client.get(reverse("home")).content.decode()
    reading = client.get(reverse("activities:reading_list")).content.decode()

    nav = page[page.index("<nav") : page.index("</nav>")]
    assert f'href="{reverse("activities:reading_list")}"' in nav
    assert 'aria-current="page">Reading list</a>' in reading
