"""Demo data of the program core: the committee staff login."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import User
from .roles import ADMINISTRATOR, COORDINATOR, role_group

DEMO_STAFF_EMAIL = "staff@example.org"
DEMO_PASSWORD = "mentoring-demo"


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


@transaction.atomic
def seed(*, log=print) -> None:
    # The committee's chair: runs the year and looks after people, by their two roles
    # (not a superuser: the admin checks their permissions as it would anyone's).
    staff = demo_person(
        DEMO_STAFF_EMAIL, full_name="Casey Committee", preferred_name="Casey", is_staff=True
    )
    staff.groups.add(role_group(COORDINATOR), role_group(ADMINISTRATOR))
    log(
        f"Staff login: {DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}  (admin at /admin/; "
        "coordinator and administrator)"
    )
