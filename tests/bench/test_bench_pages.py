"""The page benchmark's data builder and measuring path, on a tiny program year, so
``make bench`` does not rot between the times someone runs it."""

import pytest

from bench import bench_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return bench_pages.program_year(
        matches=3, past_matches=2, other_applications=6, log_entries=2, issues=3
    )


def test_the_builder_makes_the_year_it_says(year):
    from applications.models import Application
    from goals.models import Goal
    from matches.models import Match
    from newsletter.models import NewsletterIssue

    assert year.counts["applications"] == Application.objects.count() == 2 * 3 + 2 * 2 + 6
    assert year.counts["matches"] == Match.objects.count() == 5
    assert year.counts["goals"] == Goal.objects.count()
    assert NewsletterIssue.objects.released().count() == 3
    # The bench mentee returns for a second year: two matches, both with a goal sheet.
    mine = Match.objects.filter(mentee__applicant_id=year.mentee_id)
    assert mine.count() == 2
    assert Goal.objects.filter(sheet__match_id=year.match_id).count() == 3


def test_every_measured_page_answers_200_with_its_rendering_counted(year):
    """Rendered afresh (the page cache off): the queries a first visit costs."""
    clients = bench_pages.signed_in_clients(year)
    for page in bench_pages.pages(year):
        status, queries, ms = bench_pages.rendering(clients[page.who], page.url)
        assert (page.name, status) == (page.name, 200)
        assert queries >= (1 if page.who else 0), page.name  # public pages may need none
        assert ms > 0


def test_a_page_under_the_share_of_the_ceiling_or_slow_fails():
    fast = bench_pages.Row(
        "p", rps=50, ceiling_rps=100, p50_ms=5, p95_ms=20, queries=3, render_ms=9.0, errors=0
    )
    few = bench_pages.Row(
        "p", rps=30, ceiling_rps=100, p50_ms=5, p95_ms=20, queries=3, render_ms=9.0, errors=0
    )
    slow = bench_pages.Row(
        "p", rps=50, ceiling_rps=100, p50_ms=5, p95_ms=150, queries=3, render_ms=9.0, errors=0
    )
    assert (fast.ok, few.ok, slow.ok) == (True, False, False)
    assert "PASS" in bench_pages.table([fast]) and "FAIL" in bench_pages.table([few])
