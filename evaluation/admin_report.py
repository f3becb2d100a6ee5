"""The year's report in admin, beside each cycle's health page: the page, its PDF and its
CSV. Staff who may read program health read it; the closing survey's answers need the
permission to see survey results, as on the health page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext

from mentoring.models import Cycle
from mentoring.spreadsheets import csv_response, csv_writer

from . import charts, cycle_data, health
from .admin_results import may_see_results
from .year_report import OUTCOMES, YearReport, year_report
from .year_report_files import report_pdf, report_rows


class YearReportPages:
    """The report's three URLs on the Program health admin."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:cycle_id>/report/",
                wrap(self.report_view),
                name="evaluation_programhealth_report",
            ),
            path(
                "<int:cycle_id>/report.pdf",
                wrap(self.report_pdf_view),
                name="evaluation_programhealth_report_pdf",
            ),
            path(
                "<int:cycle_id>/report.csv",
                wrap(self.report_csv_view),
                name="evaluation_programhealth_report_csv",
            ),
            *super().get_urls(),
        ]

    def _report(self, request: HttpRequest, cycle_id: int) -> YearReport | None:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            cycle = health.cycle_for_health(cycle_id)
        except Cycle.DoesNotExist:
            return None
        return year_report(cycle, with_survey=may_see_results(request))

    def report_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        """The year's evidence per objective, with the health page's charts and tables."""
        report = self._report(request, cycle_id)
        if report is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(cycle_id))
        closing = report.closing
        figures = {
            "areas": charts.goals_by_area_chart(report) if report.areas else None,
            "activities": charts.activities_by_category_chart(report)
            if report.activities
            else None,
            "retention": charts.retention_chart(report.retention)
            if report.retention.matches
            else None,
            "closing": charts.results_chart(closing) if closing and closing.any_answers else None,
        }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("The year's report: %(cycle)s") % {"cycle": report.cycle},
            "cycle": report.cycle,
            "report": report,
            "charts": figures,
            "outcomes": OUTCOMES,
            "results_allowed": may_see_results(request),
            "min_group": cycle_data.MIN_GROUP,
        }
        with timezone.override(report.cycle.program.tz):
            return TemplateResponse(request, "evaluation/admin/year_report.html", context)

    def report_pdf_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        report = self._report(request, cycle_id)
        if report is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(cycle_id))
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.pdf"'
        return response

    def report_csv_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        report = self._report(request, cycle_id)
        if report is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(cycle_id))
        response = csv_response(f"{_filename(report)}.csv")
        csv_writer(response).writerows(report_rows(report))
        return response


def _filename(report: YearReport) -> str:
    cycle = report.cycle
    return f"year-report-{cycle.program.slug}-{cycle.slug}"
