"""The admin's one cycle filter (``mentoring.admin.cycle_filter``), on every changelist
that uses it: a value that is not a cycle's id leaves the list unfiltered, never a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import ApplicationFactory, CycleFactory, verified_user

pytestmark = pytest.mark.django_db


def _cycle_filters():
    """(changelist URL name, query parameter) of each registered cycle filter."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for entry in model_admin.list_filter:
            if isinstance(entry, type) and entry.__name__ == "CycleFilter":
                meta = model._meta
                found.append((f"admin:{meta.app_label}_{meta.model_name}_changelist", entry))
    return found


CYCLE_FILTERS = _cycle_filters()


def test_every_app_filters_by_cycle_with_the_one_helper():
    assert {url.split(":")[1].split("_")[0] for url, _ in CYCLE_FILTERS} >= {
        "applications",
        "matches",
        "goals",
        "activities",
        "newsletter",
        "evaluation",
        "mentoring",
    }


@pytest.mark.parametrize(
    ("url_name", "cycle_filter"), CYCLE_FILTERS, ids=[u for u, _ in CYCLE_FILTERS]
)
def test_a_cycle_that_is_not_an_id_gives_the_unfiltered_list(client, url_name, cycle_filter):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    CycleFactory()  # a filter with no cycle to offer is not shown at all
    url = reverse(url_name)

    unfiltered = client.get(url)
    bad = client.get(url, {cycle_filter.parameter_name: "abc"})

    assert unfiltered.status_code == 200
    assert bad.status_code == 200
    assert bad.context["cl"].result_count == unfiltered.context["cl"].result_count


def test_the_cycle_filter_keeps_one_cycle_and_ignores_a_bad_value(client):
    client.force_login(verified_user(is_staff=True, is_superuser=True))
    first, second = CycleFactory(), CycleFactory()
    mine = ApplicationFactory(cycle=first)
    ApplicationFactory(cycle=second)
    url = reverse("admin:applications_application_changelist")

    one = client.get(url, {"cycle": first.pk})
    bad = client.get(url, {"cycle": "abc"})

    assert list(one.context["cl"].result_list) == [mine]
    assert bad.status_code == 200
    assert bad.context["cl"].result_count == 2
