"""Certificates of completion: issued when a match with an agreed goal sheet concludes,
a real PDF the partner downloads from My mentoring, a public page that verifies its code
(name, program, year, role, nothing more), and staff withholding one with a reason."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.pdf import certificate_pdf
from certificates.selectors import goal_lines
from certificates.services import certificates_issue
from goals.models import Goal
from matches import conclusion
from matches.models import Match
from mentoring.dates import long_date
from tests.factories import MatchFactory, UserFactory, agreed_sheet, cycle_under_way

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )


@pytest.fixture
def concluded():
    cycle = cycle_under_way(name="2025-2026", slug="2025-2026")
    match = MatchFactory(cycle=cycle, mentee__full_name="Rosa Delgado", mentor__full_name="Pat Lee")
    agreed_sheet(match, titles=["Plan six crafts for the school-age program"])
    Goal.objects.filter(sheet__match=match).update(final_outcome="achieved")
    return conclusion.match_conclude(match=match, reason="The program closed early.")


def test_both_partners_of_an_agreed_concluded_match_get_one_certificate(concluded):
    again = certificates_issue(match=concluded)

    certificates = Certificate.objects.filter(match=concluded)
    assert {c.application.full_name for c in certificates} == {"Rosa Delgado", "Pat Lee"}
    assert set(again) == set(certificates)
    assert len({c.code for c in certificates}) == 2


def test_no_certificate_without_an_agreed_goal_sheet():
    match = MatchFactory(cycle=cycle_under_way())

    conclusion.match_conclude(match=match, reason="Early")

    assert not Certificate.objects.exists()


def test_the_mentee_downloads_a_pdf_with_their_name_program_year_and_goals(client, concluded):
    client.force_login(concluded.mentee.applicant)

    home = client.get(reverse("my_mentoring")).content.decode()
    response = client.get(reverse("certificates:download", args=[concluded.pk]))
    without = client.get(reverse("certificates:download", args=[concluded.pk]) + "?goals=0")

    certificate = Certificate.objects.get(match=concluded, application=concluded.mentee)
    assert reverse("certificates:download", args=[concluded.pk]) in home
    assert certificate.display_code in home
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    program = concluded.cycle.program
    assert "Certificate of Completion" in text and "Rosa Delgado" in text
    assert f"completed the {program.name}, 2025-2026, as a mentee" in text
    assert "Plan six crafts for the school-age program: achieved" in text
    assert certificate.display_code in text
    assert "Plan six crafts" not in pdf_text(without.content)
    assert "Rosa Delgado" in pdf_text(without.content)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_pdf_opens_in_a_real_reader(client, concluded, tmp_path):
    client.force_login(concluded.mentor.applicant)
    content = client.get(reverse("certificates:download", args=[concluded.pk])).content
    (tmp_path / "c.pdf").write_bytes(content)

    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(tmp_path / "c.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )

    assert list(tmp_path.glob("page*.png"))


def test_the_public_page_verifies_a_code_with_name_program_year_and_role_only(client, concluded):
    certificate = Certificate.objects.get(match=concluded, application=concluded.mentee)

    page = client.get(reverse("certificates:verify", args=[certificate.display_code.lower()]))
    wrong = client.get(reverse("certificates:verify", args=["ZZZZ-ZZZZ"]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Rosa Delgado" in body and concluded.cycle.program.name in body
    assert "2025-2026" in body and "Mentee" in body
    assert concluded.mentee.email not in body and "Pat Lee" not in body
    assert "Plan six crafts" not in body
    assert wrong.status_code == 404 and "No certificate has the code" in wrong.content.decode()


def test_only_the_partner_downloads_their_certificate(client, concluded):
    url = reverse("certificates:download", args=[concluded.pk])

    anonymous = client.get(url)
    client.force_login(UserFactory())
    stranger = client.get(url)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    staff = client.get(url)

    assert anonymous.status_code == 302
    assert (stranger.status_code, staff.status_code) == (404, 404)


def test_staff_withhold_a_certificate_with_a_reason_in_admin(client, concluded):
    certificate = Certificate.objects.get(match=concluded, application=concluded.mentee)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    change = reverse("admin:certificates_certificate_change", args=[certificate.pk])

    listing = client.get(reverse("admin:certificates_certificate_changelist"))
    saved = client.post(change, {"withheld_reason": "The goals were not the mentee's own."})

    assert listing.status_code == 200 and "Rosa Delgado" in listing.content.decode()
    assert saved.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_withheld and certificate.withheld_by == staff
    client.force_login(concluded.mentee.applicant)
    assert client.get(reverse("certificates:download", args=[concluded.pk])).status_code == 404
    assert client.get(certificate.get_absolute_url()).status_code == 404
    assert "Certificate of completion" not in client.get(reverse("my_mentoring")).content.decode()


def test_a_concluded_match_s_certificate_needs_the_match_concluded(client):
    match = MatchFactory(cycle=cycle_under_way())
    agreed_sheet(match)
    client.force_login(match.mentee.applicant)

    assert client.get(reverse("certificates:download", args=[match.pk])).status_code == 404
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACTIVE


def test_a_spanish_account_s_certificate_is_in_spanish_with_spanish_month_names(client, concluded):
    mentee = concluded.mentee.applicant
    mentee.language = "es"
    mentee.save(update_fields=["language"])
    cycle = concluded.cycle
    client.force_login(mentee)

    # The browser asks for English: the account's language decides.
    response = client.get(
        reverse("certificates:download", args=[concluded.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    text = pdf_text(response.content)
    with translation.override("es"):
        start, end = long_date(cycle.starts_on), long_date(cycle.ends_on)
    assert "Certificado de finalización" in text and "Se certifica que" in text
    assert f"completó el {cycle.program.name}, 2025-2026, como mentorado/a" in text
    assert f"del {start} al {end}" in text
    assert re.search(r"\d+ de [a-z]+ de \d{4}", start)  # “1 de septiembre de 2025”
    assert "Metas del año" in text and "Plan six crafts for the school-age program: lograda" in text
    assert "Código de verificación" in text
    assert "Certificate" not in text and "completed" not in text and "achieved" not in text


def test_the_certificate_follows_its_person_not_the_language_of_whoever_renders_it(concluded):
    mentor = concluded.mentor.applicant
    mentor.language = "es"
    mentor.save(update_fields=["language"])
    certificate = Certificate.objects.get(match=concluded, application=concluded.mentor)

    with translation.override("en"):
        text = pdf_text(certificate_pdf(certificate, goals=goal_lines(certificate)))

    assert "como mentor," in text and "Metas del año" in text
    assert ": lograda" in text
