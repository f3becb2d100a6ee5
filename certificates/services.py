"""Writes of the certificates: issuing them when a match concludes, and withholding."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from goals.models import GoalSheet
from matches.models import Match
from mentoring.models import User

from .models import Certificate


def certificates_issue(*, match: Match) -> list[Certificate]:
    """A certificate for each partner of a concluded match whose goal sheet was agreed
    (at least once). Safe to call again: a partner's certificate is made once."""
    if match.status != Match.Status.CONCLUDED:
        return []
    sheet = GoalSheet.objects.filter(match=match).only("agreed_revision").first()
    if sheet is None or not sheet.has_agreement:
        return []
    certificates = []
    for application in (match.mentee, match.mentor):
        for _attempt in range(3):  # a code already taken (1 in 10^12): draw another
            try:
                with transaction.atomic():
                    certificate, _ = Certificate.objects.get_or_create(
                        match=match, application=application
                    )
                break
            except IntegrityError:
                continue
        certificates.append(certificate)
    return certificates


def on_match_concluded(sender, *, match: Match, **kwargs) -> None:
    """matches.signals.match_concluded: issue the pair's certificates."""
    certificates_issue(match=match)


def certificate_withhold(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """Withhold a certificate, saying why: it can no longer be downloaded or verified."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withheld_reason": gettext("Say why the certificate is withheld.")})
    certificate.withheld_reason = reason
    certificate.withheld_by = by
    certificate.withheld_at = certificate.withheld_at or timezone.now()
    certificate.full_clean()
    certificate.save(update_fields=["withheld_reason", "withheld_by", "withheld_at"])
    return certificate


def certificate_release(*, certificate: Certificate) -> Certificate:
    """Give a withheld certificate back (downloadable and verifiable again)."""
    certificate.withheld_reason = ""
    certificate.withheld_by = None
    certificate.withheld_at = None
    certificate.save(update_fields=["withheld_reason", "withheld_by", "withheld_at"])
    return certificate
