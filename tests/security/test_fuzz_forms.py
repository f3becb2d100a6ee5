"""Property-based fuzzing of every form's POST on the site: whatever a browser, a script
or a mistake sends (any unicode, NUL bytes, very long strings, numbers out of range,
impossible dates, unknown choices, missing or repeated keys), the page answers with the
form again or a redirect, never a server error.

The URLs come from the URL configuration: each one whose view reads a POST is fuzzed,
signed in as the right person on the right object (the permission matrix's world), or
listed in ``NOT_FUZZED`` with the reason; a new one fails the test until it is one or the
other. The allauth forms the site uses and the admin add forms of the program's own
models (as staff, fewer examples) are fuzzed the same way.
"""

from __future__ import annotations

import os
import string
from typing import NamedTuple

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.site_urls import site_urls
from tests.world import ANONYMOUS, OWNER, build_world

from .forms import PageForm, page_form, query_fields

# FUZZ_EXAMPLES=500 for a deeper run by hand; the suite's run stays short.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written to .hypothesis/: each run starts afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ADMIN_SETTINGS = settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 3, 5))

# A form re-shown (200, or 400/409 where the page says what is wrong or what changed
# meanwhile), a redirect, or a 404 for a reference to something that is not there.
ANSWERS = {200, 302, 400, 404, 409}


class Fuzz(NamedTuple):
    """Who posts, which page holds the form (when the URL has no page of its own), and
    fields the page shows only in another state (a conflict, a withdrawn application)."""

    as_: str = OWNER
    form_on: str | None = None
    also: tuple[str, ...] = ()


FUZZED: dict[str, Fuzz] = {
    "applications:apply": Fuzz(),
    "applications:edit": Fuzz(),
    "applications:withdraw": Fuzz(),
    "applications:reopen": Fuzz(form_on="applications:detail"),
    # take_saved: the button that takes the partner's saved goal after a conflict.
    "goals:add_goal": Fuzz(form_on="goals:edit", also=("take_saved",)),
    "goals:save_draft": Fuzz(form_on="goals:edit"),
    "goals:save_and_submit": Fuzz(form_on="goals:edit"),
    "goals:submit": Fuzz(),
    "goals:withdraw": Fuzz(form_on="goals:sheet"),
    "goals:review": Fuzz(),
    "goals:reopen": Fuzz(),
    "goals:outcomes": Fuzz(),
    "goals:check_in": Fuzz(),
    "activities:log_entry_create": Fuzz(),
    "matches:meeting_record": Fuzz(),
    "matches:help": Fuzz(),
    "matches:preferences": Fuzz(),
    "activities:log_entry_edit": Fuzz(),
    "activities:log_entry_delete": Fuzz(),
    "activities:log_entry_mark_done": Fuzz(form_on="activities:log"),
    "newsletter:preferences": Fuzz(),
    # The mail client posts these with no session: the token is the credential.
    "newsletter:unsubscribe": Fuzz(as_=ANONYMOUS),
    "newsletter:resubscribe": Fuzz(as_=ANONYMOUS),
    "evaluation:answer": Fuzz(),
    "my_data_download": Fuzz(form_on="my_data"),
    "my_account_delete": Fuzz(),
    # The header's language switcher, on every page.
    "set_language": Fuzz(form_on="home"),
}
# URLs whose view reads a POST but is not fuzzed here, each with the reason.
NOT_FUZZED: dict[str, str] = {}

# The allauth pages the site uses, fuzzed as a visitor.
ACCOUNT_FORMS = ["account_login", "account_signup", "account_reset_password"]

OWN_APPS = {"mentoring", "applications", "matches", "goals", "activities"}
OWN_APPS |= {"newsletter", "evaluation"}

# --- What gets posted --------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\t\n\r ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "٣",  # an Arabic-Indic digit: int() accepts it
    "0000-00-00",
    "99999-12-31",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "12/31/2026",
    "on",
    "true",
    "None",
    "null",
    "[]",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u202eevil",
    "🙂" * 300,
    "x" * 5_000,
    "y" * 100_000,
]
_characters = st.characters(blacklist_categories=("Cs",))  # a browser can't send lone surrogates
_one_value = st.one_of(
    st.sampled_from(NASTY),
    st.text(_characters, max_size=80),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.dates().map(str),
)
# Field names a form does not have (kept to what a multipart body can carry unescaped).
_extra_names = st.text(string.ascii_letters + string.digits + "-_[].", min_size=1, max_size=20)


