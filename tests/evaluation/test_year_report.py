"""The year's report: per objective, the evidence (goals by competency area and their
outcomes, activities by category, closing-survey answers, retention, returning people),
as a page, a PDF and a CSV, in a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application, Interest
from evaluation import closing, services
from evaluation.models import Invitation
from evaluation.year_report import NOT_RECORDED, year_report
from goals.models import Goal
from matches import conclusion
from matches.models import Match
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    ApplicationFactory,
    CategoryFactory,
    CycleFactory,
    InterestFactory,
    MatchFactory,
    MeetingFactory,
    UserFactory,
)

from .conftest import agreed_match

pytestmark = pytest.mark.django_db


def year(cycle, today, *, pairs: int = 2):
    """``pairs`` concluded matches with agreed goals tagged with a competency area, an
    activity each, a dissolved match, and the closing survey answered by every mentee."""
    area = InterestFactory(program=cycle.program, kind=Interest.Kind.COMPETENCY, name="Outreach")
    category = CategoryFactory(program=cycle.program, name="Practice interviews")
    activity = ActivityFactory(category=category)
    matches = []
    for i in range(pairs):
        match = agreed_match(cycle, today, goals=2)
        goals = list(Goal.objects.filter(sheet__match=match))
        goals[0].competency_areas.set([area])
        Goal.objects.filter(pk=goals[0].pk).update(final_outcome=Goal.Outcome.ACHIEVED)
        ActivityLogEntryFactory(match=match, activity=activity if i % 2 == 0 else None)
        MeetingFactory(match=match, minutes=90)
        conclusion.match_conclude(match=match, reason="Early")
        matches.append(match)
    MatchFactory(cycle=cycle, status=Match.Status.DISSOLVED, dissolved_reason="=HYPERLINK(evil)")
    survey = closing.closing_survey_of(cycle)
    for invitation in Invitation.objects.filter(survey=survey, role="mentee"):
        answers = {}
        for question in survey.questions.all():
            if question.kind == "scale":
                answers[question.pk] = 4
            elif question.kind == "choice":
                answers[question.pk] = question.choice_list[0]
        services.survey_answer(invitation=invitation, answers=answers, named=False)
    return matches


def test_the_report_gathers_the_year_s_evidence(cycle, objectives, today):
    year(cycle, today, pairs=3)

    report = year_report(cycle)

    assert report.goals == 6
    assert report.goal_outcomes["Achieved"] == 3 and report.goal_outcomes[NOT_RECORDED] == 3
    assert {a.area: a.outcomes["Achieved"] for a in report.areas} == {
        "Outreach": 3,
        "No competency area": 0,
    }
    assert dict(report.activities) == {"Practice interviews": 2, "Their own activities": 1}
    retention = report.retention
    assert (retention.concluded, retention.concluded_early, retention.dissolved) == (3, 3, 1)
    assert retention.dissolved_reasons == [("=HYPERLINK(evil)", 1)]
    first = report.objectives[0]
    assert first.objective.position == 1
    assert first.survey.scale["mentee"].mean == 4
    assert [e.section for e in first.evidence] == ["goals"]
    assert report.closing.answered["all"] == 3 and report.closing.invited["all"] == 6
    assert (report.hours.total_hours, report.hours.met, report.hours.matches) == (4.5, 3, 3)
    assert [e.section for e in report.objectives[1].evidence] == ["retention", "hours"]


def test_returning_people_are_counted_both_ways(cycle, objectives, today, program):
    last_year = CycleFactory(
        program=program,
        applications_open_on=cycle.applications_open_on - dt.timedelta(days=365),
        applications_close_on=cycle.applications_close_on - dt.timedelta(days=365),
        starts_on=cycle.starts_on - dt.timedelta(days=365),
        ends_on=cycle.starts_on - dt.timedelta(days=30),
    )
    old = MatchFactory(cycle=last_year, status=Match.Status.CONCLUDED)
    ApplicationFactory(cycle=cycle, applicant=old.mentee.applicant, mentor=True)
    ApplicationFactory(cycle=cycle, applicant=old.mentor.applicant, mentor=True)
    ApplicationFactory(  # a draft does not count
        cycle=cycle, applicant=UserFactory(), status=Application.Status.DRAFT, submitted_at=None
    )

    this_year = year_report(cycle)
    then = year_report(last_year)

    assert (this_year.came_back.mentors, this_year.came_back.mentees_as_mentors) == (2, 1)
    assert (then.returned.mentors, then.returned.mentees_as_mentors) == (2, 1)


def test_staff_open_the_report_and_download_its_pdf_and_csv(staff_client, cycle, objectives, today):
    year(cycle, today)

    page = staff_client.get(reverse("admin:evaluation_programhealth_report", args=[cycle.pk]))
    pdf = staff_client.get(reverse("admin:evaluation_programhealth_report_pdf", args=[cycle.pk]))
    sheet = staff_client.get(reverse("admin:evaluation_programhealth_report_csv", args=[cycle.pk]))

    text = page.content.decode()
    for heading in ("Goals by competency area", "Activities by category", "Retention"):
        assert heading in text
    assert "Build skills and confidence" in text and "<svg" in text
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"The year's report: {cycle.program.short_name} {cycle.name}" in pdf_text
    assert "Build skills and confidence" in pdf_text and "Outreach" in pdf_text
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Item", "Measure", "Value"]
    assert ["Retention", "'=HYPERLINK(evil)", "Dissolved", "1"] in rows
    assert ["Activities by category", "Practice interviews", "Activities done", "1"] in rows
    assert ["Hours met", "All matches", "Hours met in all", "3.0"] in rows


def test_without_the_results_permission_the_survey_answers_stay_out(
    client, cycle, objectives, today
):
    from django.contrib.auth.models import Permission

    year(cycle, today)
    coordinator = UserFactory(is_staff=True)
    coordinator.user_permissions.add(Permission.objects.get(codename="view_programhealth"))
    client.force_login(coordinator)

    page = client.get(reverse("admin:evaluation_programhealth_report", args=[cycle.pk]))
    sheet = client.get(reverse("admin:evaluation_programhealth_report_csv", args=[cycle.pk]))

    assert page.status_code == 200
    assert "Shown to staff who may see survey results" in page.content.decode()
    assert "Closing survey" not in sheet.content.decode()


def test_the_report_costs_the_same_queries_however_big_the_year(cycle, objectives, today):
    def count() -> int:
        cycle.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            year_report(cycle)
        return len(queries)

    year(cycle, today, pairs=1)
    small = count()
    year(cycle, today, pairs=4)
    assert count() == small


def test_a_year_without_matches_still_has_its_report(staff_client, cycle, objectives):
    page = staff_client.get(reverse("admin:evaluation_programhealth_report", args=[cycle.pk]))
    pdf = staff_client.get(reverse("admin:evaluation_programhealth_report_pdf", args=[cycle.pk]))

    assert page.status_code == 200 and "No agreed goals." in page.content.decode()
    assert pdf.content.startswith(b"%PDF")


def test_health_and_report_link_each_other(staff_client, cycle):
    report_url = reverse("admin:evaluation_programhealth_report", args=[cycle.pk])
    health_url = reverse("admin:evaluation_programhealth_health", args=[cycle.pk])

    assert report_url in staff_client.get(health_url).content.decode()
    assert health_url in staff_client.get(report_url).content.decode()


def test_the_csv_and_pdf_are_in_the_language_of_the_staff_member_downloading(
    staff_client, staff, cycle, objectives, today
):
    year(cycle, today)
    staff.language = "es"
    staff.save(update_fields=["language"])

    sheet = staff_client.get(reverse("admin:evaluation_programhealth_report_csv", args=[cycle.pk]))
    pdf = staff_client.get(reverse("admin:evaluation_programhealth_report_pdf", args=[cycle.pk]))

    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0] == ["Sección", "Elemento", "Medida", "Valor"]
    assert ["Retención", "'=HYPERLINK(evil)", "Disuelta", "1"] in rows
    assert [
        "Actividades por categoría",
        "Actividades propias",
        "Actividades realizadas",
        "1",
    ] in rows
    assert ["Metas por resultado", "Todas las metas acordadas", "Lograda", "2"] in rows
    assert ["Encuesta de cierre", "Mentorados", "Invitados", "2"] in rows
    english = {"Retention", "Dissolved", "Closing survey", "Mentees", "Achieved", "Objectives"}
    assert not english & {cell for row in rows for cell in row[:3]}
    pdf_text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert f"Informe del año: {cycle.program.short_name} {cycle.name}" in pdf_text
    assert "Objetivos y su evidencia" in pdf_text and " de 20" in pdf_text  # «1 de … de 2026»
    assert "The year's report" not in pdf_text and "Figures as of" not in pdf_text
