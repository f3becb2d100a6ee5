"""What the committee has to do now: for each running cycle, today's phase and the
tasks waiting, each a count and a link to the list that does it.

The committee are volunteers who open the admin a few evenings a month; this is the
first thing they see there. Every count is one grouped query over all running cycles, so
the page costs the same whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from applications.models import DECISIONS, Application
from evaluation.models import SURVEY_DUE_WITHIN, Survey
from goals.models import GoalSheet
from matches import alumni
from matches.models import HelpRequest, Match
from mentoring.models import Cycle, Program
from mentoring.selectors import on_the_desk
from mentoring.timeline import Phase, phase_on
from newsletter.models import NewsletterIssue


@dataclass(frozen=True)
class Task:
    """One kind of work: how many are waiting and where to do it."""

    title: str
    count: int
    url: str
    waiting: str  # "12 applications" — what the count counts, in words
    done: str  # what the task says when nothing waits
    permission: str  # who may see it: a person may only be sent where they can look

    @property
    def is_done(self) -> bool:
        return self.count == 0


@dataclass
class CycleWorklist:
    cycle: Cycle
    today: dt.date
    phase: Phase
    tasks: list[Task] = field(default_factory=list)
    # Applicants who concluded a match in an earlier year of the program.
    returning: alumni.Returning = field(default_factory=alumni.Returning)

    @property
    def waiting(self) -> int:
        return sum(1 for task in self.tasks if not task.is_done)


def _changelist(model, **params) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}"


def running_cycles(*, now: dt.datetime | None = None) -> list[tuple[Cycle, dt.date]]:
    """The cycles on the committee's desk, each with its program's today."""
    now = now or timezone.now()
    cycles = []
    for program in Program.objects.prefetch_related("cycles__milestones").order_by("name"):
        today = timezone.localdate(now, program.tz)
        for cycle in sorted(program.cycles.all(), key=lambda c: c.starts_on):
            if on_the_desk(cycle, today):
                cycles.append((cycle, today))
    return cycles


def _grouped(queryset, by: str, **counts) -> dict[int, dict[str, int]]:
    # No ordering: an ordering field would join the GROUP BY and split a cycle's counts
    # over several rows (modeltranslation's querysets bring the model's ordering back).
    rows = (
        queryset.order_by()
        .values(by)
        .annotate(**{name: Count("pk", filter=q) for name, q in counts.items()})
    )
    return {row[by]: row for row in rows}


def worklists(*, now: dt.datetime | None = None) -> list[CycleWorklist]:
    """Every running cycle's phase and tasks (a fixed number of queries)."""
    running = running_cycles(now=now)
    ids = [cycle.pk for cycle, _ in running]
    open_match = Match.objects.filter(
        mentee=OuterRef("pk"), status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE]
    )
    applications = _grouped(
        Application.objects.filter(cycle__in=ids).annotate(matched=Exists(open_match)),
        "cycle",
        submitted=Q(status=Application.Status.SUBMITTED),
        under_review=Q(status=Application.Status.UNDER_REVIEW),
        untold=Q(status__in=DECISIONS, decision_sent_at__isnull=True, applicant__isnull=False),
        unmatched=Q(
            status=Application.Status.ACCEPTED, role=Application.Role.MENTEE, matched=False
        ),
    )
    matches = _grouped(
        Match.objects.filter(cycle__in=ids),
        "cycle",
        proposed=Q(status=Match.Status.PROPOSED),
        active=Q(status=Match.Status.ACTIVE),
        no_sheet=Q(status=Match.Status.ACTIVE, goal_sheet__isnull=True),
    )
    sheets = GoalSheet.objects.filter(match__cycle__in=ids, match__status=Match.Status.ACTIVE)
    todays = {cycle.program_id: today for cycle, today in running}
    overdue_ids = sheets.with_due_on().overdue(programs_today=todays).values("pk")
    goal_sheets = _grouped(
        sheets,
        "match__cycle",
        submitted=Q(status=GoalSheet.Status.SUBMITTED),
        overdue=Q(pk__in=overdue_ids),
    )
    drafts = _grouped(
        NewsletterIssue.objects.filter(cycle__in=ids),
        "cycle",
        draft=Q(status=NewsletterIssue.Status.DRAFT),
    )
    help_requests = _grouped(
        HelpRequest.objects.filter(match__cycle__in=ids),
        "match__cycle",
        open=Q(resolved_at__isnull=True),
    )
    soonest = max((today for _, today in running), default=timezone.localdate()) + SURVEY_DUE_WITHIN
    surveys = _grouped(
        Survey.objects.filter(cycle__in=ids),
        "cycle",
        due=Q(status__in=[Survey.Status.DRAFT, Survey.Status.SCHEDULED], opens_on__lte=soonest),
    )
    returning = alumni.returning_by_cycle(cycle for cycle, _ in running)
    lists = [
        _worklist(
            cycle,
            today,
            applications.get(cycle.pk, {}),
            matches.get(cycle.pk, {}),
            goal_sheets.get(cycle.pk, {}),
            drafts.get(cycle.pk, {}),
            surveys.get(cycle.pk, {}),
            help_requests.get(cycle.pk, {}),
        )
        for cycle, today in running
    ]
    for worklist in lists:
        worklist.returning = returning[worklist.cycle.pk]
    return lists


