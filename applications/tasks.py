"""Celery tasks of the applications app: they take ids and call a service."""

from celery import shared_task
from django.dispatch import receiver

from . import services
from .models import Application


@shared_task(acks_late=True)
def send_decisions(application_ids: list[int]) -> dict[str, int]:
    """Email each application its decision, once (safe to run twice)."""
    outcome = services.applications_decisions_send(
        applications=Application.objects.filter(pk__in=application_ids).order_by("pk")
    )
    return {
        "sent": len(outcome.sent),
        "already_told": len(outcome.already_told),
        "refused": len(outcome.refused),
    }


@receiver(services.decisions_queued)
def queue_send_decisions(sender, application_ids: list[int], **kwargs) -> None:
    """The decisions the committee queued go to a worker (see
    :func:`services.applications_decisions_queue`)."""
    send_decisions.delay(application_ids)
