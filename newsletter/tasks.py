"""Celery tasks of the newsletter, run by beat (schedules in ``CELERY_BEAT_SCHEDULE``,
kept in the database and shown in admin under "Periodic tasks"). Each calls a service
and is safe to run twice: issues are claimed with a conditional update, deliveries and
reminders are unique per message and address."""

from celery import shared_task

from . import reminders, services


@shared_task(acks_late=True)
def send_due_newsletters() -> list[int]:
    """Send the issues that are due (every minute): claim each (scheduled → sending),
    record one delivery per recipient and queue them in batches; take over a fan-out a
    dead worker left; mark sent the issues whose deliveries have all finished. An issue
    due while the broker was down goes out at the first run after it is back."""
    return services.issues_send_due()


@shared_task(acks_late=True)
def draft_next_newsletters() -> int:
    """Draft next month's issue of each cycle in its program months (daily) and tell the
    committee it is ready."""
    return len(services.issues_draft_next_month())


@shared_task(acks_late=True)
def send_reminders() -> dict:
    """Send the timeline's reminders due today (daily), each once per person per
    occasion."""
    return reminders.reminders_send()
