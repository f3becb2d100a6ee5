"""Suggested next activities, a match's recent and planned activities (for the "My
mentoring" dashboard), and the newsletter's question bank: their rules and their
constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from activities import selectors
from activities.models import ActivityLogEntry
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    CategoryFactory,
    CycleFactory,
    InterestFactory,
)

from .helpers import active_match, competency, goal_for, running_cycle, today

pytestmark = pytest.mark.django_db

DONE, PLANNED = ActivityLogEntry.Status.DONE, ActivityLogEntry.Status.PLANNED


@pytest.fixture
def cycle():
    return running_cycle()


@pytest.fixture
def category(cycle):
    return CategoryFactory(program=cycle.program, name="Sample activities")


@pytest.fixture
def areas(cycle):
    program = cycle.program
    return {
        "programming": competency(program, "Programming Skills"),
        "materials": competency(program, "Knowledge of Materials"),
        "outreach": competency(program, "Outreach and Advocacy"),
    }


def suggested(match, **kwargs):
    return selectors.suggestions_for_match(match=match, **kwargs)


def test_suggestions_leave_out_what_the_match_did_or_planned(cycle, category):
    match = active_match(cycle)
    done, planned, fresh = ActivityFactory.create_batch(3, category=category)
    ActivityLogEntryFactory(match=match, activity=done, status=DONE)
    ActivityLogEntryFactory(
        match=match, activity=planned, status=PLANNED, on=today() + dt.timedelta(days=3)
    )
    ActivityLogEntryFactory(match=active_match(cycle), activity=fresh)  # another match's

    assert [s.activity for s in suggested(match)] == [fresh]


def test_suggestions_come_from_the_matchs_own_program_and_published_catalog(cycle, category):
    match = active_match(cycle)
    ours = ActivityFactory(category=category)
    ActivityFactory(category=category, is_published=False)
    ActivityFactory()  # another program's

    assert [s.activity for s in suggested(match)] == [ours]


def test_activities_developing_the_goals_competency_areas_come_first(cycle, category, areas):
    match = active_match(cycle)
    goal_for(match, title="Plan six crafts", areas=[areas["programming"]])
    unrelated = ActivityFactory(category=category, title="Unrelated", position=1)
    crafts = ActivityFactory(
        category=category, title="Craft swap", position=2, competency_areas=[areas["programming"]]
    )

    suggestions = suggested(match)

    assert [s.activity for s in suggestions] == [crafts, unrelated]
    assert suggestions[0].reasons[0] == (
        "Develops Programming Skills, like your goal “Plan six crafts”"
    )
    assert suggestions[0].score > suggestions[1].score


def test_an_area_several_goals_share_weighs_more_and_names_them_all(cycle, category, areas):
    match = active_match(cycle)
    goal_for(match, title="Crafts", areas=[areas["programming"]])
    goal_for(match, title="Storytime", areas=[areas["programming"], areas["outreach"]])
    outreach = ActivityFactory(category=category, competency_areas=[areas["outreach"]])
    programming = ActivityFactory(category=category, competency_areas=[areas["programming"]])

    suggestions = suggested(match)

    assert [s.activity for s in suggestions] == [programming, outreach]
    assert "like your goals “Crafts” and “Storytime”" in suggestions[0].reasons[0]


def test_the_partners_interests_count_and_say_whose(cycle, category, areas):
    match = active_match(cycle)
    match.mentee.interests.set([areas["materials"], areas["outreach"]])
    match.mentor.interests.set([areas["materials"]])
    plain = ActivityFactory(category=category, position=1)
    one = ActivityFactory(category=category, position=2, competency_areas=[areas["outreach"]])
    both = ActivityFactory(category=category, position=3, competency_areas=[areas["materials"]])

    suggestions = suggested(match)

    assert [s.activity for s in suggestions] == [both, one, plain]
    assert suggestions[0].reasons[0] == "You both named Knowledge of Materials among your interests"
    assert (
        suggestions[1].reasons[0] == "The mentee named Outreach and Advocacy among their interests"
    )


def test_the_partners_interests_read_beside_the_match_suggest_the_same_without_a_query(
    cycle, category, areas
):
    from matches.selectors import current_match_with_partners
    from mentoring.selectors import with_shared_cycle

    match = active_match(cycle)
    match.mentee.interests.set([areas["materials"], areas["outreach"]])
    match.mentor.interests.set([areas["materials"]])
    ActivityFactory(category=category, position=1)
    ActivityFactory(category=category, position=2, competency_areas=[areas["outreach"]])
    ActivityFactory(category=category, position=3, competency_areas=[areas["materials"]])
    read_alone = current_match_with_partners(match.pk)
    with_interests = current_match_with_partners(match.pk, chosen=True)
    for read in (read_alone, with_interests):
        with_shared_cycle(read)  # as the log page has it (activities.selectors)

    expected = suggested(read_alone)
    with CaptureQueriesContext(connection) as ctx:
        found = suggested(with_interests)

    assert [(s.activity, s.score, s.reasons) for s in found] == [
        (s.activity, s.score, s.reasons) for s in expected
    ]
    assert expected[0].reasons[0].startswith("You both named")
    interests_table = "applications_application_interests"
    assert not any(interests_table in q["sql"].split("WHERE")[0] for q in ctx.captured_queries)


def test_topics_a_partner_chose_count_too(cycle, category):
    match = active_match(cycle)
    storytime = InterestFactory(program=cycle.program, name="Storytime")
    match.mentor.interests.set([storytime])
    plain = ActivityFactory(category=category, position=1)
    tagged = ActivityFactory(category=category, position=2)
    tagged.topics.set([storytime])

    suggestions = suggested(match)

    assert [s.activity for s in suggestions] == [tagged, plain]
    assert (
        suggestions[0].reasons
        == [
            "The mentor named Storytime among their interests",
            "Good at any time of the program year",
        ][:1]
    )


def test_a_spanish_reader_reads_why_in_spanish_with_the_interests_spanish_name(cycle, category):
    match = active_match(cycle)
    storytime = InterestFactory(program=cycle.program, name="Storytime", name_es="Hora del cuento")
    match.mentor.interests.set([storytime])
    tagged = ActivityFactory(category=category, position=1)
    tagged.topics.set([storytime])

    with translation.override("es"):
        suggestions = suggested(match)

    assert suggestions[0].activity == tagged
    assert suggestions[0].reasons == ["El mentor eligió Hora del cuento entre sus intereses"]


def test_activities_made_for_the_current_phase_rank_higher(cycle, category):
    match = active_match(cycle)  # goal work today, introductions over
    introductions = ActivityFactory(category=category, phase="introductions", position=1)
    any_time = ActivityFactory(category=category, phase="any", position=2)
    goal_work = ActivityFactory(category=category, phase="goal_work", position=3)

    suggestions = suggested(match)

    assert [s.activity for s in suggestions] == [goal_work, any_time, introductions]
    assert suggestions[0].reasons == ["Made for this time of the program: goal work"]
    assert suggestions[1].reasons == ["Good at any time of the program year"]
    assert suggestions[2].reasons == [
        "From the sample activities suggestions; best during introductions and goal setting"
    ]


def test_goal_fit_outweighs_the_phase(cycle, category, areas):
    match = active_match(cycle)
    goal_for(match, title="Crafts", areas=[areas["programming"]])
    for_phase = ActivityFactory(category=category, phase="goal_work", position=1)
    for_goal = ActivityFactory(
        category=category, phase="any", position=2, competency_areas=[areas["programming"]]
    )

    assert [s.activity for s in suggested(match)] == [for_goal, for_phase]


def test_suggestions_stop_at_the_limit(cycle, category):
    match = active_match(cycle)
    ActivityFactory.create_batch(8, category=category)

    assert len(suggested(match, limit=5)) == 5


def test_the_shown_suggestions_are_the_best_scored_of_the_whole_catalog(cycle, category, areas):
    # Every activity is scored without its reasons; the reasons are written for the
    # ones shown. Both must rank and score alike.
    from activities.suggestions import _score, published_catalog

    match = active_match(cycle)
    goal_for(match, title="Crafts", areas=[areas["materials"], areas["outreach"]])
    match.mentee.interests.set([areas["materials"]])
    match.mentor.interests.set([areas["outreach"], areas["materials"]])
    for i in range(9):
        activity = ActivityFactory(
            category=category, position=9 - i, competency_areas=list(areas.values())[: i % 4]
        )
        activity.topics.set([areas["outreach"]] if i % 3 == 0 else [])

    shown = suggested(match, limit=4)

    catalog = published_catalog()[cycle.program_id]
    goals = {a.pk: [g] for g in match.goal_sheet.goals.all() for a in g.competency_areas.all()}
    interests = {areas["materials"].pk: {"mentor", "mentee"}, areas["outreach"].pk: {"mentor"}}
    fit = {"goals_by_area": goals, "interests_by_role": interests, "phase_kinds": set()}
    explained = sorted((_score(a, **fit) for a in catalog), key=lambda s: -s.score)
    assert [(s.activity, s.score) for s in shown] == [(s.activity, s.score) for s in explained][:4]
    assert [s.reasons for s in shown] == [s.reasons for s in explained][:4]
    alone = [_score(a, explain=False, **fit).score for a in catalog]
    assert alone == [_score(a, **fit).score for a in catalog]
    assert len(set(alone)) > 2  # the catalog's scores differ: the order is tested


def _grow(match, category, areas, n):
    for i in range(n):
        if i < 2:  # a goal sheet holds at most three goals (the database enforces it)
            goal_for(match, title=f"Goal {i}", areas=list(areas.values())[: 1 + i % 3])
        activity = ActivityFactory(category=category, competency_areas=list(areas.values()))
        activity.topics.set([areas["outreach"]])
        ActivityLogEntryFactory(match=match, activity=activity)
        ActivityFactory(category=category, competency_areas=[areas["materials"]])
    match.mentee.interests.set(list(areas.values()))


def test_suggestions_run_a_constant_number_of_queries(cycle, category, areas):
    first = active_match(cycle)
    _grow(first, category, areas, 1)
    selectors.suggested_activities(matches=[first])  # the first read fills the shared cache
    with CaptureQueriesContext(connection) as few:
        selectors.suggested_activities(matches=[first])

    more = [active_match(cycle, mentor=first.mentor) for _ in range(3)]
    for match in [first, *more]:
        _grow(match, category, areas, 3)
    selectors.suggested_activities(matches=[first, *more])
    with CaptureQueriesContext(connection) as many:
        result = selectors.suggested_activities(matches=[first, *more])

    assert len(many.captured_queries) == len(few.captured_queries)
    assert set(result) == {m.pk for m in [first, *more]}
    assert all(result.values())


def test_no_matches_no_queries():
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.suggested_activities(matches=[]) == {}
    assert not ctx.captured_queries


# --- Recent and planned activities for the dashboard ---------------------------------------


def test_recent_activities_are_each_matchs_latest_done_ones(cycle):
    first, second = active_match(cycle), active_match(cycle)
    start = cycle.starts_on
    for days in (1, 5, 3, 9):
        ActivityLogEntryFactory(match=first, on=start + dt.timedelta(days=days), title=f"d{days}")
    ActivityLogEntryFactory(match=first, status=PLANNED, on=today(), title="planned")
    ActivityLogEntryFactory(match=second, on=start, title="second's")

    recent = selectors.recent_activities(matches=[first, second], limit=3)

    assert [e.title for e in recent[first.pk]] == ["d9", "d5", "d3"]
    assert [e.title for e in recent[second.pk]] == ["second's"]


def test_planned_activities_come_soonest_first(cycle):
    match = active_match(cycle)
    for days in (30, 10, 20):
        ActivityLogEntryFactory(
            match=match, status=PLANNED, on=today() + dt.timedelta(days=days), title=f"in {days}"
        )

    planned = selectors.planned_activities(matches=[match], limit=2)

    assert [e.title for e in planned[match.pk]] == ["in 10", "in 20"]


def test_recent_and_planned_activities_run_a_constant_number_of_queries(cycle, areas):
    first = active_match(cycle)
    goal = goal_for(first, areas=[areas["programming"]])
    ActivityLogEntryFactory(match=first, goals=[goal])
    ActivityLogEntryFactory(match=first, status=PLANNED, on=today(), goals=[goal])

    def read(matches):
        with CaptureQueriesContext(connection) as ctx:
            recent = selectors.recent_activities(matches=matches)
            planned = selectors.planned_activities(matches=matches)
            for entries in [*recent.values(), *planned.values()]:
                for entry in entries:
                    list(entry.goals.all()), entry.activity, entry.recorded_by
        return len(ctx.captured_queries)

    few = read([first])

    matches = [first, *[active_match(cycle, mentor=first.mentor) for _ in range(3)]]
    for match in matches:
        ActivityLogEntryFactory.create_batch(5, match=match, activity=ActivityFactory())
        ActivityLogEntryFactory.create_batch(
            4, match=match, status=PLANNED, on=today() + dt.timedelta(days=2)
        )

    assert read(matches) == few


# --- The question bank -----------------------------------------------------------------------


@pytest.fixture
def bank(cycle):
    discussions = CategoryFactory(program=cycle.program, name="Topic discussions", position=2)
    samples = CategoryFactory(program=cycle.program, name="Sample activities", position=1)
    return [
        ActivityFactory(category=samples, discussion_question="What is on your wish list?"),
        ActivityFactory(category=discussions, position=1, discussion_question="Managers?"),
        ActivityFactory(category=discussions, position=2, discussion_question="EDI steps?"),
        ActivityFactory(category=discussions, position=3),  # no question
        ActivityFactory(
            category=discussions, position=4, discussion_question="Hidden?", is_published=False
        ),
    ]


def test_the_next_discussion_question_is_the_first_not_yet_used(cycle, bank):
    assert selectors.next_discussion_question(cycle=cycle) == bank[0]
    assert selectors.next_discussion_question(cycle=cycle, used=[bank[0].pk]) == bank[1]
    assert (
        selectors.next_discussion_question(cycle=cycle, used=[bank[0].pk, None, bank[1].pk])
        == bank[2]
    )


def test_once_every_question_was_used_there_is_none(cycle, bank):
    used = [a.pk for a in bank]

    assert selectors.next_discussion_question(cycle=cycle, used=used) is None


def test_the_question_bank_is_the_cycles_own_programs(cycle, bank):
    other_cycle = CycleFactory()
    ActivityFactory(
        category=CategoryFactory(program=other_cycle.program), discussion_question="Theirs?"
    )

    assert list(selectors.discussion_questions(program=cycle.program)) == bank[:3]
    assert selectors.next_discussion_question(cycle=other_cycle).discussion_question == "Theirs?"


def test_activities_for_a_phase_put_the_phases_own_first_and_skip_those_featured(cycle, category):
    any_time = ActivityFactory(category=category, phase="any", position=1)
    goal_work = ActivityFactory(category=category, phase="goal_work", position=2)
    featured = ActivityFactory(category=category, phase="goal_work", position=3)
    ActivityFactory(category=category, phase="introductions", position=4)

    picks = selectors.activities_for_phase(
        program=cycle.program, phase="goal_work", exclude=[featured.pk, None]
    )

    assert picks == [goal_work, any_time]


def test_the_catalog_is_read_from_the_shared_cache_until_staff_change_it(cycle, category):
    from activities import services

    match = active_match(cycle)
    storytime = ActivityFactory(category=category, title="Storytime swap")
    assert [s.activity.title for s in suggested(match)] == ["Storytime swap"]
    with CaptureQueriesContext(connection) as ctx:
        suggested(match)
    assert not [q for q in ctx.captured_queries if "activities_activity_topics" in q["sql"]]

    storytime.title = "Sensory storytime swap"
    storytime.save()
    assert [s.activity.title for s in suggested(match)] == ["Sensory storytime swap"]

    services.activities_set_published(activities=[storytime], published=False)
    assert suggested(match) == []


def test_recent_and_planned_titles_agree_with_the_full_lists_in_one_query(cycle):
    matches = [active_match(cycle), active_match(cycle)]
    catalog = [ActivityFactory(), ActivityFactory()]
    for k, match in enumerate(matches):
        for days in (3, 1, 1, 7, 2):  # a tie on the day: the later entry counts as newer
            ActivityLogEntryFactory(
                match=match, on=today() - dt.timedelta(days=days), title=f"done {k} {days}"
            )
        for days in (5, 1, 1, 9):
            ActivityLogEntryFactory(
                match=match,
                status=PLANNED,
                on=today() + dt.timedelta(days=days),
                title=f"planned {k} {days}",
                activity=catalog[k],
            )

    with CaptureQueriesContext(connection) as ctx:
        recent, planned, logged = selectors.recent_and_planned_titles(matches=matches, limit=3)

    assert len(ctx.captured_queries) == 1
    full_recent = selectors.recent_activities(matches=matches, limit=3)
    full_planned = selectors.planned_activities(matches=matches, limit=3)
    for k, match in enumerate(matches):
        assert [(r["title"], r["on"]) for r in recent[match.pk]] == [
            (e.title, e.on) for e in full_recent[match.pk]
        ]
        assert [(r["title"], r["on"]) for r in planned[match.pk]] == [
            (e.title, e.on) for e in full_planned[match.pk]
        ]
        assert catalog[k].pk in logged[match.pk]
