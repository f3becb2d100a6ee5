"""Local development (`make run`): debug on, the whole system with nothing installed.

`make run` starts the site, one Celery worker and beat (Procfile.dev). They share an
SQLite file and a broker kept in files (kombu's filesystem transport), so what production
does at a set time happens here too, and not a single variable needs setting.
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# The admin asks staff for a second factor. Under `make run` this fixed code is taken as
# any authenticator's code, so the demo's staff sign in without an app; allauth refuses
# it unless DEBUG is on, and no other settings module sets it.
MFA_TOTP_INSECURE_BYPASS_CODE = env("MFA_DEV_CODE", default="000000") if DEBUG else None

# Three processes write to one SQLite file: wait for the lock rather than fail at once,
# let readers go on while one writes (WAL), and take the write lock when a transaction
# begins, so two never deadlock upgrading a read lock.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# The broker: messages are files in one folder that the web process, beat and the worker
# all see. CELERY_BROKER_URL (e.g. Redis) replaces it; CELERY_TASK_ALWAYS_EAGER=True runs
# tasks inline instead.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost/")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
if CELERY_BROKER_URL.startswith("filesystem"):
    _BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / ".run" / "broker")))
    for _folder in ("queue", "processed", "control"):
        (_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_FOLDER / "queue"),
        "data_folder_out": str(_BROKER_FOLDER / "queue"),
        "processed_folder": str(_BROKER_FOLDER / "processed"),
        "control_folder": str(_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
    # Nobody else listens on this broker: no remote control or events to broadcast.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False

# Emails are printed by the worker, each under one line that starts "Email:", text part
# only (the HTML part is the same message, laid out).
if "EMAIL_URL" not in env.ENVIRON:
    EMAIL_BACKEND = "mentoring.console_mail.EmailBackend"

# A line per finished task would drown the worker's own output.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
