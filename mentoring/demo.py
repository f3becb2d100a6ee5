"""Demo data of the program core: the committee staff login."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User

DEMO_STAFF_EMAIL = "staff@example.org"
DEMO_PASSWORD = "mentoring-demo"
COMMITTEE_APPS = [
    "mentoring",
    "applications",
    "matches",
    "goals",
    "certificates",
    "activities",
    "newsletter",
    "evaluation",
]


def demo_person(email: str, *, full_name: str, preferred_name: str = "", **extra) -> User:
    """A demo account that can sign in at once (its address counts as verified)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "preferred_name": preferred_name, **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def committee_group() -> Group:
    """The group real committee members join: they run the program, not the server."""
    group, _ = Group.objects.get_or_create(name="Committee staff")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=COMMITTEE_APPS))
    return group


@transaction.atomic
def seed(*, log=print) -> None:
    staff = demo_person(
        DEMO_STAFF_EMAIL,
        full_name="Casey Committee",
        preferred_name="Casey",
        is_staff=True,
        is_superuser=True,
    )
    staff.groups.add(committee_group())
    log(f"Staff login: {DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}  (admin at /admin/)")
