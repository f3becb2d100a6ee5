"""seed_demo's last step: last year's demo cycle gets the newsletter issues its
deliveries stand for, so last year's mentee reads them in the archive, and the health
page's delivery report still counts each issue once. Running it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluation import demo as evaluation_demo
from evaluation import health
from evaluation.demo_year import MENTEES, _email
from mentoring.models import Cycle, User
from newsletter.models import NewsletterIssue
from newsletter.selectors import archive_for
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_last_year_s_mentee_reads_the_issues_that_went_to_their_year(client):
    call_command("load_program_content", stdout=io.StringIO())
    evaluation_demo.seed(log=lambda _: None)
    lines: list[str] = []
    portal_demo.seed(log=lines.append)
    portal_demo.seed(log=lambda _: None)

    past = Cycle.objects.filter(program__slug="alsc").order_by("starts_on").first()
    issues = NewsletterIssue.objects.filter(cycle=past)
    assert issues.count() == 7
    assert any("Newsletter archive" in line for line in lines)
    assert all(i.status == NewsletterIssue.Status.SENT for i in issues)
    mentee = User.objects.get(email=_email(*MENTEES[0]))
    assert {i.pk for i in archive_for(mentee)} == {i.pk for i in issues}
    report = health.program_health(health.cycle_for_health(past.pk))
    assert len(report.newsletters) == 7
    assert {n.message_key for n in report.newsletters} == {f"newsletter:{i.pk}" for i in issues}
    client.force_login(mentee)
    page = client.get(reverse("newsletter:archive")).content.decode()
    assert "No issue yet" not in page and issues.first().subject in page
