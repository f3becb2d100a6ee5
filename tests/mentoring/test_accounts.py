"""Sign up, verify the address from the email's link, sign in and out, reset the password."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from mentoring.models import Delivery, User
from tests.factories import verified_user
from tests.factories.core import PASSWORD
from tests.second_factor import authenticator_for, code_now

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    match = re.search(r"http://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_then_verify_by_the_link_in_the_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new.mentee@example.org",
                "full_name": "Rosa Parks Jones",
                "preferred_name": "Rosa",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.mentee@example.org")
    assert (user.full_name, user.preferred_name) == ("Rosa Parks Jones", "Rosa")
    (message,) = mail.outbox
    assert message.to == ["new.mentee@example.org"]
    assert "Confirm" in message.alternatives[0][0]  # an HTML part as well as text
    delivery = Delivery.objects.get(to_email="new.mentee@example.org")
    assert delivery.status == Delivery.Status.SENT
    assert delivery.recipient == user

    # Not verified yet: signing in is refused until the link is followed.
    assert not EmailAddress.objects.get(user=user).verified
    confirm_url = link_in(message)
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("my_mentoring")).status_code == 200


def test_unverified_people_cannot_sign_in(client, django_capture_on_commit_callbacks):
    user = User.objects.create_user("unverified@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("my_mentoring")).status_code == 302


def test_sign_in_and_out(client):
    user = verified_user()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("my_mentoring")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("my_mentoring")).status_code == 302


def test_wrong_password_is_refused_with_a_message(client):
    user = verified_user()

    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})

    assert response.status_code == 200
    # Once, in the form's alert: not again in a list of the form's errors.
    assert response.content.decode().count("not correct") == 1
    assert 'role="alert"' in response.content.decode()


def test_reset_the_password_from_the_emailed_link(client, django_capture_on_commit_callbacks):
    user = verified_user()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})

    (message,) = mail.outbox
    reset_url = link_in(message)
    response = client.get(reset_url)
    # allauth moves the key into the session and redirects to a key-less URL.
    form_url = response["Location"] if response.status_code == 302 else reset_url
    response = client.post(
        form_url, {"password1": "a-Brand-new-passphrase-2", "password2": "a-Brand-new-passphrase-2"}
    )
    assert response.status_code == 302

    assert client.login(email=user.email, password="a-Brand-new-passphrase-2")


def test_staff_reach_the_admin_through_the_site_login(client):
    staff = verified_user(is_staff=True, is_superuser=True)
    authenticator_for(staff)

    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))

    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code_now()})  # staff's second factor
    assert client.get(reverse("admin:index")).status_code == 200


def test_people_who_are_not_staff_are_refused_the_admin(client):
    client.force_login(verified_user())

    assert client.get(reverse("admin:index"), follow=True).status_code == 403
