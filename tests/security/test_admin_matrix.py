"""The admin's permission matrix: every admin page, action and page of its own × the three
roles (mentoring/roles.py), generated from the admin's registry.

``MODELS`` says, model by model, what each role may do there (v: see the list and the
page, a: add, c: change, d: delete); ``ACTIONS`` which actions each role is offered;
``PAGES`` what each role gets on the admin's own pages (the board, previews, results...).
A model, action or page the registry has and a table does not fails the test, so a new
admin page cannot go without saying who may open it. Each cell is checked both through
the ModelAdmin's permission methods and by the page itself (200 or 403).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from mentoring.models import User
from mentoring.roles import ADMINISTRATOR, COORDINATOR, REVIEWER
from newsletter.group_messages import group_message_draft
from tests.factories import (
    ActivityLogEntryFactory,
    ConferenceFactory,
    EventFactory,
    NewsletterIssueFactory,
    role_user,
)
from tests.world import build_world


class By(NamedTuple):
    reviewer: object
    coordinator: object
    administrator: object


ROLES = {"reviewer": REVIEWER, "coordinator": COORDINATOR, "administrator": ADMINISTRATOR}
_ = ""
RUN = "vacd"  # the whole of a table: see, add, change, delete

MODELS: dict[str, By] = {
    # People and roles: the administrator's. Roles are code: groups are only read.
    "mentoring.user": By(_, _, RUN),
    "auth.group": By(_, _, "v"),
    "account.emailaddress": By(_, _, RUN),
    # A person's second factors: the administrator removes a lost authenticator.
    "mfa.authenticator": By(_, _, RUN),
    # The program and its years: the coordinator runs them; deleting a program or a
    # cycle (and its people's records) and anonymising are the administrator's.
    "mentoring.program": By(_, "vac", "vd"),
    "mentoring.cycle": By(_, "vac", "vd"),
    "mentoring.milestone": By(_, RUN, _),
    "mentoring.event": By(_, RUN, _),
    # The machinery: the administrator's.
    "mentoring.delivery": By(_, _, "v"),
    "sites.site": By(_, _, RUN),
    "django_celery_beat.periodictask": By(_, _, RUN),
    "django_celery_beat.clockedschedule": By(_, _, RUN),
    "django_celery_beat.crontabschedule": By(_, _, RUN),
    "django_celery_beat.solarschedule": By(_, _, RUN),
    "django_celery_beat.intervalschedule": By(_, _, RUN),
    # Applications: a reviewer reads and scores (the change form holds only their
    # review); the coordinator decides. Nobody adds or deletes one (applicants do).
    "applications.application": By("vc", "vc", _),
    "applications.interest": By(_, RUN, _),
    "applications.conference": By(_, RUN, _),
    # The year's work: the coordinator's.
    "matches.match": By(_, "vac", _),
    "matches.matchingweights": By(_, RUN, _),
    "matches.neverpair": By(_, RUN, _),
    "matches.matchingrun": By(_, "vd", _),
    "matches.meeting": By(_, "vd", _),  # the partners record them; read, or removed
    "matches.helprequest": By(_, "vc", _),
    "matches.pairingwish": By(_, "vd", _),
    "matches.directorylisting": By(_, "vcd", _),
    "goals.goalsheet": By(_, "vc", _),
    "goals.examplegoal": By(_, RUN, _),
    "goals.checkin": By(_, "v", _),
    "activities.category": By(_, RUN, _),
    "activities.activity": By(_, RUN, _),
    "activities.resource": By(_, RUN, _),
    "activities.activitylogentry": By(_, "vd", _),
    "newsletter.newsletterissue": By(_, RUN, _),
    "newsletter.sentreminder": By(_, "v", _),
    "newsletter.emailpreference": By(_, "vd", "vd"),
    # Messages to a group start from a list's action (no add); a draft is edited or
    # deleted, a sent one only read. Sending is the coordinator's (send_groupmessage).
    "newsletter.groupmessage": By(_, "vcd", _),
    "evaluation.programhealth": By(_, "v", _),
    "evaluation.survey": By(_, RUN, _),
    "evaluation.invitation": By(_, "v", _),
    "certificates.certificate": By(_, "vc", _),
}

NONE: tuple[str, ...] = ()
ACTIONS: dict[str, By] = {
    "mentoring.user": By(NONE, NONE, ("delete_selected",)),
    "auth.group": By(NONE, NONE, NONE),
    "account.emailaddress": By(NONE, NONE, ("delete_selected", "make_verified")),
    "mfa.authenticator": By(NONE, NONE, ("delete_selected",)),
    "mentoring.program": By(NONE, NONE, ("delete_selected",)),
    "mentoring.cycle": By(NONE, ("copy_to_next_year",), ("delete_selected",)),
    "mentoring.milestone": By(NONE, ("delete_selected",), NONE),
    "mentoring.event": By(NONE, ("delete_selected",), NONE),
    "mentoring.delivery": By(NONE, NONE, ("send_again_failed",)),
    "sites.site": By(NONE, NONE, ("delete_selected",)),
    "django_celery_beat.periodictask": By(
        NONE,
        NONE,
        ("delete_selected", "disable_tasks", "enable_tasks", "run_tasks", "toggle_tasks"),
    ),
    "django_celery_beat.clockedschedule": By(NONE, NONE, ("delete_selected",)),
    "django_celery_beat.crontabschedule": By(NONE, NONE, ("delete_selected",)),
    "django_celery_beat.solarschedule": By(NONE, NONE, ("delete_selected",)),
    "django_celery_beat.intervalschedule": By(NONE, NONE, ("delete_selected",)),
    "applications.application": By(
        NONE,
        (
            "accept",
            "decline",
            "export_csv",
            "mark_under_review",
            "message_applicants",
            "send_decisions",
            "waitlist",
        ),
        NONE,
    ),
    "applications.interest": By(NONE, ("delete_selected",), NONE),
    "applications.conference": By(NONE, ("delete_selected",), NONE),
    "matches.match": By(
        NONE,
        (
            "confirm_selected",
            "discard_selected",
            "lock_selected",
            "message_partners",
            "unlock_selected",
        ),
        NONE,
    ),
    "matches.matchingweights": By(NONE, ("delete_selected",), NONE),
    "matches.neverpair": By(NONE, ("delete_selected",), NONE),
    "matches.matchingrun": By(NONE, ("delete_selected",), NONE),
    "matches.meeting": By(NONE, ("delete_selected", "export_csv"), NONE),
    "matches.helprequest": By(NONE, NONE, NONE),
    "matches.pairingwish": By(NONE, ("delete_selected",), NONE),
    "matches.directorylisting": By(NONE, ("delete_selected",), NONE),
    "goals.goalsheet": By(
        NONE,
        ("export_goals_csv", "message_mentees", "message_mentors", "return_for_revision"),
        NONE,
    ),
    "goals.examplegoal": By(NONE, ("delete_selected",), NONE),
    "goals.checkin": By(NONE, NONE, NONE),
    "activities.category": By(NONE, ("delete_selected",), NONE),
    "activities.activity": By(NONE, ("delete_selected", "publish", "unpublish"), NONE),
    "activities.resource": By(NONE, ("delete_selected",), NONE),
    "activities.activitylogentry": By(NONE, ("delete_selected",), NONE),
    "newsletter.newsletterissue": By(NONE, ("delete_selected",), NONE),
    "newsletter.sentreminder": By(NONE, NONE, NONE),
    "newsletter.groupmessage": By(NONE, ("delete_selected",), NONE),
    "newsletter.emailpreference": By(NONE, ("delete_selected",), ("delete_selected",)),
    "evaluation.programhealth": By(NONE, NONE, NONE),
    "evaluation.survey": By(
        NONE,
        ("back_to_draft", "close_selected", "delete_selected", "schedule_selected", "send_now"),
        NONE,
    ),
    "evaluation.invitation": By(NONE, NONE, NONE),
    "certificates.certificate": By(NONE, NONE, NONE),
}

OK, NO, GONE, BACK = 200, 403, 405, 302  # GONE, BACK: how a POST-only page answers a GET
ACTS = "acts"  # a POST that does its work (any answer but a refusal)


class Page(NamedTuple):
    get: By
    post: By | None = None  # for a page that acts on a POST: who may


POST_ONLY = Page(By(BACK, BACK, BACK), By(NO, ACTS, NO))  # a GET goes back to the page
PAGES: dict[str, Page] = {
    "mentoring_cycle_anonymise": Page(By(NO, NO, 302)),  # the cycle is not finished: back to it
    "mentoring_cycle_copy": Page(By(NO, OK, NO)),
    "matches_match_conclude": Page(By(NO, OK, NO)),
    "matches_match_conclude_cycle": Page(By(NO, OK, NO)),
    "matches_match_propose_index": Page(By(NO, OK, NO)),
    "matches_match_propose": Page(By(NO, OK, NO)),
    "matches_match_propose_progress": Page(By(NO, OK, NO)),
    "matches_match_dissolve": Page(By(NO, OK, NO)),
    "newsletter_newsletterissue_preview": Page(By(NO, OK, NO)),
    "newsletter_newsletterissue_preview_html": Page(By(NO, OK, NO)),
    "newsletter_newsletterissue_test": POST_ONLY,
    "newsletter_newsletterissue_schedule": Page(By(NO, OK, NO)),
    "newsletter_newsletterissue_unschedule": POST_ONLY,
    "newsletter_newsletterissue_report": Page(By(NO, OK, NO)),
    "newsletter_newsletterissue_progress": Page(By(NO, OK, NO)),
    "newsletter_newsletterissue_retry_failed": POST_ONLY,
    "newsletter_groupmessage_preview": Page(By(NO, OK, NO)),
    "newsletter_groupmessage_preview_html": Page(By(NO, OK, NO)),
    "newsletter_groupmessage_send": POST_ONLY,
    "evaluation_programhealth_health": Page(By(NO, OK, NO)),
    "evaluation_programhealth_report": Page(By(NO, OK, NO)),
    "evaluation_programhealth_report_pdf": Page(By(NO, OK, NO)),
    "evaluation_programhealth_report_csv": Page(By(NO, OK, NO)),
    "evaluation_programhealth_default_surveys": Page(By(GONE, GONE, GONE), By(NO, ACTS, NO)),
    "evaluation_survey_results": Page(By(NO, OK, NO)),
    "evaluation_survey_results_csv": Page(By(NO, OK, NO)),
    "evaluation_survey_named_csv": Page(By(NO, OK, NO)),
    "evaluation_survey_preview": Page(By(NO, OK, NO)),
}
STANDARD = ("_changelist", "_add", "_history", "_delete", "_change", "_autocomplete")

REGISTRY = {
    model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
}


def _own_pages():
    for label, model_admin in REGISTRY.items():
        for url in model_admin.get_urls():
            if url.name and not url.name.endswith(STANDARD):
                yield label, url


OWN_PAGES = list(_own_pages())


def test_every_admin_model_action_and_page_is_in_the_matrix():
    assert sorted(set(REGISTRY) - set(MODELS)) == [], "add these models to MODELS"
    assert sorted(set(MODELS) - set(REGISTRY)) == [], "these models are no longer in admin"
    assert sorted(set(REGISTRY) - set(ACTIONS)) == [], "add these models to ACTIONS"
    names = {url.name for _, url in OWN_PAGES}
    assert sorted(names - set(PAGES)) == [], "add these admin pages to PAGES"
    assert sorted(set(PAGES) - names) == [], "these admin pages are gone"


@pytest.fixture
def world(db):
    world = build_world()
    # One row of every table the world does not have already.
    ConferenceFactory(program=world.program)
    EventFactory(cycle=world.cycle)
    ActivityLogEntryFactory(match=world.agreed)
    NewsletterIssueFactory(cycle=world.cycle)
    world.group_message = group_message_draft(
        people=User.objects.filter(pk=world.agreed.mentee.applicant_id), source="a test", by=None
    )
    return world


def _people(world):
    return {
        name: role_user(role, reviews=(world.cycle,) if role is REVIEWER else ())
        for name, role in ROLES.items()
    }


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _can(model_admin, user) -> str:
    request = _request(user)
    return "".join(
        letter
        for letter, allowed in [
            ("v", model_admin.has_view_permission(request)),
            ("a", model_admin.has_add_permission(request)),
            ("c", model_admin.has_change_permission(request)),
            ("d", model_admin.has_delete_permission(request)),
        ]
        if allowed
    )


def test_each_role_may_do_what_the_matrix_says_on_each_admin_model(world):
    people = _people(world)
    got, wanted = {}, {}
    for label, model_admin in REGISTRY.items():
        for name, user in people.items():
            got[(label, name)] = _can(model_admin, user)
            wanted[(label, name)] = getattr(MODELS[label], name)
    assert {k: v for k, v in got.items() if v != wanted[k]} == {}


def test_each_role_is_offered_the_actions_the_matrix_says(world):
    people = _people(world)
    got, wanted = {}, {}
    for label, model_admin in REGISTRY.items():
        for name, user in people.items():
            request = _request(user)
            # Actions are offered on the list, which only those who may see it reach.
            offered = (
                model_admin.get_actions(request) if model_admin.has_view_permission(request) else {}
            )
            got[(label, name)] = tuple(sorted(offered))
            wanted[(label, name)] = getattr(ACTIONS[label], name)
    assert {k: v for k, v in got.items() if v != wanted[k]} == {}


def test_each_role_gets_each_admin_list_and_page_as_the_matrix_says(world):
    people = _people(world)
    problems = []
    for label, model_admin in REGISTRY.items():
        opts = model_admin.model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for name, user in people.items():
            # An object the person may see if they may see any (a reviewer: their cycle's).
            request = _request(user)
            rows = model_admin.get_queryset(
                request if model_admin.has_view_permission(request) else _request(_superuser())
            )
            obj = rows.first()
            client = Client()
            client.force_login(user)
            may = getattr(MODELS[label], name)
            status = client.get(changelist).status_code
            if status != (OK if "v" in may else NO):
                problems.append(f"{name} got {status} on {changelist}")
            if obj is not None:
                page = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                status = client.get(page, follow=True).status_code  # health: a redirect
                if status != (OK if "v" in may else NO):
                    problems.append(f"{name} got {status} on {page}")
    assert problems == []


def _superuser():
    return User(is_superuser=True, is_staff=True, is_active=True)


def _kwargs(world, label: str, url) -> dict:
    objects = {
        "mentoring.cycle": world.cycle,
        "matches.match": world.agreed,
        "newsletter.newsletterissue": world.issue,
        "newsletter.groupmessage": world.group_message,
    }
    kwargs = {}
    for key in url.pattern.converters:
        if key == "pk":
            kwargs[key] = objects[label].pk
        elif key == "cycle_id":
            kwargs[key] = world.cycle.pk
        elif key == "survey_id":
            kwargs[key] = world.invitation.survey_id
    return kwargs


@pytest.mark.parametrize("label,url", OWN_PAGES, ids=[url.name for _, url in OWN_PAGES])
def test_each_role_gets_each_of_the_admins_own_pages_as_the_matrix_says(world, label, url):
    people = _people(world)
    path = reverse(f"admin:{url.name}", kwargs=_kwargs(world, label, url))
    expect = PAGES[url.name]
    got, wanted = {}, {"GET": expect.get._asdict()}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        got.setdefault("GET", {})[name] = client.get(path).status_code
        if expect.post is not None:
            status = client.post(path, {}).status_code
            got.setdefault("POST", {})[name] = ACTS if status not in (NO, 404) else status
    if expect.post is not None:
        wanted["POST"] = expect.post._asdict()
    assert got == wanted, path
