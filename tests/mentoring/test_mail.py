"""The email machinery: recorded once, sent once, failures recorded, nothing lost."""

import datetime as dt
import threading

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.utils import timezone

from mentoring import mail
from mentoring.models import Delivery
from mentoring.tasks import requeue_stalled_deliveries, send_delivery
from tests.celery_helpers import publishing_to
from tests.factories import UserFactory
from tests.smtp_sink import smtp_sink

pytestmark = pytest.mark.django_db

RENDERED = mail.RenderedEmail(subject="Hello", text="Plain words\n", html="<p>Rich words</p>")


def queue(to="ana@example.org", key="greeting:1"):
    return mail.email_queue(kind="test.greeting", message_key=key, to=to, rendered=RENDERED)


@pytest.fixture
def smtp(settings):
    """Send through a real SMTP server on localhost that refuses two addresses."""
    with smtp_sink(
        refuse_permanently=["gone@example.org"], refuse_for_now=["busy@example.org"]
    ) as (sink, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


def test_an_email_is_sent_after_commit_with_text_and_html(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delivery, created = queue(to=user)
        assert django_mail.outbox == []  # nothing leaves before the commit

    assert created and len(callbacks) == 1
    (message,) = django_mail.outbox
    assert message.to == [user.email]
    assert message.body == "Plain words\n"
    assert message.alternatives[0] == ("<p>Rich words</p>", "text/html")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.recipient, delivery.attempts) == ("sent", user, 1)
    assert delivery.sent_at is not None


def test_a_copy_is_marked_sent_at_the_time_it_was_accepted_and_only_while_claimed():
    delivery, _ = queue()
    Delivery.objects.filter(pk=delivery.pk).update(last_error="451 busy earlier")
    before = timezone.now()

    assert mail.delivery_send(delivery_id=delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.SENT, "")
    assert before <= delivery.sent_at <= timezone.now()
    # A row nobody holds (failed meanwhile, handed back) is left as it is.
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED)
    mail._finish(delivery.pk, Delivery.Status.SENT)
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.FAILED


def test_queuing_the_same_message_twice_records_and_sends_it_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = queue()
        second, created_second = queue()

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert len(django_mail.outbox) == 1
    assert Delivery.objects.count() == 1


def test_a_task_run_twice_sends_once():
    delivery, _ = queue()

    assert send_delivery.apply(args=[delivery.pk]).get() == "sent"
    assert send_delivery.apply(args=[delivery.pk]).get() == "skipped"
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_get_it_once():
    # Recorded without queuing: outside a test transaction the eager task would run at once.
    delivery = Delivery.objects.create(
        message_key="race", kind="test", to_email="ana@example.org", subject="Hi"
    )
    barrier = threading.Barrier(2)
    results = []

    def claim():
        barrier.wait()
        results.append(mail.delivery_claim(delivery_id=delivery.pk))
        connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results) == [False, True]


def test_a_claim_left_by_a_dead_worker_is_taken_over(settings):
    delivery, _ = queue()
    assert mail.delivery_claim(delivery_id=delivery.pk)  # the worker that then died
    assert not mail.delivery_claim(delivery_id=delivery.pk)

    settings.DELIVERY_CLAIM_TIMEOUT = 0
    assert mail.delivery_send(delivery_id=delivery.pk) == "sent"
    assert len(django_mail.outbox) == 1


def test_a_real_smtp_server_receives_the_message(smtp):
    delivery, _ = queue(to="ana@example.org")

    assert mail.delivery_send(delivery_id=delivery.pk) == "sent"

    (message,) = smtp.messages
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "Hello"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words"
    assert "Rich words" in message.get_body(("html",)).get_content()


def test_a_permanently_refused_address_is_recorded_as_failed(smtp):
    delivery, _ = queue(to="gone@example.org")

    assert mail.delivery_send(delivery_id=delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "550" in delivery.last_error
    assert smtp.messages == []


def test_a_busy_mailbox_is_retried_then_given_up(smtp, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 2
    delivery, _ = queue(to="busy@example.org")

    with pytest.raises(mail.TransientDeliveryError):
        mail.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "451" in delivery.last_error

    assert mail.delivery_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)


def test_a_batch_goes_on_past_a_refused_address(smtp):
    ids = [
        queue(to=address, key="batch")[0].pk
        for address in ["a@example.org", "gone@example.org", "busy@example.org", "b@example.org"]
    ]

    outcome = mail.deliveries_send(delivery_ids=ids)

    assert (outcome.sent, outcome.failed, outcome.to_retry) == (2, 1, [ids[2]])
    assert sorted(smtp.recipients()) == ["a@example.org", "b@example.org"]


def test_a_batch_takes_only_what_nobody_else_holds(settings):
    ids = [queue(to=f"p{i}@example.org", key="claims")[0].pk for i in range(4)]
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.PENDING, attempts=0)
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.DELIVERY_CLAIM_TIMEOUT + 1)
    Delivery.objects.filter(pk=ids[1]).update(status=Delivery.Status.SENDING, claimed_at=now)
    Delivery.objects.filter(pk=ids[2]).update(status=Delivery.Status.SENDING, claimed_at=stale)
    Delivery.objects.filter(pk=ids[3]).update(status=Delivery.Status.SENT)
    django_mail.outbox.clear()

    outcome = mail.deliveries_send(delivery_ids=ids)

    # The pending one and the one whose worker died; not the one another worker holds.
    assert (outcome.sent, outcome.skipped) == (2, 2)
    assert sorted(m.to[0] for m in django_mail.outbox) == ["p0@example.org", "p2@example.org"]
    assert mail.deliveries_send(delivery_ids=ids).skipped == 4


def test_a_batch_that_outlives_half_its_claim_hands_the_rest_back(settings, monkeypatch):
    ids = [queue(to=f"q{i}@example.org", key="slow")[0].pk for i in range(3)]
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.PENDING, attempts=0)
    django_mail.outbox.clear()
    clock = iter([0.0, 1.0, 10_000.0, 10_001.0])
    monkeypatch.setattr(mail.time, "monotonic", lambda: next(clock))

    outcome = mail.deliveries_send(delivery_ids=ids)

    assert (outcome.sent, outcome.to_retry) == (1, ids[1:])
    assert list(
        Delivery.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)
    ) == [
        Delivery.Status.SENT,
        Delivery.Status.PENDING,
        Delivery.Status.PENDING,
    ]


def test_a_broker_that_is_down_loses_nothing(django_capture_on_commit_callbacks):
    # Nothing listens on port 1: publishing meets a real refused connection.
    with publishing_to("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        delivery, _ = queue()  # must not raise into the caller

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert django_mail.outbox == []

    # Once the broker is back, the sweeper publishes what was left pending.
    Delivery.objects.filter(pk=delivery.pk).update(
        created_at=delivery.created_at - mail.timezone.timedelta(minutes=5)
    )
    assert requeue_stalled_deliveries.apply().get() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(django_mail.outbox) == 1
