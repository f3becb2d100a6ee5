"""Sessions live in the database: signing out ends the session at once, for every
process."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import verified_user

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
