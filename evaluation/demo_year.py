"""Last year's cycle for the demo: its people, their applications and matches, and the
year each match lived (goal sheets, check-ins, activities, newsletters), drawn from
the plans below so the health page and the surveys have a real year to read."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify

from activities.models import Activity, ActivityLogEntry
from applications.models import Application, ApplicationStatusChange
from goals.models import CheckIn, ExampleGoal, Goal, GoalSheet, GoalSheetChange, GoalSheetRevision
from goals.services import snapshot
from matches.demo import demo_meetings
from matches.models import Match, Meeting
from mentoring.content import CONTENT_FILE, program_year_start
from mentoring.dates import month_year
from mentoring.demo import DEMO_STAFF_EMAIL, demo_person
from mentoring.models import Cycle, Delivery, Event, Milestone, Program, User
from mentoring.timeline import goal_sheet_due_on

from .cycle_data import NEWSLETTER_KIND

PROGRAM_SLUG = "alsc"
SEED = 2025
Status = Application.Status

# Last year's people: names of their own, so nobody is in both years' cohorts.
MENTEES = [
    ("Ana", "Lopez"), ("Bianca", "Okoro"), ("Cody", "Walsh"), ("Dana", "Whitaker"),
    ("Elif", "Demir"), ("Farah", "Siddiqui"), ("Gemma", "Russo"), ("Hector", "Paredes"),
    ("Iris", "Holm"), ("Jada", "Pierce"), ("Kofi", "Boateng"), ("Lena", "Vogel"),
    ("Mila", "Horvat"), ("Nico", "Bianchi"), ("Opal", "Redcloud"), ("Pablo", "Marin"),
    ("Quinn", "Archer"), ("Rina", "Sato"), ("Sasha", "Petrov"), ("Talia", "Mizrahi"),
    ("Uma", "Krishnan"), ("Vera", "Lindgren"), ("Wes", "Donnelly"), ("Yara", "Haddad"),
]  # fmt: skip
MENTORS = [
    ("Agnes", "Whitmore"), ("Bernard", "Osei"), ("Celia", "Navarro"), ("Doris", "Feld"),
    ("Edwin", "Marsh"), ("Frances", "Oyelaran"), ("Gloria", "Ybarra"), ("Harold", "Quist"),
    ("Ines", "Carvalho"), ("June", "Abernathy"), ("Kurt", "Lindqvist"), ("Loretta", "Banks"),
]  # fmt: skip
OTHER_MENTEES = [
    (("Max", "Ferreira"), Status.DECLINED), (("Nora", "Blythe"), Status.DECLINED),
    (("Otis", "Kamara"), Status.WAITLISTED), (("Pia", "Nordin"), Status.WAITLISTED),
    (("Rex", "Calloway"), Status.WITHDRAWN), (("Sol", "Ibarra"), Status.DRAFT),
]  # fmt: skip
OTHER_MENTORS = [(("Tess", "Galloway"), Status.DECLINED), (("Ugo", "Eze"), Status.WITHDRAWN)]


@dataclass(frozen=True)
class Plan:
    """How one of last year's matches went."""

    sheet: str  # "agreed", "late", "submitted", "draft", "none"
    last_month: int  # the last month (1 = November ... 8 = June) they recorded anything
    achieved: int  # goals achieved by the end
    past_target: bool = False  # a goal left past its target date, not achieved
    bounce: str = ""  # "mentee" or "mentor": their last newsletters failed


# Match i of last year's cohort follows PLANS[i % len(PLANS)]; most are thriving.
THRIVING = Plan("agreed", 8, 2)
PLANS = [
    THRIVING,
    Plan("agreed", 8, 1),
    Plan("late", 8, 1),
    Plan("none", 0, 0),  # never opened their goal sheet, and went quiet
    THRIVING,
    Plan("draft", 8, 0),  # met all year, the sheet sent back and never resubmitted
    Plan("agreed", 5, 0),  # quiet since March
    THRIVING,
    Plan("agreed", 8, 0, past_target=True),
    Plan("agreed", 8, 2, bounce="mentee"),
    Plan("submitted", 8, 0),  # the mentor never confirmed
    THRIVING,
    Plan("late", 8, 2),
    Plan("agreed", 8, 1, bounce="mentor"),
    THRIVING,
    Plan("agreed", 8, 1),
    Plan("agreed", 6, 0, past_target=True),  # quiet since April, a goal left behind
    THRIVING,
    Plan("late", 8, 1),
    THRIVING,
    Plan("agreed", 8, 2),
    Plan("agreed", 8, 1),
]

