"""Deliveries through a real Celery worker on the real Redis, to a real SMTP server."""

import pytest

from mentoring import tasks
from mentoring.models import Delivery
from tests.celery_helpers import publishing_to
from tests.smtp_sink import smtp_sink
from tests.worker import broker_url, celery_worker, empty_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def record(n: int, key: str = "bulk") -> list[int]:
    Delivery.objects.bulk_create(
        Delivery(
            message_key=key,
            kind="test.bulk",
            to_email=f"r{i:04d}@example.org",
            subject=f"Message for r{i:04d}",
            body_text="Hello\n",
            body_html="<p>Hello</p>",
        )
        for i in range(n)
    )
    return list(
        Delivery.objects.filter(message_key=key).order_by("pk").values_list("pk", flat=True)
    )


def sent_count() -> int:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count()


def test_a_worker_sends_every_delivery_exactly_once():
    empty_broker()
    ids = record(300)
    with smtp_sink(refuse_permanently=["r0007@example.org"]) as (sink, port):
        with celery_worker(smtp_port=port, concurrency=2):
            with publishing_to(broker_url()):
                tasks.publish_deliveries(ids)
                tasks.publish_deliveries(ids)  # published twice: still sent once
            wait_for(lambda: sent_count() == 299, timeout=120, what="299 deliveries sent")

        recipients = sink.recipients()
    assert len(recipients) == len(set(recipients)) == 299
    assert "r0007@example.org" not in recipients
    failed = Delivery.objects.get(to_email="r0007@example.org")
    assert failed.status == Delivery.Status.FAILED and "550" in failed.last_error


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice():
    empty_broker()
    ids = record(200)
    # The sink holds the 120th message's conversation; the worker is killed while it
    # waits, with a batch half sent and more batches queued behind it.
    with smtp_sink(pause_once_at=["r0120@example.org"]) as (sink, port):
        with celery_worker(smtp_port=port) as first:
            with publishing_to(broker_url()):
                tasks.publish_deliveries(ids)
            wait_for(sink.paused.is_set, timeout=120, what="the sink to pause")
            first.kill()
        sink.release()
        assert 0 < len(sink.recipients()) < 200
        assert sent_count() < 200

        # A new worker takes the killed worker's unacknowledged batches back once the
        # broker's visibility timeout has passed; the claim the dead worker left on r0120
        # expires, and beat's sweeper queues it again if nothing else has.
        with celery_worker(
            smtp_port=port,
            beat=True,
            every={"requeue-stalled-deliveries": 2},
            CELERY_VISIBILITY_TIMEOUT=3,
            CELERY_UNACKED_RESTORE_INTERVAL=1,
            CELERY_UNACKED_RESTORE_THROTTLE=1,
            DELIVERY_CLAIM_TIMEOUT=3,
        ):
            wait_for(lambda: sent_count() == 200, timeout=120, what="all 200 sent")
        recipients = sink.recipients()

    assert len(recipients) == 200
    assert sorted(recipients) == sorted(f"r{i:04d}@example.org" for i in range(200))
