from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import mail, privacy, selectors, services
from .admin_languages import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline
from .admin_lists import WholeListActions
from .forms import CycleCopyForm, EventAdminForm
from .models import (
    Committee,
    Cycle,
    Delivery,
    Event,
    Milestone,
    Program,
    ProgramObjective,
    User,
)
from .templatetags.program import event_when
from .timeline import phase_on

ALL_CYCLES = "all"


def cycle_filter(
    field_path: str,
    *,
    parameter_name: str | None = None,
    cycles: Callable[[], QuerySet[Cycle]] | None = None,
    current_by_default: bool = False,
) -> type[admin.SimpleListFilter]:
    """Filter a changelist by the cycle at ``field_path``, listing the cycles (``cycles()``,
    else every cycle) with their programs in one query (the stock related-field filter
    costs a query per cycle to name it). A value that is not a cycle's id, such as
    ``?cycle=abc``, leaves the list unfiltered rather than failing.

    With ``current_by_default`` the list opens on the cycles the committee is at work on
    (:func:`selectors.committee_cycles`), and "All cycles" is a choice of its own
    (``?cycle=all``), kept in the URL like any other filter."""

    class CycleFilter(admin.SimpleListFilter):
        title = _("cycle")
        # The cycles' ids the list shows, once filtered; None: every cycle.
        chosen: list[int] | None = None
        current: list[Cycle] = []

        def lookups(self, request, model_admin):
            if cycles is not None:
                self.listed = list(cycles().select_related("program"))
            else:
                self.listed = every_cycle()
            return [(str(c.pk), str(c)) for c in self.listed]

        def queryset(self, request, queryset):
            value = self.value()
            if value is None and current_by_default:
                # Every cycle is listed already (unless the list names its own): the
                # current ones are found among them, not read again.
                every = self.listed if cycles is None else None
                self.current = selectors.committee_cycles(every)
                self.chosen = [c.pk for c in self.current]
            elif value and value.isdigit():
                self.chosen = [int(value)]
            else:
                return queryset
            return queryset.filter(**{f"{field_path}_id__in": self.chosen})

        @property
        def opens_on_current(self) -> bool:
            return current_by_default and self.value() is None

        def choices(self, changelist):
            if not current_by_default:
                yield from super().choices(changelist)
                return
            names = ", ".join(str(c) for c in self.current) or gettext("none running")
            yield {
                "selected": self.value() is None,
                "query_string": changelist.get_query_string(remove=[self.parameter_name]),
                "display": gettext("Current (%(cycles)s)") % {"cycles": names},
            }
            yield {
                "selected": self.value() == ALL_CYCLES,
                "query_string": changelist.get_query_string({self.parameter_name: ALL_CYCLES}),
                "display": gettext("All cycles"),
            }
            for lookup, title in self.lookup_choices:
                yield {
                    "selected": self.value() == lookup,
                    "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                    "display": title,
                }

    CycleFilter.parameter_name = parameter_name or field_path.replace("__", "_") + "_id"
    return CycleFilter


def every_cycle() -> list[Cycle]:
    """Every cycle with its program, in the cycles' own order, from the programs' content
    (``selectors.programs``: no query while staff have not changed it). Read-only: the
    objects are shared by every request."""
    every = [cycle for program in selectors.programs() for cycle in program.cycles.all()]
    return sorted(
        every, key=lambda c: (c.program.position, c.program.name, -c.starts_on.toordinal())
    )


