"""Messages to a group, in admin: an action on the lists of applications, matches and goal
sheets ("Message the mentees", on the whole filtered list) drafts a message to the people
of the rows chosen; staff write it, preview it as any recipient and send it once; the
messages sent are listed with each recipient's delivery."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from mentoring import form_tokens
from mentoring.admin_lists import list_action_offer

from . import emails, group_messages
from .admin_pages import PREVIEW_POLICY
from .models import GroupMessage

SEND_PERMISSION = "newsletter.send_groupmessage"
# Query-string keys of a changelist that are not filters.
NOT_FILTERS = {"o", "p", "q", "_changelist_filters", "all"}


def _source(queryset, request: HttpRequest, rows: int) -> str:
    """The list the people were chosen from, as staff will read it later."""
    opts = queryset.model._meta
    things = opts.verbose_name if rows == 1 else opts.verbose_name_plural
    filters = [f"{key}: {value}" for key, value in request.GET.items() if key not in NOT_FILTERS]
    if request.GET.get("q"):
        filters.append(gettext("search “%(query)s”") % {"query": request.GET["q"]})
    return f"{rows} {things}" + (f" ({', '.join(filters)})" if filters else "")


# "Writing to 3 mentees: those of the 5 goal sheets chosen.", one whole sentence per kind
# of recipient (the languages count and agree differently).
WRITING_TO = {
    "people": lambda count: ngettext(
        "Writing to %(count)s person: those of the %(rows)s %(things)s chosen.",
        "Writing to %(count)s people: those of the %(rows)s %(things)s chosen.",
        count,
    ),
    "mentees": lambda count: ngettext(
        "Writing to %(count)s mentee: those of the %(rows)s %(things)s chosen.",
        "Writing to %(count)s mentees: those of the %(rows)s %(things)s chosen.",
        count,
    ),
    "mentors": lambda count: ngettext(
        "Writing to %(count)s mentor: those of the %(rows)s %(things)s chosen.",
        "Writing to %(count)s mentors: those of the %(rows)s %(things)s chosen.",
        count,
    ),
}


def _message_action(name: str, description: str, people_of, noun: str):
    """An action drafting a message to the people (``noun``: a key of WRITING_TO) of the
    rows chosen."""

    def action(modeladmin, request: HttpRequest, queryset):
        rows = queryset.count()
        people = people_of(queryset)
        try:
            message = group_messages.group_message_draft(
                people=people, source=_source(queryset, request, rows), by=request.user
            )
        except ValidationError as exc:
            modeladmin.message_user(request, " ".join(exc.messages), messages.WARNING)
            return None
        count = message.recipients.count()
        whole = request.POST.get("select_across") == "1"
        opts = queryset.model._meta
        things = opts.verbose_name if rows == 1 else opts.verbose_name_plural
        sentences = [WRITING_TO[noun](count) % {"count": count, "rows": rows, "things": things}]
        if whole:
            sentences.append(gettext("They are the whole filtered list, every page."))
        sentences.append(gettext("Write the message, preview it, then send it."))
        modeladmin.message_user(request, " ".join(sentences), messages.SUCCESS)
        return redirect("admin:newsletter_groupmessage_change", message.pk)

    action.__name__ = name
    return admin.action(description=description)(action)


list_action_offer(
    "applications.application",
    _message_action(
        "message_applicants", _("Message the applicants"), group_messages.applicants_of, "people"
    ),
    permission=SEND_PERMISSION,
)
list_action_offer(
    "matches.match",
    _message_action(
        "message_partners", _("Message both partners"), group_messages.partners_of, "people"
    ),
    permission=SEND_PERMISSION,
)
list_action_offer(
    "goals.goalsheet",
    _message_action(
        "message_mentees", _("Message the mentees"), group_messages.mentees_of, "mentees"
    ),
    permission=SEND_PERMISSION,
)
list_action_offer(
    "goals.goalsheet",
    _message_action(
        "message_mentors", _("Message the mentors"), group_messages.mentors_of, "mentors"
    ),
    permission=SEND_PERMISSION,
)


class GroupMessageAdmin(admin.ModelAdmin):
    list_display = ["subject_display", "source", "kind", "status_display", "recipients", "copies"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "body", "source"]
    fields = ["source", "subject", "kind", "body"]
    readonly_fields = ["source"]
    view_on_site = False
    change_form_template = "admin/newsletter/groupmessage/change_form.html"

    def get_queryset(self, request):
        return group_messages.group_messages_with_counts()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return ["source", "subject", "kind", "body", "sent"]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return ["source", "subject", "kind", "sent", "body"]
        return self.fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A sent message lists each recipient's delivery (a draft's recipients are on its
        # preview, to choose whose copy to read).
        if obj is not None and not obj.is_draft:
            context["recipients"] = group_messages.group_message_recipients(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_add_permission(self, request) -> bool:
        return False  # a message starts from a list: the action on its rows

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_draft and request.method != "POST":
            return False  # shown as it went out
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_draft:
            return False  # what was sent stays recorded
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not message.is_draft for message in objs):
            protected = [*protected, gettext("Sent messages are kept; only drafts can be deleted.")]
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            group_messages.group_message_update(
                message=obj, subject=data["subject"], body=data["body"], kind=data["kind"]
            )
        except ValidationError as exc:
            request._group_message_refused = " ".join(exc.messages)

    def response_change(self, request, obj):
        refused = getattr(request, "_group_message_refused", None)
        if refused:
            self.message_user(request, refused, messages.ERROR)
            return redirect("admin:newsletter_groupmessage_change", obj.pk)
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        return redirect("admin:newsletter_groupmessage_preview", obj.pk)

    # --- Columns ----------------------------------------------------------------------

    @admin.display(description=_("Subject"), ordering="subject")
    def subject_display(self, message: GroupMessage) -> str:
        return message.subject or gettext("(no subject yet)")

    @admin.display(description=_("Status"), ordering="sent_at")
    def status_display(self, message: GroupMessage) -> str:
        if message.is_draft:
            return gettext("Draft")
        return gettext("Sent %(when)s") % {
            "when": date_format(timezone.localtime(message.sent_at), "DATETIME_FORMAT")
        }

    @admin.display(description=_("Recipients"), ordering="recipients_count")
    def recipients(self, message: GroupMessage) -> int:
        return message.recipients_count

    @admin.display(description=_("Deliveries"))
    def copies(self, message: GroupMessage) -> str:
        if message.is_draft:
            return "—"
        return gettext(
            "%(delivered)s delivered, %(failed)s failed, %(pending)s pending, %(left_out)s left out"
        ) % {
            "delivered": message.delivered,
            "failed": message.failed,
            "pending": message.pending,
            "left_out": message.left_out_count,
        }

    @admin.display(description=_("Sent"))
    def sent(self, message: GroupMessage) -> str:
        return gettext("%(status)s: %(copies)s. Each recipient's delivery is listed below.") % {
            "status": self.status_display(message),
            "copies": self.copies(message),
        }

    # --- The preview and the send -------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/",
                view(self.preview_view),
                name="newsletter_groupmessage_preview",
            ),
            path(
                "<int:pk>/preview/email.html",
                view(self.preview_html_view),
                name="newsletter_groupmessage_preview_html",
            ),
            path("<int:pk>/send/", view(self.send_view), name="newsletter_groupmessage_send"),
            *super().get_urls(),
        ]

    def _message(self, request: HttpRequest, pk: int) -> GroupMessage:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(group_messages.group_messages_with_counts(), pk=pk)

    def _reader(self, message: GroupMessage, request: HttpRequest):
        reader = group_messages.recipient_of(message, request.GET.get("recipient"))
        if reader is None:
            raise Http404("Not a recipient of this message")
        return reader

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The message as a chosen recipient reads it, and the send button."""
        message = self._message(request, pk)
        reader = self._reader(message, request)
        recipients = group_messages.group_message_recipients(message)
        turned_off = group_messages.turned_off_count(message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Preview: %(message)s") % {"message": message},
            "message": message,
            "original": message,
            "reader": reader,
            "recipients": recipients,
            "rendered": emails.render_group_message(message, reader),
            "turned_off": turned_off if message.kind == GroupMessage.Kind.NEWS else 0,
            "can_send": message.is_draft and request.user.has_perm(SEND_PERMISSION),
            "form_token": form_tokens.issue(request.user),
            "has_change_permission": self.has_change_permission(request, message),
        }
        return TemplateResponse(request, "admin/newsletter/groupmessage/preview.html", context)

    @xframe_options_sameorigin
    def preview_html_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = self._message(request, pk)
        html = emails.render_group_message(message, self._reader(message, request)).html
        html = html.replace("<head>", '<head>\n<base target="_blank">', 1)
        response = HttpResponse(html)
        response["Content-Security-Policy"] = PREVIEW_POLICY
        return response

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Send once: the form's one-time token and the message's status both make a
        second press (or a second tab) send nothing."""
        if request.method != "POST":
            return redirect("admin:newsletter_groupmessage_preview", pk)
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        message = self._message(request, pk)
        try:
            with transaction.atomic():
                fresh = form_tokens.spend(
                    user=request.user, token=request.POST.get(form_tokens.FIELD, "")
                )
                sent = (
                    group_messages.group_message_send(message=message, by=request.user)
                    if fresh
                    else 0
                )
        except form_tokens.FormTokenError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:newsletter_groupmessage_preview", pk)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return redirect("admin:newsletter_groupmessage_preview", pk)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "Sent: %(sent)s copy, one to each recipient. Its delivery is listed below.",
                    "Sent: %(sent)s copies, one to each recipient. Their deliveries are listed "
                    "below.",
                    sent,
                )
                % {"sent": sent},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext("This message was sent already: nothing was sent again."),
                messages.INFO,
            )
        return redirect("admin:newsletter_groupmessage_change", pk)


admin.site.register(GroupMessage, GroupMessageAdmin)
