"""The programs' content is read from the shared cache; every way it changes shows on the
next page at once."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import page_cache, selectors, services
from mentoring.models import Milestone
from tests.factories import CycleFactory, EventFactory, MilestoneFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    today = dt.date.today()
    return CycleFactory(
        program=ProgramFactory(description="Pairs new librarians with experienced ones."),
        applications_open_on=today - dt.timedelta(days=30),
        applications_close_on=today - dt.timedelta(days=10),
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=300),
    )


def timeline(client, cycle) -> str:
    url = reverse("program_timeline", args=[cycle.program.slug])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_content_is_read_once_then_from_the_cache(client, cycle):
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200

    assert ctx.captured_queries == []


def test_an_edited_program_shows_at_once(client, cycle):
    assert "Pairs new librarians" in client.get("/").content.decode()
    program = cycle.program

    program.description = "Now for school librarians too."
    program.save()

    body = client.get("/").content.decode()
    assert "Now for school librarians too." in body and "Pairs new librarians" not in body


def test_a_new_milestone_and_a_deleted_event_show_at_once(client, cycle):
    event = EventFactory(cycle=cycle, title="Spring webinar")
    assert "Spring webinar" in timeline(client, cycle)

    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.NETWORKING,
        title="Regional meet-up month",
        starts_on=dt.date.today() + dt.timedelta(days=20),
        ends_on=dt.date.today() + dt.timedelta(days=40),
    )
    event.delete()

    body = timeline(client, cycle)
    assert "Regional meet-up month" in body and "Spring webinar" not in body


def test_a_cycle_copied_by_bulk_insert_shows_at_once(client, cycle):
    MilestoneFactory(cycle=cycle, title="Goal work", kind=Milestone.Kind.GOAL_WORK)
    timeline(client, cycle)

    copy = services.cycle_copy_to_next_year(cycle=cycle)

    assert copy.name in timeline(client, cycle)


@pytest.mark.django_db(transaction=True)
def test_a_change_commits_after_a_page_read_the_old_rows_shows_anyway(cycle):
    """A page may read the old rows between the change and its commit, and store them;
    the commit renews the tokens again, so that copy is never read."""
    program = cycle.program
    with transaction.atomic():
        program.description = "Changed in a transaction."
        program.save()
        stale = selectors.programs()  # this connection sees the change; another would not
        assert stale[0].description == "Changed in a transaction."
        token_in_transaction = page_cache.tables_token(*selectors.CONTENT_MODELS)

    assert page_cache.tables_token(*selectors.CONTENT_MODELS) != token_in_transaction


def test_a_change_by_queryset_update_shows_at_once(client, cycle):
    """No signal is sent for ``update()``; the statement itself renews the tokens."""
    MilestoneFactory(cycle=cycle, title="Goal work", kind=Milestone.Kind.GOAL_WORK)
    assert "Goal work" in timeline(client, cycle)

    Milestone.objects.filter(cycle=cycle).update(title="Work on the goals together")

    body = timeline(client, cycle)
    assert "Work on the goals together" in body


@pytest.mark.django_db(transaction=True)
def test_content_read_by_a_transaction_that_rolls_back_reaches_nobody(cycle):
    """The writing transaction sees its own change; what it read is kept under tokens
    of its own, so after the rollback every page still shows the committed content."""
    program = cycle.program
    assert selectors.programs()[0].description != "Never committed."

    with pytest.raises(RuntimeError), transaction.atomic():
        program.description = "Never committed."
        program.save()
        assert selectors.programs()[0].description == "Never committed."
        raise RuntimeError("rolled back")

    assert selectors.programs()[0].description != "Never committed."