def program_filter(field_path: str) -> type[admin.SimpleListFilter]:
    """Filter a changelist by the program at ``field_path``, as the stock related-field
    filter does (the same parameter), naming the programs from the programs' content
    instead of a query on every visit. A value that is not a program's id leaves the list
    unfiltered."""

    class ProgramFilter(admin.SimpleListFilter):
        title = _("program")
        parameter_name = f"{field_path}__id__exact"

        def lookups(self, request, model_admin):
            return [(str(p.pk), str(p)) for p in selectors.programs()]

        def queryset(self, request, queryset):
            value = self.value()
            if value and value.isdigit():
                return queryset.filter(**{f"{field_path}_id": int(value)})
            return queryset

    return ProgramFilter


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name", "preferred_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["full_name", "preferred_name"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "password1", "password2", "is_staff"],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # An administrator gives people roles (groups); making a superuser, or granting
        # permissions one by one around the roles, is for a superuser.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "is_superuser", "user_permissions"]

    # Staff deleting an account anonymise what it holds, as the person deleting it would.
    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            privacy.personal_data_erase(obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for user in queryset:
                privacy.personal_data_erase(user)
            super().delete_queryset(request, queryset)


class ObjectiveInline(TranslatedTabularInline):
    model = ProgramObjective
    extra = 0


class CommitteeInline(admin.TabularInline):
    model = Committee
    extra = 0


@admin.register(Program)
class ProgramAdmin(TranslatedAdmin):
    list_display = ["name", "short_name", "slug", "time_zone", "contact_email", "position"]
    prepopulated_fields = {"slug": ["short_name"]}
    search_fields = ["name", "short_name"]
    inlines = [ObjectiveInline, CommitteeInline]


class MilestoneInline(TranslatedTabularInline):
    model = Milestone
    extra = 0
    fields = ["kind", "title", "starts_on", "ends_on", "description"]


class EventInline(TranslatedStackedInline):
    model = Event
    form = EventAdminForm
    extra = 0
    fields = [
        ("kind", "title"),
        ("starts_at", "ends_at", "time_zone", "all_day"),
        ("location", "join_url", "recording_url"),
        "description",
    ]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "program",
        "applications_open_on",
        "applications_close_on",
        "starts_on",
        "ends_on",
        "accepting_applications_now",
        "phase_today",
        "anonymised_at",
    ]
    list_filter = ["program"]
    readonly_fields = ["anonymised_at"]
    list_select_related = ["program"]
    search_fields = ["name", "program__name", "program__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MilestoneInline, EventInline]
    actions = ["copy_to_next_year"]
    filter_horizontal = ["reviewers"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reviewers":
            # Reviewers are committee members: active staff accounts.
            kwargs["queryset"] = User.objects.filter(is_staff=True, is_active=True).order_by(
                "full_name", "email"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on"))
            )
        )

    @admin.display(boolean=True, description=_("Accepting applications"))
    def accepting_applications_now(self, cycle: Cycle) -> bool:
        return cycle.accepting_applications

    @admin.display(description=_("Phase today"))
    def phase_today(self, cycle: Cycle) -> str:
        return phase_on(list(cycle.milestones.all()), cycle.program.today()).label

    def get_urls(self):
        anonymise = self.admin_site.admin_view(self.anonymise_view)
        copy = self.admin_site.admin_view(self.copy_view)
        return [
            path("<int:pk>/anonymise/", anonymise, name="mentoring_cycle_anonymise"),
            path("<int:pk>/copy/", copy, name="mentoring_cycle_copy"),
            *super().get_urls(),
        ]

    def copy_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Copy a cycle to a program year staff choose: every date shifted by whole years."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        cycle = get_object_or_404(
            Cycle.objects.select_related("program").prefetch_related("milestones", "events"),
            pk=pk,
        )
        form = CycleCopyForm(request.POST or None, cycle=cycle)
        if request.method == "POST" and form.is_valid():
            try:
                new_cycle = services.cycle_copy(cycle=cycle, year=form.cleaned_data["year"])
            except ValidationError as exc:
                form.add_error("year", exc)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Created %(cycle)s with its milestones and events, every date moved "
                        "to its year; check them."
                    )
                    % {"cycle": new_cycle},
                    messages.SUCCESS,
                )
                return redirect("admin:mentoring_cycle_change", new_cycle.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Copy %(cycle)s to another year") % {"cycle": cycle},
            "cycle": cycle,
            "form": form,
        }
        return TemplateResponse(request, "admin/mentoring/cycle/copy.html", context)

    def anonymise_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Anonymise a finished cycle, after a page saying what it touches."""
        if not request.user.has_perm("mentoring.anonymise_cycle"):
            raise PermissionDenied
        cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=pk)
        if not cycle.is_finished:
            self.message_user(
                request,
                services.CYCLE_NOT_FINISHED.format(cycle=cycle, ends_on=cycle.ends_on),
                messages.ERROR,
            )
            return redirect("admin:mentoring_cycle_change", cycle.pk)
        if request.method == "POST":
            services.cycle_anonymise(cycle=cycle)
            self.message_user(
                request,
                gettext(
                    "%(cycle)s is anonymised: its applications, matches, goal sheets, activity "
                    "logs and surveys no longer say who took part."
                )
                % {"cycle": cycle},
                messages.SUCCESS,
            )
            return redirect("admin:mentoring_cycle_change", cycle.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Anonymise %(cycle)s") % {"cycle": cycle},
            "cycle": cycle,
            "counts": privacy.cycle_counts(cycle),
        }
        return TemplateResponse(request, "admin/mentoring/cycle/anonymise.html", context)

    @admin.action(
        description=_(
            "Copy to next year (milestones and events a year later; "
            "“Copy to another year” on a cycle's page for any year)"
        ),
        permissions=["add"],  # it adds a cycle, as the copy page does
    )
    def copy_to_next_year(self, request, queryset):
        for cycle in queryset.select_related("program"):
            try:
                new_cycle = services.cycle_copy_to_next_year(cycle=cycle)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Created %(cycle)s with its milestones and events; check their dates.")
                    % {"cycle": new_cycle},
                    messages.SUCCESS,
                )


@admin.register(Milestone)
class MilestoneAdmin(TranslatedAdmin):
    list_display = ["title", "kind", "cycle", "starts_on", "ends_on"]
    list_filter = ["kind", "cycle__program", cycle_filter("cycle")]
    list_select_related = ["cycle__program"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_on"


@admin.register(Event)
class EventAdmin(TranslatedAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "cycle", "when", "location"]
    list_filter = ["kind", "cycle__program", cycle_filter("cycle")]
    list_select_related = ["cycle__program"]
    search_fields = ["title", "description", "location"]
    date_hierarchy = "starts_at"

    @admin.display(description=_("when (local time)"), ordering="starts_at")
    def when(self, event: Event) -> str:
        # In the event's own zone, as typed on its page (the list's zone is the program's).
        return event_when(event)


@admin.register(Delivery)
class DeliveryAdmin(WholeListActions, admin.ModelAdmin):
    """What the site sent, to whom, and what became of it."""

    list_display = ["to_email", "kind", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject", "message_key"]
    date_hierarchy = "created_at"
    actions = ["send_again_failed"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Viewing is allowed; nothing here is edited by hand.
        return False

    @admin.action(description=_("Try failed deliveries again"), permissions=["view"])
    def send_again_failed(self, request, queryset):
        ids = list(queryset.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING, last_error="", attempts=0
        )
        mail.queue_deliveries(ids)
        self.message_user(
            request,
            ngettext(
                "%(count)s failed delivery queued again.",
                "%(count)s failed deliveries queued again.",
                len(ids),
            )
            % {"count": len(ids)},
        )
