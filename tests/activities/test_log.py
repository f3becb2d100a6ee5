"""A match's activity log: its partners add, edit, mark done and delete entries; bad
input is explained beside the field with nothing lost; everyone else gets a 404."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from activities.models import ActivityLogEntry
from matches.models import Match
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    CategoryFactory,
    verified_user,
)
from tests.form_tokens import with_token

from .helpers import active_match, competency, goal_for, today

pytestmark = pytest.mark.django_db

DONE, PLANNED = ActivityLogEntry.Status.DONE, ActivityLogEntry.Status.PLANNED


@pytest.fixture
def mentor(match):
    return match.mentor.applicant


@pytest.fixture
def activity(match):
    return ActivityFactory(
        category=CategoryFactory(program=match.cycle.program, name="Practice interviews"),
        title="Mock interview",
    )


def log_url(match):
    return reverse("activities:log", args=[match.pk])


def new_url(match):
    return reverse("activities:log_entry_create", args=[match.pk])


def edit_url(entry):
    return reverse("activities:log_entry_edit", args=[entry.match_id, entry.pk])


def delete_url(entry):
    return reverse("activities:log_entry_delete", args=[entry.match_id, entry.pk])


def done_url(entry):
    return reverse("activities:log_entry_mark_done", args=[entry.match_id, entry.pk])


def form_data(**overrides):
    data = {
        "activity": "",
        "title": "Video call about storytime",
        "status": DONE,
        "on": today().isoformat(),
        "notes": "We compared our storytime openers.",
    }
    data.update(overrides)
    return data


# --- Seeing the log -----------------------------------------------------------------------


def test_both_partners_see_their_log(client, match, mentee, mentor):
    ActivityLogEntryFactory(match=match, title="Shared book list", recorded_by=mentor)

    for person in (mentee, mentor):
        client.force_login(person)
        response = client.get(log_url(match))
        assert response.status_code == 200
        assert "Shared book list" in response.content.decode()


def test_signing_in_is_required(client, match):
    response = client.get(log_url(match))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize(
    "url",
    [
        log_url,
        new_url,
    ],
)
def test_anybody_else_gets_a_404(client, match, url):
    client.force_login(verified_user())

    assert client.get(url(match)).status_code == 404


def test_a_partner_of_another_match_gets_a_404_for_this_ones_entries(client, match):
    entry = ActivityLogEntryFactory(match=match)
    stranger = active_match()
    client.force_login(stranger.mentee.applicant)

    for url in (log_url(match), edit_url(entry), delete_url(entry)):
        assert client.get(url).status_code == 404
    assert client.post(done_url(entry)).status_code == 404
    assert client.post(delete_url(entry)).status_code == 404
    assert ActivityLogEntry.objects.filter(pk=entry.pk, status=DONE).exists()


@pytest.mark.parametrize("status", [Match.Status.PROPOSED, Match.Status.DISSOLVED])
def test_a_match_that_is_not_under_way_has_no_log_page(client, status):
    match = active_match(status=status)
    client.force_login(match.mentee.applicant)

    assert client.get(log_url(match)).status_code == 404


def test_a_concluded_match_reads_its_log_but_changes_nothing(client):
    match = active_match(status=Match.Status.CONCLUDED)
    entry = ActivityLogEntryFactory(match=match, title="Final reflection call")
    client.force_login(match.mentee.applicant)

    body = client.get(log_url(match)).content.decode()

    assert "Final reflection call" in body
    assert "concluded" in body
    assert "Add an activity" not in body
    assert client.get(new_url(match)).status_code == 404
    assert client.get(edit_url(entry)).status_code == 404


def test_the_log_runs_a_constant_number_of_queries(client, match, mentee, activity):
    goal = goal_for(match, areas=[competency(match.cycle.program, "Programming Skills")])

    def grow(n):
        for i in range(n):
            entry = ActivityLogEntryFactory(
                match=match, activity=activity, status=DONE if i % 2 else PLANNED
            )
            entry.goals.set([goal])
            ActivityFactory(category=activity.category)

    grow(2)
    client.force_login(mentee)
    client.get(log_url(match))  # the first visit after a change fills the shared content
    with CaptureQueriesContext(connection) as few:
        assert client.get(log_url(match)).status_code == 200

    grow(15)
    goal_for(match, title="Network", areas=[competency(match.cycle.program, "Outreach")])
    client.get(log_url(match))
    with CaptureQueriesContext(connection) as many:
        assert client.get(log_url(match)).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)


# --- Adding -------------------------------------------------------------------------------


def test_picking_from_the_catalog_takes_the_activitys_title(client, match, mentee, activity):
    goal = goal_for(match)
    client.force_login(mentee)

    response = client.post(
        new_url(match),
        with_token(client, form_data(activity=activity.pk, title="", goals=[goal.pk])),
    )

    assert response.status_code == 302
    entry = ActivityLogEntry.objects.get()
    assert (entry.title, entry.activity, entry.recorded_by) == ("Mock interview", activity, mentee)
    assert list(entry.goals.all()) == [goal]
    assert "Mock interview" in client.get(log_url(match)).content.decode()


def test_their_own_activity_with_a_title_of_their_own(client, match, mentor):
    client.force_login(mentor)

    client.post(
        new_url(match),
        with_token(client, form_data(status=PLANNED, on=str(today() + dt.timedelta(7)))),
    )

    entry = ActivityLogEntry.objects.get()
    assert (entry.title, entry.status, entry.activity) == (
        "Video call about storytime",
        PLANNED,
        None,
    )


def test_we_did_this_opens_the_form_filled_in(client, match, mentee, activity):
    client.force_login(mentee)

    response = client.get(new_url(match), {"activity": activity.pk, "status": PLANNED})

    form = response.context["form"]
    assert form["activity"].value() == str(activity.pk)
    assert form["status"].value() == PLANNED
    assert form["on"].value() == today()


def test_an_empty_title_is_explained_and_nothing_typed_is_lost(client, match, mentee):
    client.force_login(mentee)

    response = client.post(new_url(match), with_token(client, form_data(title="  ")))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Give the activity a title, or pick one from the catalog." in body
    assert "We compared our storytime openers." in body
    assert 'aria-invalid="true"' in body
    assert not ActivityLogEntry.objects.exists()


def test_a_date_outside_the_program_is_explained_beside_the_date(client, match, mentee):
    client.force_login(mentee)
    after = match.cycle.ends_on + dt.timedelta(days=1)

    response = client.post(
        new_url(match), with_token(client, form_data(status=PLANNED, on=after.isoformat()))
    )

    errors = response.context["form"].errors
    assert "Pick a date inside the" in errors["on"][0]
    assert f"{after:%Y-%m-%d}" in response.content.decode()  # kept in the field
    assert not ActivityLogEntry.objects.exists()


def test_a_spanish_reader_is_told_what_is_wrong_in_spanish(client, match, mentee):
    mentee.language = "es"
    mentee.save(update_fields=["language"])
    client.force_login(mentee)
    after = match.cycle.ends_on + dt.timedelta(days=1)

    response = client.post(
        new_url(match), with_token(client, form_data(title="  ", on=after.isoformat()))
    )

    errors = response.context["form"].errors
    assert errors["title"] == ["Dé un título a la actividad o elija una del catálogo."]
    assert errors["on"][0].startswith("Elija una fecha dentro del año del programa")
    assert not ActivityLogEntry.objects.exists()


def test_an_activity_cannot_be_done_in_the_future(client, match, mentee):
    client.force_login(mentee)
    tomorrow = today() + dt.timedelta(days=1)

    response = client.post(
        new_url(match), with_token(client, form_data(status=DONE, on=tomorrow.isoformat()))
    )

    assert "can’t be dated in the future" in response.context["form"].errors["on"][0]
    assert not ActivityLogEntry.objects.exists()


def test_a_date_that_is_not_a_date_is_explained(client, match, mentee):
    client.force_login(mentee)

    response = client.post(new_url(match), with_token(client, form_data(on="next Tuesday")))

    assert response.context["form"].errors["on"] == ["Enter a date, such as 2027-03-15."]


def test_a_goal_that_is_not_theirs_is_refused(client, match, mentee):
    goal_for(match, title="Ours")
    theirs = goal_for(active_match(), title="Somebody else's goal")
    client.force_login(mentee)

    response = client.post(new_url(match), with_token(client, form_data(goals=[theirs.pk])))

    body = response.content.decode()
    assert "Choose only goals from your own goal sheet." in body
    assert "Somebody else&#x27;s goal" not in body
    assert not ActivityLogEntry.objects.exists()


def test_the_service_refuses_a_goal_that_is_not_theirs_too(match, mentee):
    theirs = goal_for(active_match())

    with pytest.raises(ValidationError) as excinfo:
        services.log_entry_create(
            match=match, user=mentee, title="Call", status=DONE, on=today(), goals=[theirs]
        )

    assert excinfo.value.message_dict["goals"] == ["Choose only goals from your own goal sheet."]


def test_an_activity_of_another_programs_catalog_is_refused(client, match, mentee):
    elsewhere = ActivityFactory()
    client.force_login(mentee)

    response = client.post(new_url(match), with_token(client, form_data(activity=elsewhere.pk)))

    assert "catalog" in response.context["form"].errors["activity"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.log_entry_create(
            match=match, user=mentee, activity=elsewhere, status=DONE, on=today()
        )
    assert "activity" in excinfo.value.message_dict


def test_only_the_partners_add_to_the_log(match):
    with pytest.raises(PermissionDenied):
        services.log_entry_create(
            match=match, user=verified_user(), title="Sneaky", status=DONE, on=today()
        )


def test_without_goals_the_form_says_they_come_with_the_goal_sheet(client, match, mentee):
    client.force_login(mentee)

    response = client.get(new_url(match))

    assert "goals" not in response.context["form"].fields
    assert "Once your goal sheet has goals" in response.content.decode()


# --- Changing -----------------------------------------------------------------------------


def test_the_partner_who_recorded_an_entry_edits_it(client, match, mentee):
    entry = ActivityLogEntryFactory(match=match, recorded_by=mentee, title="Call")
    goal = goal_for(match)
    client.force_login(mentee)

    response = client.post(
        edit_url(entry), form_data(title="Long call", notes="Two hours!", goals=[goal.pk])
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.notes) == ("Long call", "Two hours!")
    assert list(entry.goals.all()) == [goal]


def test_the_edit_form_starts_from_the_entry(client, match, mentee):
    entry = ActivityLogEntryFactory(match=match, recorded_by=mentee, notes="First notes")
    client.force_login(mentee)

    form = client.get(edit_url(entry)).context["form"]

    assert form["title"].value() == entry.title
    assert form["notes"].value() == "First notes"


def test_a_done_entry_recorded_by_mistake_goes_back_to_planned(match, mentee):
    entry = ActivityLogEntryFactory(match=match, recorded_by=mentee, status=DONE)

    services.log_entry_update(
        entry=entry, user=mentee, title=entry.title, status=PLANNED, on=entry.on
    )

    entry.refresh_from_db()
    assert entry.status == PLANNED


def test_a_partner_does_not_edit_or_delete_the_other_partners_entry(client, match, mentor):
    entry = ActivityLogEntryFactory(match=match, title="Mentee's words")  # by the mentee
    client.force_login(mentor)

    assert client.get(edit_url(entry)).status_code == 404
    assert client.post(edit_url(entry), form_data(title="Changed")).status_code == 404
    assert client.post(delete_url(entry)).status_code == 404
    entry.refresh_from_db()
    assert entry.title == "Mentee's words"
    with pytest.raises(PermissionDenied):
        services.log_entry_update(entry=entry, user=mentor, title="X", status=DONE, on=entry.on)
    with pytest.raises(PermissionDenied):
        services.log_entry_delete(entry=entry, user=mentor)
    body = client.get(log_url(match)).content.decode()
    assert edit_url(entry) not in body and delete_url(entry) not in body


def test_either_partner_marks_a_planned_activity_done(client, match, mentor, mentee):
    entry = ActivityLogEntryFactory(
        match=match, recorded_by=mentee, status=PLANNED, on=today() + dt.timedelta(days=10)
    )
    client.force_login(mentor)

    response = client.post(done_url(entry), follow=True)

    entry.refresh_from_db()
    assert (entry.status, entry.on, entry.completed_by) == (DONE, today(), mentor)
    assert f"Marked “{entry.title}” done." in response.content.decode()


def test_marking_done_keeps_a_planned_day_that_has_passed(match, mentee):
    planned_for = today() - dt.timedelta(days=3)
    entry = ActivityLogEntryFactory(match=match, status=PLANNED, on=planned_for)

    services.log_entry_mark_done(entry=entry, user=mentee)

    entry.refresh_from_db()
    assert (entry.on, entry.completed_by) == (planned_for, None)


def test_marking_done_twice_says_so(client, match, mentee):
    entry = ActivityLogEntryFactory(match=match, status=DONE)
    client.force_login(mentee)

    response = client.post(done_url(entry), follow=True)

    assert "already marked done" in response.content.decode()


def test_marking_done_needs_a_post(client, match, mentee):
    entry = ActivityLogEntryFactory(match=match, status=PLANNED)
    client.force_login(mentee)

    assert client.get(done_url(entry)).status_code == 405


# --- Deleting -----------------------------------------------------------------------------


def test_the_partner_who_recorded_an_entry_deletes_it_after_confirming(client, match, mentee):
    entry = ActivityLogEntryFactory(match=match, recorded_by=mentee, title="Oops")
    client.force_login(mentee)

    confirm = client.get(delete_url(entry))
    assert "Delete “Oops”?" in confirm.content.decode()
    assert ActivityLogEntry.objects.filter(pk=entry.pk).exists()

    response = client.post(delete_url(entry), follow=True)

    assert not ActivityLogEntry.objects.filter(pk=entry.pk).exists()
    assert "Deleted “Oops” from your activity log." in response.content.decode()


def test_deleting_a_catalog_activity_keeps_the_entries_that_named_it(match, activity):
    entry = ActivityLogEntryFactory(match=match, activity=activity, title=activity.title)

    activity.delete()

    entry.refresh_from_db()
    assert (entry.activity, entry.title) == (None, "Mock interview")
