"""The programs' content, the same for every visitor, kept in the shared cache until staff
change it.

Programs, their objectives and committees, cycles, milestones and events change a few
times a year and are read by nearly every page. One copy is kept under a version that
every change replaces (:func:`content_changed`): a model signal for each save and delete,
and the code that writes them in bulk (which sends no signal) calls it itself; a queryset
``update()`` must call it too. Inside a transaction the version is replaced when it
commits, and the writing transaction meanwhile reads the content from the database, so
nothing a rollback undoes is ever kept. The version is read before the rows: rows read
just before a change are kept under a version nobody reads any more.

Nothing personal is kept here. The cache may be down or slow: every read then goes to
the database (the backend fails open, ``mentoring.fail_open``), and a copy kept before an
outage lasts at most :data:`TIMEOUT`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

VERSION_KEY = "program-content:version"
# A change made while the cache could not be told shows after this long at the latest.
TIMEOUT = 10 * 60


def _version() -> int | None:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never a number used before, even after the cache lost the key.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def program_content(load: Callable[[], T]) -> T:
    """What ``load`` returns, from the cache while the content is unchanged."""
    version = _version()
    if version is None or _changed_in_this_transaction():
        # The cache does not answer; or this transaction changed the content, which
        # nobody else may see before it commits: straight from the database.
        return load()
    key = f"program-content:{version}"
    found = cache.get(key)
    if found is None:
        found = load()
        cache.set(key, found, timeout=TIMEOUT)
    return found


def _renew() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


class _RenewOnCommit:
    def __call__(self) -> None:
        _renew()


def _in_transaction(conn) -> bool:
    # The transaction a test runs in (Django's TestCase) stands for autocommit.
    return any(not block._from_testcase for block in conn.atomic_blocks)


def _changed_in_this_transaction() -> bool:
    conn = transaction.get_connection()
    # A rollback (to a savepoint, too) drops the callbacks registered inside it.
    return _in_transaction(conn) and any(
        isinstance(hook, _RenewOnCommit) for _, hook, _ in conn.run_on_commit
    )


def content_changed() -> None:
    """The next read of the content goes to the database: at once, or when the writing
    transaction commits (until then only it reads the content, from the database)."""
    conn = transaction.get_connection()
    if _in_transaction(conn):
        transaction.on_commit(_RenewOnCommit())
    else:
        _renew()


def _changed(**kwargs) -> None:
    content_changed()


def connect_signals() -> None:
    from .models import Committee, Cycle, Event, Milestone, Program, ProgramObjective

    for model in (Program, ProgramObjective, Committee, Cycle, Milestone, Event):
        uid = f"program-content-{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=uid)
