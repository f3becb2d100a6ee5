"""One program year with everything the site's URLs point at, for the security tests.

Three active matches in one cycle, each with its goal sheet at another stage (a draft,
submitted to the mentor, agreed at the program's conclusion), so that every goal sheet
page has a match on which its right person gets the page; an application in next year's
open cycle; activity log entries; a survey invitation; a newsletter issue that went out.

``World.case(url_name)`` says, for a URL, which object it is tried on (its kwargs) and
who is who around that object: the owner, the partner (the other side of the match),
another applicant (a participant of another match of the same cycle) and staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.utils import timezone

from activities.models import ActivityLogEntry
from certificates.models import Certificate
from goals import services as goal_services
from goals.models import GoalSheet
from goals.services import GoalInput
from matches import conclusion
from matches.models import HelpRequest, Match
from mentoring.models import Milestone, User
from newsletter.models import NewsletterIssue
from newsletter.tokens import unsubscribe_token
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    AnswerFactory,
    ApplicationFactory,
    CategoryFactory,
    CycleFactory,
    ExampleGoalFactory,
    GoalFactory,
    GoalSheetFactory,
    InterestFactory,
    InvitationFactory,
    MatchFactory,
    MilestoneFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
    agreed_sheet,
)

ANONYMOUS = "anonymous"
ANOTHER_APPLICANT = "another_applicant"
PARTNER = "partner"
OWNER = "owner"
STAFF = "staff"
ROLES = (ANONYMOUS, ANOTHER_APPLICANT, PARTNER, OWNER, STAFF)

# Text only the owner's objects carry: a page shown to anyone else must not contain it.
OWNER_NAME = "Ottoline Quennell-Owner"
OWNER_GOAL = "Quennell's secret storytime goal"
OWNER_LOG = "Quennell's private log entry"
# The owner's request for help to the committee: not even their partner may see it.
OWNER_HELP = "Quennell's confidential word to the committee"


def _person(full_name: str, **kwargs) -> User:
    """A person who can sign in (their address verified, as allauth requires)."""
    user = UserFactory(full_name=full_name, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@dataclass
class Case:
    """A URL's object and the people around it (None: nobody signed in)."""

    kwargs: dict
    people: dict[str, User | None] = field(default_factory=dict)


