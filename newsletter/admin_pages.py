"""An issue's own admin pages: the preview, a test send, scheduling, and the delivery report
with its retry."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin

from mentoring.dates import clock, long_date
from mentoring.models import Delivery, User

from . import emails, selectors, services
from .forms import RecipientSearchForm, ScheduleForm
from .models import NewsletterIssue

Status = NewsletterIssue.Status
# The preview frame shows the email as mail clients do: inline styles, nothing else.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
REPORT_PAGE_SIZE = 100


def local_time(moment: dt.datetime | None, tz) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(tz)
    return f"{long_date(local)}, {clock(local)} {local:%Z}"


class IssuePages:
    """The preview, test, schedule and report pages of the issue admin."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/",
                view(self.preview_view),
                name="newsletter_newsletterissue_preview",
            ),
            path(
                "<int:pk>/preview/email.html",
                view(self.preview_html_view),
                name="newsletter_newsletterissue_preview_html",
            ),
            path(
                "<int:pk>/test/", view(self.send_test_view), name="newsletter_newsletterissue_test"
            ),
            path(
                "<int:pk>/schedule/",
                view(self.schedule_view),
                name="newsletter_newsletterissue_schedule",
            ),
            path(
                "<int:pk>/unschedule/",
                view(self.unschedule_view),
                name="newsletter_newsletterissue_unschedule",
            ),
            path(
                "<int:pk>/report/", view(self.report_view), name="newsletter_newsletterissue_report"
            ),
            path(
                "<int:pk>/progress/",
                view(self.progress_view),
                name="newsletter_newsletterissue_progress",
            ),
            path(
                "<int:pk>/retry-failed/",
                view(self.retry_failed_view),
                name="newsletter_newsletterissue_retry_failed",
            ),
            *super().get_urls(),
        ]

    def _issue(self, request: HttpRequest, pk: int, *, change: bool = False) -> NewsletterIssue:
        allowed = (
            self.has_change_permission(request) if change else self.has_view_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        return get_object_or_404(NewsletterIssue.objects.select_related("cycle__program"), pk=pk)

    def _recipient(self, issue: NewsletterIssue, request: HttpRequest) -> User | None:
        """The recipient chosen to preview as (``?recipient=<id>``), else a sample."""
        chosen = request.GET.get("recipient") or request.POST.get("recipient")
        if chosen and chosen.isdigit():
            found = selectors.issue_recipients(issue).filter(pk=int(chosen)).first()
            if found is None:
                raise Http404("Not a recipient of this issue")
            return found
        samples = selectors.sample_recipients(issue)
        return next((person for person in samples.values() if person is not None), None)

    def _context(self, request: HttpRequest, issue: NewsletterIssue, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "issue": issue,
            "original": issue,
            "has_change_permission": self.has_change_permission(request, issue),
            **extra,
        }

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The issue as a chosen recipient reads it: HTML in a frame, and the text part."""
        issue = self._issue(request, pk)
        recipient = self._recipient(issue, request)
        search = RecipientSearchForm(request.GET or None)
        found = (
            selectors.recipient_search(issue, search.data.get("q", "")) if search.is_valid() else []
        )
        rendered = emails.issue_preview(issue, recipient)
        context = self._context(
            request,
            issue,
            gettext("Preview: %(subject)s") % {"subject": issue.subject},
            recipient=recipient,
            samples=selectors.sample_recipients(issue),
            search=search,
            found=found,
            rendered=rendered,
            can_test=self.has_change_permission(request),
        )
        return TemplateResponse(request, "admin/newsletter/newsletterissue/preview.html", context)

    @xframe_options_sameorigin
    def preview_html_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(request, pk)
        html = emails.issue_preview(issue, self._recipient(issue, request)).html
        # Links open outside the preview frame.
        html = html.replace("<head>", '<head>\n<base target="_blank">', 1)
        response = HttpResponse(html)
        response["Content-Security-Policy"] = PREVIEW_POLICY
        return response

    def send_test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:newsletter_newsletterissue_preview", pk)
        issue = self._issue(request, pk, change=True)
        recipient = self._recipient(issue, request)
        try:
            services.issue_send_test(issue=issue, to=request.user, as_recipient=recipient)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            if recipient:
                sentence = gettext(
                    "A test copy, as %(recipient)s reads it, is on its way to %(email)s."
                ) % {"recipient": recipient, "email": request.user.email}
            else:
                sentence = gettext("A test copy is on its way to %(email)s.") % {
                    "email": request.user.email
                }
            self.message_user(
                request,
                sentence,
                messages.SUCCESS,
            )
        url = reverse("admin:newsletter_newsletterissue_preview", args=[pk])
        return HttpResponseRedirect(f"{url}?recipient={recipient.pk}" if recipient else url)

    def _suggested_send_at(self, issue: NewsletterIssue) -> dt.datetime:
        """The first of the issue's month at 9 am in the program's time zone, or the next
        full hour if that has passed."""
        tz = issue.cycle.program.tz
        first = dt.datetime.combine(issue.month, dt.time(9), tzinfo=tz)
        now = timezone.now().astimezone(tz)
        if first > now:
            return first
        return (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)

    def schedule_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Schedule a draft (or send it now); a scheduled issue can be taken back."""
        issue = self._issue(request, pk, change=True)
        tz = issue.cycle.program.tz
        suggested = self._suggested_send_at(issue)
        form = ScheduleForm(
            request.POST or None,
            tz=tz,
            initial={"send_on": suggested.date(), "send_time": suggested.time()},
        )
        if request.method == "POST" and issue.status == Status.DRAFT:
            send_now = "send_now" in request.POST
            if send_now or form.is_valid():
                send_at = timezone.now() if send_now else form.cleaned_data["send_at"]
                try:
                    services.issue_schedule(issue=issue, by=request.user, send_at=send_at)
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    self.message_user(
                        request,
                        gettext(
                            "It goes out within the minute. The counts below follow it as it goes."
                        )
                        if send_now
                        else gettext(
                            "Scheduled to go out %(when)s. You can take it back until then."
                        )
                        % {"when": local_time(send_at, tz)},
                        messages.SUCCESS,
                    )
                    if send_now:
                        return redirect("admin:newsletter_newsletterissue_report", pk)
                    return redirect("admin:newsletter_newsletterissue_change", pk)
        context = self._context(
            request,
            issue,
            gettext("Schedule: %(subject)s") % {"subject": issue.subject},
            form=form,
            media=self.media + form.media,
            send_at=local_time(issue.send_at, tz),
            recipients=selectors.issue_recipients(issue).count(),
            time_zone=issue.cycle.program.time_zone,
        )
        return TemplateResponse(request, "admin/newsletter/newsletterissue/schedule.html", context)

    def unschedule_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:newsletter_newsletterissue_schedule", pk)
        issue = self._issue(request, pk, change=True)
        try:
            services.issue_unschedule(issue=issue, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request, gettext("Back to a draft: it will not go out."), messages.SUCCESS
            )
        return redirect("admin:newsletter_newsletterissue_change", pk)

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Delivered, failed and pending counts, and each recipient's delivery."""
        issue = self._issue(request, pk)
        status = request.GET.get("status", "")
        if status == "delivered":
            status = Delivery.Status.SENT
        if status not in {"", "pending", *Delivery.Status.values}:
            status = ""
        query = request.GET.get("q", "")
        deliveries = selectors.issue_deliveries(issue, status=status, search=query)
        page = Paginator(deliveries, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
        context = self._context(
            request,
            issue,
            gettext("Delivery report: %(subject)s") % {"subject": issue.subject},
            counts=selectors.delivery_counts(issue),
            page=page,
            status=status,
            q=query,
            tz=issue.cycle.program.tz,
            can_retry=self.has_change_permission(request),
            filters=[
                ("", gettext("All")),
                (Delivery.Status.SENT, gettext("Delivered")),
                (Delivery.Status.FAILED, gettext("Failed")),
                ("pending", gettext("Pending")),
            ],
        )
        return TemplateResponse(request, "admin/newsletter/newsletterissue/report.html", context)

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """How far the sending is, as a fragment the report page fetches again every few
        seconds while it goes on (static/committee/progress.js): counts from the rows."""
        issue = self._issue(request, pk)
        context = {"issue": issue, "counts": selectors.delivery_counts(issue)}
        return TemplateResponse(request, "admin/newsletter/newsletterissue/_progress.html", context)

    def retry_failed_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return redirect("admin:newsletter_newsletterissue_report", pk)
        issue = self._issue(request, pk, change=True)
        queued = services.issue_retry_failed(issue=issue)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed delivery queued again.",
                "%(count)d failed deliveries queued again.",
                queued,
            )
            % {"count": queued}
            if queued
            else "No failed delivery to try again.",
            messages.SUCCESS if queued else messages.INFO,
        )
        return redirect("admin:newsletter_newsletterissue_report", pk)
