"""The accessibility sweep's pages: for each URL name of the site outside Django's admin,
the visits the sweep makes (as the person who uses the page, on the shared world's
objects: tests/world), or the reason it makes none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page

from tests.factories.core import PASSWORD
from tests.site_urls import site_urls
from tests.world import build_world, path

from .conftest import by_label

# URL names the sweep does not visit, and why. Everything else must be visited.
EXCLUDED = {
    "healthz": "JSON for the load balancer's health check, not a page",
    "program_calendar": "an iCalendar feed (text/calendar) for calendar apps, not a page",
    "cycle_calendar": "an iCalendar feed (text/calendar) for calendar apps, not a page",
    "applications:reopen": "POST only: reopens a withdrawn application, then shows its edit "
    "page (swept)",
    "goals:withdraw": "POST only: takes the submitted sheet back, then shows the edit page (swept)",
    "goals:add_goal": "POST only: the edit page with a goal added (swept through its button)",
    "goals:save_draft": "POST only: saves, then shows the goal sheet (swept)",
    "goals:save_and_submit": "POST only: saves and submits, then shows the goal sheet (swept)",
    "activities:log_entry_mark_done": "POST only: marks an entry done, then shows the log (swept)",
    "my_data_download": "POST only: the person's data as a JSON file, not a page",
    "certificates:download": "a PDF file, not a page (its text is read back in tests/certificates)",
    "account_confirm_login_code": "sign-in by emailed code is off on this site: the page "
    "only redirects",
    "mfa_download_recovery_codes": "the recovery codes as a text file, not a page",
    "account_confirm_reauthentication_code": "redirects to the page that emails the code "
    "(swept) until a code was sent",
    "set_language": "POST only: the header's language switcher, which sends the person back "
    "to the page (swept in both languages; used in tests/browser/test_spanish.py)",
    "javascript_catalog": "the JavaScript catalogue, a script every swept page loads",
}


@dataclass(frozen=True)
class Visit:
    name: str  # the URL name, as the URL conf has it
    who: str  # who is signed in (a key of the world's people), or "anonymous"
    path: str
    then: Callable[[Page], None] | None = None  # a step after loading (submitting a form)
    phone_axe: bool = False  # also run axe at phone width (the forms people fill on phones)
    note: str = ""


def url_names() -> set[str]:
    """Every named URL of the site outside Django's admin."""
    return {u.name for u in site_urls(skipped_prefixes=("admin/",)) if u.url_name}


def press_button(*names: str) -> Callable[[Page], None]:
    """A step that submits a form with each of these buttons in turn, waiting each time
    for the page that answers."""

    def step(page: Page) -> None:
        for name in names:
            with page.expect_navigation():
                page.get_by_role("button", name=shown(name), exact=True).first.click()

    return step


