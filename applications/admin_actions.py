"""The committee's actions on a selection of applications: statuses along the allowed
transitions, sending decisions, exporting as CSV. Each calls the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentoring.spreadsheets import csv_response, csv_writer

from . import rules, selectors, services
from .models import Application

Status = Application.Status


class ApplicationActions:
    """The actions of :class:`~applications.admin.ApplicationAdmin`."""

    def _move(self, request, queryset, to_status: str, done: str) -> None:
        outcome = services.applications_status_change(
            applications=list(queryset), to_status=to_status, by=request.user
        )
        if outcome.changed:
            count = len(outcome.changed)
            applications = f"{count} {ngettext('application', 'applications', count)}"
            self.message_user(request, done.format(applications), messages.SUCCESS)
        if outcome.unchanged:
            self.message_user(
                request,
                f"{len(outcome.unchanged)} already {Status(to_status).label.lower()}.",
                messages.INFO,
            )
        for application, reason in outcome.refused:
            self.message_user(request, f"{self.label(application)}: {reason}", messages.WARNING)

    @admin.action(description=_("Mark under review"), permissions=["decide"])
    def mark_under_review(self, request, queryset):
        self._move(request, queryset, Status.UNDER_REVIEW, "Put {} under review.")

    @admin.action(description=_("Accept"), permissions=["decide"])
    def accept(self, request, queryset):
        self._move(request, queryset, Status.ACCEPTED, "Accepted {}.")

    @admin.action(description=_("Waitlist"), permissions=["decide"])
    def waitlist(self, request, queryset):
        self._move(request, queryset, Status.WAITLISTED, "Waitlisted {}.")

    @admin.action(description=_("Decline"), permissions=["decide"])
    def decline(self, request, queryset):
        self._move(request, queryset, Status.DECLINED, "Declined {}.")

    @admin.action(
        description=_("Send decisions (each applicant is emailed once)"), permissions=["decide"]
    )
    def send_decisions(self, request, queryset):
        plan = services.applications_decisions_queue(applications=list(queryset))
        sending, told = len(plan.to_send), len(plan.already_told)
        if sending:
            self.message_user(
                request,
                f"Sending {sending} {ngettext('decision', 'decisions', sending)}: each applicant "
                "gets an email in the next minutes (see Deliveries).",
                messages.SUCCESS,
            )
        if told:
            self.message_user(
                request,
                f"{told} {ngettext('applicant', 'applicants', told)} had already been told this "
                "decision: nothing was sent to them again.",
                messages.INFO,
            )
        if plan.refused:
            undecided = len(plan.refused)
            self.message_user(
                request,
                f"{undecided} {ngettext('application', 'applications', undecided)} without a "
                "decision (accepted, waitlisted or declined) got no email.",
                messages.WARNING,
            )

    @admin.action(description=_("Export the selection as CSV"), permissions=["decide"])
    def export_csv(self, request, queryset):
        response = csv_response(f"applications-{timezone.localdate()}.csv")
        writer = csv_writer(response)
        ids = list(queryset.values_list("pk", flat=True))
        rows = selectors.export_rows(
            Application.objects.filter(pk__in=ids),
            viewer=request.user,
            include_private=rules.may_see_funding_identity(request.user),
        )
        for row in rows:
            writer.writerow(row)
        return response
