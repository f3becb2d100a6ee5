"""Demo data of the program core: the committee staff login."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User

DEMO_STAFF_EMAIL = "staff@example.org"
DEMO_PASSWORD = "mentoring-demo"
# The demo staff's authenticator app secret (base32), public like the password: the admin
# asks staff for a code (mentoring/second_factor.py). Add it to an authenticator app, or
# under `make run` (DEBUG) type the fixed development code the Makefile prints.
DEMO_TOTP_SECRET = "MENTORINGDEMOSTAFFTOTPSECRET2345"
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
    log(f"Staff second factor: authenticator app secret {DEMO_TOTP_SECRET}")


def demo_authenticator(user: User) -> None:
    """Give a demo staff account the demo's authenticator app (once)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
