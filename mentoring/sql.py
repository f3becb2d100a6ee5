"""Query expressions read the same on PostgreSQL and on SQLite (``make run``'s demo).

PostgreSQL reads a list of ids with its row as ``ARRAY(subquery)`` and finds rows by a
list through an index with ``= ANY(ARRAY(subquery))``; SQLite has neither, and gets the
same answer from ``JSON_GROUP_ARRAY`` and ``IN (subquery)``. Each expression says which
SQL each database gets, so no caller asks which database it runs on."""

from __future__ import annotations

import json

from django.db import models
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
