"""A person's data: they download everything the site holds about them, and they delete
their account (their applications anonymised, their matches' history kept without their
name); staff anonymise a whole finished cycle."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityLogEntry
from applications.models import Application
from evaluation.models import Answer, Invitation, Question
from goals.models import CheckIn, Goal, GoalSheetChange
from matches.models import Match
from mentoring import privacy, services
from mentoring.models import Cycle, Delivery, User
from mentoring.roles import ADMINISTRATOR, COORDINATOR, role_group
from tests.factories import (
    ActivityLogEntryFactory,
    AnswerFactory,
    CheckInFactory,
    CycleFactory,
    EmailPreferenceFactory,
    InvitationFactory,
    MatchFactory,
    ProgramFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
    agreed_sheet,
    verified_user,
)
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db


def _finished_cycle(program=None) -> Cycle:
    program = program or ProgramFactory()
    today = program.today()
    return CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=420),
        applications_close_on=today - dt.timedelta(days=400),
        starts_on=today - dt.timedelta(days=370),
        ends_on=today - dt.timedelta(days=5),
    )


def _year(cycle: Cycle, *, mentee_name="Rosa Parks Jones", mentor_name="Morgan Mentor"):
    """A match with an agreed goal sheet, check-ins and log entries by both partners, a
    survey answered by the mentee, and emails recorded for her."""
    mentee = verified_user(full_name=mentee_name, preferred_name=mentee_name.split()[0])
    mentor = verified_user(full_name=mentor_name)
    match = MatchFactory(
        cycle=cycle,
        mentee__applicant=mentee,
        mentee__phone="614-555-0101",
        mentee__hopes="I hope to plan a year of storytimes in Tucson.",
        mentor__applicant=mentor,
        mentor__offer="Fifteen years of outreach at the Dayton library.",
    )
    sheet = agreed_sheet(match, titles=["Plan six crafts for the Tucson branch"])
    goal = sheet.goals.get()
    goal.reflection = "I ran all six with my own group."
    goal.outcome_recorded_by = mentee
    goal.save()
    CheckInFactory(goal=goal, author=mentee, note="Rosa's note: two crafts tried.")
    CheckInFactory(goal=goal, author=mentor, note="Morgan's note: going well.")
    GoalSheetChange.objects.create(
        sheet=sheet,
        revision=1,
        action="submit",
        from_status="draft",
        to_status="submitted",
        by=mentee,
        comment="Rosa's comment on submitting.",
    )
    ActivityLogEntryFactory(match=match, recorded_by=mentee, notes="Rosa's log note.")
    ActivityLogEntryFactory(match=match, recorded_by=mentor, notes="Morgan's log note.")
    survey = SurveyFactory(cycle=cycle, title="Mid-year pulse")
    scale = QuestionFactory(survey=survey, text="I feel confident.")
    comment = QuestionFactory(survey=survey, kind=Question.Kind.TEXT, text="Anything else?")
    invitation = InvitationFactory(survey=survey, person=mentee, answered_at=timezone.now())
    AnswerFactory(invitation=invitation, question=scale, number=4)
    AnswerFactory(invitation=invitation, question=comment, number=None, text="Rosa's survey words.")
    EmailPreferenceFactory(user=mentee, newsletter=False)
    Delivery.objects.create(
        message_key=f"decision-{match.mentee_id}",
        kind="application_decision",
        recipient=mentee,
        to_email=mentee.email,
        subject="Your application: accepted",
        body_text="Dear Rosa, you are accepted.",
        status=Delivery.Status.SENT,
    )
    return match


@pytest.fixture
def match():
    program = ProgramFactory()
    today = program.today()
    cycle = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=120),
        applications_close_on=today - dt.timedelta(days=100),
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=200),
    )
    return _year(cycle)


# --- Your data ------------------------------------------------------------------------------


def test_every_app_holding_personal_data_has_a_privacy_module():
    labels = dict(privacy.privacy_modules())
    for label in ["mentoring", "applications", "matches", "goals", "activities"]:
        assert label in labels
        assert callable(labels[label].export_personal_data)
        assert callable(labels[label].erase_personal_data)


def test_a_person_downloads_everything_held_about_them_and_nothing_of_others(client, match):
    mentee = match.mentee.applicant
    client.force_login(mentee)

    response = client.post(reverse("my_data_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="mentoring-data-{day}.json"'
    data = json.loads(response.content)
    text = response.content.decode()
    assert data["mentoring"]["account"]["email"] == mentee.email
    assert data["mentoring"]["emails"][0]["subject"] == "Your application: accepted"
    (application,) = data["applications"]["applications"]
    answers = {a["question"]: a["answer"] for s in application["answers"] for a in s["answers"]}
    assert "I hope to plan a year of storytimes in Tucson." in answers.values()
    (sheet,) = data["goals"]["goal_sheets"]
    assert sheet["partner"] == "Morgan Mentor"
    assert sheet["goals"][0]["title"] == "Plan six crafts for the Tucson branch"
    assert [c["note"] for c in sheet["goals"][0]["your_check_ins"]] == [
        "Rosa's note: two crafts tried."
    ]
    assert "Rosa's log note." in text
    assert data["newsletter"]["email_preferences"]["newsletter"] is False
    assert data["evaluation"]["surveys"][0]["answers"][1]["answer"] == "Rosa's survey words."
    # The partner's own words and contact stay out of the file; their name is in.
    mentor = match.mentor.applicant
    for theirs in ["Morgan's note", "Morgan's log note", "Dayton", mentor.email]:
        assert theirs not in text


def test_the_download_takes_the_same_queries_for_one_year_or_three(client):
    person = verified_user(full_name="Rosa Parks Jones")
    client.force_login(person)
    program = ProgramFactory()

    def another_year():
        match = MatchFactory(mentee__applicant=person, cycle__program=program)
        agreed_sheet(match, titles=["Plan six crafts", "Visit two branches"])
        ActivityLogEntryFactory(match=match, recorded_by=person, notes="A note.")

    def queries():
        # With the shared content cache warm, as a site runs: the factories make programs
        # and cycles, and the first read after such a change reads them afresh.
        client.post(reverse("my_data_download"))
        with CaptureQueriesContext(connection) as captured:
            assert client.post(reverse("my_data_download")).status_code == 200
        return len(captured)

    another_year()
    one_year = queries()
    another_year()
    another_year()

    assert queries() == one_year
    assert (
        len(json.loads(client.post(reverse("my_data_download")).content)["goals"]["goal_sheets"])
        == 3
    )


def test_the_download_is_a_post_for_the_signed_in_person_only(client, match):
    url = reverse("my_data_download")
    assert client.post(url).status_code == 302  # to sign in
    client.force_login(match.mentee.applicant)
    assert client.get(url).status_code == 405


def test_the_your_data_page_explains_and_offers_the_download(client, match):
    client.force_login(match.mentee.applicant)

    page = client.get(reverse("my_data")).content.decode()
    dashboard = client.get(reverse("my_mentoring")).content.decode()

    assert "Download my data" in page and reverse("my_data_download") in page
    assert "Download your data" in dashboard and "Delete your account" in dashboard


# --- Deleting an account ------------------------------------------------------------------


def test_a_wrong_password_is_refused_beside_the_field(client, match):
    mentee = match.mentee.applicant
    client.force_login(mentee)

    response = client.post(reverse("my_account_delete"), {"password": "not it"})

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.filter(pk=mentee.pk).exists()


def test_deleting_the_account_anonymises_and_keeps_the_match_counted(client, match):
    mentee = match.mentee.applicant
    email = mentee.email
    client.force_login(mentee)

    response = client.post(reverse("my_account_delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("my_account_deleted")
    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(email=email).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert client.get(reverse("my_mentoring")).status_code == 302  # signed out
    application = Application.objects.get(pk=match.mentee_id)
    assert application.applicant is None and application.anonymised_at is not None
    assert application.full_name == "Former participant"
    assert (application.email, application.phone, application.hopes, application.city) == (
        "",
        "",
        "",
        "",
    )
    assert (application.status, application.role, application.state) == ("accepted", "mentee", "OH")
    assert Match.objects.filter(cycle=match.cycle, status="active").count() == 1
    goal = Goal.objects.get(sheet__match=match)
    assert (goal.title, goal.specific, goal.reflection) == ("Goal 1", "", "")
    assert goal.target_date is not None
    assert sorted(CheckIn.objects.values_list("note", flat=True)) == [
        "",
        "",
    ]  # the sheet was the mentee's: every note on it goes
    assert set(ActivityLogEntry.objects.values_list("notes", flat=True)) == {
        "",
        "Morgan's log note.",
    }
    assert not Answer.objects.filter(text="Rosa's survey words.").exists()
    assert Invitation.objects.get().person is None
    delivery = Delivery.objects.get(kind="application_decision")
    assert delivery.status == "sent" and delivery.body_text == "" and email not in delivery.to_email


def test_the_partner_still_sees_the_match_with_a_former_participant(client, match):
    services.account_delete(user=match.mentee.applicant)
    client.force_login(match.mentor.applicant)

    for url in [
        reverse("my_mentoring"),
        reverse("matches:detail", args=[match.pk]),
        reverse("goals:sheet", args=[match.pk]),
        reverse("activities:log", args=[match.pk]),
    ]:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert "a former participant" in page, url
        assert "Rosa" not in page, url
        assert "Morgan&#x27;s log note." in page or url != reverse(
            "activities:log", args=[match.pk]
        )


def test_when_the_mentor_leaves_the_goals_stay_with_the_mentee(match):
    services.account_delete(user=match.mentor.applicant)

    goal = Goal.objects.get(sheet__match=match)
    assert goal.title == "Plan six crafts for the Tucson branch"
    assert set(CheckIn.objects.values_list("note", flat=True)) == {
        "",
        "Rosa's note: two crafts tried.",
    }
    assert Application.objects.get(pk=match.mentor_id).offer == ""


def test_staff_cannot_delete_their_own_account(client):
    staff = verified_user(is_staff=True)
    client.force_login(staff)

    page = client.get(reverse("my_account_delete")).content.decode()
    client.post(reverse("my_account_delete"), {"password": PASSWORD})

    assert "Committee staff accounts cannot be deleted here" in page
    assert User.objects.filter(pk=staff.pk).exists()
    with pytest.raises(ValidationError):
        services.account_delete(user=staff)


def test_deleting_needs_the_person_signed_in(client):
    response = client.post(reverse("my_account_delete"), {"password": PASSWORD})
    assert response.status_code == 302 and "login" in response["Location"]


# --- Anonymising a finished cycle ---------------------------------------------------------


def test_an_unfinished_cycle_is_refused(match):
    with pytest.raises(ValidationError, match="is not finished"):
        services.cycle_anonymise(cycle=match.cycle)
    assert Application.objects.filter(anonymised_at__isnull=False).count() == 0


def test_a_finished_cycle_is_anonymised_once_and_again_changes_nothing():
    cycle = _finished_cycle()
    match = _year(cycle)
    other_cycle_match = _year(_finished_cycle(), mentee_name="Other Person")

    services.cycle_anonymise(cycle=cycle)
    cycle.refresh_from_db()
    first = cycle.anonymised_at
    snapshot = list(Application.objects.order_by("pk").values())
    services.cycle_anonymise(cycle=cycle)

    cycle.refresh_from_db()
    assert cycle.anonymised_at == first is not None
    assert list(Application.objects.order_by("pk").values()) == snapshot
    mine = Application.objects.filter(cycle=cycle)
    assert set(mine.values_list("full_name", "applicant", "email")) == {
        ("Former participant", None, "")
    }
    assert Match.objects.get(pk=match.pk).status == "active"
    assert not CheckIn.objects.filter(goal__sheet__match=match).exclude(note="").exists()
    assert not CheckIn.objects.filter(goal__sheet__match=match, author__isnull=False).exists()
    assert not ActivityLogEntry.objects.filter(match=match).exclude(notes="").exists()
    assert not Invitation.objects.filter(survey__cycle=cycle, person__isnull=False).exists()
    # Another cycle is left alone.
    assert other_cycle_match.mentee.applicant.applications.get().full_name == "Other Person"


def test_anonymising_a_cycle_takes_the_same_queries_for_one_match_or_five():
    def queries(n):
        cycle = _finished_cycle()
        for i in range(n):
            _year(cycle, mentee_name=f"Mentee {i}", mentor_name=f"Mentor {i}")
        with CaptureQueriesContext(connection) as captured:
            services.cycle_anonymise(cycle=cycle)
        return len(captured)

    assert queries(1) == queries(5)


def test_administrators_not_coordinators_get_the_permission_to_anonymise():
    assert role_group(ADMINISTRATOR).permissions.filter(codename="anonymise_cycle").exists()
    assert not role_group(COORDINATOR).permissions.filter(codename="anonymise_cycle").exists()


def test_only_staff_with_the_permission_reach_the_anonymise_page(client):
    cycle = _finished_cycle()
    _year(cycle)
    url = reverse("admin:mentoring_cycle_anonymise", args=[cycle.pk])
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_cycle"))
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not Application.objects.filter(anonymised_at__isnull=False).exists()

    staff.user_permissions.add(Permission.objects.get(codename="anonymise_cycle"))
    page = client.get(url).content.decode()

    assert '<th scope="row">Applications</th><td>2</td>' in page
    assert '<th scope="row">Matches</th><td>1</td>' in page
    response = client.post(url)
    assert response.status_code == 302
    assert Application.objects.filter(cycle=cycle, anonymised_at__isnull=False).count() == 2


def test_the_anonymise_page_refuses_an_unfinished_cycle(client, match):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:mentoring_cycle_anonymise", args=[match.cycle_id]), follow=True
    )

    assert "is not finished" in response.content.decode()
    assert not Application.objects.filter(anonymised_at__isnull=False).exists()


def test_staff_reports_still_work_after_anonymisation(client):
    cycle = _finished_cycle()
    match = _year(cycle)
    services.account_delete(user=match.mentor.applicant)
    services.cycle_anonymise(cycle=cycle)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    survey = cycle.surveys.get()

    for url in [
        reverse("admin:evaluation_programhealth_health", args=[cycle.pk]),
        reverse("admin:evaluation_survey_results", args=[survey.pk]),
        reverse("admin:applications_application_changelist") + f"?cycle__id__exact={cycle.pk}",
        reverse("admin:matches_match_changelist"),
        reverse("admin:goals_goalsheet_changelist"),
        reverse("admin:mentoring_cycle_change", args=[cycle.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Rosa" not in response.content.decode(), url
    results = client.get(reverse("admin:evaluation_survey_results", args=[survey.pk]))
    assert "Anything else?" in results.content.decode()


def test_staff_deleting_an_account_in_admin_anonymise_it_too(client, match):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    mentee = match.mentee.applicant

    response = client.post(
        reverse("admin:mentoring_user_delete", args=[mentee.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    application = Application.objects.get(pk=match.mentee_id)
    assert application.anonymised_at is not None and application.hopes == ""
