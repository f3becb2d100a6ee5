"""The page benchmark's data set: a program year of realistic size, built with bulk
inserts in seconds (see ``bench_pages.py`` for what it holds and why)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass


@dataclass
class ProgramYear:
    """What the pages are fetched with: who signs in, and the objects in the URLs."""

    mentee_id: int
    staff_id: int
    match_id: int
    counts: dict[str, int]
    # This year's mentees with their match (for the mixed workload), and the committee.
    participants: list[tuple[int, int]]
    staff_ids: list[int]


def program_year(
    *,
    matches: int = 1_600,
    past_matches: int = 400,
    other_applications: int = 1_000,
    log_entries: int = 8,
    issues: int = 12,
) -> ProgramYear:
    """A program year of the given size, in bulk (the defaults: the issue's 5,000
    applications and 2,000 matches).

    The programs' own content (timeline, interests, example goals, catalog) comes from
    ``load_program_content``, as on a real site; the people and their year are made
    here. The first mentee of this year was a mentee last year too."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from activities.models import Activity, ActivityLogEntry
    from applications.models import Application, Interest
    from goals.models import CheckIn, Goal, GoalSheet
    from matches.models import Match
    from mentoring.models import Cycle, Event, Program, User
    from mentoring.roles import COORDINATOR, role_group
    from newsletter.models import NewsletterIssue, add_months

    call_command("load_program_content", stdout=io.StringIO())
    with transaction.atomic():
        alsc = Program.objects.get(slug="alsc")
        today = alsc.today()
        now = timezone.now()
        current = Cycle.objects.get(program=alsc, starts_on__lte=today, ends_on__gte=today)
        past = Cycle.objects.create(
            program=alsc,
            name=f"{current.starts_on.year - 1}-{current.starts_on.year}",
            slug=f"{current.starts_on.year - 1}-{current.starts_on.year}",
            applications_open_on=current.applications_open_on.replace(
                year=current.applications_open_on.year - 1
            ),
            applications_close_on=current.applications_close_on.replace(
                year=current.applications_close_on.year - 1
            ),
            starts_on=current.starts_on.replace(year=current.starts_on.year - 1),
            ends_on=current.ends_on.replace(year=current.ends_on.year - 1),
        )
        # A second program taking applications today (the application form's page).
        alcts = Program.objects.get(slug="alcts")
        # (load_program_content may have laid ALCTS's year on this one already: reuse it.)
        open_cycle, _ = Cycle.objects.update_or_create(
            program=alcts,
            slug=f"{today.year}-{today.year + 1}",
            defaults={
                "name": f"{today.year}-{today.year + 1}",
                "applications_open_on": today - dt.timedelta(days=10),
                "applications_close_on": today + dt.timedelta(days=20),
                "starts_on": today + dt.timedelta(days=45),
                "ends_on": today + dt.timedelta(days=45 + 300),
            },
        )
        Event.objects.bulk_create(
            Event(
                cycle=cycle,
                kind=Event.Kind.WEBINAR if k % 2 else Event.Kind.MEETUP,
                title=f"{cycle.program.short_name} gathering {k}",
                description="An hour together online, with time for questions.",
                starts_at=now + dt.timedelta(days=14 * k - 60, hours=k),
                ends_at=now + dt.timedelta(days=14 * k - 60, hours=k + 1),
                location="Online",
            )
            for cycle in (current, open_cycle, past)
            for k in range(8)
        )

        competencies = list(Interest.objects.filter(program=alsc, kind=Interest.Kind.COMPETENCY))
        topics = list(Interest.objects.filter(program=alsc).exclude(kind=Interest.Kind.COMPETENCY))
        interests = competencies + topics
        activities = list(Activity.objects.filter(program=alsc, is_published=True))

        n_people = 2 * matches + 2 * past_matches + other_applications
        people = User.objects.bulk_create(
            User(
                email=f"person{i}@example.org",
                full_name=f"Person {i} Example",
                preferred_name=f"P{i}",
                password="!",
            )
            for i in range(n_people)
        )
        # A committee member as they really are: staff in the committee's group, not a
        # superuser (so the admin checks their permissions as it would).
        staff = User.objects.create(
            email="committee@example.org", full_name="Casey Committee", password="!", is_staff=True
        )
        staff.groups.add(role_group(COORDINATOR))
        colleagues = [
            User.objects.create(
                email=f"committee{k}@example.org",
                full_name=f"Committee Member {k}",
                password="!",
                is_staff=True,
            )
            for k in range(1, 5)
        ]
        for colleague in colleagues:
            colleague.groups.add(role_group(COORDINATOR))
        statuses = ["submitted", "under_review", "waitlisted", "declined", "withdrawn", "draft"]

        def application(cycle, person, role, status, i):
            return Application(
                cycle=cycle,
                applicant=person,
                role=role,
                status=status,
                full_name=person.full_name,
                preferred_name=person.preferred_name,
                email=person.email,
                city="Springfield",
                state="IL",
                time_zone="America/Chicago",
                organization=f"Library {i % 40}",
                library_type="public",
                position_title="Children's librarian",
                years_experience=i % 25,
                hopes="To grow as a youth services librarian. " * 3,
                offer="Years of storytime and outreach. " * 3,
                mentee_capacity=1 if role == "mentor" else None,
                submitted_at=None if status == "draft" else now - dt.timedelta(days=90),
                agreed_to_expectations=True,
            )

        rows = []
        for i in range(matches):
            rows.append(application(current, people[2 * i], "mentor", "accepted", i))
            rows.append(application(current, people[2 * i + 1], "mentee", "accepted", i))
        base = 2 * matches
        for i in range(past_matches):
            # The first past mentee is this year's first mentee, returning.
            mentee = people[1] if i == 0 else people[base + 2 * i + 1]
            rows.append(application(past, people[base + 2 * i], "mentor", "accepted", i))
            rows.append(application(past, mentee, "mentee", "accepted", i))
        base += 2 * past_matches
        for i in range(other_applications):
            role = "mentee" if i % 3 else "mentor"
            rows.append(
                application(current, people[base + i], role, statuses[i % len(statuses)], i)
            )
        applications = Application.objects.bulk_create(rows)
        chosen = Application.interests.through
        chosen.objects.bulk_create(
            chosen(application=a, interest=interests[(i + k) % len(interests)])
            for i, a in enumerate(applications)
            for k in range(3)
            if interests
        )

        pairs = [(current, Match.Status.ACTIVE, applications[: 2 * matches])]
        pairs.append(
            (past, Match.Status.CONCLUDED, applications[2 * matches : 2 * (matches + past_matches)])
        )
        match_rows = []
        for cycle, status, apps in pairs:
            for i in range(len(apps) // 2):
                match_rows.append(
                    Match(
                        cycle=cycle,
                        mentor=apps[2 * i],
                        mentee=apps[2 * i + 1],
                        status=status,
                        proposed_by=staff,
                        confirmed_at=now - dt.timedelta(days=20),
                        confirmed_by=staff,
                        concluded_at=now - dt.timedelta(days=150)
                        if status == Match.Status.CONCLUDED
                        else None,
                    )
                )
        all_matches = Match.objects.bulk_create(match_rows)

        sheet_statuses = list(reversed(GoalSheet.Status.values))  # agreed, submitted, draft
        sheets = GoalSheet.objects.bulk_create(
            GoalSheet(
                match=m,
                # The bench mentee's sheet is agreed: the page with the most to show.
                status=GoalSheet.Status.AGREED if i == 0 else sheet_statuses[i % 3],
                revision=1,
                agreed_revision=1 if (i == 0 or i % 3 == 0) else None,
                agreed_at=now - dt.timedelta(days=5) if (i == 0 or i % 3 == 0) else None,
                submitted_at=now - dt.timedelta(days=6) if (i == 0 or i % 3 != 2) else None,
                updated_by_id=m.mentee.applicant_id,
            )
            for i, m in enumerate(all_matches)
        )
        goals = Goal.objects.bulk_create(
            Goal(
                sheet=sheet,
                position=position,
                title=f"Goal {position}: plan a sensory storytime",
                specific="Plan and lead a sensory storytime series for toddlers. " * 2,
                measurable="Six sessions, with attendance counted at each. " * 2,
                achievable="With the branch manager's support and my mentor's advice.",
                relevant="Serving the youngest patrons is at the heart of the job.",
                target_date=sheet.match.cycle.ends_on,
                first_agreed_revision=1 if sheet.agreed_revision else None,
            )
            for i, sheet in enumerate(sheets)
            for position in range(1, 2 + (i % 3) + (2 if i == 0 else 0))
            if position <= 3
        )
        if competencies:
            Goal.competency_areas.through.objects.bulk_create(
                Goal.competency_areas.through(goal=g, interest=competencies[i % len(competencies)])
                for i, g in enumerate(goals)
            )
        agreed_goals = [g for g in goals if g.first_agreed_revision]
        CheckIn.objects.bulk_create(
            CheckIn(
                goal=g,
                author_id=g.sheet.match.mentee.applicant_id,
                status=CheckIn.Status.IN_PROGRESS,
                note="Two sessions held; the third is planned.",
                on=today - dt.timedelta(days=7 * k),
            )
            for g in agreed_goals
            for k in range(2)
        )
        entries = ActivityLogEntry.objects.bulk_create(
            ActivityLogEntry(
                match=m,
                activity=activities[(i + k) % len(activities)] if activities else None,
                title=f"Activity {k}",
                status=ActivityLogEntry.Status.DONE if k % 3 else ActivityLogEntry.Status.PLANNED,
                on=m.cycle.starts_on + dt.timedelta(days=5 * k),
                notes="We talked it through over coffee.",
                recorded_by_id=m.mentee.applicant_id,
            )
            for i, m in enumerate(all_matches)
            for k in range(log_entries)
        )
        first_goal = {}
        for g in goals:
            first_goal.setdefault(g.sheet_id, g)
        sheet_of = {s.match_id: s.pk for s in sheets}
        ActivityLogEntry.goals.through.objects.bulk_create(
            ActivityLogEntry.goals.through(
                activitylogentry=e, goal=first_goal[sheet_of[e.match_id]]
            )
            for e in entries[::2]
        )

        # The newsletter: the past year's issues and this year's first ones.
        last_month = past.ends_on.replace(day=1)
        months = [current.starts_on.replace(day=1)]
        months += [add_months(last_month, -k) for k in range(issues - 1)]
        NewsletterIssue.objects.bulk_create(
            NewsletterIssue(
                cycle=current if month >= current.starts_on.replace(day=1) else past,
                month=month,
                subject=f"Mentoring news, {month:%B %Y}",
                news="News of the month.",
                news_html="<p>News of the month, with <strong>what is coming up</strong>.</p>",
                discussion_activity=activities[k % len(activities)] if activities else None,
                status=NewsletterIssue.Status.SENT,
                send_at=now - dt.timedelta(days=30 * k),
                sent_at=now - dt.timedelta(days=30 * k),
                recipients_count=2 * matches,
            )
            for k, month in enumerate(months)
        )

    # A live database's autovacuum keeps the planner's statistics and the visibility
    # map (which lets a count read an index alone); after bulk inserts of thousands of
    # rows both are brought up to date here, or the plans are a new database's.
    with connection.cursor() as cursor:
        # (VACUUM cannot run in a transaction: in a test's, statistics alone.)
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return ProgramYear(
        mentee_id=people[1].pk,
        staff_id=staff.pk,
        match_id=all_matches[0].pk,
        participants=[(people[2 * i + 1].pk, all_matches[i].pk) for i in range(matches)],
        staff_ids=[staff.pk] + [c.pk for c in colleagues],
        counts={
            "applications": len(applications),
            "matches": len(all_matches),
            "goals": len(goals),
            "activity log entries": len(entries),
            "newsletter issues": len(months),
            "events": Event.objects.count(),
        },
    )
