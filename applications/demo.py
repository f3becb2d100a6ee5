"""Demo applicants for ``manage.py seed_demo``: a cohort in the ALSC program's current
cycle (mostly accepted, so matching has real people to pair), a few reviews, and, when
no ALSC cycle is taking applications today, next year's cycle opened from today so the
application form can be tried.

Deterministic (a seeded random generator) and idempotent: a person who already has an
application in the cycle is left as they are.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from mentoring.content import program_year_start
from mentoring.dates import long_date
from mentoring.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL, demo_person
from mentoring.models import Cycle, Delivery, Milestone, Program
from mentoring.roles import REVIEWER, role_group
from mentoring.services import cycle_copy_to_next_year

from .demo_people import (
    COMMITTEE_EXPERIENCE,
    FIRST_NAMES,
    HOPES,
    LAST_NAMES,
    MENTEE_POSITIONS,
    MENTEE_TYPES,
    MENTOR_POSITIONS,
    MENTOR_TYPES,
    MENTOR_WISHES,
    OFFERS,
    PLACES,
    REVIEW_COMMENTS,
    SCHOOLS,
    WITHDRAW_REASONS,
)
from .models import (
    DECISIONS,
    Application,
    ApplicationReview,
    ApplicationStatusChange,
    Conference,
    Interest,
)
from .services import application_decision_send

Status = Application.Status
Role = Application.Role
LibraryType = Application.LibraryType

SEED = 2026
MENTEE_STATUSES = (
    [Status.ACCEPTED] * 40
    + [Status.UNDER_REVIEW] * 2
    + [Status.WAITLISTED] * 2
    + [Status.DECLINED] * 2
    + [Status.DRAFT, Status.WITHDRAWN]
)
MENTOR_STATUSES = [Status.ACCEPTED] * 20 + [
    Status.UNDER_REVIEW,
    Status.DECLINED,
    Status.DRAFT,
    Status.WITHDRAWN,
]
# Accepted mentors' capacities: 7 x 3 + 8 x 2 + 5 x 1 = 42 places for 40 mentees.
MENTOR_CAPACITIES = [3] * 7 + [2] * 8 + [1] * 5
DEMO_WINDOW_DAYS = 21


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("'", "")


def _email(first: str, last: str) -> str:
    return f"{_ascii(first)}.{_ascii(last).replace(' ', '')}@example.org".lower()


def _organization(rng: random.Random, library_type: str, city: str) -> str:
    if library_type == LibraryType.PUBLIC:
        return rng.choice(
            [f"{city} Public Library", f"{city} Free Library", f"Greater {city} Library"]
        )
    if library_type == LibraryType.SCHOOL:
        return f"{rng.choice(SCHOOLS)} Elementary School, {city}"
    if library_type == LibraryType.LIS_STUDENT:
        return f"School of Information, {city}"
    if library_type == LibraryType.ACADEMIC:
        return f"{city} State University Library"
    if library_type == LibraryType.SPECIAL:
        return f"Children's Museum of {city}"
    return f"Reach Out and Read, {city}"


def _moment(day: dt.date, rng: random.Random, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=tz)


def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` people with different first names (so no two share an address)."""
    firsts, lasts = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    return [(firsts[i], lasts[i % len(lasts)]) for i in range(count)]


def _current_cycle(program: Program) -> Cycle | None:
    year = program_year_start(program.today())
    return program.cycles.filter(slug=slugify(f"{year}-{year + 1}")).first()


