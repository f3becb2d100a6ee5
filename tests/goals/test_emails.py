"""The goal sheet's emails: to the mentor when the mentee submits, to both when it is
agreed or returned; each once per event."""

from __future__ import annotations

import pytest
from django.core import mail

from goals import emails, services
from goals.services import GoalInput
from mentoring.models import Delivery

from .conftest import goal_data

pytestmark = pytest.mark.django_db


def draft(sheet, by, cycle, title="Six crafts for the Bookbag program"):
    sheet.refresh_from_db()
    data = {**goal_data(cycle, title=title), "target_date": cycle.ends_on}
    services.goal_sheet_save_draft(
        sheet=sheet, by=by, version=sheet.version, goals=[GoalInput(**data)]
    )


def test_the_mentor_is_emailed_when_the_mentee_submits(
    sheet, mentee, mentor, cycle, match, django_capture_on_commit_callbacks
):
    draft(sheet, mentee, cycle)

    with django_capture_on_commit_callbacks(execute=True):
        services.goal_sheet_submit(sheet=sheet, by=mentee)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [mentor.email]
    assert (
        message.subject
        == f"{match.mentee.display_name} submitted your goal sheet: please review it"
    )
    assert f"http://testserver/matches/{match.pk}/goals/review/" in message.body
    assert "Six crafts for the Bookbag program" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://testserver/matches/{match.pk}/goals/review/"' in html


def test_both_are_emailed_once_when_the_sheet_is_agreed(
    sheet, mentee, mentor, cycle, match, django_capture_on_commit_callbacks
):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        services.goal_sheet_confirm(sheet=sheet, by=mentor)
        change = sheet.changes.last()
        goals = list(sheet.goals.all())
        emails.goal_sheet_agreed(sheet=sheet, change=change, goals=goals)  # a re-run

    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    assert {m.subject for m in mail.outbox} == {"Your goal sheet is agreed"}
    to_mentee = next(m for m in mail.outbox if m.to == [mentee.email])
    assert f"{match.mentor.display_name} confirmed the goal sheet you submitted" in to_mentee.body
    assert Delivery.objects.filter(kind="goal_sheet_agreed").count() == 2


def test_both_are_emailed_the_comment_when_the_mentor_sends_it_back(
    sheet, mentee, mentor, cycle, django_capture_on_commit_callbacks
):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        services.goal_sheet_send_back(
            sheet=sheet, by=mentor, comment="Say how many crafts, O'Brien!"
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    for message in mail.outbox:
        assert message.subject == "Your goal sheet was sent back with a comment"
        assert "Say how many crafts, O'Brien!" in message.body  # plain text is not escaped
        assert "Say how many crafts, O&#x27;Brien!" in message.alternatives[0][0]


def test_a_second_submission_after_a_send_back_is_news_again(
    sheet, mentee, mentor, cycle, django_capture_on_commit_callbacks
):
    draft(sheet, mentee, cycle)
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_sheet_submit(sheet=sheet, by=mentee)
        services.goal_sheet_send_back(sheet=sheet, by=mentor, comment="Almost there.")
        services.goal_sheet_submit(sheet=sheet, by=mentee)

    submitted = [m for m in mail.outbox if "submitted your goal sheet" in m.subject]
    assert len(submitted) == 2
    keys = list(
        Delivery.objects.filter(kind="goal_sheet_submitted").values_list("message_key", flat=True)
    )
    assert len(set(keys)) == 2
    # Sent back, revision 1 is kept; the second submission is revision 2.
    assert sorted(k.split(":submit:")[0] for k in keys) == [
        f"goal-sheet:{sheet.pk}:revision-1",
        f"goal-sheet:{sheet.pk}:revision-2",
    ]


def test_both_are_emailed_when_staff_return_the_sheet(
    sheet, mentee, mentor, staff, cycle, django_capture_on_commit_callbacks
):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        services.goal_sheet_return(sheet=sheet, by=staff, comment="Please add numbers to goal 1.")

    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == "Your goal sheet was returned for revision"
    assert "revision 2" in message.body and "Please add numbers to goal 1." in message.body
    key = Delivery.objects.get(to_email=message.to[0], kind="goal_sheet_returned").message_key
    assert key.startswith(f"goal-sheet:{sheet.pk}:revision-2:staff_return:")


def test_a_partner_who_deleted_their_account_gets_no_email(
    sheet, mentee, mentor, cycle, match, django_capture_on_commit_callbacks
):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    match.mentee.applicant = None
    match.mentee.save()
    sheet.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.goal_sheet_confirm(sheet=sheet, by=mentor)

    assert [m.to for m in mail.outbox] == [[mentor.email]]


def test_nothing_is_emailed_when_a_draft_is_saved(
    sheet, mentee, cycle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft(sheet, mentee, cycle)

    assert mail.outbox == []
