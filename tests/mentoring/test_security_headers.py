"""Security headers on every kind of response, the production settings that make the
site HTTPS-only, and pages whose HTML the Content-Security-Policy lets run whole: no
inline scripts, inline styles or event-handler attributes, which a browser would block."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ProgramFactory, verified_user
from tests.performance.test_query_counts import ALL_PAGES, PEOPLE
from tests.world import build_world

from .test_settings import run_manage

pytestmark = pytest.mark.django_db

SECRET = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ!@#$%^&*()"
HOST = "mentoring.example.org"


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_locked_down(response) -> None:
    csp = policy(response)
    for directive in ("script-src", "style-src"):
        assert csp[directive] == ["'self'"], (directive, csp[directive])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_public_page_carries_every_header(client):
    ProgramFactory()
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert_locked_down(response)


def test_a_signed_in_page_carries_every_header(client):
    client.force_login(verified_user())
    response = client.get(reverse("my_mentoring"))

    assert response.status_code == 200
    assert_locked_down(response)


def test_an_admin_page_carries_every_header(client):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:applications_application_changelist"))

    assert response.status_code == 200
    assert_locked_down(response)


def test_a_page_not_found_carries_every_header(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_locked_down(response)


def test_a_redirect_to_sign_in_carries_every_header(client):
    response = client.get(reverse("my_mentoring"))

    assert response.status_code == 302
    assert_locked_down(response)


# -- production -------------------------------------------------------------------------

PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client

client = Client()
plain = client.get("/healthz", HTTP_HOST="{host}")
secure = client.get("/healthz", HTTP_HOST="{host}", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({{
    "settings": {{name: getattr(settings, name) for name in [
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    ]}},
    "plain": [plain.status_code, plain.get("Location", "")],
    "hsts": secure.get("Strict-Transport-Security", ""),
    "csp": secure.get("Content-Security-Policy", ""),
}}))
"""


@pytest.fixture(scope="module")
def production():
    result = run_manage(
        "shell",
        "-c",
        PRODUCTION_PROBE.format(host=HOST),
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_https_only_with_secure_cookies(production):
    assert production["settings"] == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
    }


def test_production_redirects_plain_http_to_https(production):
    assert production["plain"] == [301, f"https://{HOST}/healthz"]


def test_production_sends_hsts_with_subdomains_over_https(production):
    assert "max-age=31536000" in production["hsts"]
    assert "includeSubDomains" in production["hsts"]
    assert "script-src 'self'" in production["csp"]


# -- what the policy would block in a browser -------------------------------------------

# Script blocks that only carry data: a browser never runs them, the policy allows them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy refuses: inline scripts, style
    attributes, <style> blocks and on* event handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        runs = attributes.get("type") not in DATA_SCRIPT_TYPES
        if tag == "script" and not attributes.get("src") and runs:
            self.found.append(f"<script> without src: {self.get_starttag_text()}")
        if tag == "style":
            self.found.append("<style> block")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'style="{value}" on <{tag}>')
            if name.startswith("on"):
                self.found.append(f'{name}="{value}" on <{tag}>')
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f'{name}="{value}" on <{tag}>')


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_checker_finds_what_the_policy_blocks():
    html = (
        '<p style="color:red">x</p><script>alert(1)</script><button onclick="go()">'
        '<script type="application/json" id="d">{}</script><script src="/s.js"></script>'
    )

    assert len(inline_code(html)) == 3


