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
