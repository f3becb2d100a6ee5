"""The pages people read most, kept rendered per person until what they show changes.

A page is read far more often than what it shows changes: a mentee opens My mentoring
and the goal sheet again and again, staff page through the same changelists. Rendering
them costs tens of milliseconds (the queries, the ORM, the templates); serving them
again costs one cache read. So a cacheable page (see :data:`SITE_PAGES`; and every admin
changelist) is kept, for the person and the exact URL, together with a token for each
database table its rendering read. It is served again only while every one of those
tables still has the same token.

The tokens are what makes this safe, so nothing has to remember to clear a page:

- Every statement that writes a table through Django's database connection (the ORM,
  ``update()``, bulk inserts, raw SQL, migrations, ``flush``) gives the table a new
  token (:func:`install`): when it commits, since nobody else sees the rows before;
  inside the writing transaction, at once, with tokens only that transaction holds
  (:class:`TablesChangedOnCommit`).
- Which tables a page read is not written down anywhere: it is recorded while the page
  renders, from the SQL it runs (:class:`_Reads`). Data the page took from another cache
  (the program content) says which tables it came from (:func:`read_tables`).
- The tokens are read *before* the page renders: a write that lands during the render
  changes a token after the one recorded, so the page stored is already out of date and
  is never served.

What else a page depends on is in its key: the person (and the fields of their account
a page shows), their CSRF secret (a form's token stays valid), the host, the full path
with its query, the time zone and language, and the quarter hour (a new day begins on
one, in every time zone). A page is never stored when rendering it wrote to the
database, changed the session, queued a message or set a cookie; it is never served
while a message waits to be shown.

Writes made outside Django (psql, another program) are not seen: clear the cache after
one. The tokens live in the shared cache, so this runs only with a shared cache (Redis);
with each process's own memory a write in one would not reach the others.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection, connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# The site's pages that are read again and again and only show what the database holds.
# Admin changelists are cacheable too (see :func:`is_cacheable`). Pages that do
# something on GET (a token link, the health check) are not here.
SITE_PAGES = frozenset(
    {
        "home",
        "timeline",
        "program_detail",
        "program_timeline",
        "cycle_timeline",
        "my_mentoring",
        "applications:mine",
        "applications:detail",
        "applications:apply",
        "matches:mine",
        "matches:detail",
        "goals:mine",
        "goals:sheet",
        "activities:catalog",
        "activities:activity_detail",
        "activities:reading_list",
        "activities:log",
        "newsletter:archive",
        "newsletter:issue",
    }
)
# Says how a cacheable page was served (hit, stored, rendered), for whoever looks into
# the site's speed.
HEADER = "X-Page-Cache"
# What pages show of time is dates (today, days left, due dates, the phase of the
# year), each in its program's time zone. Every time zone's midnight falls on a quarter
# hour of UTC, so a key that holds the quarter hour turns over exactly when any
# program's date does.
QUARTER_HOUR = 15 * 60
# A page nobody reads again leaves the cache soon after its quarter hour.
PAGE_TIMEOUT = QUARTER_HOUR + 60

_WRITE = re.compile(
    r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|ALTER\s+TABLE|DROP\s+TABLE|TRUNCATE(?:\s+TABLE)?)"
    r"\s+(.*)",
    re.IGNORECASE | re.DOTALL,
)
_NAME = re.compile(r'"([^"]+)"|^([A-Za-z_][\w]*)')
_QUOTED = re.compile(r'"([^"]+)"')

# Rebuilt when a test overrides a setting: a page rendered under other settings is
# another page.
_settings_generation = 0


def _settings_changed(**kwargs) -> None:
    global _settings_generation
    _settings_generation += 1


setting_changed.connect(_settings_changed, dispatch_uid="page-cache-settings")


def is_enabled() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return settings.PAGE_CACHE and not backend.endswith("LocMemCache")


# ---------------------------------------------------------------------------------------
# Table tokens


# A token that every write renews, whatever table it wrote.
ANY_TABLE = "*"


def _token_key(table: str) -> str:
    return f"page-table:{settings.DATABASES['default']['NAME']}:{table}"


def tables_changed(tables) -> None:
    """Give each table a token never used before."""
    tables = set(tables)
    if not tables:
        return
    try:
        # ANY_TABLE as well, in the same command: see PageCacheMiddleware.
        tokens = {_token_key(t): uuid.uuid4().hex for t in tables | {ANY_TABLE}}
        cache.set_many(tokens, timeout=None)
    except Exception:  # the cache is down: the write itself must still happen
        logger.exception("Could not mark tables %s as changed in the cache", sorted(tables))


def _read(tables, also=()) -> tuple[dict[str, str], dict[str, object]]:
    """In one cache read: the tables' tokens as this connection sees them (see
    :class:`TablesChangedOnCommit`), and the values kept under the keys ``also``."""
    tables = list(tables)
    keys = [_token_key(t) for t in tables]
    found = cache.get_many([*also, *keys])
    tokens = {}
    for table, key in zip(tables, keys, strict=True):
        token = found.get(key)
        if token is None:
            # Never a token used before, even after the cache lost the key.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            token = cache.get(key)
        tokens[table] = token
    pending = _this_transaction(connection)
    if pending is not None:
        tokens.update((t, pending.local[t]) for t in tables if t in pending.local)
    return tokens, {key: found.get(key) for key in also}


def kept(key: str, tables) -> object | None:
    """What :func:`keep` stored under ``key``, if none of the tables was written since
    (one cache read)."""
    tokens, found = _read(tables, also=[key])
    entry = found[key]
    if entry is None or entry[0] != tokens:
        return None
    return entry[1]


def tokens_now(tables) -> dict[str, str]:
    """The tables' tokens, read before the rows that :func:`keep` will store."""
    return _read(tables)[0]


