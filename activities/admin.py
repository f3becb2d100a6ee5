"""Where committee staff keep the catalog and the reading list, and read the logs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Prefetch
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.models import Interest
from mentoring.admin import cycle_filter
from mentoring.admin_languages import TranslatedAdmin, TranslatedModelForm
from mentoring.admin_lists import ListNotes, WholeListActions

from . import services
from .models import Activity, ActivityLogEntry, Category, Resource


@admin.register(Category)
class CategoryAdmin(TranslatedAdmin):
    list_display = ["name", "program", "position", "activity_count"]
    list_editable = ["position"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_activities=Count("activities"))

    @admin.display(description=_("Activities"), ordering="_activities")
    def activity_count(self, category: Category) -> int:
        return category._activities


class ActivityAdminForm(TranslatedModelForm):
    class Meta:
        model = Activity
        fields = [
            "program",
            "category",
            "title",
            "slug",
            "summary",
            "steps",
            "competency_areas",
            "topics",
            "phase",
            "time_needed",
            "discussion_question",
            "resources",
            "position",
            "is_published",
        ]
        widgets = {"steps": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        program = data.get("program")
        if program is None:
            return data
        for name in ("competency_areas", "topics"):
            others = [i.name for i in data.get(name) or [] if i.program_id != program.pk]
            if others:
                self.add_error(
                    name,
                    _("%(names)s: not of the %(program)s program. Choose the program's own.")
                    % {"names": ", ".join(others), "program": program.short_name},
                )
        return data


@admin.register(Activity)
class ActivityAdmin(WholeListActions, TranslatedAdmin):
    form = ActivityAdminForm
    list_display = [
        "title",
        "program",
        "category",
        "phase",
        "time_needed",
        "competencies",
        "in_question_bank",
        "is_published",
        "times_logged",
    ]
    list_filter = [
        "program",
        "category",
        "phase",
        "time_needed",
        "is_published",
        ("competency_areas", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["program", "category"]
    search_fields = ["title", "summary", "steps", "discussion_question"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["competency_areas", "topics", "resources"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["program", "category", "title", "slug", "summary", "steps"]}),
        ("Fit", {"fields": ["competency_areas", "topics", "phase", "time_needed"]}),
        ("Newsletter", {"fields": ["discussion_question"]}),
        ("Reading", {"fields": ["resources"]}),
        ("Listing", {"fields": ["position", "is_published"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("competency_areas", queryset=Interest.objects.order_by("position"))
            )
            .annotate(_logged=Count("log_entries", distinct=True))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.select_related("program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Competency areas"))
    def competencies(self, activity: Activity) -> str:
        return ", ".join(area.label for area in activity.competency_areas.all()) or "—"

    @admin.display(description=_("Question bank"), boolean=True)
    def in_question_bank(self, activity: Activity) -> bool:
        return bool(activity.discussion_question)

    @admin.display(description=_("Logged"), ordering="_logged")
    def times_logged(self, activity: Activity) -> int:
        return activity._logged

    @admin.action(description=_("Publish in the catalog"), permissions=["change"])
    def publish(self, request, queryset):
        changed = services.activities_set_published(activities=queryset, published=True)
        self.message_user(
            request,
            ngettext("%(count)s activity published.", "%(count)s activities published.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Take out of the catalog (logs keep them)"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = services.activities_set_published(activities=queryset, published=False)
        self.message_user(
            request,
            ngettext(
                "%(count)s activity taken out of the catalog.",
                "%(count)s activities taken out of the catalog.",
                changed,
            )
            % {"count": changed},
        )


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "year", "program", "is_published", "activity_count"]
    list_filter = ["kind", "program", "is_published"]
    list_select_related = ["program"]
    search_fields = ["authors", "title", "publication", "publisher", "note"]
    fieldsets = [
        (None, {"fields": ["kind", "program", "authors", "year", "title"]}),
        (
            "Where it appeared",
            {"fields": ["publication", "volume", "issue", "pages", "publisher", "url"]},
        ),
        ("On the reading list", {"fields": ["note", "position", "is_published"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_activities=Count("activities"))

    @admin.display(description=_("Reference (APA)"), ordering="authors")
    def reference(self, resource: Resource) -> str:
        return resource.citation

    @admin.display(description=_("Activities"), ordering="_activities")
    def activity_count(self, resource: Resource) -> int:
        return resource._activities


@admin.register(ActivityLogEntry)
class ActivityLogEntryAdmin(ListNotes, admin.ModelAdmin):
    """The logs belong to the matches: staff read them here and change nothing."""

    list_display = ["title", "match", "status", "on", "activity", "recorded_by", "goals_served"]
    list_filter = [
        "status",
        "match__cycle__program",
        cycle_filter("match__cycle", parameter_name="cycle", current_by_default=True),
    ]
    list_select_related = ["match__mentor", "match__mentee", "activity", "recorded_by"]
    search_fields = [
        "title",
        "notes",
        "match__mentor__full_name",
        "match__mentee__full_name",
        "match__mentor__email",
        "match__mentee__email",
    ]
    date_hierarchy = "on"
    readonly_fields = [
        "match",
        "activity",
        "title",
        "status",
        "on",
        "notes",
        "goal_list",
        "recorded_by",
        "completed_by",
        "created_at",
        "updated_at",
    ]
    exclude = ["goals"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("goals")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Goals"))
    def goals_served(self, entry: ActivityLogEntry) -> int:
        return len(entry.goals.all())

    @admin.display(description=_("Goals it served"))
    def goal_list(self, entry: ActivityLogEntry) -> str:
        return format_html_join(", ", "{}", ((g.title,) for g in entry.goals.all())) or "—"
