"""What the partners record that the committee reads in admin: their meetings (dates,
lengths and ways, never the pair's notes), exported as CSV; and their requests for help,
whose resolution staff record here."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.admin import cycle_filter
from mentoring.spreadsheets import csv_response, csv_writer

from .help_requests import help_request_resolve
from .models import DirectoryListing, HelpRequest, Meeting, PairingWish

MEETING_EXPORT_HEADER = [
    _("Program"),
    _("Cycle"),
    _("Match"),
    _("Mentee"),
    _("Mentor"),
    _("Date"),
    _("Minutes"),
    _("How they met"),
    _("Recorded by"),
]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """The pairs' meetings, read only: the partners record them; the notes are theirs."""

    list_display = ["on", "pair", "cycle", "way", "minutes", "recorded_by"]
    list_filter = ["way", "match__cycle__program", cycle_filter("match__cycle")]
    list_select_related = ["match__cycle__program", "match__mentor", "match__mentee", "recorded_by"]
    search_fields = [
        "match__mentee__full_name",
        "match__mentee__email",
        "match__mentor__full_name",
        "match__mentor__email",
    ]
    date_hierarchy = "on"
    fields = ["match", "on", "minutes", "way", "recorded_by", "created_at"]
    readonly_fields = fields
    actions = ["export_csv"]

    @admin.display(description=_("Match"), ordering="match__mentee__full_name")
    def pair(self, meeting: Meeting) -> str:
        return str(meeting.match)

    @admin.display(description=_("Cycle"), ordering="match__cycle")
    def cycle(self, meeting: Meeting) -> str:
        return str(meeting.match.cycle)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Export these meetings (CSV)"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        """One row per meeting, without the pair's notes; a fixed number of queries."""
        rows = queryset.select_related(*self.list_select_related).order_by(
            "match__cycle__program__position", "match__cycle__starts_on", "match_id", "on", "pk"
        )
        response = csv_response(f"meetings-{timezone.localdate().isoformat()}.csv")
        writer = csv_writer(response)
        writer.writerow(MEETING_EXPORT_HEADER)
        for meeting in rows:
            match = meeting.match
            writer.writerow(
                [
                    match.cycle.program.short_name,
                    match.cycle.name,
                    match.pk,
                    match.mentee.display_name,
                    match.mentor.display_name,
                    meeting.on.isoformat(),
                    meeting.minutes,
                    meeting.get_way_display(),
                    meeting.recorded_by.get_full_name() if meeting.recorded_by else "",
                ]
            )
        return response


class ResolvedFilter(admin.SimpleListFilter):
    title = _("resolved")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", _("Open")), ("yes", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(resolved_at__isnull=self.value() == "no")
        return queryset


class HelpRequestResolveForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ["resolution"]

    def clean_resolution(self) -> str:
        resolution = self.cleaned_data["resolution"].strip()
        if not resolution:
            raise forms.ValidationError(gettext("Say how the request was resolved."))
        return resolution


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    """A partner's confidential request: staff read it and record how it was resolved."""

    form = HelpRequestResolveForm
    list_display = ["created_at", "pair", "cycle", "role", "resolved_at"]
    list_filter = [ResolvedFilter, "role", "match__cycle__program", cycle_filter("match__cycle")]
    list_select_related = ["match__cycle__program", "match__mentor", "match__mentee"]
    search_fields = [
        "match__mentee__full_name",
        "match__mentee__email",
        "match__mentor__full_name",
        "match__mentor__email",
        "message",
    ]
    date_hierarchy = "created_at"
    fields = [
        "match",
        "role",
        "asked_by",
        "created_at",
        "message",
        "resolution",
        "resolved_at",
        "resolved_by",
    ]
    readonly_fields = [f for f in fields if f != "resolution"]

    @admin.display(description=_("Match"), ordering="match__mentee__full_name")
    def pair(self, help_request: HelpRequest) -> str:
        return str(help_request.match)

    @admin.display(description=_("Cycle"), ordering="match__cycle")
    def cycle(self, help_request: HelpRequest) -> str:
        return str(help_request.match.cycle)

    def has_add_permission(self, request) -> bool:
        return False  # partners ask from their match page

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        resolved = help_request_resolve(
            help_request=obj, by=request.user, resolution=obj.resolution
        )
        obj.resolved_at, obj.resolved_by = resolved.resolved_at, resolved.resolved_by


@admin.register(PairingWish)
class PairingWishAdmin(admin.ModelAdmin):
    """What participants said before matching (read only: they say it themselves; the
    engine reads it)."""

    list_display = ["mentee", "mentor", "kind", "cycle", "created_at"]
    list_filter = ["kind", cycle_filter("mentee__cycle")]
    list_select_related = ["mentee__cycle__program", "mentor"]
    search_fields = ["mentee__full_name", "mentee__email", "mentor__full_name", "mentor__email"]

    @admin.display(description=_("Cycle"), ordering="mentee__cycle")
    def cycle(self, wish: PairingWish) -> str:
        return str(wish.mentee.cycle)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DirectoryListing)
class DirectoryListingAdmin(admin.ModelAdmin):
    """Mentors listed in the mentees' directory, with their notes (staff may correct a
    note that should not be there)."""

    list_display = ["mentor", "cycle", "note", "updated_at"]
    list_filter = [cycle_filter("mentor__cycle")]
    list_select_related = ["mentor__cycle__program"]
    search_fields = ["mentor__full_name", "mentor__email", "note"]
    fields = ["mentor", "note", "updated_at"]
    readonly_fields = ["mentor", "updated_at"]

    @admin.display(description=_("Cycle"), ordering="mentor__cycle")
    def cycle(self, listing: DirectoryListing) -> str:
        return str(listing.mentor.cycle)

    def has_add_permission(self, request) -> bool:
        return False
