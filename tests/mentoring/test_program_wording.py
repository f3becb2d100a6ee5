"""Each program speaks in its own words: the application form, the introduction and the
default surveys take the field of work from the program's record (ALCTS's collections and
technical services, never ALSC's library service to children)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluation import services as surveys
from matches.selectors import introduction
from mentoring.models import Program
from tests.factories import CycleFactory, MatchFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    call_command("load_program_content", verbosity=0)
    return {p.slug: p for p in Program.objects.all()}


def form_page(client, program) -> str:
    CycleFactory(program=program)  # taking applications today
    client.force_login(UserFactory())
    response = client.get(reverse("applications:apply", args=[program.slug, "mentee"]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_alcts_form_speaks_of_collections_and_technical_services(client, programs):
    page = form_page(client, programs["alcts"])

    assert "children" not in page.lower()
    assert "Years of experience in collections and technical services" in page
    assert "Experienced, new to collections and technical services" in page
    assert "For example Cataloger, Acquisitions Librarian" in page


def test_the_alsc_form_keeps_its_own_words(client, programs):
    page = form_page(client, programs["alsc"])

    assert "Years of experience in library service to children" in page
    assert "Experienced, new to library service to children" in page


def test_a_program_without_wording_says_the_field(client):
    program = CycleFactory().program

    page = form_page(client, program)

    assert "Years of experience in the field" in page


def test_the_default_surveys_ask_about_the_programs_own_field(programs):
    cycle = CycleFactory(program=programs["alcts"])

    created = surveys.default_surveys_create(cycle=cycle)

    texts = [q.text for survey in created for q in survey.questions.all()]
    assert not [t for t in texts if "children" in t.lower()]
    assert "The program is building my skills in collections and technical services." in texts


def test_the_introduction_gives_the_partners_years_in_the_programs_field(programs):
    match = MatchFactory(cycle=CycleFactory(program=programs["alcts"]), mentor__years_experience=12)

    words = introduction(match, "mentee").experience_words

    assert words == "12 years in collections and technical services"
