"""load_program_content: the programs from the seeds, idempotent."""

import datetime as dt

import pytest
from django.core.management import call_command

from mentoring import content
from mentoring.models import Committee, Cycle, Event, Milestone, Program, ProgramObjective

pytestmark = pytest.mark.django_db

CORE_MODELS = [Program, ProgramObjective, Committee, Cycle, Milestone, Event]


def snapshot():
    return {
        model.__name__: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
        for model in CORE_MODELS
    }


def test_loading_twice_changes_nothing():
    call_command("load_program_content", verbosity=0)
    first = snapshot()

    call_command("load_program_content", verbosity=0)

    assert snapshot() == first
    assert first["Program"] and first["Milestone"]


def test_loading_keeps_what_staff_changed():
    call_command("load_program_content", verbosity=0)
    Program.objects.filter(slug="alsc").update(description="Edited by the committee")

    call_command("load_program_content", verbosity=0)

    assert Program.objects.get(slug="alsc").description == "Edited by the committee"


def test_alsc_program_has_its_objectives_and_committees():
    content.load(today=dt.date(2026, 11, 22), log=lambda _: None)

    alsc = Program.objects.get(slug="alsc")
    assert alsc.objectives.count() == 7
    assert alsc.objectives.first().text.startswith("Build the skills and confidence")
    assert list(alsc.committees.values_list("name", flat=True)) == [
        "ALSC Membership Committee",
        "Managing Children's Services Committee",
    ]


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2026, 11, 22), 2026),
        (dt.date(2027, 3, 1), 2026),  # still the 2026-2027 program year
        (dt.date(2027, 7, 1), 2027),  # the next year's applications are ahead
    ],
)
def test_the_timeline_follows_seed_004_on_the_current_program_year(today, year):
    content.load(today=today, log=lambda _: None)

    cycle = Cycle.objects.get(program__slug="alsc")
    assert cycle.name == f"{year}-{year + 1}"
    assert (cycle.applications_open_on, cycle.applications_close_on) == (
        dt.date(year, 9, 1),
        dt.date(year, 9, 30),
    )
    assert cycle.ends_on == dt.date(year + 1, 6, 30)
    timeline = {m.kind: (m.starts_on, m.ends_on) for m in cycle.milestones.all()}
    assert timeline == {
        # September: applications accepted
        Milestone.Kind.APPLICATIONS: (dt.date(year, 9, 1), dt.date(year, 9, 30)),
        # November: notifications sent to accepted participants
        Milestone.Kind.NOTIFICATIONS: (dt.date(year, 11, 1), dt.date(year, 11, 30)),
        # November-December: introductions and 1-3 SMART goals
        Milestone.Kind.INTRODUCTIONS: (dt.date(year, 11, 1), dt.date(year, 12, 31)),
        # January: the virtual networking session
        Milestone.Kind.NETWORKING: (dt.date(year + 1, 1, 1), dt.date(year + 1, 1, 31)),
        # December-June: work on the goals
        Milestone.Kind.GOAL_WORK: (dt.date(year, 12, 1), dt.date(year + 1, 6, 30)),
        # June 30: the program concludes
        Milestone.Kind.CONCLUSION: (dt.date(year + 1, 6, 30), dt.date(year + 1, 6, 30)),
    }
    networking = cycle.events.get(kind=Event.Kind.NETWORKING_SESSION)
    assert networking.starts_on.month == 1


def test_alcts_has_its_conferences_as_events():
    content.load(today=dt.date(2026, 11, 22), log=lambda _: None)

    events = Event.objects.filter(cycle__program__slug="alcts").order_by("starts_at")
    assert [(e.title, e.location, e.starts_on, e.ends_on) for e in events] == [
        ("ALA Midwinter 2020", "Philadelphia, PA", dt.date(2020, 1, 24), dt.date(2020, 1, 28)),
        ("ALA Annual 2020", "Chicago, IL", dt.date(2020, 6, 25), dt.date(2020, 6, 30)),
    ]
    assert all(e.kind == Event.Kind.CONFERENCE and e.all_day for e in events)


def test_seed_demo_prints_the_staff_login(capsys):
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "staff@example.org / mentoring-demo" in out


def test_alcts_runs_the_current_year_with_its_own_timeline(client):
    content.load(today=dt.date(2026, 11, 22), log=lambda _: None)

    cycles = {c.name: c for c in Cycle.objects.filter(program__slug="alcts")}
    current = cycles["2026-2027"]
    kinds = set(current.milestones.values_list("kind", flat=True))
    page = client.get("/programs/alcts/timeline/").content.decode()

    assert set(cycles) == {"2019-2020", "2026-2027"}  # the year its pages record, and now
    assert {Milestone.Kind.APPLICATIONS, Milestone.Kind.CONCLUSION} <= kinds
    assert (current.applications_open_on, current.ends_on) == (
        dt.date(2026, 9, 1),
        dt.date(2027, 6, 30),
    )
    assert "No timeline yet" not in page and "Applications accepted" in page
    texts = " ".join(current.milestones.values_list("description", flat=True)).lower()
    assert "children" not in texts and "working group" not in texts
