"""The figures of the health page (``evaluation/health.py`` and the modules it
gathers) on cohorts built with the factories: the funnel, goal sheets, activity per
month, newsletters, and each reason a match is at risk, present and absent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import FORMER_PARTICIPANT, Application
from evaluation import cycle_data, health, risk, sections
from evaluation.cycle_data import CycleData
from evaluation.risk import GOAL_PAST_TARGET, NEWSLETTER_BOUNCING, NO_GOAL_SHEET, QUIET
from goals.models import CheckIn, Goal, GoalSheet, GoalSheetRevision
from matches.models import Match
from mentoring.models import Delivery, Milestone
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    AnswerFactory,
    ApplicationFactory,
    CategoryFactory,
    CheckInFactory,
    CycleFactory,
    GoalSheetFactory,
    InvitationFactory,
    MatchFactory,
    MilestoneFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
)

from .conftest import agreed_match, confirmed, days_ago

pytestmark = pytest.mark.django_db


def data(cycle, **kwargs) -> CycleData:
    return CycleData(cycle, **kwargs)


def at_risk(cycle, **kwargs) -> dict[int, list[str]]:
    return {item.match.pk: item.codes for item in risk.matches_at_risk(data(cycle, **kwargs))}


def healthy(cycle, today):
    """An agreed match that checked in three days ago: at risk for nothing."""
    match = agreed_match(cycle, today)
    CheckInFactory(goal=match.goal_sheet.goals.get(), on=days_ago(today, 3))
    return match


# --- The funnel ---------------------------------------------------------------------------


def test_the_funnel_counts_applications_by_role_and_status_and_each_stage(cycle, today):
    mentees = [ApplicationFactory(cycle=cycle, status="accepted") for _ in range(4)]
    ApplicationFactory(cycle=cycle, status="submitted")
    ApplicationFactory(cycle=cycle, status="declined")
    ApplicationFactory(cycle=cycle, status="draft", submitted_at=None)
    ApplicationFactory(cycle=cycle, status="withdrawn")  # withdrawn after submitting
    ApplicationFactory(cycle=cycle, status="withdrawn", submitted_at=None)  # never submitted
    mentor_a, mentor_b = (
        ApplicationFactory(cycle=cycle, mentor=True, status="accepted", mentee_capacity=2)
        for _ in range(2)
    )
    ApplicationFactory(cycle=cycle, mentor=True, status="waitlisted")

    achieved = agreed_match(cycle, today, mentor=mentor_a, mentee=mentees[0])
    CheckInFactory(goal=achieved.goal_sheet.goals.get(), status="achieved", on=today)
    agreed_match(cycle, today, mentor=mentor_a, mentee=mentees[1])
    GoalSheetFactory(match=MatchFactory(cycle=cycle, mentor=mentor_b, mentee=mentees[2]))
    MatchFactory(
        cycle=cycle,
        mentor=mentor_b,
        mentee=mentees[3],
        status="dissolved",
        dissolved_reason="Moved away.",
    )

    funnel = sections.funnel(data(cycle))

    stages = {s.key: (s.mentees, s.mentors) for s in funnel.stages}
    assert stages == {
        "applied": (7, 3),
        "accepted": (4, 2),
        "matched": (3, 2),
        "agreed": (2, 1),
        "achieved": (1, 1),
    }
    by_status = {row.status: (row.mentees, row.mentors) for row in funnel.by_status}
    assert by_status["accepted"] == (4, 2)
    assert by_status["withdrawn"] == (2, 0)
    assert by_status["draft"] == (1, 0)
    assert by_status["waitlisted"] == (0, 1)
    assert funnel.applications == 12
    assert (funnel.goals_agreed, funnel.goals_achieved) == (2, 1)


def test_a_goal_counts_achieved_by_its_final_outcome_as_well_as_its_check_in(cycle, today):
    match = agreed_match(cycle, today, goals=2)
    first, second = match.goal_sheet.goals.order_by("position")
    Goal.objects.filter(pk=first.pk).update(final_outcome=Goal.Outcome.ACHIEVED)
    CheckInFactory(goal=second, status="achieved", on=days_ago(today, 9))
    CheckInFactory(goal=second, status="in_progress", on=days_ago(today, 2))  # the latest

    funnel = sections.funnel(data(cycle))

    assert (funnel.goals_agreed, funnel.goals_achieved) == (2, 1)


# --- Goal sheets --------------------------------------------------------------------------


def _revision(match, *, submitted: int, agreed: int | None, today, status: str):
    tz = match.cycle.program.tz

    def moment(days):
        return timezone.make_aware(dt.datetime.combine(days_ago(today, days), dt.time(15)), tz)

    sheet = GoalSheetFactory(
        match=match,
        status=status,
        agreed_revision=1 if agreed is not None else None,
    )
    GoalSheetRevision.objects.create(
        sheet=sheet,
        number=1,
        submitted_at=moment(submitted),
        confirmed_at=moment(agreed) if agreed is not None else None,
    )
    return sheet


def test_goal_sheets_are_counted_by_state_overdue_and_over_time(cycle, today):
    # Due 30 days ago: one agreed on time, one late, one submitted and waiting, one
    # draft and one match that never opened its sheet.
    _revision(MatchFactory(cycle=cycle), submitted=40, agreed=35, today=today, status="agreed")
    _revision(MatchFactory(cycle=cycle), submitted=20, agreed=10, today=today, status="agreed")
    _revision(MatchFactory(cycle=cycle), submitted=25, agreed=None, today=today, status="submitted")
    GoalSheetFactory(match=MatchFactory(cycle=cycle))
    MatchFactory(cycle=cycle)

    progress = sections.goal_sheet_progress(data(cycle))

    assert progress.due_on == days_ago(today, 30)
    assert (progress.agreed, progress.submitted, progress.draft, progress.not_started) == (
        2,
        1,
        1,
        1,
    )
    assert progress.matches == 5
    assert progress.overdue == 3
    assert progress.agreed_on_time == 1
    points = progress.points
    assert points[0].day == cycle.starts_on and (points[0].submitted, points[0].agreed) == (0, 0)
    weekly = [p.day for p in points if (p.day - cycle.starts_on).days % 7 == 0]
    assert len(weekly) == len(range(0, (today - cycle.starts_on).days + 1, 7))
    assert points[-1].day == today and (points[-1].submitted, points[-1].agreed) == (3, 2)
    (at_due,) = [p for p in points if p.day == progress.due_on]
    assert (at_due.submitted, at_due.agreed) == (1, 1)


def test_a_sheet_first_agreed_late_on_its_due_day_in_the_programs_time_zone_is_on_time(
    cycle, today
):
    # 23:30 on the due day in the program's time zone is already the next day in UTC; a
    # later revision agreed again does not move the first agreement.
    due = days_ago(today, 30)
    evening = timezone.make_aware(dt.datetime.combine(due, dt.time(23, 30)), cycle.program.tz)
    sheet = _revision(
        MatchFactory(cycle=cycle), submitted=35, agreed=30, today=today, status="agreed"
    )
    GoalSheetRevision.objects.filter(sheet=sheet).update(confirmed_at=evening)
    GoalSheetRevision.objects.create(
        sheet=sheet,
        number=2,
        submitted_at=timezone.now() - dt.timedelta(days=3),
        confirmed_at=timezone.now() - dt.timedelta(days=2),
    )

    progress = sections.goal_sheet_progress(data(cycle))

    assert progress.due_on == due
    assert progress.agreed_on_time == 1
    (at_due,) = [p for p in progress.points if p.day == due]
    assert (at_due.submitted, at_due.agreed) == (1, 1)
    assert (progress.points[-1].submitted, progress.points[-1].agreed) == (1, 1)


def test_goal_sheets_are_not_overdue_before_their_due_date(program, today):
    cycle = CycleFactory(program=program, starts_on=days_ago(today, 10))
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=today,
    )
    MatchFactory(cycle=cycle)

    assert sections.goal_sheet_progress(data(cycle)).overdue == 0
    assert at_risk(cycle) == {}


# --- Activity -----------------------------------------------------------------------------


def test_activity_is_counted_per_month_by_category_with_check_ins(cycle, today):
    interviews = CategoryFactory(program=cycle.program, name="Practice interviews", position=1)
    reading = CategoryFactory(program=cycle.program, name="Reading and writing", position=2)
    interview = ActivityFactory(category=interviews)
    article = ActivityFactory(category=reading)
    match = agreed_match(cycle, today)
    goal = match.goal_sheet.goals.get()
    early, late = days_ago(today, 70), days_ago(today, 10)
    for _ in range(2):
        ActivityLogEntryFactory(match=match, activity=interview, on=early)
    ActivityLogEntryFactory(match=match, activity=None, on=early)
    ActivityLogEntryFactory(match=match, activity=article, on=late)
    ActivityLogEntryFactory(match=match, activity=article, on=late, status="planned")
    dissolved = MatchFactory(cycle=cycle, status="dissolved", dissolved_reason="Left.")
    ActivityLogEntryFactory(match=dissolved, activity=article, on=late)
    CheckInFactory(goal=goal, on=early)
    CheckInFactory(goal=goal, on=early)
    CheckInFactory(goal=goal, on=late)

    activity = sections.activity_by_month(data(cycle))

    assert activity.categories == [
        "Practice interviews",
        "Reading and writing",
        cycle_data.OWN_ACTIVITIES,
    ]
    months = {m.month: m for m in activity.months}
    assert min(months) == cycle.starts_on.replace(day=1)
    assert max(months) == today.replace(day=1)
    first, second = months[early.replace(day=1)], months[late.replace(day=1)]
    assert first.check_ins == 2
    assert first.activities == {
        "Practice interviews": 2,
        "Reading and writing": 0,
        cycle_data.OWN_ACTIVITIES: 1,
    }
    assert second.check_ins == 1
    assert second.activities["Reading and writing"] == 1
    assert (activity.check_ins, activity.activities) == (3, 4)
    assert activity.category_total("Practice interviews") == 2


# --- Newsletters --------------------------------------------------------------------------


def _newsletter(person, key: str, subject: str, status: str, *, when=None, kind=None):
    return Delivery.objects.create(
        message_key=key,
        kind=kind or cycle_data.NEWSLETTER_KIND,
        recipient=person,
        to_email=person.email,
        subject=subject,
        status=status,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable" if status == "failed" else "",
        created_at=when or timezone.now(),
    )


def test_newsletter_delivery_is_counted_per_issue_for_the_cycles_people(cycle, today):
    match = healthy(cycle, today)
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    earlier = timezone.now() - dt.timedelta(days=40)
    _newsletter(mentee, "newsletter:1", "March news", "sent", when=earlier)
    _newsletter(mentor, "newsletter:1", "March news", "failed", when=earlier)
    _newsletter(mentee, "newsletter:2", "April news", "pending")
    _newsletter(mentor, "newsletter:2", "April news", "sent")
    _newsletter(UserFactory(), "newsletter:2", "April news", "sent")  # not of this cycle
    _newsletter(mentee, "goal-sheet:1", "Your goal sheet is agreed", "sent", kind="goal_sheet")
    _newsletter(  # an issue of years before the cycle
        mentee,
        "newsletter:0",
        "Old news",
        "sent",
        when=timezone.now() - dt.timedelta(days=900),
    )

    issues = sections.newsletter_deliveries(data(cycle))

    assert [(i.subject, i.sent, i.failed, i.waiting) for i in issues] == [
        ("March news", 1, 1, 0),
        ("April news", 1, 0, 1),
    ]
    assert issues[0].total == 2 and issues[0].delivered_share == 0.5


# --- Matches at risk: no goal sheet past the due date -------------------------------------


def test_a_match_without_an_agreed_goal_sheet_after_the_due_date_is_at_risk(cycle, today):
    fine = healthy(cycle, today)
    never_opened = MatchFactory(cycle=cycle, **confirmed(cycle, today))
    ActivityLogEntryFactory(match=never_opened, on=days_ago(today, 2))
    submitted = MatchFactory(cycle=cycle, **confirmed(cycle, today))
    GoalSheetFactory(match=submitted, status="submitted")
    ActivityLogEntryFactory(match=submitted, on=days_ago(today, 2))

    risks = risk.matches_at_risk(data(cycle))

    by_match = {item.match.pk: item for item in risks}
    assert fine.pk not in by_match
    assert by_match[never_opened.pk].codes == [NO_GOAL_SHEET]
    reason = by_match[never_opened.pk].reasons[0]
    due = days_ago(today, 30)
    assert f"Due {due:%B} {due.day}, {due.year}" in reason.detail
    assert "never opened" in reason.detail
    assert reason.url == f"/admin/matches/match/{never_opened.pk}/change/"
    assert by_match[submitted.pk].codes == [NO_GOAL_SHEET]
    assert "waiting for the mentor" in by_match[submitted.pk].reasons[0].detail
    assert by_match[submitted.pk].reasons[0].url == (
        f"/admin/goals/goalsheet/{submitted.goal_sheet.pk}/change/"
    )


def test_a_reopened_sheet_whose_agreement_stands_is_not_a_missing_goal_sheet(cycle, today):
    match = healthy(cycle, today)
    GoalSheet.objects.filter(match=match).update(status="draft", revision=2)

    assert at_risk(cycle) == {}
    assert sections.goal_sheet_progress(data(cycle)).overdue == 1  # the goals app's rule


# --- Matches at risk: no check-in or activity for 45 days ---------------------------------


@pytest.mark.parametrize(("days", "quiet"), [(44, False), (45, True), (60, True)])
def test_a_match_without_check_in_or_activity_for_45_days_is_at_risk(cycle, today, days, quiet):
    match = agreed_match(cycle, today)
    CheckInFactory(goal=match.goal_sheet.goals.get(), on=days_ago(today, days))

    risks = at_risk(cycle)

    assert risks.get(match.pk, []) == ([QUIET] if quiet else [])
    if quiet:
        reason = risk.matches_at_risk(data(cycle))[0].reasons[0]
        last = days_ago(today, days)
        assert f"{days} days without news" in reason.detail
        assert f"{last:%B} {last.day}, {last.year}" in reason.detail
        assert reason.url.endswith(f"?match__id__exact={match.pk}")


def test_an_activity_done_counts_as_news_and_a_planned_one_does_not(cycle, today):
    active = agreed_match(cycle, today)
    CheckInFactory(goal=active.goal_sheet.goals.get(), on=days_ago(today, 80))
    ActivityLogEntryFactory(match=active, on=days_ago(today, 12))
    planning = agreed_match(cycle, today)
    ActivityLogEntryFactory(match=planning, on=today + dt.timedelta(days=5), status="planned")

    assert at_risk(cycle) == {planning.pk: [QUIET]}


def test_a_match_introduced_less_than_45_days_ago_is_not_quiet(cycle, today):
    new = agreed_match(cycle, today, **confirmed(cycle, today, days=20))

    assert new.pk not in at_risk(cycle)


# --- Matches at risk: a goal past its target date, not achieved ---------------------------


def test_a_goal_past_its_target_date_not_achieved_puts_the_match_at_risk(cycle, today):
    match = healthy(cycle, today)
    goal = match.goal_sheet.goals.get()
    Goal.objects.filter(pk=goal.pk).update(target_date=days_ago(today, 10), title="Six crafts")

    risks = risk.matches_at_risk(data(cycle))

    assert [item.codes for item in risks] == [[GOAL_PAST_TARGET]]
    target = days_ago(today, 10)
    assert (
        f"“Six crafts” (target {target:%B} {target.day}, {target.year})"
        in risks[0].reasons[0].detail
    )
    assert risks[0].reasons[0].url == f"/admin/goals/goalsheet/{match.goal_sheet.pk}/change/"


@pytest.mark.parametrize("how", ["check_in", "outcome", "target_today", "not_agreed"])
def test_a_goal_is_not_at_risk_when_achieved_not_yet_due_or_not_agreed(cycle, today, how):
    match = healthy(cycle, today)
    goal = match.goal_sheet.goals.get()
    Goal.objects.filter(pk=goal.pk).update(target_date=days_ago(today, 10))
    if how == "check_in":
        CheckInFactory(goal=goal, status=CheckIn.Status.ACHIEVED, on=days_ago(today, 1))
    elif how == "outcome":
        Goal.objects.filter(pk=goal.pk).update(final_outcome=Goal.Outcome.ACHIEVED)
    elif how == "target_today":
        Goal.objects.filter(pk=goal.pk).update(target_date=today)
    else:  # a draft's goals are the missing sheet's business, not this reason's
        GoalSheet.objects.filter(pk=match.goal_sheet.pk).update(
            status="draft", agreed_revision=None
        )

    assert GOAL_PAST_TARGET not in at_risk(cycle).get(match.pk, [])


# --- Matches at risk: newsletters bouncing ------------------------------------------------


def test_a_partner_whose_latest_newsletter_failed_puts_the_match_at_risk(cycle, today):
    match = healthy(cycle, today)
    mentee = match.mentee.applicant
    _newsletter(mentee, "newsletter:1", "March news", "sent", when=timezone.now() - dt.timedelta(2))
    failed = _newsletter(mentee, "newsletter:2", "April news", "failed")

    risks = risk.matches_at_risk(data(cycle))

    assert [item.codes for item in risks] == [[NEWSLETTER_BOUNCING]]
    reason = risks[0].reasons[0]
    assert "“April news”" in reason.detail and mentee.email in reason.detail
    assert "550 mailbox unavailable" in reason.detail
    assert reason.url == f"/admin/mentoring/delivery/{failed.pk}/change/"


def test_a_failure_followed_by_a_delivered_issue_or_another_email_is_not_bouncing(cycle, today):
    match = healthy(cycle, today)
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    _newsletter(
        mentee, "newsletter:1", "March news", "failed", when=timezone.now() - dt.timedelta(2)
    )
    _newsletter(mentee, "newsletter:2", "April news", "sent")
    _newsletter(mentor, "goal-sheet:9", "Your goal sheet", "failed", kind="goal_sheet_agreed")

    assert at_risk(cycle) == {}


def test_every_reason_of_one_match_is_listed_and_the_most_troubled_come_first(cycle, today):
    one = agreed_match(cycle, today)  # quiet since the start
    many = MatchFactory(cycle=cycle, **confirmed(cycle, today))  # no sheet, quiet, bouncing
    _newsletter(many.mentor.applicant, "newsletter:1", "News", "failed")

    risks = risk.matches_at_risk(data(cycle))

    assert [(item.match.pk, item.codes) for item in risks] == [
        (many.pk, [NO_GOAL_SHEET, QUIET, NEWSLETTER_BOUNCING]),
        (one.pk, [QUIET]),
    ]


# --- Matches at risk: the match as the page shows it --------------------------------------


def test_a_match_at_risk_is_read_as_its_match_and_partners_without_a_query(cycle, today):
    match = MatchFactory(cycle=cycle, **confirmed(cycle, today))
    Application.objects.filter(pk=match.mentor.pk).update(preferred_name="Robin")
    Application.objects.filter(pk=match.mentee.pk).update(anonymised_at=timezone.now())
    (item,) = risk.with_partners(risk.matches_at_risk(data(cycle)))

    with CaptureQueriesContext(connection) as ctx:
        shown = item.match
        read = (
            shown.cycle_id,
            shown.status,
            shown.mentee.display_name,
            shown.mentor.display_name,
            shown.mentor.email,
            shown.mentor.get_role_display(),
        )

    assert len(ctx.captured_queries) == 0
    assert shown == match and item.url == f"/admin/matches/match/{match.pk}/change/"
    assert read == (cycle.pk, "active", FORMER_PARTICIPANT, "Robin", match.mentor.email, "Mentor")
    assert item.row.mentee.display_name == FORMER_PARTICIPANT
    assert item.row.mentor.display_name == "Robin"


def test_the_partners_of_the_matches_shown_are_read_in_one_query_and_any_other_with_all(
    cycle, today
):
    for _ in range(3):
        MatchFactory(cycle=cycle, **confirmed(cycle, today))
    risks = risk.matches_at_risk(data(cycle))
    assert len(risks) == 3

    with CaptureQueriesContext(connection) as shown:
        risk.with_partners(risks[:2])
        names = [(item.row.mentee.full_name, item.row.mentor.full_name) for item in risks[:2]]
    with CaptureQueriesContext(connection) as the_rest:
        last = risks[2].row.mentee.full_name
        again = [item.row.mentor.full_name for item in risks]

    assert len(shown.captured_queries) == 1 and len(the_rest.captured_queries) == 1
    assert names == [(i.match.mentee.full_name, i.match.mentor.full_name) for i in risks[:2]]
    assert last == risks[2].match.mentee.full_name and len(again) == 3


# --- A concluded cycle, and the cost ------------------------------------------------------


def test_a_cycle_that_ended_is_reckoned_as_of_its_last_day(program, today):
    cycle = CycleFactory(
        program=program,
        applications_open_on=days_ago(today, 400),
        applications_close_on=days_ago(today, 380),
        starts_on=days_ago(today, 300),
        ends_on=days_ago(today, 30),
        days_without_meeting=366,  # meetings have their own tests (test_meetings.py)
    )
    match = agreed_match(
        cycle, today, status=Match.Status.CONCLUDED, **confirmed(cycle, today, days=290)
    )
    CheckInFactory(goal=match.goal_sheet.goals.get(), on=days_ago(today, 50))

    cycle_data = data(cycle)

    assert cycle_data.as_of == cycle.ends_on
    assert at_risk(cycle) == {}  # 20 days of silence at its end, not 50
    report = health.program_health(cycle)
    assert report.ended and report.as_of == cycle.ends_on
    assert report.activity.months[-1].month == cycle.ends_on.replace(day=1)


def _grow(cycle, today, n: int) -> None:
    activity = ActivityFactory(category=CategoryFactory(program=cycle.program))
    survey = cycle.surveys.first() or SurveyFactory(cycle=cycle)
    question = survey.questions.first() or QuestionFactory(survey=survey)
    for i in range(n):
        match = agreed_match(cycle, today, goals=2)
        for goal in match.goal_sheet.goals.all():
            CheckInFactory(goal=goal, on=days_ago(today, 50 + i))
            Goal.objects.filter(pk=goal.pk).update(target_date=days_ago(today, 3))
        ActivityLogEntryFactory(match=match, activity=activity, on=days_ago(today, 60))
        ActivityLogEntryFactory(match=match, on=days_ago(today, 61))
        _newsletter(match.mentee.applicant, f"newsletter:{i}", f"Issue {i}", "failed")
        GoalSheetRevision.objects.create(
            sheet=match.goal_sheet, number=1, submitted_at=timezone.now()
        )
        invitation = InvitationFactory(survey=survey, person=match.mentee.applicant)
        AnswerFactory(invitation=invitation, question=question, number=1 + i % 5)
        invitation.answered_at = timezone.now()
        invitation.save()
        MatchFactory(cycle=cycle)  # never opened a sheet


def test_the_figures_take_a_constant_number_of_queries(cycle, today):
    _grow(cycle, today, 2)
    with CaptureQueriesContext(connection) as few:
        small = health.program_health(health.cycle_for_health(cycle.pk))
    _grow(cycle, today, 8)
    with CaptureQueriesContext(connection) as many:
        large = health.program_health(health.cycle_for_health(cycle.pk))

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(small.at_risk) == 4 and len(large.at_risk) == 20
    assert large.results is not None and large.results.answered["all"] == 10
    assert Application.objects.filter(cycle=cycle).count() == 40
