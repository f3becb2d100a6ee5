"""The public catalog: filters, search, the activity page and the reading list, each a
constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ActivityLogEntry
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    CategoryFactory,
    ProgramFactory,
    ResourceFactory,
    verified_user,
)

from .helpers import active_match, competency, running_cycle

pytestmark = pytest.mark.django_db

CATALOG = reverse("activities:catalog")


def page(client, url=CATALOG, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def titles(client, **params) -> list[str]:
    response = client.get(CATALOG, params)
    assert response.status_code == 200
    return [a.title for a in response.context["activities"]]


@pytest.fixture
def two_programs():
    alsc, alcts = ProgramFactory(short_name="ALSC"), ProgramFactory(short_name="ALCTS")
    interviews = CategoryFactory(program=alsc, name="Practice interviews", position=1)
    discussions = CategoryFactory(program=alsc, name="Topic discussions", position=2)
    events = CategoryFactory(program=alcts, name="Suggested activities")
    programming = competency(alsc, "Programming Skills")
    professionalism = competency(alsc, "Professionalism and Professional Development")
    return {
        "alsc": alsc,
        "alcts": alcts,
        "interviews": interviews,
        "discussions": discussions,
        "programming": programming,
        "mock": ActivityFactory(
            category=interviews,
            title="Mock interview",
            summary="Take turns asking each other difficult interview questions.",
            competency_areas=[professionalism],
        ),
        "craft": ActivityFactory(
            category=discussions,
            title="Craft programs that worked",
            summary="Compare notes on programs for school-age children.",
            steps="Each bring two crafts.\nTry one together on video.",
            competency_areas=[programming],
        ),
        "meetup": ActivityFactory(
            category=events,
            title="Conference meet-up",
            summary="Organize a meet-up at a conference you both attend.",
        ),
    }


def test_the_catalog_lists_published_activities_with_a_count(client, two_programs):
    ActivityFactory(category=two_programs["interviews"], title="Retired idea", is_published=False)

    body = page(client)

    assert "<strong>3 activities</strong>" in body
    assert "Mock interview" in body and "Conference meet-up" in body
    assert "Retired idea" not in body


def test_filter_by_program(client, two_programs):
    assert titles(client, program=two_programs["alcts"].slug) == ["Conference meet-up"]


def test_filter_by_category(client, two_programs):
    assert titles(client, category=two_programs["discussions"].pk) == ["Craft programs that worked"]


def test_filter_by_competency_area(client, two_programs):
    assert titles(client, competency=two_programs["programming"].pk) == [
        "Craft programs that worked"
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("interview", ["Mock interview"]),
        ("INTERVIEW questions", ["Mock interview"]),  # every word, any case
        ("interview crafts", []),
        ("video", ["Craft programs that worked"]),  # in the steps
        ("programming", ["Craft programs that worked"]),  # a competency area's name
        ("discussions", ["Craft programs that worked"]),  # the category
    ],
)
def test_search_by_word(client, two_programs, words, expected):
    assert titles(client, q=words) == expected


def test_a_spanish_reader_finds_both_the_spanish_and_the_english_not_yet_translated(
    client, two_programs
):
    mock = two_programs["mock"]
    mock.title_es, mock.summary_es = "Entrevista simulada", "Preguntas difíciles por turnos."
    mock.save()
    client.cookies["django_language"] = "es"

    assert titles(client, q="simulada") == ["Entrevista simulada"]
    # No Spanish written for the craft programs: the reader sees, and finds, the English.
    assert titles(client, q="video") == ["Craft programs that worked"]
    assert titles(client, q="interview") == ["Entrevista simulada"]


def test_the_count_says_what_was_searched(client, two_programs):
    body = page(client, q="interview", program=two_programs["alsc"].slug)

    assert "<strong>1 activity</strong>" in body
    assert "matches “interview” in ALSC" in body


def test_nothing_found_offers_to_clear_the_filters(client, two_programs):
    body = page(client, q="zeppelin")

    assert "No activities match." in body
    assert "clear the filters" in body


def test_a_bad_filter_is_explained_beside_its_field_and_the_rest_still_apply(client, two_programs):
    response = client.get(CATALOG, {"category": "not-a-number", "q": "interview"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose a category from the list." in body
    assert 'aria-invalid="true"' in body
    assert [a.title for a in response.context["activities"]] == ["Mock interview"]


def test_a_category_of_another_program_is_refused_with_a_message(client, two_programs):
    response = client.get(
        CATALOG,
        {"program": two_programs["alcts"].slug, "category": two_programs["interviews"].pk},
    )

    assert "is not in the ALCTS catalog" in response.content.decode()
    assert [a.title for a in response.context["activities"]] == ["Conference meet-up"]


def test_the_filter_form_is_labelled_and_needs_no_javascript(client, two_programs):
    body = page(client)

    assert 'method="get"' in body and 'role="search"' in body
    for field in ("id_q", "id_program", "id_category", "id_competency"):
        assert f'for="{field}"' in body
    assert "<optgroup" in body  # categories under their program's name


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def grow_catalog(n):
    program = ProgramFactory()
    areas = [competency(program, f"Area {i} of {program.pk}") for i in range(3)]
    for i in range(n):
        category = CategoryFactory(program=program)
        ActivityFactory(category=category, competency_areas=areas[: 1 + i % 3])


@pytest.mark.parametrize(
    "params", [{}, {"q": "useful together"}, {"category": "1", "competency": "2", "program": "x"}]
)
def test_the_catalog_runs_a_constant_number_of_queries(client, params):
    grow_catalog(2)
    few = count_queries(client, CATALOG, params)

    grow_catalog(12)
    grow_catalog(6)

    assert count_queries(client, CATALOG, params) == few


def test_the_catalog_shows_a_signed_in_partner_their_logs_at_a_constant_cost(client):
    match = active_match()
    client.force_login(match.mentor.applicant)
    grow_catalog(2)
    few = count_queries(client, CATALOG)

    grow_catalog(15)
    second = active_match(cycle=match.cycle, mentor=match.mentor)  # a mentor of two

    assert count_queries(client, CATALOG) == few
    body = page(client)
    assert reverse("activities:log", args=[match.pk]) in body
    assert reverse("activities:log", args=[second.pk]) in body


# --- The activity page ---------------------------------------------------------------------


def test_the_activity_page_shows_how_to_do_it(client, two_programs):
    resource = ResourceFactory(title="Is there a mentoring culture within the LIS profession?")
    craft = two_programs["craft"]
    craft.phase = "goal_work"
    craft.time_needed = "under_an_hour"
    craft.discussion_question = "Which craft did children love most?"
    craft.save()
    craft.resources.set([resource])

    body = page(client, craft.get_absolute_url())

    assert "<h1>Craft programs that worked</h1>" in body
    assert "<li>Each bring two crafts.</li><li>Try one together on video.</li>" in body
    assert "Programming Skills" in body
    assert "Goal work" in body and "Under an hour" in body
    assert "Which craft did children love most?" in body
    assert "Is there a mentoring culture within the LIS profession?" in body


def test_an_unpublished_activity_has_no_page(client, two_programs):
    mock = two_programs["mock"]
    mock.is_published = False
    mock.save()

    assert client.get(mock.get_absolute_url()).status_code == 404


def test_a_visitor_is_invited_to_sign_in_to_log_it(client, two_programs):
    body = page(client, two_programs["mock"].get_absolute_url())

    assert "Sign in</a> to add it" in body
    assert "We did this" not in body


def test_a_partner_of_an_active_match_can_log_it_from_the_activity_page(client):
    cycle = running_cycle()
    match = active_match(cycle=cycle)
    activity = ActivityFactory(category=CategoryFactory(program=cycle.program))
    client.force_login(match.mentor.applicant)

    body = page(client, activity.get_absolute_url())

    create = reverse("activities:log_entry_create", args=[match.pk])
    assert f"{create}?activity={activity.pk}&amp;status=done" in body
    assert f"{create}?activity={activity.pk}&amp;status=planned" in body
    assert f"With {match.mentee.display_name}" in body


def test_the_activity_page_says_when_the_match_logged_it(client):
    match = active_match()
    activity = ActivityFactory(category=CategoryFactory(program=match.cycle.program))
    ActivityLogEntryFactory(match=match, activity=activity, title=activity.title)
    client.force_login(match.mentee.applicant)

    assert "In your log: done on" in page(client, activity.get_absolute_url())


def test_no_log_buttons_for_someone_without_a_match_in_that_program(client):
    match = active_match()
    elsewhere = ActivityFactory()  # another program's catalog
    client.force_login(match.mentee.applicant)

    body = page(client, elsewhere.get_absolute_url())

    assert "We did this" not in body
    assert "Once you are in an active" in body
    client.force_login(verified_user())
    assert "We did this" not in page(client, elsewhere.get_absolute_url())


def test_the_activity_page_runs_a_constant_number_of_queries(client):
    match = active_match()
    activity = ActivityFactory(category=CategoryFactory(program=match.cycle.program))
    client.force_login(match.mentee.applicant)
    few = count_queries(client, activity.get_absolute_url())

    activity.resources.set(ResourceFactory.create_batch(6))
    activity.competency_areas.set([competency(match.cycle.program, f"Area {i}") for i in range(5)])
    ActivityLogEntryFactory.create_batch(4, match=match, activity=activity)

    assert count_queries(client, activity.get_absolute_url()) == few
    assert ActivityLogEntry.objects.count() == 4


# --- The reading list ----------------------------------------------------------------------


def test_the_reading_list_shows_citations_in_reference_order_by_kind(client):
    ResourceFactory(authors="Williams, G. H.", year=2019, title="Mentoring mid-career")
    ResourceFactory(authors="Eldredge, J. D.", year=2014, title="The long reach")
    ResourceFactory(kind="book", authors="Mavrinac, M. A.", title="Pay it forward")
    ResourceFactory(title="Hidden", is_published=False)

    body = page(client, reverse("activities:reading_list"))

    assert body.index("Eldredge") < body.index("Williams") < body.index("Books")
    assert body.index("Books") < body.index("<i>Pay it forward</i>")
    assert "Hidden" not in body


def test_the_reading_list_runs_a_constant_number_of_queries(client):
    url = reverse("activities:reading_list")
    ActivityFactory(resources=[ResourceFactory()])
    few = count_queries(client, url)

    for _ in range(8):
        ActivityFactory(resources=ResourceFactory.create_batch(2))

    assert count_queries(client, url) == few


def test_a_partners_active_matches_come_newest_cycle_first_with_both_names():
    import datetime as dt

    from django.utils import timezone

    from activities.selectors import active_matches_of
    from matches.models import Match
    from mentoring.models import Cycle
    from tests.factories import UserFactory

    person = UserFactory()
    older = active_match(mentee__applicant=person)
    Cycle.objects.filter(pk=older.cycle_id).update(
        starts_on=older.cycle.starts_on - dt.timedelta(days=20)
    )
    newer = active_match(mentor__applicant=person, mentee__preferred_name="Maya")
    newer.mentee.anonymised_at = timezone.now()
    newer.mentee.save(update_fields=["anonymised_at"])
    active_match(mentee__applicant=person, status=Match.Status.CONCLUDED)
    active_match()  # someone else's

    active_matches_of(person)  # the programs' shared content, read once
    with CaptureQueriesContext(connection) as read:
        found = active_matches_of(person)

    assert [m.pk for m in found] == [newer.pk, older.pk]
    assert len(read.captured_queries) == 1
    stored = {m.pk: m for m in Match.objects.select_related("mentor", "mentee")}
    for match in found:
        for side in ("mentor", "mentee"):
            assert getattr(match, side).display_name == getattr(stored[match.pk], side).display_name
        assert match.cycle == stored[match.pk].cycle
    assert found[0].mentee.display_name == "a former participant"
    assert found[1].mentee.preferred_name == older.mentee.preferred_name
    assert found[1].mentor.full_name == older.mentor.full_name
