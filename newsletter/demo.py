"""Demo newsletters for the ALSC program's current cycle (whose matches and goal sheets
the earlier demos made): an issue sent for each program month begun so far, with its
delivery report (one address bounced, one person had turned the newsletter off), next
month's draft waiting for the committee, and the reminders due today.

Idempotent: a month that has its issue is left as it is. The emails go to the demo's
folder, like every demo email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import ngettext

from matches.models import Match
from mentoring.dates import month_year
from mentoring.demo import DEMO_STAFF_EMAIL
from mentoring.models import Delivery, Milestone, Program, User
from mentoring.selectors import current_cycle

from . import reminders, services
from .models import NewsletterIssue, add_months, month_start, program_months
from .richtext import markdown_to_html

PROGRAM_SLUG = "alsc"
BOUNCE = "SMTPRecipientsRefused: 550 5.1.1 The email account that you tried to reach does not exist"

# The committee's news for the first months of a demo year (later months reuse the last).
NEWS = [
    "Welcome to the program year! Your match's introduction email has everything you need "
    "to get in touch: write to each other this week and agree on how and how often you "
    "will talk.\n\n"
    "**Your first conversation.** Share why you joined, what a good year would look like, "
    "and one thing you hope to learn from each other.\n\n"
    "**Questions?** Reply to this email and the committee will get back to you.",
    "Goal sheets are due at the end of this month. Most matches have a draft already: "
    "keep each goal small enough to finish by June, and give it a date.\n\n"
    "- The mentee submits the sheet; the mentor confirms it.\n"
    "- One goal is enough; three is the most.\n\n"
    "Thank you to everyone who joined the mentoring forum: the recording is on the timeline.",
    "Welcome back from the holidays. The virtual networking session is this month: a "
    "chance to meet the other matches and hear how they work together.\n\n"
    "Now that your goals are agreed, add a short check-in whenever something moves.",
]


def _news(index: int) -> str:
    return NEWS[min(index, len(NEWS) - 1)]


def _send(issue: NewsletterIssue, *, day: dt.datetime, staff: User | None) -> None:
    """Schedule and send an issue now (the emails go out inline in the demo), then date
    it as if it went out on ``day``."""
    services.issue_schedule(issue=issue, by=staff, send_at=timezone.now())
    services.issues_send_due()
    services.issues_finish()
    issue.refresh_from_db()
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        send_at=day, claimed_at=day, fanned_out_at=day, sent_at=day + dt.timedelta(minutes=3)
    )
    deliveries = Delivery.objects.filter(message_key=issue.message_key)
    deliveries.update(created_at=day, sent_at=day + dt.timedelta(minutes=2))
    bounced = deliveries.order_by("-to_email").first()
    if bounced is not None:
        Delivery.objects.filter(pk=bounced.pk).update(
            status=Delivery.Status.FAILED, last_error=BOUNCE, sent_at=None
        )


def seed(*, log: Callable[[str], object] = print) -> None:
    program = (
        Program.objects.filter(slug=PROGRAM_SLUG)
        .prefetch_related(Prefetch("cycles__milestones", queryset=Milestone.objects.all()))
        .first()
    )
    if program is None:
        log("Newsletter: no ALSC program yet (run load_program_content first)")
        return
    today = program.today()
    cycle = current_cycle(program, today)
    matches = list(
        Match.objects.active()
        .filter(cycle=cycle)
        .select_related("mentor__applicant")
        .order_by("pk")
    )
    if cycle is None or not matches:
        log("Newsletter: no active matches in the ALSC cycle, so no issue to send")
        return
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    months = program_months(cycle)
    sent = 0
    with transaction.atomic():
        # One mentor had turned the newsletter off: the report counts them out.
        quiet = matches[-1].mentor.applicant
        if quiet is not None and not NewsletterIssue.objects.filter(cycle=cycle).exists():
            services.email_preferences_update(user=quiet, newsletter=False, reminders=True)
    for index, month in enumerate(m for m in months if m <= month_start(today)):
        if NewsletterIssue.objects.filter(cycle=cycle, month=month).exists():
            continue
        with transaction.atomic():
            issue = services.issue_draft_create(cycle=cycle, month=month, by=staff)
            issue = services.issue_update(
                issue=issue,
                by=staff,
                subject=issue.subject,
                news=_news(index),
                discussion_activity=issue.discussion_activity,
                own_discussion_question="",
                featured_activities=issue.featured_activities.all(),
                events=issue.events.all(),
                milestones=issue.milestones.all(),
            )
        first_day = dt.datetime.combine(month, dt.time(9), tzinfo=program.tz)
        _send(issue, day=min(first_day + dt.timedelta(days=2), timezone.now()), staff=staff)
        sent += 1
    next_month = add_months(month_start(today), 1)
    drafted = False
    if (
        next_month in months
        and not NewsletterIssue.objects.filter(cycle=cycle, month=next_month).exists()
    ):
        services.issue_draft_auto(cycle=cycle, month=next_month)
        drafted = True
    due = reminders.reminders_send()
    issues = NewsletterIssue.objects.filter(cycle=cycle).order_by("month")
    log(
        f"Newsletter: {sent} {ngettext('issue', 'issues', sent)} sent now, "
        f"{issues.filter(status='sent').count()} sent in all, "
        f"{'a draft for ' + month_year(next_month) + ' written' if drafted else 'no new draft'}; "
        f"reminders sent today: {sum(due.values())}"
    )
    latest = issues.filter(status="sent").last()
    if latest is not None:
        mentee = matches[0].mentee.applicant if matches[0].mentee.applicant_id else None
        log(f"  Archive: /newsletters/ (e.g. {mentee.email if mentee else 'a mentee'})")
        log(f"  Delivery report: /admin/newsletter/newsletterissue/{latest.pk}/report/")


# --- Last year's issues ---------------------------------------------------------------------

# The evaluation's demo of last year writes each issue's deliveries under this key, with the
# month: ``newsletter:demo-<cycle slug>-<YYYY-MM>``; real issues are keyed by their id.
DEMO_KEY = "newsletter:demo-{slug}-"


@transaction.atomic
def past_issues(cycle, *, log: Callable[[str], object] = print) -> int:
    """Give a past demo year the newsletter issues its deliveries stand for, sent, so its
    partners read them in the archive; the deliveries are keyed by the issue as the real
    ones are (the health page's delivery report and the archive then agree). Idempotent:
    deliveries already keyed by an issue are left alone. Returns the issues made."""
    prefix = DEMO_KEY.format(slug=cycle.slug)
    keys = sorted(
        set(
            Delivery.objects.filter(
                kind="newsletter.issue", message_key__startswith=prefix
            ).values_list("message_key", flat=True)
        )
    )
    made = 0
    for index, key in enumerate(keys):
        month = dt.date.fromisoformat(key.removeprefix(prefix) + "-01")
        deliveries = Delivery.objects.filter(message_key=key)
        first = deliveries.order_by("created_at").first()
        issue, created = NewsletterIssue.objects.get_or_create(
            cycle=cycle,
            month=month,
            defaults={
                "subject": first.subject,
                "news": _news(index),
                "news_html": markdown_to_html(_news(index)),
                "status": NewsletterIssue.Status.SENT,
                "send_at": first.created_at,
                "claimed_at": first.created_at,
                "fanned_out_at": first.created_at,
                "sent_at": first.created_at,
                "recipients_count": deliveries.count(),
            },
        )
        made += created
        deliveries.update(message_key=f"newsletter:{issue.pk}")
    if made:
        log(f"Newsletter archive of {cycle}: {made} issues its partners can read again")
    return made
