"""“My mentoring”: each role sees where they stand and what comes next, in a constant
number of queries whatever their history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from goals.models import GoalSheet
from mentoring import content_cache
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    ApplicationFactory,
    CheckInFactory,
    CycleFactory,
    GoalFactory,
    GoalSheetFactory,
    MatchFactory,
    MilestoneFactory,
    verified_user,
)

pytestmark = pytest.mark.django_db

URL = reverse("my_mentoring")


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def query_count(client, user) -> int:
    client.force_login(user)
    client.get(URL)  # the first visit after a change reads the shared content again
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def match():
    match = MatchFactory()
    MilestoneFactory(
        cycle=match.cycle,
        kind="introductions",
        starts_on=match.cycle.starts_on,
        ends_on=match.cycle.starts_on + dt.timedelta(days=30),
    )
    return match


def test_sign_in_is_required(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_newcomer_is_invited_to_apply_while_applications_are_open(client):
    cycle = CycleFactory()

    body = page(client, verified_user())

    assert cycle.program.name in body
    assert "Apply as a mentee" in body and "Apply as a mentor" in body
    assert reverse("applications:apply", args=[cycle.program.slug, "mentee"]) in body


def test_an_applicant_sees_the_status_of_their_application(client):
    application = ApplicationFactory(status=Application.Status.UNDER_REVIEW)

    body = page(client, application.applicant)

    assert "Your applications" in body
    assert "Under review" in body
    assert reverse("applications:detail", args=[application.pk]) in body
    assert "Your mentor" not in body


def test_an_accepted_applicant_waits_for_a_match(client):
    application = ApplicationFactory(status=Application.Status.ACCEPTED)

    body = page(client, application.applicant)

    assert "You are accepted as a mentee" in body
    assert "email introducing your mentor" in body


def test_a_mentee_sees_their_mentor_goal_sheet_and_activities(client, match):
    mentor = match.mentor
    mentor.phone = "614-555-0100"
    mentor.communication_methods = ["email", "phone"]
    mentor.save()
    sheet = GoalSheetFactory(match=match, status=GoalSheet.Status.AGREED, agreed_revision=1)
    goal = GoalFactory(sheet=sheet, title="Six crafts for the Bookbag program")
    CheckInFactory(goal=goal, note="Two crafts done")
    ActivityLogEntryFactory(match=match, title="Mock interview")
    suggested = ActivityFactory(program=match.cycle.program, title="Create a wish list")

    body = page(client, match.mentee.applicant)

    assert f"Your mentor: {mentor.display_name}" in body
    assert mentor.email in body and "614-555-0100" in body
    assert "Agreed" in body
    assert "Six crafts for the Bookbag program" in body and "In progress" in body
    assert "Mock interview" in body
    assert suggested.title in body
    assert reverse("goals:sheet", args=[match.pk]) in body
    assert reverse("activities:log", args=[match.pk]) in body


def test_a_mentor_is_asked_to_review_a_submitted_sheet(client, match):
    GoalSheetFactory(match=match, status=GoalSheet.Status.SUBMITTED)

    body = page(client, match.mentor.applicant)

    assert f"Your mentee: {match.mentee.display_name}" in body
    assert "Review the goal sheet: confirm it or send it back" in body


def test_the_goal_sheet_due_date_and_overdue(client, match):
    body = page(client, match.mentee.applicant)
    due = match.cycle.starts_on + dt.timedelta(days=30)
    assert f"{due:%B} {due.day}, {due.year}" in body
    assert "Start your goal sheet" in body

    today = dt.date.today()
    match.cycle.milestones.update(
        starts_on=today - dt.timedelta(days=20), ends_on=today - dt.timedelta(days=2)
    )
    # The page reads the cycle's milestones from the programs' shared content; a
    # queryset update sends no signal, so it says the content changed, as writers must.
    content_cache.content_changed()

    assert "Overdue" in page(client, match.mentee.applicant)


def test_a_partner_never_sees_other_matches(client, match):
    other = MatchFactory(cycle=match.cycle)

    body = page(client, match.mentee.applicant)

    assert other.mentee.display_name not in body
    assert other.mentor.email not in body


def test_the_next_milestones_are_shown(client, match):
    MilestoneFactory(
        cycle=match.cycle,
        title="Virtual networking session",
        starts_on=dt.date.today() + dt.timedelta(days=40),
        ends_on=dt.date.today() + dt.timedelta(days=40),
    )

    body = page(client, match.mentee.applicant)

    assert "Coming up" in body and "Virtual networking session" in body


def grow_history(match, n):
    """More of everything a person's page could show: goals, check-ins, logs, past
    applications, more mentees for the mentor."""
    sheet, _ = GoalSheet.objects.get_or_create(match=match)
    for _ in range(min(n, 3 - sheet.goals.count())):
        goal = GoalFactory(sheet=sheet)
        for _ in range(n):
            CheckInFactory(goal=goal)
    for _ in range(n * 3):
        ActivityLogEntryFactory(match=match)
        ActivityFactory(program=match.cycle.program)
    for _ in range(n):
        past = CycleFactory(program=match.cycle.program, starts_on=dt.date(2015, 1, 1))
        ApplicationFactory(cycle=past, applicant=match.mentee.applicant)
    if match.mentor.mentee_capacity < 3:
        match.mentor.mentee_capacity = 3
        match.mentor.save()
        for _ in range(2):
            extra = MatchFactory(cycle=match.cycle, mentor=match.mentor)
            GoalFactory(sheet=GoalSheetFactory(match=extra))


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_the_page_runs_a_constant_number_of_queries(client, match, role):
    user = getattr(match, role).applicant
    grow_history(match, 1)
    few = query_count(client, user)

    grow_history(match, 4)

    assert query_count(client, user) == few


def test_the_page_stays_within_twelve_queries(client, match):
    """The session and the person, then what the cards show (issue 16: it ran 23; the
    cycles come from the programs' content, the suggestions reuse the goals and interests
    already loaded, the recent and planned titles come in one query with the activities
    logged, the interests, conferences and competency areas come as ids with their rows
    and the objects from the shared content)."""
    grow_history(match, 3)

    assert query_count(client, match.mentee.applicant) <= 12


def test_a_returning_mentee_with_two_matches_costs_no_query_more(client, match):
    """Each match card shows what the partners share (interests, conferences): fetched
    for all the person's matches at once, not card by card. The concluded match's
    certificate is read with the matches."""
    user = match.mentee.applicant
    one_match = query_count(client, user)

    past = CycleFactory(program=match.cycle.program, starts_on=dt.date(2015, 1, 1))
    MatchFactory(
        cycle=past,
        status="concluded",
        mentee=ApplicationFactory(cycle=past, applicant=user, status="accepted"),
        mentor=ApplicationFactory(cycle=past, mentor=True, status="accepted"),
    )

    assert query_count(client, user) == one_match


def test_a_newcomers_page_runs_a_constant_number_of_queries(client):
    user = verified_user()
    CycleFactory()
    few = query_count(client, user)

    for _ in range(5):
        CycleFactory()

    assert query_count(client, user) == few


def test_the_latest_newsletter_is_linked(client, match):
    from django.utils import timezone

    from newsletter.models import NewsletterIssue

    issue = NewsletterIssue.objects.create(
        cycle=match.cycle,
        month=match.cycle.starts_on.replace(day=1),
        subject="November news from the mentoring program",
        status=NewsletterIssue.Status.SENT,
        sent_at=timezone.now(),
    )

    body = page(client, match.mentee.applicant)

    assert "November news from the mentoring program" in body
    assert reverse("newsletter:issue", args=[issue.pk]) in body
    assert reverse("newsletter:preferences") in body


def test_the_cards_rows_follow_the_readers_language_and_escape_what_people_wrote(client, match):
    # The cards are written in Python (portal/templatetags/dashboard_rows.py): each day
    # is formatted once a process per language, and titles are escaped as a template's.
    sheet = GoalSheetFactory(match=match)
    GoalFactory(sheet=sheet, title="<b>Crafts</b> & more", target_date=dt.date(2027, 6, 30))
    ActivityLogEntryFactory(match=match, title="Story <time>", on=dt.date(2027, 1, 5))
    user = match.mentee.applicant

    english = page(client, user)
    user.language = "es"
    user.save(update_fields=["language"])
    spanish = page(client, user)

    assert "&lt;b&gt;Crafts&lt;/b&gt; &amp; more" in english and "<b>Crafts" not in english
    assert "Story &lt;time&gt;" in english
    assert "· by June 30, 2027" in english and "January 5, 2027" in english
    assert "30 de junio de 2027" in spanish and "5 de enero de 2027" in spanish
    assert "June 30, 2027" not in spanish
