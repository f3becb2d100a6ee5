"""Pages: what each costs to render, beside two floors, and a mixed workload under wrk.

1. **Render cost, in this process.** Each page rendered fresh (nothing caches a page),
   beside two floors measured in the same rounds, interleaved: a one-query view and the
   site's base layout with an empty block, both signed in. Each page: median ms, its
   queries, and its multiple of the base-layout floor. Targets: participant pages at
   most 5x the floor and 12 queries; the admin changelists (100 rows) at most 10x.
2. **Mixed workload, under load.** gunicorn (2 processes x 4 threads, production
   settings, each process taking 8 of the connections) and wrk at 16 connections, each
   request a random one of: a random mentee's
   My mentoring, match page, goal sheet, activity log or newsletter archive (80 %);
   that mentee posting an activity-log entry through the form, with its CSRF token
   (10 %); a committee member's applications, matches or goal sheets changelist
   (10 %). Beside it, the one-query ceiling on the same server, in turns, round after
   round; the median round is shown. Target: at least 20 % of the ceiling, p95 at most
   200 ms. ``BENCH_PAGES_MIXED=0`` skips this part (while working on one page).

The machine is shared and noisy, so every figure is read beside a floor or a ceiling
measured in the same rounds. The data set is a program year of realistic size, built
with bulk inserts (``program_year.py``): 5,000 applications, 2,000 matches (1,600 at
work this year) with goal sheets, check-ins and activity logs, 12 newsletter issues.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import time
from dataclasses import dataclass
from types import SimpleNamespace

from .program_year import ProgramYear, program_year

CONNECTIONS = 16
HOST = "localhost"
TARGET_PAGE_MULTIPLE = 5.0
TARGET_PAGE_QUERIES = 12
TARGET_CHANGELIST_MULTIPLE = 10.0
TARGET_SHARE = 0.20
TARGET_P95_MS = 200.0
MIXED_MENTEES = 400
ONE_QUERY = "/bench/ceiling"
EMPTY_PAGE = "/bench/empty-page"

__all__ = ["program_year", "pages", "run"]


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    who: str  # "mentee" or "staff"
    kind: str  # "participant" or "changelist"

    @property
    def target_multiple(self) -> float:
        return TARGET_PAGE_MULTIPLE if self.kind == "participant" else TARGET_CHANGELIST_MULTIPLE


def pages(year: ProgramYear) -> list[Page]:
    match = year.match_id
    return [
        Page("My mentoring", "/my/", "mentee", "participant"),
        Page("match page", f"/matches/{match}/", "mentee", "participant"),
        Page("goal sheet", f"/matches/{match}/goals/", "mentee", "participant"),
        Page("activity log", f"/matches/{match}/activities/", "mentee", "participant"),
        Page("application form", "/programs/alcts/apply/mentee/", "mentee", "participant"),
        Page("newsletter archive", "/newsletters/", "mentee", "participant"),
        Page("activity catalog", "/activities/", "mentee", "participant"),
        Page("program timeline", "/programs/alsc/timeline/", "mentee", "participant"),
        Page("admin: applications", "/admin/applications/application/", "staff", "changelist"),
        Page("admin: matches", "/admin/matches/match/", "staff", "changelist"),
        Page("admin: goal sheets", "/admin/goals/goalsheet/", "staff", "changelist"),
    ]


# ---------------------------------------------------------------------------------------
# 1. Render cost in this process


@dataclass
class Rendered:
    page: Page
    ms: float
    queries: int
    floor_ms: float

    @property
    def multiple(self) -> float:
        return self.ms / self.floor_ms

    @property
    def ok(self) -> bool:
        within = self.multiple <= self.page.target_multiple
        if self.page.kind == "participant":
            return within and self.queries <= TARGET_PAGE_QUERIES
        return within


def signed_in_clients(year: ProgramYear) -> dict[str, object]:
    from django.test import Client

    from mentoring.models import User
    from tests.second_factor import force_login_with_second_factor

    clients = {}
    for who, pk in (("mentee", year.mentee_id), ("staff", year.staff_id)):
        client = Client(HTTP_HOST=HOST)
        # Staff open the administration only with a second factor proven in the session.
        force_login_with_second_factor(client, User.objects.get(pk=pk))
        clients[who] = client
    return clients


def queries_of(client, url: str) -> tuple[int, int]:
    """The status and the number of queries of one visit (after a first, warming one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


def render_costs(year: ProgramYear, rounds: int = 15) -> tuple[float, float, list[Rendered]]:
    """(one-query floor ms, base-layout floor ms, each page): medians over ``rounds``
    rounds, each round every floor and page once, in turn."""
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF="bench.urls"):
        clients = signed_in_clients(year)
        measured = pages(year)
        targets = [(ONE_QUERY, "mentee"), (EMPTY_PAGE, "mentee")]
        targets += [(p.url, p.who) for p in measured]
        counts = {}
        for url, who in targets:
            status, counts[url] = queries_of(clients[who], url)
            if status != 200:
                raise RuntimeError(f"{url} answered {status}")
        # The data set was built in this process: without this, every full collection
        # walks its hundreds of thousands of objects and charges it to whichever page
        # happens to trigger one. A web worker holds no such heap (and freezes what it
        # loads at start, gunicorn.conf.py); this measures the pages, not the bench.
        gc.collect()
        gc.freeze()
        times: dict[str, list[float]] = {url: [] for url, _ in targets}
        for _ in range(rounds):
            for url, who in targets:
                started = time.perf_counter()
                clients[who].get(url)
                times[url].append(1000 * (time.perf_counter() - started))
    one_query = statistics.median(times[ONE_QUERY])
    floor = statistics.median(times[EMPTY_PAGE])
    rows = [Rendered(p, statistics.median(times[p.url]), counts[p.url], floor) for p in measured]
    return one_query, floor, rows


