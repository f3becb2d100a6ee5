"""The admin's navigation: the committee site builds the same app list as Django's own,
with its URLs reversed once, and a person's apps are those of their permissions."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory, override_settings
from django.utils import translation

from mentoring.backends import ModelBackendInOneQuery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _people():
    editor = UserFactory(is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["change_newsletterissue", "view_match"])
    )
    grouped = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="reviewers of goal sheets")
    group.permissions.set(Permission.objects.filter(codename__in=["view_goalsheet", "add_goal"]))
    grouped.groups.add(group)
    return [editor, grouped, UserFactory(is_staff=True, is_superuser=True)]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_navigation_is_the_app_list_django_builds(language):
    for person in _people():
        request = RequestFactory().get("/admin/")
        request.user = person
        with translation.override(language):
            ours = admin.site._build_app_dict(request)
            twice = admin.site._build_app_dict(request)  # the URLs from the memo
            django = admin.AdminSite._build_app_dict(admin.site, request)
            labelled = admin.site._build_app_dict(request, "matches")
            django_labelled = admin.AdminSite._build_app_dict(admin.site, request, "matches")
        assert ours == twice == django
        assert labelled == django_labelled
        assert ours, f"{person} sees some of the admin"


def test_a_person_may_open_the_apps_of_their_permissions_and_no_others():
    labels = {m._meta.app_label for m in admin.site._registry} | {"nothing_here"}
    for person in [*_people(), UserFactory(is_staff=True, is_active=False)]:
        ours, django = ModelBackendInOneQuery(), ModelBackend()
        for label in sorted(labels):
            assert ours.has_module_perms(person, label) == django.has_module_perms(person, label), (
                person,
                label,
            )
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_newsletterissue"))
    assert ModelBackendInOneQuery().has_module_perms(editor, "newsletter")
    assert not ModelBackendInOneQuery().has_module_perms(editor, "goals")


def test_a_permission_granted_later_opens_its_app_once_the_person_is_read_again():
    person = UserFactory(is_staff=True)
    backend = ModelBackendInOneQuery()
    assert not backend.has_module_perms(person, "goals")
    person.user_permissions.add(Permission.objects.get(codename="view_goalsheet"))
    del person._perm_cache  # what reading the person again does
    assert backend.has_module_perms(person, "goals")


def test_a_persons_apps_are_asked_once_and_again_when_their_permissions_are_read_again():
    person = UserFactory(is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="change_newsletterissue"))
    assert person.has_module_perms("newsletter")
    assert not person.has_module_perms("goals")
    assert not person.has_module_perms("goals")  # from the memo: the same answer

    person.user_permissions.add(Permission.objects.get(codename="view_goalsheet"))
    del person._perm_cache  # what reading the person again does
    assert person.has_module_perms("goals")
    assert UserFactory(is_staff=True, is_superuser=True).has_module_perms("anything")
    assert not UserFactory(is_staff=True, is_active=False).has_module_perms("newsletter")


def test_a_persons_permissions_answer_as_every_backend_would():
    from django.contrib.auth.models import _user_has_perm

    people = [*_people(), UserFactory(is_staff=True, is_active=False)]
    codenames = ["change_newsletterissue", "view_match", "view_goalsheet", "add_goal"]
    perms = [f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()]
    perms += ["nothing.at_all"]
    for person in people:
        for perm in perms:
            expected = person.is_active and (
                person.is_superuser or _user_has_perm(person, perm, None)
            )
            assert person.has_perm(perm) == expected, (person, perm)
    assert any(people[0].has_perm(f"{a}.{c}") for a in ("newsletter", "matches") for c in codenames)
    # A permission granted later: held once the person's permissions are read again.
    person = UserFactory(is_staff=True)
    assert not person.has_perm("goals.view_goalsheet")
    person.user_permissions.add(Permission.objects.get(codename="view_goalsheet"))
    del person._perm_cache
    assert person.has_perm("goals.view_goalsheet")


class _GrantsEverything(BaseBackend):
    """A backend answering otherwise than from a person's permissions."""

    def has_perm(self, user_obj, perm, obj=None):
        return True

    def has_module_perms(self, user_obj, app_label):
        return True


def test_a_permission_not_held_is_asked_of_a_backend_that_answers_otherwise():
    person = UserFactory(is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="change_newsletterissue"))
    assert not person.has_perm("goals.view_goalsheet")  # (the permissions read now)
    assert not person.has_module_perms("goals")
    backends = [*settings.AUTHENTICATION_BACKENDS, f"{__name__}._GrantsEverything"]
    with override_settings(AUTHENTICATION_BACKENDS=backends):
        person = type(person).objects.get(pk=person.pk)
        assert person.has_perm("newsletter.change_newsletterissue")
        assert person.has_perm("goals.view_goalsheet")
        assert person.has_module_perms("goals")


def _navigation(person, language="en", path="/admin/"):
    request = RequestFactory().get(path)
    request.user = type(person).objects.get(pk=person.pk)  # read again, as each request does
    with translation.override(language):
        return request, admin.site.get_app_list(request)


def test_people_with_the_same_permissions_share_one_navigation_and_others_have_their_own():
    editor, grouped, superuser = _people()
    colleague = UserFactory(is_staff=True)
    colleague.user_permissions.set(editor.user_permissions.all())
    assert _navigation(editor)[1] is _navigation(colleague)[1]
    assert _navigation(editor)[1] is not _navigation(editor, "es")[1]
    assert _navigation(editor)[1] is not _navigation(grouped)[1]
    assert _navigation(superuser)[1] is not _navigation(editor)[1]
    # A permission granted later: the person's navigation shows its model.
    before = _navigation(colleague)[1]
    colleague.user_permissions.add(Permission.objects.get(codename="view_goalsheet"))
    after = _navigation(colleague)[1]
    assert after is not before
    assert _names(after) - _names(before) == {"GoalSheet"}


def _names(navigation) -> set[str]:
    return {model["object_name"] for app in navigation for model in app["models"]}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_shared_navigation_is_drawn_as_a_list_of_its_own_would_be(language):
    from mentoring.templatetags.lean_admin import lean_app_list

    for person in _people():
        for path in ["/admin/", "/admin/matches/match/", "/admin/goals/", "/admin/mentoring/user/"]:
            request, navigation = _navigation(person, language, path)
            with translation.override(language):
                for changelinks in (False, True):
                    shared = {"app_list": navigation, "request": request}
                    own = {"app_list": list(navigation), "request": request}
                    shared["show_changelinks"] = own["show_changelinks"] = changelinks
                    drawn = lean_app_list(shared)
                    assert drawn == lean_app_list(shared) == lean_app_list(own)
                    if path == "/admin/matches/match/" and "matches-match" in drawn:
                        assert 'class="model-match current-model"' in drawn
