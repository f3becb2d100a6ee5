"""Tests: the real PostgreSQL and Redis on localhost (make test starts them)."""

import os

from .base import *  # noqa: F403
from .base import env

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mentoring"),
}
# Each pytest-xdist worker gets Redis databases of its own (a cache, and a broker for the
# tests that start a real Celery worker), so clearing one never touches another's.
# TEST_REDIS_DB_BASE moves the whole range, and TEST_REDIS_PORT the server, for a second
# checkout testing at the same time.
_REDIS = f"127.0.0.1:{env.int('TEST_REDIS_PORT', default=6379)}"
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
_REDIS_DB = env.int("TEST_REDIS_DB_BASE", default=2) + 2 * _WORKER
CACHES = {
    "default": env.cache("CACHE_URL", default=f"rediscache://{_REDIS}/{_REDIS_DB}"),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "mentoring.fail_open.RedisCache"
# Unit tests run tasks inline; the worker tests start a real worker on this broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"redis://{_REDIS}/{_REDIS_DB + 1}")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# In-memory mail for unit tests; the worker tests hand a real worker EMAIL_URL (an SMTP
# sink on localhost).
if "EMAIL_URL" in os.environ:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_URL = "http://testserver"
DEBUG = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Static files straight from the finders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
