"""Query expressions read the same on PostgreSQL and on SQLite (``make run``'s demo).

PostgreSQL reads a list of ids with its row as ``ARRAY(subquery)`` and finds rows by a
list through an index with ``= ANY(ARRAY(subquery))``; SQLite has neither, and gets the
same answer from ``JSON_GROUP_ARRAY`` and ``IN (subquery)``. Each expression says which
SQL each database gets, so no caller asks which database it runs on."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, models
from django.db.models import Lookup, Subquery


class _IdList(models.Field):
    """A list of ids read back as a list: PostgreSQL's arrays are lists already; SQLite
    hands a ``JSON_GROUP_ARRAY`` back as its text. Only ever computed, never a column."""

    def from_db_value(self, value, expression, connection):
        return json.loads(value) if isinstance(value, str) else value


class IdArray(Subquery):
    """The values of ``field`` that ``queryset`` selects (a correlated subquery, with
    ``OuterRef``), as a list beside each row: no query of their own; empty when there
    are none."""

    template = "ARRAY(%(subquery)s)"

    def __init__(self, queryset: models.QuerySet, field: str) -> None:
        self.column = field
        super().__init__(queryset.order_by().values(field), output_field=_IdList())

    def as_sqlite(self, compiler, connection, **extra):
        column = connection.ops.quote_name(self.column)
        template = f"(SELECT JSON_GROUP_ARRAY({column}) FROM (%(subquery)s))"
        return self.as_sql(compiler, connection, template=template, **extra)


class AnyOf(Lookup):
    """``AnyOf(F("column"), Subquery(...))``, in a filter: the rows whose column is one of
    the subquery's values. PostgreSQL reads ``= ANY(ARRAY(subquery))`` from the column's
    index (its ``IN (subquery)`` plan scans the table when two are joined with OR);
    elsewhere ``IN (subquery)``."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


# --- SQL written out ------------------------------------------------------------------------
#
# A page read on every visit (“My mentoring”) spends more time having the ORM compose its
# queries than the database spends answering them. These helpers let such a read write
# its SQL once, by the models' own table and column names, and still get its values back
# as the ORM would hand them (a JSON field parsed, a datetime aware on SQLite).


def column(model: type[models.Model], name: str, alias: str | None = None) -> str:
    """``"alias"."column"`` of the field ``name`` of ``model`` (its table by default)."""
    quote = connection.ops.quote_name
    return f"{quote(alias or model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"


def table(model: type[models.Model], alias: str | None = None) -> str:
    """``"table"`` or ``"table" "alias"``, for a FROM or a JOIN."""
    quote = connection.ops.quote_name
    name = quote(model._meta.db_table)
    return f"{name} {quote(alias)}" if alias else name


class Fields(tuple):
    """Fields of one model, in the order ``from_db`` builds an instance from a row's
    values, with their attribute names worked out once (:func:`instance`)."""

    def __new__(cls, fields: Iterable[models.Field]):
        read = super().__new__(cls, fields)
        read.attnames = [f.attname for f in read]
        return read


def model_fields(model: type[models.Model], names: Iterable[str] | None = None) -> Fields:
    """The primary key and the fields ``names`` (every one by default) of ``model``, in
    the order ``model.from_db`` builds an instance from a row's values."""
    wanted = None if names is None else set(names)
    return Fields(
        f
        for f in model._meta.concrete_fields
        if wanted is None or f.primary_key or f.name in wanted or f.attname in wanted
    )


def instance(model: type[models.Model], fields: Fields, values: Sequence):
    """``model`` as the ORM builds it from a row: ``values`` read for ``fields``
    (:func:`model_fields`), loaded from the database, not new."""
    return model.from_db(DEFAULT_DB_ALIAS, fields.attnames, values)


def linked(rows: Iterable[Sequence], key: models.ForeignKey, fields: Fields, related: Fields):
    """Each row's instance of ``key``'s model (its first values, for ``fields``), with
    the instance of the model ``key`` points to (the rest, for ``related``) cached on
    ``key``, as ``select_related`` leaves them."""
    split = len(fields)
    found = []
    for row in rows:
        obj = instance(key.model, fields, row[:split])
        key.set_cached_value(obj, instance(key.related_model, related, row[split:]))
        found.append(obj)
    return found


def columns(fields: Iterable[models.Field], alias: str | None = None) -> str:
    """``"alias"."column", ...`` of ``fields`` (of one model)."""
    return ", ".join(column(f.model, f.name, alias) for f in fields)


def placeholders(values: Sequence) -> str:
    """``%s, %s, %s``: one for each of ``values`` (an ``IN (...)`` list)."""
    return ", ".join(["%s"] * len(values))


def id_array(subquery: str, column: str) -> str:
    """The SQL of :class:`IdArray`, for a query written out: the values of ``column``
    that ``subquery`` selects, as a list beside each row (read it with :func:`id_list`)."""
    if connection.vendor == "postgresql":
        return f"ARRAY({subquery})"
    return f"(SELECT JSON_GROUP_ARRAY({column}) FROM ({subquery}))"


def any_of(column: str, subquery: str) -> str:
    """The SQL of :class:`AnyOf`, for a query written out: ``column`` (SQL) is one of the
    values ``subquery`` selects."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({subquery}))"
    return f"{column} IN ({subquery})"


def id_list(value) -> list[int]:
    """What :func:`id_array` selected, as a list."""
    if isinstance(value, str):
        return json.loads(value)
    return value or []


def read(sql: str, params: Sequence, fields: Sequence[models.Field | None]) -> list[tuple]:
    """The rows of ``sql``, each value converted as the ORM converts its ``fields``' (by
    position; None: as the database driver gives it)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters(tuple(fields), connection.vendor)
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, expression, functions in converters:
            value = row[position]
            for convert in functions:
                value = convert(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


@functools.cache
def _converters(fields: tuple[models.Field | None, ...], vendor: str) -> list[tuple]:
    # What the ORM's compiler applies to each column (SQLCompiler.get_converters), worked
    # out once a process for each kind of database. The backend's converters read only
    # the database's settings from their connection, the same for every connection to it.
    found = []
    for position, field in enumerate(fields):
        if field is None:
            continue
        expression = field.get_col(field.model._meta.db_table)
        functions = connection.ops.get_db_converters(expression)
        functions += expression.get_db_converters(connection)
        if functions:
            found.append((position, expression, functions))
    return found
