"""More of everything: :meth:`Growth.grow` gives every list page and changelist more
rows each time it runs, so a page whose queries depend on its rows shows it (the
query-count guard measures each page with 2 rows and with 12).

The people who look at the pages (Maya, Rosa, staff) stay the same while their own lists
grow with the rest: each time, Maya and Rosa take part in one more cycle of the program.
"""

from __future__ import annotations

import datetime as dt
import itertools

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from applications.models import Application, ApplicationReview
from certificates.models import Certificate
from goals.models import GoalSheet, GoalSheetChange, GoalSheetRevision
from goals.services import snapshot
from matches.models import DirectoryListing, HelpRequest, MatchingRun, PairingWish
from mentoring.models import Delivery
from newsletter.models import (
    GROUP_MESSAGE_KIND,
    REMINDER_KIND_PREFIX,
    GroupMessage,
    GroupMessageRecipient,
    NewsletterIssue,
    group_message_key,
    issue_message_key,
)
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    AnswerFactory,
    ApplicationFactory,
    CategoryFactory,
    CheckInFactory,
    ConferenceFactory,
    CycleFactory,
    EmailPreferenceFactory,
    EventFactory,
    ExampleGoalFactory,
    InterestFactory,
    InvitationFactory,
    MatchFactory,
    MatchingWeightsFactory,
    MeetingFactory,
    MilestoneFactory,
    NeverPairFactory,
    NewsletterIssueFactory,
    ObjectiveFactory,
    ProposalFactory,
    QuestionFactory,
    ResourceFactory,
    SurveyFactory,
    UserFactory,
    accepted_mentee,
    accepted_mentor,
    agreed_sheet,
)

_serial = itertools.count(1)


