"""Benchmarks (make bench): the test settings on a database of their own, DEBUG off."""

from .test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
# Tasks run inline here; a line per finished task would bury the figures.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
