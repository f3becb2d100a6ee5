"""The reviewer role under blind review: every path a reviewer can reach keeps who applied
hidden until they have scored, and a reviewer scores and comments, nothing more.

The audit's findings, each a test as the reviewer: the changelist search, the history
page's title, the admin's autocomplete, sorting by name (and by score), the CSV export,
the others' mean before one's own score, the identity answer and the location fields.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationReview
from mentoring.roles import COORDINATOR, REVIEWER
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    ProgramFactory,
    UserFactory,
    role_user,
)

from .test_admin import CHANGELIST, change_form, change_url

pytestmark = pytest.mark.django_db

MEGAN = {
    "full_name": "Megan Delgado",
    "preferred_name": "Meg",
    "email": "megan.delgado@example.org",
    "phone": "555-0199",
    "city": "Tucson",
    "organization": "Pima County Public Library",
    "position_title": "Teen Services Librarian",
    "bipoc_identity": "yes",
    "funding_requested": True,
}
SECRETS = [v for k, v in MEGAN.items() if isinstance(v, str) and k != "bipoc_identity"]
SECRETS += ["Megan", "Delgado"]
IDENTITY_QUESTION = "Identifies as Black, Indigenous"


@pytest.fixture
def year():
    """A blind-review cycle the reviewer is assigned to: Megan's application, scored by
    another reviewer (5) but not by ours; Aaron's, which ours has scored. And a cycle
    ours does not review."""
    program = ProgramFactory()
    cycle = CycleFactory(program=program, blind_review=True)
    megan = ApplicationFactory(
        cycle=cycle, applicant=UserFactory(full_name="Megan Delgado"), **MEGAN
    )
    aaron = ApplicationFactory(cycle=cycle, applicant=UserFactory(full_name="Aaron Abbott"))
    reviewer = role_user(REVIEWER, reviews=(cycle,), full_name="Robin Alvarado")
    other = role_user(REVIEWER, reviews=(cycle,))
    ApplicationReview.objects.create(application=megan, reviewer=other, score=5)
    ApplicationReview.objects.create(application=aaron, reviewer=reviewer, score=3)
    elsewhere = ApplicationFactory(
        cycle=CycleFactory(program=program),
        applicant=UserFactory(full_name="Unassigned Ulla"),
    )
    return {
        "cycle": cycle,
        "megan": megan,
        "aaron": aaron,
        "reviewer": reviewer,
        "other": elsewhere,
    }


@pytest.fixture
def as_reviewer(client, year):
    client.force_login(year["reviewer"])
    return client


def text(response) -> str:
    return response.content.decode("utf-8-sig")


def assert_sealed(body: str) -> None:
    leaked = [secret for secret in SECRETS if secret in body]
    assert not leaked, f"a blind review leaked {leaked}"


# --- What a reviewer reaches -----------------------------------------------------------


def test_a_reviewer_sees_only_the_submitted_applications_of_the_cycles_they_review(
    as_reviewer, year
):
    ApplicationFactory(cycle=year["cycle"], status="draft", full_name="Drafty Dora")

    listing = text(as_reviewer.get(CHANGELIST))

    assert f"Applicant #{year['megan'].pk}" in listing and "Aaron Abbott" in listing
    assert "Unassigned Ulla" not in listing and "Drafty Dora" not in listing
    assert "2 applications" in listing
    response = as_reviewer.get(change_url(year["other"]))
    assert response.status_code == 302  # “doesn't exist”: not theirs to see
    assert "Unassigned Ulla" not in text(as_reviewer.get(response["Location"]))


def test_a_reviewer_scores_and_comments_but_cannot_decide(as_reviewer, year):
    megan = year["megan"]
    page = text(as_reviewer.get(change_url(megan)))
    assert 'name="status"' not in page and 'name="staff_notes"' not in page

    data = change_form(as_reviewer, megan, my_score="4", my_comment="Clear goals.")
    data.update(status="accepted", staff_notes="Accept her!")
    response = as_reviewer.post(change_url(megan), data)

    assert response.status_code == 302
    megan.refresh_from_db()
    # Scoring puts it under review (the service's rule); deciding is not a reviewer's.
    assert (megan.status, megan.staff_notes) == (Application.Status.UNDER_REVIEW, "")
    review = ApplicationReview.objects.get(application=megan, reviewer=year["reviewer"])
    assert (review.score, review.comment) == (4, "Clear goals.")


@pytest.mark.parametrize(
    "action", ["mark_under_review", "accept", "waitlist", "decline", "send_decisions", "export_csv"]
)
def test_a_reviewer_has_no_decision_nor_export_action(as_reviewer, year, action):
    action_form = as_reviewer.get(CHANGELIST).context["action_form"]
    assert action_form is None or action not in dict(action_form.fields["action"].choices)

    response = as_reviewer.post(
        CHANGELIST, {"action": action, "_selected_action": [year["megan"].pk]}
    )

    assert not response.get("Content-Type", "").startswith("text/csv")
    year["megan"].refresh_from_db()
    assert year["megan"].status == Application.Status.SUBMITTED
    assert year["megan"].decision_sent_at is None


def test_a_reviewer_never_sees_contact_details_or_the_identity_answer(as_reviewer, year):
    megan = year["megan"]
    as_reviewer.post(change_url(megan), change_form(as_reviewer, megan, my_score="4"))

    page = text(as_reviewer.get(change_url(megan)))

    # Scored: the name and where she works show; how to reach her and the private
    # answer never do (the coordinator's, who tells her the decision).
    assert "Megan Delgado" in page and "Tucson" in page
    for secret in ["megan.delgado@example.org", "555-0199", IDENTITY_QUESTION]:
        assert secret not in page


def test_the_reviewers_desk_holds_only_their_cycles_application_tasks(as_reviewer, year):
    response = as_reviewer.get(reverse("admin:index"))

    tasks = {
        (worklist.cycle.pk, task.title)
        for worklist, tasks in response.context["worklists"]
        for task in tasks
    }
    assert tasks == {(year["cycle"].pk, "Applications to review")}
    sections = [app["name"] for app in response.context["app_list"]]
    assert sections == ["Applications and reviews"]


# --- Blind review, path by path ----------------------------------------------------------


def test_the_changelist_and_the_change_page_keep_who_applied_hidden(as_reviewer, year):
    listing = text(as_reviewer.get(CHANGELIST))
    page = text(as_reviewer.get(change_url(year["megan"])))

    assert_sealed(listing)
    assert_sealed(page)
    assert "Hidden until you score it" in page
    assert IDENTITY_QUESTION not in page  # the private answer: not a reviewer's, ever


@pytest.mark.parametrize(
    "term", ["Megan", "Delgado", "megan.delgado@example.org", "Pima County", "Meg"]
)
def test_search_does_not_find_a_hidden_application_by_what_is_hidden(as_reviewer, year, term):
    response = as_reviewer.get(CHANGELIST, {"q": term})

    assert f"Applicant #{year['megan'].pk}" not in text(response)
    assert response.context["cl"].result_count == 0


def test_search_still_finds_an_application_the_reviewer_has_scored(as_reviewer, year):
    response = as_reviewer.get(CHANGELIST, {"q": "Aaron"})

    assert response.context["cl"].result_count == 1
    assert "Aaron Abbott" in text(response)


def test_the_history_page_is_titled_without_the_name(as_reviewer, year):
    url = reverse("admin:applications_application_history", args=[year["megan"].pk])

    page = text(as_reviewer.get(url))

    assert_sealed(page)
    assert f"Change history: Mentee application #{year['megan'].pk}" in page


@pytest.mark.parametrize("term", ["", "a", "Megan"])
def test_the_autocomplete_names_no_hidden_applicant(as_reviewer, year, term):
    response = as_reviewer.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "applications",
            "model_name": "applicationreview",
            "field_name": "application",
            "term": term,
        },
    )

    assert response.status_code == 200
    assert_sealed(text(response))
    texts = [r["text"] for r in response.json()["results"]]
    if term == "":
        assert f"Mentee application #{year['megan'].pk}" in texts


def _row_ids(response) -> list[int]:
    """The applications of the list, in its order (by each row's checkbox)."""
    return [int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', text(response))]


@pytest.mark.parametrize("column", ["name", "score_mean"])
def test_sorting_by_a_hidden_column_does_not_order_the_hidden_rows(as_reviewer, year, column):
    cycle, other = year["cycle"], role_user(REVIEWER, reviews=(year["cycle"],))
    hidden = [
        ApplicationFactory(cycle=cycle, applicant=UserFactory(), full_name=name)
        for name in ["Mary Middle", "Zelda Last", "Abby First"]
    ]
    for application, score in zip(hidden, [3, 5, 1], strict=True):
        ApplicationReview.objects.create(application=application, reviewer=other, score=score)
    ids = {a.pk for a in hidden}
    index = list(as_reviewer.get(CHANGELIST).context["cl"].list_display).index(column)

    ascending = [pk for pk in _row_ids(as_reviewer.get(CHANGELIST, {"o": index})) if pk in ids]
    descending = [pk for pk in _row_ids(as_reviewer.get(CHANGELIST, {"o": -index})) if pk in ids]

    # Stock Django would reverse them (sorted by the hidden names or means).
    assert ascending == descending


def test_the_others_mean_shows_only_after_ones_own_score(as_reviewer, year):
    megan = year["megan"]
    listing = text(as_reviewer.get(CHANGELIST))
    row = listing[listing.index(f"Applicant #{megan.pk}") :]
    row = row[: row.index("</tr>")]
    assert '<td class="field-score_mean">—</td>' in row
    assert '<td class="field-score_count">1</td>' in row

    as_reviewer.post(change_url(megan), change_form(as_reviewer, megan, my_score="3"))

    listing = text(as_reviewer.get(CHANGELIST))
    row = listing[listing.index("Megan Delgado") :]
    assert '<td class="field-score_mean">4.0</td>' in row[: row.index("</tr>")]


def test_location_position_and_identity_are_hidden_before_scoring_from_the_coordinator_too(
    client, year
):
    coordinator = role_user(COORDINATOR)
    client.force_login(coordinator)

    page = text(client.get(change_url(year["megan"])))

    assert_sealed(page)
    for field in ["city", "position_title", "bipoc_identity"]:
        assert f'class="form-row field-hidden_{field}' in page or f"field-hidden_{field}" in page
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [year["megan"].pk]}
    )
    row = next(csv.DictReader(io.StringIO(text(response))))
    for column in ["Full name", "Email", "City", "Position title", "Identifies as BIPOC (private)"]:
        assert row[column] == "Hidden until you score it", column
    assert row["Mean score"] == "Hidden until you score it"
    assert_sealed(text(response))


