"""One program year with everything the site's URLs point at: the world the permission
matrix, the query-count guard and the accessibility sweep all look at.

The Library Mentoring Program (in Chicago's time zone) is near the end of its running
``cycle``: goal work under way, final outcomes open (the conclusion is in three weeks),
preferences open this week. Three matches of that cycle have their goal sheet at another
stage: ``draft`` (the owner's, being drafted), ``submitted`` (waiting for its mentor, Rosa)
and ``agreed`` (Maya and Rosa's). Maya and Rosa's match of last year is ``concluded``,
with its certificates. Next year's cycle takes applications; a second program keeps the
home page and the timeline a list of programs. Around them: activity logs, meetings,
requests for help, a sent newsletter issue, a message to a group, surveys, applicants,
and people in each state of their account (no password, an unverified address, two
factors on).

The owner (the draft match's mentee) carries the texts only they may see (``OWNER_*``);
the permission matrix checks no page shown to anyone else contains them.
:meth:`World.grow` (``growth.py``) adds more of everything for the query-count guard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.utils import timezone

from activities.models import ActivityLogEntry
from certificates.models import Certificate
from goals import progress as goal_progress
from goals import services as goal_services
from goals.models import GoalSheet
from goals.services import GoalInput
from matches import conclusion
from matches.models import DirectoryListing, HelpRequest, Match
from mentoring.models import Delivery, Milestone, User
from newsletter.models import GroupMessage, NewsletterIssue
from newsletter.richtext import markdown_to_html
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    AnswerFactory,
    ApplicationFactory,
    CategoryFactory,
    CycleFactory,
    EventFactory,
    ExampleGoalFactory,
    GoalFactory,
    GoalSheetFactory,
    InterestFactory,
    InvitationFactory,
    MatchFactory,
    MeetingFactory,
    MilestoneFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    QuestionFactory,
    ResourceFactory,
    SurveyFactory,
    UserFactory,
    agreed_sheet,
    verified_user,
)
from tests.second_factor import authenticator_for

from .growth import Growth

# Text only the owner's objects carry: a page shown to anyone else must not contain it.
OWNER_NAME = "Ottoline Quennell-Owner"
OWNER_GOAL = "Quennell's secret storytime goal"
OWNER_LOG = "Quennell's private log entry"
# The owner's request for help to the committee: not even their partner may see it.
OWNER_HELP = "Quennell's confidential word to the committee"


@dataclass
class World(Growth):
    program: object
    other_program: object  # a second program, with a year two years ago
    cycle: object  # running, near its end
    next_cycle: object  # applications open today
    last_year: object  # ended; its final outcomes are still open
    interest: object  # a competency area of the program
    activity: object  # in the catalog, with a resource; in the agreed match's log
    example: object
    staff: User  # a superuser
    draft: Match  # the owner's: goal sheet being drafted; the owner's activity log
    submitted: Match  # goal sheet waiting for its mentor (Rosa)
    agreed: Match  # Maya and Rosa's: goal sheet agreed, outcomes open
    concluded: Match  # Maya and Rosa's match of last year, concluded
    certificate: Certificate  # its mentee's (Maya's) certificate
    application: object  # the owner's application to next year
    entry: ActivityLogEntry  # the owner's, in the draft match's log
    planned: ActivityLogEntry  # a planned entry of the same log, to mark done
    done: ActivityLogEntry  # Maya's, in the agreed match's log (the catalog's activity)
    other_entry: ActivityLogEntry  # a planned entry of the agreed match's log
    draft_goal: object  # the owner's goal, on the draft sheet
    agreed_goal: object
    invitation: object  # the owner's survey invitation, answered
    waiting: object  # Maya's invitation to the same survey, not answered yet
    answered: object  # Maya's answered invitation to another survey
    issue: NewsletterIssue  # sent to the cycle
    group_message: GroupMessage  # sent to a group
    # Applicants and accounts.
    ana: User  # a draft application and a submitted one to next year
    ana_draft: object
    ana_submitted: object
    newcomer: User  # has applied to nothing
    no_password: User  # signs in with another site's account
    unverified_address: EmailAddress  # someone's address, not confirmed yet
    guarded: User  # two factors on: an authenticator app and recovery codes
    rows: int = 0  # how many times grow() added one of everything

    @property
    def owner(self) -> User:
        return self.draft.mentee.applicant

    @property
    def maya(self) -> User:
        """The agreed match's mentee (the query guard's mentee)."""
        return self.agreed.mentee.applicant

    @property
    def rosa(self) -> User:
        """The mentor of the agreed and submitted matches, and of last year's."""
        return self.agreed.mentor.applicant

    # The query guard's names for them and their match.
    mentee = maya
    mentor = rosa

    @property
    def match(self) -> Match:
        return self.agreed

    @property
    def open_cycle(self):
        return self.next_cycle

    @property
    def survey(self):
        return self.invitation.survey

    @property
    def sheet(self) -> GoalSheet:
        return self.agreed.goal_sheet

    @property
    def goal(self):
        return self.agreed_goal

    def add_unfinished_goal(self) -> None:
        """A second goal on the owner's draft with only its title: the edit page has errors
        to show and the submit page says what is missing (the accessibility sweep's draft).
        Not in the world itself: the form fuzzing needs a draft that can be submitted."""
        GoalFactory(
            sheet=self.draft.goal_sheet,
            title="Meet five colleagues",
            specific="",
            measurable="",
            achievable="",
            relevant="",
            target_date=None,
        )

    def case(self, url_name: str):
        from .urls import case

        return case(self, url_name)

    def crossed(self, url_name: str):
        from .urls import crossed

        return crossed(self, url_name)


