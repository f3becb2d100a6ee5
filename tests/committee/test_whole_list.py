"""An action on a page of a longer list asks first: all of the list, or the ticked rows."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers

from applications.admin import ApplicationAdmin
from applications.models import Application
from tests.factories import ApplicationFactory, CycleFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/applications/application/"


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def accepted():
    """Two pages of accepted applicants: a full page and twelve more."""
    cycle = CycleFactory()
    return [
        ApplicationFactory(cycle=cycle, status="accepted")
        for _ in range(ApplicationAdmin.list_per_page + 12)
    ]


def first_page_ids(client) -> list[str]:
    response = client.get(CHANGELIST, {"status__exact": "accepted"})
    return [str(a.pk) for a in response.context["cl"].result_list]


def send_decisions(client, ids, **extra):
    return client.post(
        f"{CHANGELIST}?status__exact=accepted",
        {
            "action": "send_decisions",
            "index": 0,
            "select_across": 0,
            helpers.ACTION_CHECKBOX_NAME: ids,
            **extra,
        },
        follow=True,
    )


def told() -> int:
    return Application.objects.filter(decision_sent_at__isnull=False).count()


def test_a_full_page_of_a_longer_list_asks_before_it_acts(
    client, staff, accepted, django_capture_on_commit_callbacks
):
    page = first_page_ids(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = send_decisions(client, page)

    total = len(accepted)
    assert told() == 0
    body = response.content.decode()
    assert f"You ticked the <strong>{len(page)}</strong> applications on this page" in body
    assert f"all {total} applications" in body


def test_all_of_the_list_in_one_action(client, staff, accepted, django_capture_on_commit_callbacks):
    page = first_page_ids(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = send_decisions(client, page, whole_list="all")

    assert response.status_code == 200
    assert told() == len(accepted)


def test_only_the_ticked_page_when_that_is_the_choice(
    client, staff, accepted, django_capture_on_commit_callbacks
):
    page = first_page_ids(client)

    with django_capture_on_commit_callbacks(execute=True):
        send_decisions(client, page, whole_list="page")

    assert told() == len(page) == ApplicationAdmin.list_per_page


def test_a_few_ticked_rows_are_acted_on_without_asking(
    client, staff, accepted, django_capture_on_commit_callbacks
):
    few = first_page_ids(client)[:3]

    with django_capture_on_commit_callbacks(execute=True):
        send_decisions(client, few)

    assert told() == 3