def test_each_viewers_list_says_whether_they_scored_from_the_shared_start():
    """The list's start is composed once a process (applications.selectors): each viewer
    still gets their own scores, and one viewer's list leaves the next one's whole."""
    from applications.selectors import applications_for_committee

    first, second = role_user(COORDINATOR), role_user(COORDINATOR)
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    ApplicationReview.objects.create(application=application, reviewer=first, score=4)
    mine = applications_for_committee(viewer=first).filter(pk=application.pk)
    theirs = applications_for_committee(viewer=second).filter(pk=application.pk)
    assert [a.scored_by_viewer for a in mine] == [True]
    assert [a.scored_by_viewer for a in theirs] == [False]
    assert [(a.review_mean, a.review_count) for a in theirs] == [(4.0, 1)]


def test_a_reviewers_list_composed_once_keeps_to_their_cycles_on_every_visit():
    """The start composed once for a reviewer keeps their cycles only, each visit, and
    a coordinator's start beside it keeps every cycle."""
    from applications.selectors import applications_for_committee

    theirs = ApplicationFactory(status="submitted")
    elsewhere = ApplicationFactory(status="submitted")
    reviewer = role_user(REVIEWER, reviews=(theirs.cycle,))
    coordinator = role_user(COORDINATOR)
    for _visit in range(2):
        listed = set(applications_for_committee(viewer=reviewer).values_list("pk", flat=True))
        assert listed == {theirs.pk}
        everything = applications_for_committee(viewer=coordinator).values_list("pk", flat=True)
        assert {theirs.pk, elsewhere.pk} <= set(everything)
