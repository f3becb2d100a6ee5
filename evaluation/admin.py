"""The committee's side of the evaluation: the “Program health” page of each cycle, the
surveys and their questions, who was invited, and the results (for staff allowed to see
them). Individual answers are never listed here: results are aggregates, plus the
answers of the people who agreed to be named."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from mentoring.admin import cycle_filter
from mentoring.admin_languages import TranslatedAdmin, TranslatedStackedInline
from mentoring.admin_lists import ListNotes, WholeListActions
from mentoring.dates import long_date
from mentoring.models import Cycle, Milestone, Program, ProgramObjective
from mentoring.timeline import phase_on

from . import charts, cycle_data, health, risk, services
from .admin_report import YearReportPages
from .admin_results import SurveyPages, may_see_results
from .models import Invitation, ProgramHealth, Question, Survey

# The matches at risk the health page lists before "show all": it stays a page to read
# (and to render) in a year when hundreds are at risk.
AT_RISK_SHOWN = 50


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _errors(request: HttpRequest, exc: ValidationError, prefix: str = "") -> None:
    for text in exc.messages:
        messages.error(request, f"{prefix}{text}")


# --- Program health -----------------------------------------------------------------------


@admin.register(ProgramHealth)
class ProgramHealthAdmin(YearReportPages, admin.ModelAdmin):
    """The cycles, each with a link to its health page and its year's report (nothing is
    edited here)."""

    list_display = ["health_link", "program", "program_year", "phase_today", "report_link"]
    list_display_links = None
    list_filter = ["program"]
    list_select_related = ["program"]
    ordering = ["program__position", "-starts_on"]
    search_fields = ["name", "program__name", "program__short_name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on"))
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Phase today"))
    def phase_today(self, cycle: Cycle) -> str:
        return phase_on(list(cycle.milestones.all()), cycle.program.today()).label

    @admin.display(description=_("Cycle"), ordering="starts_on")
    def health_link(self, cycle: Cycle) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:evaluation_programhealth_health", args=[cycle.pk]),
            cycle,
        )

    @admin.display(description=_("The year's report"))
    def report_link(self, cycle: Cycle) -> str:
        return format_html(
            '<a href="{}">Report of {}</a>',
            reverse("admin:evaluation_programhealth_report", args=[cycle.pk]),
            cycle.name,
        )

    @admin.display(description=_("Program year"))
    def program_year(self, cycle: Cycle) -> str:
        return gettext("%(start)s to %(end)s") % {
            "start": long_date(cycle.starts_on),
            "end": long_date(cycle.ends_on),
        }

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": gettext("Program health: choose a cycle"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:cycle_id>/health/",
                wrap(self.health_view),
                name="evaluation_programhealth_health",
            ),
            path(
                "<int:cycle_id>/default-surveys/",
                wrap(require_POST(self.default_surveys_view)),
                name="evaluation_programhealth_default_surveys",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:evaluation_programhealth_health", object_id)

    def health_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        """A cycle's health at a glance: funnel, goal sheets, activity, matches at risk,
        newsletters, surveys and their results per objective."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            cycle = health.cycle_for_health(cycle_id)
        except Cycle.DoesNotExist:
            return self._get_obj_does_not_exist_redirect(request, self.opts, str(cycle_id))
        survey_id = request.GET.get("survey", "")
        results_allowed = may_see_results(request)
        report = health.program_health(
            cycle,
            survey_id=int(survey_id) if survey_id.isdigit() else None,
            with_results=results_allowed,
        )
        figures = {
            "funnel": charts.funnel_chart(report.funnel),
            "sheet_states": charts.goal_sheet_states_chart(report.goal_sheets),
            "sheet_timeline": charts.goal_sheet_timeline_chart(report.goal_sheets),
            "activity": charts.activity_chart(report.activity),
            "at_risk": charts.at_risk_chart(report),
            "meetings": charts.meeting_hours_chart(report.meetings),
            "newsletters": charts.newsletter_chart(report.newsletters)
            if report.newsletters
            else None,
            "results": charts.results_chart(report.results)
            if report.results and report.results.any_answers
            else None,
        }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Program health: %(cycle)s") % {"cycle": cycle},
            "cycle": cycle,
            "report": report,
            "charts": figures,
            "results_allowed": results_allowed,
            "can_add_surveys": request.user.has_perm("evaluation.add_survey"),
            "missing_defaults": not {Survey.Kind.MID_YEAR, Survey.Kind.END_OF_PROGRAM}
            <= {s.survey.kind for s in report.surveys},
            "quiet_days": cycle_data.QUIET_DAYS,
            "min_group": cycle_data.MIN_GROUP,
            # The most urgent first; the whole list on request (a bad year lists them all).
            "at_risk_shown": risk.with_partners(
                report.at_risk
                if request.GET.get("risks") == "all"
                else report.at_risk[:AT_RISK_SHOWN]
            ),
        }
        with timezone.override(cycle.program.tz):
            return TemplateResponse(request, "evaluation/admin/health.html", context)

    def default_surveys_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        """Create the cycle's mid-year pulse and end-of-program evaluation if missing."""
        if not request.user.has_perm("evaluation.add_survey"):
            raise PermissionDenied
        cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id)
        created = services.default_surveys_create(cycle=cycle)
        if created:
            messages.success(
                request,
                ngettext(
                    "Created the survey %(surveys)s.",
                    "Created the surveys %(surveys)s.",
                    len(created),
                )
                % {"surveys": get_text_list([f"“{s.title}”" for s in created], gettext("and"))},
            )
        else:
            messages.info(request, gettext("The cycle already has both default surveys."))
        return redirect("admin:evaluation_programhealth_health", cycle.pk)


