"""At-least-once, with one Message-ID: each delivery's Message-ID is stored when it is
recorded and sent on every attempt, so a copy sent again after a worker died (between the
server's accept and the row marked sent) is the same message; that window holds only
the update marking the row sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from mentoring import mail
from mentoring.models import Delivery
from tests.smtp_sink import smtp_sink

pytestmark = pytest.mark.django_db

RENDERED = mail.RenderedEmail(subject="Hello", text="Plain words\n", html="<p>Rich words</p>")


def queue(to="ana@example.org", key="greeting:1"):
    return mail.email_queue(kind="test.greeting", message_key=key, to=to, rendered=RENDERED)[0]


@pytest.fixture
def smtp(settings):
    with smtp_sink() as (sink, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


def test_each_delivery_has_its_own_message_id_from_the_moment_it_is_recorded():
    one, other = queue(), queue(key="greeting:2")
    bulk = [
        Delivery(message_key="bulk", kind="test", to_email=f"p{i}@example.org") for i in range(3)
    ]
    Delivery.objects.bulk_create(bulk)

    ids = list(Delivery.objects.values_list("message_id", flat=True))
    assert len(set(ids)) == len(ids) == 5
    assert all(i.startswith("<") and i.endswith("@example.org>") for i in ids)
    assert one.message_id != other.message_id


def test_a_copy_sent_again_after_a_dead_worker_carries_the_same_message_id(smtp, settings):
    delivery = queue()
    assert mail.delivery_send(delivery_id=delivery.pk) == "sent"
    # The worker died after the server accepted, before it recorded "sent": the row is
    # still claimed; once the claim has expired it is sent again.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert mail.delivery_send(delivery_id=delivery.pk) == "sent"

    first, again = smtp.messages
    assert first["Message-ID"] == again["Message-ID"] == delivery.message_id
    assert mail.delivery_send(delivery_id=delivery.pk) == "skipped"


class RecordingBackend(EmailBackend):
    events: list[str] = []

    def open(self):
        self.events.append("open")
        return super().open()

    def send_messages(self, messages):
        self.events.append("accepted")
        return super().send_messages(messages)

    def close(self):
        self.events.append("close")
        return super().close()


def test_the_row_is_marked_sent_right_after_the_accept_before_saying_goodbye(settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.events = []
    delivery = Delivery.objects.create(message_key="k", kind="test", to_email="ana@example.org")
    finish = mail._finish

    def recorded_finish(delivery_id, status, **kwargs):
        RecordingBackend.events.append(f"marked {status}")
        finish(delivery_id, status, **kwargs)

    monkeypatch.setattr(mail, "_finish", recorded_finish)

    assert mail.delivery_send(delivery_id=delivery.pk) == "sent"

    assert RecordingBackend.events == ["open", "accepted", "marked sent", "close"]
