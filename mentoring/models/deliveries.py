"""Email deliveries (the outbox every app writes to) and spent one-time form tokens."""

from __future__ import annotations

import datetime as dt
import functools
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import User


def new_message_id() -> str:
    """A Message-ID for a delivery, on the sender's domain. It is stored with the row
    before the first attempt and sent on every attempt, so a copy sent again after a
    crash is the same message, which mail systems and clients fold into one."""
    return make_msgid(idstring="delivery", domain=_sender_domain(settings.DEFAULT_FROM_EMAIL))


@functools.lru_cache(maxsize=8)
def _sender_domain(from_email: str) -> str:
    # Parsed once, not once a row: a newsletter's fan-out records 10,000 at a time.
    return parseaddr(from_email)[1].rpartition("@")[2] or "mentoring.invalid"


class DeliveryQuerySet(models.QuerySet):
    def stalled(self, *, now: dt.datetime, claim_timeout: dt.timedelta, queued_before: dt.datetime):
        """Deliveries a worker should have sent by now: queued but never picked up (the
        broker was down when they were queued), or claimed by a worker that died."""
        return self.filter(
            Q(status=Delivery.Status.PENDING, created_at__lt=queued_before)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - claim_timeout)
        )


class Delivery(models.Model):
    """One email message to one recipient, and what became of it.

    The row is written in the same transaction as the change that causes the email; the
    send task claims it with a conditional update, so a task that runs twice, or two
    workers, still send it once. ``message_key`` names the message (an application's
    decision, a newsletter issue); with the address it is unique, so asking twice for the
    same message to the same person records nothing new.

    Sending is at-least-once, with one Message-ID: a worker that dies between the mail
    server's accept and marking the row sent leaves it claimed, and it is sent again once
    the claim expires, as the same message (``message_id``), never as a second one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")

    message_key = models.CharField(_("message key"), max_length=200)
    message_id = models.CharField(
        _("Message-ID"),
        max_length=255,
        unique=True,
        default=new_message_id,
        editable=False,
        help_text=_("The same on every attempt: a copy sent again is the same message."),
    )
    kind = models.CharField(
        _("kind"), max_length=100, db_index=True, help_text=_("Which email this is.")
    )
    recipient = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    to_email = models.EmailField(_("to email"))
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("body text"), blank=True)
    body_html = models.TextField(_("body html"), blank=True)
    renderer = models.CharField(
        _("renderer"),
        max_length=200,
        blank=True,
        help_text=_("For messages rendered when sent (newsletters): the function that renders it."),
    )
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["message_key", "to_email"], name="delivery_once_per_message_and_address"
            ),
        ]
        indexes = [
            # "Is a later email to this address?" (the program health page's bouncing
            # newsletters): without it, that question scanned every delivery.
            models.Index(fields=["to_email", "created_at"], name="delivery_address_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email}"


class SpentFormToken(models.Model):
    """A one-time form token that has been used (``mentoring/form_tokens.py``).

    The nonce is unique, so of two posts of the same form (a double click, the back
    button) only the first can record its row; the second finds the token spent. It holds
    nothing about the person: the token's signature ties it to them, not this row.
    """

    nonce = models.CharField(_("nonce"), max_length=32, unique=True)
    spent_at = models.DateTimeField(_("spent at"), default=timezone.now)

    class Meta:
        verbose_name = _("spent form token")
        verbose_name_plural = _("spent form tokens")

    def __str__(self) -> str:
        return self.nonce
