"""Sessions live in the database: signing out ends the session at once, for every
process."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import verified_user
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_session_signed_out_is_refused_at_once_from_another_client():
    person = verified_user()
    browser = Client()
    browser.force_login(person)
    cookie = browser.cookies["sessionid"].value
    stolen = Client()
    stolen.cookies["sessionid"] = cookie
    assert stolen.get(reverse("my_mentoring")).status_code == 200

    browser.post(reverse("account_logout"))

    response = stolen.get(reverse("my_mentoring"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_expired_session_is_refused_and_its_key_forgotten():
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from mentoring.sessions import SessionStore

    person = verified_user()
    browser = Client()
    browser.force_login(person)
    key = browser.cookies["sessionid"].value
    assert SessionStore(key).get("_auth_user_id") == str(person.pk)

    Session.objects.filter(session_key=key).update(expire_date=timezone.now())

    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # the next save makes a new key, not this one
    assert browser.get(reverse("my_mentoring")).status_code == 302


def test_a_session_reads_back_what_was_saved_in_it():
    from mentoring.sessions import SessionStore

    saved = SessionStore()
    saved["answers"] = {"interests": ["storytime", "outreach"], "year": 2027}
    saved.create()

    assert SessionStore(saved.session_key).load() == {
        "answers": {"interests": ["storytime", "outreach"], "year": 2027}
    }
    assert SessionStore("no-such-session-key").load() == {}


def test_a_password_sign_in_is_kept_by_the_backend_that_reads_the_person_written_out():
    from django.contrib.auth import BACKEND_SESSION_KEY

    from mentoring.sessions import SessionStore

    person = verified_user()
    browser = Client()
    response = browser.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    session = SessionStore(browser.cookies["sessionid"].value)
    assert session[BACKEND_SESSION_KEY] == "mentoring.backends.ModelBackendInOneQuery"
    assert browser.get(reverse("my_mentoring")).status_code == 200


def test_the_nightly_task_clears_expired_sessions_and_old_spent_form_tokens():
    import datetime as dt
    from types import SimpleNamespace

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from mentoring import form_tokens
    from mentoring.models import SpentFormToken
    from mentoring.sessions import SessionStore
    from mentoring.tasks import clear_expired

    kept, expired = SessionStore(), SessionStore()
    kept["a"], expired["a"] = 1, 2
    kept.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    person = SimpleNamespace(pk=7)
    recent, old = form_tokens.issue(person), form_tokens.issue(person)
    assert form_tokens.spend(user=person, token=recent)
    assert form_tokens.spend(user=person, token=old)
    SpentFormToken.objects.filter(pk=SpentFormToken.objects.latest("id").pk).update(
        spent_at=timezone.now() - form_tokens.MAX_AGE - dt.timedelta(minutes=1)
    )  # the second spent: "old"

    assert clear_expired.apply().get() == {"form_tokens": 1}

    assert list(Session.objects.values_list("session_key", flat=True)) == [kept.session_key]
    assert SpentFormToken.objects.count() == 1
    assert not form_tokens.spend(user=person, token=recent)  # still spent, still refused
