"""Property-based fuzzing of every admin changelist's query string, as the superuser:
whatever a link, a hand-edited address or a stale bookmark puts in it (a filter value
that is not a number, a lookup on any field, a sort column that does not exist, a page
past the end), the changelist answers with the list (filtered, or unfiltered with
Django's "?e=1" when a value makes no sense), never a server error.

The changelists come from the admin's registry, so a new admin page is fuzzed too. The
keys come from the changelist itself (its filters' and sorting links) and from each
model's fields (the lookups Django's admin accepts in a query string).
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.world import build_world

from .test_fuzz_forms import ADMIN_SETTINGS, _one_value

# The list, Django's redirect to the unfiltered list ("?e=1"), or 400 for a
# "_to_field" the admin refuses (DisallowedModelAdminToField).
ANSWERS = {200, 302, 400}
# What every changelist reads: search, sort, page, show all, facets, the error flag.
COMMON_KEYS = ["q", "o", "p", "all", "e", "_facets", "_popup", "_to_field"]
LOOKUPS = ["exact", "in", "gte", "lt", "isnull", "id__exact"]


def _models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def keys_and_values(html: str) -> dict[str, set[str]]:
    """The query keys the changelist's own links use (filters, sorting, pages), each with
    the values the links give it."""
    found: dict[str, set[str]] = {}
    for href in re.findall(r'href="(\?[^"]*)"', html):
        for key, value in parse_qsl(urlsplit(unescape(href)).query, keep_blank_values=True):
            found.setdefault(key, set()).add(value)
    return found


def field_lookups(model) -> list[str]:
    keys = []
    for field in model._meta.get_fields():
        if not field.concrete or isinstance(field, models.ManyToManyField) and field.auto_created:
            continue
        keys += [f"{field.name}__{lookup}" for lookup in LOOKUPS[:5]]
        if field.is_relation:
            keys.append(f"{field.name}__{LOOKUPS[5]}")
        keys.append(field.name)
    return keys


def query_strategy(offered: dict[str, set[str]], model):
    values = {
        key: st.one_of(st.sampled_from(sorted(vals) or [""]), _one_value)
        for key, vals in offered.items()
    }
    for key in COMMON_KEYS + field_lookups(model):
        values.setdefault(key, _one_value)
    # A few keys at a time: mostly the changelist's own links with one value broken.
    return st.dictionaries(st.sampled_from(sorted(values)), st.just(None), max_size=4).flatmap(
        lambda chosen: st.fixed_dictionaries({key: values[key] for key in chosen})
    )


# Values no link gives, of the kinds that broke changelists: not a number, a number too
# large for the database or a date, a NUL byte.
BAD_VALUES = ["abc", "99999999999999999999999", "\x00"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", _models(), ids=lambda model: model._meta.label)
def test_a_changelist_query_string_never_breaks_the_page(model):
    world = build_world()
    client = Client()
    client.force_login(world.staff)
    path = changelist_url(model)
    page = client.get(path)
    assert page.status_code == 200, f"{path}: {page.status_code}"
    offered = keys_and_values(page.content.decode())

    def answers(query):
        response = client.get(path, query)
        assert response.status_code in ANSWERS, (response.status_code, query)
        if response.status_code == 302:
            assert response["Location"] == f"{path}?e=1", query

    # Each of the changelist's own keys (its filters, sorting, pages) with a bad value...
    for key in sorted(set(offered) | {"o", "p", "q"}):
        for value in BAD_VALUES:
            answers({key: value})

    # ...then anything in any of its keys and the model's lookups, a few at a time.
    @ADMIN_SETTINGS
    @given(query=query_strategy(offered, model))
    def run(query):
        answers(query)

    run()
