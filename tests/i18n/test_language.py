"""Which language (issue 21, point 2): the header's switcher, the account's language, the
pages, the emails; the program's content and dates in the reader's language (points 3
and 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation

from mentoring import mail
from mentoring.models import User
from newsletter import emails as newsletter_emails
from tests.factories import (
    MilestoneFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    verified_user,
)
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_a_visitor_gets_their_browser_s_language_and_the_page_says_which(client):
    ProgramFactory()
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in page
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page


def test_the_switcher_is_a_form_in_the_header_that_works_without_script(client):
    ProgramFactory()
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page.split('class="language-switcher')[1][:800]
    assert 'lang="es"' in page and 'aria-pressed="true"' in page


def test_a_visitor_s_choice_is_remembered_by_a_cookie(client):
    ProgramFactory()
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies[COOKIE].value == "es"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in page


def test_a_signed_in_person_s_choice_is_kept_on_their_account(client):
    ProgramFactory()
    person = verified_user()
    client.force_login(person)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    person.refresh_from_db()
    assert person.language == "es"
    # Another browser, which asks for English: the account wins, and the cookie follows.
    other = type(client)()
    other.force_login(person)
    response = other.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in response.content.decode()
    assert response.cookies[COOKIE].value == "es"


def test_an_unknown_language_changes_nothing(client):
    person = verified_user()
    client.force_login(person)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "en"


def test_signing_in_opens_the_account_s_language(client):
    ProgramFactory()
    person = verified_user(language="es")
    response = client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "es"


def test_a_new_person_s_language_is_the_one_they_signed_up_in(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "nueva@example.org",
            "full_name": "Ana Pérez",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert User.objects.get(email="nueva@example.org").language == "es"


def test_an_email_is_rendered_in_its_recipient_s_language_whoever_sends_it(monkeypatch):
    seen = []

    def render(template, context):
        seen.append(translation.get_language())
        return "x"

    monkeypatch.setattr(mail, "render_to_string", render)
    spanish, english = verified_user(language="es"), verified_user(language="en")
    with translation.override("en"):
        mail.render_email("any", {"recipient": spanish})
    with translation.override("es"):
        mail.render_email("any", {"recipient": english})
    assert seen == ["es"] * 3 + ["en"] * 3  # subject, text and HTML


def test_a_newsletter_issue_reaches_each_reader_in_theirs_or_english():
    issue = NewsletterIssueFactory(subject="The December issue")
    issue.subject_es = "El número de diciembre"
    issue.save()
    spanish, english = verified_user(language="es"), verified_user(language="en")
    assert newsletter_emails.issue_preview(issue, spanish).subject == "El número de diciembre"
    assert newsletter_emails.issue_preview(issue, english).subject == "The December issue"
    issue.subject_es = None
    issue.save()
    assert newsletter_emails.issue_preview(issue, spanish).subject == "The December issue"


def test_program_content_falls_back_to_english():
    milestone = MilestoneFactory(title="Work on goals")
    with translation.override("es"):
        assert milestone.title == "Work on goals"
        milestone.title_es = "Trabajo en las metas"
        assert milestone.title == "Trabajo en las metas"


def test_the_calendar_feed_follows_its_lang(client):
    milestone = MilestoneFactory(title="Work on goals")
    milestone.title_es = "Trabajo en las metas"
    milestone.save()
    program = milestone.cycle.program
    url = reverse("program_calendar", args=[program.slug])
    spanish = client.get(url + "?lang=es")
    assert spanish["Content-Language"] == "es"
    assert "Trabajo en las metas" in spanish.content.decode()
    english = client.get(url + "?lang=en", HTTP_ACCEPT_LANGUAGE="es")
    assert "Work on goals" in english.content.decode()


def test_dates_follow_the_language():
    template = engines["django"].from_string('{{ day|date:"F j, Y" }}')
    day = dt.date(2026, 12, 2)
    with translation.override("en"):
        assert template.render({"day": day}) == "December 2, 2026"
    with translation.override("es"):
        assert template.render({"day": day}) == "2 de diciembre de 2026"


def test_the_javascript_catalogue_is_a_script(client):
    response = client.get(reverse("javascript_catalog"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
