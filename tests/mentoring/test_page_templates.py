"""A lean page's query compiled once for its shape (``lean_pages.page_template``) reads
what the same page compiled afresh reads: the same rows, counts and cells, whatever the
sort, filter, search, page, language and committee member."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from applications.models import ApplicationReview
from goals.models import GoalSheet
from mentoring import lean_pages
from mentoring.roles import COORDINATOR, REVIEWER
from tests.factories import (
    ApplicationFactory,
    GoalSheetFactory,
    MatchFactory,
    role_user,
    verified_user,
)

# The lean lists (model, changelist URL name), and a page's rows and counts.
from .test_lean_changelists import LEAN, _page_facts

pytestmark = pytest.mark.django_db


def _table(html: str) -> str:
    found = re.search(r'<div class="results">.*?</table>', html, re.S)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", found.group(0))) if found else ""


def _facts(response) -> tuple:
    """The page's rows and counts (as the lean changelists' tests read them), its notes'
    counts and its table, cell for cell."""
    cl = response.context["cl"]
    lean_counts = getattr(cl, "lean_counts", None)
    return (*_page_facts(response), lean_counts, _table(response.content.decode()))


def _asks(client, url: str) -> list[str]:
    """Every sort of every column, every filter's every choice, a search, a second page
    and a page of two sorts: each as the list's own links ask it."""
    cl = client.get(url).context["cl"]
    from django.contrib.admin.templatetags.admin_list import result_headers

    cycles = next(s.parameter_name for s in cl.filter_specs if hasattr(s, "opens_on_current"))
    asks = {"", "?p=2", "?q=a", "?q=zzz-nobody", f"?{cycles}=all&p=2", f"?o=-3.1&{cycles}=all"}
    for header in result_headers(cl):
        if header.get("sortable"):
            asks |= {header["url_primary"], header["url_toggle"]}
    for spec in cl.filter_specs:
        asks |= {choice["query_string"] for choice in spec.choices(cl)}
    return sorted(asks)


@pytest.fixture
def year():
    """A year of rows across two cycles, with reviews (blind review on in one)."""
    sheets = [GoalSheetFactory(match=MatchFactory(status="active")) for _ in range(3)]
    applications = [ApplicationFactory(status="submitted") for _ in range(3)]
    applications.append(ApplicationFactory(status="under_review", cycle=applications[0].cycle))
    applications[0].cycle.blind_review = True
    applications[0].cycle.save()
    return sheets, applications


@pytest.mark.parametrize(("model", "url_name"), LEAN, ids=[u for _, u in LEAN])
@pytest.mark.parametrize("who", ["superuser", "coordinator", "reviewer"])
def test_a_page_compiled_once_reads_what_one_compiled_afresh_reads(
    client, monkeypatch, year, model, url_name, who
):
    sheets, applications = year
    if who == "superuser":
        viewer = verified_user(is_staff=True, is_superuser=True, language="es")
    elif who == "coordinator":
        viewer = role_user(COORDINATOR)
    else:
        viewer = role_user(REVIEWER, reviews=(applications[0].cycle,))
    ApplicationReview.objects.create(application=applications[0], reviewer=viewer, score=3)
    client.force_login(viewer)
    model_admin = admin.site._registry[model]
    monkeypatch.setattr(model_admin, "list_per_page", 2)
    url = reverse(url_name)
    response = client.get(url)
    if response.status_code != 200:  # a list this role may not open
        assert response.status_code in (302, 403)
        return
    asks = _asks(client, url)
    assert len(asks) > 8

    templated = {ask: client.get(url + ask) for ask in asks}
    compiled_once = len(lean_pages._TEMPLATES)
    monkeypatch.setattr(type(model_admin), "lean_shape", lambda self, request: None)
    for ask, response in templated.items():
        afresh = client.get(url + ask)
        assert response.status_code == afresh.status_code, ask
        if afresh.status_code == 200:
            assert _facts(response) == _facts(afresh), ask
    assert compiled_once >= 1
    with_rows = [
        r for r in templated.values() if r.status_code == 200 and r.context["cl"].result_list
    ]
    assert len(with_rows) > 5


def test_a_shape_is_compiled_once_and_each_visit_puts_in_its_own_keys(client, year):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    lean_pages._TEMPLATES.clear()
    url = reverse("admin:goals_goalsheet_changelist")
    cycles = next(
        f.parameter_name
        for f in admin.site._registry[GoalSheet].list_filter
        if getattr(f, "__name__", "") == "CycleFilter"
    )
    every = {cycles: "all"}
    response = client.get(url, every)
    assert response.status_code == 200, response.get("Location")
    first = response.context["cl"]
    kept = dict(lean_pages._TEMPLATES)
    narrowed = client.get(url, {**every, "q": year[0][0].match.mentee.full_name})
    assert kept == lean_pages._TEMPLATES  # the same shape: nothing compiled again
    assert narrowed.context["cl"].result_count == 1 < first.result_count
    client.get(url, {**every, "o": "3"})  # another order: another shape
    assert len(lean_pages._TEMPLATES) == len(kept) + 1
