"""The program in Spanish, in a real browser (issue 21, “Done when”): a newcomer whose
browser asks for Spanish signs up, applies as a mentee (meeting an error, then
submitting), and a mentee reads their goal sheet and the newsletter archive, every page
in Spanish (no text of the English catalogue) with ``lang="es"``; the emails these send
arrive in Spanish; the header's switcher then shows the same pages in English.

Names and the program's content are the factories' words and may be English; what is
checked is the site's own text, against the catalogue (tests/i18n/catalogue.py)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import expect

from mentoring.models import User
from newsletter.models import NewsletterIssue
from tests.factories import (
    CycleFactory,
    InterestFactory,
    MatchFactory,
    NewsletterIssueFactory,
    agreed_sheet,
    cycle_under_way,
)
from tests.factories.core import PASSWORD
from tests.i18n.catalogue import english_left, english_left_in_text, visible_texts

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HOPES = (
    "Quiero planificar un año completo de actividades de alfabetización temprana con los "
    "consejos de alguien que tenga muchos años de experiencia en bibliotecas infantiles."
)


def es(text: str) -> str:
    """The catalogue's Spanish for a text of the site (it must have one)."""
    with translation.override("es"):
        spanish = translation.gettext(text)
    assert spanish != text, f"no Spanish for {text!r} in the catalogue"
    return spanish


def assert_in_language(page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    if language == "es":
        left = english_left(visible_texts(page.content()))
        assert not left, f"English on {page.url}: {left}"


def assert_email_in_spanish(message) -> None:
    html = next(body for body, mime in message.alternatives if mime == "text/html")
    assert re.search(r'<html[^>]* lang="es"', html), message.subject
    left = english_left([message.subject, *visible_texts(html)])
    left += english_left_in_text(message.body)
    assert not left, f"English in the email “{message.subject}”: {left}"


@pytest.fixture
def spanish(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="es")
    # Two languages' catalogues and a loaded machine: the first pages take longer.
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield context, page
    context.close()


def test_a_newcomer_signs_up_and_applies_in_spanish(spanish, live_server):
    context, page = spanish
    cycle = CycleFactory()
    InterestFactory(program=cycle.program, name="Storytime and early literacy")

    page.goto(f"/programs/{cycle.program.slug}/")
    assert_in_language(page, "es")
    page.locator("main a[href*='/apply/mentee/']").first.click()
    page.locator("main a[href*='/accounts/signup/']").last.click()
    assert_in_language(page, "es")
    page.locator("#id_email").fill("ana.lectora@example.org")
    page.locator("#id_full_name").fill("Ana Lectora")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main button[type=submit]").last.click()
    page.wait_for_load_state()
    assert_in_language(page, "es")
    person = User.objects.get(email="ana.lectora@example.org")
    assert person.language == "es"

    (verification,) = mail.outbox
    assert_email_in_spanish(verification)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", verification.body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    assert_in_language(page, "es")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    # The application form, in Spanish: an error first, then a submission.
    expect(page.locator("#id_city")).to_be_visible()
    assert_in_language(page, "es")
    page.locator("#id_city").fill("Columbus")
    page.locator("#id_state").select_option("OH")
    page.locator("#id_time_zone").select_option("America/New_York")
    page.locator("#id_organization").fill("Columbus Metropolitan Library")
    page.locator("input[name=library_type][value=public]").check()
    page.locator("#id_position_title").fill("Bibliotecaria")
    page.locator("#id_years_experience").fill("1")
    page.locator("#id_membership_0").check()
    page.locator("#id_hopes").fill("Ayuda con la hora del cuento.")
    page.get_by_role("button", name=es("Submit application")).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert_in_language(page, "es")

    page.locator("#id_hopes").fill(HOPES)
    page.locator("input[name=interests]").first.check()
    page.locator("input[name=career_stage][value=new]").check()
    page.locator("#id_communication_methods_0").check()
    page.locator("#id_agreed_to_expectations").check()
    page.get_by_role("button", name=es("Submit application")).click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_have_count(0)
    assert_in_language(page, "es")
    submitted = [m for m in mail.outbox if m is not verification]
    assert submitted, "no email for the submitted application"
    for message in submitted:
        assert_email_in_spanish(message)

    # The switcher: the same page in English, and the account follows.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert_in_language(page, "en")
    person.refresh_from_db()
    assert person.language == "en"


def test_a_mentee_reads_the_goal_sheet_and_the_newsletter_archive_in_spanish(spanish, live_server):
    context, page = spanish
    cycle = cycle_under_way()
    match = MatchFactory(cycle=cycle)
    person = match.mentee.applicant
    User.objects.filter(pk=person.pk).update(language="es")
    agreed_sheet(match, titles=["Seis manualidades para Bookbag"])
    issue = NewsletterIssueFactory(
        cycle=cycle,
        subject="ALSC mentoring newsletter: November",
        status=NewsletterIssue.Status.SENT,
        send_at=timezone.now(),
    )
    issue.subject_es = "Boletín de mentoría de ALSC: noviembre"
    issue.save()
    sign_in(context, live_server, person)

    for path in (f"/matches/{match.pk}/goals/", "/newsletters/"):
        page.goto(path)
        assert_in_language(page, "es")
    expect(page.get_by_text("Boletín de mentoría de ALSC: noviembre")).to_be_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert_in_language(page, "en")
    expect(page.get_by_text("ALSC mentoring newsletter: November")).to_be_visible()
    page.goto(f"/matches/{match.pk}/goals/")
    assert_in_language(page, "en")
