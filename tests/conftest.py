import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.test.client import ClientMixin
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_outbox_and_cache():
    """Each test starts with no sent mail and no login rate-limit counters (the cache is
    this test process's own Redis database)."""
    mail.outbox = []
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request leaves its language active in the thread (the test client runs the
    middleware here): a Spanish account's page would leave the next test in Spanish. Each
    test starts, and leaves the next, in the site's default."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _staff_signed_in_with_a_second_factor():
    """``force_login`` of a staff account makes a session that proved a second factor, as
    the real sign-in with a code does (mentoring/second_factor.py requires one for the
    admin). Session-wide, so module-scoped fixtures' clients have it too."""
    from tests.second_factor import force_login_with_second_factor

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login_with_second_factor)
        yield


@pytest.fixture(autouse=True)
def _real_second_factor(request, monkeypatch):
    """The tests of the second factor itself (marked ``real_second_factor``) get Django's
    own ``force_login``: a session without one."""
    if request.node.get_closest_marker("real_second_factor"):
        monkeypatch.setattr(Client, "force_login", ClientMixin.force_login)
