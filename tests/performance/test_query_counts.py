"""Every list page of the site and every admin changelist runs the same number of queries
with 2 rows of everything as with 12.

The pages are generated so none is forgotten: the changelists from ``admin.site._registry``,
and every named URL of the site must be either measured here or excluded below with a
reason. A new URL fails :func:`test_every_url_is_measured_or_excluded_with_a_reason` until
someone decides which it is.

The world is built once per module (inside a transaction rolled back at the end) and
every page is measured at both sizes; each page is then its own test, which prints the
queries of both runs when the counts differ.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.site_urls import site_urls
from tests.world import World, build_world, path

SMALL, LARGE = 2, 12


# The people who look at the pages: Maya (a mentee), Rosa (her mentor), the owner (the
# mentee of a draft goal sheet, who answered a survey) and a superuser.
PEOPLE = ("mentee", "mentor", "owner", "staff")


@dataclass(frozen=True)
class Page:
    url: Callable[[World], str]
    who: str = "anonymous"  # or one of PEOPLE


def _r(name: str, *args: Callable[[World], object]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def _t(name: str) -> Callable[[World], str]:
    """The URL on the object the world's URL table names for it."""
    return lambda w: path(w, name)


def _match(w):
    return w.match.pk


# The site's list pages (and pages that show a list that grows), and who looks at them:
# on the object of the world's URL table, or on Maya and Rosa's match (``_match``), whose
# meetings, requests for help, log entries and goal sheet's history grow.
SITE_LIST_PAGES: dict[str, Page] = {
    "home": Page(_r("home")),
    "timeline": Page(_r("timeline")),
    "program_detail": Page(_t("program_detail")),
    "program_timeline": Page(_t("program_timeline")),
    "cycle_timeline": Page(_t("cycle_timeline")),
    "program_calendar": Page(_t("program_calendar")),
    "cycle_calendar": Page(_t("cycle_calendar")),
    "my_mentoring": Page(_r("my_mentoring"), "mentee"),
    "account_email": Page(_r("account_email"), "mentee"),
    "applications:apply": Page(_t("applications:apply"), "mentee"),
    "applications:mine": Page(_r("applications:mine"), "mentee"),
    "matches:mine": Page(_r("matches:mine"), "mentor"),
    "matches:detail": Page(_r("matches:detail", _match), "mentee"),
    "matches:preferences": Page(_r("matches:preferences", lambda w: w.match.mentee.pk), "mentee"),
    "goals:mine": Page(_r("goals:mine"), "mentee"),
    "goals:sheet": Page(_r("goals:sheet", _match), "mentee"),
    "goals:edit": Page(_t("goals:edit"), "owner"),  # the owner's draft
    "goals:revisions": Page(_t("goals:revisions"), "mentor"),
    "goals:print": Page(_t("goals:print"), "mentee"),
    "goals:outcomes": Page(_t("goals:outcomes"), "mentee"),
    "activities:catalog": Page(_r("activities:catalog"), "mentee"),
    "activities:activity_detail": Page(_t("activities:activity_detail"), "mentee"),
    "activities:reading_list": Page(_r("activities:reading_list")),
    "activities:log": Page(_r("activities:log", _match), "mentee"),
    "activities:log_entry_create": Page(_r("activities:log_entry_create", _match), "mentee"),
    "newsletter:archive": Page(_r("newsletter:archive"), "mentee"),
    "newsletter:issue": Page(_t("newsletter:issue"), "mentee"),
    "evaluation:mine": Page(_r("evaluation:mine"), "mentee"),
    # The owner's invitation, answered.
    "evaluation:answer": Page(_t("evaluation:answer"), "owner"),
    "evaluation:thanks": Page(_t("evaluation:thanks"), "owner"),
}

_ONE_OBJECT = "one object's page or form, whose rows are bounded (at most three goals)"
_ACTION = "a POST action that redirects"
SITE_NOT_LISTS: dict[str, str] = {
    "healthz": "answers with two checks, no rows",
    "set_language": _ACTION,
    "javascript_catalog": "the JavaScript strings of the language: no rows",
    "my_data": "explains what is held and offers the download; no rows",
    "my_data_download": "a POST; one year or three: same queries (tests/mentoring/test_privacy.py)",
    "my_account_delete": "a form with the password",
    "my_account_deleted": "a message",
    "applications:detail": _ONE_OBJECT,
    "applications:edit": _ONE_OBJECT,
    "applications:submitted": _ONE_OBJECT,
    "applications:withdraw": _ONE_OBJECT,
    "applications:reopen": _ACTION,
    "goals:submit": _ONE_OBJECT,
    "matches:meeting_record": "a form recording one meeting",
    "matches:help": "a form, and the person's own requests about one match (measured with "
    "the match page, which lists the same)",
    "goals:withdraw": _ACTION,
    "goals:add_goal": "the edit page again with one goal more: at most three",
    "goals:save_draft": _ACTION,
    "goals:save_and_submit": _ACTION,
    "goals:review": _ONE_OBJECT,
    "goals:reopen": _ACTION,
    "goals:revision": _ONE_OBJECT,
    "goals:check_in": _ONE_OBJECT,
    "activities:log_entry_edit": _ONE_OBJECT,
    "activities:log_entry_delete": _ONE_OBJECT,
    "activities:log_entry_mark_done": _ACTION,
    "newsletter:preferences": "one person's two settings",
    "certificates:download": "one certificate's PDF: one match's goals, at most three",
    "certificates:verify": "one certificate",
    "newsletter:unsubscribe": "one person's setting, from an email link",
    "newsletter:resubscribe": "one person's setting, from an email link",
}
# allauth's own account pages: the person's sign-in forms, no rows (account_email, the
# one page listing something, is measured above); and its two-factor pages, which show
# the person's own authenticator app and recovery codes, one of each at most.
ALLAUTH_PREFIX = ("account_", "mfa_")


