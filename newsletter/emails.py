"""The newsletter's emails: each recipient's copy of an issue (rendered when it is sent,
with their own goal section), a test copy for staff, "next month's draft is ready" for
the committee, and the reminders.

Every copy of an issue and every reminder carries a one-click unsubscribe link and the
``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 8058).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from mentoring.mail import (
    RenderedEmail,
    base_context,
    batch_memo,
    email_queue,
    person_language,
    render_email,
)
from mentoring.models import Delivery, Program, User

from . import issue_sections
from .issue_sections import GoalSection, IssueContent
from .models import DRAFT_READY_KIND, TEST_KIND, NewsletterIssue, issue_id_from_key
from .richtext import email_html
from .tokens import unsubscribe_headers, unsubscribe_url


def list_id(program: Program, list_name: str) -> str:
    """An RFC 2919 list identifier, so mail clients and filters know the list."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{program.short_name} mentoring {list_name} <{list_name}.{program.slug}.{host}>"


def tidy_text(text: str) -> str:
    """A plain-text part without the blank lines and trailing spaces template tags leave."""
    # "-- " (with its space) is the signature separator mail clients recognise.
    lines = [line if line == "-- " else line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- An issue, to one person -----------------------------------------------------------


def goals_heading(sections: Sequence[GoalSection]) -> str:
    """“Your goals”, or, for a reader who only mentors, their mentee's or mentees'."""
    if sections and all(section.role == "mentor" for section in sections):
        return (
            gettext("Your mentees' goals") if len(sections) > 1 else gettext("Your mentee's goals")
        )
    return gettext("Your goals")


@dataclass(frozen=True)
class SharedParts:
    """What an issue says alike to every reader of one language: the news, the
    discussion question, the activities and the timeline (each part, HTML and text),
    and the links every copy carries."""

    news_html: str
    html: str
    text: str
    archive_url: str
    preferences_url: str
    catalog_url: str


def shared_parts(content: IssueContent) -> SharedParts:
    """The issue's shared parts in the active language, rendered once a batch for each
    language its readers read (the batch memo), not once a copy."""
    memo = batch_memo()
    key = ("newsletter-shared", content.issue.pk, translation.get_language())
    parts = memo.get(key)
    if parts is None:
        site = settings.SITE_URL
        catalog_url = site + reverse("activities:catalog")
        context = {**base_context(), "content": content, "catalog_url": catalog_url}
        parts = memo[key] = SharedParts(
            news_html=email_html(content.issue.news_html),
            html=render_to_string("newsletter/emails/_issue_shared.html", context),
            text=render_to_string("newsletter/emails/_issue_shared.txt", context),
            archive_url=site + reverse("newsletter:issue", kwargs={"pk": content.issue.pk}),
            preferences_url=site + reverse("newsletter:preferences"),
            catalog_url=catalog_url,
        )
    return parts


# Stand-ins for what differs from one reader to the next in an issue's frame, which is
# rendered once a batch for each language; each copy puts its own in their place. (No
# name, link or rendered goal section holds a NUL character.)
NAME_SLOT = "\x00issue:name\x00"
GOALS_SLOT = "\x00issue:goals\x00"
UNSUBSCRIBE_SLOT = "\x00issue:unsubscribe\x00"


@dataclass(frozen=True)
class IssueFrame:
    """An issue's copy, text and HTML, with the slots where a reader's name, goal
    section and unsubscribe link go."""

    html: str
    text: str


def issue_frame(
    content: IssueContent, *, recipient: User | None, test_for: User | None
) -> IssueFrame:
    """``newsletter/emails/issue.html`` and ``.txt`` with slots for what is the reader's
    own, in the active language. A batch renders it once for each language its readers
    read (the batch memo); a test copy, which names its tester, has its own."""
    memo = batch_memo() if test_for is None else {}
    key = ("newsletter-frame", content.issue.pk, translation.get_language(), recipient is None)
    frame = memo.get(key)
    if frame is None:
        shared = shared_parts(content)
        context = {
            **base_context(),
            "content": content,
            "issue": content.issue,
            "program": content.program,
            "cycle": content.cycle,
            "recipient": recipient,
            "test_for": test_for,
            "shared": shared,
            "news_html": shared.news_html,
            "archive_url": shared.archive_url,
            "preferences_url": shared.preferences_url,
            "catalog_url": shared.catalog_url,
            "name": NAME_SLOT,
            "goals_html": mark_safe(GOALS_SLOT),
            "goals_text": GOALS_SLOT,
            # A test copy's links are the tester's own: unsubscribing from a test must
            # not unsubscribe the participant it was previewed as.
            "unsubscribe_url": UNSUBSCRIBE_SLOT if (test_for or recipient) else "",
        }
        frame = memo[key] = IssueFrame(
            html=render_to_string("newsletter/emails/issue.html", context),
            text=render_to_string("newsletter/emails/issue.txt", context),
        )
    return frame


def render_issue(
    content: IssueContent,
    recipient: User | None,
    sections: Sequence[GoalSection],
    *,
    test_for: User | None = None,
) -> RenderedEmail:
    """An issue as ``recipient`` reads it: the same news, question, activities and
    timeline as everyone (the frame), and their own greeting, goal section and
    unsubscribe link, rendered from ``newsletter/emails/_issue_goals.html`` and ``.txt``."""
    # In the recipient's language: the fixed parts from the catalogue, the issue's own
    # text in their language where staff wrote it, else in English. A test copy reads as
    # the participant it previews.
    with translation.override(person_language(recipient or test_for)):
        frame = issue_frame(content, recipient=recipient, test_for=test_for)
        reader = test_for or recipient
        goals_context = {
            **base_context(),
            "sections": list(sections),
            "goals_heading": goals_heading(sections),
            "test_for": test_for,
        }
        goals_html = render_to_string("newsletter/emails/_issue_goals.html", goals_context)
        goals_text = render_to_string("newsletter/emails/_issue_goals.txt", goals_context)
        name = recipient.get_short_name() if recipient else ""
        unsubscribe = unsubscribe_url(reader.pk, "newsletter") if reader else ""
        headers = {}
        if reader is not None:
            headers = unsubscribe_headers(
                reader.pk,
                "newsletter",
                list_id=list_id(content.program, "newsletter"),
                url=unsubscribe,
            )
        subject = content.issue.subject
        if test_for is not None:
            subject = gettext("[Test] %(subject)s") % {"subject": subject}
        return RenderedEmail(
            subject=subject,
            text=tidy_text(_fill(frame.text, name, goals_text, unsubscribe)),
            html=_fill(
                frame.html, conditional_escape(name), goals_html, conditional_escape(unsubscribe)
            ),
            headers=headers,
        )


def _fill(frame: str, name: str, goals: str, unsubscribe: str) -> str:
    return (
        frame.replace(NAME_SLOT, name)
        .replace(GOALS_SLOT, goals)
        .replace(UNSUBSCRIBE_SLOT, unsubscribe)
    )


class RecipientGone(Exception):
    """The person an issue's delivery was recorded for no longer has an account."""


def render_issue_delivery(delivery: Delivery) -> RenderedEmail:
    """``Delivery.renderer`` of an issue's deliveries: its copy for the delivery's
    recipient, rendered as it is sent.

    Within a batch, what every copy shares (the issue, and the goal sections of the
    batch's fifty recipients) is loaded once, so a copy costs a fixed, small number of
    queries; what every reader of a language reads alike is rendered once
    (:func:`shared_parts`).
    """
    recipient = delivery.recipient
    if recipient is None or not recipient.is_active:
        raise RecipientGone("The recipient's account was deleted or deactivated.")
    issue_id = issue_id_from_key(delivery.message_key)
    memo = batch_memo()
    content = memo.get(("newsletter", issue_id))
    if content is None:
        content = memo[("newsletter", issue_id)] = issue_sections.issue_content_get(issue_id)
    sections = memo.get(("newsletter-sections", issue_id))
    if sections is None or recipient.pk not in sections:
        people = set(memo.get("recipient_ids") or ()) | {recipient.pk}
        found = issue_sections.goal_sections_for(content.cycle.pk, people)
        sections = memo[("newsletter-sections", issue_id)] = {
            pk: found.get(pk, []) for pk in people
        }
    return render_issue(content, recipient, sections[recipient.pk])


def issue_preview(issue: NewsletterIssue, recipient: User | None) -> RenderedEmail:
    """An issue as ``recipient`` would read it (staff's preview)."""
    content = issue_sections.issue_content_get(issue.pk)
    sections = []
    if recipient is not None:
        sections = issue_sections.goal_sections_for(content.cycle.pk, [recipient.pk]).get(
            recipient.pk, []
        )
    return render_issue(content, recipient, sections)


def newsletter_test(*, issue: NewsletterIssue, to: User, as_recipient: User | None) -> Delivery:
    """To a member of staff: the issue as ``as_recipient`` would read it (their goal
    section), marked as a test. Each test is its own message."""
    content = issue_sections.issue_content_get(issue.pk)
    sections = []
    if as_recipient is not None:
        sections = issue_sections.goal_sections_for(content.cycle.pk, [as_recipient.pk]).get(
            as_recipient.pk, []
        )
    rendered = render_issue(content, as_recipient or to, sections, test_for=to)
    delivery, _ = email_queue(
        kind=TEST_KIND,
        message_key=f"newsletter-test:{issue.pk}:{uuid.uuid4().hex}",
        to=to,
        rendered=rendered,
    )
    return delivery


def newsletter_draft_ready(*, issue: NewsletterIssue, staff: Sequence[User]) -> int:
    """To the committee: next month's issue is drafted and waits for them."""
    path = reverse("admin:newsletter_newsletterissue_change", args=[issue.pk])
    sent = 0
    for person in staff:
        _, created = email_queue(
            kind=DRAFT_READY_KIND,
            message_key=f"newsletter-draft-ready:{issue.pk}",
            to=person,
            template="newsletter/emails/draft_ready",
            context={
                "issue": issue,
                "program": issue.cycle.program,
                "cycle": issue.cycle,
                "content": issue_sections.issue_content_get(issue.pk),
                "edit_url": settings.SITE_URL + path,
            },
        )
        sent += created
    return sent


# --- Reminders ---------------------------------------------------------------------------


def reminder_delivery(
    *,
    name: str,
    message_key: str,
    to: User,
    program: Program,
    context: dict[str, Any],
) -> Delivery:
    """One reminder to one person, rendered now (unsaved; the caller records a day's
    reminders together). Templates: ``newsletter/emails/reminder_<name>``."""
    rendered = render_email(
        f"newsletter/emails/reminder_{name}",
        {
            "recipient": to,
            "name": to.get_short_name(),
            "program": program,
            "preferences_url": settings.SITE_URL + reverse("newsletter:preferences"),
            "unsubscribe_url": unsubscribe_url(to.pk, "reminders"),
            **context,
        },
    )
    return Delivery(
        message_key=message_key,
        kind=f"reminder.{name}",
        recipient=to,
        to_email=to.email,
        subject=rendered.subject,
        body_text=tidy_text(rendered.text),
        body_html=rendered.html,
        headers=unsubscribe_headers(to.pk, "reminders", list_id=list_id(program, "reminders")),
    )


# --- A message to a group ------------------------------------------------------------------


def render_group_message(
    message, recipient: User, *, body_html: str | None = None
) -> RenderedEmail:
    """A message to a group as ``recipient`` reads it. Program business carries no
    unsubscribe (it is about their own participation); news carries the newsletter's,
    and its headers, like the newsletter it stands beside. A reply goes to the member of
    staff who wrote it."""
    is_news = message.kind == message.Kind.NEWS
    author = message.sent_by or message.created_by
    # The fixed parts in the recipient's language; staff's words as they wrote them.
    with translation.override(person_language(recipient)):
        return _render_group_message(message, recipient, is_news, author, body_html)


def _render_group_message(message, recipient, is_news, author, body_html) -> RenderedEmail:
    context = {
        **base_context(),
        "message": message,
        "recipient": recipient,
        "name": recipient.get_short_name(),
        "is_news": is_news,
        "body_html": body_html if body_html is not None else email_html(message.body_html),
        "preferences_url": settings.SITE_URL + reverse("newsletter:preferences"),
        "unsubscribe_url": unsubscribe_url(recipient.pk, "newsletter") if is_news else "",
    }
    headers = {}
    if is_news:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        headers = unsubscribe_headers(
            recipient.pk, "newsletter", list_id=f"Mentoring news <news.{host}>"
        )
    if author is not None and author.email:
        headers["Reply-To"] = author.email
    # The message's own words are staff's; what frames them is in the reader's language.
    with translation.override(person_language(recipient)):
        return RenderedEmail(
            subject=message.subject,
            text=tidy_text(render_to_string("newsletter/emails/group_message.txt", context)),
            html=render_to_string("newsletter/emails/group_message.html", context),
            headers=headers,
        )