@dataclass
class World:
    program: object
    cycle: object
    next_cycle: object
    activity: object
    staff: User
    draft: Match  # goal sheet being drafted; the activity log lives here
    submitted: Match  # goal sheet waiting for the mentor
    agreed: Match  # goal sheet agreed; outcomes are open (the conclusion is near)
    application: object  # the draft match's mentee's application to next year
    entry: ActivityLogEntry  # recorded by the draft match's mentee
    planned: ActivityLogEntry  # a planned entry of the same log, to mark done
    agreed_goal: object
    draft_goal: object  # the owner's goal, on the draft sheet
    other_entry: ActivityLogEntry  # an entry of the agreed match's log
    invitation: object
    issue: NewsletterIssue
    example: object
    concluded: Match  # last year's match, concluded with its certificates
    certificate: object  # its mentee's certificate

    def people(self, match: Match, *, owner: str = "mentee") -> dict[str, User | None]:
        """Who is who around ``match``: its ``owner`` side, the other side, the mentee of
        another match, staff."""
        mentee, mentor = match.mentee.applicant, match.mentor.applicant
        other = self.agreed if match != self.agreed else self.draft
        return {
            ANONYMOUS: None,
            ANOTHER_APPLICANT: other.mentee.applicant,
            PARTNER: mentor if owner == "mentee" else mentee,
            OWNER: mentee if owner == "mentee" else mentor,
            STAFF: self.staff,
        }

    def case(self, url_name: str) -> Case:
        """The object ``url_name`` is tried on, and the people around it."""
        draft, submitted, agreed = self.draft, self.submitted, self.agreed
        by_mentee = self.people(draft)
        program = {"program_slug": self.program.slug}
        cases = {
            "program_detail": Case(program, by_mentee),
            "program_timeline": Case(program, by_mentee),
            "program_calendar": Case(program, by_mentee),
            "cycle_timeline": Case({**program, "cycle_slug": self.cycle.slug}, by_mentee),
            "cycle_calendar": Case({**program, "cycle_slug": self.cycle.slug}, by_mentee),
            "applications:apply": Case({**program, "role": "mentor"}, by_mentee),
            "applications:detail": Case({"pk": self.application.pk}, by_mentee),
            "applications:edit": Case({"pk": self.application.pk}, by_mentee),
            "applications:submitted": Case({"pk": self.application.pk}, by_mentee),
            "applications:withdraw": Case({"pk": self.application.pk}, by_mentee),
            "applications:reopen": Case({"pk": self.application.pk}, by_mentee),
            "matches:detail": Case({"pk": draft.pk}, by_mentee),
            "matches:meeting_record": Case({"pk": draft.pk}, by_mentee),
            "matches:help": Case({"pk": draft.pk}, by_mentee),
            "matches:preferences": Case({"application_id": draft.mentee.pk}, by_mentee),
            "certificates:download": Case(
                {"match_id": self.concluded.pk}, self.people(self.concluded)
            ),
            "certificates:verify": Case({"code": self.certificate.display_code}, by_mentee),
            "goals:sheet": Case({"match_id": draft.pk}, by_mentee),
            "goals:edit": Case({"match_id": draft.pk}, by_mentee),
            "goals:add_goal": Case({"match_id": draft.pk}, by_mentee),
            "goals:save_draft": Case({"match_id": draft.pk}, by_mentee),
            "goals:save_and_submit": Case({"match_id": draft.pk}, by_mentee),
            "goals:submit": Case({"match_id": draft.pk}, by_mentee),
            "goals:withdraw": Case({"match_id": submitted.pk}, self.people(submitted)),
            "goals:review": Case(
                {"match_id": submitted.pk}, self.people(submitted, owner="mentor")
            ),
            "goals:reopen": Case({"match_id": agreed.pk}, self.people(agreed)),
            "goals:revisions": Case({"match_id": agreed.pk}, self.people(agreed)),
            "goals:revision": Case({"match_id": agreed.pk, "number": 1}, self.people(agreed)),
            "goals:print": Case({"match_id": agreed.pk}, self.people(agreed)),
            "goals:outcomes": Case({"match_id": agreed.pk}, self.people(agreed)),
            "goals:check_in": Case(
                {"match_id": agreed.pk, "goal_id": self.agreed_goal.pk}, self.people(agreed)
            ),
            "activities:activity_detail": Case({**program, "slug": self.activity.slug}, by_mentee),
            "activities:log": Case({"match_id": draft.pk}, by_mentee),
            "activities:log_entry_create": Case({"match_id": draft.pk}, by_mentee),
            "activities:log_entry_edit": Case(
                {"match_id": draft.pk, "entry_id": self.entry.pk}, by_mentee
            ),
            "activities:log_entry_delete": Case(
                {"match_id": draft.pk, "entry_id": self.entry.pk}, by_mentee
            ),
            "activities:log_entry_mark_done": Case(
                {"match_id": draft.pk, "entry_id": self.planned.pk}, by_mentee
            ),
            "newsletter:issue": Case({"pk": self.issue.pk}, by_mentee),
            "newsletter:unsubscribe": Case(
                {"token": unsubscribe_token(self.owner.pk, "newsletter")}, by_mentee
            ),
            "newsletter:resubscribe": Case(
                {"token": unsubscribe_token(self.owner.pk, "newsletter")}, by_mentee
            ),
            "evaluation:answer": Case({"token": self.invitation.token}, by_mentee),
            "evaluation:thanks": Case({"token": self.invitation.token}, by_mentee),
        }
        # Pages without an object are tried with the draft match's people.
        return cases.get(url_name, Case({}, by_mentee))

    def crossed(self, url_name: str) -> Case | None:
        """For a URL naming two objects: the person's own match with the inner object
        taken from another match (which must be a 404, not the other match's object)."""
        draft, agreed = self.draft, self.agreed
        cases = {
            "activities:log_entry_edit": Case(
                {"match_id": draft.pk, "entry_id": self.other_entry.pk}, self.people(draft)
            ),
            "activities:log_entry_delete": Case(
                {"match_id": draft.pk, "entry_id": self.other_entry.pk}, self.people(draft)
            ),
            "activities:log_entry_mark_done": Case(
                {"match_id": draft.pk, "entry_id": self.other_entry.pk}, self.people(draft)
            ),
            "goals:check_in": Case(
                {"match_id": agreed.pk, "goal_id": self.draft_goal.pk}, self.people(agreed)
            ),
        }
        return cases.get(url_name)

    @property
    def owner(self) -> User:
        return self.draft.mentee.applicant


def _running_cycle(program):
    """A program year near its end: goal work under way, final outcomes open (the
    conclusion is in three weeks), goal sheets were due long ago."""
    today = program.today()
    cycle = CycleFactory(
        program=program,
        name="2025-2026",
        slug="2025-2026",
        applications_open_on=today - dt.timedelta(days=330),
        applications_close_on=today - dt.timedelta(days=300),
        starts_on=today - dt.timedelta(days=280),
        ends_on=today + dt.timedelta(days=21),
    )
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.INTRODUCTIONS,
        starts_on=cycle.starts_on,
        ends_on=cycle.starts_on + dt.timedelta(days=40),
    )
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.GOAL_WORK,
        starts_on=cycle.starts_on + dt.timedelta(days=41),
        ends_on=cycle.ends_on,
    )
    MilestoneFactory(
        cycle=cycle, kind=Milestone.Kind.CONCLUSION, starts_on=cycle.ends_on, ends_on=cycle.ends_on
    )
    # Preferences are open (late in this year, but so the form takes a POST to fuzz).
    MilestoneFactory(cycle=cycle, kind=Milestone.Kind.PREFERENCES, starts_on=today, ends_on=today)
    return cycle


