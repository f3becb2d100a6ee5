"""python -m bench [name ...]: run the benchmarks (all, or those named) and print figures."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

from bench import BENCH_SECRET_KEY

BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "mentoring_bench")


def _prepare_database() -> None:
    """A fresh database of the benchmarks' own, migrated."""
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentoring")
    server = base.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = f"{server}/{BENCH_DB}"


def _prepare_cache() -> None:
    """A Redis database of the benchmarks' own for the cache (sessions, rate limits),
    shared by this process and the gunicorn it starts; above the ones the test suite
    uses (TEST_REDIS_DB_BASE and the next three), so a bench never clears a test's."""
    base = int(os.environ.get("TEST_REDIS_DB_BASE", "2"))
    os.environ.setdefault("CACHE_URL", f"rediscache://127.0.0.1:6379/{base + 4}")


def report(name: str, value: float, unit: str, target: str | None = None, ok: bool | None = None):
    verdict = "" if ok is None else ("  meets target" if ok else "  MISSES target")
    goal = f"  (target {target})" if target else ""
    print(f"  {name:<58} {value:>12,.3f} {unit}{goal}{verdict}", flush=True)


def main(argv: list[str]) -> int:
    _prepare_database()
    _prepare_cache()
    # The gunicorn the page benchmark starts must accept the sessions made here.
    os.environ.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.bench")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [n for n in names if not argv or any(a in n for a in argv)]
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        # Each benchmark builds its own data set from empty tables, whatever ran before.
        call_command("flush", interactive=False, verbosity=0)
        # The shared content kept in the cache (programs, interests, the catalog) was the
        # last benchmark's: a flush sends no signal, and the ids start again at 1.
        cache.clear()
        print(
            f"\n== {name.removeprefix('bench_')}: {(module.__doc__ or '').strip().splitlines()[0]}"
        )
        started = time.perf_counter()
        module.run(report)
        print(f"  ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
