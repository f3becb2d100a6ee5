"""Benchmarks (make bench): the test settings on a database of their own, DEBUG off."""

from .test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
# As in production with Redis (the page benchmark counts queries in this process).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Tasks run inline here; a line per finished task would bury the figures.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
