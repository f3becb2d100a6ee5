"""Two factors for everyone with admin access: staff without an authenticator are sent to
set one up before any admin page opens, staff who signed in without a code are asked for
one; participants may turn it on and are then asked for a code at sign-in. The codes are
computed here as an authenticator app computes them."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from mentoring import demo
from tests.factories import UserFactory, verified_user
from tests.second_factor import authenticator_for, code_now

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]

PASSWORD = "correct horse battery staple"
ADMIN_PAGES = ["/admin/", "/admin/applications/application/", "/admin/mentoring/cycle/"]


@pytest.fixture
def staff():
    return verified_user(
        email="casey@example.org", password=PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client, person):
    """The site's sign-in form, with the password."""
    return client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})


def start_setting_up(client) -> str:
    """Open the authenticator set-up as a person does (allauth asks for the password
    again first); return the secret the page shows."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    return client.session[SECRET_SESSION_KEY]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff, page):
    sign_in(client, staff)

    response = client.get(page)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next={page.replace('/', '%2F')}"


@pytest.mark.django_db(transaction=True)  # allauth records the new authenticator on commit
def test_setting_up_the_authenticator_opens_the_administration(client, staff):
    sign_in(client, staff)
    secret = start_setting_up(client)

    activated = client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_sets_nothing_up_and_the_administration_stays_shut(client, staff):
    sign_in(client, staff)
    secret = start_setting_up(client)
    wrong = f"{(int(code_now(secret)) + 1) % 1_000_000:06d}"

    client.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert not Authenticator.objects.filter(user=staff).exists()
    assert client.get("/admin/").status_code == 302


def test_staff_with_an_authenticator_sign_in_with_a_code_and_the_administration_opens(
    client, staff
):
    authenticator_for(staff)

    first_step = sign_in(client, staff)
    assert first_step["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # the password alone signs nobody in
    second_step = client.post(reverse("mfa_authenticate"), {"code": code_now()})

    assert second_step.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_whose_session_has_no_second_factor_are_asked_for_a_code(client, staff):
    authenticator_for(staff)
    client.force_login(staff)  # signed in some other way: no code entered

    refused = client.get("/admin/applications/application/")
    assert refused["Location"] == (
        f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2Fapplications%2Fapplication%2F"
    )
    wrong = client.post(refused["Location"], {"code": "000000" if code_now() != "000000" else "1"})
    assert client.get("/admin/").status_code == 302
    entered = client.post(refused["Location"], {"code": code_now()})

    assert wrong.status_code == 200
    assert entered["Location"] == "/admin/applications/application/"
    assert client.get("/admin/applications/application/").status_code == 200


def test_signing_out_of_the_administration_needs_no_code(client, staff):
    client.force_login(staff)

    response = client.post("/admin/logout/")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_participants_need_no_second_factor_but_may_turn_it_on(client):
    mentee = verified_user(email="maya@example.org", password=PASSWORD)
    sign_in(client, mentee)
    assert client.get(reverse("my_mentoring")).status_code == 200
    assert reverse("mfa_index") in client.get(reverse("my_mentoring")).content.decode()

    secret = start_setting_up(client)
    client.post(reverse("mfa_activate_totp"), {"code": code_now(secret)})
    client.post(reverse("account_logout"))
    asked = sign_in(client, mentee)

    assert Authenticator.objects.filter(user=mentee, type="totp").exists()
    assert asked["Location"] == reverse("mfa_authenticate")


def test_a_participant_is_never_let_into_the_administration(client):
    client.force_login(UserFactory())

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403  # Django's admin refuses them, not a code page
    assert all("2fa" not in url for url, _ in response.redirect_chain)


def test_the_demo_staff_sign_in_with_the_printed_secret(client):
    logs = []
    demo.seed(log=logs.append)
    staff = demo.demo_person(demo.DEMO_STAFF_EMAIL, full_name="")

    client.post(
        reverse("account_login"), {"login": demo.DEMO_STAFF_EMAIL, "password": demo.DEMO_PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": code_now(demo.DEMO_TOTP_SECRET)})

    assert any(demo.DEMO_TOTP_SECRET in line for line in logs)
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert client.get("/admin/").status_code == 200
