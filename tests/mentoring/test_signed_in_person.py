"""The signed-in person comes from the shared cache while nobody's account row has
changed, and every change that must sign a session out still does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(preferred_name="Sam")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def my_mentoring(client):
    return client.get(reverse("my_mentoring"))


def test_the_person_is_read_once_then_from_the_cache(person):
    client = signed_in(person)
    my_mentoring(client)
    my_mentoring(client)  # kept by now, the page too

    with CaptureQueriesContext(connection) as ctx:
        response = my_mentoring(client)

    assert response.status_code == 200 and "Sam" in response.content.decode()
    # Left: the session's own row (the tests keep sessions in the database alone).
    assert [q["sql"] for q in ctx.captured_queries if "django_session" not in q["sql"]] == []
    assert len(ctx.captured_queries) <= 1


def test_a_new_password_signs_out_the_other_sessions(person):
    elsewhere = signed_in(person)
    assert my_mentoring(elsewhere).status_code == 200

    person.set_password("a whole new passphrase")
    person.save()

    assert my_mentoring(elsewhere).status_code == 302
    assert "_auth_user_id" not in elsewhere.session


def test_a_deactivated_account_is_signed_out(person):
    client = signed_in(person)
    assert my_mentoring(client).status_code == 200

    person.is_active = False
    person.save()

    assert my_mentoring(client).status_code == 302


def test_a_session_from_before_a_password_change_is_refused_even_when_the_person_is_cached(
    person,
):
    old = signed_in(person)
    person.set_password("a whole new passphrase")
    person.save()
    new = signed_in(person)
    assert my_mentoring(new).status_code == 200  # the person with the new password, kept

    assert my_mentoring(old).status_code == 302


def test_a_renamed_person_shows_under_the_new_name(person):
    client = signed_in(person)
    my_mentoring(client)

    person.preferred_name = "Samira"
    person.save()

    assert "Samira" in my_mentoring(client).content.decode()


def test_a_deleted_account_is_signed_out(person):
    client = signed_in(person)
    my_mentoring(client)

    person.delete()

    assert my_mentoring(client).status_code == 302
