"""The program's periodic tasks, registered in the database where beat reads them.

Beat runs django-celery-beat's DatabaseScheduler, so what runs when is a row staff can see
and change in admin (Periodic tasks). `migrate` registers every entry of
``settings.PERIODIC_TASKS`` on every installation, development and production alike:
it creates what is missing and keeps the task's dotted path current (that belongs to the
code), but never touches a schedule, or whether it is enabled, once the row exists (that
belongs to staff).
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction


def periodic_tasks_register(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the periodic tasks that are missing; return the names it created."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return []  # django-celery-beat is not migrated yet (a partial `migrate`)
    created = []
    with transaction.atomic(using=using):
        for name, entry in settings.PERIODIC_TASKS.items():
            task = PeriodicTask.objects.using(using).filter(name=name).first()
            if task is not None:
                if task.task != entry["task"]:
                    task.task = entry["task"]
                    task.save(update_fields=["task"])
                continue
            if "every" in entry:
                interval, _ = IntervalSchedule.objects.using(using).get_or_create(
                    every=int(entry["every"]), period=IntervalSchedule.SECONDS
                )
                when = {"interval": interval}
            else:
                minute, hour, day_of_month, month_of_year, day_of_week = entry["crontab"].split()
                crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
                    minute=minute,
                    hour=hour,
                    day_of_month=day_of_month,
                    month_of_year=month_of_year,
                    day_of_week=day_of_week,
                    timezone=settings.CELERY_TIMEZONE,
                )
                when = {"crontab": crontab}
            PeriodicTask.objects.using(using).create(name=name, task=entry["task"], **when)
            created.append(name)
    return created


def register_after_migrate(sender, *, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: every `migrate` (and a test database's creation) registers."""
    periodic_tasks_register(using=using)
