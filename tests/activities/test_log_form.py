"""The form of an activity log entry: the catalog activities it offers (in the reader's
language, an unpublished one only to the entry that names it), the goals it offers and
checks, and what a post of it reads."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services
from activities.models import Activity, ActivityLogEntry
from goals.models import Goal
from tests.factories import ActivityFactory, ActivityLogEntryFactory, CategoryFactory
from tests.form_tokens import with_token

from .helpers import goal_for, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviews(match):
    return CategoryFactory(
        program=match.cycle.program,
        name_en="Practice interviews",
        name_es="Práctica de entrevistas",
        position=1,
    )


def new_url(match):
    return reverse("activities:log_entry_create", args=[match.pk])


def edit_url(entry):
    return reverse("activities:log_entry_edit", args=[entry.match_id, entry.pk])


def form_data(**overrides):
    data = {"activity": "", "title": "Coffee", "status": "done", "on": today().isoformat()}
    data.update(overrides)
    return data


def offered(response) -> list:
    return list(response.context["form"].fields["activity"].choices)


def reads(queries, table: str) -> int:
    return sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)


def test_the_catalog_is_offered_in_the_readers_language_else_in_english(
    client, match, mentee, interviews
):
    interview = ActivityFactory(
        category=interviews, position=1, title_en="Mock interview", title_es="Entrevista simulada"
    )
    questions = ActivityFactory(
        category=interviews, position=2, title_en="Questions for each other", title_es=""
    )
    mentee.language = "es"
    mentee.save()
    client.force_login(mentee)

    assert offered(client.get(new_url(match)))[1] == (
        "Práctica de entrevistas",
        [
            (str(interview.pk), "Entrevista simulada"),
            (str(questions.pk), "Questions for each other"),
        ],
    )


def test_an_activity_taken_out_of_the_catalog_stays_on_the_entry_that_names_it(
    client, match, mentee, interviews
):
    kept = ActivityFactory(category=interviews, title="Mock interview", position=1)
    other = ActivityFactory(category=interviews, title="Résumé review", position=2)
    entry = ActivityLogEntryFactory(match=match, recorded_by=mentee, activity=kept)
    services.activities_set_published(activities=[kept], published=False)
    client.force_login(mentee)

    # Offered last in its category on the entry's own form, and kept when saved.
    assert offered(client.get(edit_url(entry)))[1] == (
        "Practice interviews",
        [(str(other.pk), "Résumé review"), (str(kept.pk), "Mock interview")],
    )
    response = client.post(edit_url(entry), form_data(activity=kept.pk, title="Long call"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.activity, entry.title) == (kept, "Long call")

    # A new entry may no longer pick it.
    assert offered(client.get(new_url(match)))[1] == (
        "Practice interviews",
        [(str(other.pk), "Résumé review")],
    )
    response = client.post(new_url(match), with_token(client, form_data(activity=kept.pk)))
    assert response.context["form"].errors["activity"] == [
        f"Pick an activity from the {match.cycle.program.short_name} catalog."
    ]


def test_a_post_that_picks_no_activity_reads_no_catalog(client, match, mentee, interviews):
    ActivityFactory.create_batch(3, category=interviews)
    client.force_login(mentee)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(new_url(match), with_token(client, form_data()))

    assert response.status_code == 302
    assert reads(queries, Activity._meta.db_table) == 0
    assert ActivityLogEntry.objects.get().title == "Coffee"


def test_the_goals_are_read_once_to_draw_and_to_check_them(client, match, mentee):
    first, second = goal_for(match, title="Storytime"), goal_for(match, title="Outreach")
    client.force_login(mentee)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            new_url(match), with_token(client, form_data(on="", goals=[second.pk, first.pk]))
        )

    assert response.context["form"].errors["on"]
    assert reads(queries, Goal._meta.db_table) == 1
    page = response.content.decode()
    for goal in (first, second):
        assert re.search(rf'name="goals" value="{goal.pk}"[^>]* checked', page)


@pytest.mark.parametrize(
    ("picked", "message"),
    [
        ("999999", "Choose only goals from your own goal sheet."),
        ("abc", "Choose only goals from your own goal sheet."),
        ("1\x00", "Null characters are not allowed."),
    ],
)
def test_a_goal_that_is_not_one_of_theirs_is_refused(client, match, mentee, picked, message):
    goal_for(match)
    client.force_login(mentee)

    response = client.post(new_url(match), with_token(client, form_data(goals=[picked])))

    assert response.context["form"].errors["goals"] == [message]
    assert not ActivityLogEntry.objects.exists()
