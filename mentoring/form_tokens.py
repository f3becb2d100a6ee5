"""One-time form tokens: a form that records a new row (an activity-log entry, a
check-in) records it once, however often it is posted.

A double click sends the same form twice at once; the back button sends it again later.
Each form page carries a fresh token (:func:`issue`), signed for the person it was shown
to; the view spends it (:func:`spend`) in the same transaction as the row it records. The
spent nonce is unique in the database, so a second post of the same token waits for the
first to commit and then finds it spent: the view shows the result instead of recording
again. A post whose row is refused (a rule broken) rolls the spending back with it, so
the person corrects the form and sends the same token again.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import signing
from django.db import connection
from django.utils import timezone

from . import sql
from .models import SpentFormToken

FIELD = "form_token"
# A form left open over a long weekend still goes through.
MAX_AGE = dt.timedelta(days=7)


class FormTokenError(Exception):
    """The token is missing, altered, another person's or too old."""

    message = "This form was open too long or had lost its token: check it and send it again."


def _salt(user) -> str:
    return f"mentoring.form_tokens:{user.pk}"


def issue(user) -> str:
    """A fresh one-time token for a form shown to ``user``."""
    return signing.dumps(uuid.uuid4().hex, salt=_salt(user))


def token_for_page(request) -> str:
    """The token a form page carries: the one posted, when a refused post is shown again
    (it was not spent), otherwise a fresh one."""
    posted = request.POST.get(FIELD, "") if request.method == "POST" else ""
    try:
        _nonce(request.user, posted)
    except FormTokenError:
        return issue(request.user)
    return posted


def _nonce(user, token: str) -> str:
    try:
        nonce = signing.loads(token, salt=_salt(user), max_age=MAX_AGE)
    except signing.BadSignature as exc:
        raise FormTokenError(FormTokenError.message) from exc
    if not isinstance(nonce, str) or len(nonce) != 32:
        raise FormTokenError(FormTokenError.message)
    return nonce


def spend(*, user, token: str) -> bool:
    """Spend ``token`` in the caller's transaction: True the first time, False when it was
    spent already (the caller records nothing and shows the result). Raises
    :class:`FormTokenError` for a token that is not a valid one of ``user``'s."""
    nonce = _nonce(user, token)
    # One statement that records the nonce unless it is there already, and tells which:
    # a plain insert would need a savepoint around it to survive its own refusal (two more
    # round trips on every post). A concurrent first post of the same token is waited
    # for just the same, and this one then records nothing.
    quote = connection.ops.quote_name
    columns = (SpentFormToken._meta.get_field(name).column for name in ("nonce", "spent_at"))
    nonce_column, spent_column = (quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {sql.table(SpentFormToken)} ({nonce_column}, {spent_column}) "
            f"VALUES (%s, %s) ON CONFLICT ({nonce_column}) DO NOTHING",
            [nonce, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return cursor.rowcount == 1


def spent_forget_expired(*, now=None) -> int:
    """Forget the spent tokens too old to be posted again (:data:`MAX_AGE` after they were
    issued, which is before they were spent): a year of posts would otherwise keep every
    one. Returns how many were forgotten."""
    before = (now or timezone.now()) - MAX_AGE
    deleted, _ = SpentFormToken.objects.filter(spent_at__lt=before).delete()
    return deleted
