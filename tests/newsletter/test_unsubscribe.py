"""One-click unsubscribe (RFC 8058): the link in the List-Unsubscribe header takes a POST
from the mail client with neither a session nor a CSRF token, identified by its signed
token; a GET only asks to confirm. And the person's email preferences page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from newsletter import emails, selectors
from newsletter.models import EmailPreference
from newsletter.tokens import unsubscribe_token
from tests.factories import EmailPreferenceFactory, NewsletterIssueFactory, verified_user

pytestmark = pytest.mark.django_db

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def link(user, list_name="newsletter") -> str:
    return reverse(
        "newsletter:unsubscribe", kwargs={"token": unsubscribe_token(user.pk, list_name)}
    )


def preference(user) -> EmailPreference:
    return selectors.email_preference_of(user)


def test_the_mail_clients_one_click_post_unsubscribes_without_csrf_or_session(mentee):
    client = Client(enforce_csrf_checks=True)

    response = client.post(link(mentee), ONE_CLICK)

    assert response.status_code == 200
    assert not preference(mentee).newsletter
    assert preference(mentee).reminders  # only the list the link names


def test_the_link_in_a_delivered_issue_unsubscribes_its_reader(cycle, match, mentee):
    issue = NewsletterIssueFactory(cycle=cycle)
    headers = emails.issue_preview(issue, mentee).headers
    url = headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")

    Client(enforce_csrf_checks=True).post(url, ONE_CLICK)

    assert not preference(mentee).newsletter
    assert mentee not in selectors.issue_recipients(issue)


def test_opening_the_link_asks_before_unsubscribing(mentee):
    response = Client().get(link(mentee))

    assert response.status_code == 200
    assert "Unsubscribe from the monthly newsletter?" in response.content.decode()
    assert mentee.email in response.content.decode()
    assert preference(mentee).newsletter


def test_a_reminders_link_turns_reminders_off(mentee):
    Client(enforce_csrf_checks=True).post(link(mentee, "reminders"), ONE_CLICK)

    assert (preference(mentee).newsletter, preference(mentee).reminders) == (True, False)


def test_a_person_can_subscribe_again_from_the_page(mentee):
    client = Client(enforce_csrf_checks=True)
    client.post(link(mentee))
    token = unsubscribe_token(mentee.pk, "newsletter")

    response = client.post(reverse("newsletter:resubscribe", kwargs={"token": token}))

    assert "receives the monthly newsletter again" in response.content.decode()
    assert preference(mentee).newsletter


@pytest.mark.parametrize(
    "token",
    ["WzEsIm5ld3NsZXR0ZXIiXQ:forged", "nonsense", unsubscribe_token(10**9, "newsletter")],
)
def test_a_forged_or_stale_token_changes_nothing(mentee, token):
    response = Client().post(reverse("newsletter:unsubscribe", kwargs={"token": token}), ONE_CLICK)

    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_the_preferences_page_needs_a_sign_in(client):
    response = client.get(reverse("newsletter:preferences"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_person_turns_the_newsletter_off_and_reminders_stay_on(client):
    user = verified_user()
    client.force_login(user)
    form = client.get(reverse("newsletter:preferences")).context["form"]
    assert form.initial == {"newsletter": True, "reminders": True}  # both on until changed

    response = client.post(reverse("newsletter:preferences"), {"reminders": "on"}, follow=True)

    assert "Your email preferences are saved." in response.content.decode()
    assert (preference(user).newsletter, preference(user).reminders) == (False, True)


def test_the_preferences_page_shows_what_is_off(client):
    user = verified_user()
    EmailPreferenceFactory(user=user, newsletter=False, reminders=True)
    client.force_login(user)

    form = client.get(reverse("newsletter:preferences")).context["form"]

    assert form.initial == {"newsletter": False, "reminders": True}
