"""Where the committee writes the newsletter: add (a pre-filled draft), edit, preview as
a chosen recipient, send a test to yourself, schedule; once sent, the delivery report
(delivered, failed, pending, and each recipient's status) with "retry failed". Also the
reminders that went out, and the people who turned emails off."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.admin import cycle_filter
from mentoring.admin_lists import ListNotes
from mentoring.dates import month_year
from mentoring.models import Cycle

# admin_messages registers the messages to a group and offers their actions on the lists.
from . import admin_messages, selectors, services  # noqa: F401
from .admin_pages import IssuePages, local_time
from .forms import IssueAddForm, IssueForm
from .models import EmailPreference, NewsletterIssue, SentReminder, add_months, month_start
from .reminders import NAMES as REMINDER_NAMES

Status = NewsletterIssue.Status
CHOICE_LISTS = {"featured_activities", "events", "milestones"}


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(IssuePages, ListNotes, admin.ModelAdmin):
    list_display = [
        "subject",
        "cycle",
        "month_display",
        "status_display",
        "recipients",
        "deliveries",
    ]
    list_filter = [
        "status",
        "cycle__program",
        # Only the cycles that have issues.
        cycle_filter(
            "cycle",
            parameter_name="cycle",
            cycles=lambda: Cycle.objects.filter(newsletter_issues__isnull=False).distinct(),
            current_by_default=True,
        ),
    ]
    list_select_related = ["cycle__program"]
    search_fields = ["subject", "news"]
    ordering = ["-month", "cycle__program__position"]
    form = IssueForm
    add_form = IssueAddForm
    change_form_template = "admin/newsletter/newsletterissue/change_form.html"
    readonly_fields = ["cycle", "month_display", "status_summary"]
    # The archive page is for participants; staff read an issue in its preview.
    view_on_site = False

    class Media:
        css = {"all": ["newsletter/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"cycle", "discussion_activity", *CHOICE_LISTS}:
            # Choices only: a cycle, an activity or an event is added on its own page,
            # with its own checks, not from here.
            if db_field.name in CHOICE_LISTS:
                kwargs["widget"] = forms.CheckboxSelectMultiple(
                    attrs={"class": "newsletter-choices"}
                )
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # --- Lists and forms -------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.issues_with_counts().select_related("cycle__program")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["cycle", "month"]})]
        return [
            (None, {"fields": ["status_summary", ("cycle", "month_display"), "subject", "news"]}),
            (
                "Discussion question",
                {
                    "fields": ["discussion_activity", "own_discussion_question"],
                    "description": "Pick a question from the bank (each activity of the "
                    "catalog may carry one), or ask your own instead.",
                },
            ),
            ("Suggested activities", {"fields": ["featured_activities"]}),
            (
                "Coming up",
                {
                    "fields": ["events", "milestones"],
                    "description": "Events and milestones of the cycle to announce; the "
                    "draft starts with those of this month and the next.",
                },
            ),
            (
                _("In Spanish"),
                {
                    "fields": ["subject_es", "news_es", "own_discussion_question_es"],
                    "description": _(
                        "Optional: readers whose language is Spanish get the issue with "
                        "these; where one is empty, they read the English."
                    ),
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_changeform_initial_data(self, request):
        """Next month, in the program year under way (the latest to have started)."""
        # Each program's day is its own time zone's: near midnight it differs from the
        # server's, and so, on the last day of a month, does "next month".
        server_day, one_day = timezone.localdate(), dt.timedelta(days=1)
        candidates = (
            Cycle.objects.filter(
                starts_on__lte=server_day + one_day, ends_on__gte=server_day - one_day
            )
            .select_related("program")
            .order_by("-starts_on")
        )
        running = next(
            (c for c in candidates if c.starts_on <= c.program.today() <= c.ends_on), None
        )
        today = running.program.today() if running else server_day
        return {
            "month": add_months(month_start(today), 1),
            **({"cycle": running.pk} if running else {}),
            **super().get_changeform_initial_data(request),
        }

    def has_change_permission(self, request, obj=None) -> bool:
        # An issue being sent or sent is shown as it went out. A save posted for it (it
        # started going out while staff edited) reaches the form, which refuses it and
        # shows what was typed rather than a bare "forbidden".
        if obj is not None and not obj.is_editable and request.method != "POST":
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only a draft may go: a scheduled or sent issue has (or will have) deliveries.
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(issue.status != Status.DRAFT for issue in objs):
            protected = [
                *protected,
                "Scheduled and sent issues are kept; only drafts can be deleted.",
            ]
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        """Adding drafts the issue (pre-filled); saving an edit goes through the service,
        which refuses an issue that started going out meanwhile."""
        if not change:
            # The draft is written in English (its Spanish is added beside it), whatever
            # language staff read the admin in.
            with translation.override(settings.LANGUAGE_CODE):
                created = services.issue_draft_create(
                    cycle=form.cleaned_data["cycle"],
                    month=form.cleaned_data["month"],
                    by=request.user,
                )
            obj.__dict__.update(
                {key: value for key, value in created.__dict__.items() if key != "_state"}
            )
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        data = form.cleaned_data
        try:
            services.issue_update(
                issue=obj,
                by=request.user,
                subject=data["subject"],
                news=data["news"],
                discussion_activity=data["discussion_activity"],
                own_discussion_question=data["own_discussion_question"],
                featured_activities=data["featured_activities"],
                events=data["events"],
                milestones=data["milestones"],
                spanish={
                    name: data.get(f"{name}_es") or ""
                    for name in ("subject", "news", "own_discussion_question")
                },
            )
        except ValidationError as exc:
            request._newsletter_refused = " ".join(exc.messages)

    def save_related(self, request, form, formsets, change):
        # The service saved the issue's activities, events and milestones.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            gettext(
                "Drafted “%(subject)s”: the month's milestones, the next question of the bank, "
                "activities for the phase and what is coming up are filled in. Add the news, "
                "preview it, then schedule it."
            )
            % {"subject": obj.subject},
            messages.SUCCESS,
        )
        return redirect("admin:newsletter_newsletterissue_change", obj.pk)

    def response_change(self, request, obj):
        refused = getattr(request, "_newsletter_refused", None)
        if refused:
            self.message_user(request, refused, messages.ERROR)
            return redirect("admin:newsletter_newsletterissue_change", obj.pk)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["counts"] = (
                selectors.delivery_counts(obj) if obj.status != Status.DRAFT else None
            )
            context["program_tz"] = obj.cycle.program.time_zone
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Columns ----------------------------------------------------------------------

    @admin.display(description=_("Month"), ordering="month")
    def month_display(self, issue: NewsletterIssue) -> str:
        return month_year(issue.month)

    @admin.display(description=_("Status"), ordering="send_at")
    def status_display(self, issue: NewsletterIssue) -> str:
        """The status, with when it goes or went out (in the program's time zone)."""
        if issue.status == Status.DRAFT:
            return gettext("Draft")
        when = {"when": local_time(issue.send_at, issue.cycle.program.tz)}
        if issue.status == Status.SCHEDULED:
            return gettext("Scheduled for %(when)s") % when
        if issue.status == Status.SENDING:
            return gettext("Sending since %(when)s") % when
        return gettext("Sent %(when)s") % when

    @admin.display(description=_("Recipients"), ordering="recipients_count")
    def recipients(self, issue: NewsletterIssue):
        return "—" if issue.recipients_count is None else issue.recipients_count

    @admin.display(description=_("Deliveries"))
    def deliveries(self, issue: NewsletterIssue):
        if issue.status in (Status.DRAFT, Status.SCHEDULED):
            return "—"
        url = reverse("admin:newsletter_newsletterissue_report", args=[issue.pk])
        links = {
            status: format_html('<a href="{}?status={}">{}</a>', url, status, count)
            for status, count in (
                ("delivered", issue.delivered),
                ("failed", issue.failed),
                ("pending", issue.pending),
            )
        }
        # The sentence in the staff member's language, escaped, with each count a link to
        # the report's rows of that status.
        sentence = gettext("%(delivered)s delivered, %(failed)s failed, %(pending)s pending")
        return SafeString(conditional_escape(sentence) % links)

    @admin.display(description=_("Status"))
    def status_summary(self, issue: NewsletterIssue) -> str:
        tz = issue.cycle.program.tz
        if issue.status == Status.DRAFT:
            if issue.auto_drafted:
                return gettext(
                    "Draft: not scheduled yet. Drafted automatically from the timeline and "
                    "the catalog."
                )
            return gettext("Draft: not scheduled yet.")
        if issue.status == Status.SCHEDULED:
            when = {"when": local_time(issue.send_at, tz)}
            if issue.scheduled_by:
                return gettext("Scheduled by %(by)s to go out %(when)s.") % {
                    **when,
                    "by": issue.scheduled_by,
                }
            return gettext("Scheduled to go out %(when)s.") % when
        if issue.status == Status.SENDING:
            return gettext("Going out since %(when)s.") % {"when": local_time(issue.claimed_at, tz)}
        return gettext("Sent: every delivery finished %(when)s.") % {
            "when": local_time(issue.sent_at, tz)
        }


class ReminderFilter(admin.SimpleListFilter):
    title = _("reminder")
    parameter_name = "reminder"

    def lookups(self, request, model_admin):
        return list(REMINDER_NAMES.items())

    def queryset(self, request, queryset):
        if self.value() in REMINDER_NAMES:
            return queryset.filter(kind=f"reminder.{self.value()}")
        return queryset


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The reminders that went out: to whom, which, for what occasion, and what became
    of each."""

    list_display = [
        "to_email",
        "recipient",
        "reminder",
        "subject",
        "status",
        "created_at",
        "sent_at",
    ]
    list_filter = [ReminderFilter, "status"]
    list_select_related = ["recipient"]
    search_fields = ["to_email", "recipient__full_name", "subject", "message_key"]
    date_hierarchy = "created_at"
    fields = [
        ("to_email", "recipient"),
        ("reminder", "message_key"),
        "subject",
        ("status", "attempts", "last_error"),
        ("created_at", "sent_at"),
        "body_text",
    ]
    readonly_fields = [
        "to_email",
        "recipient",
        "reminder",
        "message_key",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "body_text",
    ]

    @admin.display(description=_("Reminder"), ordering="kind")
    def reminder(self, delivery: SentReminder) -> str:
        return REMINDER_NAMES.get(delivery.reminder_name, delivery.reminder_name)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    """Who turned the newsletter or reminders off (people change it on their own page or
    with the link in any email)."""

    list_display = ["user", "user_email", "newsletter", "reminders", "updated_at"]
    list_filter = ["newsletter", "reminders"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["user", "newsletter", "reminders", "updated_at"]

    @admin.display(description=_("Email"), ordering="user__email")
    def user_email(self, preference: EmailPreference) -> str:
        return preference.user.email

    def get_queryset(self, request):
        return super().get_queryset(request).filter(Q(newsletter=False) | Q(reminders=False))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
