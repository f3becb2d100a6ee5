"""The bytes an email goes out as over SMTP, built for less than Django's way costs.

Django's SMTP backend turns each message into a tree of ``email`` package objects and
flattens it; for a newsletter copy that took longer than rendering the copy (each of
seventeen headers folded through ``email.header.Header``, a boundary checked with a
freshly compiled regular expression, each part's payload escaped and unescaped). A
newsletter's copies differ only in a few headers and their bodies, so what they share is
worked out once and kept (:func:`_folded`, :func:`_part_head`), and each copy's own bytes
are joined around it.

The result is the same bytes Django's ``message().as_bytes(linesep="\\r\\n")`` gives, but
for the Date and the random boundary, which differ from one call to the next anyway: the
headers go through the same functions in the same order (Django's
``forbid_multi_line_headers``, then the ``compat32`` policy's ``fold_binary``, as
``BytesGenerator`` writes them), a part's head is taken from a part Django built, and a
body is encoded as the ``email`` package encodes it (8bit or 7bit as it is, quoted-printable
through the same charset when a line is longer than SMTP allows). Any other shape of
message (attachments, a single part, another charset or subtype) goes the usual way;
``tests/mentoring/test_mail_wire.py`` compares the two byte for byte.
"""

from __future__ import annotations

import functools
import random
import re
import sys
from email import policy
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import (
    DNS_NAME,
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    SafeMIMEText,
    forbid_multi_line_headers,
    make_msgid,
    sanitize_address,
    utf8_charset_qp,
)

CRLF = "\r\n"
_POLICY = policy.compat32.clone(linesep=CRLF)
# Line breaks as the generator finds them (email.generator.NLCRE).
_NEWLINES = re.compile(r"\r\n|\r|\n")
# As email.generator.Generator._make_boundary shapes it: fifteen "=", a zero-padded
# random number of sys.maxsize's width, "==".
_BOUNDARY_WIDTH = len(repr(sys.maxsize - 1))
# The headers the message's own list of people sets (EmailMessage.message()).
_ADDRESSED = {"from", "to", "cc", "reply-to"}


def is_smtp(connection) -> bool:
    """Whether ``connection`` is Django's SMTP backend (whose bytes this module builds)."""
    return isinstance(connection, SMTPBackend)


def send(connection: SMTPBackend, message: EmailMessage) -> None:
    """Send ``message`` over the open SMTP ``connection`` as its ``send_messages`` would
    (same envelope, same bytes but Date and boundary), raising what it raises."""
    with connection._lock:
        if connection.connection is None:
            connection.open()
        encoding = message.encoding or settings.DEFAULT_CHARSET
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        if recipients:  # as the backend: a message to nobody is not sent
            connection.connection.sendmail(
                _envelope_sender(message.from_email, encoding), recipients, message_bytes(message)
            )


@functools.lru_cache(maxsize=8)
def _envelope_sender(from_email: str, encoding: str) -> str:
    return sanitize_address(from_email, encoding)


def message_bytes(message: EmailMessage) -> bytes:
    """``message.message().as_bytes(linesep="\\r\\n")``, built directly for a text and
    HTML message in UTF-8 (the shape of every email here), and that way otherwise."""
    html = _only_html_alternative(message)
    # Exactly "utf-8": SafeMIMEText sends any other spelling as base64.
    if html is None or (message.encoding or settings.DEFAULT_CHARSET) != "utf-8":
        return message.message().as_bytes(linesep=CRLF)
    if not message.body:
        return message.message().as_bytes(linesep=CRLF)
    parts = [_part("plain", message.body), _part("html", html)]
    boundary = _boundary(parts)
    head = [_content_type(boundary), _folded("MIME-Version", "1.0")]
    head += [_folded(name, str(value)) for name, value in _headers(message)]
    return b"".join(
        [
            *head,
            b"\r\n--",
            boundary,
            b"\r\n",
            parts[0],
            b"\r\n--",
            boundary,
            b"\r\n",
            parts[1],
            b"\r\n--",
            boundary,
            b"--\r\n",
        ]
    )


