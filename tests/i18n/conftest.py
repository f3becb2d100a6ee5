import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request leaves its language active in the thread (the test client runs the
    middleware here): each test starts, and leaves the next, in the site's default."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