def _running_cycle(program):
    """A program year near its end: goal work under way, final outcomes open (the
    conclusion is in three weeks), goal sheets were due long ago, preferences open."""
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
    for kind, starts_on, ends_on in (
        (Milestone.Kind.INTRODUCTIONS, cycle.starts_on, cycle.starts_on + dt.timedelta(days=40)),
        (Milestone.Kind.GOAL_WORK, cycle.starts_on + dt.timedelta(days=41), cycle.ends_on),
        (Milestone.Kind.CONCLUSION, cycle.ends_on, cycle.ends_on),
        # Late in this year, but so the preferences form takes a POST to fuzz.
        (Milestone.Kind.PREFERENCES, today - dt.timedelta(days=1), today + dt.timedelta(days=5)),
    ):
        MilestoneFactory(cycle=cycle, kind=kind, starts_on=starts_on, ends_on=ends_on)
    EventFactory(cycle=cycle, title="Virtual networking session", location="Online")
    return cycle


def _pair(cycle, mentee: User, mentor) -> Match:
    """A match of ``cycle``; ``mentor`` is a person or their accepted application."""
    if isinstance(mentor, User):
        mentor = ApplicationFactory(cycle=cycle, applicant=mentor, mentor=True, status="accepted")
    return MatchFactory(
        cycle=cycle,
        mentee=ApplicationFactory(cycle=cycle, applicant=mentee, status="accepted"),
        mentor=mentor,
    )


def _goal(cycle, title: str) -> GoalInput:
    return GoalInput(
        title=title,
        specific="Six crafts for school-age children.",
        measurable="Each written up with a materials list.",
        achievable="Monthly calls with Rosa.",
        relevant="School-age programs are most of my job.",
        target_date=cycle.ends_on - dt.timedelta(days=7),
    )


def _goal_sheets(draft: Match, submitted: Match, agreed: Match):
    """The three sheets: the owner's draft, one submitted, one agreed with a
    check-in. Returns the owner's goal and the agreed goal."""
    sheet = GoalSheetFactory(match=draft)
    draft_goal = GoalFactory(sheet=sheet, title=OWNER_GOAL)
    for match in (submitted, agreed):
        mentee = match.mentee.applicant
        sheet = goal_services.goal_sheet_open(match=match)
        goal = _goal(match.cycle, "Six Bookbag crafts, one a month")
        goal_services.goal_sheet_save_draft(sheet=sheet, by=mentee, version=1, goals=[goal])
        goal_services.goal_sheet_submit(sheet=sheet, by=mentee)
    goal_services.goal_sheet_confirm(sheet=sheet, by=agreed.mentor.applicant)
    sheet = GoalSheet.objects.get(pk=sheet.pk)
    assert sheet.status == GoalSheet.Status.AGREED
    agreed_goal = sheet.goals.current().get()
    goal_progress.check_in_add(
        goal=agreed_goal, by=agreed.mentee.applicant, status="in_progress", note="Two done."
    )
    return draft_goal, agreed_goal