class Growth:
    """What :class:`tests.world.World` adds to grow; it uses the world's ``program``,
    ``cycle``, ``mentee``, ``mentor``, ``match`` (theirs, agreed), ``sheet``, ``goal``,
    ``interest``, ``staff``, ``issue``, ``group_message``, ``survey`` and ``invitation``."""

    def grow(self, n: int) -> None:
        """``n`` more of everything."""
        for _ in range(n):
            self._one_more(next(_serial))
        self.rows += n

    def _one_more(self, i: int) -> None:
        program, cycle, now = self.program, self.cycle, timezone.now()

        # Another program, with its own year: the home page and timeline list programs.
        other = CycleFactory()
        MilestoneFactory(cycle=other)
        EventFactory(cycle=other)
        ObjectiveFactory(program=other.program)

        # The main program's timeline, catalog, reading list and matching vocabulary.
        milestone = MilestoneFactory(cycle=cycle)
        event = EventFactory(cycle=cycle)
        ObjectiveFactory(program=program)
        interest = InterestFactory(program=program)
        conference = ConferenceFactory(program=program)
        resource = ResourceFactory(program=program)
        activity = ActivityFactory(
            category=CategoryFactory(program=program),
            competency_areas=[interest, self.interest],
            resources=[resource],
        )
        ExampleGoalFactory(program=program)

        # The mentee and mentor take part in one more cycle of the program, matched again:
        # their applications, matches, goal sheets, logs, newsletters and surveys grow.
        today = timezone.localdate()
        year = CycleFactory(
            program=program,
            name=f"Grown year {i}",
            slug=f"grown-year-{i}",
            applications_open_on=today - dt.timedelta(days=400 + i),
            applications_close_on=today - dt.timedelta(days=380 + i),
            starts_on=today - dt.timedelta(days=300 + i),
            ends_on=today + dt.timedelta(days=60),
        )
        MatchingWeightsFactory(cycle=year)
        match = MatchFactory(
            cycle=year,
            mentee=accepted_mentee(
                year, applicant=self.mentee, interests=[interest], conferences=[conference]
            ),
            mentor=accepted_mentor(year, applicant=self.mentor, interests=[interest]),
        )
        sheet = agreed_sheet(match, titles=(f"Goal {i}", f"Second goal {i}"))
        Certificate.objects.create(match=match, application=match.mentee)  # the changelist
        CheckInFactory(goal=sheet.goals.first())
        ActivityLogEntryFactory(match=match, activity=activity, goals=[sheet.goals.first()])
        NewsletterIssueFactory(
            cycle=year, status=NewsletterIssue.Status.SENT, sent_at=now, recipients_count=2
        )
        survey = SurveyFactory(cycle=year)
        AnswerFactory(
            invitation=InvitationFactory(survey=survey, person=self.mentee),
            question=QuestionFactory(survey=survey),
        )

        # The fixed match's own pages: check-ins, log entries, revisions and history.
        for application in (self.match.mentee, self.match.mentor):
            application.interests.add(interest)
            application.conferences.add(conference)
        CheckInFactory(goal=self.goal, author=self.mentor)
        ActivityLogEntryFactory(match=self.match, activity=activity, goals=[self.goal])
        ActivityLogEntryFactory(match=self.match, status="planned", recorded_by=self.mentor)
        MeetingFactory(match=self.match, recorded_by=self.mentor, notes=f"Meeting {i}")
        HelpRequest.objects.create(
            match=self.match, asked_by=self.mentee, role="mentee", message=f"Help {i}"
        )
        GoalSheetRevision.objects.create(
            sheet=self.sheet,
            number=self.sheet.revisions.count() + 1,
            goals=snapshot(list(self.sheet.goals.all())),
            submitted_by=self.mentee,
            submitted_at=now,
        )
        GoalSheetChange.objects.create(
            sheet=self.sheet,
            revision=1,
            action=GoalSheet.Action.SUBMIT,
            from_status=GoalSheet.Status.DRAFT,
            to_status=GoalSheet.Status.SUBMITTED,
            by=self.mentee,
            comment=f"Change {i}",
        )

        # The current cycle: more people, pairs, proposals and reviews for the committee.
        pair = MatchFactory(cycle=cycle)
        agreed_sheet(pair)
        HelpRequest.objects.create(
            match=pair, asked_by=pair.mentor.applicant, role="mentor", message=f"Please {i}"
        )
        ActivityLogEntryFactory(match=pair, activity=activity)
        ProposalFactory(cycle=cycle)
        applicant = ApplicationFactory(cycle=cycle, interests=[interest])
        ApplicationReview.objects.create(application=applicant, reviewer=self.staff, score=4)
        ApplicationFactory(cycle=cycle, status=Application.Status.DRAFT, submitted_at=None)
        accepted_mentee(cycle, interests=[interest])
        listed = accepted_mentor(cycle, interests=[interest])
        DirectoryListing.objects.create(mentor=listed, note=f"Listed mentor {i}")
        PairingWish.objects.create(mentee=self.match.mentee, mentor=listed, kind="please_not")
        NeverPairFactory(
            mentor=accepted_mentor(cycle), mentee=accepted_mentee(cycle), created_by=self.staff
        )
        MatchingRun.objects.create(cycle=cycle, run_by=self.staff, mentees=i, proposed=i)

        # The fixed issue's content, its deliveries, reminders and email preferences.
        self.issue.featured_activities.add(activity)
        self.issue.events.add(event)
        self.issue.milestones.add(milestone)
        person = UserFactory()
        EmailPreferenceFactory(user=person, newsletter=False)  # staff see who opted out
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        TOTP.activate(person, generate_totp_secret())  # their authenticator app
        EmailAddress.objects.create(user=self.mentee, email=f"mentee-{i}@example.net")
        Delivery.objects.create(
            message_key=issue_message_key(self.issue.pk),
            kind="newsletter",
            recipient=person,
            to_email=person.email,
            subject=self.issue.subject,
            status=Delivery.Status.SENT,
            sent_at=now,
        )
        GroupMessageRecipient.objects.create(
            message=self.group_message,
            person=person,
            delivery=Delivery.objects.create(
                message_key=group_message_key(self.group_message.pk),
                kind=GROUP_MESSAGE_KIND,
                recipient=person,
                to_email=person.email,
                subject=self.group_message.subject,
                status=Delivery.Status.SENT,
                sent_at=now,
            ),
        )
        draft = GroupMessage.objects.create(subject=f"Draft {i}", source="applications")
        GroupMessageRecipient.objects.create(message=draft, person=person)
        Delivery.objects.create(
            message_key=f"reminder:{i}",
            kind=f"{REMINDER_KIND_PREFIX}goal_sheet_due",
            recipient=person,
            to_email=person.email,
            subject="Your goal sheet is due",
        )

        # The fixed survey: one more question, answered by the mentee, and one more
        # person's answer, for its results, preview and answer pages.
        question = QuestionFactory(survey=self.survey)
        AnswerFactory(invitation=self.invitation, question=question)
        AnswerFactory(
            invitation=InvitationFactory(
                survey=self.survey, person=person, named=True, answered_at=now
            ),
            question=self.survey.questions.first(),
        )

        # Staff groups and the scheduler's tables.
        group = Group.objects.create(name=f"Committee {i}")
        group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:3])
        interval = IntervalSchedule.objects.create(every=i, period=IntervalSchedule.MINUTES)
        crontab = CrontabSchedule.objects.create(minute=str(i % 60), hour="6")
        solar = SolarSchedule.objects.create(event="sunrise", latitude=41.0, longitude=-87.0 + i)
        clocked = ClockedSchedule.objects.create(clocked_time=now + dt.timedelta(days=i))
        for name, schedule in (
            ("interval", interval),
            ("crontab", crontab),
            ("solar", solar),
            ("clocked", clocked),
        ):
            PeriodicTask.objects.create(
                name=f"{name} task {i}",
                task="mentoring.tasks.requeue_stalled_deliveries",
                one_off=name == "clocked",
                **{name: schedule},
            )
