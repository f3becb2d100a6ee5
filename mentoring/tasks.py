"""Celery tasks of the program core. Tasks take ids and call a service; each is safe to
run twice (the delivery claim makes a second run a no-op)."""

import logging
import time

from celery import current_app, shared_task
from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from . import form_tokens, mail
from .models import Delivery

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_delivery(self, delivery_id: int) -> str:
    """Send one recorded email; retry with backoff while the mail server is unavailable."""
    try:
        return mail.delivery_send(delivery_id=delivery_id)
    except mail.TransientDeliveryError as exc:
        raise self.retry(exc=exc, countdown=mail.retry_countdown(self.request.retries)) from exc


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_delivery_batch(self, delivery_ids: list[int]) -> dict:
    """Send a batch of deliveries over one connection; each delivery the server could not
    take now is retried on its own, with backoff."""
    try:
        outcome = mail.deliveries_send(delivery_ids=delivery_ids)
    except mail.TransientDeliveryError as exc:
        raise self.retry(exc=exc, countdown=mail.retry_countdown(self.request.retries)) from exc
    for delivery_id in outcome.to_retry:
        send_delivery.apply_async((delivery_id,), countdown=mail.retry_countdown(0))
    return {"sent": outcome.sent, "failed": outcome.failed, "retry": len(outcome.to_retry)}


BATCH_SIZE = 50
# After the broker failed to take a message, this process leaves it alone this long
# (seconds): a stalled broker costs one request its timeout, not every request.
BROKER_RETRY_AFTER = 30.0
_broker_down_until: dict[str, float] = {}


@receiver(mail.deliveries_recorded)
def publish_deliveries(delivery_ids: list[int], **kwargs) -> None:
    """Publish send tasks now. A broker that is down costs nothing: the rows are pending
    in the database and the sweeper publishes them again once it is back; after a
    failure this process leaves that to the sweeper for BROKER_RETRY_AFTER seconds."""
    broker = current_app.conf.broker_url
    if not current_app.conf.task_always_eager and time.monotonic() < _broker_down_until.get(
        broker, 0.0
    ):
        logger.info("Broker unavailable: %d deliveries left to the sweeper", len(delivery_ids))
        return
    _publish(delivery_ids)


def _publish(delivery_ids: list[int]) -> bool:
    """One task for one delivery, batches of BATCH_SIZE for many (a newsletter), so no
    single task holds thousands of sends. False when the broker did not take them."""
    broker = current_app.conf.broker_url
    try:
        if len(delivery_ids) == 1:
            send_delivery.delay(delivery_ids[0])
        else:
            for start in range(0, len(delivery_ids), BATCH_SIZE):
                send_delivery_batch.delay(delivery_ids[start : start + BATCH_SIZE])
    except Exception as exc:  # the broker's errors vary by transport; none may fail the caller
        _broker_down_until[broker] = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning(
            "Could not queue %d deliveries (%s: %s); the sweeper will retry",
            len(delivery_ids),
            type(exc).__name__,
            exc,
        )
        return False
    _broker_down_until.pop(broker, None)
    return True


@shared_task
def requeue_stalled_deliveries() -> int:
    """Publish again what the broker lost: deliveries queued while it was down, and
    deliveries claimed by a worker that died before finishing."""
    now = timezone.now()
    ids = list(
        Delivery.objects.stalled(
            now=now,
            claim_timeout=timezone.timedelta(seconds=settings.DELIVERY_CLAIM_TIMEOUT),
            queued_before=now - timezone.timedelta(seconds=settings.DELIVERY_REQUEUE_AFTER),
        ).values_list("pk", flat=True)[:10_000]
    )
    if ids:
        _publish(ids)  # whatever an earlier failure said: the broker may be back
    return len(ids)


@shared_task
def clear_expired() -> dict:
    """Daily: delete the sessions past their expiry (Django's ``clearsessions``, which a
    database session store needs someone to run) and the spent form tokens too old to be
    posted again. Neither is read once expired; both would grow for the whole year."""
    from importlib import import_module

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return {"form_tokens": form_tokens.spent_forget_expired()}