def keep(key: str, tokens: dict[str, str], value, timeout: int) -> None:
    cache.set(key, (tokens, value), timeout=timeout)


def _model_tables(models) -> set[str]:
    tables = set()
    for model in models:
        tables.add(model._meta.db_table)
        tables.update(f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many)
    return tables


def tables_token(*models) -> str:
    """One token for the rows of these models (and their many-to-many tables): it
    changes whenever any of them is written. The tokens are read before the rows, so
    rows read just before a write are kept under a token that no longer holds."""
    tokens = tokens_now(_model_tables(models))
    return hashlib.sha256(repr(sorted(tokens.items())).encode()).hexdigest()[:32]


def _written_tables(sql: str) -> set[str]:
    match = _WRITE.match(sql)
    if match is None:
        return set()
    rest = match.group(1)
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        return set(_QUOTED.findall(rest.split(";")[0])) or {rest.split()[0].strip(",;")}
    name = _NAME.match(rest)
    return {name.group(1) or name.group(2)} if name else set()


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    written = _written_tables(sql)
    if written:
        reads = _current_reads.get()
        if reads is not None:
            reads.wrote = True
        conn = context["connection"]
        if conn.in_atomic_block:
            _this_transaction(conn, begin=True).wrote(written)
        else:
            tables_changed(written)  # autocommit: the statement has committed already
    return result


LOCAL = "local:"


class TablesChangedOnCommit:
    """The tables a transaction wrote: they get new tokens when it commits (one cache
    write a transaction, however many statements it runs).

    Until then only this transaction sees its writes, so only it sees new tokens for
    those tables: tokens of its own, renewed at each of its writes, which no other
    connection ever holds. A page or the program content this transaction reads after
    writing is fresh for it, and what it keeps under those tokens is never served to
    anyone else (it may yet be rolled back)."""

    def __init__(self):
        self.tables: set[str] = set()
        self.local: dict[str, str] = {}

    def wrote(self, tables: set[str]) -> None:
        self.tables |= tables
        for table in tables | {ANY_TABLE}:
            self.local[table] = LOCAL + uuid.uuid4().hex

    def __call__(self):
        tables_changed(self.tables)


def _this_transaction(conn, begin: bool = False) -> TablesChangedOnCommit | None:
    """The open transaction's :class:`TablesChangedOnCommit`: still registered where it
    was put, unless the transaction ended (a rollback drops it, and a rollback to a
    savepoint drops the callbacks registered inside it)."""
    if not conn.in_atomic_block:
        return None
    pending, index = getattr(conn, "_page_cache_pending", (None, -1))
    hooks = conn.run_on_commit
    if pending is not None and index < len(hooks) and hooks[index][1] is pending:
        return pending
    if not begin:
        return None
    pending = TablesChangedOnCommit()
    conn._page_cache_pending = (pending, len(hooks))
    transaction.on_commit(pending, using=conn.alias)
    return pending


def install(connection, **kwargs) -> None:
    """Watch every statement on this connection for writes (connected to
    ``connection_created``; a connection object lives on across reconnects)."""
    # First in the list: ``execute_wrapper()`` blocks pop the last one when they end,
    # and a connection first made inside one must not lose this wrapper to it.
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _note_writes)


