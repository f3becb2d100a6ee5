"""Writes of the newsletter: drafting, editing, scheduling and sending issues, retrying
failed deliveries, and each person's email preferences.

Sending an issue is the beat task's job: :func:`issues_send_due` claims a due issue with
a conditional update (scheduled → sending), so two workers or a task run twice fan it out
once; the fan-out records one delivery per recipient in chunks (unique per issue and
address, inserted with ``ignore_conflicts``), so a fan-out interrupted by a dying worker
is taken over and finished without recording anyone twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from activities.models import ANY_PHASE, Activity
from mentoring.dates import long_date, month_year
from mentoring.mail import email_queue_bulk, queue_deliveries
from mentoring.models import Cycle, Delivery, Event, Milestone, User
from mentoring.timeline import phase_on

from . import emails, selectors
from .models import (
    ISSUE_KIND,
    EmailPreference,
    NewsletterIssue,
    add_months,
    month_start,
    program_months,
)
from .richtext import markdown_to_html
from .tokens import LISTS

Status = NewsletterIssue.Status
RENDERER = "newsletter.emails.render_issue_delivery"
FAN_OUT_CHUNK = 1000
# Next month's draft is written this many days before the month begins.
DRAFT_LEAD_DAYS = 20
FEATURED_PER_ISSUE = 3


def _long(day: dt.date) -> str:
    return long_date(day)


def _refuse(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


def _move(issue: NewsletterIssue, target: str) -> None:
    """Enforce the table of transitions (``NewsletterIssue.TRANSITIONS``)."""
    if not issue.can_become(target):
        raise _refuse(
            f"A {issue.get_status_display().lower()} issue cannot become "
            f"{Status(target).label.lower()}.",
            "transition",
        )
    issue.status = target


def _locked(issue: NewsletterIssue) -> NewsletterIssue:
    return (
        NewsletterIssue.objects.select_for_update()
        .select_related("cycle__program")
        .get(pk=issue.pk)
    )


# --- Drafting and editing -----------------------------------------------------------------


def default_subjects(cycle: Cycle, month: dt.date) -> dict[str, str]:
    """The pre-filled subject in each of the site's languages, by language code.

    It is stored in each language (the subject is a translated field), not translated
    when sent: the copies, the archive and admin then read it like a subject staff wrote,
    each reader in theirs, and staff see and edit the Spanish beside the English. A
    render-time translation of a stored English default would have to guess whether
    staff had changed it."""
    subjects = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            subjects[language] = gettext("%(program)s mentoring newsletter: %(month)s") % {
                "program": cycle.program.short_name,
                "month": month_year(month),
            }
    return subjects


@transaction.atomic
def issue_draft_create(
    *, cycle: Cycle, month: dt.date, by: User | None = None, auto: bool = False
) -> NewsletterIssue:
    """Draft the issue of ``cycle`` for ``month``, pre-filled: the next question of the
    bank, activities for the month's phase not featured in the cycle before, and the
    events and milestones coming up; the news is staff's to write. Raises ValidationError
    for a month outside the program or one that already has its issue."""
    month = month_start(month)
    months = program_months(cycle)
    if month not in months:
        raise ValidationError(
            {
                "month": gettext("Choose a month of the %(cycle)s program: %(first)s to %(last)s.")
                % {"cycle": cycle, "first": month_year(months[0]), "last": month_year(months[-1])}
            }
        )
    if NewsletterIssue.objects.filter(cycle=cycle, month=month).exists():
        raise ValidationError(
            {
                "month": gettext("The %(cycle)s newsletter for %(month)s already exists.")
                % {"cycle": cycle, "month": month_year(month)}
            }
        )
    milestones = list(cycle.milestones.all())
    phase = phase_on(milestones, month.replace(day=15))
    phase_kind = phase.kind or (phase.next.kind if phase.next else ANY_PHASE)
    used_questions, featured_before = selectors.used_in_cycle(cycle)
    events, upcoming = selectors.upcoming_on_timeline(cycle, month)
    issue = NewsletterIssue(
        cycle=cycle,
        month=month,
        **{
            build_localized_fieldname("subject", language): subject
            for language, subject in default_subjects(cycle, month).items()
        },
        discussion_activity=selectors.next_question(cycle, used_questions),
        auto_drafted=auto,
        created_by=by,
        updated_by=by,
    )
    issue.full_clean()
    issue.save()
    issue.featured_activities.set(
        selectors.activities_to_feature(cycle, phase_kind, featured_before, FEATURED_PER_ISSUE)
    )
    issue.events.set(events)
    issue.milestones.set(upcoming)
    return issue


def _check_content(
    issue: NewsletterIssue,
    discussion_activity: Activity | None,
    featured_activities: Iterable[Activity],
    events: Iterable[Event],
    milestones: Iterable[Milestone],
) -> None:
    cycle = issue.cycle
    errors: dict[str, str] = {}
    if discussion_activity is not None and (
        discussion_activity.program_id != cycle.program_id
        or not discussion_activity.discussion_question.strip()
    ):
        errors["discussion_activity"] = gettext(
            "Choose a question of the %(program)s question bank."
        ) % {"program": cycle.program.short_name}
    if any(a.program_id != cycle.program_id for a in featured_activities):
        errors["featured_activities"] = gettext("Choose activities of the %(program)s catalog.") % {
            "program": cycle.program.short_name
        }
    if any(e.cycle_id != cycle.pk for e in events):
        errors["events"] = gettext("Choose events of the %(cycle)s cycle.") % {"cycle": cycle}
    if any(m.cycle_id != cycle.pk for m in milestones):
        errors["milestones"] = gettext("Choose milestones of the %(cycle)s cycle.") % {
            "cycle": cycle
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def issue_update(
    *,
    issue: NewsletterIssue,
    by: User | None,
    subject: str,
    news: str,
    discussion_activity: Activity | None,
    own_discussion_question: str,
    featured_activities: Iterable[Activity],
    events: Iterable[Event],
    milestones: Iterable[Milestone],
    spanish: Mapping[str, str] | None = None,
) -> NewsletterIssue:
    """Staff's edit of a draft or scheduled issue (a scheduled issue keeps its send
    time). Refused once the issue is being sent. ``subject``, ``news`` and
    ``own_discussion_question`` are the English text; ``spanish`` has the same keys for
    Spanish readers (an empty one: they read the English)."""
    locked = _locked(issue)
    if not locked.is_editable:
        raise _refuse(
            gettext("This issue is %(status)s: it can no longer be changed.")
            % {"status": locked.get_status_display().lower()},
            "not_editable",
        )
    featured_activities, events, milestones = (
        list(featured_activities),
        list(events),
        list(milestones),
    )
    _check_content(locked, discussion_activity, featured_activities, events, milestones)
    # The unsuffixed fields write the active language's column: English here, whatever
    # language staff read the admin in.
    with translation.override(settings.LANGUAGE_CODE):
        locked.subject = subject.strip()
        locked.news = news
        locked.news_html = markdown_to_html(news)
        locked.own_discussion_question = own_discussion_question.strip()
    if spanish is not None:
        news_es = spanish.get("news", "")
        locked.subject_es = spanish.get("subject", "").strip() or None
        locked.news_es = news_es or None
        locked.news_html_es = markdown_to_html(news_es) if news_es.strip() else None
        locked.own_discussion_question_es = (
            spanish.get("own_discussion_question", "").strip() or None
        )
    locked.discussion_activity = discussion_activity
    locked.updated_by = by
    locked.full_clean()
    locked.save()
    locked.featured_activities.set(featured_activities)
    locked.events.set(events)
    locked.milestones.set(milestones)
    return locked


# --- Scheduling -----------------------------------------------------------------------------

# How far in the past a send time may be when staff schedule (the form's clock and the
# server's differ by a few seconds; "send now" is a send time of now).
SCHEDULE_GRACE = dt.timedelta(minutes=5)


@transaction.atomic
def issue_schedule(
    *, issue: NewsletterIssue, by: User | None, send_at: dt.datetime
) -> NewsletterIssue:
    """Schedule a draft to go out at ``send_at`` (the beat task sends it when due)."""
    locked = _locked(issue)
    if send_at < timezone.now() - SCHEDULE_GRACE:
        raise ValidationError({"send_at": gettext("Choose a time from now on, or send it now.")})
    if not locked.subject.strip():
        raise ValidationError(
            {"send_at": gettext("Give the issue a subject before scheduling it.")}
        )
    if not selectors.issue_recipients(locked).exists():
        raise ValidationError(
            {
                "send_at": gettext(
                    "Nobody would receive it: the %(cycle)s cycle has no active match whose "
                    "partners get the newsletter."
                )
                % {"cycle": locked.cycle}
            }
        )
    _move(locked, Status.SCHEDULED)
    locked.send_at = send_at
    locked.scheduled_by = by
    locked.updated_by = by
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def issue_unschedule(*, issue: NewsletterIssue, by: User | None) -> NewsletterIssue:
    """Take a scheduled issue back to a draft (before it is due and claimed)."""
    locked = _locked(issue)
    _move(locked, Status.DRAFT)
    locked.send_at = None
    locked.scheduled_by = None
    locked.updated_by = by
    locked.save()
    return locked


# --- Sending --------------------------------------------------------------------------------


def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=settings.NEWSLETTER_FAN_OUT_TIMEOUT)
    return Q(status=Status.SCHEDULED, send_at__lte=now) | Q(
        status=Status.SENDING, fanned_out_at__isnull=True, claimed_at__lt=stale
    )


def issue_claim(*, issue_id: int, now: dt.datetime | None = None) -> bool:
    """Take a due issue for sending (scheduled → sending), or take over a fan-out whose
    worker died. One conditional UPDATE: only one caller ever gets True."""
    now = now or timezone.now()
    return bool(
        NewsletterIssue.objects.filter(pk=issue_id)
        .filter(_claimable(now))
        .update(status=Status.SENDING, claimed_at=now)
    )


def issue_fan_out(*, issue: NewsletterIssue) -> int:
    """Record one delivery per recipient (rendered when sent, with their goal section)
    and queue them in batches, a chunk of recipients per transaction; then note the
    issue as fanned out. Safe to run again: recipients already recorded are skipped.
    Returns the number of deliveries the issue has."""
    key = issue.message_key
    recipients = selectors.issue_recipients(issue).values_list("pk", "email")
    last = 0
    while True:
        chunk = list(recipients.filter(pk__gt=last)[:FAN_OUT_CHUNK])
        if not chunk:
            break
        with transaction.atomic():
            email_queue_bulk(
                [
                    Delivery(
                        message_key=key,
                        kind=ISSUE_KIND,
                        recipient_id=pk,
                        to_email=email,
                        subject=issue.subject,
                        renderer=RENDERER,
                    )
                    for pk, email in chunk
                ]
            )
        last = chunk[-1][0]
    total = Delivery.objects.filter(message_key=key).count()
    NewsletterIssue.objects.filter(
        pk=issue.pk, status=Status.SENDING, fanned_out_at__isnull=True
    ).update(fanned_out_at=timezone.now(), recipients_count=total)
    return total


def issues_send_due(*, now: dt.datetime | None = None) -> list[int]:
    """Send every issue that is due (and finish any fan-out a dead worker left), then
    mark sent the issues whose deliveries have all finished. Returns the ids fanned out."""
    now = now or timezone.now()
    fanned_out = []
    for pk in NewsletterIssue.objects.filter(_claimable(now)).values_list("pk", flat=True):
        if issue_claim(issue_id=pk, now=now):
            issue = NewsletterIssue.objects.select_related("cycle").get(pk=pk)
            issue_fan_out(issue=issue)
            fanned_out.append(pk)
    issues_finish(now=now)
    return fanned_out


def issues_finish(*, now: dt.datetime | None = None) -> int:
    """Mark sent (sending → sent) each fanned-out issue none of whose deliveries is still
    pending or being sent. Returns how many were marked."""
    now = now or timezone.now()
    finished = 0
    for issue in NewsletterIssue.objects.filter(status=Status.SENDING, fanned_out_at__isnull=False):
        if not selectors.delivery_counts(issue).finished:
            continue
        finished += NewsletterIssue.objects.filter(pk=issue.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=now
        )
    return finished


def issue_send_test(
    *, issue: NewsletterIssue, to: User, as_recipient: User | None = None
) -> Delivery:
    """Send ``to`` (a member of staff) a test copy of the issue as ``as_recipient``
    reads it. Any number of tests; none counts as the issue's delivery."""
    if not to.email:
        raise _refuse(gettext("Your account has no email address to send the test to."))
    return emails.newsletter_test(issue=issue, to=to, as_recipient=as_recipient)


