"""Copying a cycle into the next year (the admin action)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import Cycle
from mentoring.services import cycle_copy_to_next_year, shift_date_by_years
from tests.factories import EventFactory, seed_calendar_cycle, verified_user

pytestmark = pytest.mark.django_db


def test_copy_shifts_every_milestone_and_event_by_one_year():
    cycle = seed_calendar_cycle(2026)
    tz = ZoneInfo("America/Chicago")
    EventFactory(
        cycle=cycle,
        title="Networking",
        starts_at=dt.datetime(2027, 1, 20, 18, tzinfo=tz),
        ends_at=dt.datetime(2027, 1, 20, 19, tzinfo=tz),
        recording_url="https://video.example.org/2027",
    )

    new = cycle_copy_to_next_year(cycle=cycle)

    assert new.name == "2027-2028"
    assert new.applications_open_on == dt.date(2027, 9, 1)
    assert new.ends_on == dt.date(2028, 6, 30)
    old_milestones = {m.kind: m for m in cycle.milestones.all()}
    assert new.milestones.count() == len(old_milestones)
    for m in new.milestones.all():
        old = old_milestones[m.kind]
        assert m.starts_on == old.starts_on.replace(year=old.starts_on.year + 1)
        assert m.ends_on == old.ends_on.replace(year=old.ends_on.year + 1)
    (event,) = new.events.all()
    # Same wall-clock time a year later, recording left for the new session.
    assert event.local_starts_at.replace(tzinfo=None) == dt.datetime(2028, 1, 20, 18)
    assert event.recording_url == ""


def test_copy_refuses_when_next_year_exists():
    cycle = seed_calendar_cycle(2026)
    cycle_copy_to_next_year(cycle=cycle)

    with pytest.raises(ValidationError, match="already exists"):
        cycle_copy_to_next_year(cycle=cycle)


def test_leap_day_becomes_february_28():
    assert shift_date_by_years(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)


def test_staff_copy_a_cycle_from_the_admin(client):
    cycle = seed_calendar_cycle(2026)
    client.force_login(verified_user(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:mentoring_cycle_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [cycle.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Cycle.objects.filter(program=cycle.program, name="2027-2028").exists()
    assert "Created" in response.content.decode()


def test_a_cycle_years_old_is_copied_to_a_chosen_year_in_one_step(client):
    old = seed_calendar_cycle(2019)
    tz = ZoneInfo("America/Chicago")
    EventFactory(
        cycle=old,
        title="Networking",
        starts_at=dt.datetime(2020, 1, 20, 18, tzinfo=tz),
        ends_at=dt.datetime(2020, 1, 20, 19, tzinfo=tz),
    )
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    url = reverse("admin:mentoring_cycle_copy", args=[old.pk])

    form = client.get(url)
    response = client.post(url, {"year": 2026}, follow=True)

    assert form.status_code == 200 and 'name="year"' in form.content.decode()
    new = Cycle.objects.get(program=old.program, name="2026-2027")
    assert response.redirect_chain[-1][0] == reverse("admin:mentoring_cycle_change", args=[new.pk])
    assert (new.applications_open_on, new.ends_on) == (dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    assert {m.starts_on.year for m in new.milestones.all()} == {2026, 2027}
    (event,) = new.events.all()
    assert event.local_starts_at.replace(tzinfo=None) == dt.datetime(2027, 1, 20, 18)


def test_copying_to_a_year_that_has_its_cycle_says_so_beside_the_year(client):
    cycle = seed_calendar_cycle(2026)
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    url = reverse("admin:mentoring_cycle_copy", args=[cycle.pk])

    same = client.post(url, {"year": 2026})
    bad = client.post(url, {"year": "next"})

    assert "already begins in 2026" in same.content.decode()
    assert "Enter a whole number." in bad.content.decode()
    assert Cycle.objects.filter(program=cycle.program).count() == 1


def test_only_staff_who_may_add_cycles_copy_them(client):
    cycle = seed_calendar_cycle(2026)
    client.force_login(verified_user(is_staff=True))

    response = client.post(reverse("admin:mentoring_cycle_copy", args=[cycle.pk]), {"year": 2030})

    assert response.status_code == 403
    assert Cycle.objects.filter(program=cycle.program).count() == 1


def test_a_grace_date_staff_set_moves_with_the_copy():
    cycle = seed_calendar_cycle(2026)
    Cycle.objects.filter(pk=cycle.pk).update(outcomes_close_on=dt.date(2027, 8, 15))
    cycle.refresh_from_db()

    new = cycle_copy_to_next_year(cycle=cycle)

    assert new.outcomes_close_on == dt.date(2028, 8, 15)
    assert new.outcomes_until == dt.date(2028, 8, 15)
