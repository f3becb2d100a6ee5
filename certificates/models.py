"""A certificate of completion: one for each partner of a concluded match whose goal
sheet was agreed, with a short code anyone can verify."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from matches.models import Match
from mentoring.limits import PROSE_MAX_LENGTH

# No 0/O, 1/I/L: the code is read off paper and typed.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    """Eight characters (40 bits), shown as ABCD-EFGH."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed, as stored: capitals, no dashes or spaces."""
    return "".join(c for c in text.upper() if c.isalnum())


class CertificateQuerySet(models.QuerySet):
    def issued(self) -> CertificateQuerySet:
        """Certificates not withheld: the person may download them, anyone verify them."""
        return self.filter(withheld_at__isnull=True)


class Certificate(models.Model):
    match = models.ForeignKey(
        Match, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("match")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="certificates",
        help_text=_("The partner it certifies: their name and role."),
        verbose_name=_("application"),
    )
    code = models.CharField(
        _("code"), max_length=CODE_LENGTH, unique=True, default=new_code, editable=False
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    withheld_at = models.DateTimeField(_("withheld at"), null=True, blank=True, editable=False)
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("withheld by"),
    )
    withheld_reason = models.TextField(
        _("withheld reason"),
        max_length=PROSE_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Why the committee withholds the certificate (kept for the committee; "
            "while withheld it cannot be downloaded or verified)."
        ),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "application"], name="one_certificate_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.display_name}, {self.display_code}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.display_code})

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def role(self) -> str:
        return self.application.role

    @property
    def is_withheld(self) -> bool:
        return self.withheld_at is not None
