"""The admin in the program's time zone: a time typed for a program in Los Angeles is
stored as Los Angeles time and shown back the same, while the site's zone is Chicago."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from committee.time_zones import program_path
from goals.models import Goal
from mentoring.models import Event, Program
from tests.factories import CycleFactory, EventFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True, time_zone="America/New_York")
    client.force_login(user)
    return user


@pytest.fixture
def west():
    return CycleFactory(program=ProgramFactory(time_zone="America/Los_Angeles"))


def event_form(event, day: dt.date, at: str) -> dict:
    return {
        "cycle": event.cycle_id,
        "kind": event.kind,
        "title_en": event.title,
        "title_es": "",
        "description_en": "",
        "description_es": "",
        "starts_at_0": day.isoformat(),
        "starts_at_1": at,
        "ends_at_0": day.isoformat(),
        "ends_at_1": "23:00:00",
        "time_zone": event.time_zone,
        "location_en": "Online",
        "location_es": "",
        "join_url": "",
        "recording_url": "",
    }


def test_a_time_typed_in_admin_is_the_program_s_time_and_shown_back_the_same(
    client, staff, west, settings
):
    assert settings.TIME_ZONE == "America/Chicago"
    event = EventFactory(cycle=west, time_zone="America/Los_Angeles")
    url = reverse("admin:mentoring_event_change", args=[event.pk])
    day = west.starts_on + dt.timedelta(days=20)

    response = client.post(url, event_form(event, day, "09:30:00"))

    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.starts_at == dt.datetime.combine(day, dt.time(9, 30), tzinfo=LA)
    page = client.get(url).content.decode()
    assert 'name="starts_at_1" value="09:30:00"' in page
    assert "Dates and times are in America/Los_Angeles, the program's time zone." in page
    offset = int(dt.datetime.now(LA).utcoffset().total_seconds())
    assert f'data-admin-utc-offset="{offset}"' in page  # the admin's "Now" is the program's


def test_an_add_page_starts_in_the_chosen_cycle_s_program_zone(client, staff, west):
    event = Event(cycle=west, kind=Event.Kind.WEBINAR, title="Welcome", time_zone=str(LA))
    day = west.starts_on + dt.timedelta(days=3)

    response = client.post(reverse("admin:mentoring_event_add"), event_form(event, day, "18:00:00"))

    assert response.status_code == 302, response.content.decode()[:3000]
    created = Event.objects.get(title="Welcome")
    assert created.starts_at == dt.datetime.combine(day, dt.time(18), tzinfo=LA)
    page = client.get(reverse("admin:mentoring_event_add") + f"?cycle={west.pk}").content.decode()
    assert "Dates and times are in America/Los_Angeles" in page
    # The event's own zone starts as the program's (the model's default is Chicago).
    assert '<option value="America/Los_Angeles" selected>' in page or (
        'name="time_zone" value="America/Los_Angeles"' in page
    )


def test_an_event_elsewhere_is_typed_and_shown_in_its_own_zone(client, staff, west):
    # A conference session in New York, for a program in Los Angeles: 9:00 is New York's.
    new_york = ZoneInfo("America/New_York")
    event = EventFactory(cycle=west, time_zone=str(new_york))
    url = reverse("admin:mentoring_event_change", args=[event.pk])
    day = west.starts_on + dt.timedelta(days=20)

    response = client.post(url, event_form(event, day, "09:00:00"))

    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.starts_at == dt.datetime.combine(day, dt.time(9), tzinfo=new_york)
    assert event.ends_at == dt.datetime.combine(day, dt.time(23), tzinfo=new_york)
    page = client.get(url).content.decode()
    assert 'name="starts_at_1" value="09:00:00"' in page
    assert "its start and end above are in this time zone" in page
    listed = client.get(reverse("admin:mentoring_event_changelist")).content.decode()
    assert "9:00 AM" in listed  # the list shows it where it takes place too


def test_a_list_filtered_to_a_program_is_in_its_zone_and_the_rest_in_the_shared_one(
    client, staff, west
):
    chicago = CycleFactory()
    events = reverse("admin:mentoring_event_changelist")

    filtered = client.get(f"{events}?cycle__program__id__exact={west.program_id}")
    assert "Dates and times are in America/Los_Angeles" in filtered.content.decode()
    # Programs in two zones and nothing to choose one: the staff member's own zone.
    mixed = client.get(f"{events}?cycle__program__id__exact={chicago.program_id}")
    assert "Dates and times are in America/Chicago" in mixed.content.decode()
    assert "in America/Los_Angeles" in client.get(f"{events}?cycle_id={west.pk}").content.decode()
    everything = client.get(events)
    assert "Dates and times are in America/New_York" in everything.content.decode()


def test_a_program_is_found_along_the_foreign_keys():
    assert program_path(Program) == ()
    assert program_path(Event) == ("cycle", "program")
    assert program_path(Goal)[-2:] == ("cycle", "program")
