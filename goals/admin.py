"""Where committee staff watch goal sheets: state, due date, overdue, progress; return an
agreed sheet for revision; export the goals. Staff read the partners' goals but never
edit them: the sheet is the partners' contract."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from matches.models import Match
from mentoring.admin import cycle_filter, program_filter
from mentoring.admin_languages import TranslatedAdmin
from mentoring.admin_lists import LeanRows, ListNotes, WholeListActions, cycle_spec
from mentoring.dates import long_date
from mentoring.models import Milestone, Program
from mentoring.spreadsheets import csv_response, csv_writer

from . import services
from .admin_export import EXPORT_HEADER, export_row
from .forms import StaffReturnForm
from .models import (
    SMART_FIELDS,
    CheckIn,
    ExampleGoal,
    Goal,
    GoalSheet,
    GoalSheetChange,
    GoalSheetRevision,
    is_overdue,
)
from .selectors import (
    latest_check_in_subqueries,
    meeting_subqueries,
    program_todays,
    sheet_progress_annotations,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0
    can_delete = False
    fields = [
        ("position", "title"),
        *SMART_FIELDS,
        ("target_date", "areas"),
        ("latest_check_in", "retired_at"),
        ("final_outcome", "reflection"),
    ]
    readonly_fields = [
        "position",
        "title",
        *SMART_FIELDS,
        "target_date",
        "areas",
        "latest_check_in",
        "retired_at",
        "final_outcome",
        "reflection",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("competency_areas")
            .annotate(**latest_check_in_subqueries())
            .order_by(F("position").asc(nulls_last=True), "id")
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Competency areas"))
    def areas(self, goal: Goal) -> str:
        return ", ".join(area.name for area in goal.competency_areas.all()) or "—"

    @admin.display(description=_("Latest check-in"))
    def latest_check_in(self, goal: Goal) -> str:
        if not goal.latest_status:
            return "—"
        return f"{CheckIn.Status(goal.latest_status).label}, {long_date(goal.latest_on)}"


class RevisionInline(ReadOnlyInline):
    model = GoalSheetRevision
    fields = [
        "number",
        "submitted_by",
        "submitted_at",
        "confirmed_by",
        "confirmed_at",
        "goals_count",
    ]
    readonly_fields = fields
    verbose_name_plural = _("revisions (each as the mentee submitted it)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by", "confirmed_by")

    @admin.display(description=_("Goals"))
    def goals_count(self, revision: GoalSheetRevision) -> int:
        return len(revision.goals)


class ChangeInline(ReadOnlyInline):
    model = GoalSheetChange
    fields = ["at", "revision", "action", "by", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        todays = program_todays(Program.objects.all())
        if self.value() == "yes":
            return queryset.overdue(programs_today=todays)
        return queryset.not_overdue(programs_today=todays)


def sheets_listed():
    """The sheets as the list reads them, with ``due_on`` and their progress: composed
    once a process (resolving the three subqueries said the same on every visit, most of
    a millisecond) and copied for each list."""
    return _sheets_listed().all()


@functools.cache
def _sheets_listed():
    # Never evaluated (only copied): it holds no rows.
    return GoalSheet.objects.with_due_on().annotate(**sheet_progress_annotations())


@admin.register(GoalSheet)
class GoalSheetAdmin(WholeListActions, ListNotes, LeanRows, admin.ModelAdmin):
    list_display = [
        "pair",
        "cycle",
        "status",
        "due_on_display",
        "overdue",
        "revision",
        "goals_count",
        "last_check_in",
        "agreed_at",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        program_filter("match__cycle__program"),
        cycle_filter("match__cycle", current_by_default=True),
    ]
    list_select_related = ["match__cycle__program", "match__mentor", "match__mentee"]
    # The columns, the partners' names (the row's label too) and the program's time zone
    # (overdue is reckoned in it).
    list_shared_cycle = "match__cycle"
    list_only = (
        *("status", "revision", "agreed_at", "match__status"),
        *(
            f"match__{p}__{f}"
            for p in ("mentor", "mentee")
            for f in ("full_name", "preferred_name", "email", "anonymised_at")
        ),
        *("match__cycle__name", "match__cycle__program__short_name"),
        "match__cycle__program__time_zone",
    )
    search_fields = [
        "match__mentee__full_name",
        "match__mentee__preferred_name",
        "match__mentee__email",
        "match__mentor__full_name",
        "match__mentor__preferred_name",
        "match__mentor__email",
    ]
    ordering = ["-match__cycle__starts_on", "match__id"]
    fields = [
        "match",
        ("status", "revision", "agreed_revision"),
        ("due_on_display", "overdue"),
        ("submitted_at", "agreed_at"),
        ("returned_comment", "returned_by", "returned_at"),
        ("updated_by", "updated_at"),
    ]
    readonly_fields = [
        "match",
        "due_on_display",
        "overdue",
        "status",
        "revision",
        "agreed_revision",
        "submitted_at",
        "agreed_at",
        "returned_comment",
        "returned_by",
        "returned_at",
        "updated_by",
        "updated_at",
    ]
    inlines = [GoalInline, RevisionInline, ChangeInline]
    actions = ["return_for_revision", "export_goals_csv"]

    def get_queryset(self, request):
        # As ModelAdmin.get_queryset, from the sheets composed once (sheets_listed).
        queryset = sheets_listed()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def lean_shape(self, request):
        return ()  # the same start for everyone (get_queryset)

    def lean_finished(self, rows: list) -> list:
        # Whether each row is overdue, with "today" worked out once for each program
        # (in its time zone), not once a row.
        now = timezone.now()
        todays = {}
        # The column's two words, translated once a page rather than once a row.
        words = {True: gettext("Overdue"), False: gettext("No")}
        for sheet in rows:
            program = sheet.match.cycle.program
            if program.pk not in todays:
                todays[program.pk] = timezone.localdate(now, program.tz)
            sheet.late = is_overdue(
                status=sheet.status, due_on=sheet.due_on, program=program, today=todays[program.pk]
            )
            sheet.late_shown = words[bool(sheet.late)]
        return rows

    def has_add_permission(self, request) -> bool:
        return False  # a sheet opens with its match; the partners write it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the partners' contract and its history are kept

    def _not_started(self, changelist):
        """The active matches of the list's cycles that have no goal sheet yet."""
        not_started = Match.objects.filter(status=Match.Status.ACTIVE, goal_sheet__isnull=True)
        cycles = cycle_spec(changelist)
        if cycles is not None and cycles.chosen is not None:
            not_started = not_started.filter(cycle_id__in=cycles.chosen)
        return not_started

    def lean_counts(self, changelist) -> dict:
        return {"not_started": self._not_started(changelist)}

    def list_notes(self, request: HttpRequest, changelist) -> list[str]:
        """Besides why the list is empty: the active matches it cannot show, which have
        no sheet yet (a sheet is made when the partners start it)."""
        notes = super().list_notes(request, changelist)
        cycles = cycle_spec(changelist)
        params = {"status__exact": Match.Status.ACTIVE, "goal_sheet": "none"}
        if cycles is not None and cycles.value() is not None:
            params["cycle_id"] = cycles.value()
        count = getattr(changelist, "lean_counts", {}).get("not_started")
        if count is None:
            count = self._not_started(changelist).count()
        if count:
            words = ngettext(
                "%d active match has not started its goal sheet",
                "%d active matches have not started theirs",
                count,
            )
            notes.append(
                format_html(
                    '<a href="{}?{}">{}</a>.',
                    reverse("admin:matches_match_changelist"),
                    urlencode(params),
                    words % count,
                )
            )
        return notes

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Mentee & mentor"), ordering="match__mentee__full_name")
    def pair(self, sheet: GoalSheet) -> str:
        match = sheet.match
        return f"{match.mentee.display_name} & {match.mentor.display_name}"

    @admin.display(description=_("Cycle"), ordering="match__cycle__starts_on")
    def cycle(self, sheet: GoalSheet) -> str:
        return str(sheet.match.cycle)

    @admin.display(description=_("Due"), ordering="due_on")
    def due_on_display(self, sheet: GoalSheet):
        return sheet.due_on

    @admin.display(description=_("Overdue"))
    def overdue(self, sheet: GoalSheet) -> str:
        # Words, not the admin's red cross: "no" is the good answer here.
        shown = getattr(sheet, "late_shown", None)
        if shown is not None:
            return shown
        late = getattr(sheet, "late", None)
        if late is None:
            program = sheet.match.cycle.program
            late = is_overdue(status=sheet.status, due_on=sheet.due_on, program=program)
        return gettext("Overdue") if late else gettext("No")

    @admin.display(description=_("Goals"), ordering="goals_count")
    def goals_count(self, sheet: GoalSheet) -> int:
        return sheet.goals_count

    @admin.display(description=_("Last check-in"), ordering="last_check_in_on")
    def last_check_in(self, sheet: GoalSheet):
        return sheet.last_check_in_on

    @admin.action(
        description=_("Return agreed sheets for revision (with a comment)"), permissions=["change"]
    )
    def return_for_revision(self, request: HttpRequest, queryset) -> HttpResponse | None:
        """Ask for a comment, then return each selected agreed sheet: a new revision opens
        as a draft and both partners are emailed. Other sheets are left alone."""
        sheets = list(queryset)
        agreed = [s for s in sheets if s.status == GoalSheet.Status.AGREED]
        form = StaffReturnForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            failed = []
            for sheet in agreed:
                try:
                    services.goal_sheet_return(
                        sheet=sheet, by=request.user, comment=form.cleaned_data["comment"]
                    )
                except ValidationError as exc:
                    failed.append(f"{self.pair(sheet)}: {' '.join(exc.messages)}")
            done = len(agreed) - len(failed)
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "Returned %(count)s goal sheet for revision; both partners were emailed.",
                        "Returned %(count)s goal sheets for revision; both partners of each "
                        "were emailed.",
                        done,
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            skipped = len(sheets) - len(agreed)
            if skipped:
                self.message_user(
                    request,
                    ngettext(
                        "Left %(count)s sheet alone: only agreed sheets are returned for revision.",
                        "Left %(count)s sheets alone: only agreed sheets are returned for "
                        "revision.",
                        skipped,
                    )
                    % {"count": skipped},
                    messages.WARNING,
                )
            for line in failed:
                self.message_user(request, line, messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return goal sheets for revision"),
            "opts": self.model._meta,
            "form": form,
            "agreed": agreed,
            "skipped": [s for s in sheets if s.status != GoalSheet.Status.AGREED],
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": "return_for_revision",
            "pair": self.pair,
        }
        return TemplateResponse(request, "admin/goals/goalsheet/return_for_revision.html", context)

    @admin.action(description=_("Export the goals of these sheets (CSV)"), permissions=["view"])
    def export_goals_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        """One row per goal on the selected sheets, with its SMART parts and latest
        check-in; a fixed number of queries however many sheets."""
        sheet_ids = list(queryset.values_list("pk", flat=True))
        goals = (
            Goal.objects.current()
            .filter(sheet_id__in=sheet_ids)
            .select_related(
                "sheet__match__cycle__program", "sheet__match__mentor", "sheet__match__mentee"
            )
            .prefetch_related(
                "competency_areas",
                Prefetch("sheet__match__cycle__milestones", queryset=Milestone.objects.all()),
            )
            .annotate(**latest_check_in_subqueries(), **meeting_subqueries("sheet__match"))
            .order_by(
                "sheet__match__cycle__program__position",
                "sheet__match__cycle__starts_on",
                "sheet__match_id",
                "position",
            )
        )
        response = csv_response(f"goals-{timezone.localdate().isoformat()}.csv")
        writer = csv_writer(response)
        writer.writerow(EXPORT_HEADER)
        for goal in goals:
            writer.writerow(export_row(goal))
        return response


