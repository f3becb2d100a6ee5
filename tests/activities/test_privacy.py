"""Activity log entries anonymised keep the date, status and catalog activity."""

from __future__ import annotations

import pytest

from activities import privacy
from activities.models import ActivityLogEntry
from tests.factories import ActivityFactory, ActivityLogEntryFactory, MatchFactory

pytestmark = pytest.mark.django_db


def test_entries_keep_the_catalog_title_and_lose_notes_and_own_titles():
    match = MatchFactory()
    activity = ActivityFactory(title="Mock interview")
    picked = ActivityLogEntryFactory(
        match=match, activity=activity, title="Mock interview with Rosa", notes="Went well."
    )
    own = ActivityLogEntryFactory(match=match, title="Coffee in Tucson", notes="Lovely.")
    partners = ActivityLogEntryFactory(
        match=match, recorded_by=match.mentor.applicant, title="Mentor's", notes="Mine."
    )

    privacy.erase_personal_data(match.mentee.applicant)

    picked.refresh_from_db()
    own.refresh_from_db()
    partners.refresh_from_db()
    assert (picked.title, picked.notes, picked.activity) == ("Mock interview", "", activity)
    assert (own.title, own.notes) == (privacy.OWN_ACTIVITY_TITLE, "")
    assert (partners.title, partners.notes) == ("Mentor's", "Mine.")
    assert ActivityLogEntry.objects.done().count() == 3


def test_the_download_has_the_person_s_notes_not_the_partner_s():
    match = MatchFactory()
    ActivityLogEntryFactory(match=match, notes="My notes.")
    ActivityLogEntryFactory(match=match, recorded_by=match.mentor.applicant, notes="Theirs.")

    rows = privacy.export_personal_data(match.mentee.applicant)["activity_log"]

    assert sorted(str(r["notes"]) for r in rows) == ["My notes.", "None"]