# --- Surveys ------------------------------------------------------------------------------

# What an action did to n surveys, one whole sentence each (languages count differently).
SURVEYS_SCHEDULED = lambda n: ngettext(  # noqa: E731
    "Scheduled %(count)s survey.", "Scheduled %(count)s surveys.", n
)
SURVEYS_SENT = lambda n: ngettext("Sent %(count)s survey.", "Sent %(count)s surveys.", n)  # noqa: E731
SURVEYS_CLOSED = lambda n: ngettext("Closed %(count)s survey.", "Closed %(count)s surveys.", n)  # noqa: E731
SURVEYS_UNSCHEDULED = lambda n: ngettext(  # noqa: E731
    "Moved %(count)s survey back to draft.", "Moved %(count)s surveys back to draft.", n
)


class QuestionInline(TranslatedStackedInline):
    model = Question
    extra = 0
    fields = [
        ("position", "kind", "required"),
        "text",
        "objective",
        "choices",
        ("low_label", "high_label"),
        "help_text",
    ]

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return 0 if obj else 3

    def get_formset(self, request, obj=None, **kwargs):
        self._program_id = obj.cycle.program_id if obj else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "objective":
            objectives = ProgramObjective.objects.select_related("program")
            if getattr(self, "_program_id", None):
                objectives = objectives.filter(program_id=self._program_id)
            kwargs["queryset"] = objectives
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _fixed(self, obj) -> bool:
        return obj is not None and obj.questions_fixed

    def has_add_permission(self, request, obj=None) -> bool:
        return not self._fixed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._fixed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._fixed(obj) and super().has_delete_permission(request, obj)


class DueFilter(admin.SimpleListFilter):
    """The surveys the committee's home counts as due (the latest program's today)."""

    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("soon", _("Opening within two weeks, not yet open"))]

    def queryset(self, request, queryset):
        if self.value() != "soon":
            return queryset
        today = max((p.today() for p in Program.objects.only("time_zone")), default=None)
        return queryset.due(today=today or timezone.localdate())


