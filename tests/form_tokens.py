"""Posting a form that carries a one-time token (mentoring/form_tokens.py), as the
person the test client is signed in as."""

from __future__ import annotations

from mentoring import form_tokens
from mentoring.models import User


def with_token(client, data: dict) -> dict:
    """``data`` with a fresh one-time token for the client's signed-in person."""
    user = User(pk=int(client.session["_auth_user_id"]))
    return {**data, form_tokens.FIELD: form_tokens.issue(user)}
