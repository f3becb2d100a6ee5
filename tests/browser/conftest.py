"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live
server (a real HTTP server on the test PostgreSQL database).

On a failure the page's screenshot and HTML are saved under ``test-artifacts/`` for the
CI log.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.test import Client
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(page.content())
            print(f"\nBrowser artifacts: {ARTIFACTS / name}.png and .html (at {page.url})")
        except Exception as exc:  # the page may be gone; the failure itself matters more
            print(f"\nCould not save browser artifacts: {exc}")
    context.close()


def sign_in(context, live_server, user) -> None:
    """Sign a browser context in as ``user`` with a session made on the server side (the
    sign-in form has tests of its own); whoever was signed in before is signed out."""
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def by_label(page, label: str):
    """The field a person finds by its label. Required fields' labels carry crispy-forms'
    asterisk, hidden from sight and from screen readers (optional fields say so instead);
    Playwright matches label text with it, so it is allowed here."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page (through the DevTools protocol, so the site's
    Content-Security-Policy stays on) and return its WCAG 2.1 A/AA violations."""
    # A click that navigates returns before the next document exists: axe would find no
    # document (or the old one's half). Wait for the page a test is looking at.
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(f"() => {{ {AXE_SOURCE}\n }}")
    # Only the violations in full: axe skips collecting every passing node, which is most
    # of its time on a long page.
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return result["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"WCAG 2.1 A/AA violations on {page.url}:\n{details}"
