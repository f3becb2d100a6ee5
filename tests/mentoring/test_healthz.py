import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_when_database_and_broker_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/13"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"]["database"]["ok"] is True
    assert response.json()["checks"]["broker"]["ok"] is True


def test_unavailable_names_the_broker_when_it_does_not_answer(client, settings):
    # Nothing listens on port 1: a real refused connection.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_the_public_answer_does_not_show_where_the_broker_is(client, settings, caplog):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.json()["checks"]["broker"]["detail"] == "OperationalError"
    assert "127.0.0.1" not in response.content.decode()
    assert "127.0.0.1:1" in caplog.text  # the whole error is in the log
