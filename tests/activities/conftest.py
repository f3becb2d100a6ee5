"""Fixtures the activity-log tests share: an active match of a running cycle and its
mentee's account."""

import pytest

from .helpers import active_match


@pytest.fixture
def match():
    return active_match()


@pytest.fixture
def mentee(match):
    return match.mentee.applicant
