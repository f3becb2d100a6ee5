"""Every page of the site in a real browser: no WCAG 2.1 A/AA violation (axe-core), focus
that shows on every control, no Content-Security-Policy refusal or script error in the
console, and no horizontal scroll on a phone. Then the application form and the goal
sheet, from start to submission with the keyboard alone.

The sweep is generated from the URL conf: each URL name outside Django's admin is either
visited below (as the person who uses it, on real objects) or excluded with a reason, and
a new URL name nobody has placed fails the test. One browser; one context per person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import resolve, reverse
from django.utils import timezone, translation
from playwright.sync_api import Page

from applications.models import Application
from certificates.models import Certificate
from evaluation.models import Question
from goals import progress as goal_progress
from goals import services as goal_services
from goals.models import CheckIn, GoalSheet
from goals.services import GoalInput
from matches.models import DirectoryListing, HelpRequest, Match
from mentoring.models import Milestone, User
from newsletter.models import NewsletterIssue
from newsletter.richtext import markdown_to_html
from newsletter.tokens import unsubscribe_token
from tests.factories import (
    ActivityFactory,
    ActivityLogEntryFactory,
    AnswerFactory,
    ApplicationFactory,
    CycleFactory,
    EventFactory,
    ExampleGoalFactory,
    InterestFactory,
    InvitationFactory,
    MatchFactory,
    MeetingFactory,
    MilestoneFactory,
    NewsletterIssueFactory,
    ProgramFactory,
    QuestionFactory,
    ResourceFactory,
    SurveyFactory,
    UserFactory,
    agreed_sheet,
    cycle_under_way,
    seed_calendar_cycle,
    verified_user,
)
from tests.factories.core import PASSWORD
from tests.second_factor import authenticator_for
from tests.site_urls import site_urls

from .conftest import ARTIFACTS, axe_violations, by_label, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Chromium's words for a refusal: "Refused to load/execute/apply ..." in older versions,
# "... violates the following Content Security Policy directive ..." in newer ones.
CSP_REFUSAL = re.compile(r"Refused to|Content Security Policy", re.IGNORECASE)

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
    """The people and objects of a program year in full swing, and the pages each sees."""
    program = ProgramFactory(time_zone="America/Chicago", name="Library Mentoring Program")
    today = program.today()
    # A second program keeps the home page and the timeline index the list of programs.
    other = ProgramFactory(name="School Library Mentoring")
    seed_calendar_cycle(today.year - 2, program=other)

    last_year = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=560),
        applications_close_on=today - dt.timedelta(days=530),
        starts_on=today - dt.timedelta(days=500),
        ends_on=today - dt.timedelta(days=200),
        # Staff kept final outcomes open past the default month (Maya's are still due).
        outcomes_close_on=today + dt.timedelta(days=30),
    )
    cycle = CycleFactory(
        program=program,
        applications_open_on=today - dt.timedelta(days=200),
        applications_close_on=today - dt.timedelta(days=170),
        starts_on=today - dt.timedelta(days=120),
        ends_on=today + dt.timedelta(days=150),
    )
    next_cycle = CycleFactory(program=program)  # its applications are open today
    for kind, start, end in (
        (Milestone.Kind.INTRODUCTIONS, -120, -30),
        (Milestone.Kind.GOAL_WORK, -60, 120),
        (Milestone.Kind.CONCLUSION, 150, 150),
    ):
        MilestoneFactory(
            cycle=cycle,
            kind=kind,
            title=Milestone.Kind(kind).label,
            starts_on=today + dt.timedelta(days=start),
            ends_on=today + dt.timedelta(days=end),
        )
    EventFactory(cycle=cycle, title="Virtual networking session", location="Online")
    for kind, name in (("topic", "Storytime and early literacy"), ("competency", "Programming")):
        InterestFactory(program=program, kind=kind, name=name)
    ExampleGoalFactory(program=program, title="Work together to come up with 6 crafts")

    # The partners: Maya (mentee) and Rosa (mentor) with an agreed sheet; Rosa mentors two
    # more, one sheet submitted and one a draft; Maya and Rosa's match of last year is over.
    rosa = verified_user(full_name="Rosa Mendes")
    maya = verified_user(full_name="Maya Reader")
    dana = verified_user(full_name="Dana Cole")
    rosa_application = ApplicationFactory(
        cycle=cycle, applicant=rosa, mentor=True, status="accepted", mentee_capacity=3
    )
    agreed = MatchFactory(
        cycle=cycle, mentor=rosa_application, mentee__applicant=maya, mentee__preferred_name="Maya"
    )
    submitted = MatchFactory(cycle=cycle, mentor=rosa_application)
    draft = MatchFactory(cycle=cycle, mentor=rosa_application, mentee__applicant=dana)
    concluded = MatchFactory(
        cycle=last_year,
        mentor__applicant=rosa,
        mentee__applicant=maya,
        status=Match.Status.CONCLUDED,
    )
    agreed_sheet(concluded, titles=["Plan a summer reading kickoff"])
    certificate = Certificate.objects.create(match=concluded, application=concluded.mentee)

    target = cycle.ends_on - dt.timedelta(days=30)
    complete = GoalInput(
        title="Six Bookbag crafts, one a month",
        specific="Six crafts for school-age children.",
        measurable="Each written up with a materials list.",
        achievable="Monthly calls with Rosa.",
        relevant="School-age programs are most of my job.",
        target_date=target,
    )
    sheet = goal_services.goal_sheet_open(match=agreed)
    goal_services.goal_sheet_save_draft(sheet=sheet, by=maya, version=1, goals=[complete])
    goal_services.goal_sheet_submit(sheet=sheet, by=maya)
    goal_services.goal_sheet_confirm(sheet=sheet, by=rosa)
    goal = sheet.goals.current().get()
    goal_progress.check_in_add(goal=goal, by=maya, status="in_progress", note="Two done.")

    sheet = goal_services.goal_sheet_open(match=submitted)
    submitter = submitted.mentee.applicant
    goal_services.goal_sheet_save_draft(sheet=sheet, by=submitter, version=1, goals=[complete])
    goal_services.goal_sheet_submit(sheet=sheet, by=submitter)

    sheet = goal_services.goal_sheet_open(match=draft)
    goal_services.goal_sheet_save_draft(
        sheet=sheet, by=dana, version=1, goals=[GoalInput(title="Meet five colleagues")]
    )

    # The activity log, the catalog and the reading list.
    activity = ActivityFactory(
        category__program=program,
        title="Mock interview",
        resources=[ResourceFactory(title="Mentoring in libraries")],
    )
    done = ActivityLogEntryFactory(match=agreed, activity=activity, title="Mock interview")
    MeetingFactory(match=agreed, on=today, minutes=50, notes="We planned the crafts.")
    MilestoneFactory(
        cycle=cycle,
        kind=Milestone.Kind.PREFERENCES,
        title="Mentor preferences",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=5),
    )
    DirectoryListing.objects.create(mentor=rosa_application, note="Crafts and outreach.")
    HelpRequest.objects.create(
        match=agreed, asked_by=maya, role="mentee", message="We lost touch; can you help?"
    )
    ActivityLogEntryFactory(
        match=agreed, title="Visit a branch together", status="planned", on=today
    )

    # The newsletter and the surveys.
    issue = NewsletterIssueFactory(
        cycle=cycle,
        subject="Mentoring newsletter: November",
        news="### Welcome\n\nWrite to each other **this week**.",
        own_discussion_question="What made you choose children's librarianship?",
        status=NewsletterIssue.Status.SENT,
        send_at=timezone.now(),
    )
    issue.news_html = markdown_to_html(issue.news)
    issue.save()
    issue.featured_activities.set([activity])
    survey = SurveyFactory(cycle=cycle, title="Mid-year pulse")
    QuestionFactory(survey=survey, text="The program helps me grow.")
    QuestionFactory(survey=survey, kind=Question.Kind.CHOICE, text="How often do you meet?")
    QuestionFactory(survey=survey, kind=Question.Kind.TEXT, text="Anything else?")
    waiting = InvitationFactory(survey=survey, person=maya)
    answered = InvitationFactory(
        survey=SurveyFactory(cycle=cycle, title="Goal setting check"),
        person=maya,
        answered_at=timezone.now(),
    )
    AnswerFactory(invitation=answered, question__text="Setting goals was easy.")

    # Applicants: one with a draft and a submitted application, one new.
    ana = verified_user(full_name="Ana Lima")
    ana_draft = ApplicationFactory(
        cycle=next_cycle, applicant=ana, status="draft", submitted_at=None, hopes=""
    )
    ana_submitted = ApplicationFactory(cycle=next_cycle, applicant=ana, mentor=True)
    newcomer = verified_user(full_name="Sam Newcomer")
    no_password = verified_user(full_name="Lee Social")
    no_password.set_unusable_password()
    no_password.save()
    unverified = UserFactory()
    address = EmailAddress.objects.create(user=unverified, email=unverified.email)

    # A participant who turned two factors on (an authenticator app, recovery codes).
    guarded = verified_user(full_name="Gail Guarded")
    authenticator_for(guarded)
    RecoveryCodes.activate(guarded)

    people = {
        "guarded": guarded,
        "maya": maya,
        "rosa": rosa,
        "dana": dana,
        "ana": ana,
        "newcomer": newcomer,
        "no_password": no_password,
    }
    p, c = program.slug, cycle
    reset_key = default_token_generator.make_token(newcomer)
    token = unsubscribe_token(maya.pk, "newsletter")
    visits = [
        # The public pages.
        Visit("home", "anonymous", "/"),
        Visit("program_detail", "anonymous", f"/programs/{p}/"),
        Visit("timeline", "anonymous", "/timeline/"),
        Visit("program_timeline", "anonymous", f"/programs/{p}/timeline/"),
        Visit("cycle_timeline", "anonymous", f"/programs/{p}/cycles/{c.slug}/"),
        Visit("activities:catalog", "anonymous", "/activities/"),
        Visit("activities:activity_detail", "anonymous", activity.get_absolute_url()),
        Visit("activities:reading_list", "anonymous", "/reading-list/"),
        Visit(
            "newsletter:unsubscribe",
            "anonymous",
            reverse("newsletter:unsubscribe", args=[token]),
        ),
        Visit(
            "newsletter:unsubscribe",
            "anonymous",
            reverse("newsletter:unsubscribe", args=[token]),
            then=press_button("Unsubscribe"),
            note="unsubscribed",
        ),
        Visit(
            "newsletter:resubscribe",
            "anonymous",
            reverse("newsletter:unsubscribe", args=[token]),
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
            reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]),
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
            f"/programs/{p}/apply/mentee/",
            phone_axe=True,
        ),
        Visit(
            "applications:apply",
            "newcomer",
            f"/programs/{p}/apply/mentor/",
            then=press_button("Submit application"),
            phone_axe=True,
            note="with errors",
        ),
        Visit(
            "applications:apply",
            "ana",
            f"/programs/{other.slug}/apply/mentee/",
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
            f"/preferences/{rosa_application.pk}/",
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
        Visit("goals:check_in", "maya", f"/matches/{agreed.pk}/goals/{goal.pk}/check-in/"),
        Visit("goals:reopen", "maya", f"/matches/{agreed.pk}/goals/reopen/"),
        Visit("goals:revisions", "maya", f"/matches/{agreed.pk}/goals/revisions/"),
        Visit("goals:revision", "maya", f"/matches/{agreed.pk}/goals/revisions/1/"),
        Visit("goals:print", "maya", f"/matches/{agreed.pk}/goals/print/"),
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
            f"/matches/{agreed.pk}/activities/{done.pk}/edit/",
        ),
        Visit(
            "activities:log_entry_delete",
            "maya",
            f"/matches/{agreed.pk}/activities/{done.pk}/delete/",
        ),
        Visit("activities:activity_detail", "maya", activity.get_absolute_url(), note="partner"),
        Visit("newsletter:archive", "maya", "/newsletters/"),
        Visit("certificates:verify", "anonymous", certificate.get_absolute_url()),
        Visit("newsletter:issue", "maya", f"/newsletters/{issue.pk}/"),
        Visit("newsletter:preferences", "maya", "/my/email/"),
        Visit("evaluation:mine", "maya", "/surveys/"),
        Visit("evaluation:answer", "maya", waiting.get_absolute_url()),
        Visit(
            "evaluation:answer",
            "maya",
            waiting.get_absolute_url(),
            then=press_button("Send my answers"),
            note="with errors",
        ),
        Visit("evaluation:thanks", "maya", f"/surveys/{answered.token}/thanks/"),
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
        Visit("goals:review", "rosa", f"/matches/{submitted.pk}/goals/review/"),
        Visit("goals:sheet", "dana", f"/matches/{draft.pk}/goals/", note="draft"),
        Visit("goals:edit", "dana", f"/matches/{draft.pk}/goals/edit/", phone_axe=True),
        Visit(
            "goals:edit",
            "dana",
            f"/matches/{draft.pk}/goals/edit/?check=1",
            phone_axe=True,
            note="with errors",
        ),
        Visit("goals:submit", "dana", f"/matches/{draft.pk}/goals/submit/"),
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
        Visit("mfa_authenticate", "anonymous", "/accounts/login/", then=password_of(guarded)),
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


def reflows(page: Page) -> bool:
    """No horizontal scrolling (WCAG 1.4.10): the page is no wider than the window."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


