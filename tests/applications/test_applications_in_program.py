"""``applications_in_program`` (SQL written out) reads what the ORM query it replaces
reads: the person's applications to the program, latest changed first, each with its
cycle, in one query; on PostgreSQL and on SQLite (``make run``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Application
from applications.selectors import applications_in_program
from tests.factories import ApplicationFactory, CycleFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def as_the_orm_reads_them(user, program) -> list[Application]:
    return list(
        Application.objects.of_person(user)
        .filter(cycle__program=program)
        .select_related("cycle")
        .order_by("-updated_at")
    )


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_a_person_s_applications_to_the_program_are_what_the_orm_reads_latest_first():
    program, other = ProgramFactory(), ProgramFactory()
    person = UserFactory()
    earlier, current = CycleFactory(program=program), CycleFactory(program=program)
    old = ApplicationFactory(
        applicant=person,
        cycle=earlier,
        status=Application.Status.ACCEPTED,
        communication_methods=["email", "video"],
        in_person_ok=True,
        submitted_at=timezone.now() - dt.timedelta(days=400),
    )
    draft = ApplicationFactory(
        applicant=person, cycle=current, mentor=True, status=Application.Status.DRAFT
    )
    ApplicationFactory(applicant=person, cycle=CycleFactory(program=other))
    ApplicationFactory(cycle=current)  # someone else's
    Application.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=9))

    with CaptureQueriesContext(connection) as queries:
        found = applications_in_program(person, program)
        cycles = [a.cycle for a in found]
    expected = as_the_orm_reads_them(person, program)

    assert len(queries) == 1
    assert [a.pk for a in found] == [draft.pk, old.pk] == [a.pk for a in expected]
    assert [values(a) for a in found] == [values(a) for a in expected]
    assert [values(c) for c in cycles] == [values(a.cycle) for a in expected]
    assert found[1].communication_methods == ["email", "video"]
    assert all(timezone.is_aware(a.updated_at) for a in found)
    assert not found[0]._state.adding and found[0]._state.db == "default"


def test_nobody_signed_in_and_a_person_who_never_applied_have_none():
    program = ProgramFactory()
    ApplicationFactory(cycle=CycleFactory(program=program))

    assert applications_in_program(AnonymousUser(), program) == []
    assert applications_in_program(UserFactory(), program) == []
