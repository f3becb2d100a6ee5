"""Surveys going out: the two default surveys of a cycle, sending once to every active
mentor and mentee, one reminder a week later to those who have not answered, closing;
the beat tasks, run twice."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluation import services, tasks
from evaluation.models import Invitation, Question, Survey
from mentoring.models import Event, Milestone
from tests.factories import (
    EventFactory,
    InvitationFactory,
    MatchFactory,
    MilestoneFactory,
    QuestionFactory,
    SurveyFactory,
    seed_calendar_cycle,
)

from .conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def matches(cycle):
    """Three active matches; one mentor has two mentees; a dissolved match beside them."""
    first = MatchFactory(cycle=cycle, mentor__mentee_capacity=2)
    second = MatchFactory(cycle=cycle, mentor=first.mentor)
    third = MatchFactory(cycle=cycle)
    MatchFactory(cycle=cycle, status="dissolved", dissolved_reason="Moved away.")
    return [first, second, third]


@pytest.fixture
def survey(cycle, objectives):
    survey = SurveyFactory(cycle=cycle, status=Survey.Status.SCHEDULED, opened_at=None)
    QuestionFactory(survey=survey, objective=objectives[0])
    return survey


def people_of(matches) -> set[str]:
    return {m.mentee.applicant.email for m in matches} | {m.mentor.applicant.email for m in matches}


def send(callable_, *args, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return callable_(*args, **kwargs)


# --- The default surveys ------------------------------------------------------------------


def test_each_cycle_gets_a_mid_year_pulse_and_an_end_of_program_evaluation(objectives):
    cycle = seed_calendar_cycle(2030, program=objectives[0].program)
    EventFactory(
        cycle=cycle,
        kind=Event.Kind.NETWORKING_SESSION,
        starts_at=dt.datetime(2031, 1, 20, 18, tzinfo=ZoneInfo("America/Chicago")),
        ends_at=dt.datetime(2031, 1, 20, 19, tzinfo=ZoneInfo("America/Chicago")),
    )

    created = services.default_surveys_create(cycle=cycle, today=dt.date(2030, 10, 1))

    pulse, final = created
    assert (pulse.kind, pulse.status) == (Survey.Kind.MID_YEAR, Survey.Status.SCHEDULED)
    assert (pulse.opens_on, pulse.closes_on) == (dt.date(2031, 1, 21), dt.date(2031, 2, 10))
    assert (final.kind, final.status) == (Survey.Kind.END_OF_PROGRAM, Survey.Status.SCHEDULED)
    assert (final.opens_on, final.closes_on) == (dt.date(2031, 6, 1), dt.date(2031, 7, 14))
    kinds = set(final.questions.values_list("kind", flat=True))
    assert kinds == {Question.Kind.SCALE, Question.Kind.CHOICE, Question.Kind.TEXT}
    tagged = {q.objective for q in final.questions.all() if q.objective}
    assert tagged == set(objectives)  # the program has two; the others stay untagged
    assert services.default_surveys_create(cycle=cycle, today=dt.date(2030, 10, 1)) == []


def test_without_a_networking_session_the_pulse_follows_the_networking_milestone():
    cycle = seed_calendar_cycle(2030)

    pulse, _ = services.default_surveys_create(cycle=cycle, today=dt.date(2030, 10, 1))

    assert pulse.opens_on == cycle.milestones.get(kind=Milestone.Kind.NETWORKING).ends_on


def test_a_default_survey_whose_day_has_passed_is_left_a_draft(cycle, today):
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.NETWORKING,
        starts_on=days_ago(today, 40),
        ends_on=days_ago(today, 10),
    )

    pulse, final = services.default_surveys_create(cycle=cycle, today=today)

    assert pulse.opens_on < today and pulse.status == Survey.Status.DRAFT
    assert final.opens_on > today and final.status == Survey.Status.SCHEDULED


# --- Sending once ---------------------------------------------------------------------------


def test_a_scheduled_survey_goes_to_every_active_mentor_and_mentee_once(
    survey, matches, django_capture_on_commit_callbacks
):
    result = send(
        tasks.send_due_surveys,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    survey.refresh_from_db()
    assert result["sent"] == 1
    assert survey.status == Survey.Status.OPEN and survey.opened_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people_of(matches))
    assert len(mail.outbox) == 5  # three mentees, two mentors (one mentors two)
    roles = dict(Invitation.objects.values_list("person__email", "role"))
    assert roles[matches[0].mentor.applicant.email] == "mentor"
    assert roles[matches[2].mentee.applicant.email] == "mentee"

    mail.outbox.clear()
    send(
        tasks.send_due_surveys,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    send(
        tasks.send_survey,
        survey.pk,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []
    assert Invitation.objects.filter(survey=survey).count() == 5


def test_the_invitation_email_carries_the_persons_own_link(
    survey, matches, django_capture_on_commit_callbacks
):
    send(
        services.survey_open,
        survey=survey,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    mentee = matches[2].mentee.applicant
    message = next(m for m in mail.outbox if m.to == [mentee.email])
    token = Invitation.objects.get(survey=survey, person=mentee).token
    assert f"http://testserver/surveys/{token}/" in message.body
    assert f"http://testserver/surveys/{token}/" in message.alternatives[0][0]
    assert survey.title.lower() in message.subject
    assert "your mentor never sees them" in message.body
    assert re.search(r"open until \w+ \d+, \d{4}", message.body)


def test_a_survey_is_not_sent_before_its_day(
    survey, matches, today, django_capture_on_commit_callbacks
):
    Survey.objects.filter(pk=survey.pk).update(opens_on=today + dt.timedelta(days=1))

    send(
        tasks.send_due_surveys,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    survey.refresh_from_db()
    assert survey.status == Survey.Status.SCHEDULED and mail.outbox == []


def test_a_draft_is_never_sent_by_itself(survey, matches, django_capture_on_commit_callbacks):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.DRAFT)

    send(
        tasks.send_due_surveys,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert mail.outbox == []


def test_someone_matched_after_the_survey_went_out_is_invited_on_the_next_run(
    survey, matches, cycle, django_capture_on_commit_callbacks
):
    send(
        services.survey_open,
        survey=survey,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    mail.outbox.clear()
    late = MatchFactory(cycle=cycle)

    send(
        tasks.send_due_surveys,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(people_of([late]))


def test_a_survey_without_questions_cannot_be_scheduled_or_sent(cycle):
    survey = SurveyFactory(cycle=cycle, status=Survey.Status.DRAFT, opened_at=None)

    with pytest.raises(ValidationError, match="at least one question"):
        services.survey_schedule(survey=survey)
    with pytest.raises(ValidationError, match="at least one question"):
        services.survey_open(survey=survey)


def test_status_changes_follow_the_table(survey):
    services.survey_unschedule(survey=survey)
    services.survey_schedule(survey=survey)
    services.survey_open(survey=survey)
    with pytest.raises(ValidationError, match="cannot become scheduled"):
        services.survey_schedule(survey=survey)
    services.survey_close(survey=survey)
    with pytest.raises(ValidationError, match="cannot become closed"):
        services.survey_close(survey=survey)


# --- One reminder after seven days --------------------------------------------------------


def _sent_days_ago(survey, days: int) -> None:
    Invitation.objects.filter(survey=survey).update(
        invited_at=timezone.now() - dt.timedelta(days=days)
    )


def test_one_reminder_goes_after_seven_days_to_those_who_have_not_answered(
    survey, matches, django_capture_on_commit_callbacks
):
    send(
        services.survey_open,
        survey=survey,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    answered = matches[0].mentee.applicant
    Invitation.objects.filter(person=answered).update(answered_at=timezone.now())
    mail.outbox.clear()

    _sent_days_ago(survey, 6)
    send(
        tasks.send_survey_reminders,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []

    _sent_days_ago(survey, 7)
    send(
        tasks.send_survey_reminders,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    reminded = sorted(m.to[0] for m in mail.outbox)
    assert reminded == sorted(people_of(matches) - {answered.email})
    assert all(m.subject.startswith("Reminder:") for m in mail.outbox)
    assert "This is the only reminder." in mail.outbox[0].body

    mail.outbox.clear()
    _sent_days_ago(survey, 15)
    send(
        tasks.send_survey_reminders,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    send(
        tasks.remind_survey,
        survey.pk,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []
    assert Invitation.objects.filter(reminded_at__isnull=False).count() == 4


def test_no_reminder_once_the_survey_closed(
    survey, matches, today, django_capture_on_commit_callbacks
):
    send(
        services.survey_open,
        survey=survey,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    mail.outbox.clear()
    _sent_days_ago(survey, 8)
    services.survey_close(survey=survey)

    send(
        tasks.send_survey_reminders,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert services.survey_remind(survey=survey) == 0
    assert mail.outbox == []


# --- Closing --------------------------------------------------------------------------------


def test_an_open_survey_closes_after_its_last_day(cycle, today, django_capture_on_commit_callbacks):
    ended = SurveyFactory(cycle=cycle, opens_on=days_ago(today, 30), closes_on=days_ago(today, 1))
    running = SurveyFactory(cycle=cycle, opens_on=days_ago(today, 30), closes_on=today)

    result = send(
        tasks.send_due_surveys,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    ended.refresh_from_db()
    running.refresh_from_db()
    assert result["closed"] == 1
    assert ended.status == Survey.Status.CLOSED and ended.closed_at is not None
    assert running.status == Survey.Status.OPEN
    assert tasks.close_survey(ended.pk) is False  # twice: nothing more


def test_the_hourly_task_gives_running_cycles_their_default_surveys(cycle, today):
    result = tasks.send_due_surveys()

    assert result["created"] == 2
    assert tasks.send_due_surveys()["created"] == 0
    assert cycle.surveys.count() == 2


def test_an_invitation_reminded_already_is_not_reminded_again_by_a_second_worker(survey):
    invitation = InvitationFactory(survey=survey, invited_at=timezone.now() - dt.timedelta(days=9))
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    Invitation.objects.filter(pk=invitation.pk).update(reminded_at=timezone.now())

    assert services.survey_remind(survey=survey) == 0


def test_a_survey_sent_by_one_worker_is_left_alone_by_the_next(
    survey, matches, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_survey(survey.pk)
        second = tasks.send_survey(survey.pk)

    assert (first, second) == (5, 0)
    assert len(mail.outbox) == 5