# Every control a keyboard reaches, focused in turn (after a Tab, so the browser shows
# focus as it does for the keyboard): the ones whose focus does not show, and any
# tabindex above 0 (which would take the Tab order away from the document's order).
FOCUS_EVERYWHERE = """
() => {
  const look = (e) => {
    const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" ");
  };
  const reachable = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"
  )].filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length
    && getComputedStyle(el).visibility !== "hidden");
  const problems = reachable.filter((el) => el.tabIndex > 0)
    .map((el) => `tabindex ${el.tabIndex} on ${el.outerHTML.slice(0, 80)}`);
  for (const el of reachable) {
    el.focus();
    if (document.activeElement !== el) continue;
    const twin = el.cloneNode(false);
    twin.removeAttribute("id");
    twin.removeAttribute("name");
    twin.setAttribute("tabindex", "-1");
    el.after(twin);
    const hidden = look(el) === look(twin);
    twin.remove();
    if (hidden) problems.push(`no visible focus on ${el.outerHTML.slice(0, 100)}`);
  }
  document.activeElement.blur();
  window.scrollTo(0, 0);
  return problems;
}
"""


def describe(violations: list[dict]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:4])
        for v in violations
    )


# Every page in each of the site's languages, with its lang attribute saying which.
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_is_accessible_and_keeps_to_the_security_policy(browser, live_server, language):
    people, visits = world()
    # A signed-in person reads their account's language; a visitor, their browser's.
    User.objects.update(language=language)
    visited = {visit.name for visit in visits}
    names = url_names()
    assert not (names - visited - EXCLUDED.keys()), (
        "URL names neither swept nor excluded with a reason: "
        f"{sorted(names - visited - EXCLUDED.keys())}"
    )
    assert not (visited | EXCLUDED.keys()) - names, "swept or excluded names the site lacks"
    assert not visited & EXCLUDED.keys(), "a name both swept and excluded"

    contexts: dict[str, tuple] = {}
    problems: list[str] = []
    # Buttons and labels the steps press are found by their words in this language.
    translation.activate(language)
    try:
        for visit in visits:
            if visit.who not in contexts:
                context = browser.new_context(
                    base_url=live_server.url, viewport=DESKTOP, locale=language
                )
                context.set_default_timeout(10_000)
                if visit.who != "anonymous":
                    sign_in(context, live_server, people[visit.who])
                page = context.new_page()
                console: list[str] = []
                # The browser reports each refusal of the Content-Security-Policy in the
                # console; script errors as page errors.
                page.on(
                    "console",
                    lambda message, console=console: (
                        CSP_REFUSAL.search(message.text) and console.append(message.text)
                    ),
                )
                page.on("pageerror", lambda error, console=console: console.append(str(error)))
                contexts[visit.who] = (context, page, console)
            context, page, console = contexts[visit.who]
            label = f"{visit.name} as {visit.who}" + (f" ({visit.note})" if visit.note else "")
            found = check_page(page, console, visit, language)
            if found:
                problems.append(f"{label} at {page.url}:\n    " + "\n    ".join(found))
                ARTIFACTS.mkdir(exist_ok=True)
                name = re.sub(r"[^\w.-]+", "_", f"{language}-{label}")
                page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"), full_page=True)
                (ARTIFACTS / f"a11y-{name}.html").write_text(page.content())
    finally:
        translation.activate("en")
        for context, _, _ in contexts.values():
            context.close()
    assert not problems, f"{len(problems)} pages with problems:\n" + "\n".join(problems)