def render_table(one_query: float, floor: float, rows: list[Rendered]) -> str:
    lines = [
        f"  floors (signed in): one-query view {one_query:.1f} ms, "
        f"base layout with an empty block {floor:.1f} ms",
        f"  {'page':<22} {'ms':>7} {'queries':>8} {'x floor':>8}  {'target':<22} verdict",
    ]
    for r in rows:
        target = f"<= {r.page.target_multiple:.0f}x"
        if r.page.kind == "participant":
            target += f", <= {TARGET_PAGE_QUERIES} queries"
        lines.append(
            f"  {r.page.name:<22} {r.ms:>7.1f} {r.queries:>8} {r.multiple:>7.1f}x  {target:<22} "
            + ("meets" if r.ok else "MISSES")
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# 2. The mixed workload


@dataclass(frozen=True)
class Visitor:
    cookie: str
    csrf: str


def sessions_for(user_ids: list[int]) -> dict[int, Visitor]:
    """A signed-in session and a CSRF secret per person, as a browser would hold them."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY as AUTHENTICATION_METHODS_USER_SESSION_KEY,
    )
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    from mentoring.models import User
    from mentoring.second_factor import needs_second_factor

    visitors = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if needs_second_factor(user):
            # Staff as after entering their authenticator code (mentoring/second_factor.py).
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "mfa", "at": time.time(), "type": "totp"}
            ]
            session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.create()
        csrf = get_random_string(32)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}"
        )
        visitors[user.pk] = Visitor(cookie, csrf)
    return visitors


def _lua(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mixed_requests(
    year: ProgramYear, visitors: dict[int, Visitor], n: int = 6000, seed: int = 16
) -> str:
    """Lua for wrk: ``n`` requests drawn once (80 % reads, 10 % writes, 10 % admin),
    which each wrk thread walks from its own starting point. Each round draws its own
    script (``seed``): a form token is spent by its first post, and a round replaying
    the last one's would write nothing."""
    from mentoring import form_tokens
    from mentoring.models import Program

    rng = random.Random(seed)
    today = Program.objects.get(slug="alsc").today().isoformat()
    mentees = year.participants[:MIXED_MENTEES]
    changelists = [p.url for p in pages(year) if p.kind == "changelist"]
    lines = []
    for _ in range(n):
        draw = rng.random()
        if draw < 0.8:
            person, match = rng.choice(mentees)
            path = rng.choice(
                [
                    "/my/",
                    f"/matches/{match}/",
                    f"/matches/{match}/goals/",
                    f"/matches/{match}/activities/",
                    "/newsletters/",
                ]
            )
            request = (
                f"wrk.format('GET', {_lua(path)}, {{Cookie = {_lua(visitors[person].cookie)}}})"
            )
        elif draw < 0.9:
            person, match = rng.choice(mentees)
            visitor = visitors[person]
            # Each post carries its own one-time form token (mentoring/form_tokens.py), as
            # the form page would have given it; a token replayed once wrk wraps around
            # its script records nothing new.
            token = form_tokens.issue(SimpleNamespace(pk=person))  # [A-Za-z0-9_:-]: no escaping
            body = (
                f"csrfmiddlewaretoken={visitor.csrf}&form_token={token}"
                "&title=Coffee+and+a+talk+about+storytime"
                f"&status=done&on={today}&notes=We+met+at+the+branch."
            )
            headers = (
                f"{{Cookie = {_lua(visitor.cookie)}, "
                f"['Content-Type'] = 'application/x-www-form-urlencoded'}}"
            )
            path = f"/matches/{match}/activities/new/"
            request = f"wrk.format('POST', {_lua(path)}, {headers}, {_lua(body)})"
        else:
            staff = visitors[rng.choice(year.staff_ids)]
            path = rng.choice(changelists)
            request = f"wrk.format('GET', {_lua(path)}, {{Cookie = {_lua(staff.cookie)}}})"
        lines.append(f"  {request},")
    return (
        "local requests = {\n" + "\n".join(lines) + "\n}\n"
        "local threads = 0\n"
        "setup = function(thread) thread:set('first', threads * 1777) threads = threads + 1 end\n"
        "local i = nil\n"
        "request = function()\n"
        "  if i == nil then i = first end\n"
        "  i = i % #requests + 1\n"
        "  return requests[i]\n"
        "end\n"
    )


@dataclass
class MixedRound:
    rps: float
    ceiling_rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    writes: int

    @property
    def share(self) -> float:
        return self.rps / self.ceiling_rps if self.ceiling_rps else 0.0

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.share >= TARGET_SHARE and self.p95_ms <= TARGET_P95_MS


def _check_signed_in(base: str, visitor: Visitor, url: str) -> None:
    """One request as a browser would send it: a signed-in page, not the sign-in page."""
    import urllib.request

    request = urllib.request.Request(base + url, headers={"Cookie": visitor.cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or "/accounts/login" in response.url:
            raise RuntimeError(f"{url} did not answer signed in: {response.status} {response.url}")


def run(report) -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    from activities.models import ActivityLogEntry
    from bench.http import gunicorn, wrk
    from tests.smtp_sink import free_port

    seconds = int(os.environ.get("BENCH_PAGES_SECONDS", "5"))
    rounds = int(os.environ.get("BENCH_PAGES_ROUNDS", "5"))
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()

    started = time.perf_counter()
    year = program_year()
    built = time.perf_counter() - started
    print("  " + ", ".join(f"{n:,} {what}" for what, n in year.counts.items()))
    report("building the program year (bulk)", built, "s", "< 60 s", built < 60)

    print("\n  1. Render cost in this process (median of 15 interleaved rounds)")
    one_query, floor, rendered = render_costs(year)
    print(render_table(one_query, floor, rendered), flush=True)
    met = sum(r.ok for r in rendered)
    report(
        "pages within their render target", met, f"of {len(rendered)}", "all", met == len(rendered)
    )

    if os.environ.get("BENCH_PAGES_MIXED", "1") == "0":
        # While working on one page: the render table alone, without minutes of wrk.
        print("\n  2. Mixed workload: skipped (BENCH_PAGES_MIXED=0)")
        return
    print("\n  2. Mixed workload under wrk (gunicorn 2 x 4, 16 connections)")
    mentees = year.participants[:MIXED_MENTEES]
    visitors = sessions_for([p for p, _ in mentees] + year.staff_ids)
    results = []
    with gunicorn(port=free_port(), connections=CONNECTIONS) as base:
        ceiling_url = base + ONE_QUERY
        person, match = mentees[0]
        _check_signed_in(base, visitors[person], f"/matches/{match}/activities/")
        _check_signed_in(base, visitors[year.staff_ids[0]], pages(year)[-1].url)
        wrk(ceiling_url, connections=CONNECTIONS, seconds=2)
        wrk(base + "/", connections=CONNECTIONS, seconds=2, requests=mixed_requests(year, visitors))
        for k in range(rounds):
            script = mixed_requests(year, visitors, seed=k)
            entries = ActivityLogEntry.objects.count()
            mixed = wrk(base + "/", connections=CONNECTIONS, seconds=seconds, requests=script)
            writes = ActivityLogEntry.objects.count() - entries
            ceiling = wrk(ceiling_url, connections=CONNECTIONS, seconds=seconds)
            round_ = MixedRound(
                mixed.requests_per_second,
                ceiling.requests_per_second,
                mixed.p50_ms,
                mixed.p95_ms,
                mixed.p99_ms,
                mixed.errors,
                writes,
            )
            results.append(round_)
            print(
                f"  round {k + 1}: {round_.rps:.0f} req/s beside a ceiling of "
                f"{round_.ceiling_rps:.0f} ({100 * round_.share:.0f} %), p50/p95/p99 "
                f"{round_.p50_ms:.0f}/{round_.p95_ms:.0f}/{round_.p99_ms:.0f} ms, "
                f"{round_.writes} entries written, {round_.errors} errors",
                flush=True,
            )
    median = sorted(results, key=lambda r: r.share)[len(results) // 2]
    print(
        f"\n  median round: {median.rps:.0f} req/s = {100 * median.share:.0f} % of the "
        f"one-query ceiling ({median.ceiling_rps:.0f} req/s), p50 {median.p50_ms:.0f} ms, "
        f"p95 {median.p95_ms:.0f} ms, p99 {median.p99_ms:.0f} ms; {len(mentees)} mentees, "
        f"{len(year.staff_ids)} committee members; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n"
    )
    report(
        "mixed workload, % of the one-query ceiling",
        100 * median.share,
        "%",
        f">= {TARGET_SHARE:.0%}",
        median.share >= TARGET_SHARE and median.errors == 0,
    )
    report(
        "mixed workload, p95",
        median.p95_ms,
        "ms",
        f"<= {TARGET_P95_MS:.0f} ms",
        median.p95_ms <= TARGET_P95_MS and median.errors == 0,
    )
