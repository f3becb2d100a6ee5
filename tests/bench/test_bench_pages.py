"""The page benchmark's data builder and measuring path, on a tiny program year, so
``make bench`` does not rot between the times someone runs it."""

import re

import pytest
from django.test import Client

from activities.models import ActivityLogEntry
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
    assert len(year.participants) == 3 and len(year.staff_ids) == 5


def test_every_page_and_both_floors_render_with_their_queries_counted(year):
    one_query, floor, rows = bench_pages.render_costs(year, rounds=1)

    assert one_query > 0 and floor > 0
    assert [r.page.name for r in rows] == [p.name for p in bench_pages.pages(year)]
    assert all(r.queries >= 1 and r.ms > 0 for r in rows)
    assert "x floor" in bench_pages.render_table(one_query, floor, rows)


def test_the_workload_signs_in_reads_writes_with_its_csrf_token_and_reads_the_admin(year):
    """Each kind of request the wrk script sends, sent here as it is written there:
    the session and CSRF cookies, the form's fields."""
    visitors = bench_pages.sessions_for([p for p, _ in year.participants] + year.staff_ids)
    script = bench_pages.mixed_requests(year, visitors, n=200)
    requests = re.findall(
        r"wrk\.format\('(GET|POST)', \"([^\"]+)\", \{Cookie = \"([^\"]+)\"", script
    )
    bodies = re.findall(r"'application/x-www-form-urlencoded'\}, \"([^\"]+)\"", script)
    kinds = {("admin" if "/admin/" in path else method) for method, path, _ in requests}
    assert kinds == {"GET", "POST", "admin"}

    entries = ActivityLogEntry.objects.count()
    posts = 0
    for method, path, cookie in requests[:40]:
        client = Client(enforce_csrf_checks=True)
        for pair in cookie.split("; "):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 200, path
        else:
            body = dict(pair.split("=", 1) for pair in bodies[posts].split("&"))
            posts += 1
            response = client.post(path, {k: v.replace("+", " ") for k, v in body.items()})
            assert response.status_code == 302, (path, response.content[:2000])
    assert posts and ActivityLogEntry.objects.count() == entries + posts


def test_a_page_over_its_multiple_of_the_floor_or_its_queries_misses():
    page = bench_pages.Page("p", "/p/", "mentee", "participant")
    changelist = bench_pages.Page("c", "/c/", "staff", "changelist")
    fast = bench_pages.Rendered(page, ms=9.0, queries=8, floor_ms=2.0)
    slow = bench_pages.Rendered(page, ms=11.0, queries=8, floor_ms=2.0)
    chatty = bench_pages.Rendered(page, ms=9.0, queries=13, floor_ms=2.0)
    admin = bench_pages.Rendered(changelist, ms=19.0, queries=13, floor_ms=2.0)
    assert (fast.ok, slow.ok, chatty.ok, admin.ok) == (True, False, False, True)


def test_a_mixed_round_under_the_share_of_the_ceiling_or_slow_misses():
    def round_(rps, p95, errors=0):
        return bench_pages.MixedRound(rps, 1000, 20, p95, 300, errors, writes=5)

    assert (round_(250, 150).ok, round_(150, 150).ok, round_(250, 250).ok) == (True, False, False)
    assert round_(250, 150, errors=1).ok is False
