"""The permission matrix: every URL of the site (outside the admin and allauth, which
have their own tests), generated from the URL configuration, tried by each person around
its object: nobody signed in, another applicant (a participant of another match of the
same cycle), the partner (the other side of the match), the owner, and staff.

``MATRIX`` says, URL by URL, what each of them gets. A URL that is not in it fails the
test, so a new page cannot be added without saying who may open it. Whoever is refused
a page is refused an empty POST to it too, and nothing in the database changes.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.site_urls import site_urls
from tests.world import (
    ANONYMOUS,
    ANOTHER_APPLICANT,
    OWNER,
    OWNER_GOAL,
    OWNER_HELP,
    OWNER_LOG,
    OWNER_NAME,
    PARTNER,
    ROLES,
    STAFF,
    build_world,
)

OK = 200
LOGIN = "302 to login"
REDIRECT = "302 elsewhere"
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
REFUSED = {LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED}


class Who(NamedTuple):
    """What each person gets."""

    anonymous: object
    another_applicant: object
    partner: object
    owner: object
    staff: object


def everyone(outcome) -> Who:
    return Who(outcome, outcome, outcome, outcome, outcome)


def signed_in(outcome) -> Who:
    """A page of one's own with no object in its URL: sign in first."""
    return Who(LOGIN, outcome, outcome, outcome, outcome)


class Expect(NamedTuple):
    get: Who
    # For a view that only accepts POST: what an empty POST gets.
    post: Who | None = None


PARTNERS_ONLY = Expect(Who(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND))
OWNER_ONLY = Expect(Who(LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND))

