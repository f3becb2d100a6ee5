"""Helpers of the whole-year browser test: chapters that name themselves when they break,
an inbox on the SMTP sink that waits for a message, and signing in and out the way a
person does (by the links and labels they read)."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from email.message import EmailMessage

from playwright.sync_api import Page, expect

from tests.factories.core import PASSWORD
from tests.second_factor import enter_code_in_browser

from .conftest import by_label

# Every email goes out from the Celery worker; a slow, shared machine may take a while.
MAIL_TIMEOUT = 60


@contextmanager
def chapter(name: str):
    """One chapter of the year: a failure inside says which chapter broke; each chapter
    prints how long it took (pytest shows it with ``-s`` or on a failure)."""
    started = time.monotonic()
    try:
        yield
    except BaseException as exc:
        exc.add_note(f"The year broke in the chapter: {name}")
        raise
    finally:
        print(f"{time.monotonic() - started:5.1f} s  {name}")


class Inbox:
    """The messages the SMTP sink accepted, read once each, in order."""

    def __init__(self, sink):
        self.sink = sink
        self.read: set[int] = set()

    def wait_for(self, to: str, subject: str, *, timeout: float = MAIL_TIMEOUT) -> EmailMessage:
        """The first unread message to ``to`` whose subject contains ``subject``; fails
        the test after ``timeout`` seconds, listing what did arrive."""
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(list(self.sink.messages)):
                if index in self.read:
                    continue
                if to.lower() in message["To"].lower() and subject in message["Subject"]:
                    self.read.add(index)
                    return message
            if time.monotonic() > deadline:
                arrived = [(m["To"], m["Subject"]) for m in self.sink.messages]
                raise AssertionError(
                    f"No email to {to} about “{subject}” within {timeout:.0f} s; "
                    f"the sink has: {arrived}"
                )
            time.sleep(0.2)


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message: EmailMessage, path_pattern: str) -> str:
    found = re.search(rf"https?://\S+{path_pattern}\S*", text_of(message))
    assert found, f"No link matching {path_pattern} in “{message['Subject']}”"
    return found.group(0)


def sign_in(page: Page, email: str) -> None:
    page.get_by_role("link", name="Sign in").click()
    by_label(page, "Email").fill(email)
    by_label(page, "Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    if "/2fa/authenticate/" in page.url:  # staff: the authenticator app's code
        enter_code_in_browser(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def admin_open(page: Page, model: str) -> None:
    """Follow a model's link on the administration's front page (its row, not the
    app's caption, which may read the same)."""
    page.get_by_role("rowheader", name=model, exact=True).get_by_role("link").click()


def admin_action(page: Page, action: str, *rows: str) -> None:
    """Tick the changelist's rows (by their checkboxes' names) and run an action."""
    for row in rows:
        page.get_by_role("checkbox", name=row).check()
    page.get_by_role("combobox", name=re.compile(r"^Action:")).select_option(label=action)
    page.get_by_role("button", name="Go").click()