@transaction.atomic
def seed(*, log=print) -> None:
    program = Program.objects.filter(slug="alsc").first()
    if program is None:
        log("No ALSC program: run load_program_content first")
        return
    cycle = _current_cycle(program)
    if cycle is None:
        log("No ALSC cycle for the current program year: run load_program_content first")
        return
    interests = list(program.interests.filter(is_active=True))
    conferences = list(program.conferences.filter(is_active=True))
    if not interests:
        log("No ALSC interests: run load_program_content first")
        return

    staff = demo_person(
        DEMO_STAFF_EMAIL, full_name="Casey Committee", preferred_name="Casey", is_staff=True
    )
    reviewer = demo_person(
        "robin.reviewer@example.org",
        full_name="Robin Alvarado",
        preferred_name="Robin",
        is_staff=True,
    )
    # A reviewer and nothing more: the current cycle's applications, to score.
    reviewer.groups.set([role_group(REVIEWER)])
    cycle.reviewers.add(reviewer)

    rng = random.Random(SEED)
    people = _people(rng, len(MENTEE_STATUSES) + len(MENTOR_STATUSES))
    mentee_people, mentor_people = people[: len(MENTEE_STATUSES)], people[len(MENTEE_STATUSES) :]
    created = 0
    first_login: dict[str, str] = {}
    for role, people, statuses in [
        (Role.MENTEE, mentee_people, MENTEE_STATUSES),
        (Role.MENTOR, mentor_people, MENTOR_STATUSES),
    ]:
        capacities = iter(MENTOR_CAPACITIES)
        for index, ((first, last), status) in enumerate(zip(people, statuses, strict=True)):
            capacity = next(capacities, rng.randint(1, 2)) if role == Role.MENTOR else None
            application, made = _applicant(
                rng,
                cycle=cycle,
                role=role,
                status=status,
                first=first,
                last=last,
                index=index,
                capacity=capacity,
                interests=interests,
                conferences=conferences,
                staff=staff,
            )
            created += made
            if status == Status.ACCEPTED and role not in first_login:
                first_login[role] = application.email

    reviews = _reviews(rng, cycle=cycle, reviewers=[staff, reviewer])
    told = _decisions_told(cycle)
    log(
        f"Applicants in {cycle}: {len(MENTEE_STATUSES)} mentees and {len(MENTOR_STATUSES)} "
        f"mentors ({created} added), {reviews} reviews added, {told} decisions told"
    )
    log(f"Demo mentee login: {first_login[Role.MENTEE]} / {DEMO_PASSWORD}")
    log(f"Demo mentor login: {first_login[Role.MENTOR]} / {DEMO_PASSWORD}")
    log(
        f"Demo reviewer login: {reviewer.email} / {DEMO_PASSWORD}  (admin at /admin/; "
        f"reviews {cycle})"
    )
    _open_applications(program, log)
    # The second program's form, in its own words, can be tried too.
    second = Program.objects.filter(slug="alcts").first()
    if second is not None and second.cycles.exists():
        _open_applications(second, log)


def _decisions_told(cycle: Cycle) -> int:
    """Tell each decided applicant their decision, as the committee did a day after
    deciding: through the real service (so the committee's next "Send decisions" knows
    they were told), dated on that day."""
    now = timezone.now()
    told = 0
    for application in Application.objects.filter(
        cycle=cycle, status__in=DECISIONS, decision_sent_at__isnull=True, applicant__isnull=False
    ):
        if not application_decision_send(application=application):
            continue
        decided_at = (
            application.status_changes.filter(to_status=application.status)
            .order_by("-changed_at")
            .values_list("changed_at", flat=True)
            .first()
        )
        sent_at = min(decided_at + dt.timedelta(days=1), now) if decided_at else now
        Application.objects.filter(pk=application.pk).update(decision_sent_at=sent_at)
        Delivery.objects.filter(
            message_key=f"application:{application.pk}:decision:{application.status}"
        ).update(created_at=sent_at)
        told += 1
    return told


