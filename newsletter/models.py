"""The monthly newsletter: one issue per cycle and month, and each person's email
preferences (newsletter and reminders on or off).

An issue is written by staff (or drafted by the daily beat task and accepted by staff),
scheduled for a send time, claimed by the beat task when it is due, fanned out to one
``Delivery`` per recipient (``message_key`` ``newsletter:<pk>``), and sent once every
delivery has finished. Each recipient's copy is rendered when it is sent, with their
own goal section.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from mentoring.dates import month_year
from mentoring.limits import PAGE_MAX_LENGTH, PROSE_MAX_LENGTH
from mentoring.models import Cycle, Delivery, Event, Milestone

ISSUE_KIND = "newsletter.issue"
TEST_KIND = "newsletter.test"
DRAFT_READY_KIND = "newsletter.draft_ready"
REMINDER_KIND_PREFIX = "reminder."


def issue_message_key(issue_id: int) -> str:
    """The delivery key of an issue: one delivery per recipient is recorded under it."""
    return f"newsletter:{issue_id}"


def issue_id_from_key(message_key: str) -> int:
    return int(message_key.removeprefix("newsletter:"))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day, 1) - dt.timedelta(days=1)


def program_months(cycle: Cycle) -> list[dt.date]:
    """The months an issue can be written for: from the month the program starts to the
    month it concludes (each as its first day)."""
    months, month = [], month_start(cycle.starts_on)
    while month <= cycle.ends_on:
        months.append(month)
        month = add_months(month, 1)
    return months


class NewsletterIssueQuerySet(models.QuerySet):
    def released(self) -> NewsletterIssueQuerySet:
        """Issues that went out (or are going out): what participants may read."""
        return self.filter(status__in=[NewsletterIssue.Status.SENDING, NewsletterIssue.Status.SENT])


class NewsletterIssue(models.Model):
    """One monthly newsletter of a cycle: news, a discussion question, featured
    activities and what is coming up on the timeline, with each recipient's own goals."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    # The only status changes there are; the services refuse anything else. Staff
    # schedule and unschedule; the beat task claims a due issue (scheduled → sending)
    # and marks it sent once every recipient's delivery has finished.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SCHEDULED}),
        Status.SCHEDULED: frozenset({Status.DRAFT, Status.SENDING}),
        Status.SENDING: frozenset({Status.SENT}),
        Status.SENT: frozenset(),
    }
    EDITABLE = frozenset({Status.DRAFT, Status.SCHEDULED})

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="newsletter_issues", verbose_name=_("cycle")
    )
    month = models.DateField(_("month"), help_text=_("The month the issue is for (its first day)."))
    subject = models.CharField(
        _("subject"), max_length=200, help_text=_("The email's subject line.")
    )
    news = models.TextField(
        _("news"),
        max_length=PAGE_MAX_LENGTH,
        blank=True,
        help_text=_(
            "News, events and information, in Markdown: **bold**, *italic*, "
            "[a link](https://example.org), lists starting with “- ”, headings with “### ”."
        ),
    )
    news_html = models.TextField(
        _("news html"),
        blank=True,
        editable=False,
        help_text=_("The news as sanitized HTML (from the Markdown)."),
    )
    discussion_activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("discussion question from the bank"),
        help_text=_("An activity of the catalog whose discussion question this issue asks."),
    )
    own_discussion_question = models.TextField(
        _("your own discussion question"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_("Optional: asked instead of the bank's question."),
    )
    featured_activities = models.ManyToManyField(
        Activity,
        blank=True,
        related_name="+",
        help_text=_("Suggested activities for the month, from the catalog."),
        verbose_name=_("featured activities"),
    )
    events = models.ManyToManyField(
        Event,
        blank=True,
        related_name="+",
        help_text=_("Events of the cycle to announce."),
        verbose_name=_("events"),
    )
    milestones = models.ManyToManyField(
        Milestone,
        blank=True,
        related_name="+",
        help_text=_("Milestones of the cycle to mention."),
        verbose_name=_("milestones"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    send_at = models.DateTimeField(
        _("send at"), null=True, blank=True, help_text=_("When a scheduled issue goes out.")
    )
    auto_drafted = models.BooleanField(
        _("auto drafted"),
        default=False,
        help_text=_("Drafted by the daily task from the timeline and the catalog."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    claimed_at = models.DateTimeField(
        _("claimed at"),
        null=True,
        blank=True,
        help_text=_("When the send task took the issue to fan it out."),
    )
    fanned_out_at = models.DateTimeField(
        _("fanned out at"),
        null=True,
        blank=True,
        help_text=_("When every recipient's delivery was recorded."),
    )
    recipients_count = models.PositiveIntegerField(_("recipients count"), null=True, blank=True)
    sent_at = models.DateTimeField(
        _("sent at"),
        null=True,
        blank=True,
        help_text=_("When every recipient's delivery had finished."),
    )

    objects = NewsletterIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "cycle"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "month"], name="newsletter_issue_per_month"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="newsletter_issue_month_is_first_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(send_at__isnull=False),
                name="newsletter_issue_scheduled_has_send_time",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or gettext("%(cycle)s newsletter, %(month)s") % {
            "cycle": self.cycle,
            "month": month_year(self.month),
        }

    def get_absolute_url(self) -> str:
        return reverse("newsletter:issue", kwargs={"pk": self.pk})

    @property
    def message_key(self) -> str:
        return issue_message_key(self.pk)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def discussion_question(self) -> str:
        """The question the issue asks: staff's own, else the bank's."""
        if self.own_discussion_question.strip():
            return self.own_discussion_question.strip()
        if self.discussion_activity is not None:
            return self.discussion_activity.discussion_question.strip()
        return ""

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class EmailPreference(models.Model):
    """What a person wants from the program besides the emails about their own
    application, match and goal sheet (those always go out). No row means both on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preference",
        verbose_name=_("user"),
    )
    newsletter = models.BooleanField(
        _("monthly newsletter"),
        default=True,
        help_text=_("News, events, a discussion question, suggested activities and your goals."),
    )
    reminders = models.BooleanField(
        _("reminders"),
        default=True,
        help_text=_(
            "Before applications close, before your goal sheet is due, a monthly "
            "check-in nudge, and at the program's conclusion."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"


class SentReminderManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind__startswith=REMINDER_KIND_PREFIX)


class SentReminder(Delivery):
    """The reminders among the deliveries, for staff to see what was sent to whom."""

    objects = SentReminderManager()

    class Meta:
        proxy = True
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    @property
    def reminder_name(self) -> str:
        return self.kind.removeprefix(REMINDER_KIND_PREFIX)


GROUP_MESSAGE_KIND = "newsletter.group_message"


def group_message_key(message_id: int) -> str:
    """The delivery key of a message to a group: one delivery per recipient under it."""
    return f"group-message:{message_id}"


class GroupMessage(models.Model):
    """A message staff write to the people of a list in admin (the mentees whose goal
    sheet is overdue, say): chosen with an action on the whole filtered list, written in
    Markdown, previewed as any recipient and sent once, one delivery per person."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Program business")
        NEWS = "news", _("News")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(
        _("body"),
        max_length=PAGE_MAX_LENGTH,
        blank=True,
        help_text=_(
            "In Markdown: **bold**, *italic*, [a link](https://example.org), lists "
            "starting with “- ”. Each copy starts with “Hello” and the person's first name."
        ),
    )
    body_html = models.TextField(_("body html"), blank=True, editable=False)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.BUSINESS,
        help_text=_(
            "Program business (a deadline, a change of plan, what someone must do) "
            "reaches everyone. News is left out for people who turned the newsletter off, "
            "and carries its unsubscribe link."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source = models.CharField(
        _("written to"),
        max_length=300,
        help_text=_("The list its recipients were chosen from, with its filters."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to a group")
        verbose_name_plural = _("messages to a group")
        permissions = [("send_groupmessage", "Can send a message to a group")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="group_message_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or gettext("Message to %(source)s") % {"source": self.source}

    @property
    def message_key(self) -> str:
        return group_message_key(self.pk)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class GroupMessageRecipient(models.Model):
    """One person a message to a group is for, and what became of their copy: its
    delivery, or why they were left out (news to someone who turned it off)."""

    message = models.ForeignKey(
        GroupMessage, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("message")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    delivery = models.ForeignKey(
        Delivery,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("delivery"),
    )
    left_out = models.CharField(_("left out"), max_length=200, blank=True)

    class Meta:
        ordering = ["message", "pk"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "person"], name="group_message_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)
