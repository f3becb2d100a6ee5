"""seed_demo: last year's concluded ALSC cycle has its certificates, one withheld, and
a certificate that verifies; running it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from certificates import demo as certificates_demo
from certificates.models import Certificate
from evaluation import demo as evaluation_demo
from goals.models import GoalSheet
from matches.models import Match
from mentoring import demo as core_demo

pytestmark = pytest.mark.django_db


def test_the_demo_year_ends_with_certificates_one_withheld(client):
    call_command("load_program_content", stdout=io.StringIO())
    core_demo.seed(log=lambda _: None)
    evaluation_demo.seed(log=lambda _: None)
    lines: list[str] = []
    certificates_demo.seed(log=lines.append)
    certificates_demo.seed(log=lambda _: None)

    agreed = GoalSheet.objects.filter(
        match__status=Match.Status.CONCLUDED, agreed_revision__isnull=False
    ).count()
    assert agreed > 0
    assert Certificate.objects.count() == 2 * agreed
    assert Certificate.objects.exclude(withheld_at=None).count() == 1
    certificate = Certificate.objects.issued().order_by("pk").first()
    assert client.get(certificate.get_absolute_url()).status_code == 200
    assert any(certificate.display_code in line for line in lines)
