"""`make run` runs the whole system: the site, a Celery worker and beat, with nothing
installed or configured. This walks what a committee member does on a fresh demo: Send now
on a newsletter issue, and within a minute every copy is printed by the worker and a
participant reads it in their archive. Then Ctrl-C stops every process it started.

It starts the real `make run` (Procfile.dev under honcho) on an SQLite file and a broker
folder of its own, so a developer's db.sqlite3 is never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.smtp_sink import free_port
from tests.worker import wait_for

ROOT = Path(__file__).resolve().parents[2]
STAFF = "staff@example.org"
PASSWORD = "mentoring-demo"

pytestmark = pytest.mark.browser


class MakeRun:
    """`make run` in a process group of its own, its output (every process's lines, as
    honcho interleaves them) in a file."""

    def __init__(self, tmp: Path, port: int):
        self.port = port
        self.log = tmp / "make-run.log"
        environment = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {"CACHE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CELERY_TASK_ALWAYS_EAGER"}
            and not key.startswith(("PYTEST_", "DJANGO_"))
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="mentoring.settings.local",
            DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
            CELERY_BROKER_FOLDER=str(tmp / "broker"),
        )
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", "run", f"RUN_PORT={port}"],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def answering(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"make run stopped:\n{self.output()[-4000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1):
            return "celery@" in self.output() and " ready." in self.output()
        return False

    def interrupt(self) -> int:
        """Ctrl-C: the terminal sends SIGINT to the whole foreground group."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
        return True
    return False


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/2fa/authenticate/" in page.url:  # staff: make run takes the development code
        page.locator("input[name=code]").fill("000000")
        page.get_by_role("button", name="Sign In", exact=True).first.click()
        page.wait_for_load_state()


def test_make_run_sends_a_newsletter_on_send_now_and_ctrl_c_stops_everything(browser, tmp_path):
    port = free_port()
    run = MakeRun(tmp_path, port)
    try:
        wait_for(run.answering, timeout=300, interval=1, what="make run to serve and work")
        output = run.output()
        assert "Staff login: staff@example.org / mentoring-demo, then the code 000000" in output
        mentee = re.search(r"Demo mentee login: (\S+) /", output).group(1)
        for process in ("web.1", "worker.1", "beat.1"):
            assert f"{process} started" in output

        staff = browser.new_context(base_url=f"http://127.0.0.1:{port}")
        staff.set_default_timeout(20_000)
        page = staff.new_page()
        sign_in(page, STAFF)
        page.goto("/admin/newsletter/newsletterissue/?status__exact=draft")
        page.locator("#result_list tbody tr th a").first.click()
        subject = page.get_by_label("Subject:").input_value()
        page.get_by_role("link", name="Schedule").click()
        goes_to = page.get_by_text(re.compile(r"It goes to the \d+ mentor")).inner_text()
        recipients = int(re.search(r"It goes to the (\d+) mentor", goes_to).group(1))
        page.get_by_role("button", name="Send now").click()
        expect(page.get_by_text("It goes out within the minute.")).to_be_visible()
        pressed = time.monotonic()

        # Beat finds the due issue, the worker fans it out and prints every copy.
        printed = f"Email: {subject}"
        wait_for(
            lambda: run.output().count(printed) >= recipients,
            timeout=90,
            interval=1,
            what=f"the issue's {recipients} copies printed",
        )
        assert time.monotonic() - pressed < 90
        assert recipients >= 10 and run.output().count(printed) == recipients

        participant = browser.new_context(base_url=f"http://127.0.0.1:{port}")
        reader = participant.new_page()
        sign_in(reader, mentee)
        reader.goto("/newsletters/")
        reader.get_by_role("link", name=subject).first.click()
        expect(reader.get_by_role("heading", name=subject).first).to_be_visible()
        staff.close()
        participant.close()
    finally:
        try:
            status = run.interrupt()
        except subprocess.TimeoutExpired:
            run.kill()
            raise
    started = [int(pid) for pid in re.findall(r"\w+\.1 started \(pid=(\d+)\)", run.output())]
    assert len(started) == 3
    # honcho starts each process in a group of its own and stops each group; make and
    # honcho are in the test's group for make run.
    for pgid in [run.process.pid, *started]:
        wait_for(lambda pgid=pgid: not alive(pgid), timeout=15, what=f"process group {pgid} ended")
    assert not listening(port)
    assert status is not None
