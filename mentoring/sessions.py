"""Sessions in the database, as Django's own store keeps them, read with SQL written out.

Every signed-in request reads its session before anything else. Composed by the ORM, that
one-row read cost about a quarter of a signed-in request to the smallest page, more than
the database took to answer it; written out it costs a third of that. The table, the
rows, the encoding and every other operation (save, delete, cycle the key, clear the
expired) stay Django's, so sessions made before and after read the same."""

from __future__ import annotations

import functools
from types import SimpleNamespace

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

__all__ = ["SessionStore"]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        connection = connections[router.db_for_read(Session)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(connection.alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key is forgotten, and the next
            # save makes a new one.
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])


@functools.cache
def _session_sql(alias: str) -> str:
    q = connections[alias].ops.quote_name
    meta = Session._meta
    column = {name: q(meta.get_field(name).column) for name in ("session_key", "expire_date")}
    return (
        f"SELECT {q(meta.get_field('session_data').column)} FROM {q(meta.db_table)} "
        f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
    )