def _only_html_alternative(message: EmailMessage) -> str | None:
    """The HTML of a message whose only extra is one text/html alternative."""
    if type(message) is not EmailMultiAlternatives or message.attachments:
        return None
    if message.content_subtype != "plain" or len(message.alternatives) != 1:
        return None
    content, mimetype = message.alternatives[0]
    return content if mimetype == "text/html" and isinstance(content, str) else None


def _headers(message: EmailMessage) -> list[tuple[str, str]]:
    """The headers ``EmailMessage.message()`` sets, in its order, after the two every
    MIME object starts with."""
    extra = message.extra_headers
    headers = [("Subject", message.subject), ("From", extra.get("From", message.from_email))]
    for name, values in (("To", message.to), ("Cc", message.cc), ("Reply-To", message.reply_to)):
        if name in extra:
            headers.append((name, extra[name]))
        elif values:
            headers.append((name, ", ".join(str(value) for value in values)))
    names = {name.lower() for name in extra}
    if "date" not in names:
        headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in names:
        headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    headers += [(name, value) for name, value in extra.items() if name.lower() not in _ADDRESSED]
    return headers


# The headers every copy of a newsletter shares (subject, sender, list) are folded once;
# each copy's own (To, Date, Message-ID, its unsubscribe link) pass through, pushing the
# oldest out.
@functools.lru_cache(maxsize=256)
def _folded(name: str, value: str) -> bytes:
    """A header line as SafeMIMEMultipart stores it and BytesGenerator writes it."""
    name, value = forbid_multi_line_headers(name, value, "utf-8")
    return _POLICY.fold_binary(name, value)


def _part(subtype: str, text: str) -> bytes:
    """A text part (``SafeMIMEText(text, subtype, "utf-8")``) as the generator writes it."""
    data = text.encode("utf-8")
    if len(data) > RFC5322_EMAIL_LINE_LENGTH_LIMIT and any(
        len(line.encode()) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in text.splitlines()
    ):
        # Quoted-printable, which shortens the long lines (SafeMIMEText.set_payload).
        body = utf8_charset_qp.body_encode(data)
        transfer = "quoted-printable"
    else:
        body = text
        transfer = "7bit" if text.isascii() else "8bit"
    return _part_head(subtype, transfer) + _NEWLINES.sub(CRLF, body).encode("utf-8")


# A sample body that Django sends with each transfer encoding.
_SAMPLES = {
    "7bit": "a",
    "8bit": "\u00e9",
    "quoted-printable": "a" * (RFC5322_EMAIL_LINE_LENGTH_LIMIT + 1),
}


@functools.cache
def _part_head(subtype: str, transfer: str) -> bytes:
    """A part's headers and the blank line after them, taken from a part Django built."""
    sample = SafeMIMEText(_SAMPLES[transfer], subtype, "utf-8")
    assert sample["Content-Transfer-Encoding"] == transfer, sample["Content-Transfer-Encoding"]
    head, _, _ = sample.as_bytes(linesep=CRLF).partition(b"\r\n\r\n")
    return head + b"\r\n\r\n"


def _boundary_text(token: int) -> str:
    return f"{'=' * 15}{token:0{_BOUNDARY_WIDTH}d}=="


def _boundary(parts: list[bytes]) -> bytes:
    """A boundary of the generator's shape that no part contains."""
    while True:
        boundary = _boundary_text(random.randrange(sys.maxsize)).encode("ascii")
        if not any(boundary in part for part in parts):
            return boundary


@functools.cache
def _content_type_template() -> tuple[bytes, bytes]:
    # Every boundary has the same length and characters, so every one folds the same.
    sample = _boundary_text(0)
    line = _POLICY.fold_binary("Content-Type", f'multipart/alternative; boundary="{sample}"')
    before, found, after = line.partition(sample.encode("ascii"))
    assert found, line
    return before, after


def _content_type(boundary: bytes) -> bytes:
    before, after = _content_type_template()
    return before + boundary + after