@admin.register(Survey)
class SurveyAdmin(SurveyPages, WholeListActions, ListNotes, TranslatedAdmin):
    list_display = [
        "title",
        "cycle",
        "kind",
        "status",
        "opens_on",
        "closes_on",
        "invited",
        "answered",
        "response_rate",
    ]
    list_filter = [
        "status",
        DueFilter,
        "kind",
        "cycle__program",
        cycle_filter("cycle", parameter_name="cycle", current_by_default=True),
    ]
    list_select_related = ["cycle__program"]
    search_fields = ["title", "cycle__name", "cycle__program__short_name"]
    date_hierarchy = "opens_on"
    inlines = [QuestionInline]
    actions = ["schedule_selected", "send_now", "close_selected", "back_to_draft"]
    change_form_template = "evaluation/admin/survey_change_form.html"
    fieldsets = [
        (None, {"fields": ["cycle", "kind", "title", "introduction"]}),
        ("When", {"fields": [("opens_on", "closes_on")]}),
        ("Status", {"fields": ["status", ("opened_at", "closed_at"), "created_by"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_response_counts()

    def get_readonly_fields(self, request, obj=None):
        fixed = ["status", "opened_at", "closed_at", "created_by"]
        return [*fixed, "cycle", "kind"] if obj else fixed

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cycle":
            kwargs["queryset"] = Cycle.objects.select_related("program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        # The two default surveys stay (a draft is never sent); a survey that was sent
        # keeps its answers.
        if obj is not None and (obj.is_default or obj.opened_at is not None):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        services.survey_save(survey=obj, by=request.user)

    @admin.display(description=_("Invited"), ordering="invited")
    def invited(self, survey: Survey) -> int:
        return survey.invited

    @admin.display(description=_("Answered"), ordering="answered")
    def answered(self, survey: Survey) -> int:
        return survey.answered

    @admin.display(description=_("Response rate"))
    def response_rate(self, survey: Survey) -> str:
        return _percent(survey.answered / survey.invited if survey.invited else None)

    # -- actions -------------------------------------------------------------------------

    def _each(self, request, queryset: QuerySet[Survey], done_message, service) -> None:
        """Run ``service`` on each survey chosen; ``done_message(n)`` says what was done
        to n surveys (a whole sentence with its count: the SURVEYS_* above)."""
        done = 0
        for survey in queryset.select_related("cycle__program"):
            try:
                outcome = service(survey=survey, by=request.user)
            except ValidationError as exc:
                _errors(request, exc, prefix=f"{survey}: ")
                continue
            done += 1
            if isinstance(outcome, int):
                self.message_user(
                    request,
                    ngettext(
                        "%(survey)s: %(count)s invitation sent.",
                        "%(survey)s: %(count)s invitations sent.",
                        outcome,
                    )
                    % {"survey": survey, "count": outcome},
                )
        if done:
            self.message_user(request, done_message(done) % {"count": done})

    @admin.action(
        description=_("Schedule (sent automatically on the opening day)"), permissions=["change"]
    )
    def schedule_selected(self, request, queryset):
        self._each(request, queryset, SURVEYS_SCHEDULED, services.survey_schedule)

    @admin.action(
        description=_("Send now to every active mentor and mentee"), permissions=["change"]
    )
    def send_now(self, request, queryset):
        self._each(request, queryset, SURVEYS_SENT, services.survey_open)

    @admin.action(description=_("Close (take no more answers)"), permissions=["change"])
    def close_selected(self, request, queryset):
        self._each(request, queryset, SURVEYS_CLOSED, services.survey_close)

    @admin.action(description=_("Back to draft (not sent until scheduled)"), permissions=["change"])
    def back_to_draft(self, request, queryset):
        self._each(request, queryset, SURVEYS_UNSCHEDULED, services.survey_unschedule)


# --- Invitations --------------------------------------------------------------------------


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("Answered")), ("no", _("Not answered"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        return queryset


class SurveyFilter(admin.SimpleListFilter):
    """Surveys named with their cycles, in one query."""

    title = _("survey")
    parameter_name = "survey"

    def lookups(self, request, model_admin):
        return [
            (str(s.pk), str(s))
            for s in Survey.objects.select_related("cycle__program").order_by("-opens_on")
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(survey_id=int(self.value()))
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Who was invited, reminded and answered: never what they answered."""

    list_display = [
        "person_name",
        "role",
        "survey",
        "invited_at",
        "reminded_at",
        "has_answered",
        "named",
    ]
    list_filter = [SurveyFilter, "role", AnsweredFilter, "named"]
    list_select_related = ["person", "survey__cycle__program"]
    search_fields = ["person__email", "person__full_name", "person__preferred_name"]
    fields = [
        "survey",
        "person",
        "role",
        ("invited_at", "reminded_at"),
        ("answered_at", "updated_at"),
        "named",
    ]
    readonly_fields = [
        "survey",
        "person",
        "role",
        "invited_at",
        "reminded_at",
        "answered_at",
        "updated_at",
        "named",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Person"), ordering="person__full_name")
    def person_name(self, invitation: Invitation) -> str:
        person = invitation.person
        return f"{person.get_full_name()} <{person.email}>" if person else "A former participant"

    @admin.display(description=_("Answered"), boolean=True, ordering="answered_at")
    def has_answered(self, invitation: Invitation) -> bool:
        return invitation.has_answered