def _match(cycle, mentee_name: str, mentor_name: str) -> Match:
    mentee, mentor = _person(mentee_name), _person(mentor_name)
    return MatchFactory(
        cycle=cycle,
        mentee=ApplicationFactory(cycle=cycle, applicant=mentee, status="accepted"),
        mentor=ApplicationFactory(cycle=cycle, applicant=mentor, mentor=True, status="accepted"),
    )


def _goal(sheet, title: str) -> GoalInput:
    cycle = sheet.match.cycle
    return GoalInput(
        title=title,
        specific="Plan a year of storytimes for toddlers and their caregivers.",
        measurable="Twelve storytime plans, each tried once.",
        achievable="Monthly calls with the mentor.",
        relevant="Storytime is most of the mentee's work.",
        target_date=cycle.ends_on - dt.timedelta(days=7),
    )


def build_world() -> World:
    program = ProgramFactory(name="Security Mentoring Program", slug="security-program")
    InterestFactory(program=program, kind="competency", name="Programming Skills")
    InterestFactory(program=program, name="Storytime")
    cycle = _running_cycle(program)
    next_cycle = CycleFactory(program=program, name="2026-2027", slug="2026-2027")
    activity = ActivityFactory(category=CategoryFactory(program=program), program=program)
    example = ExampleGoalFactory(program=program)
    staff = _person("Committee Staff", is_staff=True, is_superuser=True)

    draft = _match(cycle, OWNER_NAME, "Dmitri Partner")
    submitted = _match(cycle, "Sunita Mentee", "Samuel Mentor")
    agreed = _match(cycle, "Agnes Mentee", "Arturo Mentor")

    sheet = GoalSheetFactory(match=draft)
    draft_goal = GoalFactory(sheet=sheet, title=OWNER_GOAL)

    sheet = GoalSheetFactory(match=submitted)
    goal_services.goal_sheet_save_and_submit(
        sheet=sheet,
        by=submitted.mentee.applicant,
        version=sheet.version,
        goals=[_goal(sheet, "Plan a year of storytimes")],
    )

    sheet = GoalSheetFactory(match=agreed)
    goal_services.goal_sheet_save_and_submit(
        sheet=sheet,
        by=agreed.mentee.applicant,
        version=sheet.version,
        goals=[_goal(sheet, "Lead a family literacy night")],
    )
    sheet.refresh_from_db()
    goal_services.goal_sheet_confirm(sheet=sheet, by=agreed.mentor.applicant)
    sheet = GoalSheet.objects.get(pk=sheet.pk)
    assert sheet.status == GoalSheet.Status.AGREED

    owner = draft.mentee.applicant
    HelpRequest.objects.create(match=draft, asked_by=owner, role="mentee", message=OWNER_HELP)
    application = ApplicationFactory(cycle=next_cycle, applicant=owner, full_name=OWNER_NAME)
    entry = ActivityLogEntryFactory(match=draft, title=OWNER_LOG, activity=activity)
    planned = ActivityLogEntryFactory(
        match=draft,
        title="Visit the partner's library",
        status=ActivityLogEntry.Status.PLANNED,
        on=program.today() + dt.timedelta(days=5),
    )

    other_entry = ActivityLogEntryFactory(
        match=agreed, status=ActivityLogEntry.Status.PLANNED, on=program.today()
    )

    survey = SurveyFactory(cycle=cycle)
    scale = QuestionFactory(survey=survey)
    QuestionFactory(survey=survey, kind="choice")
    QuestionFactory(survey=survey, kind="text")
    invitation = InvitationFactory(survey=survey, person=owner, answered_at=timezone.now())
    AnswerFactory(invitation=invitation, question=scale)
    for match in (draft, submitted, agreed):
        for person in (match.mentee.applicant, match.mentor.applicant):
            if person != owner:
                InvitationFactory(survey=survey, person=person)

    issue = NewsletterIssueFactory(
        cycle=cycle,
        month=program.today().replace(day=1),
        status=NewsletterIssue.Status.SENT,
    )
    NewsletterIssue.objects.filter(pk=issue.pk).update(sent_at=timezone.now())

    today = program.today()
    last_year = CycleFactory(
        program=program,
        name="2024-2025",
        slug="2024-2025",
        applications_open_on=today - dt.timedelta(days=700),
        applications_close_on=today - dt.timedelta(days=680),
        starts_on=today - dt.timedelta(days=650),
        ends_on=today - dt.timedelta(days=300),
    )
    concluded = _match(last_year, "Cora Mentee", "Conrad Mentor")
    agreed_sheet(concluded)
    concluded = conclusion.match_conclude(match=concluded)

    return World(
        program=program,
        cycle=cycle,
        next_cycle=next_cycle,
        activity=activity,
        staff=staff,
        draft=draft,
        submitted=submitted,
        agreed=agreed,
        application=application,
        entry=entry,
        planned=planned,
        agreed_goal=sheet.goals.current().get(),
        draft_goal=draft_goal,
        other_entry=other_entry,
        invitation=invitation,
        concluded=concluded,
        certificate=Certificate.objects.get(match=concluded, application=concluded.mentee),
        issue=issue,
        example=example,
    )
