"""The site answers with Redis stopped or stalled (paused with SIGSTOP: it takes
connections and never answers): the cache fails open, sessions are in the database, and
an e-mail waits in the outbox until the broker is back, then goes out.

Redis here is a real ``redis-server`` of the test's own (tests/redis_server.py), the
cache and the broker both, as in production."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from mentoring.models import Delivery
from tests.celery_helpers import publishing_to
from tests.factories import CycleFactory, verified_user
from tests.factories.core import PASSWORD
from tests.redis_server import redis_server
from tests.smtp_sink import smtp_sink
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis(settings):
    """The test's own Redis as this process's cache and broker."""
    with redis_server() as server:
        settings.CACHES = {
            "default": {"BACKEND": "mentoring.fail_open.RedisCache", "LOCATION": server.url(0)}
        }
        settings.CELERY_BROKER_URL = server.url(1)
        with publishing_to(server.url(1)):
            yield server


def make_unavailable(redis, how: str) -> None:
    if how == "stopped":
        redis.stop()
    else:
        redis.pause()


def bring_back(redis, how: str) -> None:
    if how == "stopped":
        redis.start()
    else:
        redis.resume()


@pytest.mark.parametrize("how", ["stopped", "paused"])
def test_every_page_answers_and_the_email_goes_out_once_redis_is_back(redis, how, caplog):
    CycleFactory()
    person = verified_user(preferred_name="Quinn")
    assert Client().get("/").status_code == 200  # the program content now in the cache
    assert cache.get("program-content:version") is not None

    make_unavailable(redis, how)
    caplog.set_level(logging.WARNING)
    visitor = Client()
    assert visitor.get("/").status_code == 200
    assert visitor.get(reverse("activities:catalog")).status_code == 200
    assert visitor.get(reverse("account_login")).status_code == 200

    signed_in = visitor.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    my_page = visitor.get(reverse("my_mentoring"))
    assert my_page.status_code == 200
    assert "Quinn" in my_page.content.decode()

    # A form that writes and sends an e-mail: signing up (the address's confirmation).
    newcomer = Client().post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "full_name": "Nadia Newcomer",
            "preferred_name": "Nadia",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert newcomer.status_code == 302
    delivery = Delivery.objects.get(to_email="newcomer@example.org")
    assert delivery.status == Delivery.Status.PENDING
    assert "Cache unavailable" in caplog.text
    assert "Could not queue 1 deliveries" in caplog.text

    assert visitor.get(reverse("healthz")).json()["failing"] == ["broker", "cache"]
    assert visitor.get(reverse("healthz")).status_code == 200

    bring_back(redis, how)
    with smtp_sink() as (sink, port):
        every = {"requeue-stalled-deliveries": 1}
        with celery_worker(smtp_port=port, broker=redis.url(1), beat=True, every=every,
                           DELIVERY_REQUEUE_AFTER=1):  # fmt: skip
            wait_for(
                lambda: sink.recipients() == ["newcomer@example.org"],
                timeout=120,
                what="the confirmation e-mail sent by the sweeper",
            )
            # The server accepted it; the worker marks the row sent just after.
            wait_for(
                lambda: Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT,
                timeout=60,
                what="the delivery marked sent",
            )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
