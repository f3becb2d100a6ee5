"""The goal sheet pages: only the two partners see them; bad input gets a message beside
the field with everything typed kept; an outdated save shows both texts; the mentee
submits and the mentor confirms; constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from goals.models import GoalSheet
from goals.services import GoalInput
from matches.models import Match
from mentoring.models import Cycle
from tests.factories import CheckInFactory, ExampleGoalFactory, GoalFactory, MatchFactory
from tests.form_tokens import with_token

from .conftest import edit_post, goal_data, post_edit

pytestmark = pytest.mark.django_db

SHEET_PAGES = [
    "goals:sheet",
    "goals:edit",
    "goals:submit",
    "goals:review",
    "goals:reopen",
    "goals:revisions",
    "goals:print",
    "goals:outcomes",
]


def url(name, match, *args):
    return reverse(name, args=[match.pk, *args])


def draft(sheet, by, cycle, n=1, **overrides):
    sheet.refresh_from_db()
    goals = [
        GoalInput(
            **{**goal_data(cycle, title=f"Goal {i}"), "target_date": cycle.ends_on, **overrides}
        )
        for i in range(1, n + 1)
    ]
    return services.goal_sheet_save_draft(sheet=sheet, by=by, version=sheet.version, goals=goals)


def agreed(sheet, mentee, mentor, cycle, n=1):
    draft(sheet, mentee, cycle, n)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_confirm(sheet=sheet, by=mentor)
    sheet.refresh_from_db()
    return sheet


# --- Who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHEET_PAGES)
def test_pages_need_a_sign_in(client, sheet, name):
    response = client.get(url(name, sheet.match))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", SHEET_PAGES)
@pytest.mark.parametrize("who", ["stranger", "staff", "another_mentee"])
def test_anyone_but_the_two_partners_gets_404(client, sheet, cycle, stranger, staff, name, who):
    person = {"stranger": stranger, "staff": staff}.get(who) or MatchFactory(
        cycle=cycle
    ).mentee.applicant
    client.force_login(person)

    assert client.get(url(name, sheet.match)).status_code == 404


def test_a_stranger_cannot_post_a_check_in_or_a_draft(
    client, sheet, mentee, mentor, cycle, stranger
):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    client.force_login(stranger)

    check_in = client.post(
        url("goals:check_in", sheet.match, goal.pk), {"status": "achieved", "on": cycle.starts_on}
    )
    edit = post_edit(client, sheet.match, edit_post([goal_data(cycle)], version=sheet.version))

    assert (check_in.status_code, edit.status_code) == (404, 404)
    assert not goal.check_ins.exists()


def test_a_dissolved_match_s_sheet_is_gone_for_its_partners(client, sheet, mentee):
    Match.objects.filter(pk=sheet.match_id).update(status=Match.Status.DISSOLVED)
    client.force_login(mentee)

    assert client.get(url("goals:sheet", sheet.match)).status_code == 404


def test_a_goal_of_another_sheet_is_404(client, sheet, mentee, mentor, cycle):
    agreed(sheet, mentee, mentor, cycle)
    other = GoalFactory()
    client.force_login(mentee)

    assert client.get(url("goals:check_in", sheet.match, other.pk)).status_code == 404


def test_the_sheet_opens_on_the_first_visit(client, match, mentee):
    client.force_login(mentee)

    response = client.get(url("goals:sheet", match))

    assert response.status_code == 200
    assert GoalSheet.objects.filter(match=match, status="draft").exists()
    assert "Start your goals" in response.content.decode()


def test_my_goal_sheets_lists_the_person_s_matches(client, sheet, mentee, cycle):
    draft(sheet, mentee, cycle)
    client.force_login(mentee)

    body = client.get(reverse("goals:mine")).content.decode()

    assert url("goals:sheet", sheet.match) in body and "Goal 1" in body


# --- The sheet page by role -----------------------------------------------------------------


def test_the_mentee_is_offered_to_submit_the_mentor_is_not(
    client, sheet, mentee, mentor, cycle, match
):
    draft(sheet, mentee, cycle)

    client.force_login(mentee)
    as_mentee = client.get(url("goals:sheet", match)).content.decode()
    client.force_login(mentor)
    as_mentor = client.get(url("goals:sheet", match)).content.decode()

    assert f"Submit to {match.mentor.display_name}" in as_mentee
    assert "Submit to" not in as_mentor
    assert f"{match.mentee.display_name} submits the sheet" in as_mentor


def test_the_sheet_shows_the_due_date_and_an_overdue_badge(client, sheet, mentee, cycle, today):
    client.force_login(mentee)
    body = client.get(url("goals:sheet", sheet.match)).content.decode()
    due = today + dt.timedelta(days=21)
    assert f"Due {due:%B} {due.day}, {due.year} (in 21 days)" in body
    assert "overdue-badge" not in body

    milestone = sheet.match.cycle.milestones.get(kind="introductions")
    milestone.ends_on = today - dt.timedelta(days=1)
    milestone.save()
    body = client.get(url("goals:sheet", sheet.match)).content.decode()
    assert "Overdue" in body and "is not agreed yet" in body


def test_the_sheet_shows_each_goal_s_latest_check_in(client, sheet, mentee, mentor, cycle, today):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    CheckInFactory(
        goal=goal, status="not_started", note="Planning.", on=today - dt.timedelta(days=9)
    )
    CheckInFactory(
        goal=goal, status="in_progress", note="Two crafts tried.", on=today - dt.timedelta(days=2)
    )
    client.force_login(mentor)

    body = client.get(url("goals:sheet", sheet.match)).content.decode()

    latest = body.index("Two crafts tried.")
    assert latest < body.index("Planning.")
    assert "Earlier check-ins (1)" in body


# --- Editing: bad input keeps everything typed ---------------------------------------------


def test_the_edit_page_offers_the_examples(client, sheet, mentee, cycle):
    example = ExampleGoalFactory(
        program=cycle.program, title="Learn more about school librarianship"
    )
    ExampleGoalFactory(program=cycle.program, title="Retired example", is_active=False)
    client.force_login(mentee)

    body = client.get(url("goals:edit", sheet.match)).content.decode()

    assert example.title in body and "Retired example" not in body
    assert f'name="add_example" value="{example.pk}"' in body


def test_both_partners_save_the_draft_from_the_page(client, sheet, mentee, mentor, cycle):
    client.force_login(mentor)

    response = post_edit(client, sheet.match, edit_post([goal_data(cycle)], version=sheet.version))

    assert response.status_code == 302
    assert sheet.goals.get().title == "Six crafts for the Bookbag program"


def test_removing_the_only_goal_is_refused_with_the_text_kept(client, sheet, mentee, cycle):
    client.force_login(mentee)
    typed = goal_data(cycle, title="My only goal, typed", DELETE="on")

    response = post_edit(client, sheet.match, edit_post([typed], version=sheet.version))

    body = response.content.decode()
    assert response.status_code == 400
    assert "A goal sheet needs at least one goal" in body
    assert 'value="My only goal, typed"' in body
    assert not sheet.goals.exists()


def test_four_goals_are_refused_with_all_four_kept(client, sheet, mentee, cycle):
    client.force_login(mentee)
    goals = [goal_data(cycle, title=f"Typed goal {i}") for i in range(1, 5)]

    response = post_edit(client, sheet.match, edit_post(goals, version=sheet.version))

    body = response.content.decode()
    assert response.status_code == 400
    assert "A goal sheet has at most three goals" in body
    assert all(f'value="Typed goal {i}"' in body for i in range(1, 5))
    assert not sheet.goals.exists()


def test_submitting_with_an_empty_smart_part_says_so_beside_the_field(client, sheet, mentee, cycle):
    client.force_login(mentee)
    typed = goal_data(cycle, measurable="", specific="Exactly this, typed by me")

    response = post_edit(
        client, sheet.match, edit_post([typed], version=sheet.version, submit_sheet="1")
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="error_1_id_goals-0-measurable"' in body
    assert "Say how you will know you got there (measurable)." in body
    assert "Exactly this, typed by me" in body
    sheet.refresh_from_db()
    assert sheet.status == "draft" and not sheet.goals.exists()


def test_a_target_date_outside_the_program_is_refused_beside_the_field(
    client, sheet, mentor, cycle
):
    client.force_login(mentor)
    late = cycle.ends_on + dt.timedelta(days=1)

    response = post_edit(
        client,
        sheet.match,
        edit_post([goal_data(cycle, target_date=late.isoformat())], version=sheet.version),
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="error_1_id_goals-0-target_date"' in body
    assert "Choose a date inside the program" in body
    assert f'value="{late.isoformat()}"' in body


def test_a_draft_may_be_saved_with_parts_missing(client, sheet, mentee, cycle):
    client.force_login(mentee)

    response = post_edit(
        client,
        sheet.match,
        edit_post([{"title": "Only a title so far"}], version=sheet.version),
    )

    assert response.status_code == 302
    assert sheet.goals.get().title == "Only a title so far"


def test_the_check_view_marks_what_stops_the_submission(client, sheet, mentee, cycle):
    draft(sheet, mentee, cycle, relevant="")
    client.force_login(mentee)

    body = client.get(url("goals:edit", sheet.match) + "?check=1").content.decode()

    assert 'id="error_1_id_goals-0-relevant"' in body


def test_adding_a_goal_from_an_example_keeps_what_was_typed_and_saves_nothing(
    client, sheet, mentee, cycle
):
    example = ExampleGoalFactory(
        program=cycle.program, title="Make new contacts", measurable="Five contacts."
    )
    client.force_login(mentee)
    typed = goal_data(cycle, title="Half-typed goal", measurable="")

    response = post_edit(
        client,
        sheet.match,
        edit_post([typed], version=sheet.version, save=None, add_example=str(example.pk)),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Half-typed goal"' in body
    assert 'value="Make new contacts"' in body and "Five contacts." in body
    assert 'name="goals-1-example"' in body and f'value="{example.pk}"' in body
    assert not sheet.goals.exists()


def test_an_example_no_longer_offered_keeps_what_was_typed(client, sheet, mentee, cycle):
    client.force_login(mentee)
    typed = goal_data(cycle, title="Half-typed goal", measurable="")

    for gone in ("424242", "not a number", "\x00"):
        response = post_edit(
            client,
            sheet.match,
            edit_post([typed], version=sheet.version, save=None, add_example=gone),
        )

        body = response.content.decode()
        assert response.status_code == 200
        assert "That example goal is no longer offered." in body
        assert 'value="Half-typed goal"' in body
    assert not sheet.goals.exists()


def test_a_fourth_goal_cannot_be_added(client, sheet, mentee, cycle):
    client.force_login(mentee)
    goals = [goal_data(cycle, title=f"Goal {i}") for i in range(1, 4)]

    response = post_edit(
        client,
        sheet.match,
        edit_post(goals, version=sheet.version, save=None, add_goal="1"),
    )

    body = response.content.decode()
    assert "at most three goals" in body
    assert 'name="goals-TOTAL_FORMS" value="3"' in body


def test_the_mentee_saves_and_submits_in_one_step(
    client, sheet, mentee, cycle, django_capture_on_commit_callbacks
):
    client.force_login(mentee)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_edit(
            client,
            sheet.match,
            edit_post([goal_data(cycle)], version=sheet.version, submit_sheet="1"),
        )

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_a_mentor_cannot_submit(client, sheet, mentee, mentor, cycle):
    draft(sheet, mentee, cycle)
    sheet.refresh_from_db()
    client.force_login(mentor)

    get = client.get(url("goals:submit", sheet.match))
    post = client.post(url("goals:submit", sheet.match), {"version": sheet.version})
    save_and_submit = post_edit(
        client,
        sheet.match,
        edit_post([goal_data(cycle)], version=sheet.version, submit_sheet="1"),
    )

    assert (get.status_code, post.status_code, save_and_submit.status_code) == (403, 403, 403)
    sheet.refresh_from_db()
    assert sheet.status == "draft"


def test_nobody_edits_an_agreed_sheet_in_place(client, sheet, mentee, mentor, cycle):
    agreed(sheet, mentee, mentor, cycle)
    client.force_login(mentee)

    get = client.get(url("goals:edit", sheet.match))
    post = post_edit(
        client,
        sheet.match,
        edit_post([goal_data(cycle, title="Sneaky")], version=sheet.version),
    )

    assert get.status_code == 302
    assert post.status_code == 409
    assert "nobody changes an agreed revision" in post.content.decode()
    assert sheet.goals.get().title == "Goal 1"


# --- Drafting together: the outdated save ---------------------------------------------------


def test_an_outdated_save_is_refused_showing_both_texts(client, sheet, mentee, mentor, cycle):
    draft(sheet, mentee, cycle, title="Our first words")
    sheet.refresh_from_db()
    goal = sheet.goals.get()
    loaded_at = sheet.version
    draft(sheet, mentor, cycle, title="The mentor's new words", goal_id=goal.pk)
    client.force_login(mentee)

    response = post_edit(
        client,
        sheet.match,
        edit_post(
            [goal_data(cycle, title="The mentee's new words", goal_id=goal.pk)], version=loaded_at
        ),
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert "saved the goal sheet while you were editing it" in body
    assert "The mentor&#x27;s new words" in body  # theirs, as saved
    assert body.count("The mentee&#x27;s new words") >= 2  # yours, side by side and in the form
    goal.refresh_from_db()
    assert goal.title == "The mentor's new words"
    sheet.refresh_from_db()
    assert f'name="version" value="{sheet.version}"' in body


def test_after_seeing_both_texts_the_person_can_save_theirs(client, sheet, mentee, mentor, cycle):
    draft(sheet, mentee, cycle)
    goal = sheet.goals.get()
    draft(sheet, mentor, cycle, title="The mentor's words", goal_id=goal.pk)
    sheet.refresh_from_db()
    client.force_login(mentee)

    response = post_edit(
        client,
        sheet.match,
        edit_post([goal_data(cycle, title="Merged words", goal_id=goal.pk)], version=sheet.version),
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Merged words"


def test_the_saved_goal_can_be_brought_into_your_copy(client, sheet, mentee, mentor, cycle):
    draft(sheet, mentee, cycle)
    first = sheet.goals.get()
    sheet.refresh_from_db()
    loaded_at = sheet.version
    sheet.refresh_from_db()
    services.goal_sheet_save_draft(
        sheet=sheet,
        by=mentor,
        version=sheet.version,
        goals=[
            GoalInput(
                **{
                    **goal_data(cycle, title="Goal 1"),
                    "target_date": cycle.ends_on,
                    "goal_id": first.pk,
                }
            ),
            GoalInput(
                **{
                    **goal_data(cycle, title="The mentor's added goal"),
                    "target_date": cycle.ends_on,
                }
            ),
        ],
    )
    added = sheet.goals.get(position=2)
    client.force_login(mentee)
    mine = edit_post([goal_data(cycle, title="Mine", goal_id=first.pk)], version=loaded_at)

    conflict = post_edit(client, sheet.match, mine)
    assert "only in the saved sheet" in conflict.content.decode()
    sheet.refresh_from_db()
    mine.update({"version": str(sheet.version), "save": None, "take_saved": str(added.pk)})
    merged = post_edit(client, sheet.match, {k: v for k, v in mine.items() if v is not None})

    body = merged.content.decode()
    assert 'value="Mine"' in body and 'value="The mentor&#x27;s added goal"' in body
    assert f'name="goals-1-goal_id" value="{added.pk}"' in body


@pytest.mark.parametrize("goal_id", ["999999", "99999999999999999999", ":", "0.0", "\u00b2"])
def test_taking_a_saved_goal_that_is_gone_keeps_what_was_typed(
    client, sheet, mentee, cycle, goal_id
):
    """Found by fuzzing: a take-saved button whose goal is not on the sheet (removed by
    the partner meanwhile, or not a number at all) was a 404 or a server error."""
    draft(sheet, mentee, cycle)
    first = sheet.goals.get()
    sheet.refresh_from_db()
    client.force_login(mentee)
    mine = edit_post(
        [goal_data(cycle, title="Mine, typed", goal_id=first.pk)],
        version=sheet.version,
        save=None,
        take_saved=goal_id,
    )

    response = post_edit(client, sheet.match, mine)

    body = response.content.decode()
    assert response.status_code == 409
    assert "That goal is no longer on the saved sheet." in body
    assert 'value="Mine, typed"' in body
    assert sheet.goals.get().title == first.title


def test_a_save_on_a_sheet_submitted_meanwhile_shows_what_was_typed(
    client, sheet, mentee, mentor, cycle
):
    draft(sheet, mentee, cycle)
    sheet.refresh_from_db()
    loaded_at = sheet.version
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    client.force_login(mentor)

    response = post_edit(
        client,
        sheet.match,
        edit_post([goal_data(cycle, title="The mentor's late edit")], version=loaded_at),
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert "Your changes were not saved" in body and "has been submitted" in body
    assert "The mentor&#x27;s late edit" in body
    assert sheet.goals.get().title == "Goal 1"


# --- Submit, review, reopen ----------------------------------------------------------------


def test_the_mentee_submits_from_the_submit_page(client, sheet, mentee, cycle):
    draft(sheet, mentee, cycle)
    sheet.refresh_from_db()
    client.force_login(mentee)

    assert "Submit to" in client.get(url("goals:submit", sheet.match)).content.decode()
    response = client.post(url("goals:submit", sheet.match), {"version": sheet.version})

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_an_incomplete_draft_is_not_submitted_and_the_missing_parts_are_named(
    client, sheet, mentee, cycle
):
    draft(sheet, mentee, cycle, achievable="")
    sheet.refresh_from_db()
    client.force_login(mentee)

    page = client.get(url("goals:submit", sheet.match)).content.decode()
    response = client.post(url("goals:submit", sheet.match), {"version": sheet.version})

    assert "needs achievable" in page
    assert response["Location"].endswith("/edit/?check=1")
    sheet.refresh_from_db()
    assert sheet.status == "draft"


def test_the_mentor_agrees_on_the_review_page(client, sheet, mentee, mentor, cycle):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    sheet.refresh_from_db()
    client.force_login(mentor)

    assert "We agree" in client.get(url("goals:review", sheet.match)).content.decode()
    response = client.post(
        url("goals:review", sheet.match), {"confirm": "1", "version": sheet.version}
    )

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "agreed"


def test_sending_back_without_a_comment_says_so_beside_the_field(
    client, sheet, mentee, mentor, cycle
):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    sheet.refresh_from_db()
    client.force_login(mentor)

    response = client.post(
        url("goals:review", sheet.match),
        {"send_back": "1", "comment": "", "version": sheet.version},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="error_1_id_comment"' in body
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_the_mentor_sends_it_back_with_a_comment(client, sheet, mentee, mentor, cycle):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    sheet.refresh_from_db()
    client.force_login(mentor)

    client.post(
        url("goals:review", sheet.match),
        {"send_back": "1", "comment": "More numbers.", "version": sheet.version},
    )

    sheet.refresh_from_db()
    assert (sheet.status, sheet.returned_comment) == ("draft", "More numbers.")
    client.force_login(mentee)
    assert "More numbers." in client.get(url("goals:sheet", sheet.match)).content.decode()


def test_the_mentee_cannot_review(client, sheet, mentee, cycle):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    client.force_login(mentee)

    assert client.post(url("goals:review", sheet.match), {"confirm": "1"}).status_code == 403


def test_a_partner_reopens_the_agreed_sheet_as_a_new_revision(client, sheet, mentee, mentor, cycle):
    agreed(sheet, mentee, mentor, cycle)
    client.force_login(mentor)

    response = client.post(url("goals:reopen", sheet.match))

    assert response["Location"] == url("goals:edit", sheet.match)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.revision) == ("draft", 2)


def test_earlier_revisions_stay_readable(client, sheet, mentee, mentor, cycle):
    agreed(sheet, mentee, mentor, cycle)
    services.goal_sheet_reopen(sheet=sheet, by=mentee)
    draft(sheet, mentee, cycle, title="Changed title", goal_id=sheet.goals.get().pk)
    client.force_login(mentor)

    listing = client.get(url("goals:revisions", sheet.match)).content.decode()
    first = client.get(url("goals:revision", sheet.match, 1)).content.decode()

    assert "Revision 1" in listing and "Reopened to change" in listing
    assert "Goal 1" in first and "Changed title" not in first
    assert f"Confirmed by {mentor.get_short_name()}" in first
    assert client.get(url("goals:revision", sheet.match, 2)).status_code == 404  # not submitted yet


# --- Print, check-ins, outcomes -------------------------------------------------------------


def test_the_print_view_shows_the_agreed_sheet(client, sheet, mentee, mentor, cycle, match):
    agreed(sheet, mentee, mentor, cycle, n=2)
    client.force_login(mentee)

    response = client.get(url("goals:print", match))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Goal 1: Goal 1" in body and "Goal 2: Goal 2" in body
    assert match.mentor.full_name in body and "Confirmed by the mentor" in body
    assert 'class="print-sheet"' in body and "js/goals.js" in body


def test_there_is_nothing_to_print_before_the_agreement(client, sheet, mentee):
    client.force_login(mentee)

    assert client.get(url("goals:print", sheet.match))["Location"] == url(
        "goals:sheet", sheet.match
    )


def test_a_partner_adds_a_check_in(client, sheet, mentee, mentor, cycle, today):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    client.force_login(mentor)

    response = client.post(
        url("goals:check_in", sheet.match, goal.pk),
        with_token(
            client, {"status": "in_progress", "note": "First craft done.", "on": today.isoformat()}
        ),
    )

    assert response.status_code == 302
    assert goal.check_ins.get().author == mentor


def test_a_future_check_in_date_is_refused_beside_the_field_with_the_note_kept(
    client, sheet, mentee, mentor, cycle, today
):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    client.force_login(mentee)

    response = client.post(
        url("goals:check_in", sheet.match, goal.pk),
        with_token(
            client,
            {
                "status": "in_progress",
                "note": "A note I typed.",
                "on": (today + dt.timedelta(days=3)).isoformat(),
            },
        ),
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="error_1_id_on"' in body and "today or an earlier day" in body
    assert "A note I typed." in body
    assert not goal.check_ins.exists()


def test_final_outcomes_are_recorded_once_the_match_concludes(client, sheet, mentee, mentor, cycle):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    client.force_login(mentee)
    assert client.get(url("goals:outcomes", sheet.match)).status_code == 302  # not yet

    Match.objects.filter(pk=sheet.match_id).update(status=Match.Status.CONCLUDED)
    missing = client.post(
        url("goals:outcomes", sheet.match), {f"goal-{goal.pk}-outcome": "achieved"}
    )
    done = client.post(
        url("goals:outcomes", sheet.match),
        {f"goal-{goal.pk}-outcome": "achieved", f"goal-{goal.pk}-reflection": "It worked."},
    )

    assert missing.status_code == 400
    assert f'id="error_1_id_goal-{goal.pk}-reflection"' in missing.content.decode()
    assert done.status_code == 302
    goal.refresh_from_db()
    assert (goal.final_outcome, goal.reflection) == ("achieved", "It worked.")


def test_the_revisions_page_lists_the_sent_back_revision_with_who_and_why(
    client, sheet, mentee, mentor, cycle
):
    draft(sheet, mentee, cycle)
    services.goal_sheet_submit(sheet=sheet, by=mentee)
    services.goal_sheet_send_back(sheet=sheet, by=mentor, comment="Name the six crafts.")
    agreed(sheet, mentee, mentor, cycle)
    client.force_login(mentee)

    listing = " ".join(client.get(url("goals:revisions", sheet.match)).content.decode().split())
    first = client.get(reverse("goals:revision", args=[sheet.match_id, 1])).content.decode()

    assert "Revision 1" in listing and "Revision 2" in listing
    assert f"Sent back by {mentor.get_short_name()}" in listing
    assert "Name the six crafts." in listing and "Name the six crafts." in first


def test_final_outcomes_close_on_the_cycles_grace_date(client, sheet, mentee, mentor, cycle):
    agreed(sheet, mentee, mentor, cycle)
    goal = sheet.goals.get()
    Match.objects.filter(pk=sheet.match_id).update(status=Match.Status.CONCLUDED)
    today = cycle.program.today()
    # The year ended 31 days ago: the default grace of 30 days is over.
    Cycle.objects.filter(pk=cycle.pk).update(
        starts_on=today - dt.timedelta(days=300), ends_on=today - dt.timedelta(days=31)
    )
    client.force_login(mentee)
    post = {f"goal-{goal.pk}-outcome": "achieved", f"goal-{goal.pk}-reflection": "It worked."}

    closed = client.post(url("goals:outcomes", sheet.match), post, follow=True)
    goal.refresh_from_db()
    assert goal.final_outcome == ""
    Cycle.objects.filter(pk=cycle.pk).update(outcomes_close_on=today)  # staff extend it
    extended = client.post(url("goals:outcomes", sheet.match), post)

    assert closed.context["outcomes_open"] is False
    assert "on an agreed goal sheet, until" in closed.content.decode()
    assert extended.status_code == 302
    goal.refresh_from_db()
    assert goal.final_outcome == "achieved"


def test_the_grace_date_cannot_come_before_the_end(cycle):
    cycle.outcomes_close_on = cycle.ends_on - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        cycle.full_clean()

    assert "outcomes_close_on" in caught.value.message_dict
    assert cycle.outcomes_until == cycle.ends_on - dt.timedelta(days=1)
    cycle.outcomes_close_on = None
    assert cycle.outcomes_until == cycle.ends_on + dt.timedelta(days=30)


def test_a_concluded_match_s_sheet_is_readable_not_editable(client, sheet, mentee, mentor, cycle):
    agreed(sheet, mentee, mentor, cycle)
    Match.objects.filter(pk=sheet.match_id).update(status=Match.Status.CONCLUDED)
    client.force_login(mentor)

    body = client.get(url("goals:sheet", sheet.match)).content.decode()

    assert "Change the goals" not in body and "Add a check-in" not in body
    assert "Record final outcomes" in body


# --- Constant queries -----------------------------------------------------------------------


def count_queries(client, path) -> int:
    client.get(path)  # the first visit after a change reads the shared content again
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_sheet_page_runs_a_constant_number_of_queries(
    client, sheet, mentee, mentor, cycle, today
):
    agreed(sheet, mentee, mentor, cycle, n=1)
    client.force_login(mentee)
    path = url("goals:sheet", sheet.match)
    few = count_queries(client, path)

    services.goal_sheet_reopen(sheet=sheet, by=mentee)
    draft(sheet, mentee, cycle, n=3)
    for goal in sheet.goals.all():
        for _ in range(4):
            CheckInFactory(goal=goal, on=today)

    assert count_queries(client, path) == few


def test_my_goal_sheets_runs_a_constant_number_of_queries(client, cycle, mentee, sheet):
    GoalFactory(sheet=sheet)
    client.force_login(mentee)
    few = count_queries(client, reverse("goals:mine"))

    for _ in range(3):
        other = MatchFactory(mentee__applicant=mentee)  # in other programs' cycles
        GoalFactory(sheet__match=other)

    assert count_queries(client, reverse("goals:mine")) == few


def test_starting_from_an_example_fills_the_empty_first_goal(client, sheet, mentee, cycle):
    example = ExampleGoalFactory(program=cycle.program, title="Make new contacts")
    client.force_login(mentee)

    response = post_edit(
        client,
        sheet.match,
        edit_post(
            [{"title": "", "specific": ""}],
            version=sheet.version,
            save=None,
            add_example=str(example.pk),
        ),
    )

    body = response.content.decode()
    assert 'name="goals-TOTAL_FORMS" value="1"' in body
    assert (
        'name="goals-0-title" value="Make new contacts"' in body
        or 'value="Make new contacts"' in body
    )
    assert "Goal 1 is added from the example" in body
