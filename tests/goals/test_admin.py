"""The committee's goal sheet screens: the changelist (constant queries), the overdue
filter, the return action, the CSV export; staff read the goals and do not edit them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from goals.models import GoalSheet
from goals.services import GoalInput
from mentoring.models import Milestone
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    GoalSheetFactory,
    InterestFactory,
    MatchFactory,
    MeetingFactory,
)

from .conftest import goal_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:goals_goalsheet_changelist")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def agreed_sheet(cycle):
    match = MatchFactory(cycle=cycle)
    sheet = GoalSheetFactory(match=match)
    goal = GoalInput(**{**goal_data(cycle), "target_date": cycle.ends_on})
    services.goal_sheet_save_draft(sheet=sheet, by=match.mentee.applicant, version=1, goals=[goal])
    services.goal_sheet_submit(sheet=sheet, by=match.mentee.applicant)
    services.goal_sheet_confirm(sheet=sheet, by=match.mentor.applicant)
    sheet.refresh_from_db()
    return sheet


def grow(cycle, n):
    area = InterestFactory(program=cycle.program, kind="competency")
    for i in range(n):
        sheet = GoalSheetFactory(
            match=MatchFactory(cycle=cycle), status=["draft", "submitted", "agreed"][i % 3]
        )
        for _ in range(1 + i % 3):
            goal = GoalFactory(sheet=sheet)
            goal.competency_areas.add(area)
            CheckInFactory(goal=goal)
        MeetingFactory(match=sheet.match)


def count_queries(client, path, data=None, method="get") -> tuple[int, object]:
    # Measured with the shared content cache warm, as a site runs: the factories make
    # programs and cycles, and the first visit after such a change reads them afresh.
    client.get(path if method == "get" else CHANGELIST, data if method == "get" else None)
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(path, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_changelist_shows_due_date_overdue_goals_and_last_check_in(staff_client, cycle, today):
    sheet = GoalSheetFactory(match=MatchFactory(cycle=cycle))
    goal = GoalFactory(sheet=sheet)
    GoalFactory(sheet=sheet)
    CheckInFactory(goal=goal, on=today - dt.timedelta(days=3))

    body = staff_client.get(CHANGELIST).content.decode()

    due = today + dt.timedelta(days=21)
    assert f"{due:%b}. {due.day}, {due.year}" in body or f"{due:%B} {due.day}, {due.year}" in body
    assert '<td class="field-goals_count">2</td>' in body
    last = today - dt.timedelta(days=3)
    assert f"{last:%b}" in body and str(last.year) in body
    assert sheet.match.mentee.display_name in body


def test_the_changelist_runs_a_constant_number_of_queries(staff_client, cycle):
    grow(cycle, 2)
    few, _ = count_queries(staff_client, CHANGELIST)

    grow(cycle, 12)
    many, response = count_queries(staff_client, CHANGELIST)

    assert many == few
    assert response.context["cl"].result_count == 14


@pytest.mark.parametrize("query", [{"overdue": "yes"}, {"status__exact": "agreed"}])
def test_filtered_changelists_run_a_constant_number_of_queries(staff_client, cycle, query):
    grow(cycle, 3)
    few, _ = count_queries(staff_client, CHANGELIST, query)
    grow(cycle, 9)
    assert count_queries(staff_client, CHANGELIST, query)[0] == few


def test_the_overdue_filter_finds_sheets_not_agreed_after_the_due_date(staff_client, cycle, today):
    Milestone.objects.filter(cycle=cycle, kind="introductions").update(
        ends_on=today - dt.timedelta(days=1)
    )
    late = GoalSheetFactory(match=MatchFactory(cycle=cycle), status="submitted")
    done = agreed_sheet(cycle)
    on_time_cycle_match = MatchFactory()  # a cycle without a due date
    undated = GoalSheetFactory(match=on_time_cycle_match)

    overdue = staff_client.get(CHANGELIST, {"overdue": "yes"}).context["cl"].result_list
    not_overdue = staff_client.get(CHANGELIST, {"overdue": "no"}).context["cl"].result_list

    assert list(overdue) == [late]
    assert set(not_overdue) == {done, undated}


def test_a_sheet_due_today_is_not_overdue_yet(staff_client, cycle, today):
    Milestone.objects.filter(cycle=cycle, kind="introductions").update(ends_on=today)
    GoalSheetFactory(match=MatchFactory(cycle=cycle))

    assert staff_client.get(CHANGELIST, {"overdue": "yes"}).context["cl"].result_count == 0


def test_the_change_page_shows_the_goals_read_only(staff_client, cycle):
    sheet = agreed_sheet(cycle)

    response = staff_client.get(reverse("admin:goals_goalsheet_change", args=[sheet.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Six crafts for the Bookbag program" in body
    assert 'name="goals-0-title"' not in body  # no editable goal fields
    assert 'name="_save"' not in body


def test_staff_cannot_add_or_delete_sheets(staff_client, cycle):
    sheet = agreed_sheet(cycle)

    assert staff_client.get(reverse("admin:goals_goalsheet_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:goals_goalsheet_delete", args=[sheet.pk])).status_code
        == 403
    )


def test_the_return_action_asks_for_a_comment_then_returns_agreed_sheets(
    staff_client, cycle, django_capture_on_commit_callbacks
):
    sheet = agreed_sheet(cycle)
    draft = GoalSheetFactory(match=MatchFactory(cycle=cycle))
    mail.outbox = []
    selection = {"action": "return_for_revision", ACTION_CHECKBOX_NAME: [sheet.pk, draft.pk]}

    ask = staff_client.post(CHANGELIST, selection)
    empty = staff_client.post(CHANGELIST, {**selection, "apply": "1", "comment": ""})
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(
            CHANGELIST, {**selection, "apply": "1", "comment": "Add numbers, please."}, follow=True
        )

    assert "Return goal sheets for revision" in ask.content.decode()
    assert "Say what the partners should revise." in empty.content.decode()
    sheet.refresh_from_db()
    draft.refresh_from_db()
    assert (sheet.status, sheet.revision, sheet.returned_comment) == (
        "draft",
        2,
        "Add numbers, please.",
    )
    assert (draft.status, draft.revision) == ("draft", 1)
    assert len(mail.outbox) == 2
    body = done.content.decode()
    assert "Returned 1 goal sheet for revision" in body and "Left 1 sheet alone" in body


def test_the_csv_export_has_each_goal_with_its_smart_parts_and_latest_status(
    staff_client, cycle, today
):
    sheet = agreed_sheet(cycle)
    goal = sheet.goals.get()
    area = InterestFactory(program=cycle.program, kind="competency", name="Programming Skills")
    goal.competency_areas.add(area)
    CheckInFactory(goal=goal, status="not_started", on=today - dt.timedelta(days=5))
    CheckInFactory(goal=goal, status="achieved", on=today - dt.timedelta(days=1))
    MeetingFactory(match=sheet.match, minutes=30)
    MeetingFactory(match=sheet.match, minutes=60)

    response = staff_client.post(
        CHANGELIST, {"action": "export_goals_csv", ACTION_CHECKBOX_NAME: [sheet.pk]}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Title"] == "Six crafts for the Bookbag program"
    assert row["Measurable"] == goal.measurable
    assert row["Competency areas"] == "Programming Skills"
    assert (row["Latest check-in"], row["Latest check-in date"]) == (
        "Achieved",
        (today - dt.timedelta(days=1)).isoformat(),
    )
    assert (row["Sheet status"], row["Overdue"]) == ("Agreed", "no")
    assert (row["Meetings"], row["Hours met"]) == ("2", "1.5")


def test_the_csv_export_runs_a_constant_number_of_queries(staff_client, cycle):
    def export():
        ids = list(GoalSheet.objects.values_list("pk", flat=True))
        staff_client.get(CHANGELIST)  # the shared content cache warm (count_queries)
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.post(
                CHANGELIST, {"action": "export_goals_csv", ACTION_CHECKBOX_NAME: ids}
            )
        return len(ctx.captured_queries), response.content.decode("utf-8-sig").count("\n")

    grow(cycle, 2)
    few, rows_few = export()
    grow(cycle, 10)
    many, rows_many = export()

    assert many == few
    assert rows_many > rows_few


@pytest.mark.parametrize(
    "name", ["admin:goals_examplegoal_changelist", "admin:goals_checkin_changelist"]
)
def test_the_other_changelists_run_a_constant_number_of_queries(staff_client, cycle, name):
    from tests.factories import ExampleGoalFactory

    def more(n):
        grow(cycle, n)
        for _ in range(n):
            ExampleGoalFactory(program=cycle.program).competency_areas.add(
                InterestFactory(program=cycle.program, kind="competency")
            )

    more(2)
    few, _ = count_queries(staff_client, reverse(name))
    more(8)
    assert count_queries(staff_client, reverse(name))[0] == few


def test_the_csv_export_escapes_a_goal_that_starts_like_a_formula(staff_client, cycle):
    sheet = agreed_sheet(cycle)
    sheet.goals.update(title="=cmd|' /C calc'!A0", specific="@SUM(1+1)")

    response = staff_client.post(
        CHANGELIST, {"action": "export_goals_csv", ACTION_CHECKBOX_NAME: [sheet.pk]}
    )

    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row["Title"] == "'=cmd|' /C calc'!A0"
    assert row["Specific"] == "'@SUM(1+1)"
