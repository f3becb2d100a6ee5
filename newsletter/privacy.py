"""What the newsletter holds about a person: their email preferences, and the newsletters
and reminders recorded for them (``Delivery`` rows of the newsletter's kinds)."""

from __future__ import annotations

from django.db.models import Q

from mentoring.models import Delivery, User
from mentoring.privacy import ERASED, deliveries_anonymise

from .models import DRAFT_READY_KIND, ISSUE_KIND, REMINDER_KIND_PREFIX, TEST_KIND, EmailPreference

__all__ = ["ERASED", "deliveries_of", "erase_personal_data", "export_personal_data"]


def deliveries_of(user: User):
    """The newsletters and reminders recorded for the person (the core leaves them to us)."""
    kinds = Q(kind__in=[ISSUE_KIND, TEST_KIND, DRAFT_READY_KIND]) | Q(
        kind__startswith=REMINDER_KIND_PREFIX
    )
    return Delivery.objects.filter(kinds).filter(Q(recipient=user) | Q(to_email__iexact=user.email))


def export_personal_data(user: User) -> dict:
    preference = EmailPreference.objects.filter(user=user).first()
    return {
        "email_preferences": {
            "newsletter": preference.newsletter if preference else True,
            "reminders": preference.reminders if preference else True,
            "changed_at": preference.updated_at.isoformat() if preference else None,
        },
        "emails": [
            {
                "kind": d.kind,
                "subject": d.subject,
                "to": d.to_email,
                "status": d.status,
                "recorded_at": d.created_at.isoformat(),
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in deliveries_of(user).order_by("created_at", "pk")
        ],
    }


def erase_personal_data(user: User) -> None:
    """Forget the preferences; keep each newsletter and reminder delivery for the
    program's counts without the address, the name or the body. A delivery not sent
    yet is not sent."""
    EmailPreference.objects.filter(user=user).delete()
    deliveries_anonymise(deliveries_of(user))
