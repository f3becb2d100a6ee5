"""Factories of the program core. Timelines are built relative to today."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from mentoring.models import Cycle, Event, Milestone, Program, User
from mentoring.roles import Role, role_group

__all__ = [
    "UserFactory",
    "ProgramFactory",
    "CycleFactory",
    "MilestoneFactory",
    "EventFactory",
    "verified_user",
    "role_user",
    "seed_calendar_cycle",
    "cycle_under_way",
]

PASSWORD = "a-Long-test-passphrase-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    preferred_name = ""
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


def verified_user(**kwargs) -> User:
    """A person who can sign in: their address is verified, as allauth requires."""
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def role_user(role: Role, *, reviews: tuple[Cycle, ...] = (), **kwargs) -> User:
    """A committee member in ``role`` (mentoring/roles.py), assigned to review ``reviews``."""
    user = verified_user(is_staff=True, **kwargs)
    user.groups.add(role_group(role))
    for cycle in reviews:
        cycle.reviewers.add(user)
    return user


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Program {n} Mentoring Program")
    short_name = factory.Sequence(lambda n: f"P{n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    organization = "Association for Library Service to Children"
    description = "Pairs people new to the profession with experienced colleagues."
    contact_email = "program@example.org"
    time_zone = "America/Chicago"


def _today() -> dt.date:
    return timezone.localdate(timezone.now(), ZoneInfo("America/Chicago"))


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle whose application window is open today, and whose program year follows."""

    class Meta:
        model = Cycle

    program = factory.SubFactory(ProgramFactory)
    # Years past any the program content or the test world names ("2019-2020",
    # "2026-2027"): a test's cycle in a loaded program would otherwise, on whichever
    # worker its sequence reaches them, take a slug already taken.
    name = factory.Sequence(lambda n: f"{2100 + n}-{2101 + n}")
    slug = factory.LazyAttribute(lambda o: o.name)
    applications_open_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=10))
    applications_close_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=20))
    starts_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=40))
    ends_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=300))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    cycle = factory.SubFactory(CycleFactory)
    kind = Milestone.Kind.OTHER
    title = factory.Sequence(lambda n: f"Milestone {n}")
    starts_on = factory.LazyAttribute(lambda o: o.cycle.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=7))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    cycle = factory.SubFactory(CycleFactory)
    kind = Event.Kind.WEBINAR
    title = factory.Sequence(lambda n: f"Webinar {n}")
    time_zone = "America/Chicago"
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(
            o.cycle.starts_on + dt.timedelta(days=14), dt.time(13, 0), tzinfo=ZoneInfo(o.time_zone)
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    location = "Online"


SEED_CALENDAR = [
    # (kind, start, end) relative to the program year Y as seed 004 lays it out.
    (Milestone.Kind.APPLICATIONS, (0, 9, 1), (0, 9, 30)),
    (Milestone.Kind.NOTIFICATIONS, (0, 11, 1), (0, 11, 30)),
    (Milestone.Kind.INTRODUCTIONS, (0, 11, 1), (0, 12, 31)),
    (Milestone.Kind.NETWORKING, (1, 1, 1), (1, 1, 31)),
    (Milestone.Kind.GOAL_WORK, (0, 12, 1), (1, 6, 30)),
    (Milestone.Kind.CONCLUSION, (1, 6, 30), (1, 6, 30)),
]


def cycle_under_way(program: Program | None = None, **fields) -> Cycle:
    """A program year that started a month ago (applications closed two months ago) and
    runs for another eight months, in the program's own calendar."""
    program = program or ProgramFactory()
    today = program.today()
    return CycleFactory(
        program=program,
        **{
            "applications_open_on": today - dt.timedelta(days=90),
            "applications_close_on": today - dt.timedelta(days=60),
            "starts_on": today - dt.timedelta(days=30),
            "ends_on": today + dt.timedelta(days=250),
            **fields,
        },
    )


def seed_calendar_cycle(year: int, program: Program | None = None) -> Cycle:
    """A cycle laid out as seed 004's calendar for the program year starting in ``year``."""
    cycle = CycleFactory(
        program=program or ProgramFactory(),
        name=f"{year}-{year + 1}",
        applications_open_on=dt.date(year, 9, 1),
        applications_close_on=dt.date(year, 9, 30),
        starts_on=dt.date(year, 11, 1),
        ends_on=dt.date(year + 1, 6, 30),
    )
    for kind, (sy, sm, sd), (ey, em, ed) in SEED_CALENDAR:
        MilestoneFactory(
            cycle=cycle,
            kind=kind,
            title=Milestone.Kind(kind).label,
            starts_on=dt.date(year + sy, sm, sd),
            ends_on=dt.date(year + ey, em, ed),
        )
    return cycle
