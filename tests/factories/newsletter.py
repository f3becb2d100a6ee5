"""Factories of the newsletter: issues, email preferences, agreed goal sheets, and a
quick way to build a large cohort of active matches (for the fan-out tests and the
benchmark)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from applications.models import Application
from goals.models import CheckIn, Goal, GoalSheet
from matches.models import Match
from mentoring.models import Cycle, User
from newsletter.models import EmailPreference, NewsletterIssue
from newsletter.richtext import markdown_to_html

from .core import CycleFactory, UserFactory

__all__ = [
    "NewsletterIssueFactory",
    "EmailPreferenceFactory",
    "agreed_sheet",
    "bulk_matches",
]


class NewsletterIssueFactory(factory.django.DjangoModelFactory):
    """A draft issue for the first month of its cycle's program."""

    class Meta:
        model = NewsletterIssue

    cycle = factory.SubFactory(CycleFactory)
    month = factory.LazyAttribute(lambda o: o.cycle.starts_on.replace(day=1))
    subject = factory.Sequence(lambda n: f"Mentoring newsletter no. {n}")
    news = "Welcome to the program year. **Write to each other this week.**"
    news_html = factory.LazyAttribute(lambda o: markdown_to_html(o.news))


class EmailPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailPreference

    user = factory.SubFactory(UserFactory)


def agreed_sheet(match: Match, titles=("Plan six crafts for the school-age program",)) -> GoalSheet:
    """An agreed goal sheet with these goals (target dates two-thirds into the year)."""
    cycle = match.cycle
    target = cycle.starts_on + (cycle.ends_on - cycle.starts_on) * 2 // 3
    sheet, _ = GoalSheet.objects.update_or_create(
        match=match,
        defaults={
            "status": GoalSheet.Status.AGREED,
            "agreed_revision": 1,
            "agreed_at": timezone.now(),
        },
    )
    for position, title in enumerate(titles, start=1):
        Goal.objects.create(
            sheet=sheet,
            position=position,
            title=title,
            specific="Specific.",
            measurable="Measurable.",
            achievable="Achievable.",
            relevant="Relevant.",
            target_date=target,
            first_agreed_revision=1,
        )
    return sheet


def bulk_matches(
    cycle: Cycle,
    n: int,
    *,
    prefix: str = "p",
    agreed: bool = True,
    check_in_on: dt.date | None = None,
) -> list[Match]:
    """``n`` active matches in ``cycle``, each a new mentor and a new mentee
    (``<prefix>-mentor-<i>@example.org`` / ``<prefix>-mentee-<i>@example.org``) and, when
    ``agreed``, an agreed goal sheet with one goal named after the mentee
    (“Goal of <prefix>-mentee-<i>”). Bulk inserts: thousands in seconds."""
    people = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{role}-{i}@example.org",
                full_name=f"{role.title()} {prefix}{i}",
                password="!",
            )
            for i in range(n)
            for role in ("mentor", "mentee")
        ]
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                cycle=cycle,
                applicant=person,
                role=Application.Role.MENTOR
                if "-mentor-" in person.email
                else Application.Role.MENTEE,
                status=Application.Status.ACCEPTED,
                full_name=person.full_name,
                email=person.email,
                mentee_capacity=1 if "-mentor-" in person.email else None,
            )
            for person in people
        ]
    )
    matches = Match.objects.bulk_create(
        [
            Match(
                cycle=cycle,
                mentor=applications[2 * i],
                mentee=applications[2 * i + 1],
                status=Match.Status.ACTIVE,
                confirmed_at=timezone.now(),
            )
            for i in range(n)
        ]
    )
    if agreed:
        sheets = GoalSheet.objects.bulk_create(
            [
                GoalSheet(
                    match=match,
                    status=GoalSheet.Status.AGREED,
                    agreed_revision=1,
                    agreed_at=timezone.now(),
                )
                for match in matches
            ]
        )
        target = cycle.starts_on + (cycle.ends_on - cycle.starts_on) * 2 // 3
        goals = Goal.objects.bulk_create(
            [
                Goal(
                    sheet=sheet,
                    position=1,
                    title=f"Goal of {prefix}-mentee-{i}",
                    specific="Specific.",
                    measurable="Measurable.",
                    achievable="Achievable.",
                    relevant="Relevant.",
                    target_date=target,
                    first_agreed_revision=1,
                )
                for i, sheet in enumerate(sheets)
            ]
        )
        if check_in_on is not None:
            CheckIn.objects.bulk_create(
                [
                    CheckIn(goal=goal, status=CheckIn.Status.IN_PROGRESS, on=check_in_on)
                    for goal in goals
                ]
            )
    return matches
