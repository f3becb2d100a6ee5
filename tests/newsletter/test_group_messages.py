"""Messages to a group: staff choose the people with an action on a filtered list (the
whole list, not a page), write in Markdown, preview as any recipient and send once; each
person gets one copy; news respects the newsletter opt-out, program business does not
need to; the sent message lists each recipient's delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import GoalSheet
from mentoring.models import Delivery, Milestone
from mentoring.roles import ADMINISTRATOR, COORDINATOR, REVIEWER
from newsletter import group_messages
from newsletter.models import GROUP_MESSAGE_KIND, GroupMessage, GroupMessageRecipient
from tests.factories import (
    EmailPreferenceFactory,
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    cycle_under_way,
    role_user,
)

pytestmark = pytest.mark.django_db

SHEETS = reverse("admin:goals_goalsheet_changelist")


@pytest.fixture
def cycle():
    """Goal sheets were due five days ago."""
    cycle = cycle_under_way()
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=cycle.program.today() - dt.timedelta(days=5),
    )
    return cycle


def overdue_sheets(cycle, n: int):
    return [GoalSheetFactory(match=MatchFactory(cycle=cycle)) for _ in range(n)]


@pytest.fixture
def coordinator(client):
    person = role_user(COORDINATOR, email="casey@example.org", full_name="Casey Committee")
    client.force_login(person)
    return person


def message_overdue_mentees(client, ticked, *, select_across=1):
    return client.post(
        f"{SHEETS}?overdue=yes",
        {
            "action": "message_mentees",
            "index": 0,
            "select_across": select_across,
            ACTION_CHECKBOX_NAME: [str(s.pk) for s in ticked],
        },
    )


def write(client, message, *, subject="Your goal sheet", body="Hello **there**.", kind="business"):
    url = reverse("admin:newsletter_groupmessage_change", args=[message.pk])
    return client.post(url, {"subject": subject, "body": body, "kind": kind})


def token_of(client, message) -> str:
    response = client.get(reverse("admin:newsletter_groupmessage_preview", args=[message.pk]))
    return response.context["form_token"]


def send(client, message, token):
    return client.post(
        reverse("admin:newsletter_groupmessage_send", args=[message.pk]),
        {"form_token": token},
        follow=True,
    )


def test_the_whole_filtered_list_is_messaged_once_each_however_often_send_is_pressed(
    client, coordinator, cycle, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(admin.site.get_model_admin(GoalSheet), "list_per_page", 2)
    late = overdue_sheets(cycle, 5)
    agreed = GoalSheetFactory(match=MatchFactory(cycle=cycle), status="agreed")

    # Every row of the first page ticked, and "all of the list" chosen.
    response = message_overdue_mentees(client, late[:2])
    (message,) = GroupMessage.objects.all()
    assert response.status_code == 302
    assert set(message.recipients.values_list("person_id", flat=True)) == {
        s.match.mentee.applicant_id for s in late
    }
    assert "overdue: yes" in message.source
    write(client, message, body="Please hand in your goal sheet.\n\n<script>x()</script>")

    token = token_of(client, message)
    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, message, token)
        again = send(client, message, token)  # the same form, pressed twice
        other_tab = send(client, message, token_of(client, message))

    assert "Sent: 5 copies, one to each recipient" in first.content.decode()
    assert "sent already" in again.content.decode()
    assert "sent already" in other_tab.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.match.mentee.email for s in late)
    assert agreed.match.mentee.email not in {m.to[0] for m in mail.outbox}
    sent = mail.outbox[0]
    assert sent.subject == "Your goal sheet"
    assert sent.extra_headers["Reply-To"] == "casey@example.org"
    assert "List-Unsubscribe" not in sent.extra_headers
    html = sent.alternatives[0][0]
    assert "<script>" not in html and "Please hand in your goal sheet." in html
    assert "whatever your email preferences" in sent.body
    assert Delivery.objects.filter(kind=GROUP_MESSAGE_KIND, status="sent").count() == len(late)
    assert not GroupMessageRecipient.objects.filter(delivery=None).exists()


def test_a_ticked_page_alone_messages_only_its_rows(client, coordinator, cycle):
    late = overdue_sheets(cycle, 3)

    message_overdue_mentees(client, late[:2], select_across=0)

    (message,) = GroupMessage.objects.all()
    assert message.recipients.count() == 2


def test_news_leaves_out_who_turned_the_newsletter_off_and_carries_the_unsubscribe(
    client, coordinator, cycle, django_capture_on_commit_callbacks
):
    keen, quiet = overdue_sheets(cycle, 2)
    EmailPreferenceFactory(user=quiet.match.mentee.applicant, newsletter=False)
    message_overdue_mentees(client, [keen, quiet])
    message = GroupMessage.objects.get()
    write(client, message, subject="A workshop in May", kind="news")

    preview = client.get(reverse("admin:newsletter_groupmessage_preview", args=[message.pk]))
    assert "1</strong> of them turned the newsletter off" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, message, preview.context["form_token"])

    (sent,) = mail.outbox
    assert sent.to == [keen.match.mentee.email]
    assert "List-Unsubscribe" in sent.extra_headers and "Stop the newsletter" in sent.body
    left = message.recipients.get(person=quiet.match.mentee.applicant)
    assert left.delivery is None and left.left_out == group_messages.TURNED_OFF


def test_program_business_reaches_who_turned_the_newsletter_off(
    client, coordinator, cycle, django_capture_on_commit_callbacks
):
    (quiet,) = overdue_sheets(cycle, 1)
    EmailPreferenceFactory(user=quiet.match.mentee.applicant, newsletter=False)
    message_overdue_mentees(client, [quiet])
    message = GroupMessage.objects.get()
    write(client, message)

    with django_capture_on_commit_callbacks(execute=True):
        send(client, message, token_of(client, message))

    assert [m.to for m in mail.outbox] == [[quiet.match.mentee.email]]


def test_the_preview_reads_as_the_chosen_recipient(client, coordinator, cycle):
    first, second = overdue_sheets(cycle, 2)
    first.match.mentee.applicant.full_name = "Ada Lovelace"
    first.match.mentee.applicant.save()
    second.match.mentee.applicant.full_name = "Grace Hopper"
    second.match.mentee.applicant.save()
    message_overdue_mentees(client, [first, second])
    message = GroupMessage.objects.get()
    write(client, message)
    url = reverse("admin:newsletter_groupmessage_preview", args=[message.pk])

    grace = client.get(url, {"recipient": second.match.mentee.applicant_id})
    stranger = client.get(url, {"recipient": coordinator.pk})

    assert "Hello Grace," in grace.context["rendered"].text
    assert (
        "Hello Grace,"
        in client.get(
            reverse("admin:newsletter_groupmessage_preview_html", args=[message.pk]),
            {"recipient": second.match.mentee.applicant_id},
        ).content.decode()
    )
    assert stranger.status_code == 404


def test_sending_without_subject_or_body_is_refused_beside_the_button(client, coordinator, cycle):
    message_overdue_mentees(client, overdue_sheets(cycle, 1))
    message = GroupMessage.objects.get()

    response = send(client, message, token_of(client, message))

    assert "Write a subject and a message" in response.content.decode()
    assert GroupMessage.objects.get().is_draft and not Delivery.objects.exists()


def test_a_message_reaches_a_person_once_by_constraint(cycle):
    (sheet,) = overdue_sheets(cycle, 1)
    message = group_messages.group_message_draft(
        people=group_messages.mentees_of(GoalSheet.objects.all()), source="test", by=None
    )
    with pytest.raises(IntegrityError):
        GroupMessageRecipient.objects.create(message=message, person=sheet.match.mentee.applicant)


@pytest.mark.parametrize(
    ("role", "offered"), [(COORDINATOR, True), (REVIEWER, False), (ADMINISTRATOR, False)]
)
def test_only_coordinators_may_send_to_a_group(client, cycle, role, offered):
    person = role_user(role)
    client.force_login(person)

    assert person.has_perm("newsletter.send_groupmessage") is offered
    message = group_messages.group_message_draft(
        people=group_messages.mentees_of(
            GoalSheet.objects.filter(pk=overdue_sheets(cycle, 1)[0].pk)
        ),
        source="test",
        by=None,
    )
    response = client.post(
        reverse("admin:newsletter_groupmessage_send", args=[message.pk]), {"form_token": "x"}
    )
    assert (response.status_code == 403) is not offered


def test_the_sent_messages_list_and_a_message_s_recipients_take_constant_queries(
    client, coordinator, cycle, django_capture_on_commit_callbacks
):
    def sent_message(n):
        sheets = overdue_sheets(cycle, n)
        message = group_messages.group_message_draft(
            people=group_messages.mentees_of(
                GoalSheet.objects.filter(pk__in=[s.pk for s in sheets])
            ),
            source="test",
            by=coordinator,
        )
        group_messages.group_message_update(message=message, subject="S", body="B", kind="business")
        with django_capture_on_commit_callbacks(execute=True):
            group_messages.group_message_send(message=message, by=coordinator)
        return message

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    small, large = sent_message(2), sent_message(9)
    changelist = reverse("admin:newsletter_groupmessage_changelist")
    page = "admin:newsletter_groupmessage_change"
    body = client.get(reverse(page, args=[large.pk])).content.decode()
    assert body.count("Delivered") >= 9

    assert queries(reverse(page, args=[small.pk])) == queries(reverse(page, args=[large.pk]))
    few = queries(changelist)
    sent_message(4)
    assert queries(changelist) == few
