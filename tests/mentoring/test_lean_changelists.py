"""The lean changelists (``mentoring.admin_lists.LeanRows`` and ``{% lean_result_list %}``):
the rows they write out are the ones Django's admin renders, cell for cell."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from applications.models import Application
from goals.models import GoalSheet
from matches.models import Match
from tests.factories import GoalSheetFactory, MatchFactory, verified_user

pytestmark = pytest.mark.django_db

LEAN = [
    (Match, "admin:matches_match_changelist"),
    (GoalSheet, "admin:goals_goalsheet_changelist"),
    (Application, "admin:applications_application_changelist"),
]


def _rows(html: str) -> str:
    body = re.search(r"<tbody>.*</tbody>", html, re.S).group(0)
    # Whitespace between tags is the templates' layout, not the page's.
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", body))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("model", "url_name"), LEAN, ids=[u for _, u in LEAN])
def test_the_lean_rows_are_the_admins_own(client, monkeypatch, model, url_name, language):
    client.force_login(verified_user(is_staff=True, is_superuser=True, language=language))
    for _ in range(3):
        GoalSheetFactory(match=MatchFactory(status="active"))
    url = reverse(url_name)
    cycles = next(
        f
        for f in admin.site._registry[model].list_filter
        if getattr(f, "__name__", "") == "CycleFilter"
    )
    lean = client.get(url, {cycles.parameter_name: "all"})
    model_admin = admin.site._registry[model]
    assert model_admin.list_only, "the list is marked lean"

    monkeypatch.setattr(model_admin, "list_only", ())
    plain = client.get(url, {cycles.parameter_name: "all"})

    assert lean.status_code == plain.status_code == 200
    assert lean.context["cl"].result_count >= 3
    assert _rows(lean.content.decode()) == _rows(plain.content.decode())


def test_a_cell_whose_related_row_is_gone_shows_the_empty_value_as_djangos(client, monkeypatch):
    from django.core.exceptions import ObjectDoesNotExist

    from matches.admin import MatchAdmin

    client.force_login(verified_user(is_staff=True, is_superuser=True))
    gone = MatchFactory(status="active")
    MatchFactory(status="active")
    shown = MatchAdmin.score_shown

    def score_shown(self, match):
        if match.pk == gone.pk:
            raise ObjectDoesNotExist
        return shown(self, match)

    monkeypatch.setattr(MatchAdmin, "score_shown", score_shown)
    url = reverse("admin:matches_match_changelist")
    model_admin = admin.site._registry[Match]
    every = {f.parameter_name: "all" for f in model_admin.list_filter if hasattr(f, "chosen")}
    lean = client.get(url, every)
    monkeypatch.setattr(model_admin, "list_only", ())
    plain = client.get(url, every)
    assert lean.context["cl"].result_count == 2
    assert _rows(lean.content.decode()) == _rows(plain.content.decode())
    assert model_admin.get_empty_value_display() in _rows(lean.content.decode())


def _page_facts(response) -> tuple:
    cl = response.context["cl"]
    return (
        [row.pk for row in cl.result_list],
        cl.result_count,
        cl.full_result_count,
        cl.multi_page,
        cl.can_show_all,
        cl.show_admin_actions,
        cl.paginator.num_pages,
    )


@pytest.mark.parametrize(("model", "url_name"), LEAN, ids=[u for _, u in LEAN])
def test_a_lean_page_has_the_rows_and_counts_of_the_admins_own(
    client, monkeypatch, model, url_name
):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    for _ in range(5):
        GoalSheetFactory(match=MatchFactory(status="active"))
    model_admin = admin.site._registry[model]
    monkeypatch.setattr(model_admin, "list_per_page", 2)
    url = reverse(url_name)

    lean = [client.get(url, {"p": n}) for n in (1, 2, 3)]
    monkeypatch.setattr(model_admin, "list_only", ())
    plain = [client.get(url, {"p": n}) for n in (1, 2, 3)]

    for mine, theirs in zip(lean, plain, strict=True):
        assert mine.status_code == theirs.status_code == 200
        assert _page_facts(mine) == _page_facts(theirs)
    assert _page_facts(lean[0])[1] >= 5  # five rows at least, two a page
    assert _page_facts(lean[0])[6] >= 3


@pytest.mark.parametrize("page", ["9", "0", "-1", "99999999999999999999"])
def test_a_page_past_the_end_of_a_lean_list_is_answered_as_django_answers_it(client, page):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    GoalSheetFactory(match=MatchFactory(status="active"))
    response = client.get(reverse("admin:matches_match_changelist"), {"p": page})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_an_empty_lean_list_counts_nothing_and_the_whole_list(client):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    GoalSheetFactory(match=MatchFactory(status="active"))
    response = client.get(reverse("admin:matches_match_changelist"), {"q": "nobody-here"})
    cl = response.context["cl"]
    assert (cl.result_count, cl.full_result_count, list(cl.result_list)) == (0, 1, [])
    assert cl.show_admin_actions


def test_a_filter_no_row_can_match_is_an_empty_list_not_an_error(client):
    # Django answers a negative number for a positive field without asking the database;
    # so do the lean page's counts.
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    GoalSheetFactory(match=MatchFactory(status="active"))
    response = client.get(reverse("admin:goals_goalsheet_changelist"), {"revision": "-1"})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert (cl.result_count, cl.full_result_count, list(cl.result_list)) == (0, 1, [])


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_lean_filter_is_the_admins_own(client, language):
    from django.contrib.admin.templatetags.admin_list import admin_list_filter
    from django.utils import translation

    from mentoring.templatetags.lean_admin import lean_list_filter

    client.force_login(verified_user(is_staff=True, is_superuser=True))
    for _ in range(2):
        GoalSheetFactory(match=MatchFactory(status="active"))
    compared = 0
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        # One page as it opens, one with a filter chosen (the first choice past "All").
        for query in ({}, {"status": "active"}):
            response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200 or "cl" not in (response.context or {}):
                continue
            cl = response.context["cl"]
            with translation.override(language):
                for spec in cl.filter_specs:
                    assert lean_list_filter(cl, spec) == admin_list_filter(cl, spec), spec
                    compared += 1
    assert compared > 40


@pytest.mark.parametrize(("model", "url_name"), LEAN, ids=[u for _, u in LEAN])
def test_a_lean_page_takes_its_cycles_from_the_shared_content(client, monkeypatch, model, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring import content_cache

    client.force_login(verified_user(is_staff=True, is_superuser=True))
    for _ in range(3):
        GoalSheetFactory(match=MatchFactory(status="active"))
    url = reverse(url_name)
    client.get(url)  # the shared content warm
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert not any('"mentoring_cycle"."name"' in q["sql"] for q in warm.captured_queries)

    # A cycle the shared content does not know (written where no signal told it): read
    # from the database, once for the page, not once a row.
    monkeypatch.setattr(content_cache, "_version", lambda name=None: None)  # cache away
    from mentoring import selectors

    monkeypatch.setattr(selectors, "programs", lambda: [])
    with CaptureQueriesContext(connection) as stale:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 3
    reads = [q for q in stale.captured_queries if 'FROM "mentoring_cycle"' in q["sql"]]
    assert len([q for q in reads if '"mentoring_cycle"."id" IN' in q["sql"]]) == 1


@pytest.mark.django_db(False)
def test_a_lean_changelists_query_strings_are_djangos():
    from types import SimpleNamespace

    from django.contrib.admin.views.main import ChangeList

    from mentoring.admin_lists import lean_query_string

    filters = [
        {},
        {"cycle": ["all"], "q": ["Person 10"]},
        {"o": ["3.-1"], "state": ["IL"], "interest__id__exact": ["3", "4"]},
        {"q": ["café & «thé»/?=+"], "e": [""], "p": ["2"]},
        {"status__exact": []},
    ]
    asks = [
        (None, None),
        ({"p": 3}, None),
        ({"o": "1.2"}, ["p"]),
        ({"all": ""}, None),
        ({"cycle": None, "state": "ON"}, ["interest", "q"]),
        ({"interest__id__in": ["1", "2"], "years": "11+"}, ["o"]),
        ({"flag": True, "n": 1.5, "many": ("a b", "ü")}, None),
        ({"submitted_at__gte": "2026-11-01 00:00:00+00:00"}, ["submitted_at"]),
    ]
    for params in filters:
        changelist = SimpleNamespace(filter_params=params)
        for new, remove in asks:
            expected = ChangeList.get_query_string(changelist, dict(new or {}), remove)
            assert lean_query_string(params, dict(new or {}), remove) == expected, (params, new)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_changelists_written_out_pagination_is_djangos(client, monkeypatch, language):
    from django.template import Context, Template
    from django.utils import translation

    client.force_login(verified_user(is_staff=True, is_superuser=True))
    for _ in range(3):
        GoalSheetFactory(match=MatchFactory(status="active"))
    # A page of one row: page links, the current page, "Show all".
    monkeypatch.setattr(admin.site._registry[GoalSheet], "list_per_page", 1)
    djangos = Template("{% load admin_list %}{% pagination cl %}")
    ours = Template("{% load lean_admin %}{% lean_pagination cl %}")
    compared = 0
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        for query in ({}, {"p": "2", "cycle": "all"}, {"all": "", "cycle": "all"}):
            response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200 or "cl" not in (response.context or {}):
                continue
            context = {"cl": response.context["cl"], "opts": meta}
            with translation.override(language):
                written = ours.render(Context(context))
                assert written == djangos.render(Context(context)), (url, query)
            compared += 1
            assert 'class="paginator"' in written
    assert compared > 30
    assert "this-page" in client.get(reverse("admin:goals_goalsheet_changelist")).content.decode()


def _head(html: str) -> str:
    return re.search(r'<div class="results">.*</thead>', html, re.S).group(0)


@pytest.mark.parametrize(("model", "url_name"), LEAN, ids=[u for _, u in LEAN])
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_lean_tables_head_is_the_admins_own(client, monkeypatch, model, url_name, language):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    GoalSheetFactory(match=MatchFactory(status="active"))
    model_admin = admin.site._registry[model]
    url = reverse(url_name)
    cycles = next(
        f for f in model_admin.list_filter if getattr(f, "__name__", "") == "CycleFilter"
    ).parameter_name
    # As it opens, sorted by one column, and by three (each with its priority).
    queries = [{cycles: "all"}, {cycles: "all", "o": "2"}, {cycles: "all", "o": "-3.1.2"}]
    lean = [client.get(url, q, HTTP_ACCEPT_LANGUAGE=language) for q in queries]
    monkeypatch.setattr(model_admin, "list_only", ())
    plain = [client.get(url, q, HTTP_ACCEPT_LANGUAGE=language) for q in queries]
    for ours, djangos in zip(lean, plain, strict=True):
        assert ours.status_code == djangos.status_code == 200
        assert _head(ours.content.decode()) == _head(djangos.content.decode())
    assert 'class="sortpriority"' in _head(lean[-1].content.decode())
