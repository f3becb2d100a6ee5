"""A person's applications: downloaded with every answer and its history; anonymised
(by their deleting their account, or a cycle's) they keep what reports count."""

from __future__ import annotations

import json

import pytest

from applications import privacy
from applications.models import Application, ApplicationReview, ApplicationStatusChange
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(program, cycle, applicant):
    application = ApplicationFactory(
        cycle=cycle,
        applicant=applicant,
        phone="614-555-0101",
        bipoc_identity="yes",
        funding_requested=True,
        membership="applying",
        staff_notes="Knows the chair.",
        interests=list(program.interests.all()),
    )
    ApplicationStatusChange.objects.create(
        application=application, from_status="draft", to_status="submitted", changed_by=applicant
    )
    ApplicationStatusChange.objects.create(
        application=application,
        from_status="submitted",
        to_status="under_review",
        note="Rosa asked for more time.",
    )
    return application


def test_the_download_has_every_answer_and_the_history(application, applicant):
    data = privacy.export_personal_data(applicant)

    (exported,) = data["applications"]
    answers = {a["question"]: a["answer"] for s in exported["answers"] for a in s["answers"]}
    assert answers["Phone"] == "614-555-0101"
    assert exported["role"] == "Mentee" and exported["cycle"] == "2026-2027"
    assert [h["to"] for h in exported["history"]] == ["Submitted", "Under review"]
    assert "Knows the chair." not in json.dumps(data)  # staff's working notes


def test_anonymising_keeps_what_reports_count(application, applicant, program):
    reviewer = UserFactory(is_staff=True)
    ApplicationReview.objects.create(
        application=application, reviewer=reviewer, score=4, comment="Rosa is great."
    )

    privacy.applications_anonymise(Application.objects.filter(pk=application.pk))

    application.refresh_from_db()
    assert application.applicant is None and application.anonymised_at is not None
    assert application.display_name == "a former participant"
    for name in [
        "email",
        "phone",
        "city",
        "organization",
        "hopes",
        "staff_notes",
        "bipoc_identity",
    ]:
        assert getattr(application, name) == "", name
    assert (application.role, application.status, application.state) == (
        "mentee",
        "submitted",
        "OH",
    )
    assert application.interests.count() == program.interests.count()
    assert set(application.status_changes.values_list("note", "changed_by")) == {("", None)}
    assert application.reviews.get().comment == ""
    assert application.reviews.get().score == 4


def test_anonymising_again_keeps_the_first_date(application):
    applications = Application.objects.filter(pk=application.pk)
    privacy.applications_anonymise(applications)
    first = applications.get().anonymised_at

    privacy.applications_anonymise(applications)

    assert applications.get().anonymised_at == first


def test_a_reviewer_who_leaves_keeps_their_score_in_the_summary(application):
    reviewer = UserFactory()
    ApplicationReview.objects.create(application=application, reviewer=reviewer, score=5)

    reviewer.delete()

    review = ApplicationReview.objects.get()
    assert review.reviewer is None and review.score == 5
    assert str(review) == "5/5 by a former reviewer"
