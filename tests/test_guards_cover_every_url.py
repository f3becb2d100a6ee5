"""The three guards that open the site's pages share one world and one URL table
(tests/world): the permission matrix (tests/security), the query-count guard
(tests/performance) and the accessibility sweep (tests/browser/test_accessibility.py).
Each one places every URL of its own part of the site; this test holds them together:
every URL of the site's URLconf outside Django's admin is opened by at least one of them,
or is named below with the reason none does, and the URL table names only real URLs."""

from __future__ import annotations

import pytest

from tests.browser.sweep import world as sweep
from tests.performance.test_query_counts import ALL_PAGES
from tests.security.test_permission_matrix import MATRIX
from tests.site_urls import site_urls
from tests.world import ARGUMENTS, CROSSED

# Opened by none of the three guards, and why.
NOT_OPENED = {
    "account_confirm_login_code": "sign-in by emailed code is off: the page only redirects "
    "(the sweep's reason)",
    "account_confirm_reauthentication_code": "redirects until a code was sent (the sweep's reason)",
    "mfa_download_recovery_codes": "a text file, not a page (the sweep's reason)",
}


def _site_names() -> set[str]:
    return {u.name for u in site_urls(skipped_prefixes=("admin/",)) if u.url_name}


def test_the_url_table_names_only_urls_of_the_site():
    names = {u.name for u in site_urls()}
    assert not (set(ARGUMENTS) | set(CROSSED)) - names, "the table names URLs that are gone"
    needing = {u.name for u in site_urls() if u.kwargs}
    assert not needing - set(ARGUMENTS), "URLs with arguments the table does not place"


@pytest.mark.django_db
def test_every_url_of_the_site_is_opened_by_one_of_the_guards():
    _, visits = sweep()
    opened = {
        "the permission matrix": set(MATRIX),
        "the query-count guard": set(ALL_PAGES),
        "the accessibility sweep": {visit.name for visit in visits},
    }
    every = set().union(*opened.values())
    names = _site_names()
    missing = sorted(names - every - NOT_OPENED.keys())
    assert not missing, f"No guard opens these URLs; place them in one: {missing}"
    stale = sorted(NOT_OPENED.keys() - names)
    assert not stale, f"These are no longer URLs: {stale}"
    assert not NOT_OPENED.keys() & every, "a URL is opened after all: take it out of NOT_OPENED"
    # Each guard opens pages the others do not: none is redundant.
    for guard, names_opened in opened.items():
        others = set().union(*(v for k, v in opened.items() if k != guard))
        assert names_opened - others, f"{guard} opens nothing the others do not"