def _surveys(cycle, owner: User, maya: User, matches: list[Match]):
    """A survey the owner answered and everyone else of the cycle's matches is invited
    to; another one Maya answered."""
    survey = SurveyFactory(cycle=cycle, title="Winter check-in")
    scale = QuestionFactory(survey=survey, text="The program helps me grow.")
    QuestionFactory(survey=survey, kind="choice", text="How often do you meet?")
    QuestionFactory(survey=survey, kind="text", text="Anything else?")
    invitation = InvitationFactory(survey=survey, person=owner, answered_at=timezone.now())
    AnswerFactory(invitation=invitation, question=scale)
    invited = {}
    for match in matches:
        for person in (match.mentee.applicant, match.mentor.applicant):
            if person != owner and person not in invited:
                invited[person] = InvitationFactory(survey=survey, person=person)
    answered = InvitationFactory(
        survey=SurveyFactory(cycle=cycle, title="Goal setting check"),
        person=maya,
        answered_at=timezone.now(),
    )
    AnswerFactory(invitation=answered, question__text="Setting goals was easy.")
    return invitation, invited[maya], answered


def _issue(cycle, program, activity) -> NewsletterIssue:
    issue = NewsletterIssueFactory(
        cycle=cycle,
        month=program.today().replace(day=1),
        subject="Mentoring newsletter: November",
        news="### Welcome\n\nWrite to each other **this week**.",
        own_discussion_question="What made you choose children's librarianship?",
        status=NewsletterIssue.Status.SENT,
        send_at=timezone.now(),
        recipients_count=0,
    )
    issue.news_html = markdown_to_html(issue.news)
    issue.sent_at = timezone.now()
    issue.save()
    issue.featured_activities.set([activity])
    return issue


def _accounts(next_cycle) -> dict:
    """Applicants, and people in each state of their account."""
    ana = verified_user(full_name="Ana Lima")
    no_password = verified_user(full_name="Lee Social")
    no_password.set_unusable_password()
    no_password.save()
    unverified = UserFactory()
    guarded = verified_user(full_name="Gail Guarded")
    authenticator_for(guarded)
    RecoveryCodes.activate(guarded)
    return {
        "ana": ana,
        "ana_draft": ApplicationFactory(
            cycle=next_cycle, applicant=ana, status="draft", submitted_at=None, hopes=""
        ),
        "ana_submitted": ApplicationFactory(cycle=next_cycle, applicant=ana, mentor=True),
        "newcomer": verified_user(full_name="Sam Newcomer"),
        "no_password": no_password,
        "unverified_address": EmailAddress.objects.create(user=unverified, email=unverified.email),
        "guarded": guarded,
    }