def check_page(page: Page, console: list[str], visit: Visit, language: str = "en") -> list[str]:
    """What is wrong with the visit's page: the list is empty when all is well."""
    console.clear()
    page.set_viewport_size(DESKTOP)
    response = page.goto(visit.path)
    found = []
    if visit.then is None and not response.ok:
        found.append(f"status {response.status}")
    if visit.then is not None:
        visit.then(page)
    landed = resolve(urlsplit(page.url).path)
    if landed.view_name != visit.name:
        found.append(f"landed on {landed.view_name}, not {visit.name}")
    if (lang := page.evaluate("document.documentElement.lang")) != language:
        found.append(f"<html lang={lang!r}>, not {language!r}")
    if page.locator("h1").count() != 1:
        found.append(f"{page.locator('h1').count()} h1 headings")
    found += [f"console: {text[:200]}" for text in console]
    page.keyboard.press("Tab")
    found += page.evaluate(FOCUS_EVERYWHERE)
    if violations := axe_violations(page):
        found.append("axe at desktop width: " + describe(violations))
    page.set_viewport_size(PHONE)
    if not reflows(page):
        width = page.evaluate("document.documentElement.scrollWidth")
        found.append(
            f"scrolls sideways at {PHONE['width']}px: {width}px wide, past the edge: "
            + "; ".join(page.evaluate(PAST_THE_EDGE, PHONE["width"]))
        )
    if visit.phone_axe and (violations := axe_violations(page)):
        found.append("axe at phone width: " + describe(violations))
    page.set_viewport_size(DESKTOP)
    return found


