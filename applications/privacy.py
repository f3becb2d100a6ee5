"""A person's applications: what they can download, and what is left when they delete
their account or staff anonymise a finished cycle (found by ``mentoring.privacy``)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.models import Cycle, User

from .answers import answer_sections
from .forms import ApplicationForm
from .models import Application, ApplicationReview, ApplicationStatusChange

# What an anonymised application is called in staff's lists.
ANONYMISED_NAME = "Former participant"

# Who the person is, how to reach them, where exactly, and what they wrote: cleared.
# Role, status, cycle, library type, years, career stage, state, interests, conferences
# and ways to communicate stay: they are what the program's reports count.
ERASED_ANSWERS = {
    "full_name": ANONYMISED_NAME,
    "preferred_name": "",
    "pronouns": "",
    "email": "",
    "phone": "",
    "city": "",
    "organization": "",
    "position_title": "",
    "bipoc_identity": "",
    "hopes": "",
    "mentor_wishes": "",
    "committee_experience": "",
    "offer": "",
    "other_conferences": "",
    "staff_notes": "",
}


def applications_anonymise(applications: QuerySet[Application]) -> int:
    """Erase who applied from ``applications`` (and from their history and reviews),
    keeping what reports count; the application no longer belongs to an account. The
    first anonymisation's date is kept when run again."""
    # The history and reviews first: ``applications`` may be filtered by the applicant.
    ApplicationStatusChange.objects.filter(
        application__in=applications, changed_by=F("application__applicant")
    ).update(changed_by=None)
    ApplicationStatusChange.objects.filter(application__in=applications).exclude(note="").update(
        note=""
    )
    ApplicationReview.objects.filter(application__in=applications).exclude(comment="").update(
        comment=""
    )
    return applications.update(
        **ERASED_ANSWERS,
        applicant=None,
        anonymised_at=Coalesce(F("anonymised_at"), timezone.now()),
    )


def export_personal_data(user: User) -> dict:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("cycle__program")
        .prefetch_related("interests", "conferences", "status_changes")
        .order_by("created_at", "pk")
    )
    # A person applies to the same program year after year: its form (whose choices cost
    # queries to build) is built once per program and role, not once per application.
    forms: dict[tuple[int, str], ApplicationForm] = {}

    def form_of(application: Application) -> ApplicationForm:
        key = (application.cycle.program_id, application.role)
        if key not in forms:
            forms[key] = ApplicationForm(program=application.cycle.program, role=application.role)
        return forms[key]

    return {
        "applications": [
            {
                "program": application.cycle.program.name,
                "cycle": application.cycle.name,
                "role": application.get_role_display(),
                "status": application.get_status_display(),
                "started_at": _iso(application.created_at),
                "submitted_at": _iso(application.submitted_at),
                "decision_sent_at": _iso(application.decision_sent_at),
                "answers": [
                    {
                        "section": str(section.title),
                        "answers": [
                            {"question": a.label, "answer": a.value if a.answered else ""}
                            for a in section.answers
                        ],
                    }
                    for section in answer_sections(
                        application, include_private=True, form=form_of(application)
                    )
                ],
                "history": [
                    {
                        "from": change.get_from_status_display(),
                        "to": change.get_to_status_display(),
                        "at": _iso(change.changed_at),
                        "note": change.note,
                    }
                    for change in application.status_changes.all()
                ],
            }
            for application in applications
        ]
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def erase_personal_data(user: User) -> None:
    applications_anonymise(Application.objects.filter(applicant=user))


def _of_cycle(cycle: Cycle) -> QuerySet[Application]:
    return Application.objects.filter(cycle=cycle)


def cycle_personal_data(cycle: Cycle) -> dict[str, int]:
    return {"applications": _of_cycle(cycle).count()}


def anonymise_cycle(cycle: Cycle) -> None:
    applications_anonymise(_of_cycle(cycle))