def _worklist(
    cycle, today, applications, matches, goal_sheets, drafts, surveys, help_requests
) -> CycleWorklist:
    c = cycle.pk
    n = lambda counts, key: counts.get(key, 0)  # noqa: E731
    worklist = CycleWorklist(
        cycle=cycle, today=today, phase=phase_on(cycle.milestones.all(), today)
    )
    add = worklist.tasks.append
    if today <= cycle.applications_close_on + dt.timedelta(days=60):
        count = n(applications, "submitted")
        add(
            Task(
                gettext("Applications to review"),
                count,
                _changelist(Application, cycle=c, status__exact="submitted"),
                ngettext("%d submitted application", "%d submitted applications", count) % count,
                gettext("Every submitted application is under review or decided."),
                "applications.view_application",
            )
        )
        count = n(applications, "under_review")
        add(
            Task(
                gettext("Applications to decide"),
                count,
                _changelist(Application, cycle=c, status__exact="under_review"),
                ngettext("%d application under review", "%d applications under review", count)
                % count,
                gettext("No application is waiting for a decision."),
                "applications.change_application",
            )
        )
        count = n(applications, "untold")
        add(
            Task(
                gettext("Decisions to send"),
                count,
                _changelist(
                    Application, cycle=c, told="no", status__in=",".join(sorted(DECISIONS))
                ),
                ngettext("%d applicant not yet told", "%d applicants not yet told", count) % count,
                gettext("Every decided applicant has been told."),
                "applications.change_application",
            )
        )
    board = reverse("admin:matches_match_propose", args=[c])
    count = n(applications, "unmatched")
    add(
        Task(
            gettext("Mentees to match"),
            count,
            board,
            ngettext(
                "%d accepted mentee without a match", "%d accepted mentees without a match", count
            )
            % count,
            gettext("Every accepted mentee has a match or a proposal."),
            "matches.change_match",
        )
    )
    count = n(matches, "proposed")
    add(
        Task(
            gettext("Proposals to confirm"),
            count,
            board,
            ngettext("%d proposed pair", "%d proposed pairs", count) % count,
            gettext("No proposal is waiting for confirmation."),
            "matches.change_match",
        )
    )
    if n(matches, "active") or n(matches, "proposed"):
        count = n(matches, "no_sheet")
        add(
            Task(
                gettext("Goal sheets not started"),
                count,
                _changelist(Match, cycle_id=c, status__exact="active", goal_sheet="none"),
                ngettext(
                    "%d active match has not started its goal sheet",
                    "%d active matches have not started their goal sheets",
                    count,
                )
                % count,
                gettext("Every active match has started its goal sheet."),
                "matches.view_match",
            )
        )
        count = n(goal_sheets, "overdue")
        add(
            Task(
                gettext("Goal sheets overdue"),
                count,
                _changelist(GoalSheet, match_cycle_id=c, overdue="yes"),
                ngettext(
                    "%d goal sheet past its due date", "%d goal sheets past their due date", count
                )
                % count,
                gettext("No goal sheet is overdue."),
                "goals.view_goalsheet",
            )
        )
        count = n(goal_sheets, "submitted")
        add(
            Task(
                gettext("Goal sheets waiting for the mentor"),
                count,
                _changelist(GoalSheet, match_cycle_id=c, status__exact="submitted"),
                ngettext(
                    "%d goal sheet submitted, not yet confirmed",
                    "%d goal sheets submitted, not yet confirmed",
                    count,
                )
                % count,
                gettext("No submitted goal sheet waits for its mentor."),
                "goals.view_goalsheet",
            )
        )
    if n(matches, "active") or n(help_requests, "open"):
        count = n(help_requests, "open")
        add(
            Task(
                gettext("Requests for help"),
                count,
                _changelist(HelpRequest, match_cycle_id=c, resolved="no"),
                ngettext(
                    "%d partner's request for help not yet resolved",
                    "%d partners' requests for help not yet resolved",
                    count,
                )
                % count,
                gettext("No partner's request for help is waiting."),
                "matches.view_helprequest",
            )
        )
    count = n(drafts, "draft")
    add(
        Task(
            gettext("Newsletter drafts to approve"),
            count,
            _changelist(NewsletterIssue, cycle=c, status__exact="draft"),
            ngettext("%d draft issue", "%d draft issues", count) % count,
            gettext("No newsletter draft is waiting."),
            "newsletter.change_newsletterissue",
        )
    )
    count = n(surveys, "due")
    add(
        Task(
            gettext("Surveys due"),
            count,
            _changelist(Survey, cycle=c, due="soon"),
            ngettext(
                "%d survey opening within two weeks, not yet open",
                "%d surveys opening within two weeks, not yet open",
                count,
            )
            % count,
            gettext("No survey opens in the next two weeks."),
            "evaluation.change_survey",
        )
    )
    if today >= cycle.ends_on:
        count = n(matches, "active")
        add(
            Task(
                gettext("The year to close"),
                count,
                reverse("admin:matches_match_conclude_cycle", args=[c]),
                ngettext("%d match still active", "%d matches still active", count) % count,
                gettext("Every match of the year has concluded."),
                "matches.change_match",
            )
        )
    return worklist
