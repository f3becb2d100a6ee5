"""A batch's "sent" marks commit without waiting for the disk (PostgreSQL's
synchronous_commit off, for the batch only): the claim before them is durable, and the
connection is back to the server's setting afterwards, for whatever runs next on it."""

from __future__ import annotations

import pytest
from django.db import connection

from mentoring import mail
from mentoring.models import Delivery

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a setting of PostgreSQL's"
)

RENDERED = mail.RenderedEmail(subject="Hello", text="Plain words\n", html="<p>Rich words</p>")


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def record(n: int) -> list[int]:
    return [
        Delivery.objects.create(message_key="commits", kind="test", to_email=f"p{i}@example.org").pk
        for i in range(n)
    ]


@pytest.fixture
def seen_while_sending(monkeypatch):
    seen = []
    send_claimed = mail._send_claimed

    def recording(delivery, message, smtp):
        seen.append(synchronous_commit())
        return send_claimed(delivery, message, smtp)

    monkeypatch.setattr(mail, "_send_claimed", recording)
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_batch_marks_its_copies_without_waiting_for_the_disk_and_then_sets_it_back(
    seen_while_sending,
):
    ids = record(3)
    servers = synchronous_commit()

    outcome = mail.deliveries_send(delivery_ids=ids)

    assert outcome.sent == 3
    assert seen_while_sending == ["off", "off", "off"]
    assert synchronous_commit() == servers
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_inside_a_callers_transaction_its_commit_keeps_its_durability(seen_while_sending):
    servers = synchronous_commit()

    outcome = mail.deliveries_send(delivery_ids=record(2))

    assert outcome.sent == 2
    assert seen_while_sending == [servers, servers]