CHECK_IN_NOTES = [
    "We talked it through on our monthly call and set the next step.",
    "Good progress this month; the first part is done.",
    "Slower than planned: a busy month at the library.",
    "Back on track after our call.",
]
ACTIVITY_NOTES = [
    "A good conversation; we each took away one thing to try.",
    "We met on video and worked through it together.",
    "Quick one by email this month.",
]


def _email(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace(" ", "") + "@example.net"


def _at(day: dt.date, hour: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz)


def _month_day(cycle: Cycle, month_index: int, day: int) -> dt.date:
    """Day ``day`` of the program year's month ``month_index`` (1 = its first month)."""
    start = cycle.starts_on.replace(day=1)
    month = start.month - 1 + month_index - 1
    return dt.date(start.year + month // 12, month % 12 + 1, min(day, 28))


# --- Last year's cycle --------------------------------------------------------------------


def _resolve(value: str, year: int) -> str:
    return value.replace("Y1-", f"{year + 1}-").replace("Y-", f"{year}-")


def _past_cycle(program: Program, today: dt.date, log) -> Cycle | None:
    """The ALSC program year before the current one, laid out as the program's own
    calendar (made here if missing)."""
    year = program_year_start(today) - 1
    name = f"{year}-{year + 1}"
    cycle = program.cycles.filter(slug=slugify(name)).first()
    if cycle is not None:
        return cycle
    spec = next(
        p["yearly_cycle"]
        for p in json.loads(CONTENT_FILE.read_text())["programs"]
        if p["slug"] == PROGRAM_SLUG
    )

    def day(value: str) -> dt.date:
        return dt.date.fromisoformat(_resolve(value, year))

    with transaction.atomic():
        cycle = Cycle(
            program=program,
            name=name,
            slug=slugify(name),
            applications_open_on=day(spec["applications"][0]),
            applications_close_on=day(spec["applications"][1]),
            starts_on=day(spec["program"][0]),
            ends_on=day(spec["program"][1]),
        )
        cycle.full_clean()
        cycle.save()
        for item in spec["milestones"]:
            milestone = Milestone(
                cycle=cycle,
                kind=item["kind"],
                title=item["title"],
                description=item["description"],
                starts_on=day(item["dates"][0]),
                ends_on=day(item["dates"][1]),
            )
            milestone.full_clean()
            milestone.save()
        for item in spec["events"]:
            tz = ZoneInfo(item["time_zone"])
            event = Event(
                cycle=cycle,
                kind=item["kind"],
                title=item["title"],
                description=item["description"],
                starts_at=dt.datetime.fromisoformat(_resolve(item["starts"], year)).replace(
                    tzinfo=tz
                ),
                ends_at=dt.datetime.fromisoformat(_resolve(item["ends"], year)).replace(tzinfo=tz),
                time_zone=item["time_zone"],
                location=item.get("location", ""),
            )
            event.full_clean()
            event.save()
    log(f"Created last year's cycle {cycle} for the program health demo")
    return cycle


def _application(cycle: Cycle, person: User, role: str, status: str, rng, staff) -> Application:
    tz = cycle.program.tz
    is_mentor = role == Application.Role.MENTOR
    submitted = _at(cycle.applications_open_on + dt.timedelta(days=rng.randint(1, 25)), 10, tz)
    application = Application(
        cycle=cycle,
        applicant=person,
        role=role,
        status=status,
        full_name=person.full_name,
        email=person.email,
        city="Springfield",
        state=rng.choice(["IL", "OH", "TX", "WA", "NY", "GA", "MN", "CO"]),
        time_zone="America/Chicago",
        organization=f"{person.full_name.split()[-1]} Memorial Library",
        library_type=Application.LibraryType.PUBLIC,
        position_title="Head of Children's Services" if is_mentor else "Children's Librarian",
        years_experience=rng.randint(8, 25) if is_mentor else rng.randint(0, 4),
        membership=Application.Membership.MEMBER,
        career_stage="" if is_mentor else Application.CareerStage.EARLY,
        hopes="" if is_mentor else "Grow my programming and find my place in the association.",
        mentee_capacity=2 if is_mentor else None,
        offer="Years of storytime, outreach and committee work." if is_mentor else "",
        communication_methods=["email", "video"],
        agreed_to_expectations=status != Status.DRAFT,
        created_at=submitted - dt.timedelta(days=2),
        submitted_at=None if status == Status.DRAFT else submitted,
    )
    application.full_clean()
    application.save()
    history = (
        [(Status.DRAFT, Status.SUBMITTED, submitted, person)] if status != Status.DRAFT else []
    )
    if status == Status.WITHDRAWN:
        history.append(
            (Status.SUBMITTED, Status.WITHDRAWN, submitted + dt.timedelta(days=6), person)
        )
    elif status not in (Status.DRAFT, Status.SUBMITTED):
        decided = _at(cycle.applications_close_on + dt.timedelta(days=25), 14, tz)
        history.append((Status.SUBMITTED, status, decided, staff))
    ApplicationStatusChange.objects.bulk_create(
        ApplicationStatusChange(
            application=application, from_status=a, to_status=b, changed_at=when, changed_by=who
        )
        for a, b, when, who in history
    )
    return application


def _cohort(cycle: Cycle, log) -> None:
    rng = random.Random(SEED)
    tz = cycle.program.tz
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()

    def person(first: str, last: str) -> User:
        return demo_person(_email(first, last), full_name=f"{first} {last}", preferred_name=first)

    mentees = [
        _application(cycle, person(*name), Application.Role.MENTEE, Status.ACCEPTED, rng, staff)
        for name in MENTEES
    ]
    mentors = [
        _application(cycle, person(*name), Application.Role.MENTOR, Status.ACCEPTED, rng, staff)
        for name in MENTORS
    ]
    for name, status in OTHER_MENTEES:
        _application(cycle, person(*name), Application.Role.MENTEE, status, rng, staff)
    for name, status in OTHER_MENTORS:
        _application(cycle, person(*name), Application.Role.MENTOR, status, rng, staff)

    confirmed = _at(_month_day(cycle, 1, 20), 11, tz)
    matches = []
    # 22 matches that ran all year, one dissolved in February; the last mentee unmatched.
    for i, mentee in enumerate(mentees[:23]):
        match = Match(
            cycle=cycle,
            mentor=mentors[i % len(mentors)],
            mentee=mentee,
            status=Match.Status.CONCLUDED,
            score=round(rng.uniform(58, 92), 1),
            reasons=["shared interests", "both prefer email and video"],
            proposed_at=confirmed - dt.timedelta(days=3),
            confirmed_at=confirmed,
            confirmed_by=staff,
            concluded_at=_at(cycle.ends_on, 23, tz),
        )
        if i == 22:
            match.status = Match.Status.DISSOLVED
            match.concluded_at = None
            match.dissolved_at = _at(_month_day(cycle, 4, 10), 9, tz)
            match.dissolved_by = staff
            match.dissolved_reason = "The mentee changed jobs and left the program."
        match.full_clean()
        matches.append(match)
    Match.objects.bulk_create(matches)

    examples = list(ExampleGoal.objects.filter(program=cycle.program).order_by("position"))
    activities = list(
        Activity.objects.filter(program=cycle.program, is_published=True)
        .select_related("category")
        .order_by("category__position", "position")
    )
    due_on = goal_sheet_due_on(cycle.milestones.all()) or _month_day(cycle, 2, 28)
    for i, match in enumerate(matches[:22]):
        _year_of(match, PLANS[i % len(PLANS)], i, examples, activities, due_on, rng)
    _newsletters(cycle, matches[:22], rng)
    log(
        f"Last year's cohort in {cycle}: {len(MENTEES) + len(OTHER_MENTEES)} mentees and "
        f"{len(MENTORS) + len(OTHER_MENTORS)} mentors applied, 22 matches ran the year, one "
        "was dissolved"
    )


def _year_of(match, plan: Plan, index: int, examples, activities, due_on, rng) -> None:
    """One match's year: its goal sheet, check-ins, activities and goals' outcomes."""
    cycle = match.cycle
    tz = cycle.program.tz
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    if plan.sheet != "none":
        _goal_sheet(match, plan, index, examples, due_on, rng)
    goals = list(Goal.objects.filter(sheet__match=match).order_by("position"))
    agreed = plan.sheet in ("agreed", "late")
    last = _month_day(cycle, plan.last_month, 25) if plan.last_month else None
    check_ins, entries = [], []
    for month in range(1, (plan.last_month or 0) + 1):
        day = _month_day(cycle, month, rng.randint(5, 25))
        if last and day > last:
            day = last
        author = mentee if month % 2 else mentor
        if activities and ((month + index) % 4 or plan.sheet == "draft"):
            activity = activities[(index * 3 + month) % len(activities)]
            entries.append(
                ActivityLogEntry(
                    match=match,
                    activity=activity,
                    title=activity.title,
                    status=ActivityLogEntry.Status.DONE,
                    on=day,
                    notes=ACTIVITY_NOTES[month % len(ACTIVITY_NOTES)],
                    recorded_by=author,
                    created_at=_at(day, 18, tz),
                )
            )
        if agreed and goals and month >= (4 if plan.sheet == "late" else 3):
            for goal in goals:
                achieved_now = goal.position <= plan.achieved and month == plan.last_month
                status = CheckIn.Status.ACHIEVED if achieved_now else CheckIn.Status.IN_PROGRESS
                check_ins.append(
                    CheckIn(
                        goal=goal,
                        author=author,
                        status=status,
                        note=CHECK_IN_NOTES[(month + goal.position) % len(CHECK_IN_NOTES)],
                        on=day,
                        created_at=_at(day, 19, tz),
                    )
                )
    ActivityLogEntry.objects.bulk_create(entries)
    Meeting.objects.bulk_create(demo_meetings(match, [(e.on, e.recorded_by) for e in entries], rng))
    CheckIn.objects.bulk_create(check_ins)
    if agreed and plan.last_month == 8:
        outcome_day = _at(cycle.ends_on - dt.timedelta(days=3), 16, tz)
        for goal in goals:
            achieved = goal.position <= plan.achieved
            goal.final_outcome = Goal.Outcome.ACHIEVED if achieved else Goal.Outcome.PARTLY
            goal.reflection = (
                "Done, and shared with the team."
                if achieved
                else "Half done; the mentee carries on with it next year."
            )
            goal.outcome_recorded_by = mentee
            goal.outcome_recorded_at = outcome_day
        Goal.objects.bulk_update(
            goals, ["final_outcome", "reflection", "outcome_recorded_by", "outcome_recorded_at"]
        )
        if plan.past_target:
            # Recorded as partly done, but the mentee also said the first goal was
            # overdue: it stays not achieved past its target.
            Goal.objects.filter(pk=goals[0].pk).update(
                final_outcome=Goal.Outcome.NOT_ACHIEVED, reflection="Ran out of time."
            )


def _goal_sheet(match, plan: Plan, index: int, examples, due_on, rng) -> None:
    cycle = match.cycle
    tz = cycle.program.tz
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    submitted = _at(due_on - dt.timedelta(days=rng.randint(8, 20)), 20, tz)
    if plan.sheet == "late":
        submitted = _at(due_on + dt.timedelta(days=rng.randint(10, 25)), 20, tz)
    confirmed = submitted + dt.timedelta(days=rng.randint(1, 5))
    agreed = plan.sheet in ("agreed", "late")
    status = {
        "agreed": GoalSheet.Status.AGREED,
        "late": GoalSheet.Status.AGREED,
        "submitted": GoalSheet.Status.SUBMITTED,
        "draft": GoalSheet.Status.DRAFT,
    }[plan.sheet]
    sheet = GoalSheet.objects.create(
        match=match,
        status=status,
        agreed_revision=1 if agreed else None,
        version=4,
        created_at=_at(cycle.starts_on + dt.timedelta(days=22), 9, tz),
        updated_by=mentor if agreed else mentee,
        submitted_at=submitted,
        agreed_at=confirmed if agreed else None,
    )
    count = 2 if plan.achieved != 1 else 1
    goals = []
    for position in range(1, count + 1):
        example = examples[(index + position) % len(examples)] if examples else None
        target = cycle.ends_on
        if position == 1 and (plan.achieved or plan.past_target):
            target = _month_day(cycle, 5 + position, 15)  # March or April
        goals.append(
            Goal.objects.create(
                sheet=sheet,
                position=position,
                title=example.title if example else f"Goal {position}",
                specific=example.specific if example else "A project we do together.",
                measurable=example.measurable if example else "Done and shared.",
                achievable=example.achievable if example else "Monthly calls.",
                relevant=example.relevant if example else "It matters to the mentee's work.",
                target_date=target,
                example=example,
                first_agreed_revision=1 if agreed else None,
                created_at=sheet.created_at,
            )
        )
    GoalSheetRevision.objects.create(
        sheet=sheet,
        number=1,
        goals=snapshot(goals),
        submitted_by=mentee,
        submitted_at=submitted,
        confirmed_by=mentor if agreed else None,
        confirmed_at=confirmed if agreed else None,
    )
    changes = [(GoalSheet.Action.SUBMIT, "draft", "submitted", mentee, submitted, "")]
    if agreed:
        changes.append((GoalSheet.Action.CONFIRM, "submitted", "agreed", mentor, confirmed, ""))
    elif plan.sheet == "draft":
        sheet.returned_comment = "Let's make the measure concrete before I confirm."
        sheet.returned_by, sheet.returned_at = mentor, confirmed
        sheet.save(update_fields=["returned_comment", "returned_by", "returned_at"])
        changes.append(
            (
                GoalSheet.Action.SEND_BACK,
                "submitted",
                "draft",
                mentor,
                confirmed,
                sheet.returned_comment,
            )
        )
    GoalSheetChange.objects.bulk_create(
        GoalSheetChange(
            sheet=sheet,
            revision=1,
            action=action,
            from_status=a,
            to_status=b,
            by=by,
            at=at,
            comment=comment,
        )
        for action, a, b, by, at, comment in changes
    )


def _newsletters(cycle: Cycle, matches: list[Match], rng) -> None:
    """A monthly newsletter from December to June, each issue to every partner; the last
    issues bounced for the partners the plans say."""
    tz = cycle.program.tz
    bouncing: dict[int, int] = {}
    for i, match in enumerate(matches):
        plan = PLANS[i % len(PLANS)]
        if plan.bounce:
            application = match.mentee if plan.bounce == "mentee" else match.mentor
            bouncing[application.applicant_id] = 2 if plan.bounce == "mentor" else 1
    people = {}
    for match in matches:
        for application in (match.mentee, match.mentor):
            people[application.applicant_id] = application.applicant
    deliveries = []
    months = list(range(2, 9))
    for number, month in enumerate(months):
        day = _month_day(cycle, month, 3)
        subject = f"{cycle.program.short_name} Mentoring News: {month_year(day)}"
        for person in people.values():
            failed = number >= len(months) - bouncing.get(person.pk, 0)
            queued = _at(day, 8, tz)
            deliveries.append(
                Delivery(
                    message_key=f"{NEWSLETTER_KIND.split('.')[0]}:demo-{cycle.slug}-{day:%Y-%m}",
                    kind=NEWSLETTER_KIND,
                    recipient=person,
                    to_email=person.email,
                    subject=subject,
                    body_text=f"{subject}\n\nThis demo issue stands for last year's newsletter.\n",
                    status=Delivery.Status.FAILED if failed else Delivery.Status.SENT,
                    attempts=1,
                    last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable"
                    if failed
                    else "",
                    created_at=queued,
                    claimed_at=queued,
                    sent_at=None if failed else queued + dt.timedelta(minutes=rng.randint(1, 9)),
                )
            )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