@admin.register(ExampleGoal)
class ExampleGoalAdmin(TranslatedAdmin):
    list_display = ["title", "program", "areas", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["program", "is_active"]
    list_select_related = ["program"]
    search_fields = ["title", "specific"]
    filter_horizontal = ["competency_areas"]
    fields = [
        ("program", "key"),
        "title",
        *SMART_FIELDS,
        "competency_areas",
        ("position", "is_active"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("competency_areas")

    def get_readonly_fields(self, request, obj=None):
        # The key ties the example to the content file; it stays as loaded.
        return ["key"] if obj is not None and obj.key else []

    @admin.display(description=_("Competency areas"))
    def areas(self, example: ExampleGoal) -> str:
        return ", ".join(area.name for area in example.competency_areas.all()) or "—"


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    """Progress as the partners recorded it: for reading and filtering, not editing."""

    list_display = ["on", "goal", "pair", "status", "author"]
    list_filter = [
        "status",
        "goal__sheet__match__cycle__program",
        cycle_filter("goal__sheet__match__cycle"),
    ]
    list_select_related = ["goal__sheet__match__mentor", "goal__sheet__match__mentee", "author"]
    search_fields = ["goal__title", "note", "author__email", "author__full_name"]
    date_hierarchy = "on"
    fields = ["goal", "author", "status", "on", "note", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Match"))
    def pair(self, check_in: CheckIn) -> str:
        return str(check_in.goal.sheet.match)
