"""The surveys' emails: one function per email. Each message key names the survey, so a
person is invited once and reminded once per survey, whatever runs twice."""

from __future__ import annotations

from mentoring.mail import email_queue

from .models import Invitation


def _context(invitation: Invitation) -> dict:
    survey = invitation.survey
    return {
        "invitation": invitation,
        "survey": survey,
        "cycle": survey.cycle,
        "program": survey.cycle.program,
        "role": invitation.role,
        "questions": survey.questions.count(),
        "name": invitation.person.get_short_name(),
    }


def survey_invitation(*, invitation: Invitation) -> None:
    """To one active mentor or mentee: the survey is open, with their own link."""
    email_queue(
        kind="survey_invitation",
        message_key=f"survey:{invitation.survey_id}:invitation",
        to=invitation.person,
        template="evaluation/emails/invitation",
        context=_context(invitation),
    )


def survey_reminder(*, invitation: Invitation) -> None:
    """To someone who has not answered a week after the invitation: once."""
    email_queue(
        kind="survey_reminder",
        message_key=f"survey:{invitation.survey_id}:reminder",
        to=invitation.person,
        template="evaluation/emails/reminder",
        context=_context(invitation),
    )
