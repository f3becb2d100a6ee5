"""Demo data of the program core: the committee staff login."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from .models import User
from .roles import ADMINISTRATOR, COORDINATOR, role_group

DEMO_STAFF_EMAIL = "staff@example.org"
DEMO_PASSWORD = "mentoring-demo"
# The demo staff's authenticator app secret (base32), public like the password: the admin
# asks staff for a code (mentoring/second_factor.py). Add it to an authenticator app, or
# under `make run` (DEBUG) type the fixed development code the Makefile prints.
DEMO_TOTP_SECRET = "MENTORINGDEMOSTAFFTOTPSECRET2345"


def demo_person(email: str, *, full_name: str, preferred_name: str = "", **extra) -> User:
    """A demo account that can sign in at once (its address counts as verified; a staff
    account has the demo's authenticator app for the admin's second factor)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "preferred_name": preferred_name, **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if user.is_staff:
        demo_authenticator(user)
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
    log(f"Staff second factor: authenticator app secret {DEMO_TOTP_SECRET}")


def demo_authenticator(user: User) -> None:
    """Give a demo staff account the demo's authenticator app (once)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
