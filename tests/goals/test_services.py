"""The goal sheet's rules, enforced by the services: 1 to 3 goals, SMART parts, who
submits and who confirms, the table of transitions, the refusal of outdated saves,
revisions kept, check-ins and final outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals import progress, rules, services
from goals.models import CheckIn, Goal, GoalSheet, GoalSheetChange, GoalSheetRevision
from goals.progress import OutcomeInput
from goals.services import GoalInput, GoalSheetConflict
from goals.transitions import TRANSITIONS
from matches.models import Match
from tests.factories import CheckInFactory, GoalFactory, InterestFactory

pytestmark = pytest.mark.django_db


def complete(cycle, n=1, **overrides) -> GoalInput:
    values = {
        "title": f"Goal number {n}",
        "specific": "Design six crafts for school-age children.",
        "measurable": "Six crafts, each tried once.",
        "achievable": "Monthly calls with the mentor.",
        "relevant": "School-age programs are most of the work.",
        "target_date": cycle.starts_on + dt.timedelta(days=90),
    }
    values.update(overrides)
    return GoalInput(**values)


def save(sheet, by, goals):
    sheet.refresh_from_db()
    return services.goal_sheet_save_draft(sheet=sheet, by=by, version=sheet.version, goals=goals)


def agree(sheet, mentee, mentor, goals):
    save(sheet, mentee, goals)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    return services.goal_sheet_confirm(sheet=sheet, by=mentor)


# --- 1 to 3 goals -------------------------------------------------------------------------


def test_a_draft_with_one_to_three_goals_is_saved_in_order(sheet, mentee, cycle):
    save(sheet, mentee, [complete(cycle, n) for n in (1, 2, 3)])

    assert list(sheet.goals.values_list("position", "title")) == [
        (1, "Goal number 1"),
        (2, "Goal number 2"),
        (3, "Goal number 3"),
    ]


def test_a_sheet_without_goals_is_refused(sheet, mentee):
    with pytest.raises(ValidationError, match="at least one goal"):
        save(sheet, mentee, [])


def test_a_fourth_goal_is_refused_and_nothing_is_saved(sheet, mentee, cycle):
    with pytest.raises(ValidationError, match="at most three goals"):
        save(sheet, mentee, [complete(cycle, n) for n in range(1, 5)])

    assert not sheet.goals.exists()


def test_the_database_holds_at_most_three_goals_on_a_sheet(sheet):
    for _ in range(3):
        GoalFactory(sheet=sheet)

    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(sheet=sheet, position=4, title="A fourth")
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(sheet=sheet, position=2, title="A second second")


# --- SMART validation ----------------------------------------------------------------------


def test_a_draft_may_leave_smart_parts_empty_while_the_partners_work(sheet, mentor, cycle):
    save(sheet, mentor, [GoalInput(title="Learn about school libraries")])

    goal = sheet.goals.get()
    assert goal.missing_parts() == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Target date",
    ]


def test_a_goal_needs_a_title_even_in_a_draft(sheet, mentee, cycle):
    with pytest.raises(ValidationError, match="Goal 1: Give the goal a short title"):
        save(sheet, mentee, [complete(cycle, title="  ")])


@pytest.mark.parametrize("part", ["specific", "measurable", "achievable", "relevant"])
def test_submitting_needs_every_smart_part(sheet, mentee, cycle, part):
    save(sheet, mentee, [complete(cycle, **{part: ""})])

    with pytest.raises(ValidationError, match=f"({part})"):
        services.goal_sheet_submit(sheet=sheet, by=mentee)
    sheet.refresh_from_db()
    assert sheet.status == GoalSheet.Status.DRAFT


def test_submitting_needs_a_target_date(sheet, mentee, cycle):
    save(sheet, mentee, [complete(cycle, target_date=None)])

    with pytest.raises(ValidationError, match="Choose a target date"):
        services.goal_sheet_submit(sheet=sheet, by=mentee)


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_target_date_outside_the_program_is_refused(sheet, mentee, cycle, where):
    one_day = dt.timedelta(days=1)
    day = cycle.starts_on - one_day if where == "before" else cycle.ends_on + one_day

    with pytest.raises(ValidationError, match="inside the program"):
        save(sheet, mentee, [complete(cycle, target_date=day)])


def test_the_program_s_first_and_last_days_are_fine_target_dates(sheet, mentee, cycle):
    save(
        sheet,
        mentee,
        [
            complete(cycle, 1, target_date=cycle.starts_on),
            complete(cycle, 2, target_date=cycle.ends_on),
        ],
    )

    assert sheet.goals.count() == 2


def test_competency_areas_are_kept_only_from_the_program_s_competencies(sheet, mentee, cycle):
    mine = InterestFactory(program=cycle.program, kind="competency", name="Programming Skills")
    topic = InterestFactory(program=cycle.program, kind="topic")
    elsewhere = InterestFactory(kind="competency")

    save(sheet, mentee, [complete(cycle, competency_area_ids=[mine.pk, topic.pk, elsewhere.pk])])

    assert list(sheet.goals.get().competency_areas.all()) == [mine]


# --- Drafting together: outdated copies are refused ------------------------------------------


def test_both_partners_edit_the_draft(sheet, mentee, mentor, cycle):
    save(sheet, mentee, [complete(cycle, title="Mentee's words")])
    goal = sheet.goals.get()
    save(sheet, mentor, [complete(cycle, title="Mentor's words", goal_id=goal.pk)])

    goal.refresh_from_db()
    assert goal.title == "Mentor's words"
    sheet.refresh_from_db()
    assert sheet.updated_by == mentor


def test_a_save_made_on_an_outdated_copy_is_refused_and_writes_nothing(
    sheet, mentee, mentor, cycle
):
    loaded_at = sheet.version
    save(sheet, mentor, [complete(cycle, title="Mentor saved first")])

    with pytest.raises(GoalSheetConflict):
        services.goal_sheet_save_draft(
            sheet=sheet,
            by=mentee,
            version=loaded_at,
            goals=[complete(cycle, title="Mentee's copy")],
        )

    assert list(sheet.goals.values_list("title", flat=True)) == ["Mentor saved first"]


def test_nobody_edits_a_submitted_or_agreed_sheet_in_place(sheet, mentee, mentor, cycle):
    save(sheet, mentee, [complete(cycle)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    sheet.refresh_from_db()

    with pytest.raises(GoalSheetConflict, match="submitted"):
        services.goal_sheet_save_draft(
            sheet=sheet, by=mentor, version=sheet.version, goals=[complete(cycle)]
        )

    services.goal_sheet_confirm(sheet=sheet, by=mentor)
    sheet.refresh_from_db()
    with pytest.raises(GoalSheetConflict, match="agreed"):
        services.goal_sheet_save_draft(
            sheet=sheet, by=mentee, version=sheet.version, goals=[complete(cycle)]
        )


def test_only_the_partners_edit_their_sheet(sheet, stranger, staff, cycle):
    for person in (stranger, staff):
        with pytest.raises(ValidationError, match="Only the mentor and the mentee"):
            services.goal_sheet_save_draft(
                sheet=sheet, by=person, version=sheet.version, goals=[complete(cycle)]
            )


# --- The contract --------------------------------------------------------------------------


def test_the_mentee_submits_and_the_mentor_confirms(sheet, mentee, mentor, cycle):
    save(sheet, mentee, [complete(cycle, 1), complete(cycle, 2)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)

    sheet.refresh_from_db()
    assert sheet.status == GoalSheet.Status.AGREED
    assert sheet.agreed_revision == 1
    assert sheet.agreed_at is not None
    revision = sheet.revisions.get()
    assert (revision.submitted_by, revision.confirmed_by) == (mentee, mentor)
    assert [g["title"] for g in revision.goals] == ["Goal number 1", "Goal number 2"]


def test_a_mentor_cannot_submit(sheet, mentor, cycle):
    save(sheet, mentor, [complete(cycle)])

    with pytest.raises(ValidationError, match="Only the mentee"):
        services.goal_sheet_submit(sheet=sheet, by=mentor)
    sheet.refresh_from_db()
    assert sheet.status == GoalSheet.Status.DRAFT


def test_a_mentee_cannot_confirm_their_own_submission(sheet, mentee, cycle):
    save(sheet, mentee, [complete(cycle)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)

    with pytest.raises(ValidationError, match="Only the mentor"):
        services.goal_sheet_confirm(sheet=sheet, by=mentee)


def test_a_draft_cannot_be_confirmed(sheet, mentee, mentor, cycle):
    save(sheet, mentee, [complete(cycle)])

    with pytest.raises(ValidationError, match="is draft, so it can't be agreed"):
        services.goal_sheet_confirm(sheet=sheet, by=mentor)


def test_the_mentor_sends_it_back_with_a_comment_and_it_is_a_draft_again(
    sheet, mentee, mentor, cycle
):
    save(sheet, mentee, [complete(cycle)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)

    services.goal_sheet_send_back(sheet=sheet, by=mentor, comment="Make the measure concrete.")

    sheet.refresh_from_db()
    assert sheet.status == GoalSheet.Status.DRAFT
    assert sheet.revision == 2  # the sent-back revision 1 is kept; the pair drafts the next
    assert (sheet.returned_comment, sheet.returned_by) == ("Make the measure concrete.", mentor)


def test_every_submitted_revision_is_kept_the_sent_back_one_with_who_and_why(
    sheet, mentee, mentor, cycle
):
    save(sheet, mentee, [complete(cycle, title="First try")])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_send_back(sheet=sheet, by=mentor, comment="Make the measure concrete.")
    sheet.refresh_from_db()
    save(sheet, mentee, [complete(cycle, title="Second try")])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)

    first, second = GoalSheetRevision.objects.filter(sheet=sheet).order_by("number")
    assert [g["title"] for g in first.goals] == ["First try"]
    assert (first.sent_back_by, first.sent_back_comment) == (mentor, "Make the measure concrete.")
    assert first.confirmed_at is None and first.sent_back_at is not None
    assert [g["title"] for g in second.goals] == ["Second try"]
    assert second.confirmed_by == mentor and second.sent_back_at is None
    sheet.refresh_from_db()
    assert sheet.agreed_revision == 2
    back = GoalSheetChange.objects.get(sheet=sheet, action="send_back")
    assert back.revision == 1


def test_sending_back_needs_a_comment(sheet, mentee, mentor, cycle):
    save(sheet, mentee, [complete(cycle)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)

    with pytest.raises(ValidationError) as error:
        services.goal_sheet_send_back(sheet=sheet, by=mentor, comment="   ")

    assert "comment" in error.value.message_dict
    sheet.refresh_from_db()
    assert sheet.status == GoalSheet.Status.SUBMITTED


def test_the_mentee_can_take_a_submission_back_before_the_mentor_answers(
    sheet, mentee, mentor, cycle
):
    save(sheet, mentee, [complete(cycle)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)

    with pytest.raises(ValidationError, match="Only the mentee"):
        services.goal_sheet_withdraw(sheet=sheet, by=mentor)
    services.goal_sheet_withdraw(sheet=sheet, by=mentee)

    sheet.refresh_from_db()
    assert sheet.status == GoalSheet.Status.DRAFT


def test_the_mentor_must_confirm_the_version_they_read(sheet, mentee, mentor, cycle):
    save(sheet, mentee, [complete(cycle, title="First")])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    sheet.refresh_from_db()
    read_at = sheet.version
    services.goal_sheet_withdraw(sheet=sheet, by=mentee)
    save(sheet, mentee, [complete(cycle, title="Something else")])
    services.goal_sheet_submit(sheet=sheet, by=mentee)

    with pytest.raises(GoalSheetConflict):
        services.goal_sheet_confirm(sheet=sheet, by=mentor, version=read_at)


def test_every_transition_in_the_table_is_the_only_way_to_change_status(
    sheet, mentee, mentor, staff, cycle
):
    """From each status, only the actions the table lists are allowed."""
    save(sheet, mentee, [complete(cycle)])
    people = {"mentee": mentee, "mentor": mentor, "staff": staff, "partner": mentee}
    for status in GoalSheet.Status.values:
        GoalSheet.objects.filter(pk=sheet.pk).update(status=status)
        sheet.refresh_from_db()
        for action, transition in TRANSITIONS.items():
            allowed = rules.may(sheet, action, people[transition.actor])
            assert allowed == (transition.source == status), (status, action)


def test_an_inactive_match_s_sheet_does_not_change(sheet, mentee, cycle):
    save(sheet, mentee, [complete(cycle)])
    Match.objects.filter(pk=sheet.match_id).update(status=Match.Status.CONCLUDED)
    sheet.refresh_from_db()

    with pytest.raises(ValidationError, match="not active"):
        services.goal_sheet_submit(sheet=sheet, by=mentee)


# --- Revisions -----------------------------------------------------------------------------


def test_changing_an_agreed_sheet_opens_a_new_revision_and_keeps_the_old_one(
    sheet, mentee, mentor, cycle
):
    agree(sheet, mentee, mentor, [complete(cycle, title="The first version")])
    goal = sheet.goals.get()

    services.goal_sheet_reopen(sheet=sheet, by=mentor)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.revision, sheet.agreed_revision) == ("draft", 2, 1)
    save(sheet, mentee, [complete(cycle, title="The second version", goal_id=goal.pk)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)

    first, second = sheet.revisions.order_by("number")
    assert [g["title"] for g in first.goals] == ["The first version"]
    assert [g["title"] for g in second.goals] == ["The second version"]
    assert (first.submitted_by, first.confirmed_by) == (mentee, mentor)
    assert first.confirmed_at < second.confirmed_at
    sheet.refresh_from_db()
    assert sheet.agreed_revision == 2


def test_staff_return_an_agreed_sheet_for_revision_with_a_comment(
    sheet, mentee, mentor, staff, cycle
):
    agree(sheet, mentee, mentor, [complete(cycle)])

    services.goal_sheet_return(sheet=sheet, by=staff, comment="Please add target numbers.")

    sheet.refresh_from_db()
    assert (sheet.status, sheet.revision, sheet.agreed_revision) == ("draft", 2, 1)
    assert sheet.returned_comment == "Please add target numbers."
    change = sheet.changes.last()
    assert (change.action, change.by, change.revision) == ("staff_return", staff, 2)
    assert GoalSheetRevision.objects.get(sheet=sheet, number=1).confirmed_by == mentor


def test_only_staff_return_a_sheet_and_only_an_agreed_one(sheet, mentee, mentor, staff, cycle):
    save(sheet, mentee, [complete(cycle)])
    with pytest.raises(ValidationError, match="is draft"):
        services.goal_sheet_return(sheet=sheet, by=staff, comment="No.")
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)

    with pytest.raises(ValidationError, match="committee staff"):
        services.goal_sheet_return(sheet=sheet, by=mentor, comment="Let me change it.")


def test_every_step_is_in_the_history_with_who_and_when(sheet, mentee, mentor, cycle):
    save(sheet, mentee, [complete(cycle)])
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_send_back(sheet=sheet, by=mentor, comment="Almost.")
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)

    history = list(
        GoalSheetChange.objects.filter(sheet=sheet).values_list("action", "by", "comment")
    )
    assert history == [
        ("submit", mentee.pk, ""),
        ("send_back", mentor.pk, "Almost."),
        ("submit", mentee.pk, ""),
        ("confirm", mentor.pk, ""),
    ]


def test_a_goal_removed_after_it_was_agreed_is_kept_with_its_check_ins(
    sheet, mentee, mentor, cycle
):
    agree(sheet, mentee, mentor, [complete(cycle, 1), complete(cycle, 2)])
    first, second = sheet.goals.order_by("position")
    check_in = CheckInFactory(goal=second)
    services.goal_sheet_reopen(sheet=sheet, by=mentee)

    save(sheet, mentee, [complete(cycle, 1, goal_id=first.pk)])

    second.refresh_from_db()
    assert second.position is None and second.retired_at is not None
    assert CheckIn.objects.filter(pk=check_in.pk).exists()
    assert list(sheet.goals.current()) == [first]


def test_a_draft_goal_never_agreed_is_simply_deleted_when_removed(sheet, mentee, cycle):
    save(sheet, mentee, [complete(cycle, 1), complete(cycle, 2)])
    first, second = sheet.goals.order_by("position")

    save(sheet, mentee, [complete(cycle, 2, goal_id=second.pk), complete(cycle, 3)])

    assert not Goal.objects.filter(pk=first.pk).exists()
    assert list(sheet.goals.order_by("position").values_list("title", "position")) == [
        ("Goal number 2", 1),
        ("Goal number 3", 2),
    ]
    assert sheet.goals.get(position=1).pk == second.pk


def test_reordering_goals_keeps_their_rows(sheet, mentee, cycle):
    save(sheet, mentee, [complete(cycle, 1), complete(cycle, 2), complete(cycle, 3)])
    a, b, c = sheet.goals.order_by("position")

    save(
        sheet,
        mentee,
        [
            complete(cycle, 3, goal_id=c.pk),
            complete(cycle, 1, goal_id=a.pk),
            complete(cycle, 2, goal_id=b.pk),
        ],
    )

    assert list(sheet.goals.order_by("position").values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]


# --- Progress ------------------------------------------------------------------------------


def test_either_partner_adds_a_check_in_on_an_agreed_goal(sheet, mentee, mentor, cycle, today):
    agree(sheet, mentee, mentor, [complete(cycle)])
    goal = sheet.goals.get()

    progress.check_in_add(goal=goal, by=mentee, status="in_progress", note="Two crafts done.")
    progress.check_in_add(goal=goal, by=mentor, status="achieved", on=today)

    assert list(goal.check_ins.values_list("author", "status")) == [
        (mentor.pk, "achieved"),
        (mentee.pk, "in_progress"),
    ]


def test_no_check_in_before_the_sheet_is_agreed(sheet, mentee, cycle):
    save(sheet, mentee, [complete(cycle)])

    with pytest.raises(ValidationError, match="once the goal sheet is agreed"):
        progress.check_in_add(goal=sheet.goals.get(), by=mentee, status="in_progress")


def test_a_check_in_is_not_dated_in_the_future_or_before_the_program(
    sheet, mentee, mentor, cycle, today
):
    agree(sheet, mentee, mentor, [complete(cycle)])
    goal = sheet.goals.get()

    with pytest.raises(ValidationError) as future:
        progress.check_in_add(
            goal=goal, by=mentee, status="in_progress", on=today + dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError) as early:
        progress.check_in_add(
            goal=goal, by=mentee, status="in_progress", on=cycle.starts_on - dt.timedelta(days=1)
        )

    assert "today or an earlier day" in future.value.message_dict["on"][0]
    assert "since the program started" in early.value.message_dict["on"][0]


def test_a_changed_or_dropped_goal_needs_a_note(sheet, mentee, mentor, cycle):
    agree(sheet, mentee, mentor, [complete(cycle)])

    with pytest.raises(ValidationError) as error:
        progress.check_in_add(goal=sheet.goals.get(), by=mentee, status="dropped", note="")

    assert "note" in error.value.message_dict


def test_strangers_do_not_add_check_ins(sheet, mentee, mentor, stranger, cycle):
    agree(sheet, mentee, mentor, [complete(cycle)])

    with pytest.raises(ValidationError, match="Only the mentor and the mentee"):
        progress.check_in_add(goal=sheet.goals.get(), by=stranger, status="in_progress")


def test_final_outcomes_are_recorded_at_the_conclusion_not_before(
    sheet, mentee, mentor, cycle, today
):
    agree(sheet, mentee, mentor, [complete(cycle)])
    goal = sheet.goals.get()
    outcome = [OutcomeInput(goal_id=goal.pk, outcome="achieved", reflection="We did it.")]

    with pytest.raises(ValidationError, match="at the program's conclusion"):
        progress.goal_outcomes_record(sheet=sheet, by=mentee, outcomes=outcome)

    Match.objects.filter(pk=sheet.match_id).update(status=Match.Status.CONCLUDED)
    sheet.refresh_from_db()
    progress.goal_outcomes_record(sheet=sheet, by=mentor, outcomes=outcome)
    goal.refresh_from_db()
    assert (goal.final_outcome, goal.reflection, goal.outcome_recorded_by) == (
        "achieved",
        "We did it.",
        mentor,
    )


def test_final_outcomes_open_a_month_before_the_conclusion(sheet, mentee, mentor, cycle):
    agree(sheet, mentee, mentor, [complete(cycle)])
    sheet.refresh_from_db()
    conclusion = cycle.ends_on

    assert not rules.outcomes_open(sheet, today=conclusion - dt.timedelta(days=31))
    assert rules.outcomes_open(sheet, today=conclusion - dt.timedelta(days=30))


def test_each_goal_needs_an_outcome_and_a_reflection(sheet, mentee, mentor, cycle):
    agree(sheet, mentee, mentor, [complete(cycle)])
    Match.objects.filter(pk=sheet.match_id).update(status=Match.Status.CONCLUDED)
    sheet.refresh_from_db()
    goal = sheet.goals.get()

    with pytest.raises(ValidationError, match="short reflection"):
        progress.goal_outcomes_record(
            sheet=sheet,
            by=mentee,
            outcomes=[OutcomeInput(goal_id=goal.pk, outcome="partly", reflection=" ")],
        )
    with pytest.raises(ValidationError, match="each goal"):
        progress.goal_outcomes_record(sheet=sheet, by=mentee, outcomes=[])


# --- Opening sheets ------------------------------------------------------------------------


def test_every_active_match_gets_a_sheet_once(match, cycle):
    from tests.factories import MatchFactory

    proposed = MatchFactory(cycle=cycle, status=Match.Status.PROPOSED)

    assert services.goal_sheets_open_for_active_matches() == 1
    assert services.goal_sheets_open_for_active_matches() == 0
    assert GoalSheet.objects.filter(match=match).exists()
    assert not GoalSheet.objects.filter(match=proposed).exists()


def test_a_proposed_match_has_no_sheet_to_open(cycle):
    from tests.factories import MatchFactory

    with pytest.raises(ValidationError, match="once the match is active"):
        services.goal_sheet_open(match=MatchFactory(cycle=cycle, status=Match.Status.PROPOSED))