connection_created.connect(install, dispatch_uid="page-cache-writes")


# ---------------------------------------------------------------------------------------
# What a page read


class _Reads:
    """The tables a page's queries touched, collected while it renders."""

    def __init__(self, known: frozenset[str]):
        self.known = known
        self.tables: set[str] = set()
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        self.tables.update(t for t in _QUOTED.findall(sql) if t in self.known)
        return execute(sql, params, many, context)


_current_reads: ContextVar[_Reads | None] = ContextVar("page_cache_reads", default=None)
_known_tables: frozenset[str] | None = None


def _all_tables() -> frozenset[str]:
    global _known_tables
    if _known_tables is None:
        _known_tables = frozenset(connection.introspection.django_table_names())
    return _known_tables


def read_tables(*models) -> None:
    """Say that the page being rendered shows rows of these models that came from
    another cache (so no query of theirs was seen)."""
    reads = _current_reads.get()
    if reads is not None:
        reads.tables |= _model_tables(models)


# ---------------------------------------------------------------------------------------
# The pages


@dataclass
class _Page:
    tokens: dict[str, str]
    any_table: str
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    uses_csrf: bool

    def response(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        if self.uses_csrf:
            # As rendering {% csrf_token %} would: the cookie's expiry is renewed.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        return response


def is_cacheable(request: HttpRequest) -> bool:
    match = request.resolver_match
    if request.method != "GET" or match is None or not is_enabled():
        return False
    name = match.view_name
    return name in SITE_PAGES or (name.startswith("admin:") and name.endswith("_changelist"))


def _key(request: HttpRequest) -> str:
    user = request.user
    who = (
        (user.pk, user.email, user.full_name, user.preferred_name, user.is_staff)
        + (user.is_superuser, user.is_active)
        if user.is_authenticated
        else None
    )
    parts = (
        settings.DATABASES["default"]["NAME"],
        _settings_generation,
        who,
        request.META.get("CSRF_COOKIE"),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        timezone.get_current_timezone_name(),
        translation.get_language(),
        int(timezone.now().timestamp() // QUARTER_HOUR),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _storable(request: HttpRequest, response, reads: _Reads, csrf_before) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        # The CSRF cookie alone, renewed (``csrf_protect`` views set it themselves), is
        # not the page's own: a page served again renews it too.
        and all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)
        and not reads.wrote
        and not request.session.modified
        and not getattr(messages.get_messages(request), "added_new", False)
        # A new CSRF secret goes out in a cookie with this response: the page's tokens
        # are only good once the browser has it.
        and (csrf_before is not None or "CSRF_COOKIE" not in request.META)
    )


class PageCacheMiddleware:
    """Serves a cacheable page from the cache while the tables it read are unchanged;
    otherwise renders it, recording what it read, and keeps it. Last in MIDDLEWARE, so
    every other middleware (sessions, CSRF, authentication) has seen the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_cacheable(request) or len(messages.get_messages(request)):
            return None
        key = _key(request)
        now, found = _read([ANY_TABLE], also=[key])
        page = found[key]
        if page is not None:
            # Nothing written anywhere since the page was stored: one read said so.
            # Otherwise the page is still good if none of its own tables was written.
            any_table = now[ANY_TABLE]
            if any_table == page.any_table or tokens_now(page.tokens) == page.tokens:
                response = page.response(request)
                response[HEADER] = "hit"
                if any_table != page.any_table:
                    # Checked table by table after that read: the next visit need not.
                    page.any_table = any_table
                    cache.set(key, page, timeout=PAGE_TIMEOUT)
                return response

        csrf_before = request.META.get("CSRF_COOKIE")
        # Before the render: see the module's docstring.
        tokens = tokens_now(_all_tables() | {ANY_TABLE})
        reads = _Reads(_all_tables())
        reset = _current_reads.set(reads)
        try:
            with connections["default"].execute_wrapper(reads):
                response = view_func(request, *view_args, **view_kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
        finally:
            _current_reads.reset(reset)
        page = None
        if _storable(request, response, reads, csrf_before):
            page = _Page(
                tokens={t: tokens[t] for t in reads.tables},
                any_table=tokens[ANY_TABLE],
                status=response.status_code,
                headers=[(k, v) for k, v in response.items() if k.lower() != "set-cookie"],
                content=response.content,
                uses_csrf=request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False),
            )
            cache.set(key, page, timeout=PAGE_TIMEOUT)
        response[HEADER] = "stored" if page is not None else "rendered"
        return response
