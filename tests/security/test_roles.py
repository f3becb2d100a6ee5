"""The roles come from mentoring/roles.py, every permission is classified, and migrate
keeps the groups exactly as the code says."""

from __future__ import annotations

import importlib
from fnmatch import fnmatchcase
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection

from mentoring.roles import (
    ADMINISTRATOR,
    COORDINATOR,
    NOBODYS,
    REVIEWER,
    ROLES,
    roles_after_migrate,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _all_permissions() -> list[str]:
    return [
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    ]


def test_every_permission_belongs_to_a_role_or_is_nobodys_with_a_reason():
    unclassified = [
        permission
        for permission in _all_permissions()
        if not any(role.holds(permission) for role in ROLES)
        and not any(fnmatchcase(permission, pattern) for pattern in NOBODYS)
    ]
    assert unclassified == [], "grant these in mentoring/roles.py or say why in NOBODYS"
    assert all(NOBODYS.values())


def test_each_roles_group_holds_exactly_its_permissions():
    for role in ROLES:
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role.name).permissions.select_related("content_type")
        }
        assert held == {p for p in _all_permissions() if role.holds(p)}, role.name


def test_the_reviewer_holds_two_permissions_and_no_decision():
    assert {p for p in _all_permissions() if REVIEWER.holds(p)} == {
        "applications.view_application",
        "applications.review_application",
    }


@pytest.mark.parametrize(
    "permission",
    [
        "applications.change_application",  # decisions
        "applications.view_funding_identity",
        "mentoring.anonymise_cycle",
        "mentoring.delete_cycle",
        "applications.delete_application",
    ],
)
def test_the_demo_reviewer_of_the_audit_could_and_a_reviewer_cannot(permission):
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWER.name))

    assert not reviewer.has_perm(permission)


def test_the_coordinator_runs_the_year_and_the_administrator_looks_after_people():
    for permission in [
        "applications.change_application",
        "matches.change_match",
        "newsletter.change_newsletterissue",
        "evaluation.view_survey_results",
        "goals.change_goalsheet",
        "certificates.change_certificate",
        "newsletter.send_groupmessage",
    ]:
        assert COORDINATOR.holds(permission) and not ADMINISTRATOR.holds(permission)
    for permission in [
        "mentoring.change_user",
        "mentoring.anonymise_cycle",
        "django_celery_beat.change_periodictask",
    ]:
        assert ADMINISTRATOR.holds(permission) and not COORDINATOR.holds(permission)


def test_migrate_puts_back_a_permission_edited_away_and_adds_a_new_ones():
    group = Group.objects.get(name=COORDINATOR.name)
    group.permissions.remove(Permission.objects.get(codename="change_match"))
    group.permissions.add(Permission.objects.get(codename="change_user"))

    roles_after_migrate(sender=apps.get_app_config("mentoring"))

    assert group.permissions.filter(codename="change_match").exists()
    assert not group.permissions.filter(codename="change_user").exists()


def test_the_migration_makes_the_old_all_permission_groups_members_coordinators():
    legacy = Group.objects.create(name="Committee staff")
    legacy.permissions.set(Permission.objects.all())
    member = UserFactory(is_staff=True)
    member.groups.add(legacy)
    migration = importlib.import_module("portal.migrations.0001_roles")

    migration.apply_roles(apps, SimpleNamespace(connection=connection))

    assert not Group.objects.filter(name="Committee staff").exists()
    assert list(member.groups.values_list("name", flat=True)) == [COORDINATOR.name]
    assert not member.has_perm("mentoring.anonymise_cycle")


def test_an_administrator_gives_roles_but_makes_no_superuser(client):
    from mentoring.roles import role_group
    from tests.factories import role_user

    administrator = role_user(ADMINISTRATOR)
    person = UserFactory(is_staff=True)
    client.force_login(administrator)

    page = client.get(f"/admin/mentoring/user/{person.pk}/change/").content.decode()

    assert 'name="groups"' in page
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert role_group(REVIEWER).name in page


def test_only_the_coordinator_writes_to_a_group_of_participants():
    holders = [role.name for role in ROLES if role.holds("newsletter.send_groupmessage")]

    assert holders == [COORDINATOR.name]