# Pages beyond the list pages: forms and one-object pages, public and signed in.
FORM_AND_OBJECT_PAGES = {
    "account_login": (lambda w: reverse("account_login"), "anonymous"),
    "account_signup": (lambda w: reverse("account_signup"), "anonymous"),
    "account_reset_password": (lambda w: reverse("account_reset_password"), "anonymous"),
    "account_change_password": (lambda w: reverse("account_change_password"), "mentee"),
    "newsletter:preferences": (lambda w: reverse("newsletter:preferences"), "mentee"),
    "applications:detail": (
        lambda w: reverse("applications:detail", args=[w.match.mentee.pk]),
        "mentee",
    ),
    "goals:check_in": (
        lambda w: reverse("goals:check_in", args=[w.match.pk, w.goal.pk]),
        "mentee",
    ),
    "goals:revision": (lambda w: reverse("goals:revision", args=[w.match.pk, 1]), "mentee"),
    "activities:log_entry_edit": (
        lambda w: reverse(
            "activities:log_entry_edit",
            args=[w.match.pk, w.match.activity_log.filter(recorded_by=w.mentee).first().pk],
        ),
        "mentee",
    ),
    "admin:matches_match_change": (
        lambda w: reverse("admin:matches_match_change", args=[w.match.pk]),
        "staff",
    ),
    "admin:applications_application_change": (
        lambda w: reverse("admin:applications_application_change", args=[w.match.mentee.pk]),
        "staff",
    ),
    "admin:goals_goalsheet_change": (
        lambda w: reverse("admin:goals_goalsheet_change", args=[w.sheet.pk]),
        "staff",
    ),
    "admin:newsletter_newsletterissue_add": (
        lambda w: reverse("admin:newsletter_newsletterissue_add"),
        "staff",
    ),
    "admin:evaluation_survey_change": (
        lambda w: reverse("admin:evaluation_survey_change", args=[w.survey.pk]),
        "staff",
    ),
    "admin:activities_activity_add": (
        lambda w: reverse("admin:activities_activity_add"),
        "staff",
    ),
    "admin:mentoring_cycle_change": (
        lambda w: reverse("admin:mentoring_cycle_change", args=[w.cycle.pk]),
        "staff",
    ),
    "admin:password_change": (lambda w: reverse("admin:password_change"), "staff"),
    "404": (lambda w: "/no-such-page/", "anonymous"),
}


def test_no_page_carries_code_the_policy_would_block():
    """Every list page and changelist (the query-count set), plus forms and one-object
    pages of the site and the admin, public and signed in."""
    world = build_world()
    world.grow(1)
    clients = {"anonymous": Client()}
    for who in PEOPLE:
        clients[who] = Client()
        clients[who].force_login(getattr(world, who))
    pages = {name: (page.url, page.who) for name, page in ALL_PAGES.items()}
    pages.update(FORM_AND_OBJECT_PAGES)

    blocked, checked = {}, 0
    for name, (url, who) in pages.items():
        response = clients[who].get(url(world))
        if "text/html" not in response.get("Content-Type", ""):
            continue  # calendars, CSV exports
        if name == "admin:newsletter_newsletterissue_preview_html":
            # An email as it arrives (inline styles are how emails are styled), shown in
            # a same-origin frame under a policy of its own that allows no script at all.
            assert "script-src" not in response["Content-Security-Policy"]
            assert "default-src 'none'" in response["Content-Security-Policy"]
            continue
        assert response.status_code in (200, 404), (name, response.status_code)
        checked += 1
        found = inline_code(response.content.decode())
        if found:
            blocked[name] = found

    assert not blocked, blocked
    assert checked > 60


def test_every_signed_in_page_is_private_and_never_stored():
    """No proxy or browser cache keeps what a signed-in person was shown: every list
    page and changelist, forms and one-object pages, CSV and calendar answers too."""
    world = build_world()
    world.grow(1)
    clients = {}
    for who in PEOPLE:
        clients[who] = Client()
        clients[who].force_login(getattr(world, who))
    pages = {name: (page.url, page.who) for name, page in ALL_PAGES.items()}
    pages.update(FORM_AND_OBJECT_PAGES)

    kept, checked = {}, 0
    for name, (url, who) in pages.items():
        if who == "anonymous":
            continue
        response = clients[who].get(url(world))
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        checked += 1
        if not {"private", "no-store"} <= directives:
            kept[name] = response.get("Cache-Control")

    assert not kept, kept
    assert checked > 50


def test_a_public_page_may_be_kept():
    ProgramFactory()
    response = Client().get(reverse("home"))

    assert "no-store" not in response.get("Cache-Control", "")
