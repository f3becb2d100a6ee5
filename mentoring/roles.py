"""Who may do what in the committee's workspace: the three roles, each a group.

The lists here are the one place the roles' permissions are written. A data migration
(portal/migrations/0001_roles.py) creates the groups from them, and every ``migrate``
applies them again (``post_migrate``, see apps.py; ``manage.py apply_roles`` does it by
hand), so a model added to an app a role runs gets its permissions there, and a
permission edited away in admin comes back: roles are code, people are data.

A pattern is ``app_label.codename`` with ``*`` for any part (``goals.*`` is every
permission of the goal sheets' app, ``mentoring.*_event`` every permission on events).
Every permission the site has must be granted to a role or named in ``NOBODYS`` with the
reason (tests/security/test_roles.py), so a new app cannot slip in unclassified.

- **Reviewer**: the applications of the cycles they are assigned to (``Cycle.reviewers``),
  to score and comment. Not decisions, not the private identity answer, not contact
  details, not exports, not deleting or anonymising anything.
- **Coordinator**: runs the year: cycles and their timelines, applications and
  decisions, matching, goal sheets, activities, newsletter and reminders, messages to a
  group of participants (``newsletter.send_groupmessage``: theirs alone), surveys and
  their results, certificates. Not people or roles, not beat's schedules, not
  anonymising or deleting a cycle.
- **Administrator**: people (accounts, their email addresses and second factors), who
  holds which role, anonymising and deleting a finished cycle, beat's schedules, the raw
  delivery records. The year's work is the coordinator's: someone who does both holds both.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS


@dataclass(frozen=True)
class Role:
    name: str
    grants: tuple[str, ...]
    withholds: tuple[str, ...] = ()

    def holds(self, permission: str) -> bool:
        """Whether ``permission`` (``app_label.codename``) belongs to this role."""
        return any(fnmatchcase(permission, p) for p in self.grants) and not any(
            fnmatchcase(permission, p) for p in self.withholds
        )


REVIEWER = Role(
    "Reviewer",
    grants=("applications.view_application", "applications.review_application"),
)

COORDINATOR = Role(
    "Coordinator",
    grants=(
        "mentoring.*_program",
        "mentoring.*_programobjective",
        "mentoring.*_committee",
        "mentoring.*_cycle",
        "mentoring.*_milestone",
        "mentoring.*_event",
        "applications.*",
        "matches.*",
        "goals.*",
        "activities.*",
        "newsletter.*",
        # Writing to a group of participants (newsletter.* holds it too): said here
        # because it is this role's alone (tests/security/test_roles.py).
        "newsletter.send_groupmessage",
        "evaluation.*",
        "certificates.*",
    ),
    withholds=(
        "mentoring.delete_program",
        "mentoring.delete_cycle",  # a cycle's deletion takes its people's records with it
        "mentoring.anonymise_cycle",
        # Applications come from applicants and are erased only with the person.
        "applications.add_application",
        "applications.delete_application",
        "applications.review_application",  # deciding includes scoring (change_application)
    ),
)

ADMINISTRATOR = Role(
    "Administrator",
    grants=(
        "mentoring.*_user",
        "account.*",  # people's email addresses
        "mfa.*",  # people's second factors
        "auth.view_group",  # who holds a role is set on the person; the roles are code
        "auth.view_permission",
        "mentoring.view_program",
        "mentoring.view_cycle",
        "mentoring.delete_program",
        "mentoring.delete_cycle",
        "mentoring.anonymise_cycle",
        "mentoring.view_delivery",
        "django_celery_beat.*",
        "sites.*",
        "socialaccount.*",
        # Deleting a person deletes their email preferences with them.
        "newsletter.view_emailpreference",
        "newsletter.delete_emailpreference",
    ),
)

ROLES = (REVIEWER, COORDINATOR, ADMINISTRATOR)

# Permissions no role holds, and why (a superuser still has them).
NOBODYS = {
    "admin.*": "the admin's own log is written by the admin, read on its pages",
    "contenttypes.*": "Django's bookkeeping",
    "sessions.*": "Django's bookkeeping",
    "auth.add_group": "roles are code (mentoring/roles.py), applied by migrate",
    "auth.change_group": "roles are code (mentoring/roles.py), applied by migrate",
    "auth.delete_group": "roles are code (mentoring/roles.py), applied by migrate",
    "auth.add_permission": "permissions come from the models",
    "auth.change_permission": "permissions come from the models",
    "auth.delete_permission": "permissions come from the models",
    "mentoring.add_delivery": "deliveries are written by the mail machinery only",
    "mentoring.change_delivery": "deliveries are written by the mail machinery only",
    "mentoring.delete_delivery": "what was sent stays recorded",
    "mentoring.*_spentformtoken": "a form's one-time token, written by the form it spends",
    "applications.add_application": "applications come from applicants, in the browser",
    "applications.delete_application": "erased only with the person (their data request)",
}


def role_of(name: str) -> Role:
    return next(role for role in ROLES if role.name == name)


def roles_apply(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create each role's group and give it exactly its permissions (as they exist in the
    database now). Safe to run any number of times."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    everything = list(
        Permission.objects.using(using).values_list("pk", "content_type__app_label", "codename")
    )
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role.name)
        group.permissions.set(
            [pk for pk, app_label, codename in everything if role.holds(f"{app_label}.{codename}")]
        )


def permissions_create(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Every installed model's permissions, created now (Django creates each app's after
    migrating it, in app order: the roles need all of them at once)."""
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)


def roles_after_migrate(sender, *, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: the roles again, with the permissions of models added since."""
    permissions_create(using=using)
    roles_apply(using=using)


def role_group(role: Role):
    """The group of ``role``, applied first if migrate has not made it (a test database
    flushed since, say)."""
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=role.name).first()
    if group is None:
        permissions_create()
        roles_apply()
        group = Group.objects.get(name=role.name)
    return group
