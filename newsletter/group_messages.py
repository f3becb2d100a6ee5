"""Messages to a group: the people of a list in admin (applications, matches, goal
sheets, as filtered), a message staff write to them, and its sending.

The recipients are fixed when staff choose the list (a goal sheet handed in meanwhile
does not take its mentee off a message already written to the overdue ones); sending
records one delivery per recipient under the message's key, in the transaction that
marks the message sent, so a second press, a second tab or a retried request finds it
sent and records nothing (and the deliveries are unique per message and address).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from applications.models import Application
from goals.models import GoalSheet
from matches.models import Match
from mentoring.mail import email_queue_bulk
from mentoring.models import Delivery, User

from . import emails
from .models import GROUP_MESSAGE_KIND, GroupMessage, GroupMessageRecipient
from .richtext import markdown_to_html

Status = GroupMessage.Status
# Stored in English on the recipient's row; the admin shows them in the reader's language.
TURNED_OFF = gettext_noop("Turned the newsletter off: news is not sent to them.")
NO_ACCOUNT = gettext_noop("No active account with an email address.")


# --- Who a list's rows are ------------------------------------------------------------------


def applicants_of(applications: QuerySet[Application]) -> QuerySet[User]:
    return User.objects.filter(applications__in=applications.values("pk")).distinct()


def partners_of(matches: QuerySet[Match]) -> QuerySet[User]:
    ids = matches.values("pk")
    return User.objects.filter(
        Q(applications__mentee_matches__in=ids) | Q(applications__mentor_matches__in=ids)
    ).distinct()


def mentees_of(sheets: QuerySet[GoalSheet]) -> QuerySet[User]:
    return User.objects.filter(
        applications__mentee_matches__goal_sheet__in=sheets.values("pk")
    ).distinct()


def mentors_of(sheets: QuerySet[GoalSheet]) -> QuerySet[User]:
    return User.objects.filter(
        applications__mentor_matches__goal_sheet__in=sheets.values("pk")
    ).distinct()


# --- Writing ----------------------------------------------------------------------------------


@transaction.atomic
def group_message_draft(*, people: QuerySet[User], source: str, by: User | None) -> GroupMessage:
    """A draft to ``people`` (the people of the list staff chose), who are its recipients
    from now on. Raises ValidationError when the list holds nobody."""
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise ValidationError(gettext("Nobody to write to: the rows chosen name no one."))
    message = GroupMessage(source=source[:300], created_by=by)
    message.full_clean()
    message.save()
    GroupMessageRecipient.objects.bulk_create(
        [GroupMessageRecipient(message=message, person_id=pk) for pk in ids]
    )
    return message


def _locked(message: GroupMessage) -> GroupMessage:
    return GroupMessage.objects.select_for_update().get(pk=message.pk)


@transaction.atomic
def group_message_update(
    *, message: GroupMessage, subject: str, body: str, kind: str
) -> GroupMessage:
    """Staff's edit of a draft; a message sent meanwhile is refused."""
    locked = _locked(message)
    if not locked.is_draft:
        raise ValidationError(gettext("This message was sent: it can no longer be changed."))
    locked.subject = subject.strip()
    locked.body = body
    locked.body_html = markdown_to_html(body)
    locked.kind = kind
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def group_message_send(*, message: GroupMessage, by: User | None) -> int:
    """Send the message: one delivery per recipient, recorded now and sent after commit,
    each copy with the person's own greeting. News leaves out those who turned the
    newsletter off. Returns how many deliveries were recorded: 0 when the message had
    been sent already (a second press sends nothing)."""
    locked = _locked(message)
    if not locked.is_draft:
        return 0
    if not locked.subject.strip() or not locked.body.strip():
        raise ValidationError(gettext("Write a subject and a message before sending it."))
    recipients = list(
        GroupMessageRecipient.objects.filter(message=locked)
        .select_related("person__email_preference")
        .order_by("pk")
    )
    deliveries, kept = [], []
    for recipient in recipients:
        person = recipient.person
        if not person.is_active or not person.email:
            recipient.left_out = NO_ACCOUNT
        elif locked.kind == GroupMessage.Kind.NEWS and _turned_off(person):
            recipient.left_out = TURNED_OFF
        else:
            rendered = emails.render_group_message(locked, person)
            deliveries.append(
                Delivery(
                    message_key=locked.message_key,
                    kind=GROUP_MESSAGE_KIND,
                    recipient=person,
                    to_email=person.email,
                    subject=rendered.subject,
                    body_text=rendered.text,
                    body_html=rendered.html,
                    headers=rendered.headers,
                )
            )
            kept.append(recipient)
    email_queue_bulk(deliveries)
    by_email = dict(
        Delivery.objects.filter(message_key=locked.message_key).values_list("to_email", "pk")
    )
    for recipient in kept:
        recipient.delivery_id = by_email.get(recipient.person.email)
    GroupMessageRecipient.objects.bulk_update(recipients, ["delivery", "left_out"])
    locked.status = Status.SENT
    locked.sent_at = timezone.now()
    locked.sent_by = by
    locked.save(update_fields=["status", "sent_at", "sent_by"])
    return len(deliveries)


def _turned_off(person: User) -> bool:
    preference = getattr(person, "email_preference", None)
    return preference is not None and not preference.newsletter


# --- Reading ----------------------------------------------------------------------------------


def group_messages_with_counts() -> QuerySet[GroupMessage]:
    """Messages with their recipients and deliveries counted (one query for the list)."""
    statuses = Delivery.Status
    return GroupMessage.objects.annotate(
        recipients_count=Count("recipients", distinct=True),
        delivered=Count("recipients", filter=Q(recipients__delivery__status=statuses.SENT)),
        failed=Count("recipients", filter=Q(recipients__delivery__status=statuses.FAILED)),
        pending=Count(
            "recipients",
            filter=Q(recipients__delivery__status__in=[statuses.PENDING, statuses.SENDING]),
        ),
        left_out_count=Count("recipients", filter=~Q(recipients__left_out="")),
    )


def group_message_recipients(message: GroupMessage) -> QuerySet[GroupMessageRecipient]:
    return (
        GroupMessageRecipient.objects.filter(message=message)
        .select_related("person", "delivery")
        .order_by("person__full_name", "person__email", "pk")
    )


def turned_off_count(message: GroupMessage) -> int:
    """How many recipients turned the newsletter off (news leaves them out)."""
    return message.recipients.filter(person__email_preference__newsletter=False).count()


def recipient_of(message: GroupMessage, person_id: int | str | None) -> User | None:
    """The recipient chosen to preview as, else the first; None for an unknown id."""
    people = User.objects.filter(pk__in=message.recipients.values("person_id")).order_by(
        "full_name", "email", "pk"
    )
    if person_id in (None, ""):
        return people.first()
    if not str(person_id).isdigit():
        return None
    return people.filter(pk=int(person_id)).first()