def world() -> tuple[dict, list[Visit]]:
    """The shared world (tests/world), and the pages each of its people sees: on the
    object the world's URL table names, or on another to see the page in another state."""
    w = build_world()
    w.add_unfinished_goal()  # the draft's edit page with errors, its submit page's list
    people = {
        "guarded": w.guarded,
        "maya": w.maya,
        "rosa": w.rosa,
        "owner": w.owner,  # the mentee of the draft goal sheet
        "ana": w.ana,
        "newcomer": w.newcomer,
        "no_password": w.no_password,
    }
    agreed, submitted, draft, concluded = w.agreed, w.submitted, w.draft, w.concluded
    ana_draft, ana_submitted, newcomer = w.ana_draft, w.ana_submitted, w.newcomer
    reset_key = default_token_generator.make_token(newcomer)

    def at(name: str) -> str:
        return path(w, name)

    visits = [
        # The public pages.
        Visit("home", "anonymous", "/"),
        Visit("program_detail", "anonymous", at("program_detail")),
        Visit("timeline", "anonymous", "/timeline/"),
        Visit("program_timeline", "anonymous", at("program_timeline")),
        Visit("cycle_timeline", "anonymous", at("cycle_timeline")),
        Visit("activities:catalog", "anonymous", "/activities/"),
        Visit("activities:activity_detail", "anonymous", at("activities:activity_detail")),
        Visit("activities:reading_list", "anonymous", "/reading-list/"),
        Visit(
            "newsletter:unsubscribe",
            "anonymous",
            at("newsletter:unsubscribe"),
        ),
        Visit(
            "newsletter:unsubscribe",
            "anonymous",
            at("newsletter:unsubscribe"),
            then=press_button("Unsubscribe"),
            note="unsubscribed",
        ),
        Visit(
            "newsletter:resubscribe",
            "anonymous",
            at("newsletter:unsubscribe"),
            then=press_button("Unsubscribe", "Subscribe again"),
        ),
        # The account pages the site shows.
        Visit("account_login", "anonymous", "/accounts/login/"),
        Visit(
            "account_login",
            "anonymous",
            "/accounts/login/",
            then=press_button("Sign In"),
            note="with errors",
        ),
        Visit("account_signup", "anonymous", "/accounts/signup/"),
        Visit(
            "account_signup",
            "anonymous",
            "/accounts/signup/",
            then=press_button("Sign Up"),
            note="with errors",
        ),
        Visit("account_reset_password", "anonymous", "/accounts/password/reset/"),
        Visit("account_reset_password_done", "anonymous", "/accounts/password/reset/done/"),
        Visit(
            "account_reset_password_from_key",
            "anonymous",
            reverse(
                "account_reset_password_from_key",
                kwargs={"uidb36": user_pk_to_url_str(newcomer), "key": reset_key},
            ),
        ),
        Visit(
            "account_reset_password_from_key_done",
            "anonymous",
            "/accounts/password/reset/key/done/",
        ),
        Visit("account_email_verification_sent", "anonymous", "/accounts/confirm-email/"),
        Visit(
            "account_confirm_email",
            "anonymous",
            reverse(
                "account_confirm_email", args=[EmailConfirmationHMAC(w.unverified_address).key]
            ),
        ),
        Visit("account_inactive", "anonymous", "/accounts/inactive/"),
        Visit("account_logout", "maya", "/accounts/logout/"),
        Visit("account_email", "maya", "/accounts/email/"),
        Visit("account_change_password", "maya", "/accounts/password/change/"),
        Visit("account_reauthenticate", "maya", "/accounts/reauthenticate/"),
        Visit(
            "account_request_reauthentication_code",
            "maya",
            "/accounts/reauthenticate/code/",
        ),
        Visit("account_set_password", "no_password", "/accounts/password/set/"),
        # Applying.
        Visit("my_mentoring", "newcomer", "/my/"),
        Visit(
            "applications:apply",
            "newcomer",
            reverse("applications:apply", args=[w.program.slug, "mentee"]),
            phone_axe=True,
        ),
        Visit(
            "applications:apply",
            "newcomer",
            at("applications:apply"),
            then=press_button("Submit application"),
            phone_axe=True,
            note="with errors",
        ),
        Visit(
            "applications:apply",
            "ana",
            reverse("applications:apply", args=[w.other_program.slug, "mentee"]),
            note="applications closed",
        ),
        Visit("my_mentoring", "ana", "/my/"),
        Visit("applications:mine", "ana", "/applications/"),
        Visit("applications:edit", "ana", f"/applications/{ana_draft.pk}/edit/", phone_axe=True),
        Visit("applications:detail", "ana", f"/applications/{ana_submitted.pk}/"),
        Visit("applications:submitted", "ana", f"/applications/{ana_submitted.pk}/submitted/"),
        Visit("applications:withdraw", "ana", f"/applications/{ana_submitted.pk}/withdraw/"),
        # The mentee of an agreed goal sheet, her activity log, newsletter and surveys.
        Visit("my_mentoring", "maya", "/my/"),
        Visit("matches:mine", "maya", "/matches/"),
        Visit("matches:detail", "maya", f"/matches/{agreed.pk}/"),
        Visit("matches:meeting_record", "maya", f"/matches/{agreed.pk}/meetings/new/"),
        Visit("matches:help", "maya", f"/matches/{agreed.pk}/help/"),
        Visit("matches:preferences", "maya", f"/preferences/{agreed.mentee.pk}/"),
        Visit(
            "matches:preferences",
            "rosa",
            f"/preferences/{agreed.mentor.pk}/",
            note="a mentor's listing and conflicts",
        ),
        Visit(
            "matches:help",
            "maya",
            f"/matches/{agreed.pk}/help/",
            then=press_button("Send to the committee"),
            note="with errors",
        ),
        Visit(
            "matches:meeting_record",
            "maya",
            f"/matches/{agreed.pk}/meetings/new/",
            then=press_button("Record the meeting"),
            note="with errors",
        ),
        Visit("goals:mine", "maya", "/goal-sheets/"),
        Visit("goals:sheet", "maya", f"/matches/{agreed.pk}/goals/", phone_axe=True),
        Visit("goals:check_in", "maya", at("goals:check_in")),
        Visit("goals:reopen", "maya", at("goals:reopen")),
        Visit("goals:revisions", "maya", at("goals:revisions")),
        Visit("goals:revision", "maya", at("goals:revision")),
        Visit("goals:print", "maya", at("goals:print")),
        Visit("goals:outcomes", "maya", f"/matches/{concluded.pk}/goals/outcomes/"),
        Visit("goals:sheet", "maya", f"/matches/{concluded.pk}/goals/", note="concluded"),
        Visit("activities:log", "maya", f"/matches/{agreed.pk}/activities/"),
        Visit("activities:log_entry_create", "maya", f"/matches/{agreed.pk}/activities/new/"),
        Visit(
            "activities:log_entry_create",
            "maya",
            f"/matches/{agreed.pk}/activities/new/",
            then=press_button("Add to the log"),
            note="with errors",
        ),
        Visit(
            "activities:log_entry_edit",
            "maya",
            f"/matches/{agreed.pk}/activities/{w.done.pk}/edit/",
        ),
        Visit(
            "activities:log_entry_delete",
            "maya",
            f"/matches/{agreed.pk}/activities/{w.done.pk}/delete/",
        ),
        Visit(
            "activities:activity_detail", "maya", at("activities:activity_detail"), note="partner"
        ),
        Visit("newsletter:archive", "maya", "/newsletters/"),
        Visit("certificates:verify", "anonymous", at("certificates:verify")),
        Visit("newsletter:issue", "maya", at("newsletter:issue")),
        Visit("newsletter:preferences", "maya", "/my/email/"),
        Visit("evaluation:mine", "maya", "/surveys/"),
        Visit("evaluation:answer", "maya", w.waiting.get_absolute_url()),
        Visit(
            "evaluation:answer",
            "maya",
            w.waiting.get_absolute_url(),
            then=press_button("Send my answers"),
            note="with errors",
        ),
        Visit("evaluation:thanks", "maya", f"/surveys/{w.answered.token}/thanks/"),
        Visit("my_data", "maya", "/my/data/"),
        Visit("my_account_delete", "maya", "/my/delete/"),
        Visit(
            "my_account_delete",
            "maya",
            "/my/delete/",
            then=press_button("Delete my account"),
            note="with errors",
        ),
        Visit("my_account_deleted", "anonymous", "/account-deleted/"),
        # The mentor: a submitted sheet to review; the mentee of a draft.
        Visit("my_mentoring", "rosa", "/my/"),
        Visit("matches:mine", "rosa", "/matches/", note="several matches"),
        Visit("goals:sheet", "rosa", f"/matches/{submitted.pk}/goals/", note="submitted"),
        Visit("goals:review", "rosa", at("goals:review")),
        Visit("goals:sheet", "owner", at("goals:sheet"), note="draft"),
        Visit("goals:edit", "owner", at("goals:edit"), phone_axe=True),
        Visit(
            "goals:edit",
            "owner",
            f"/matches/{draft.pk}/goals/edit/?check=1",
            phone_axe=True,
            note="with errors",
        ),
        Visit("goals:submit", "owner", at("goals:submit")),
        # Two factors: turning them on (the password asked again first), and managing them.
        Visit("mfa_index", "maya", "/accounts/2fa/"),
        Visit(
            "mfa_activate_totp",
            "newcomer",
            "/accounts/2fa/totp/activate/",
            then=password_again,
        ),
        Visit("mfa_index", "guarded", "/accounts/2fa/", note="turned on"),
        Visit("mfa_reauthenticate", "guarded", "/accounts/2fa/reauthenticate/"),
        Visit(
            "mfa_deactivate_totp",
            "guarded",
            "/accounts/2fa/totp/deactivate/",
            then=password_again,
        ),
        Visit("mfa_view_recovery_codes", "guarded", "/accounts/2fa/recovery-codes/"),
        Visit("mfa_generate_recovery_codes", "guarded", "/accounts/2fa/recovery-codes/generate/"),
        # Last of the visitor's pages: the sign-in's second step leaves a sign-in pending.
        Visit("mfa_authenticate", "anonymous", "/accounts/login/", then=password_of(w.guarded)),
    ]
    return people, visits


def shown(text: str) -> str:
    """A label or a button's name as the page shows it in the sweep's language (the test
    runs the sweep with that language active)."""
    return translation.gettext(text)


def password_again(page: Page) -> None:
    """allauth asks for the password again before two factors change."""
    by_label(page, shown("Password")).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=shown("Confirm")).click()


def password_of(person) -> Callable[[Page], None]:
    """The sign-in's first step, as ``person``."""

    def step(page: Page) -> None:
        by_label(page, shown("Email")).fill(person.email)
        by_label(page, shown("Password")).fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name=shown("Sign In")).click()

    return step
