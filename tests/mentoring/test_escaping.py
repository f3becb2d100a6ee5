"""mentoring.escaping gives what Django's escape and conditional_escape give."""

import datetime as dt

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from mentoring import escaping

VALUES = [
    "plain",
    '<b>Ana & Bo\'s "team"</b>',
    mark_safe("<i>already safe</i>"),
    gettext_lazy("Select this object for an action - {}"),
    42,
    3.5,
    None,
    dt.date(2027, 3, 15),
    "",
    "ñandú — “quotes” <script>",
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:30] for v in VALUES])
def test_the_same_strings_as_djangos(value):
    assert escaping.escape(value) == django_html.escape(value)
    assert escaping.conditional_escape(value) == django_html.conditional_escape(value)
    assert isinstance(escaping.conditional_escape(value), SafeString)