def build_world() -> World:
    program = ProgramFactory(time_zone="America/Chicago", name="Library Mentoring Program")
    today = program.today()
    other_program = ProgramFactory(name="School Library Mentoring")
    other_year = CycleFactory(
        program=other_program,
        applications_open_on=today - dt.timedelta(days=800),
        applications_close_on=today - dt.timedelta(days=780),
        starts_on=today - dt.timedelta(days=760),
        ends_on=today - dt.timedelta(days=400),
    )
    MilestoneFactory(cycle=other_year, starts_on=other_year.starts_on, ends_on=other_year.ends_on)
    interest = InterestFactory(program=program, kind="competency", name="Programming Skills")
    InterestFactory(program=program, name="Storytime and early literacy")
    example = ExampleGoalFactory(program=program, title="Work together to come up with 6 crafts")
    cycle = _running_cycle(program)
    next_cycle = CycleFactory(program=program, name="2026-2027", slug="2026-2027")
    last_year = CycleFactory(
        program=program,
        name="2024-2025",
        slug="2024-2025",
        applications_open_on=today - dt.timedelta(days=560),
        applications_close_on=today - dt.timedelta(days=530),
        starts_on=today - dt.timedelta(days=500),
        ends_on=today - dt.timedelta(days=200),
        # Staff kept final outcomes open past the default month (Maya's are still due).
        outcomes_close_on=today + dt.timedelta(days=30),
    )
    staff = verified_user(full_name="Committee Staff", is_staff=True, is_superuser=True)

    # The owner and their partner have one match each, as has the submitted sheet's
    # mentee; Rosa mentors two mentees this year (capacity three) and mentored Maya last year.
    rosa, maya = verified_user(full_name="Rosa Mendes"), verified_user(full_name="Maya Reader")
    rosa_application = ApplicationFactory(
        cycle=cycle,
        applicant=rosa,
        mentor=True,
        status="accepted",
        mentee_capacity=3,
        interests=[interest],
    )
    draft = _pair(cycle, verified_user(full_name=OWNER_NAME), verified_user(full_name="Dmitri"))
    submitted = _pair(cycle, verified_user(full_name="Sunita Mentee"), rosa_application)
    agreed = MatchFactory(
        cycle=cycle,
        mentor=rosa_application,
        mentee=ApplicationFactory(
            cycle=cycle,
            applicant=maya,
            status="accepted",
            preferred_name="Maya",
            interests=[interest],
        ),
    )
    draft_goal, agreed_goal = _goal_sheets(draft, submitted, agreed)
    concluded = _pair(last_year, maya, rosa)
    agreed_sheet(concluded, titles=["Plan a summer reading kickoff"])
    concluded = conclusion.match_conclude(match=concluded)
    DirectoryListing.objects.create(mentor=rosa_application, note="Crafts and outreach.")

    # The activity logs, the catalog and the reading list; meetings and requests for help.
    activity = ActivityFactory(
        category=CategoryFactory(program=program),
        program=program,
        title="Mock interview",
        resources=[ResourceFactory(title="Mentoring in libraries")],
    )
    owner = draft.mentee.applicant
    entry = ActivityLogEntryFactory(match=draft, title=OWNER_LOG, activity=activity)
    planned = ActivityLogEntryFactory(
        match=draft,
        title="Visit the partner's library",
        status=ActivityLogEntry.Status.PLANNED,
        on=today + dt.timedelta(days=5),
    )
    done = ActivityLogEntryFactory(match=agreed, activity=activity, title="Mock interview")
    other_entry = ActivityLogEntryFactory(
        match=agreed,
        title="Visit a branch together",
        status=ActivityLogEntry.Status.PLANNED,
        on=today,
    )
    MeetingFactory(match=agreed, on=today, minutes=50, notes="We planned the crafts.")
    HelpRequest.objects.create(match=draft, asked_by=owner, role="mentee", message=OWNER_HELP)
    HelpRequest.objects.create(
        match=agreed, asked_by=maya, role="mentee", message="We lost touch; can you help?"
    )

    invitation, waiting, answered = _surveys(cycle, owner, maya, [draft, submitted, agreed])
    group_message = GroupMessage.objects.create(
        subject="Your goal sheet is overdue",
        body="Please hand it in.",
        body_html="<p>Please hand it in.</p>",
        source="goal sheets (overdue: yes)",
        status=GroupMessage.Status.SENT,
        sent_at=timezone.now(),
    )
    # The goal sheets' emails went out while the world was built, in its people's
    # English; their subjects in the deliveries changelist are what was sent, not words
    # the site shows (the Spanish pages test would read them so). grow() adds deliveries.
    Delivery.objects.all().delete()
    return World(
        program=program,
        other_program=other_program,
        cycle=cycle,
        next_cycle=next_cycle,
        last_year=last_year,
        interest=interest,
        activity=activity,
        example=example,
        staff=staff,
        draft=draft,
        submitted=submitted,
        agreed=agreed,
        concluded=concluded,
        certificate=Certificate.objects.get(match=concluded, application=concluded.mentee),
        application=ApplicationFactory(cycle=next_cycle, applicant=owner, full_name=OWNER_NAME),
        entry=entry,
        planned=planned,
        done=done,
        other_entry=other_entry,
        draft_goal=draft_goal,
        agreed_goal=agreed_goal,
        invitation=invitation,
        waiting=waiting,
        answered=answered,
        issue=_issue(cycle, program, activity),
        group_message=group_message,
        **_accounts(next_cycle),
    )
