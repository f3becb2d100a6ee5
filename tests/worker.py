"""A real Celery worker on the real Redis, for the tests that need one.

The worker is a separate process on the test database (tests using it must be
``django_db(transaction=True)`` so what they write is committed and visible to it) and
sends mail to an SMTP server the test runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def broker_url() -> str:
    return settings.CELERY_BROKER_URL


def empty_broker(url: str | None = None) -> None:
    redis.Redis.from_url(url or broker_url()).flushdb()


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes, as an out-of-memory killer would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            except ProcessLookupError:
                pass


@contextmanager
def celery_worker(
    *,
    smtp_port: int,
    concurrency: int = 1,
    broker: str | None = None,
    beat: bool = False,
    every: dict[str, int] | None = None,
    **env,
):
    """Run ``celery -A mentoring worker`` (with its beat scheduler when ``beat``) until
    the block ends; ``every`` sets periodic tasks' intervals in seconds as staff would in
    admin (e.g. {"send-due-newsletters": 1}); extra keyword arguments become environment
    variables of the worker (e.g. DELIVERY_CLAIM_TIMEOUT=3)."""
    for name, seconds in (every or {}).items():
        set_interval(name, seconds)
    ARTIFACTS.mkdir(exist_ok=True)
    name = f"test-{uuid.uuid4().hex[:8]}"
    log = ARTIFACTS / f"worker-{name}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentoring.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker or broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "10",
        **{key: str(value) for key, value in env.items()},
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "mentoring", "worker",
                "--loglevel=INFO", f"--concurrency={concurrency}", "--pool=prefork",
                f"--hostname={name}@%h", "--without-gossip", "--without-mingle",
                "--without-heartbeat",
                *(["--beat", f"--schedule={ARTIFACTS / name}.beat"] if beat else []),
            ],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    worker = Worker(process, log)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in worker.output():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start:\n{worker.output()}")
            time.sleep(0.2)
        yield worker
    finally:
        worker.stop()


def set_interval(name: str, seconds: int) -> None:
    """Run the periodic task ``name`` every ``seconds`` (beat reads it from the database)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.get_or_create(
        every=seconds, period=IntervalSchedule.SECONDS
    )
    task = PeriodicTask.objects.get(name=name)
    task.interval, task.crontab = interval, None
    task.save()


def wait_for(condition, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll ``condition()`` until it is true; fail the test with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)
