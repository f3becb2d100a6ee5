"""A new activity-log entry is recorded once, however often its form is posted: a double
click (two posts at the same moment), the back button and a resubmit. The form carries a
one-time token that the entry spends."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from activities.models import ActivityLogEntry
from mentoring import form_tokens

from .helpers import active_match, today

pytestmark = pytest.mark.django_db


def new_url(match):
    return reverse("activities:log_entry_create", args=[match.pk])


def form_page_token(client, match) -> str:
    body = client.get(new_url(match)).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', body).group(1)


def entry(token: str, **overrides) -> dict:
    return {
        "activity": "",
        "title": "Video call about storytime",
        "status": ActivityLogEntry.Status.DONE,
        "on": today().isoformat(),
        "notes": "We compared our openers.",
        "form_token": token,
        **overrides,
    }


def test_the_same_form_posted_twice_records_one_entry_and_shows_the_log(client, match):
    client.force_login(match.mentee.applicant)
    token = form_page_token(client, match)

    first = client.post(new_url(match), entry(token))
    again = client.post(new_url(match), entry(token), follow=True)  # the back button

    assert first.status_code == 302
    assert again.redirect_chain[-1][0] == reverse("activities:log", args=[match.pk])
    assert "That entry was already added to your log." in again.content.decode()
    assert ActivityLogEntry.objects.filter(match=match).count() == 1


def test_each_visit_to_the_form_records_its_own_entry(client, match):
    client.force_login(match.mentee.applicant)

    client.post(new_url(match), entry(form_page_token(client, match)))
    client.post(new_url(match), entry(form_page_token(client, match), title="Second call"))

    assert ActivityLogEntry.objects.filter(match=match).count() == 2


def test_a_refused_post_keeps_its_token_for_the_corrected_one(client, match):
    client.force_login(match.mentee.applicant)
    token = form_page_token(client, match)

    refused = client.post(new_url(match), entry(token, title=" "))
    corrected = client.post(new_url(match), entry(token))

    assert f'value="{token}"' in refused.content.decode()
    assert corrected.status_code == 302
    assert ActivityLogEntry.objects.filter(match=match).count() == 1


@pytest.mark.parametrize("token", ["", "forged", "another person's"])
def test_a_missing_or_foreign_token_records_nothing_and_keeps_what_was_typed(client, match, token):
    if token == "another person's":
        token = form_tokens.issue(match.mentor.applicant)
    client.force_login(match.mentee.applicant)

    response = client.post(new_url(match), entry(token))

    body = response.content.decode()
    assert response.status_code == 200
    assert "This form was open too long or had lost its token" in body
    assert "We compared our openers." in body
    assert not ActivityLogEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_click_two_posts_at_once_records_one_entry():
    match = active_match()
    mentee = match.mentee.applicant
    token = form_tokens.issue(mentee)
    start = threading.Barrier(2)
    answers = []

    def post():
        client = Client()
        client.force_login(mentee)
        start.wait()
        try:
            answers.append(client.post(new_url(match), entry(token)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [302, 302]
    assert ActivityLogEntry.objects.filter(match=match).count() == 1


def test_a_megabyte_of_notes_is_refused_beside_the_field_with_its_count(client, match):
    client.force_login(match.mentee.applicant)

    response = client.post(
        new_url(match), entry(form_page_token(client, match), notes="n" * 1_000_000)
    )

    errors = response.context["form"].errors
    assert errors["notes"] == ["Ensure this value has at most 5000 characters (it has 1000000)."]
    assert 'id="error_1_id_notes"' in response.content.decode()
    assert not ActivityLogEntry.objects.exists()


def test_a_post_writes_its_token_and_entry_in_one_transaction_without_savepoints(client, match):
    # The token is spent by one statement that tells whether it was new, and the service
    # writes inside the view's transaction: no savepoint round trips on every post.
    from django.test.utils import CaptureQueriesContext

    client.force_login(match.mentee.applicant)
    token = form_page_token(client, match)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(new_url(match), entry(token))
    statements = [q["sql"].split()[0].upper() for q in ctx.captured_queries]

    assert response.status_code == 302
    # One: the view's own transaction, a savepoint only inside the test's transaction.
    assert statements.count("SAVEPOINT") == 1
    assert statements.count("INSERT") == 2  # the spent token and the entry (no goals)
    assert ActivityLogEntry.objects.filter(match=match).count() == 1
    assert not form_tokens.spend(user=match.mentee.applicant, token=token)
