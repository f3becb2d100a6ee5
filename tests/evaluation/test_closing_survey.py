"""The closing survey: both partners of each concluded match are asked once, as the match
concludes, questions tied to the program's objectives; the health page shows its
response rate."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import closing, tasks
from evaluation.models import Invitation, Survey
from matches import conclusion
from matches.models import Match
from mentoring.models import Delivery
from tests.factories import MatchFactory, UserFactory

pytestmark = pytest.mark.django_db


def invitations_sent() -> list[str]:
    return sorted(
        Delivery.objects.filter(kind="survey_invitation").values_list("to_email", flat=True)
    )


def partners(match: Match) -> list[str]:
    return sorted([match.mentee.applicant.email, match.mentor.applicant.email])


def test_concluding_a_match_sends_its_partners_the_closing_survey_once(cycle, objectives):
    match, still_working = MatchFactory(cycle=cycle), MatchFactory(cycle=cycle)

    conclusion.match_conclude(match=match, reason="Goals reached early")
    closing.closing_survey_send(match=Match.objects.get(pk=match.pk))  # again: nothing new
    tasks.send_survey(closing.closing_survey_of(cycle).pk)  # the hourly catch-up: nothing

    survey = Survey.objects.get(cycle=cycle, kind=Survey.Kind.CLOSING)
    assert survey.status == Survey.Status.OPEN
    assert survey.closes_on >= cycle.outcomes_until
    assert invitations_sent() == partners(match)
    roles = dict(Invitation.objects.filter(survey=survey).values_list("person__email", "role"))
    assert roles == {
        match.mentee.applicant.email: "mentee",
        match.mentor.applicant.email: "mentor",
    }
    assert still_working.mentee.applicant.email not in roles


def test_its_questions_measure_the_program_s_objectives(cycle, objectives):
    conclusion.match_conclude(match=MatchFactory(cycle=cycle), reason="Early")

    survey = closing.closing_survey_of(cycle)
    tagged = {q.objective.position for q in survey.questions.all() if q.objective}
    # The fixture's program has objectives 1 and 2; questions of the others stay untagged.
    assert tagged == {1, 2}
    assert survey.questions.filter(objective__isnull=True, kind="scale").exists()


def test_every_conclusion_of_the_cycle_uses_the_same_survey(cycle, objectives):
    shared_mentor = MatchFactory(cycle=cycle).mentor
    first = MatchFactory(cycle=cycle, mentor=shared_mentor)
    second = Match.objects.exclude(pk=first.pk).get(mentor=shared_mentor)

    conclusion.cycle_conclude(cycle=cycle, reason="The committee ends the year early")

    assert Survey.objects.filter(cycle=cycle, kind=Survey.Kind.CLOSING).count() == 1
    # The mentor of two matches is asked once.
    assert invitations_sent() == sorted(set(partners(first) + partners(second)))


def test_a_closing_survey_staff_prepared_is_the_one_sent(cycle, objectives, today):
    from tests.factories import QuestionFactory, SurveyFactory

    prepared = SurveyFactory(
        cycle=cycle,
        kind=Survey.Kind.CLOSING,
        title="How did your year go?",
        status=Survey.Status.DRAFT,
        opens_on=cycle.ends_on,
        closes_on=cycle.ends_on,
    )
    QuestionFactory(survey=prepared, text="Our own question")
    match = MatchFactory(cycle=cycle)

    conclusion.match_conclude(match=match, reason="Early")

    prepared.refresh_from_db()
    assert prepared.status == Survey.Status.OPEN and prepared.opens_on == today
    assert list(prepared.questions.values_list("text", flat=True)) == ["Our own question"]
    assert invitations_sent() == partners(match)


def test_the_hourly_task_never_sends_the_closing_survey_to_active_matches(cycle, objectives):
    concluded = MatchFactory(cycle=cycle)
    MatchFactory(cycle=cycle)  # still at work
    conclusion.match_conclude(match=concluded, reason="Early")
    Delivery.objects.all().delete()
    Invitation.objects.all().delete()

    tasks.send_survey(closing.closing_survey_of(cycle).pk)

    assert invitations_sent() == partners(concluded)


def test_a_person_without_an_account_is_skipped(cycle, objectives):
    match = MatchFactory(cycle=cycle)
    gone = match.mentor.applicant
    gone.is_active = False
    gone.save()

    conclusion.match_conclude(match=match, reason="Early")

    assert invitations_sent() == [match.mentee.applicant.email]


def test_the_health_page_shows_the_closing_survey_s_response_rate(client, cycle, objectives):
    matches = [MatchFactory(cycle=cycle) for _ in range(2)]
    for match in matches:
        conclusion.match_conclude(match=match, reason="Early")
    Invitation.objects.filter(person=matches[0].mentee.applicant).update(answered_at=timezone.now())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:evaluation_programhealth_health", args=[cycle.pk]))

    text = page.content.decode()
    assert "Closing survey" in text
    row = text[text.index("Closing survey") :].split("</tr>")[0]
    assert "1 of 2" in row and "0 of 2" in row and "25%" in row
