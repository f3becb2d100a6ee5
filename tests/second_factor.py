"""Staff sessions in tests: a second factor proven, or a real authenticator whose codes
the test computes as an authenticator app would."""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as AUTHENTICATION_METHODS_USER_SESSION_KEY,
)
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.test.client import ClientMixin

from mentoring.second_factor import needs_second_factor

# Django's own, whatever the suite's conftest puts on Client.
_force_login = ClientMixin.force_login

# A fixed secret (base32), so a test can compute the codes an authenticator app shows.
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def force_login_with_second_factor(client: Client, user, backend=None) -> None:
    """Django's ``force_login``; for staff, the session also records a second factor,
    as allauth records it when the person enters a code."""
    _force_login(client, user, backend)
    if needs_second_factor(user):
        session = client.session
        records = session.get(AUTHENTICATION_METHODS_SESSION_KEY, [])
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            *records,
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ]
        session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()


def authenticator_for(user, secret: str = SECRET) -> Authenticator:
    """An authenticator app set up for ``user`` with ``secret``."""
    return TOTP.activate(user, secret).instance


def code_now(secret: str = SECRET) -> str:
    """The code an authenticator app with ``secret`` shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enter_code_in_browser(page, secret: str = SECRET) -> None:
    """On allauth's code page (the sign-in's second step), type the code an authenticator
    app with ``secret`` shows. A code is taken once: if this one was (an earlier sign-in
    in the same half minute), wait for the next."""
    for _ in range(2):
        page.locator("input[name=code]").fill(code_now(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In", exact=True).first.click()
        if "/2fa/authenticate/" not in page.url:
            return
        time.sleep(30 - time.time() % 30 + 1)
    raise AssertionError("The authenticator code was refused twice")
