"""Every change to an account that must sign its sessions out does, at the next page
(the person is read from the database on every request; no cache holds them)."""

from __future__ import annotations

import pytest
from django.test import Client
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


def test_a_session_from_before_a_password_change_is_refused(person):
    old = signed_in(person)
    person.set_password("a whole new passphrase")
    person.save()
    new = signed_in(person)
    assert my_mentoring(new).status_code == 200

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


def test_the_person_read_written_out_is_the_person_the_orm_reads(person):
    from mentoring.backends import ModelBackendInOneQuery

    read = ModelBackendInOneQuery().get_user(str(person.pk))
    stored = type(person).objects.get(pk=person.pk)
    assert read is not None
    for field in type(person)._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(stored, field.attname), field.name
    assert read.get_session_auth_hash() == stored.get_session_auth_hash()
    assert ModelBackendInOneQuery().get_user("not a number") is None
    assert ModelBackendInOneQuery().get_user(str(person.pk + 1000)) is None


def test_a_signed_in_request_hands_the_person_on_read_once(person):
    response = my_mentoring(signed_in(person))
    assert response.status_code == 200
    # Not the lazy wrapper, whose every look-up runs in Python: the person, as read.
    assert type(response.wsgi_request.user) is type(person)
    assert response.wsgi_request.user.pk == person.pk
