"""The programs' content is read from the shared cache; every way staff change it shows on
the next page at once (mentoring/content_cache.py)."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import content_cache, selectors, services
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


def test_a_cycle_copied_by_bulk_insert_shows_at_once(
    client, cycle, django_capture_on_commit_callbacks
):
    MilestoneFactory(cycle=cycle, title="Goal work", kind=Milestone.Kind.GOAL_WORK)
    timeline(client, cycle)

    with django_capture_on_commit_callbacks(execute=True):
        copy = services.cycle_copy_to_next_year(cycle=cycle)

    assert copy.name in timeline(client, cycle)


@pytest.mark.django_db(transaction=True)
def test_a_change_shows_once_its_transaction_commits(cycle):
    """Another process reads the committed content until the commit; the writing
    transaction reads its own change, from the database."""
    selectors.programs()
    program = cycle.program
    with transaction.atomic():
        program.description = "Changed in a transaction."
        program.save()
        assert selectors.programs()[0].description == "Changed in a transaction."
        with CaptureQueriesContext(connection) as ctx:
            selectors.programs()
        assert ctx.captured_queries  # not from the cache
        version_in_transaction = content_cache._version(content_cache.PROGRAMS)

    assert content_cache._version(content_cache.PROGRAMS) != version_in_transaction
    assert selectors.programs()[0].description == "Changed in a transaction."


def test_a_change_by_queryset_update_shows_once_it_says_so(client, cycle):
    """``update()`` sends no signal: the code that makes one calls content_changed()."""
    MilestoneFactory(cycle=cycle, title="Goal work", kind=Milestone.Kind.GOAL_WORK)
    assert "Goal work" in timeline(client, cycle)

    Milestone.objects.filter(cycle=cycle).update(title="Work on the goals together")
    content_cache.content_changed()

    assert "Work on the goals together" in timeline(client, cycle)


@pytest.mark.django_db(transaction=True)
def test_content_read_by_a_transaction_that_rolls_back_reaches_nobody(cycle):
    """The writing transaction sees its own change and keeps nothing of it, so after
    the rollback every page still shows the committed content."""
    program = cycle.program
    assert selectors.programs()[0].description != "Never committed."

    with pytest.raises(RuntimeError), transaction.atomic():
        program.description = "Never committed."
        program.save()
        assert selectors.programs()[0].description == "Never committed."
        raise RuntimeError("rolled back")

    assert selectors.programs()[0].description != "Never committed."


def _version_reads(monkeypatch) -> list:
    """Every read of a content version from the cache (one entry a round trip)."""
    from django.core.cache import cache

    reads = []
    get, get_many = cache.get, cache.get_many

    def counted_get(key, *args, **kwargs):
        if str(key).endswith(":version"):
            reads.append([key])
        return get(key, *args, **kwargs)

    def counted_get_many(keys, *args, **kwargs):
        if any(str(k).endswith(":version") for k in keys):
            reads.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    return reads


def test_a_page_reads_every_contents_version_in_one_round_trip(client, cycle, monkeypatch):
    from tests.factories import verified_user

    client.force_login(verified_user(is_staff=True, is_superuser=True))
    url = reverse("admin:applications_application_changelist")
    client.get(url)  # every content read once in this process: their names are known
    reads = _version_reads(monkeypatch)

    assert client.get(url).status_code == 200

    assert len(reads) == 1
    assert {"program-content:version"} < {str(k).rsplit(":", 2)[-2] + ":version" for k in reads[0]}


def test_a_request_reads_its_own_change_and_a_task_reads_every_change(cycle):
    from django.core.cache import cache

    content_cache._begin_request()
    try:
        before = content_cache._version(content_cache.PROGRAMS)
        # Another process's change is not seen by a request under way...
        cache.set("program-content:version", before + 1, timeout=None)
        assert content_cache._version(content_cache.PROGRAMS) == before
        # ... its own is.
        content_cache.content_changed()
        mine = content_cache._version(content_cache.PROGRAMS)
        assert mine not in (before, before + 1)
    finally:
        content_cache._end_request()
    # Outside a request (a task, a command), each read asks the cache.
    cache.set("program-content:version", mine + 7, timeout=None)
    assert content_cache._version(content_cache.PROGRAMS) == mine + 7
