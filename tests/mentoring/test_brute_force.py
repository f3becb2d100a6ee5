"""Brute-force protection of the sign-in form, which is also the admin's way in."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from mentoring.accounts import TOO_MANY_FAILED_SIGN_INS
from tests.factories import verified_user
from tests.factories.core import PASSWORD
from tests.second_factor import authenticator_for, code_now

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed sign-in attempts"


def sign_in(client, email, password, ip="203.0.113.5"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_an_account_is_locked_for_a_while_after_five_failures(client):
    user = verified_user()
    for _ in range(5):
        assert TOO_MANY not in sign_in(client, user.email, "wrong").content.decode()

    response = sign_in(client, user.email, PASSWORD)

    # Even the right password is refused now, with a message saying why.
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account(client):
    locked, other = verified_user(), verified_user()
    for _ in range(5):
        sign_in(client, locked.email, "wrong")

    assert sign_in(client, other.email, PASSWORD).status_code == 302


def test_one_address_is_limited_across_accounts(client):
    people = [verified_user() for _ in range(11)]
    for person in people[:10]:
        sign_in(client, person.email, "wrong", ip="198.51.100.7")

    response = sign_in(client, people[10].email, PASSWORD, ip="198.51.100.7")

    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert sign_in(client, people[10].email, PASSWORD, ip="198.51.100.8").status_code == 302


def test_the_admin_login_is_the_protected_one(client):
    staff = verified_user(is_staff=True)
    for _ in range(5):
        sign_in(client, staff.email, "wrong")

    response = client.get(reverse("admin:login"), follow=True)
    assert response.request["PATH_INFO"] == reverse("account_login")
    response = sign_in(client, staff.email, PASSWORD)
    assert TOO_MANY in response.content.decode()


def test_the_person_is_told_when_to_try_again_beside_the_form(client):
    user = verified_user()
    for _ in range(5):
        sign_in(client, user.email, "wrong")

    response = sign_in(client, user.email, PASSWORD)

    body = response.content.decode()
    assert response.status_code == 200
    assert TOO_MANY_FAILED_SIGN_INS.replace("'", "&#x27;") in body
    assert "try again in five minutes" in body
    # The form is shown again, with the address kept so nothing typed is lost.
    assert f'value="{user.email}"' in body


def test_the_admin_login_form_never_signs_anyone_in_itself(client):
    staff = verified_user(is_staff=True)

    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_staff_locked_out_on_the_way_to_the_admin_get_there_once_the_lock_lifts(client):
    staff = verified_user(is_staff=True)
    authenticator_for(staff)
    login_url = client.get(reverse("admin:index"), follow=True).request
    assert login_url["PATH_INFO"] == reverse("account_login")
    for _ in range(5):
        sign_in(client, staff.email, "wrong")
    assert TOO_MANY in sign_in(client, staff.email, PASSWORD).content.decode()

    cache.clear()  # the lock's counters expire; clearing them is the same, without waiting
    response = client.post(
        reverse("account_login") + "?next=" + reverse("admin:index"),
        {"login": staff.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")  # staff's second factor
    entered = client.post(reverse("mfa_authenticate"), {"code": code_now()})
    assert entered["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_someone_else_signs_in_from_another_address_while_an_attacker_is_locked_out(client):
    target, bystander = verified_user(), verified_user()
    people = [verified_user() for _ in range(10)]
    for _ in range(5):
        sign_in(client, target.email, "wrong", ip="198.51.100.66")
    for person in people:
        sign_in(client, person.email, "wrong", ip="198.51.100.66")
    assert (
        TOO_MANY in sign_in(client, bystander.email, PASSWORD, ip="198.51.100.66").content.decode()
    )

    response = sign_in(client, bystander.email, PASSWORD, ip="192.0.2.44")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bystander.pk)


def test_a_locked_account_signs_in_again_once_the_lock_lifts(client):
    user = verified_user()
    for _ in range(5):
        sign_in(client, user.email, "wrong")
    assert TOO_MANY in sign_in(client, user.email, PASSWORD).content.decode()

    cache.clear()

    assert sign_in(client, user.email, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_too_many_requests_get_the_sites_own_page_saying_when_to_try_again(client):
    # Any sign-in attempt, right or wrong, counts towards 30 a minute from one address.
    for _ in range(30):
        sign_in(client, "nobody@example.org", "wrong", ip="192.0.2.99")

    response = sign_in(client, "nobody@example.org", "wrong", ip="192.0.2.99")

    body = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "<h1>Too many attempts</h1>" in body
    assert "Please wait 1 minute and try again." in body
    assert 'href="/static/css/' in body  # in the site's layout, with its styles
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- Behind a proxy -----------------------------------------------------------------------

PROXY = "10.0.0.2"


def sign_in_through_proxy(client, email, password, client_ip):
    """A sign-in as the production proxy passes it on: the connection is the proxy's, the
    client's address is the last one the proxy appended to X-Forwarded-For."""
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        # What a client sends is kept before it: a client cannot choose its own address.
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {client_ip}",
    )


def test_the_trusted_proxy_count_comes_from_the_environment():
    from tests.mentoring.test_settings import run_manage

    show = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    secrets = {"DJANGO_SECRET_KEY": "k" * 64, "DJANGO_ALLOWED_HOSTS": "mentoring.example.org"}

    behind_one = run_manage("shell", "-c", show, TRUSTED_PROXY_COUNT="1", **secrets)
    assert behind_one.stdout.split()[-1] == "1", behind_one.stderr
    # Not set: no proxy is trusted, so a forged X-Forwarded-For changes nothing.
    unset = run_manage("shell", "-c", show, **secrets)
    assert unset.stdout.split()[-1] == "0", unset.stderr


def test_two_clients_behind_one_proxy_are_limited_separately(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    people = [verified_user() for _ in range(11)]
    for person in people[:10]:
        sign_in_through_proxy(client, person.email, "wrong", client_ip="198.51.100.7")

    attacker = sign_in_through_proxy(client, people[10].email, PASSWORD, "198.51.100.7")
    assert TOO_MANY in attacker.content.decode()
    assert "_auth_user_id" not in client.session

    # Another client, through the same proxy, is not locked out by the first one.
    response = sign_in_through_proxy(client, people[10].email, PASSWORD, "198.51.100.8")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people[10].pk)
