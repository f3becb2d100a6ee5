"""Demo of the certificates, run by ``manage.py seed_demo`` after the evaluation's demo
(which builds last year's concluded ALSC cycle): each partner of a concluded match with
an agreed goal sheet gets their certificate, and one is withheld with a reason, so the
committee sees both. Idempotent: a certificate is issued once, withheld once."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from matches.models import Match
from mentoring.demo import DEMO_STAFF_EMAIL
from mentoring.models import User

from . import services
from .models import Certificate

WITHHELD_REASON = "The mentor asked the committee to review the goal sheet first."


@transaction.atomic
def seed(*, log: Callable[[str], object] = print) -> None:
    concluded = Match.objects.filter(status=Match.Status.CONCLUDED).select_related(
        "mentor", "mentee"
    )
    issued = sum(len(services.certificates_issue(match=match)) for match in concluded)
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    last = Certificate.objects.order_by("pk").last()
    if staff and last and not Certificate.objects.exclude(withheld_at=None).exists():
        services.certificate_withhold(certificate=last, reason=WITHHELD_REASON, by=staff)
    first = Certificate.objects.issued().select_related("application").order_by("pk").first()
    log(f"Certificates of completion: {issued} for the concluded matches")
    if first is not None:
        log(f"A certificate to verify: {first.get_absolute_url()} ({first.application.full_name})")
