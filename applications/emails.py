"""The emails applicants get: one function per email, each recorded and sent through
``mentoring.mail.email_queue`` (a Celery task after the transaction commits, once per
message and address)."""

from __future__ import annotations

from django.urls import reverse

from mentoring.mail import email_queue
from mentoring.models import Delivery

from .answers import answer_sections
from .models import Application, ApplicationStatusChange


def _context(application: Application, *, with_answers: bool = False) -> dict:
    cycle = application.cycle
    context = {
        "application": application,
        "program": cycle.program,
        "cycle": cycle,
        "name": application.display_name or application.full_name,
        "application_path": reverse("applications:detail", args=[application.pk]),
        "my_applications_path": reverse("applications:mine"),
        "milestones": list(cycle.milestones.order_by("starts_on", "id")),
    }
    if with_answers:
        context["sections"] = answer_sections(application)
    return context


def send_confirmation(
    *, application: Application, change: ApplicationStatusChange
) -> tuple[Delivery, bool]:
    """“We have your application”, with a copy of the answers. One per submission (a
    withdrawn application submitted again is confirmed again)."""
    return email_queue(
        kind="applications.confirmation",
        message_key=f"application:{application.pk}:confirmation:{change.pk}",
        to=application.applicant,
        template="applications/emails/confirmation",
        context=_context(application, with_answers=True),
    )


def send_decision(*, application: Application) -> tuple[Delivery, bool]:
    """The committee's decision (accepted, waitlisted or declined). The message is named
    after the application and the decision, so each decision is sent once."""
    status = application.status
    key = f"application:{application.pk}:decision:{status}"
    # Sending decisions again is routine (new decisions join the selection): skip the
    # rendering for those already told.
    told = Delivery.objects.filter(message_key=key, to_email=application.applicant.email).first()
    if told is not None:
        return told, False
    return email_queue(
        kind=f"applications.decision.{status}",
        message_key=key,
        to=application.applicant,
        template=f"applications/emails/decision_{status}",
        context=_context(application),
    )