def _applicant(
    rng: random.Random,
    *,
    cycle: Cycle,
    role: str,
    status: str,
    first: str,
    last: str,
    index: int,
    capacity: int | None,
    interests: list[Interest],
    conferences: list[Conference],
    staff,
) -> tuple[Application, bool]:
    full_name = f"{first} {last}"
    person = demo_person(_email(first, last), full_name=full_name)
    # Draw every answer before looking for an existing row, so each person gets the same
    # answers whichever of them already exist.
    city, state, time_zone = rng.choice(PLACES)
    is_mentee = role == Role.MENTEE
    library_type = rng.choice(MENTEE_TYPES if is_mentee else MENTOR_TYPES)
    positions = (MENTEE_POSITIONS if is_mentee else MENTOR_POSITIONS)[library_type]
    membership = rng.choices(
        list(Application.Membership.values),
        weights=[7, 2, 1] if is_mentee else [1, 0, 0],
    )[0]
    funding = membership != Application.Membership.MEMBER and rng.random() < 0.6
    chosen_interests = rng.sample(interests, rng.randint(2, 5))
    chosen_conferences = rng.sample(conferences, rng.randint(0, 2)) if conferences else []
    methods = [Application.Communication.EMAIL] + rng.sample(
        [
            Application.Communication.PHONE,
            Application.Communication.VIDEO,
            Application.Communication.CHAT,
        ],
        rng.randint(0, 2),
    )
    tz = cycle.program.tz
    started = cycle.applications_open_on + dt.timedelta(days=rng.randint(0, 24))
    values = {
        "full_name": full_name,
        "preferred_name": first if rng.random() < 0.3 else "",
        "pronouns": rng.choice(["she/her", "he/him", "they/them", "", "", ""]),
        "email": person.email,
        "phone": f"({rng.randint(201, 989)}) 555-{rng.randint(1000, 9999)}",
        "city": city,
        "state": state,
        "country": "Canada" if state in ("ON", "BC") else "United States",
        "time_zone": time_zone,
        "organization": _organization(rng, library_type, city),
        "library_type": library_type,
        "position_title": rng.choice(positions),
        "years_experience": rng.randint(0, 5) if is_mentee else rng.randint(7, 28),
        "membership": membership,
        "funding_requested": funding,
        "bipoc_identity": rng.choice(["yes", "yes", "prefer_not"]) if funding else "",
        "communication_methods": [str(m) for m in methods],
        "in_person_ok": rng.random() < 0.45,
        "other_conferences": rng.choice(["", "", "", "State library association fall meeting"]),
        "agreed_to_expectations": status != Status.DRAFT,
    }
    if is_mentee:
        values.update(
            career_stage=rng.choice(list(Application.CareerStage.values)),
            hopes=rng.choice(HOPES),
            mentor_wishes=rng.choice(MENTOR_WISHES),
        )
    else:
        values.update(
            mentee_capacity=capacity,
            committee_experience=rng.choice(COMMITTEE_EXPERIENCE),
            offer=rng.choice(OFFERS),
        )
    if status == Status.DRAFT:
        # A draft left half-finished when applications closed.
        values.update(hopes="", offer="", communication_methods=[], agreed_to_expectations=False)
    reason = rng.choice(WITHDRAW_REASONS)
    submitted_on = started + dt.timedelta(days=rng.randint(0, 3))
    decided_on = cycle.applications_close_on + dt.timedelta(days=rng.randint(20, 30))

    existing = Application.objects.filter(cycle=cycle, applicant=person, role=role).first()
    if existing is not None:
        return existing, False
    application = Application(
        cycle=cycle,
        applicant=person,
        role=role,
        status=status,
        created_at=_moment(started, rng, tz),
        **values,
    )
    history = [("", Status.DRAFT, application.created_at, person, "")]
    if status != Status.DRAFT:
        application.submitted_at = _moment(submitted_on, rng, tz)
        history.append((Status.DRAFT, Status.SUBMITTED, application.submitted_at, person, ""))
    if status == Status.WITHDRAWN:
        withdrawn_at = application.submitted_at + dt.timedelta(days=5)
        history.append((Status.SUBMITTED, Status.WITHDRAWN, withdrawn_at, person, reason))
    elif status not in (Status.DRAFT, Status.SUBMITTED):
        review_start = _moment(cycle.applications_close_on + dt.timedelta(days=5), rng, tz)
        history.append((Status.SUBMITTED, Status.UNDER_REVIEW, review_start, staff, ""))
        if status != Status.UNDER_REVIEW:
            history.append((Status.UNDER_REVIEW, status, _moment(decided_on, rng, tz), staff, ""))
    application.full_clean()
    application.save()
    application.interests.set(chosen_interests)
    application.conferences.set(chosen_conferences)
    ApplicationStatusChange.objects.bulk_create(
        ApplicationStatusChange(
            application=application,
            from_status=before,
            to_status=after,
            changed_at=when,
            changed_by=who,
            note=note,
        )
        for before, after, when, who, note in history
    )
    return application, True


def _reviews(rng: random.Random, *, cycle: Cycle, reviewers: list) -> int:
    """A few reviews: both reviewers on the applications still under review and on some
    of the decided ones."""
    candidates = list(
        cycle.applications.filter(
            status__in=[Status.UNDER_REVIEW, Status.WAITLISTED, Status.DECLINED, Status.ACCEPTED]
        ).order_by("role", "full_name", "pk")
    )
    chosen = [a for a in candidates if a.status != Status.ACCEPTED] + candidates[:10]
    added = 0
    for application in chosen:
        comments = rng.sample(REVIEW_COMMENTS, len(reviewers))
        for reviewer, comment in zip(reviewers, comments, strict=True):
            score = {
                Status.ACCEPTED: rng.randint(4, 5),
                Status.WAITLISTED: rng.randint(3, 4),
                Status.DECLINED: rng.randint(1, 3),
            }.get(application.status, rng.randint(2, 5))
            _, made = ApplicationReview.objects.get_or_create(
                application=application,
                reviewer=reviewer,
                defaults={"score": score, "comment": comment},
            )
            added += made
    return added


def _open_applications(program: Program, log) -> None:
    """Make sure the demo has a cycle taking applications today, so the form can be
    tried: next year's, opened from today for a few weeks."""
    today = program.today()
    if program.cycles.accepting_applications_on(today).exists():
        log(f"{program.short_name} is taking applications today")
        return
    latest = program.cycles.order_by("-starts_on").first()
    cycle = latest if latest.starts_on > today else cycle_copy_to_next_year(cycle=latest)
    cycle.applications_open_on = today
    cycle.applications_close_on = today + dt.timedelta(days=DEMO_WINDOW_DAYS)
    cycle.full_clean()
    cycle.save(update_fields=["applications_open_on", "applications_close_on"])
    for milestone in cycle.milestones.filter(kind=Milestone.Kind.APPLICATIONS):
        milestone.starts_on, milestone.ends_on = today, cycle.applications_close_on
        milestone.full_clean()
        milestone.save(update_fields=["starts_on", "ends_on"])
    close = cycle.applications_close_on
    log(
        f"Demo only: applications for {cycle} are open from today until "
        f"{long_date(close)}, so the form can be tried at "
        f"/programs/{program.slug}/apply/mentee/ (sign up, or use a demo login)"
    )
