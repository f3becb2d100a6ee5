"""Alumni: when the program's next year opens for applications, last year's concluded
mentees are invited (once, as a reminder they may turn off) to apply as mentors, and
mentors to mentor again; the application they start is filled in from last year's; the
committee's home and the health page count the people who come back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application, Interest
from matches.models import Match
from mentoring.models import Delivery
from newsletter.reminders import reminders_send
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    EmailPreferenceFactory,
    InterestFactory,
    MatchFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(time_zone="America/Chicago", short_name="ALSC", name="ALSC Program")


@pytest.fixture
def today(program) -> dt.date:
    return program.today()


@pytest.fixture
def last_year(program, today):
    """Ended two months ago."""
    return CycleFactory(
        program=program,
        name="2025-2026",
        # Not a slug the factory's sequence makes (its cycles are "2100-2101" onwards),
        # whatever number of cycles the tests before this one made.
        slug="last-year",
        applications_open_on=today - dt.timedelta(days=400),
        applications_close_on=today - dt.timedelta(days=380),
        starts_on=today - dt.timedelta(days=360),
        ends_on=today - dt.timedelta(days=60),
    )


@pytest.fixture
def next_year(program, today):
    """Applications open from tomorrow for three weeks."""
    return CycleFactory(
        program=program,
        name="2026-2027",
        slug="next-year",  # like last_year's: out of the factory sequence's way
        applications_open_on=today + dt.timedelta(days=1),
        applications_close_on=today + dt.timedelta(days=21),
        starts_on=today + dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=300),
    )


def at(program, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=program.tz)


def invited() -> list[str]:
    return sorted(
        Delivery.objects.filter(kind="reminder.alumni").values_list("to_email", flat=True)
    )


def test_concluded_partners_are_invited_once_when_the_next_year_opens(
    program, today, last_year, next_year, django_capture_on_commit_callbacks
):
    concluded = MatchFactory(cycle=last_year, status=Match.Status.CONCLUDED)
    MatchFactory(cycle=last_year, status=Match.Status.DISSOLVED, dissolved_reason="Moved")
    already = MatchFactory(cycle=last_year, status=Match.Status.CONCLUDED)
    ApplicationFactory(cycle=next_year, applicant=already.mentee.applicant, mentor=True)
    quiet = MatchFactory(cycle=last_year, status=Match.Status.CONCLUDED)
    EmailPreferenceFactory(user=quiet.mentee.applicant, reminders=False)

    before = reminders_send(now=at(program, today)).get("alumni", 0)
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(now=at(program, today + dt.timedelta(days=1)))
    again = reminders_send(now=at(program, today + dt.timedelta(days=2)))

    assert before == 0
    assert first["alumni"] == 4 and "alumni" not in again
    assert invited() == sorted(
        [
            concluded.mentee.applicant.email,
            concluded.mentor.applicant.email,
            already.mentor.applicant.email,
            quiet.mentor.applicant.email,
        ]
    )
    to_mentee = next(m for m in mail.outbox if m.to == [concluded.mentee.applicant.email])
    assert to_mentee.subject == "Come back as a mentor: ALSC 2026-2027 applications are open"
    assert "You took part as a mentee in 2025-2026" in to_mentee.body
    apply_url = reverse("applications:apply", args=[program.slug, "mentor"])
    assert apply_url in to_mentee.body
    assert to_mentee.alternatives and "Apply as a mentor" in to_mentee.alternatives[0][0]
    to_mentor = next(m for m in mail.outbox if m.to == [concluded.mentor.applicant.email])
    assert to_mentor.subject.startswith("Mentor again:")
    assert "List-Unsubscribe" in to_mentor.extra_headers


def test_the_mentor_application_is_filled_in_from_last_year_s_and_stays_editable(
    client, program, today, last_year
):
    storytime = InterestFactory(program=program, kind=Interest.Kind.COMPETENCY, name="Storytime")
    retired = InterestFactory(program=program, name="Retired topic", is_active=False)
    match = MatchFactory(cycle=last_year, status=Match.Status.CONCLUDED)
    mentee = match.mentee
    mentee.organization = "Toledo Lucas County Public Library"
    mentee.communication_methods = ["phone", "chat"]
    mentee.in_person_ok = True
    mentee.save()
    mentee.interests.set([storytime, retired])
    CycleFactory(  # the next year, open today
        program=program,
        applications_open_on=today,
        applications_close_on=today + dt.timedelta(days=20),
        starts_on=today + dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=300),
    )
    client.force_login(mentee.applicant)

    response = client.get(reverse("applications:apply", args=[program.slug, "mentor"]))

    form = response.context["form"]
    assert form.initial["organization"] == "Toledo Lucas County Public Library"
    assert form.initial["interests"] == [str(storytime.pk)]  # the retired one left out
    assert form.initial["communication_methods"] == ["phone", "chat"]
    assert form.initial["in_person_ok"] is True
    page = " ".join(response.content.decode().split())
    assert 'value="Toledo Lucas County Public Library"' in page
    assert "from your mentee application for 2025-2026" in page
    # Every answer stays editable (the address is the account's, changed there).
    assert {name for name, field in form.fields.items() if field.disabled} == {"email"}


def test_the_prefill_reads_last_year_s_interests_and_ways_to_talk(program, today, last_year):
    from applications.selectors import application_prefill

    storytime = InterestFactory(program=program, kind=Interest.Kind.COMPETENCY)
    application = ApplicationFactory(
        cycle=last_year, communication_methods=["phone"], in_person_ok=True
    )
    application.interests.set([storytime])

    values, previous = application_prefill(application.applicant, program)

    assert previous == application
    assert values["interests"] == [str(storytime.pk)]
    assert values["communication_methods"] == ["phone"]
    assert values["in_person_ok"] is True
    assert values["organization"] == application.organization


def test_the_committee_home_and_the_health_page_count_returning_people(
    client, program, today, last_year
):
    this_year = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=5),
        applications_close_on=today + dt.timedelta(days=20),
        starts_on=today + dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=300),
    )
    old = MatchFactory(cycle=last_year, status=Match.Status.CONCLUDED)
    ApplicationFactory(cycle=this_year, applicant=old.mentee.applicant, mentor=True)
    ApplicationFactory(cycle=this_year, applicant=old.mentor.applicant, mentor=True)
    ApplicationFactory(cycle=this_year)  # new
    ApplicationFactory(
        cycle=this_year,
        applicant=UserFactory(),
        status=Application.Status.DRAFT,
        submitted_at=None,
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    home = client.get(reverse("admin:index")).content.decode()
    health = client.get(
        reverse("admin:evaluation_programhealth_health", args=[this_year.pk])
    ).content.decode()

    assert "Returning people: <strong>2</strong>" in home
    assert "of whom 1 were mentees" in home
    assert "<dt>Returning people</dt><dd>2" in health


def test_returning_people_of_several_cycles_are_each_cycles_own(program, last_year, next_year):
    from matches.alumni import Returning, returning_by_cycle

    other_program = ProgramFactory(slug="alcts-alumni", short_name="ALCTS")
    elsewhere = CycleFactory(
        program=other_program,
        starts_on=next_year.starts_on,
        ends_on=next_year.ends_on,
    )
    old = MatchFactory(cycle=last_year, status=Match.Status.CONCLUDED)
    unfinished = MatchFactory(cycle=last_year, status=Match.Status.ACTIVE)
    # Back in their own program: the mentee as a mentor, the mentor as a mentor.
    ApplicationFactory(cycle=next_year, applicant=old.mentee.applicant, mentor=True)
    ApplicationFactory(cycle=next_year, applicant=old.mentor.applicant, mentor=True)
    # Not returning: a match not concluded, and an alumna applying in another program.
    ApplicationFactory(cycle=next_year, applicant=unfinished.mentee.applicant)
    ApplicationFactory(cycle=elsewhere, applicant=old.mentee.applicant)
    # Applying to the year they concluded in is not coming back.
    ApplicationFactory(cycle=last_year, applicant=old.mentee.applicant, mentor=True)

    found = returning_by_cycle([next_year, elsewhere, last_year])

    assert found[next_year.pk] == Returning(mentees=0, mentors=2, mentees_as_mentors=1)
    assert found[elsewhere.pk] == Returning()
    assert found[last_year.pk] == Returning()
    assert returning_by_cycle([]) == {}