# The innermost elements whose right edge is past the viewport's: what to fix when a
# page scrolls sideways.
PAST_THE_EDGE = """(width) => {
  const past = [...document.body.querySelectorAll("*")].filter(
    (e) => e.getBoundingClientRect().right > width + 0.5 && e.getBoundingClientRect().width > 0
  );
  return past
    .filter((e) => !past.some((other) => other !== e && e.contains(other)))
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} “${e.textContent.trim().slice(0, 50)}”`);
}"""


# --- Keyboard only --------------------------------------------------------------------------

# What the keyboard run knows about the element in focus, measured in the page: where it
# is, whether it follows the previous stop in the document, and whether its focus shows.
FOCUS_STOP = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = (e) => {
    const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" ");
  };
  const focused = look(el);
  // The same element unfocused: a clone in the same place in the tree, never focused.
  const twin = el.cloneNode(false);
  twin.removeAttribute("id");
  twin.removeAttribute("name");
  twin.setAttribute("tabindex", "-1");
  twin.setAttribute("aria-hidden", "true");
  el.after(twin);
  const unfocused = look(twin);
  twin.remove();
  const box = el.getBoundingClientRect();
  const previous = window.__lastStop;
  window.__lastStop = el;
  const text = el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText || el.value;
  const label = (text || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  return {
    what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} “${label}”`,
    top: box.top + window.scrollY, bottom: box.bottom + window.scrollY,
    left: box.left, right: box.right, width: box.width, height: box.height,
    inViewport: box.bottom > 0 && box.top < window.innerHeight,
    focusShows: focused !== unfocused,
    samePlace: previous === el,
    followsInDocument: !previous || !previous.isConnected ||
      Boolean(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
  };
}
"""


class KeyboardRun:
    """Moves through a page with Tab alone, checking every stop on the way: focus shows,
    the element is on screen, and the order is the reading order (the order of the
    document, which reads top to bottom and, across columns, left to right)."""

    TOLERANCE = 4  # px: baselines of a row's controls differ a little

    def __init__(self, page: Page):
        self.page = page
        # Bootstrap scrolls smoothly unless reduced motion is asked for; the run measures
        # where each stop is once the page has scrolled to it.
        page.emulate_media(reduced_motion="reduce")
        self.problems: list[str] = []
        self.stops = 0
        self.restart()

    def restart(self) -> None:
        """After a page load: the run starts again from the top of the new page."""
        self.seen: list[dict] = []
        self.page.evaluate("() => { window.__lastStop = document.activeElement; }")

    def tab(self, *, shift: bool = False) -> dict:
        self.page.keyboard.press("Shift+Tab" if shift else "Tab")
        stop = self.page.evaluate(FOCUS_STOP)
        assert stop is not None, "Tab left the page"
        if stop["samePlace"]:
            # Between the parts of one native control (a date field's day, month, year and
            # calendar button): the browser draws those focus rings itself.
            return stop
        self.stops += 1
        if not stop["focusShows"]:
            self.problems.append(f"no visible focus on {stop['what']}")
        if not stop["inViewport"] or not stop["width"] or not stop["height"]:
            self.problems.append(f"focused but not on screen: {stop['what']}")
        if not shift:
            self._check_order(stop)
            self.seen.append(stop)
        return stop

    def _check_order(self, stop: dict) -> None:
        if not stop["followsInDocument"]:
            self.problems.append(f"Tab went back in the document to {stop['what']}")
        if not self.seen:
            return
        last = self.seen[-1]
        up = stop["top"] < last["top"] - self.TOLERANCE
        moves_right = stop["left"] >= last["right"] - self.TOLERANCE
        moves_left = stop["right"] <= last["left"] + self.TOLERANCE
        below_all = stop["top"] >= max(s["bottom"] for s in self.seen) - self.TOLERANCE
        # Down the page; along a row; up only into the next column on the right; back to
        # the left only on a new row, below everything before it.
        if (up and not moves_right) or (moves_left and not below_all):
            self.problems.append(
                f"Tab order leaves the reading order: from {last['what']} to {stop['what']}"
            )

    def to(self, locator, *, limit: int = 150) -> None:
        """Tab forward until ``locator`` has the focus."""
        for _ in range(limit):
            if locator.evaluate("el => el === document.activeElement"):
                return
            self.tab()
        raise AssertionError(f"Tab never reached {locator}")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def press_enter_and_load(page: Page) -> None:
    """Enter on the focused link or button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def assert_errors_announced(page: Page) -> dict[str, str]:
    """Each field marked invalid is described (aria-describedby) by its error message, or,
    for a radio button or checkbox, its group (the fieldset) is: a screen reader reads the
    message on reaching the field. Returns the messages by field id."""
    fields = page.locator("[aria-invalid=true]")
    assert fields.count() > 0, "no field is marked invalid"
    messages = {}
    for field in fields.all():
        errors = field.evaluate(
            """el => {
              const errors = (node) => (node && node.getAttribute("aria-describedby") || "")
                .split(/\\s+/).map((id) => document.getElementById(id))
                .filter((ref) => ref && ref.classList.contains("invalid-feedback"))
                .map((ref) => ref.innerText.trim());
              const own = errors(el);
              return own.length || !["radio", "checkbox"].includes(el.type)
                ? own : errors(el.closest("fieldset"));
            }"""
        )
        field_id = field.get_attribute("id")
        assert errors and all(errors), f"{field_id} is invalid but describes no error message"
        messages[field_id] = " ".join(errors)
    return messages


HOPES = (
    "I lead storytime twice a week and want to plan a whole year of early literacy "
    "programs with advice from someone who has done it for many years."
)


def test_the_application_form_works_with_the_keyboard_alone(page, live_server):
    cycle = CycleFactory()
    InterestFactory(program=cycle.program, name="Storytime and early literacy")
    person = verified_user(full_name="Rosa Jones")
    sign_in(page.context, live_server, person)
    page.goto(f"/programs/{cycle.program.slug}/apply/mentee/")
    run = KeyboardRun(page)

    # Straight to "Submit application": the answers are missing, and the page says which.
    run.to(page.get_by_role("button", name="Submit application"))
    press_enter_and_load(page)
    summary = page.locator("#error-summary")
    assert summary.evaluate("el => el === document.activeElement"), "the summary has no focus"
    messages = assert_errors_announced(page)
    for link in summary.get_by_role("link").all():
        field_id = link.get_attribute("href").removeprefix("#")
        item = link.locator("xpath=..").inner_text()
        assert field_id in messages, f"the summary names {field_id}, not marked invalid"
        assert item.split(": ", 1)[1] in messages[field_id]
    assert "city" in " ".join(messages), messages

    # The summary's links lead to the fields.
    run.restart()
    run.to(summary.get_by_role("link", name="City or town"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_city"

    # Everything filled in, from the top, with Tab, typing, Space and the arrow keys.
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    page.locator("#error-summary").focus()  # the focus the page itself gives on load
    run.restart()
    form = page.locator("form.application-form")

    def type_into(selector: str, text: str) -> None:
        run.to(form.locator(selector))
        page.keyboard.press("Control+A")
        page.keyboard.type(text)

    type_into("#id_city", "Columbus")
    run.to(form.locator("#id_state"))
    page.keyboard.press("ArrowDown")  # the first state
    type_into("#id_country", "United States")
    run.to(form.locator("#id_time_zone"))
    page.keyboard.press("ArrowDown")
    type_into("#id_organization", "Columbus Metropolitan Library")
    run.to(form.locator("#id_library_type_0"))
    page.keyboard.press("ArrowDown")  # a radio group: the arrow keys choose
    type_into("#id_position_title", "Library Associate")
    type_into("#id_years_experience", "1")
    run.to(form.locator("#id_membership_0"))
    page.keyboard.press("Space")  # a member: no funding questions
    run.to(form.get_by_label("Storytime and early literacy"))
    page.keyboard.press("Space")
    run.to(form.locator("#id_career_stage_0"))
    page.keyboard.press("Space")
    type_into("#id_hopes", HOPES)
    run.to(form.locator("#id_communication_methods_0"))
    page.keyboard.press("Space")
    run.to(form.get_by_label("I have read the program's expectations and agree to them"))
    page.keyboard.press("Space")
    run.to(page.get_by_role("button", name="Submit application"))
    press_enter_and_load(page)

    assert page.get_by_role("heading", level=1).inner_text() == "Your mentee application is in"
    application = Application.objects.get(applicant=person)
    assert application.status == Application.Status.SUBMITTED
    assert (application.city, application.years_experience) == ("Columbus", 1)
    assert application.library_type and application.state and application.time_zone
    assert run.stops > 30
    run.assert_clean()


def test_the_goal_sheet_works_with_the_keyboard_alone(page, live_server):
    program = ProgramFactory(time_zone="America/Chicago")
    cycle = cycle_under_way(program)
    InterestFactory(program=program, kind="competency", name="Programming Skills")
    match = MatchFactory(cycle=cycle, mentee__preferred_name="Maya", mentor__preferred_name="Rosa")
    mentee, mentor = match.mentee.applicant, match.mentor.applicant
    target = cycle.ends_on - dt.timedelta(days=60)

    # The mentee starts the goals from the sheet page.
    sign_in(page.context, live_server, mentee)
    page.goto(f"/matches/{match.pk}/goals/")
    run = KeyboardRun(page)
    run.to(page.get_by_role("link", name="Start your goals"))
    press_enter_and_load(page)
    run.restart()

    goal = page.locator("#goal-form-1")

    def type_into(label: str, text: str) -> None:
        run.to(goal.get_by_label(label, exact=True))
        page.keyboard.press("Control+A")
        page.keyboard.type(text)

    type_into("Title", "Six Bookbag crafts, one a month")
    type_into("Specific", "Six crafts for school-age children.")
    type_into("Measurable", "Each written up with a materials list.")
    type_into("Achievable", "Monthly calls with Rosa.")
    # "Relevant" is left out: submitting says so beside the field.
    run.to(goal.get_by_label("Target date (time-bound)"))
    page.keyboard.type(target.strftime("%m%d%Y"))  # the date field's parts, in order
    run.to(goal.get_by_label("Programming Skills"))
    page.keyboard.press("Space")
    run.to(page.get_by_role("button", name="Save and submit to Rosa"))
    press_enter_and_load(page)

    messages = assert_errors_announced(page)
    assert list(messages) == ["id_goals-0-relevant"], messages
    relevant = goal.get_by_label("Relevant", exact=True)
    assert "relevant" in messages["id_goals-0-relevant"].lower()
    assert goal.get_by_label("Title", exact=True).input_value() == "Six Bookbag crafts, one a month"
    assert goal.get_by_label("Target date (time-bound)").input_value() == target.isoformat()

    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    run.restart()
    run.to(relevant)
    page.keyboard.type("School-age programs are most of my job.")
    run.to(page.get_by_role("button", name="Save and submit to Rosa"))
    press_enter_and_load(page)
    assert page.get_by_text("You submitted the goal sheet.").is_visible()

    # The mentor agrees, then records progress: a radio group chosen with the arrow keys.
    sign_in(page.context, live_server, mentor)
    page.reload()
    run.restart()
    run.to(page.get_by_role("link", name="Review: agree or send back"))
    press_enter_and_load(page)
    run.restart()
    run.to(page.get_by_role("button", name="We agree: confirm the goal sheet"))
    press_enter_and_load(page)
    run.restart()
    run.to(page.get_by_role("link", name="Add a check-in on “Six Bookbag crafts, one a month”"))
    press_enter_and_load(page)
    run.restart()
    run.to(page.locator("#id_status_0"))
    page.keyboard.press("ArrowDown")  # not started → in progress
    run.to(page.get_by_label("Note"))
    page.keyboard.type("We picked the first two crafts.")
    run.to(page.get_by_role("button", name="Save the check-in"))
    press_enter_and_load(page)

    sheet = GoalSheet.objects.get(match=match)
    assert sheet.status == GoalSheet.Status.AGREED
    (goal_row,) = sheet.goals.current()
    assert goal_row.target_date == target
    assert goal_row.relevant == "School-age programs are most of my job."
    assert [a.name for a in goal_row.competency_areas.all()] == ["Programming Skills"]
    (check_in,) = CheckIn.objects.filter(goal=goal_row)
    assert (check_in.author, check_in.status) == (mentor, CheckIn.Status.IN_PROGRESS)
    assert run.stops > 20
    run.assert_clean()
