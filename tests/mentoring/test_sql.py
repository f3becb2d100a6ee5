"""SQL written out (mentoring/sql.py) reads back what the ORM reads, on either database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from applications.models import Application
from mentoring import sql
from tests.factories import ApplicationFactory, InterestFactory

pytestmark = pytest.mark.django_db

NAMES = ("communication_methods", "anonymised_at", "in_person_ok", "submitted_at", "cycle")


def test_a_row_read_is_what_the_orm_reads_and_builds_the_same_instance():
    application = ApplicationFactory(
        communication_methods=["email", "phone"],
        in_person_ok=True,
        anonymised_at=timezone.now() - dt.timedelta(days=3),
    )
    fields = sql.model_fields(Application, NAMES)
    query = (
        f"SELECT {sql.columns(fields)} FROM {sql.table(Application)} "
        f"WHERE {sql.column(Application, 'id')} = %s"
    )

    (row,) = sql.read(query, [application.pk], fields)

    expected = Application.objects.values_list(*(f.attname for f in fields)).get(pk=application.pk)
    assert row == expected
    assert row[fields.index(Application._meta.get_field("communication_methods"))] == [
        "email",
        "phone",
    ]
    assert all(timezone.is_aware(v) for v in row if isinstance(v, dt.datetime))
    built = Application.from_db("default", [f.attname for f in fields], row)
    assert (built.pk, built.communication_methods, built.in_person_ok, built.is_anonymised) == (
        application.pk,
        ["email", "phone"],
        True,
        True,
    )


def test_an_id_array_lists_the_ids_a_subquery_selects_and_none_as_an_empty_list():
    chosen = ApplicationFactory()
    chosen.interests.set([InterestFactory(program=chosen.cycle.program) for _ in range(3)])
    none_chosen = ApplicationFactory(cycle=chosen.cycle)
    through = Application.interests.through
    ids = sql.id_array(
        f"SELECT {sql.column(through, 'interest')} FROM {sql.table(through)} "
        f"WHERE {sql.column(through, 'application')} = {sql.column(Application, 'id', 'a')}",
        through._meta.get_field("interest").column,
    )
    query = (
        f"SELECT {sql.column(Application, 'id', 'a')}, {ids} FROM {sql.table(Application, 'a')} "
        f"WHERE {sql.column(Application, 'id', 'a')} IN ({sql.placeholders([1, 2])})"
    )

    rows = sql.read(query, [chosen.pk, none_chosen.pk], [None, None])

    found = {pk: sorted(sql.id_list(value)) for pk, value in rows}
    assert found == {
        chosen.pk: sorted(i.pk for i in chosen.interests.all()),
        none_chosen.pk: [],
    }


def test_an_instance_is_built_from_the_values_read_for_its_fields_as_the_orm_builds_it():
    fields = sql.model_fields(Application, ["full_name", "role"])
    built = sql.instance(Application, fields, [7, "mentor", "Ada Lovelace"])

    assert fields.attnames == ["id", "role", "full_name"]  # the model's order, not the names'
    assert (built.pk, built.full_name, built.role) == (7, "Ada Lovelace", "mentor")
    assert not built._state.adding and built._state.db == "default"


def test_linked_rows_build_each_instance_with_its_related_one_as_select_related_does():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.models import Cycle

    application = ApplicationFactory()
    fields, related = sql.model_fields(Application), sql.model_fields(Cycle)
    query = (
        f"SELECT {sql.columns(fields, 'a')}, {sql.columns(related, 'c')} "
        f"FROM {sql.table(Application, 'a')} INNER JOIN {sql.table(Cycle, 'c')} "
        f"ON {sql.column(Cycle, 'id', 'c')} = {sql.column(Application, 'cycle', 'a')} "
        f"WHERE {sql.column(Application, 'id', 'a')} = %s"
    )
    rows = sql.read(query, [application.pk], (*fields, *related))

    (built,) = sql.linked(rows, Application.cycle.field, fields, related)

    expected = Application.objects.select_related("cycle").get(pk=application.pk)
    with CaptureQueriesContext(connection) as asked:
        assert (built.pk, built.full_name, built.cycle.pk, built.cycle.name) == (
            expected.pk,
            expected.full_name,
            expected.cycle.pk,
            expected.cycle.name,
        )
    assert not asked.captured_queries  # the cycle came with the row
    assert not built._state.adding
