import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_names_the_database_the_broker_and_the_cache(client, settings):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    checks = response.json()["checks"]
    assert (checks["database"]["ok"], checks["broker"]["ok"], checks["cache"]["ok"]) == (
        True,
        True,
        True,
    )
    assert response.json()["status"] == "ok"


def test_a_broker_that_does_not_answer_is_named_and_the_site_stays_up(client, settings):
    # Nothing listens on port 1: a real refused connection.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["failing"] == ["broker"]


def test_a_cache_that_does_not_answer_is_named_and_the_site_stays_up(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "mentoring.fail_open.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["failing"] == ["cache"]


def test_unavailable_only_when_the_database_does_not_answer(client, monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "database" in response.json()["failing"]


def test_the_public_answer_does_not_show_where_the_broker_is(client, settings, caplog):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.json()["checks"]["broker"]["detail"] == "OperationalError"
    assert "127.0.0.1" not in response.content.decode()
    assert "127.0.0.1:1" in caplog.text  # the whole error is in the log
