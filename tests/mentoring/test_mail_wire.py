"""The bytes an email is sent as over SMTP (mentoring/mail_wire.py) are Django's, byte for
byte, but for the Date and the random MIME boundary: whatever the subject, body, headers
and lines longer than SMTP allows."""

from __future__ import annotations

import random
import re

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives

from mentoring import mail, mail_wire
from tests.smtp_sink import smtp_sink

pytestmark = pytest.mark.django_db

FROM = "Mentoring Program <mentoring@example.org>"
ID = {"Message-ID": "<179632051669.9628.7402596456251307643.delivery@example.org>"}
WORDS = ["a", "héllo", "ñandú", "x" * 80, "=?utf-8?q?x?=", "From", ";", ",", "  ", "\t", "€"]
WORDS += ["日本語", "\r", "\n", "\r\n", ".", "..", "=", "a=b", "--", "=" * 15]


def normalised(data: bytes) -> bytes:
    """The message with its Date and its boundary (random on each call) put aside."""
    data = re.sub(rb"^Date: .*\r\n", b"Date: -\r\n", data, flags=re.MULTILINE)
    for number, boundary in enumerate(dict.fromkeys(re.findall(rb'boundary="([^"]+)"', data))):
        data = data.replace(boundary, b"boundary-%d" % number)
    return data


def djangos(message: EmailMessage) -> bytes:
    return message.message().as_bytes(linesep="\r\n")


def newsletter_like(subject: str, text: str, html: str, **headers: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=FROM,
        to=["b-mentee-1@example.org"],
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": "<http://testserver/email/unsubscribe/WzIsIm5ld3NsZXR0ZXIiXQ:9Pw/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "ALSC mentoring newsletter <newsletter.program-0.testserver>",
            **ID,
            **headers,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@pytest.mark.parametrize(
    ("subject", "text", "html"),
    [
        ("Newsletter: November", "Hello Ana,\n\nNews.\n", "<p>Hello Ana,</p>\n"),
        ("Boletín: ¡diciembre!", "Hola, José:\n\n· noticias\n", "<p>Hola, José</p>"),
        ("Long lines", "Long " * 300 + "\n-- \nFooter\n", "<p>" + "larga " * 300 + "</p>"),
        ("Line breaks", "one\r\ntwo\rthree\nfour", "<p>\r\n</p>\r"),
        ("A" * 120, "plain", "<b>rich</b>"),
    ],
)
def test_a_newsletter_copy_is_sent_as_django_would_send_it(subject, text, html):
    message = newsletter_like(subject, text, html)

    assert normalised(mail_wire.message_bytes(message)) == normalised(djangos(message))


def test_any_mix_of_words_headers_and_addresses_gives_djangos_bytes():
    pick = random.Random(16)

    def words(n: int) -> str:
        return "".join(pick.choice(WORDS) + pick.choice([" ", "", "\n"]) for _ in range(n))

    for _ in range(300):
        headers = {}
        if pick.random() < 0.3:
            headers["Reply-To"] = pick.choice(["ana@example.org", "José <jose@example.org>"])
        if pick.random() < 0.3:
            headers["X-Note"] = " ".join(words(30).split())
        message = newsletter_like(
            " ".join(words(pick.randint(0, 30)).split()),
            words(pick.randint(1, 300)) + ("z" * 1000 if pick.random() < 0.2 else ""),
            "<p>" + words(pick.randint(0, 300)) + "</p>",
            **headers,
        )
        message.to = [pick.choice(["a@example.org", "José Núñez <jose@example.org>"])]

        assert normalised(mail_wire.message_bytes(message)) == normalised(djangos(message))


def test_other_shapes_of_message_are_built_by_django():
    single = EmailMessage(
        subject="Hi", body="Plain", from_email=FROM, to=["a@example.org"], headers=ID
    )
    attached = newsletter_like("Hi", "Plain", "<p>Rich</p>")
    attached.attach("notes.txt", "Notes", "text/plain")
    no_text = newsletter_like("Hi", "", "<p>Rich</p>")

    for message in (single, attached, no_text):
        assert normalised(mail_wire.message_bytes(message)) == normalised(djangos(message))


def test_a_delivery_sent_over_smtp_arrives_whole(settings):
    rendered = mail.RenderedEmail(
        subject="Boletín", text="Hola, José\n", html="<p>Hola, José</p>", headers={"X-Note": "n"}
    )
    with smtp_sink() as (sink, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        delivery, _ = mail.email_queue(
            kind="test", message_key="wire", to="ana@example.org", rendered=rendered
        )
        assert mail.delivery_send(delivery_id=delivery.pk) == "sent"

    (received,) = sink.messages
    assert received["To"] == "ana@example.org"
    assert received["Subject"] == "Boletín"
    assert received["Message-ID"] == delivery.message_id
    assert received["X-Note"] == "n"
    assert received.get_body(("plain",)).get_content().splitlines() == ["Hola, José"]
    assert received.get_body(("html",)).get_content() == "<p>Hola, José</p>"