@transaction.atomic
def issue_retry_failed(*, issue: NewsletterIssue) -> int:
    """Queue the issue's failed deliveries again (after an address was fixed or a mail
    server recovered), except to people who have since turned the newsletter off."""
    ids = list(
        Delivery.objects.filter(message_key=issue.message_key, status=Delivery.Status.FAILED)
        .exclude(recipient__email_preference__newsletter=False)
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, last_error="", attempts=0, claimed_at=None
    )
    queue_deliveries(ids)
    return len(ids)


# --- Next month's draft ------------------------------------------------------------------


def issues_draft_next_month(*, now: dt.datetime | None = None) -> list[NewsletterIssue]:
    """For each cycle whose next month is a program month, draft that month's issue
    (from DRAFT_LEAD_DAYS before it begins) and tell the committee it is ready. Running
    it again drafts nothing more."""
    now = now or timezone.now()
    drafted = []
    cycles = Cycle.objects.filter(ends_on__gte=(now - dt.timedelta(days=2)).date()).select_related(
        "program"
    )
    for cycle in cycles:
        today = timezone.localdate(now, cycle.program.tz)
        month = add_months(month_start(today), 1)
        if month not in program_months(cycle) or (month - today).days > DRAFT_LEAD_DAYS:
            continue
        if NewsletterIssue.objects.filter(cycle=cycle, month=month).exists():
            continue
        try:
            drafted.append(issue_draft_auto(cycle=cycle, month=month))
        except (IntegrityError, ValidationError):
            continue  # drafted meanwhile by a parallel run or by staff
    return drafted


@transaction.atomic
def issue_draft_auto(*, cycle: Cycle, month: dt.date) -> NewsletterIssue:
    """Draft a month's issue on the program's behalf and tell the committee staff it
    waits for them."""
    issue = issue_draft_create(cycle=cycle, month=month, auto=True)
    emails.newsletter_draft_ready(issue=issue, staff=list(selectors.committee_staff()))
    return issue


# --- Email preferences ----------------------------------------------------------------------


@transaction.atomic
def email_preferences_update(*, user: User, newsletter: bool, reminders: bool) -> EmailPreference:
    """Turn the newsletter and the reminders on or off for a person."""
    preference, _ = EmailPreference.objects.select_for_update().get_or_create(user=user)
    preference.newsletter = newsletter
    preference.reminders = reminders
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def email_list_set(*, user: User, list_name: str, subscribed: bool) -> EmailPreference:
    """Subscribe or unsubscribe a person to one list ("newsletter" or "reminders"), as
    the one-click link in an email does."""
    if list_name not in LISTS:
        raise _refuse(f"There is no email list called {list_name}.")
    preference, _ = EmailPreference.objects.select_for_update().get_or_create(user=user)
    setattr(preference, list_name, subscribed)
    preference.save()
    return preference