def _admin(name: str, *args: Callable[[World], object]) -> Callable[[World], str]:
    return _r(f"admin:{name}", *args)


# The admin's own pages beyond changelists that show lists.
ADMIN_LIST_PAGES: dict[str, Page] = {
    "index": Page(_admin("index"), "staff"),
    "matches_match_propose_index": Page(_admin("matches_match_propose_index"), "staff"),
    "matches_match_propose": Page(_admin("matches_match_propose", lambda w: w.cycle.pk), "staff"),
    "evaluation_programhealth_health": Page(
        _admin("evaluation_programhealth_health", lambda w: w.cycle.pk), "staff"
    ),
    "evaluation_programhealth_report": Page(
        _admin("evaluation_programhealth_report", lambda w: w.cycle.pk), "staff"
    ),
    "evaluation_programhealth_report_csv": Page(
        _admin("evaluation_programhealth_report_csv", lambda w: w.cycle.pk), "staff"
    ),
    "evaluation_programhealth_report_pdf": Page(
        _admin("evaluation_programhealth_report_pdf", lambda w: w.cycle.pk), "staff"
    ),
    "evaluation_survey_results": Page(
        _admin("evaluation_survey_results", lambda w: w.survey.pk), "staff"
    ),
    "evaluation_survey_results_csv": Page(
        _admin("evaluation_survey_results_csv", lambda w: w.survey.pk), "staff"
    ),
    "evaluation_survey_named_csv": Page(
        _admin("evaluation_survey_named_csv", lambda w: w.survey.pk), "staff"
    ),
    "evaluation_survey_preview": Page(
        _admin("evaluation_survey_preview", lambda w: w.survey.pk), "staff"
    ),
    "newsletter_newsletterissue_preview": Page(
        _admin("newsletter_newsletterissue_preview", lambda w: w.issue.pk), "staff"
    ),
    "newsletter_newsletterissue_preview_html": Page(
        _admin("newsletter_newsletterissue_preview_html", lambda w: w.issue.pk), "staff"
    ),
    "newsletter_newsletterissue_report": Page(
        _admin("newsletter_newsletterissue_report", lambda w: w.issue.pk), "staff"
    ),
    # A message to a group: its recipients to preview as, and each one's delivery.
    "newsletter_groupmessage_preview": Page(
        _admin("newsletter_groupmessage_preview", lambda w: w.group_message.pk), "staff"
    ),
    "newsletter_groupmessage_change": Page(
        _admin("newsletter_groupmessage_change", lambda w: w.group_message.pk), "staff"
    ),
}
ADMIN_NOT_LISTS: dict[str, str] = {
    "mentoring_cycle_anonymise": "a confirmation for one cycle; its queries for one match or "
    "five are in tests/mentoring/test_privacy.py",
    "login": "the sign-in form",
    "logout": "signs out",
    "password_change": "a form",
    "password_change_done": "a message",
    "jsi18n": "the admin's translations, no rows",
    "view_on_site": "a redirect to one object",
    "autocomplete": "Django's search-as-you-type: one page of results in a fixed query",
    "app_list": "one app's models, no rows",
    "matches_match_dissolve": "a confirmation for one match",
    "matches_match_conclude": "a confirmation for one match",
    "mentoring_cycle_copy": "a form copying one cycle",
    "matches_match_conclude_cycle": "a confirmation for one cycle (one count of its matches)",
    "newsletter_newsletterissue_test": "a form sending one test email",
    "newsletter_newsletterissue_schedule": "a confirmation for one issue",
    "newsletter_newsletterissue_unschedule": "a confirmation for one issue",
    "newsletter_newsletterissue_retry_failed": _ACTION,
    "newsletter_newsletterissue_progress": "one issue's delivery counts: one grouped query",
    "matches_match_propose_progress": "one cycle's newest run of the engine: one row",
    "evaluation_programhealth_default_surveys": _ACTION,
    "newsletter_groupmessage_preview_html": "one recipient's copy of one message",
    "newsletter_groupmessage_send": _ACTION,
}
# Django's pages for one object of a registered model.
ADMIN_OBJECT_SUFFIXES = ("_add", "_change", "_delete", "_history")


