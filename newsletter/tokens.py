"""Signed unsubscribe tokens: a link in an email identifies its reader and the list
without a session (RFC 8058 one-click unsubscribe posts to it from the mail client)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

# The salt names where the app once lived; links already sent carry tokens signed with it.
SALT = "mentoring.newsletter.unsubscribe"
LISTS = ("newsletter", "reminders")


def unsubscribe_token(user_id: int, list_name: str) -> str:
    if list_name not in LISTS:
        raise ValueError(f"No email list called {list_name!r}")
    return signing.Signer(salt=SALT).sign_object([user_id, list_name])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person and list a token names; None when it was not signed here."""
    try:
        user_id, list_name = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or list_name not in LISTS:
        return None
    return user_id, list_name


def unsubscribe_url(user_id: int, list_name: str) -> str:
    token = unsubscribe_token(user_id, list_name)
    return settings.SITE_URL + reverse("newsletter:unsubscribe", kwargs={"token": token})


def unsubscribe_headers(
    user_id: int, list_name: str, *, list_id: str, url: str | None = None
) -> dict[str, str]:
    """The RFC 2369 / RFC 8058 headers: mail clients show an "Unsubscribe" button that
    posts to the link, no sign-in needed. ``url``: the link, when the caller has it
    (signing it again for each newsletter copy cost as much as the rest of the headers)."""
    return {
        "List-Unsubscribe": f"<{url or unsubscribe_url(user_id, list_name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": list_id,
    }
