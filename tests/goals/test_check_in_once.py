"""A check-in is recorded once, however often its form is posted (a double click, the
back button): the form's one-time token is spent with it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from goals.models import CheckIn

from .test_pages import agreed

pytestmark = pytest.mark.django_db


def test_a_check_in_posted_twice_is_recorded_once(client, sheet, mentee, mentor, cycle, today):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    url = reverse("goals:check_in", args=[sheet.match.pk, goal.pk])
    client.force_login(mentee)
    token = re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode()).group(
        1
    )
    data = {"status": "in_progress", "note": "Read two books.", "on": today.isoformat(),
            "form_token": token}  # fmt: skip

    first = client.post(url, data)
    again = client.post(url, data, follow=True)

    assert first.status_code == 302
    assert "was already recorded" in again.content.decode()
    assert CheckIn.objects.filter(goal=goal).count() == 1


def test_a_check_in_without_its_token_is_not_recorded(client, sheet, mentee, mentor, cycle, today):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    client.force_login(mentee)

    response = client.post(
        reverse("goals:check_in", args=[sheet.match.pk, goal.pk]),
        {"status": "in_progress", "note": "Read two books.", "on": today.isoformat()},
    )

    assert response.status_code == 400
    assert "Read two books." in response.content.decode()
    assert not CheckIn.objects.exists()
