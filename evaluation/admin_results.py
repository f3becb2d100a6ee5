"""A survey's own admin pages: its results (per objective, by role, with the named
answers), their two CSV files, and the survey as a participant sees it. Only staff who
may see results read them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.spreadsheets import csv_response, csv_writer

from . import charts, cycle_data, selectors
from .forms import SurveyAnswerForm
from .models import Invitation, Survey
from .results import SurveyResults, survey_results

RESULTS_PERMISSION = "evaluation.view_survey_results"


def may_see_results(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm(RESULTS_PERMISSION)


class SurveyPages:
    """The results, CSV and preview pages of the survey admin."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:survey_id>/results/",
                wrap(self.results_view),
                name="evaluation_survey_results",
            ),
            path(
                "<int:survey_id>/results.csv",
                wrap(self.results_csv_view),
                name="evaluation_survey_results_csv",
            ),
            path(
                "<int:survey_id>/named-answers.csv",
                wrap(self.named_csv_view),
                name="evaluation_survey_named_csv",
            ),
            path(
                "<int:survey_id>/preview/",
                wrap(self.preview_view),
                name="evaluation_survey_preview",
            ),
            *super().get_urls(),
        ]

    def _survey(self, request: HttpRequest, survey_id: int) -> Survey:
        if not may_see_results(request):
            raise PermissionDenied
        return get_object_or_404(Survey.objects.select_related("cycle__program"), pk=survey_id)

    def results_view(self, request: HttpRequest, survey_id: int) -> HttpResponse:
        """A survey's results per objective, by role, and the named answers."""
        survey = self._survey(request, survey_id)
        results = survey_results(survey)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Results: %(survey)s") % {"survey": survey},
            "survey": survey,
            "original": survey,
            "results": results,
            "chart": charts.results_chart(results) if results.any_answers else None,
            "min_group": cycle_data.MIN_GROUP,
            "roles": list(cycle_data.ROLE_LABELS.items()),
        }
        with timezone.override(survey.cycle.program.tz):
            return TemplateResponse(request, "evaluation/admin/results.html", context)

    def results_csv_view(self, request: HttpRequest, survey_id: int) -> HttpResponse:
        """Aggregates only: one row per objective, question and role."""
        survey = self._survey(request, survey_id)
        results = survey_results(survey)
        response = csv_response(f"survey-{survey.pk}-results.csv")
        writer = csv_writer(response)
        writer.writerows(results_rows(results))
        return response

    def named_csv_view(self, request: HttpRequest, survey_id: int) -> HttpResponse:
        """The answers of the people who agreed to be named, one row per answer."""
        survey = self._survey(request, survey_id)
        results = survey_results(survey)
        response = csv_response(f"survey-{survey.pk}-named-answers.csv")
        writer = csv_writer(response)
        writer.writerow([str(title) for title in NAMED_COLUMNS])
        for named in results.named:
            person = named.invitation.person
            for answer in named.answers:
                writer.writerow(
                    [
                        named.name,
                        person.email if person else "",
                        named.invitation.get_role_display(),
                        answer.question.text,
                        str(answer.question.objective or ""),
                        answer.shown,
                    ]
                )
        return response

    def preview_view(self, request: HttpRequest, survey_id: int) -> HttpResponse:
        """The survey as a participant sees it (nothing can be sent from here)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        survey = get_object_or_404(Survey.objects.select_related("cycle__program"), pk=survey_id)
        form = SurveyAnswerForm(questions=selectors.survey_questions(survey))
        preview = Invitation(survey=survey, role=Invitation.Role.MENTEE)
        context = {
            "invitation": preview,
            "survey": survey,
            "program": survey.cycle.program,
            "form": form,
            "preview": True,
        }
        return TemplateResponse(request, "evaluation/answer.html", context)


# The CSV files' columns, in the language of the staff member who downloads them.
RESULT_COLUMNS = [
    _("Objective"),
    _("Question"),
    _("Kind"),
    _("Role"),
    _("Invited"),
    _("Answered"),
    _("Response rate"),
    _("Mean"),
    _("Distribution"),
]
NAMED_COLUMNS = [_("Name"), _("Email"), _("Role"), _("Question"), _("Objective"), _("Answer")]


def _row(objective: str, question: str, kind: str, role: str, invited: int, stat, rate) -> list:
    hidden = stat.hidden
    mean = "" if hidden or stat.mean is None else f"{stat.mean:.2f}"
    if hidden:
        distribution = gettext("not shown: fewer than %(count)s answers") % {
            "count": cycle_data.MIN_GROUP
        }
    else:
        distribution = "; ".join(f"{label}: {n}" for label, n in stat.distribution)
    return [
        objective,
        question,
        kind,
        str(cycle_data.ROLE_LABELS[role]),
        invited,
        stat.count,
        "" if rate is None else f"{rate:.0%}",
        mean,
        distribution,
    ]


def results_rows(results: SurveyResults) -> list[list[Any]]:
    """The results CSV: per objective, its 1-5 questions combined, then each question;
    each by role (mentees, mentors, everyone)."""
    rows: list[list[Any]] = [[str(title) for title in RESULT_COLUMNS]]
    roles = ("mentee", "mentor", "all")
    for objective in results.objectives:
        if objective.has_scale:
            for role in roles:
                rows.append(
                    _row(
                        objective.label,
                        gettext("All 1-5 questions of the objective"),
                        gettext("Scale of 1 to 5"),
                        role,
                        results.invited[role],
                        objective.scale[role],
                        objective.response_rate[role],
                    )
                )
        for item in objective.questions:
            for role in roles:
                stat = item.stats[role]
                rows.append(
                    _row(
                        objective.label,
                        item.question.text,
                        item.question.get_kind_display(),
                        role,
                        results.invited[role],
                        stat,
                        stat.count / results.invited[role] if results.invited[role] else None,
                    )
                )
    return rows
