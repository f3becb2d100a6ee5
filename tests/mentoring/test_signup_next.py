"""Sign-up keeps where the person was going: “Apply as a mentee” → sign up → verify the
address → the mentee form, whichever browser opens the emailed link; and a new person's
time zone starts as their browser's (a hidden field), which the application form offers."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from mentoring.models import User
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-test-passphrase-1"


def sign_up(client, next_url: str, **extra):
    data = {
        "email": "maya@example.org",
        "full_name": "Maya Reader",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "next": next_url,
        **extra,
    }
    return client.post(f"/accounts/signup/?next={next_url}", data)


def emailed_link(django_capture_on_commit_callbacks, client, next_url, **extra) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, next_url, **extra)
    assert response.status_code == 302
    (message,) = mail.outbox
    return re.search(r"https?://testserver(/accounts/confirm-email/\S+)", message.body).group(1)


def test_the_apply_link_leads_through_sign_up_and_verification_to_the_form(
    client, django_capture_on_commit_callbacks
):
    cycle = CycleFactory()
    apply = f"/programs/{cycle.program.slug}/apply/mentee/"

    login = client.get(apply)
    assert login["Location"] == f"/accounts/login/?next={apply}"
    page = client.get(login["Location"]).content.decode()
    assert f'href="/accounts/signup/?next={apply.replace("/", "%2F")}"' in page

    link = emailed_link(
        django_capture_on_commit_callbacks, client, apply, time_zone="America/Denver"
    )
    assert link.endswith(f"?next={apply.replace('/', '%2F')}")

    # In the same browser, allauth signs the person in and resumes where they were going.
    same = client.post(link.split("?")[0], {"next": apply})
    assert same["Location"] == apply

    user = User.objects.get(email="maya@example.org")
    assert user.time_zone == "America/Denver"
    form = client.get(apply).context["form"]
    assert form["time_zone"].value() == "America/Denver"  # changeable in its select


def test_a_link_opened_in_another_browser_goes_on_to_the_form(
    client, django_capture_on_commit_callbacks
):
    cycle = CycleFactory()
    apply = f"/programs/{cycle.program.slug}/apply/mentor/"
    link = emailed_link(django_capture_on_commit_callbacks, client, apply)

    elsewhere = Client()
    confirm_page = elsewhere.get(link).content.decode()
    assert f'name="next" value="{apply}"' in confirm_page
    confirmed = elsewhere.post(link, {"next": apply})

    assert confirmed["Location"] == apply  # which asks them to sign in, then opens it
    assert elsewhere.get(apply)["Location"] == f"/accounts/login/?next={apply}"


def test_a_link_to_another_site_is_not_carried(client, django_capture_on_commit_callbacks):
    CycleFactory()
    link = emailed_link(django_capture_on_commit_callbacks, client, "https://evil.example/")
    assert "next=" not in link


def test_a_time_zone_the_server_does_not_know_is_left_empty(
    client, django_capture_on_commit_callbacks
):
    emailed_link(django_capture_on_commit_callbacks, client, "/my/", time_zone="Mars/Olympus")
    assert User.objects.get(email="maya@example.org").time_zone == ""
