"""Goal sheets anonymised keep their structure for reports and lose their words."""

from __future__ import annotations

import pytest

from goals import privacy
from goals.models import CheckIn, Goal, GoalSheet, GoalSheetRevision
from tests.factories import CheckInFactory, MatchFactory, agreed_sheet

pytestmark = pytest.mark.django_db


def test_a_sheet_keeps_its_structure_and_loses_its_words():
    match = MatchFactory()
    sheet = agreed_sheet(match, titles=["Plan crafts in Tucson", "Meet five colleagues"])
    removed = Goal.objects.create(sheet=sheet, position=None, title="An old goal")
    CheckInFactory(goal=sheet.goals.first(), note="Tucson went well.")
    GoalSheetRevision.objects.create(
        sheet=sheet,
        number=1,
        goals=[
            {
                "position": 1,
                "title": "Plan crafts in Tucson",
                "specific": "In Tucson",
                "measurable": "",
                "achievable": "",
                "relevant": "",
                "target_date": None,
            }
        ],
    )

    privacy.goal_sheets_anonymise(GoalSheet.objects.filter(pk=sheet.pk), forget_people=True)

    titles = list(Goal.objects.filter(sheet=sheet).order_by("pk").values_list("title", flat=True))
    assert titles == ["Goal 1", "Goal 2", privacy.REMOVED_GOAL_TITLE]
    removed.refresh_from_db()
    assert removed.position is None
    assert not Goal.objects.exclude(specific="").exists()
    assert Goal.objects.filter(target_date__isnull=False).count() == 2
    check_in = CheckIn.objects.get()
    assert (check_in.note, check_in.author, check_in.status) == ("", None, "in_progress")
    (revision,) = GoalSheetRevision.objects.all()
    assert revision.goals[0]["title"] == "Goal 1" and revision.goals[0]["specific"] == ""
    sheet.refresh_from_db()
    assert sheet.status == "agreed"


def test_a_mentor_leaving_takes_only_their_own_words():
    match = MatchFactory()
    sheet = agreed_sheet(match)
    goal = sheet.goals.get()
    CheckInFactory(goal=goal, author=match.mentor.applicant, note="Mentor's words.")
    CheckInFactory(goal=goal, author=match.mentee.applicant, note="Mentee's words.")

    privacy.erase_personal_data(match.mentor.applicant)

    goal.refresh_from_db()
    assert goal.title == "Plan six crafts for the school-age program"
    assert set(CheckIn.objects.values_list("note", flat=True)) == {"", "Mentee's words."}
