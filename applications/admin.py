"""Where the committee reviews applications: lists, scores, statuses and decisions.

Staff change an application's status (along the allowed transitions) and their own
notes; the applicant's answers are read-only. Every change goes through the services.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from mentoring.admin import cycle_filter
from mentoring.admin_languages import TranslatedAdmin
from mentoring.admin_lists import LeanRows, ListNotes, WholeListActions

from . import rules, selectors, services
from .admin_actions import ApplicationActions
from .admin_fields import ApplicationChangeFields
from .admin_filters import (
    DecisionSentFilter,
    InterestFilter,
    StateFilter,
    YearsFilter,
    YourReviewFilter,
)
from .admin_forms import ApplicationAdminForm, StatusChangeInline
from .models import Application, Conference, Interest

Status = Application.Status

# Who applied, where they live and work, and their private identity answer: hidden
# under blind review until the viewer has scored.
IDENTITY_FIELDS = {
    "full_name": "hidden_full_name",
    "preferred_name": "hidden_preferred_name",
    "email": "hidden_email",
    "phone": "hidden_phone",
    "city": "hidden_city",
    "organization": "hidden_organization",
    "position_title": "hidden_position_title",
    "applicant_account": "hidden_applicant_account",
    "bipoc_identity": "hidden_bipoc_identity",
}
# How to reach the applicant: the coordinator's, who tells them the decision; a reviewer
# scores the answers without them.
CONTACT_FIELDS = {"email", "phone", "applicant_account"}
# What a reviewer's search looks in (never an address they are not shown).
REVIEWER_SEARCH_FIELDS = ["full_name", "preferred_name", "organization"]


ROLE_LABELS = dict(Application.Role.choices)  # lazy labels, translated when shown


@admin.register(Application)
class ApplicationAdmin(
    ApplicationActions,
    ApplicationChangeFields,
    WholeListActions,
    ListNotes,
    LeanRows,
    admin.ModelAdmin,
):
    form = ApplicationAdminForm
    list_display = [
        "name",
        "role",
        "status",
        "library_type",
        "state_display",
        "years",
        "interest_list",
        "funding",
        "submitted_on",
        "score_mean",
        "score_count",
        "decision_told",
    ]
    list_filter = [
        cycle_filter("cycle", parameter_name="cycle", current_by_default=True),
        "role",
        "status",
        "library_type",
        StateFilter,
        YearsFilter,
        InterestFilter,
        "funding_requested",
        "membership",
        ("submitted_at", admin.DateFieldListFilter),
        YourReviewFilter,
        DecisionSentFilter,
    ]
    search_fields = ["full_name", "preferred_name", "email", "organization"]
    list_select_related = ["cycle__program"]
    # What the columns, the row's label and blind review read (the summary annotations
    # come with the rows whatever this leaves out).
    list_shared_cycle = "cycle"
    list_only = (
        *("full_name", "email", "role", "status", "library_type", "state"),
        *("years_experience", "funding_requested", "submitted_at", "decision_sent_at"),
        *("cycle__blind_review", "cycle__program__time_zone"),
    )
    list_per_page = 100
    inlines = [StatusChangeInline]
    actions = [
        "mark_under_review",
        "accept",
        "waitlist",
        "decline",
        "send_decisions",
        "export_csv",
    ]
    change_form_template = "admin/applications/application/change_form.html"

    # --- rows --------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return selectors.applications_for_committee(viewer=request.user)

    def lean_shape(self, request: HttpRequest):
        # The list's start is the member's own (their scores, their role's cycles).
        return (request.user.pk, rules.reviews_assigned_cycles_only(request.user))

    def lean_prepared(self, queryset):
        # The interests column: ids with the rows, the interests from the shared content,
        # not a prefetch building a manager and an object per row.
        return queryset.prefetch_related(None).annotate(
            **selectors.chosen_ids("pk", conferences=False)
        )

    def lean_finished(self, rows: list) -> list:
        known = selectors.choices()
        label_of = {}  # each interest's label (in the reader's language) once a page
        # The roles' labels translated once a page (each row's checkbox names its role).
        roles = {value: str(label) for value, label in ROLE_LABELS.items()}
        for application in rows:
            application.role_label = roles.get(application.role, application.role)
            ids = set(application.interest_ids or ())
            if ids <= known.interests.keys():
                # The column's own list: no queryset and no manager per row.
                for pk in ids - label_of.keys():
                    label_of[pk] = known.interests[pk].label
                application.interest_labels = [
                    label_of[pk] for pk in sorted(ids, key=lambda pk: known.order[Interest, pk])
                ]
            else:  # one the shared copy does not know yet: read when asked for
                selectors.attach_interests(application, "interests", ids, known)
        return rows

    def get_ordering(self, request: HttpRequest):
        # name_sort: the name, blank where a blind review hides it (selectors), so the
        # order of a page cannot tell a hidden name.
        return ["-cycle__starts_on", "role", "name_sort", "pk"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Applications come from applicants, in the browser.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Withdrawing keeps the record; only a superuser erases one (a person's request).
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # A reviewer changes their own score and comment, nothing else (the fields they
        # may not change are read-only: get_readonly_fields).
        return rules.may_review(request.user)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        """Statuses, decisions and the export: the coordinator's, not a reviewer's."""
        return rules.may_decide(request.user)

    def get_search_fields(self, request: HttpRequest):
        if rules.may_decide(request.user):
            return self.search_fields
        return REVIEWER_SEARCH_FIELDS

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            # Every field searched is one a blind review hides: a hidden application
            # must not be found by it (the list would say whose it is).
            results = results.exclude(selectors.HIDDEN_FROM_VIEWER)
        return results, may_have_duplicates

    def autocomplete_text(self, application: Application) -> str:
        """How the admin's autocomplete names an application (committee/sites.py)."""
        return self.label(application)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _hidden(self, application: Application, request: HttpRequest | None = None) -> bool:
        scored = getattr(application, "scored_by_viewer", None)
        if scored is None and request is not None:
            scored = application.reviews.filter(reviewer=request.user).exists()
        return selectors.identity_hidden(application, scored_by_viewer=bool(scored))

    def label(self, application: Application) -> str:
        """How messages name an application without breaking a blind review."""
        # The role's label from its enum, not get_role_display(), which builds the
        # field's choices anew on every call (a changelist asks for each row).
        role = getattr(application, "role_label", None) or ROLE_LABELS.get(
            application.role, application.role
        )
        if self._hidden(application):
            return f"{role} application #{application.pk}"
        return f"{application.full_name or application.email} ({role})"

    # --- changelist columns ------------------------------------------------------------

    def action_checkbox_label(self, application: Application) -> str:
        # Django's checkbox names the row after str(); blind review needs the neutral label.
        return self.label(application)

    @admin.display(description=_("Name"), ordering="name_sort")
    def name(self, application: Application) -> str:
        if self._hidden(application):
            return format_html(
                '<span class="blind">Applicant #{}</span> <small>(blind review)</small>',
                application.pk,
            )
        return application.full_name or application.email or "—"

    @admin.display(description=_("State"), ordering="state")
    def state_display(self, application: Application) -> str:
        return application.state

    @admin.display(description=_("Years"), ordering="years_experience")
    def years(self, application: Application):
        return application.years_experience

    @admin.display(description=_("Interests"))
    def interest_list(self, application: Application) -> str:
        labels = getattr(application, "interest_labels", None)
        if labels is None:
            labels = [i.label for i in application.interests.all()]
        shown = ", ".join(labels[:3])
        return f"{shown} +{len(labels) - 3}" if len(labels) > 3 else shown

    @admin.display(description=_("Funding request"), boolean=True, ordering="funding_requested")
    def funding(self, application: Application) -> bool:
        return application.funding_requested

    @admin.display(description=_("Submitted"), ordering="submitted_at")
    def submitted_on(self, application: Application):
        if application.submitted_at is None:
            return "—"
        return (
            f"{timezone.localtime(application.submitted_at, application.cycle.program.tz):%Y-%m-%d}"
        )

    @admin.display(description=_("Score"), ordering="mean_sort")
    def score_mean(self, application: Application) -> str:
        # Under blind review the others' scores show once one has scored, as on the page.
        if application.review_mean is None or self._hidden(application):
            return "—"
        return f"{application.review_mean:.1f}"

    @admin.display(description=_("Reviews"), ordering="review_count")
    def score_count(self, application: Application) -> int:
        return application.review_count

    @admin.display(description=_("Told"), boolean=True, ordering="decision_sent_at")
    def decision_told(self, application: Application) -> bool | None:
        if application.status not in (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED):
            return None
        return application.decision_sent_at is not None

    # --- change page -------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"reviewer": request.user})

    def get_fieldsets(self, request: HttpRequest, obj: Application | None = None):
        hidden = obj is not None and self._hidden(obj, request)
        contact = rules.may_decide(request.user)

        def who(name: str) -> str:
            return IDENTITY_FIELDS[name] if hidden else name

        membership = ["membership", "funding_requested"]
        if rules.may_see_funding_identity(request.user):
            membership.append(who("bipoc_identity"))
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        ("cycle", "role"),
                        "status",
                        "staff_notes",
                        ("submitted_at", "decision_sent_at"),
                    ]
                },
            ),
            (
                "Your review",
                {
                    "fields": ["my_score", "my_comment", "reviews_hidden" if hidden else "reviews"],
                    "description": "Under blind review, who applied shows once you have scored."
                    if hidden
                    else "",
                },
            ),
            (
                "About the applicant",
                {
                    "fields": [
                        who("full_name"),
                        who("preferred_name"),
                        "pronouns",
                        *([who("email"), who("phone")] if contact else []),
                        (who("city"), "state_name", "country"),
                        "time_zone",
                        *([who("applicant_account")] if contact else []),
                    ]
                },
            ),
            (
                "Work",
                {
                    "fields": [
                        who("organization"),
                        "library_type",
                        who("position_title"),
                        "years_experience",
                    ]
                },
            ),
            ("Membership", {"fields": membership}),
            ("Interests", {"fields": ["interests"]}),
        ]
        if obj is None or obj.role == Application.Role.MENTEE:
            fieldsets.append(
                ("Mentee's answers", {"fields": ["career_stage", "hopes", "mentor_wishes"]})
            )
        if obj is None or obj.role == Application.Role.MENTOR:
            fieldsets.append(
                (
                    "Mentor's answers",
                    {"fields": ["mentee_capacity", "committee_experience", "offer"]},
                )
            )
        fieldsets.append(
            (
                "Working together",
                {
                    "fields": [
                        "communication",
                        "in_person_ok",
                        "conferences",
                        "other_conferences",
                        "agreed_to_expectations",
                    ]
                },
            )
        )
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Application | None = None):
        editable = {"my_score", "my_comment"}
        if rules.may_decide(request.user):
            editable |= {"status", "staff_notes"}
        names = []
        for _name, options in self.get_fieldsets(request, obj):
            for entry in options["fields"]:
                for name in entry if isinstance(entry, tuple) else (entry,):
                    if name not in editable:
                        names.append(name)
        return names

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {**(extra_context or {}), "subtitle": self.label(obj)}
            if obj.cycle.blind_review:
                extra_context["blind_notice"] = (
                    "This cycle is under blind review: names, emails and libraries show to a "
                    "reviewer once they have scored an application, and to everyone once it "
                    "is decided."
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # The form has already copied the new status and notes onto ``obj``; the service
        # re-reads the row, checks the transition and records it. A reviewer's form has
        # neither field.
        if "status" in form.cleaned_data and rules.may_decide(request.user):
            services.application_staff_update(
                application=obj,
                status=form.cleaned_data["status"],
                staff_notes=form.cleaned_data["staff_notes"],
                by=request.user,
            )
        score = form.cleaned_data.get("my_score")
        if score and not form.fields["my_score"].disabled:
            services.application_review_save(
                application=obj,
                reviewer=request.user,
                score=score,
                comment=form.cleaned_data.get("my_comment", ""),
            )
        obj.refresh_from_db()

    def history_view(self, request, object_id, extra_context=None):
        # Django titles the page with str(): the applicant's name.
        obj = self.get_object(request, object_id)
        if obj is not None:
            label = self.label(obj)
            extra_context = {
                **(extra_context or {}),
                "title": _("Change history: %(label)s") % {"label": label},
                "subtitle": label,  # the breadcrumbs' name (the template)
            }
        return super().history_view(request, object_id, extra_context)

    def log_change(self, request, obj, message):
        # The log is shown on the admin's front page: name the application without the
        # applicant's name, which a blind review keeps from other reviewers.
        return LogEntry.objects.create(
            user_id=request.user.pk,
            content_type_id=get_content_type_for_model(obj).pk,
            object_id=str(obj.pk),
            object_repr=f"{obj.get_role_display()} application #{obj.pk}",
            action_flag=CHANGE,
            change_message=json.dumps(message) if isinstance(message, list) else message,
        )

    def response_change(self, request, obj):
        if self._hidden(obj, request):
            request._blind_names = (
                conditional_escape(str(obj)),
                conditional_escape(self.label(obj)),
            )
        return super().response_change(request, obj)

    def message_user(self, request, message, *args, **kwargs):
        # Django's “was changed successfully” names the object; under blind review the
        # name is replaced with the neutral label.
        names = getattr(request, "_blind_names", None)
        if names:
            message = mark_safe(conditional_escape(message).replace(*names))
        return super().message_user(request, message, *args, **kwargs)


@admin.register(Interest)
class InterestAdmin(TranslatedAdmin):
    list_display = ["name", "short_name", "kind", "program", "position", "is_active", "chosen_by"]
    list_editable = ["position", "is_active"]
    list_filter = ["program", "kind", "is_active"]
    list_select_related = ["program"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(chosen=Count("applications"))

    @admin.display(description=_("Chosen by"), ordering="chosen")
    def chosen_by(self, interest: Interest) -> int:
        return interest.chosen


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["program", "is_active"]
    list_select_related = ["program"]
    search_fields = ["name"]