MATRIX: dict[str, Expect] = {
    # Public pages: the program, its timeline and calendar, the catalog.
    "home": Expect(everyone(OK)),
    "healthz": Expect(everyone(OK)),
    # The language switcher (a POST, back to the page) and the JavaScript catalogue.
    "set_language": Expect(get=everyone(NOT_ALLOWED), post=everyone(REDIRECT)),
    "javascript_catalog": Expect(everyone(OK)),
    # Two programs: the list of them (with one, straight to its timeline:
    # test_with_one_program_the_timeline_goes_straight_to_it).
    "timeline": Expect(everyone(OK)),
    "program_detail": Expect(everyone(OK)),
    "program_timeline": Expect(everyone(OK)),
    "program_calendar": Expect(everyone(OK)),
    "cycle_timeline": Expect(everyone(OK)),
    "cycle_calendar": Expect(everyone(OK)),
    "activities:catalog": Expect(everyone(OK)),
    "activities:activity_detail": Expect(everyone(OK)),
    "activities:reading_list": Expect(everyone(OK)),
    # A person's own pages, with no object in the URL.
    "my_mentoring": Expect(signed_in(OK)),
    "applications:mine": Expect(signed_in(OK)),
    # With exactly one match, straight to it; staff have none.
    "matches:mine": Expect(Who(LOGIN, REDIRECT, REDIRECT, REDIRECT, OK)),
    "goals:mine": Expect(signed_in(OK)),
    "newsletter:archive": Expect(signed_in(OK)),
    "newsletter:preferences": Expect(signed_in(OK)),
    "evaluation:mine": Expect(signed_in(OK)),
    # Personal data: each person's own, whoever they are (the download is a POST).
    "my_data": Expect(signed_in(OK)),
    "my_data_download": Expect(
        get=Who(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=signed_in(OK),
    ),
    "my_account_delete": Expect(signed_in(OK)),  # staff are told they cannot
    "my_account_deleted": Expect(everyone(OK)),
    # Applications: only the applicant's own; staff read them in admin.
    "applications:apply": Expect(signed_in(OK)),
    "applications:detail": OWNER_ONLY,
    "applications:edit": OWNER_ONLY,
    "applications:submitted": OWNER_ONLY,
    "applications:withdraw": OWNER_ONLY,
    "applications:reopen": Expect(
        get=Who(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        # The owner's application is not withdrawn: a message, back to it.
        post=Who(LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT, NOT_FOUND),
    ),
    # A match and its goal sheet: the two partners; who may act follows the sheet's table.
    "matches:detail": PARTNERS_ONLY,
    "matches:meeting_record": PARTNERS_ONLY,
    # Asking the committee for help: either partner, each seeing only their own requests
    # (OWNER_HELP, the owner's, shows on no page their partner opens: _leaks).
    "matches:help": PARTNERS_ONLY,
    # Preferences before matching: the person's own accepted application only.
    "matches:preferences": OWNER_ONLY,
    # A certificate: each partner downloads their own; anyone verifies a code.
    "certificates:download": PARTNERS_ONLY,
    "certificates:verify": Expect(everyone(OK)),
    "goals:sheet": PARTNERS_ONLY,
    "goals:edit": PARTNERS_ONLY,
    # The edit page's intents, POST only; an empty post is sent back to the sheet.
    "goals:add_goal": Expect(
        get=Who(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=Who(LOGIN, NOT_FOUND, REDIRECT, REDIRECT, NOT_FOUND),
    ),
    "goals:save_draft": Expect(
        get=Who(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=Who(LOGIN, NOT_FOUND, REDIRECT, REDIRECT, NOT_FOUND),
    ),
    "goals:save_and_submit": Expect(
        get=Who(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=Who(LOGIN, NOT_FOUND, FORBIDDEN, REDIRECT, NOT_FOUND),  # the mentee
    ),
    "goals:submit": Expect(Who(LOGIN, NOT_FOUND, FORBIDDEN, OK, NOT_FOUND)),  # the mentee
    "goals:withdraw": Expect(
        get=Who(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=Who(LOGIN, NOT_FOUND, FORBIDDEN, REDIRECT, NOT_FOUND),  # the mentee
    ),
    "goals:review": Expect(Who(LOGIN, NOT_FOUND, FORBIDDEN, OK, NOT_FOUND)),  # the mentor
    "goals:reopen": PARTNERS_ONLY,
    "goals:revisions": PARTNERS_ONLY,
    "goals:revision": PARTNERS_ONLY,
    "goals:print": PARTNERS_ONLY,
    "goals:outcomes": PARTNERS_ONLY,
    "goals:check_in": PARTNERS_ONLY,
    # The activity log: both partners; an entry is changed only by who recorded it.
    "activities:log": PARTNERS_ONLY,
    "activities:log_entry_create": PARTNERS_ONLY,
    "activities:log_entry_edit": OWNER_ONLY,
    "activities:log_entry_delete": OWNER_ONLY,
    "activities:log_entry_mark_done": Expect(
        get=Who(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=Who(LOGIN, NOT_FOUND, REDIRECT, REDIRECT, NOT_FOUND),  # either partner
    ),
    # A newsletter issue belongs to its cycle: every participant of the cycle reads it.
    "newsletter:issue": Expect(Who(LOGIN, OK, OK, OK, NOT_FOUND)),
    # Signed links from an email: the token is the credential, no sign-in needed
    # (a mail client's one-click unsubscribe has no session). A made-up token is a 404
    # (test_a_made_up_token_opens_nothing).
    "newsletter:unsubscribe": Expect(everyone(OK)),
    "newsletter:resubscribe": Expect(get=everyone(NOT_ALLOWED), post=everyone(OK)),
    # A survey link: its person's, or nobody signed in holding the link.
    "evaluation:answer": Expect(Who(OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND)),
    "evaluation:thanks": Expect(Who(OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND)),
}

OWN_APPS = {"mentoring", "applications", "matches", "goals", "activities"}
OWN_APPS |= {"newsletter", "evaluation", "certificates"}
OWNER_TEXTS = (OWNER_NAME, OWNER_GOAL, OWNER_LOG, OWNER_HELP)
# What the owner keeps even from their partner: their request for help to the committee.
HIDDEN_FROM_PARTNER = (OWNER_HELP,)

URLS = site_urls()


def outcome(response):
    if response.status_code == 302:
        login = resolve_url(settings.LOGIN_URL)
        return LOGIN if response["Location"].startswith(login + "?") else REDIRECT
    return response.status_code


def database_state() -> dict[str, list[tuple]]:
    """Every row of the program's own tables, to show a refused request changed nothing."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label in OWN_APPS
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _leaks(response, request: str, texts=OWNER_TEXTS) -> list[str]:
    """The owner's texts a page shown to someone else contains (none, or a problem)."""
    body = response.content.decode(errors="replace")
    # As the page shows it: escaped, so an apostrophe is “&#x27;”.
    leaked = [text for text in texts if text in body or escape(text) in body]
    return [f"{request} shows the owner's {leaked}"] if leaked else []


def test_every_url_of_the_site_is_in_the_matrix():
    names = [url.name for url in URLS]
    unknown = [f"{url.name} ({url.route})" for url in URLS if url.name not in MATRIX]
    assert not unknown, (
        "These URLs are not in the permission matrix; add each to MATRIX in "
        f"tests/security/test_permission_matrix.py with who may open it: {unknown}"
    )
    gone = sorted(set(MATRIX) - set(names))
    assert not gone, f"MATRIX names URLs that no longer exist; remove them: {gone}"
    assert len(names) == len(set(names)), "Two URLs share a name"


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS, ids=[url.name for url in URLS])
def test_each_person_gets_what_the_matrix_says(url):
    assert url.name in MATRIX, (
        f"{url.name} ({url.route}) is not in the permission matrix: add it to MATRIX in "
        "tests/security/test_permission_matrix.py with who may open it."
    )
    expect = MATRIX[url.name]
    world = build_world()
    case = world.case(url.name)
    missing = set(url.kwargs) - set(case.kwargs)
    assert not missing, (
        f"{url.name} needs {sorted(missing)}: say which object it is tried on in "
        "ARGUMENTS (tests/world/urls.py)."
    )
    path = reverse(url.name, kwargs=case.kwargs)

    got_get, got_post, problems = {}, {}, []
    for role, wanted_get in zip(ROLES, expect.get, strict=True):
        person = case.people[role]
        client = client_for(person)
        before = database_state() if wanted_get in REFUSED else None
        response = client.get(path)
        got_get[role] = outcome(response)
        if before is not None:
            if database_state() != before:
                problems.append(f"GET by {role} (refused) changed the database")
        elif response.status_code == OK and role in (ANOTHER_APPLICANT, STAFF):
            problems += _leaks(response, f"GET by {role}")
        elif response.status_code == OK and role == PARTNER:
            problems += _leaks(response, f"GET by {role}", HIDDEN_FROM_PARTNER)

    post_roles = ROLES if expect.post is not None else ()
    for role in post_roles:
        client = client_for(case.people[role])
        wanted = expect.post[ROLES.index(role)]
        before = database_state() if wanted in REFUSED else None
        response = client.post(path, {})
        got_post[role] = outcome(response)
        if before is not None and database_state() != before:
            problems.append(f"POST by {role} (refused) changed the database")
        if response.status_code == OK and role in (ANOTHER_APPLICANT, STAFF):
            problems += _leaks(response, f"POST by {role}")
        elif response.status_code == OK and role == PARTNER:
            problems += _leaks(response, f"POST by {role}", HIDDEN_FROM_PARTNER)

    # Whoever may not open the page may not post to it either.
    for role, wanted_get in zip(ROLES, expect.get, strict=True):
        if expect.post is not None or wanted_get not in REFUSED:
            continue
        client = client_for(case.people[role])
        before = database_state()
        got = outcome(client.post(path, {}))
        if got not in REFUSED:
            problems.append(f"an empty POST by {role} was not refused: {got}")
        if database_state() != before:
            problems.append(f"an empty POST by {role} changed the database")

    wanted = {"GET": dict(zip(ROLES, expect.get, strict=True))}
    got = {"GET": got_get}
    if expect.post is not None:
        wanted["POST"] = dict(zip(ROLES, expect.post, strict=True))
        got["POST"] = got_post
    assert (got, problems) == (wanted, []), f"{url.name} at {path}"


# URLs naming more than one object are tried with the inner object taken from another
# match under the person's own (CROSSED in tests/world/urls.py); those that need not be, and why.
NOT_CROSSED = {
    "cycle_timeline": "public: a cycle's page",
    "cycle_calendar": "public: a cycle's calendar",
    "activities:activity_detail": "public: the catalog",
    "applications:apply": "the role is not an object",
    "goals:revision": "a revision number counts within the match's own goal sheet",
}
NESTED_URLS = [url for url in URLS if len(url.kwargs) > 1]


@pytest.mark.django_db
@pytest.mark.parametrize("url", NESTED_URLS, ids=[url.name for url in NESTED_URLS])
def test_another_matchs_object_is_not_found_under_ones_own_match(url):
    if url.name in NOT_CROSSED:
        return
    world = build_world()
    case = world.crossed(url.name)
    assert case is not None, (
        f"{url.name} names {url.kwargs}: add it to CROSSED (tests/world/urls.py), "
        "or to NOT_CROSSED with the reason."
    )
    path = reverse(url.name, kwargs=case.kwargs)
    client = client_for(case.people[OWNER])
    before = database_state()
    assert client.get(path).status_code in (NOT_FOUND, NOT_ALLOWED)
    assert client.post(path, {}).status_code == NOT_FOUND
    assert database_state() == before


TOKEN_URLS = [url for url in URLS if "token" in url.kwargs]


@pytest.mark.django_db
@pytest.mark.parametrize("url", TOKEN_URLS, ids=[url.name for url in TOKEN_URLS])
def test_a_made_up_token_opens_nothing(url):
    world = build_world()
    token = world.case(url.name).kwargs["token"]
    clients = [client_for(None), client_for(world.owner)]
    before = database_state()
    for made_up in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x", "0" * 40):
        path = reverse(url.name, kwargs={"token": made_up})
        for client in clients:
            assert client.get(path).status_code in (NOT_FOUND, NOT_ALLOWED), made_up
            assert client.post(path, {}).status_code == NOT_FOUND, made_up
    assert database_state() == before


@pytest.mark.django_db
def test_the_matrix_tries_every_person_it_names():
    """The world gives each URL a distinct person in each role (else the matrix would
    try the owner twice and call it a partner)."""
    world = build_world()
    for url in URLS:
        people = world.case(url.name).people
        signed = [people[role] for role in ROLES if role != ANONYMOUS]
        assert None not in signed and len(set(signed)) == len(signed), url.name
        assert people[ANONYMOUS] is None
        assert people[OWNER] != people[STAFF] and people[STAFF].is_staff


@pytest.mark.django_db
def test_the_owner_reads_their_help_request_on_their_match_and_the_partner_never_does():
    """The leak check above can fail: the owner's own page does carry OWNER_HELP."""
    world = build_world()
    case = world.case("matches:detail")
    path = reverse("matches:detail", kwargs=case.kwargs)

    owner_page = client_for(case.people[OWNER]).get(path).content.decode()
    partner_page = client_for(case.people[PARTNER]).get(path).content.decode()

    assert escape(OWNER_HELP) in owner_page
    assert escape(OWNER_HELP) not in partner_page and OWNER_HELP not in partner_page


@pytest.mark.django_db
def test_with_one_program_the_timeline_goes_straight_to_it():
    """The world has two programs, so the matrix sees the list; with one, everyone is sent
    straight to its timeline."""
    world = build_world()
    world.other_program.delete()
    case = world.case("timeline")
    path = reverse("timeline")
    expected = reverse("program_timeline", kwargs={"program_slug": world.program.slug})
    for role in ROLES:
        response = client_for(case.people[role]).get(path)
        assert (outcome(response), response["Location"]) == (REDIRECT, expected), role
