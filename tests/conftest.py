import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_outbox_and_cache():
    """Each test starts with no sent mail and no login rate-limit counters (the cache is
    this test process's own Redis database)."""
    mail.outbox = []
    cache.clear()
    yield


@pytest.fixture
def rendered_afresh(settings):
    """Every page rendered on every request, the signed-in person read on every request:
    for tests that count what rendering a page costs (mentoring/page_cache.py keeps
    pages and people while nothing they read changes)."""
    settings.PAGE_CACHE = False