def _values(offered: list[str]):
    """A field's value: sometimes what the page offers (to get past the first check and
    reach the deeper ones), mostly anything; now and then the key repeated."""
    one = st.one_of(st.sampled_from(offered), _one_value) if offered else _one_value
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def _as_sent(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


def _changed(filled, changes, button):
    """The form as the page stands, sent with one of its buttons, a few fields changed
    (None: the key left out)."""
    data = {name: _as_sent(values) for name, values in filled.items()}
    if button is not None:
        data[button[0]] = button[1]
    for name, value in changes:
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def post_data(form: PageForm):
    """Mostly the form as a person would send it with a few fields broken (so the checks
    behind the first ones are reached), else any of its fields with anything in them, all
    or some missing; plus keys the form does not know."""
    strategies = {name: _values(offered) for name, offered in form.offered.items()}
    anything = st.one_of(
        st.fixed_dictionaries(strategies), st.fixed_dictionaries({}, optional=strategies)
    )
    if strategies:
        change = st.sampled_from(sorted(strategies)).flatmap(
            lambda name: st.tuples(st.just(name), st.one_of(st.none(), strategies[name]))
        )
        button = st.sampled_from(form.buttons) if form.buttons else st.none()
        changed = st.builds(_changed, st.just(form.filled), st.lists(change, max_size=3), button)
        known = st.one_of(changed, anything)
    else:
        known = anything
    unknown = st.dictionaries(_extra_names, _values([]), max_size=3)
    return st.tuples(known, unknown).map(lambda pair: {**pair[1], **pair[0]})


def fuzz(client: Client, path: str, form: PageForm, hypothesis_settings) -> None:
    """Post generated data to ``path``; each post is undone, so every example meets the
    same objects (and the login rate limits start afresh)."""

    @hypothesis_settings
    @given(data=post_data(form))
    def run(data):
        cache.clear()
        with transaction.atomic():
            response = client.post(path, data)
            transaction.set_rollback(True)
        assert response.status_code in ANSWERS, (response.status_code, data)

    run()


# --- The site's forms --------------------------------------------------------------------

URLS = [url for url in site_urls() if url.takes_post]
ROUTES = {url.name: url for url in site_urls()}


def test_every_url_that_takes_a_post_is_fuzzed_or_excused():
    names = {url.name for url in URLS}
    unknown = sorted(names - set(FUZZED) - set(NOT_FUZZED))
    assert not unknown, (
        "These URLs read a POST but are neither fuzzed nor excused: add each to FUZZED (or "
        f"to NOT_FUZZED with the reason) in tests/security/test_fuzz_forms.py: {unknown}"
    )
    stale = sorted((set(FUZZED) | set(NOT_FUZZED)) - names)
    assert not stale, f"No such URL takes a POST any more; remove: {stale}"
    assert not set(FUZZED) & set(NOT_FUZZED)


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS, ids=[url.name for url in URLS])
def test_a_posted_form_never_breaks_the_page(url):
    assert url.name in FUZZED or url.name in NOT_FUZZED, (
        f"{url.name} reads a POST: add it to FUZZED or NOT_FUZZED in {__name__}."
    )
    if url.name in NOT_FUZZED:
        pytest.skip(NOT_FUZZED[url.name])
    spec = FUZZED[url.name]
    world = build_world()
    case = world.case(url.name)
    client = Client()
    person = case.people[spec.as_]
    if person is not None:
        client.force_login(person)
    path = reverse(url.name, kwargs=case.kwargs)
    page = ROUTES[spec.form_on] if spec.form_on else url
    page_path = reverse(page.name, kwargs={k: case.kwargs[k] for k in page.kwargs})
    response = client.get(page_path)
    form = page_form(response.content.decode(), path) if response.status_code == 200 else None
    if page is url and response.status_code == 200:
        assert form is not None, f"{url.name}: no form posting to {path} on its page"
    form = form or PageForm()
    form.offered = {**dict.fromkeys(spec.also, []), **form.offered}
    fuzz(client, path, form, FUZZ_SETTINGS)


QUERY_URLS = [url for url in site_urls() if url.query_keys is not None]


@pytest.mark.django_db
@pytest.mark.parametrize("url", QUERY_URLS, ids=[url.name for url in QUERY_URLS])
def test_a_query_string_never_breaks_the_page(url):
    """The pages that read their query string (filters, a page number, a preselected
    activity) take anything in it."""
    world = build_world()
    case = world.case(url.name)
    client = Client()
    client.force_login(case.people[OWNER])
    path = reverse(url.name, kwargs=case.kwargs)
    # The keys the view reads by name, and the fields of the page's own filter form.
    fields = {
        **dict.fromkeys(url.query_keys, []),
        # (errors="replace": a PDF download reads its query string too)
        **query_fields(client.get(path).content.decode(errors="replace"), path),
    }
    assert fields, f"{url.name} reads its query string, but no key of it was found"
    strategies = {name: _values(offered) for name, offered in fields.items()}

    @FUZZ_SETTINGS
    @given(query=st.fixed_dictionaries({}, optional=strategies))
    def run(query):
        response = client.get(path, query)
        assert response.status_code in {200, 302, 404}, (response.status_code, query)

    run()


# --- allauth and the admin -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACCOUNT_FORMS)
def test_an_account_form_never_breaks(name):
    build_world()  # people to sign in as, or to sign up again as
    client = Client()
    path = reverse(name)
    form = page_form(client.get(path).content.decode(), path)
    assert form is not None and form.offered, f"no form on {path}"
    fuzz(client, path, form, FUZZ_SETTINGS)


def _own_models():
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in OWN_APPS),
        key=lambda model: model._meta.label,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", _own_models(), ids=lambda model: model._meta.label)
def test_an_admin_add_form_never_breaks(model):
    world = build_world()
    client = Client()
    client.force_login(world.staff)
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = client.get(path)
    if response.status_code == 403:
        pytest.skip("staff do not add these in admin")
    assert response.status_code == 200
    form = page_form(response.content.decode(), path)
    assert form is not None and form.offered, f"no form on {path}"
    fuzz(client, path, form, ADMIN_SETTINGS)