def _changelists() -> dict[str, Page]:
    return {
        f"{model._meta.app_label}_{model._meta.model_name}_changelist": Page(
            _admin(f"{model._meta.app_label}_{model._meta.model_name}_changelist"), "staff"
        )
        for model in admin.site._registry
    }


CHANGELISTS = _changelists()


def _named_urls() -> list[tuple[str, str]]:
    """(namespace, name) of every URL, unnamed ones as name ''."""
    return [(u.namespace, u.url_name) for u in site_urls(skipped_prefixes=())]


def test_every_url_is_measured_or_excluded_with_a_reason():
    """The rule: every named URL of the site is either a measured list page or excluded
    with a reason; in the admin, every registered model's changelist is measured and
    every other page is a measured list, one object's page, or excluded with a reason."""
    unclassified = []
    for namespace, name in _named_urls():
        if namespace == "admin":
            if (
                not name  # the catch-all and each model's object-id redirect
                or name in CHANGELISTS
                or name in ADMIN_LIST_PAGES
                or name in ADMIN_NOT_LISTS
                or name.endswith(ADMIN_OBJECT_SUFFIXES)
            ):
                continue
            unclassified.append(f"admin:{name}")
            continue
        full = f"{namespace}:{name}" if namespace else name
        if full in SITE_LIST_PAGES or full in SITE_NOT_LISTS or full.startswith(ALLAUTH_PREFIX):
            continue
        unclassified.append(full or "(an unnamed URL)")

    assert not unclassified, (
        "Measure these in SITE_LIST_PAGES / ADMIN_LIST_PAGES, or add them to the "
        f"exclusions with a reason: {unclassified}"
    )
    stale = [n for n in (*SITE_LIST_PAGES, *SITE_NOT_LISTS) if n not in _all_site_names()]
    assert not stale, f"These names are no longer URLs: {stale}"


def _all_site_names() -> set[str]:
    return {f"{ns}:{name}" if ns else name for ns, name in _named_urls() if ns != "admin"}


ALL_PAGES: dict[str, Page] = {
    **SITE_LIST_PAGES,
    **{f"admin:{name}": page for name, page in {**CHANGELISTS, **ADMIN_LIST_PAGES}.items()},
}


# Pages that look the same at both sizes, by nature; every other page must show more with
# 12 rows than with 2, or its query count proves nothing.
FIXED_SIZE: dict[str, str] = {
    "admin:index": "the committee home: counts of each task, not its rows (the counts are "
    "one grouped query per kind of row)",
    "admin:sites_site_changelist": "one site",
    "goals:outcomes": "one sheet's goals: at most three",
    "goals:print": "one agreed revision's goals: at most three",
}


@dataclass
class Measurement:
    status: int
    queries: list[str]
    size: int  # of the page, to tell that it did show more rows


def _clients(world: World) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for who in PEOPLE:
        clients[who] = Client()
        clients[who].force_login(getattr(world, who))
    return clients


def _measure(world: World) -> dict[str, Measurement]:
    clients = _clients(world)
    measured = {}
    for name, page in ALL_PAGES.items():
        url = page.url(world)
        client = clients[page.who]
        client.get(url)  # warm: the first request fills per-process caches (content types)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        measured[name] = Measurement(
            response.status_code, [q["sql"] for q in ctx], len(response.content)
        )
    return measured


@pytest.fixture(scope="module")
def measurements(django_db_setup, django_db_blocker):
    """Both sizes measured once for the module, in a transaction rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.grow(SMALL)
        small = _measure(world)
        world.grow(LARGE - SMALL)
        large = _measure(world)
        transaction.set_rollback(True)
    return small, large


def _shape(sql: str) -> str:
    return re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "'S'", sql))


def _report(name: str, small: Measurement, large: Measurement) -> str:
    def listing(m: Measurement) -> str:
        return "\n".join(f"  {i + 1}. {sql}" for i, sql in enumerate(m.queries))

    # The query shapes (numbers taken out) that ran more often with more rows: the N+1.
    shapes = Counter(_shape(sql) for sql in large.queries)
    shapes.subtract(_shape(sql) for sql in small.queries)
    grown = "\n".join(f"  +{n}: {sql}" for sql, n in shapes.most_common() if n > 0)
    return (
        f"{name}: {len(small.queries)} queries with {SMALL} rows, "
        f"{len(large.queries)} with {LARGE}.\nRan more often:\n{grown}\n"
        f"With {SMALL}:\n{listing(small)}\nWith {LARGE}:\n{listing(large)}"
    )


# The mark makes pytest-django set the test database up even when this module runs alone.
@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ALL_PAGES))
def test_the_page_runs_the_same_queries_with_2_rows_as_with_12(measurements, name):
    small, large = (m[name] for m in measurements)

    assert (small.status, large.status) == (200, 200), f"{name} answered {small.status}"
    assert len(large.queries) == len(small.queries), _report(name, small, large)
    if name not in FIXED_SIZE:
        assert large.size > small.size, f"{name} showed no more with {LARGE} rows than {SMALL}"
