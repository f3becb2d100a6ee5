"""A person's data across the site: what they can download, and what is erased when they
delete their account; and what is left of a finished cycle once staff anonymise it.

Each app that holds personal data has a ``privacy.py``, found here in INSTALLED_APPS
order (like ``content.py`` and ``demo.py``), with:

- ``export_personal_data(user) -> dict``: everything the app holds about the person, as
  JSON-serialisable data (the key is the app's label in the download);
- ``erase_personal_data(user) -> None``: anonymise what the app holds about the person,
  keeping what staff need for reports without the person's identity. Called in one
  transaction, before the account itself is deleted, in the reverse order (an app's
  rows are erased before those of the apps it builds on, which it finds them through);

and optionally, for staff anonymising a finished cycle:

- ``cycle_personal_data(cycle) -> dict[str, int]``: what there is to anonymise, counted;
- ``anonymise_cycle(cycle) -> None``: anonymise it; safe to run twice.

Both sides call the same queryset functions of the app, so a person's erasure and a
cycle's anonymisation leave the same traces. This module is also the core's own privacy
module: the account, its email addresses, and the emails recorded for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from allauth.account.models import EmailAddress
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .discovery import app_modules
from .models import Delivery

ERASED = "Erased: the person deleted their account."


def privacy_modules() -> Iterator[tuple[str, ModuleType]]:
    for config, module in app_modules("privacy"):
        yield config.label, module


def personal_data_export(user) -> dict:
    """Everything the site holds about ``user``, app by app, for them to download."""
    data: dict = {"exported_at": timezone.now().isoformat()}
    for label, module in privacy_modules():
        data[label] = module.export_personal_data(user)
    return data


def personal_data_erase(user) -> None:
    """Every app anonymises what it holds about ``user`` (dependent apps first). The
    caller holds the transaction and deletes the account afterwards."""
    for _label, module in reversed(list(privacy_modules())):
        module.erase_personal_data(user)


def cycle_counts(cycle) -> dict[str, int]:
    """What anonymising ``cycle`` touches, counted, in the apps' order."""
    counts: dict[str, int] = {}
    for _label, module in privacy_modules():
        if hasattr(module, "cycle_personal_data"):
            counts.update(module.cycle_personal_data(cycle))
    return counts


def cycle_erase(cycle) -> None:
    """Every app anonymises what it holds of ``cycle`` (dependent apps first)."""
    for _label, module in reversed(list(privacy_modules())):
        if hasattr(module, "anonymise_cycle"):
            module.anonymise_cycle(cycle)


# --- The core's own data: the account and its emails ------------------------------------


def _deliveries_of(user) -> QuerySet:
    return Delivery.objects.filter(Q(recipient=user) | Q(to_email__iexact=user.email))


def _claimed_elsewhere(user) -> Q:
    """The emails another app exports and erases itself (it has ``deliveries_of``)."""
    claimed = Q(pk__in=[])
    for label, module in privacy_modules():
        if label != "mentoring" and hasattr(module, "deliveries_of"):
            claimed |= Q(pk__in=module.deliveries_of(user).values("pk"))
    return claimed


def deliveries_anonymise(deliveries: QuerySet, *, keep_subject: bool = True) -> int:
    """Keep each delivery for the counts (kind, status, dates) without the address, the
    person, the body or its headers; one not sent yet is not sent. The address is part
    of a unique key: each row gets its own placeholder, in one UPDATE."""
    deliveries.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]).update(
        status=Delivery.Status.FAILED, last_error=ERASED
    )
    changes = {
        "to_email": Concat(Value("erased-"), Cast("pk", CharField()), Value("@invalid.example")),
        "recipient": None,
        "body_text": "",
        "body_html": "",
        "headers": {},
    }
    if not keep_subject:
        changes["subject"] = ""
    return deliveries.update(**changes)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_personal_data(user) -> dict:
    # The emails without their bodies: an introduction carries the partner's contact.
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    deliveries = _deliveries_of(user).exclude(_claimed_elsewhere(user)).order_by("created_at", "pk")
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_name": user.preferred_name,
            "time_zone": user.time_zone,
            "joined_at": _iso(user.date_joined),
            "last_signed_in_at": _iso(user.last_login),
            "committee_staff": user.is_staff,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        "emails": [
            {
                "kind": d.kind,
                "subject": d.subject,
                "to": d.to_email,
                "status": d.status,
                "recorded_at": _iso(d.created_at),
                "sent_at": _iso(d.sent_at),
            }
            for d in deliveries
        ],
    }


def erase_personal_data(user) -> None:
    """The emails recorded for the person lose their address, subject and body (their
    counts stay); the email addresses go with the account."""
    deliveries_anonymise(_deliveries_of(user), keep_subject=False)
    EmailAddress.objects.filter(user=user).delete()
