"""The applicant's side in the browser: the window, drafts, submission, errors beside the
fields, one application per role and cycle, editing and withdrawing."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application, ApplicationStatusChange
from tests.factories import ApplicationFactory, CycleFactory, UserFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db


def apply_url(program, role="mentee"):
    return reverse("applications:apply", args=[program.slug, role])


def days(n):
    return dt.timedelta(days=n)


# --- The window --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(0, 5), (-5, 0)],
    ids=["first day of the window", "last day of the window"],
)
def test_form_is_offered_on_the_first_and_last_day(client, program, applicant, opens, closes):
    today = program.today()
    CycleFactory(
        program=program,
        applications_open_on=today + days(opens),
        applications_close_on=today + days(closes),
    )
    client.force_login(applicant)

    response = client.get(apply_url(program))

    assert response.status_code == 200
    assert b'name="action" value="submit"' in response.content


def test_day_before_the_window_says_when_it_opens_and_shows_no_form(client, program, applicant):
    today = program.today()
    CycleFactory(
        program=program,
        name="2027-2028",
        applications_open_on=today + days(1),
        applications_close_on=today + days(30),
    )
    client.force_login(applicant)

    body = client.get(apply_url(program)).content.decode()

    opens = today + days(1)
    assert "Applications are not open yet" in body
    assert f"open on <strong>{opens:%B} {opens.day}, {opens.year}</strong>" in body
    assert 'name="action"' not in body


def test_day_after_the_window_says_it_closed_and_shows_no_form(client, program, applicant):
    today = program.today()
    CycleFactory(
        program=program,
        applications_open_on=today - days(30),
        applications_close_on=today - days(1),
    )
    client.force_login(applicant)

    body = client.get(apply_url(program, "mentor")).content.decode()

    closed = today - days(1)
    assert "Applications are closed" in body
    assert f"closed on <strong>{closed:%B} {closed.day}, {closed.year}</strong>" in body
    assert 'name="action"' not in body


def test_answers_posted_after_the_window_closed_come_back_with_the_reason(
    client, program, applicant
):
    today = program.today()
    cycle = CycleFactory(
        program=program,
        applications_open_on=today - days(30),
        applications_close_on=today - days(1),
    )
    client.force_login(applicant)

    response = client.post(apply_url(program), form_data(program, cycle=cycle.slug))

    body = response.content.decode()
    assert response.status_code == 200
    assert "closed on" in body
    assert "Columbus Metropolitan Library" in body
    assert not Application.objects.exists()


def test_applying_needs_a_sign_in(client, cycle):
    response = client.get(apply_url(cycle.program))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_role_is_not_found(client, cycle, applicant):
    client.force_login(applicant)

    assert client.get(apply_url(cycle.program, "chaperone")).status_code == 404


# --- The form ----------------------------------------------------------------------------


def test_form_is_prefilled_from_the_account_with_labels_in_the_programs_words(
    client, cycle, applicant
):
    client.force_login(applicant)

    body = client.get(apply_url(cycle.program)).content.decode()

    assert 'value="Rosa Parks Jones"' in body
    assert 'value="Rosa"' in body
    assert 'value="rosa@example.org"' in body
    assert "ALSC member" in body and "Not an ALSC member" in body
    assert "Consider me for the ALSC membership funding opportunity (optional)" in body
    for section in ["About you", "Your work", "Membership", "Interests", "Working together"]:
        assert section in body
    assert "Your hopes for the year" in body and "What you can offer" not in body


def test_mentor_form_asks_the_mentors_questions(client, cycle, applicant):
    client.force_login(applicant)

    body = client.get(apply_url(cycle.program, "mentor")).content.decode()

    assert "How many mentees can you take?" in body
    assert "What can you offer a mentee?" in body
    assert "What do you hope to gain" not in body


def test_a_draft_saves_without_the_required_answers(client, cycle, applicant):
    client.force_login(applicant)

    response = client.post(
        apply_url(cycle.program),
        {"action": "save", "full_name": "Rosa Parks Jones", "city": "Columbus"},
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:edit", args=[application.pk])
    assert application.status == Application.Status.DRAFT
    assert (application.city, application.organization) == ("Columbus", "")
    assert application.email == "rosa@example.org"
    assert mail.outbox == []
    body = client.get(response["Location"]).content.decode()
    assert "Your draft is saved" in body
    assert 'value="Columbus"' in body


def test_submitting_with_errors_shows_each_beside_its_field_and_keeps_every_answer(
    client, cycle, applicant
):
    client.force_login(applicant)
    data = form_data(
        cycle.program,
        organization="",
        hopes="I want to learn storytime.",
        communication_methods=[],
        agreed_to_expectations=None,
        pronouns="they/them",
    )

    response = client.post(apply_url(cycle.program), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert "4 things to fix" in body
    assert "Enter the name of your library or organization" in body
    assert "at least 20 words (you wrote 5)" in body
    assert "Choose at least one way to communicate." in body
    assert "Agree to the program&#x27;s expectations" in body
    # Each message sits beside its field, and what was typed is still there.
    assert body.index("id_organization") < body.index("Enter the name of your library")
    assert "I want to learn storytime.</textarea>" in body
    assert 'value="they/them"' in body
    assert 'value="Columbus"' in body


def test_the_error_summary_links_each_problem_to_its_field_or_a_groups_first_option(
    client, cycle, applicant
):
    client.force_login(applicant)
    data = form_data(cycle.program, organization="", communication_methods=[], library_type="")

    body = client.post(apply_url(cycle.program), data).content.decode()

    assert '<a href="#id_organization">' in body
    assert '<a href="#id_library_type_0">' in body
    assert '<a href="#id_communication_methods_0">' in body
    assert '<a href="#">' not in body


def test_a_bad_number_is_refused_beside_its_field_even_for_a_draft(client, cycle, applicant):
    client.force_login(applicant)

    response = client.post(
        apply_url(cycle.program),
        form_data(cycle.program, action="save", years_experience="twelve"),
    )

    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    assert not Application.objects.exists()


def test_submitting_a_complete_form_confirms_and_emails_a_copy_of_the_answers(
    client, cycle, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(cycle.program), form_data(cycle.program))

    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    assert response["Location"] == reverse("applications:submitted", args=[application.pk])
    assert application.interests.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Your mentee application is in" in page
    assert "rosa@example.org" in page
    (message,) = mail.outbox
    assert message.to == ["rosa@example.org"]
    assert "mentee application" in message.subject
    assert "Columbus Metropolitan Library" in message.body
    assert "Storytime and early literacy" in message.body
    assert f"http://testserver/applications/{application.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "Columbus Metropolitan Library" in html and "A copy of your answers" in html
    assert [c.to_status for c in application.status_changes.all()] == ["draft", "submitted"]


def test_a_draft_can_be_continued_and_submitted_later(
    client, cycle, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    client.post(apply_url(cycle.program), {"action": "save", "city": "Columbus"})
    application = Application.objects.get()

    # Coming back to the apply page opens the draft.
    again = client.get(apply_url(cycle.program))
    assert again["Location"] == reverse("applications:edit", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:edit", args=[application.pk]), form_data(cycle.program)
        )

    application.refresh_from_db()
    assert response["Location"] == reverse("applications:submitted", args=[application.pk])
    assert application.status == Application.Status.SUBMITTED
    assert len(mail.outbox) == 1


def test_a_person_may_apply_in_both_roles(client, cycle, applicant):
    client.force_login(applicant)

    client.post(apply_url(cycle.program, "mentee"), form_data(cycle.program))
    client.post(apply_url(cycle.program, "mentor"), form_data(cycle.program, role="mentor"))

    assert sorted(Application.objects.values_list("role", flat=True)) == ["mentee", "mentor"]


def test_a_second_application_for_the_same_role_and_cycle_gets_a_clear_message(
    client, cycle, applicant
):
    ApplicationFactory(cycle=cycle, applicant=applicant)
    client.force_login(applicant)

    # A second tab, opened before the first application was saved, posts its form.
    response = client.post(apply_url(cycle.program), form_data(cycle.program))

    assert response.status_code == 200
    assert "You already have a mentee application for ALSC 2026-2027" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_submitted_application_can_be_changed_while_the_window_is_open(client, cycle, applicant):
    application = ApplicationFactory(cycle=cycle, applicant=applicant)
    client.force_login(applicant)

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        form_data(cycle.program, action="save", city="Dayton"),
    )

    application.refresh_from_db()
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert (application.city, application.status) == ("Dayton", "submitted")


def test_a_submitted_application_cannot_be_emptied(client, cycle, applicant):
    application = ApplicationFactory(cycle=cycle, applicant=applicant)
    client.force_login(applicant)

    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        form_data(cycle.program, action="save", hopes=""),
    )

    application.refresh_from_db()
    assert "Tell the committee what you hope to gain" in response.content.decode()
    assert application.hopes


def test_after_the_window_closes_the_answers_are_read_only(client, program, applicant):
    today = program.today()
    cycle = CycleFactory(
        program=program,
        applications_open_on=today - days(30),
        applications_close_on=today - days(1),
    )
    application = ApplicationFactory(cycle=cycle, applicant=applicant)
    client.force_login(applicant)

    response = client.get(reverse("applications:edit", args=[application.pk]))

    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    posted = client.post(
        reverse("applications:edit", args=[application.pk]),
        form_data(program, city="Dayton", cycle=cycle.slug),
    )
    application.refresh_from_db()
    assert "closed on" in posted.content.decode()
    assert application.city == "Columbus"


# --- Withdrawing -------------------------------------------------------------------------


def test_withdrawing_records_the_reason_in_the_history(client, cycle, applicant):
    application = ApplicationFactory(cycle=cycle, applicant=applicant)
    client.force_login(applicant)

    response = client.post(
        reverse("applications:withdraw", args=[application.pk]),
        {"reason": "I changed jobs."},
    )

    application.refresh_from_db()
    assert response["Location"] == reverse("applications:mine")
    assert application.status == Application.Status.WITHDRAWN
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.note) == (
        "submitted",
        "withdrawn",
        "I changed jobs.",
    )
    assert change.changed_by == applicant
    page = client.get(response["Location"]).content.decode()
    assert "Withdrawn" in page and "I changed jobs." in page


def test_a_withdrawn_application_comes_back_as_a_draft_while_the_window_is_open(
    client, cycle, applicant
):
    application = ApplicationFactory(cycle=cycle, applicant=applicant, status="withdrawn")
    client.force_login(applicant)

    response = client.post(reverse("applications:reopen", args=[application.pk]))

    application.refresh_from_db()
    assert response["Location"] == reverse("applications:edit", args=[application.pk])
    assert application.status == Application.Status.DRAFT


def test_a_decided_application_cannot_be_withdrawn_twice_or_edited(client, cycle, applicant):
    application = ApplicationFactory(cycle=cycle, applicant=applicant, status="declined")
    client.force_login(applicant)

    withdraw = client.post(reverse("applications:withdraw", args=[application.pk]))
    edit = client.get(reverse("applications:edit", args=[application.pk]))

    application.refresh_from_db()
    assert withdraw["Location"] == reverse("applications:detail", args=[application.pk])
    assert edit["Location"] == reverse("applications:detail", args=[application.pk])
    assert application.status == Application.Status.DECLINED


# --- Someone else's application ----------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "edit", "submitted", "withdraw", "reopen"])
def test_another_persons_application_is_not_found(client, cycle, name):
    application = ApplicationFactory(cycle=cycle)
    client.force_login(UserFactory())

    response = client.post(reverse(f"applications:{name}", args=[application.pk]))

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize("name", ["detail", "edit", "withdraw", "mine"])
def test_application_pages_need_a_sign_in(client, cycle, name):
    application = ApplicationFactory(cycle=cycle)
    args = [] if name == "mine" else [application.pk]

    response = client.get(reverse(f"applications:{name}", args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_megabyte_of_hopes_is_refused_beside_the_field_even_for_a_draft(
    client, cycle, applicant, action
):
    client.force_login(applicant)

    response = client.post(
        apply_url(cycle.program),
        form_data(cycle.program, action=action, hopes="h" * 1_000_000),
    )

    assert response.status_code == 200
    assert "at most 5000 characters (it has 1000000)" in str(
        response.context["form"]["hopes"].errors
    )
    assert not Application.objects.exists()
