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


@pytest.mark.parametrize(("model", "url_name"), LEAN, ids=[u for _, u in LEAN])
def test_the_lean_rows_are_the_admins_own(client, monkeypatch, model, url_name):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
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
