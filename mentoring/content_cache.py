"""The programs' content, the same for every visitor, kept in the shared cache until staff
change it.

Programs, their objectives and committees, cycles, milestones and events change a few
times a year and are read by nearly every page. One copy is kept under a version that
every change replaces (:func:`content_changed`): a model signal for each save and delete,
and the code that writes them in bulk (which sends no signal) calls it itself; a queryset
``update()`` must call it too. Inside a transaction the version is replaced at once and
again when it commits, and the writing transaction meanwhile reads the content from the
database, so nothing a rollback undoes is ever kept. The version is read before the
rows: rows read just before a change are kept under a version nobody reads any more.

Nothing personal is kept here. The cache may be down or slow: every read then goes to
the database (the backend fails open, ``mentoring.fail_open``), and a copy kept before an
outage lasts at most :data:`TIMEOUT`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

# The programs' own content; an app above keeps its own under a name of its own (the
# activities catalog), with the same rules.
PROGRAMS = "program-content"
# A change made while the cache could not be told shows after this long at the latest.
TIMEOUT = 10 * 60


# The last copy each process unpickled, under its version: rebuilding the catalog's model
# objects from the cache took longer than the rest of a page. The version is still read
# from the cache on every call, so a change shows in every process at once. Read-only:
# nothing may change these objects (they are every request's).
_held: dict[str, tuple[str, object]] = {}


# Each content's version as this request first read it: a page reads programs, choices
# and the catalog several times, and asking the cache each time cost a round trip each.
# A request sees the content as it was when it began (as a transaction would); the next
# request sees any change. Only inside a request (a task or a command reads afresh
# every time), and a change this request makes drops its content's version from here.
_this_request = threading.local()
# Every content name read so far in this process: their versions come in one round trip.
_names: set[str] = set()


def _begin_request(**kwargs) -> None:
    _this_request.versions = {}


def _end_request(**kwargs) -> None:
    _this_request.versions = None


request_started.connect(_begin_request, dispatch_uid="content-cache-begin")
request_finished.connect(_end_request, dispatch_uid="content-cache-end")


def _version_key(name: str) -> str:
    return f"{name}:version"


def _version(name: str = PROGRAMS) -> int | None:
    read = getattr(_this_request, "versions", None)
    if read is not None and name in read:
        return read[name]
    _names.add(name)
    names = sorted(_names - read.keys()) if read is not None else [name]
    found = cache.get_many([_version_key(n) for n in names])
    key = _version_key(name)
    version = found.get(key)
    if version is None:
        # Never a number used before, even after the cache lost the key.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
        found[key] = version
    if read is not None:
        read.update({n: found[_version_key(n)] for n in names if _version_key(n) in found})
        read[name] = version
    return version


def kept(name: str, load: Callable[[], T]) -> T:
    """What ``load`` returns, from the cache while the content ``name`` is unchanged."""
    version = _version(name)
    if version is None or _changed_in_this_transaction(name):
        # The cache does not answer; or this transaction changed the content, which
        # nobody else may see before it commits: straight from the database.
        return load()
    key = f"{name}:{version}"
    held = _held.get(name)
    if held is not None and held[0] == key:
        return held[1]
    found = cache.get(key)
    if found is None:
        found = load()
        cache.set(key, found, timeout=TIMEOUT)
    _held[name] = (key, found)
    return found


def program_content(load: Callable[[], T]) -> T:
    return kept(PROGRAMS, load)


def _renew(name: str) -> None:
    cache.set(_version_key(name), time.time_ns(), timeout=None)
    read = getattr(_this_request, "versions", None)
    if read is not None:
        read.pop(name, None)  # this request reads its own change


class _RenewOnCommit:
    def __init__(self, name: str):
        self.name = name

    def __call__(self) -> None:
        _renew(self.name)


def _in_transaction(conn) -> bool:
    # The transaction a test runs in (Django's TestCase) stands for autocommit.
    return any(not block._from_testcase for block in conn.atomic_blocks)


def _changed_in_this_transaction(name: str) -> bool:
    conn = transaction.get_connection()
    # A rollback (to a savepoint, too) drops the callbacks registered inside it.
    return _in_transaction(conn) and any(
        isinstance(hook, _RenewOnCommit) and hook.name == name for _, hook, _ in conn.run_on_commit
    )


def content_changed(name: str = PROGRAMS) -> None:
    """The next read of the content ``name`` goes to the database: at once, and again
    when the writing transaction commits, since another process may have read the old
    rows in between. Until the commit the writing transaction reads the content from the
    database and keeps none of it, so nothing a rollback undoes is ever kept."""
    _renew(name)
    conn = transaction.get_connection()
    if _in_transaction(conn):
        transaction.on_commit(_RenewOnCommit(name))


def connect_signals(name: str, models) -> None:
    """Every save and delete of these models (and a change of their many-to-many
    relations) changes the content ``name``."""

    def changed(**kwargs) -> None:
        content_changed(name)

    for model in models:
        uid = f"{name}-{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                changed, sender=field.remote_field.through, weak=False, dispatch_uid=uid
            )


def connect_program_signals() -> None:
    from .models import Committee, Cycle, Event, Milestone, Program, ProgramObjective

    connect_signals(PROGRAMS, [Program, ProgramObjective, Committee, Cycle, Milestone, Event])
