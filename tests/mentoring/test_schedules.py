"""The periodic tasks beat runs are rows that migrate registers and staff may edit."""

import pytest
from django.conf import settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from mentoring.celery import app
from mentoring.schedules import periodic_tasks_register

pytestmark = pytest.mark.django_db


def test_migrate_registered_every_periodic_task_with_its_schedule():
    app.loader.import_default_modules()
    rows = {task.name: task for task in PeriodicTask.objects.select_related("interval", "crontab")}

    for name, entry in settings.PERIODIC_TASKS.items():
        task = rows[name]
        assert task.enabled and task.task == entry["task"]
        assert task.task in app.tasks, f"{task.task} is not a task the worker knows"
        if "every" in entry:
            assert (task.interval.every, task.interval.period) == (entry["every"], "seconds")
        else:
            assert str(task.crontab).startswith(entry["crontab"])
            assert str(task.crontab.timezone) == settings.TIME_ZONE
    assert rows["send-due-newsletters"].interval.every == 60


def test_registering_again_keeps_what_staff_changed_and_adds_what_is_missing():
    sweep = PeriodicTask.objects.get(name="requeue-stalled-deliveries")
    sweep.interval = IntervalSchedule.objects.create(every=900, period=IntervalSchedule.SECONDS)
    sweep.enabled = False
    sweep.save()
    PeriodicTask.objects.filter(name="send-reminders").delete()

    created = periodic_tasks_register()

    sweep.refresh_from_db()
    assert created == ["send-reminders"]
    assert (sweep.interval.every, sweep.enabled) == (900, False)
    reminders = PeriodicTask.objects.get(name="send-reminders")
    assert (reminders.crontab.hour, reminders.crontab.minute) == ("9", "0")
    assert CrontabSchedule.objects.filter(hour="9", minute="0").count() == 1


def test_a_task_that_moved_in_the_code_is_followed_by_its_row():
    PeriodicTask.objects.filter(name="open-goal-sheets").update(task="goals.old.open_goal_sheets")

    periodic_tasks_register()

    assert PeriodicTask.objects.get(name="open-goal-sheets").task == "goals.tasks.open_goal_sheets"
