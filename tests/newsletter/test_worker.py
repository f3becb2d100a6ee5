"""The newsletter through a real Celery worker (with its beat) on Redis, to a real SMTP
server on localhost: a scheduled issue is claimed by beat when due, fanned out, and each
recipient gets exactly one copy with their own goal section, whatever dies on the way.

The Redis-outage test runs a Redis of its own on a free port: the machine's shared Redis
(port 6379) serves other people's tests and is never stopped.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from mentoring.models import Delivery
from newsletter.models import NewsletterIssue
from newsletter.selectors import delivery_counts
from tests.factories import NewsletterIssueFactory, bulk_matches
from tests.redis_server import redis_server
from tests.smtp_sink import smtp_sink
from tests.worker import celery_worker, empty_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Beat looks for due issues every second; a delivery left pending (queued while the
# broker was down) is queued again after three seconds.
FAST_BEAT = {
    "every": {"send-due-newsletters": 1, "requeue-stalled-deliveries": 2},
    "DELIVERY_REQUEUE_AFTER": 3,
}


def due_issue(cycle, *, in_seconds: float = -1) -> NewsletterIssue:
    return NewsletterIssueFactory(
        cycle=cycle,
        subject="The monthly newsletter",
        status=NewsletterIssue.Status.SCHEDULED,
        send_at=timezone.now() + dt.timedelta(seconds=in_seconds),
    )


def status_of(issue) -> str:
    return NewsletterIssue.objects.values_list("status", flat=True).get(pk=issue.pk)


def copies(sink, issue) -> list:
    """The messages of this issue the sink accepted (beat's other tasks may send other
    mail, such as reminders, while a test runs)."""
    return [m for m in sink.messages if m["Subject"] == issue.subject]


def own_goal(address: str, prefix: str) -> str:
    """The goal a recipient's copy must show: the one named after their match's mentee."""
    number = re.search(rf"{prefix}-(?:mentor|mentee)-(\d+)@", address).group(1)
    return f"Goal of {prefix}-mentee-{number}"


def test_a_thousand_recipients_each_get_their_own_copy_exactly_once(cycle):
    empty_broker()
    bulk_matches(cycle, 500, prefix="k")
    issue = due_issue(cycle)

    with smtp_sink() as (sink, port):
        with celery_worker(smtp_port=port, concurrency=2, beat=True, **FAST_BEAT):
            wait_for(lambda: status_of(issue) == "sent", timeout=600, what="the issue sent")
        received = copies(sink, issue)

    addresses = [m["To"] for m in received]
    assert len(received) == 1000
    assert len(set(addresses)) == 1000
    for message in received:
        text = message.get_body(("plain",)).get_content()
        goals = re.findall(r"Goal of k-mentee-\d+", text)
        assert goals == [own_goal(message["To"], "k")], message["To"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert goals[0] in message.get_body(("html",)).get_content()
    assert delivery_counts(issue).delivered == 1000


def test_a_worker_killed_mid_batch_and_started_again_sends_each_copy_exactly_once(cycle):
    empty_broker()
    bulk_matches(cycle, 150, prefix="w")
    issue = due_issue(cycle)
    expected = sorted(
        f"w-{role}-{i}@example.org" for i in range(150) for role in ("mentor", "mentee")
    )

    # The sink holds the conversation of the 120th recipient (the third batch of fifty):
    # the worker is killed while it waits, a batch half sent and more queued behind it.
    with smtp_sink(pause_once_at=["w-mentee-59@example.org"]) as (sink, port):
        with celery_worker(smtp_port=port, beat=True, **FAST_BEAT) as first:
            wait_for(sink.paused.is_set, timeout=180, what="the sink to pause")
            first.kill()
        sink.release()
        assert 0 < len(copies(sink, issue)) < 300
        assert status_of(issue) == "sending"

        # The new worker gets the dead one's unacknowledged batches back after the
        # broker's visibility timeout; the claim left on the paused delivery expires.
        with celery_worker(
            smtp_port=port,
            beat=True,
            CELERY_VISIBILITY_TIMEOUT=3,
            CELERY_UNACKED_RESTORE_INTERVAL=1,
            CELERY_UNACKED_RESTORE_THROTTLE=1,
            DELIVERY_CLAIM_TIMEOUT=3,
            **FAST_BEAT,
        ):
            wait_for(lambda: status_of(issue) == "sent", timeout=240, what="the issue sent")
        received = copies(sink, issue)

    assert sorted(m["To"] for m in received) == expected
    for message in received:
        assert own_goal(message["To"], "w") in message.get_body(("plain",)).get_content()


def test_an_issue_due_while_redis_is_down_goes_out_once_it_is_back(cycle):
    bulk_matches(cycle, 10, prefix="r")
    with redis_server() as redis, smtp_sink() as (sink, port):
        with celery_worker(smtp_port=port, broker=redis.url(), beat=True, **FAST_BEAT) as worker:
            wait_for(
                lambda: re.search(r"send_due_newsletters\[.*\] succeeded", worker.output()),
                timeout=60,
                what="beat's first look for due issues",
            )
            issue = due_issue(cycle, in_seconds=3)
            redis.stop()
            # Well past the send time, with Redis down: nothing went out.
            wait_for(
                lambda: timezone.now() > issue.send_at + dt.timedelta(seconds=6),
                timeout=30,
                what="the send time to pass",
            )
            assert copies(sink, issue) == []
            assert status_of(issue) in ("scheduled", "sending")

            redis.start()
            wait_for(lambda: status_of(issue) == "sent", timeout=180, what="the issue sent")
        received = copies(sink, issue)

    assert sorted(m["To"] for m in received) == sorted(
        f"r-{role}-{i}@example.org" for i in range(10) for role in ("mentor", "mentee")
    )
    assert Delivery.objects.filter(message_key=issue.message_key, status="sent").count() == 20


def test_a_refused_address_is_recorded_as_failed_and_the_rest_delivered(cycle):
    empty_broker()
    bulk_matches(cycle, 30, prefix="f")
    issue = due_issue(cycle)

    with smtp_sink(refuse_permanently=["f-mentee-7@example.org"]) as (sink, port):
        with celery_worker(smtp_port=port, concurrency=2, beat=True, **FAST_BEAT):
            wait_for(lambda: status_of(issue) == "sent", timeout=240, what="the issue sent")
        received = copies(sink, issue)

    assert len(received) == 59
    assert "f-mentee-7@example.org" not in {m["To"] for m in received}
    failed = Delivery.objects.get(message_key=issue.message_key, to_email="f-mentee-7@example.org")
    assert failed.status == "failed" and "550" in failed.last_error
    counts = delivery_counts(issue)
    assert (counts.delivered, counts.failed, counts.pending) == (59, 1, 0)
