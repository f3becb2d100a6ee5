"""Tags written out in full (a message, a URL name, a static path) are worked out once per
language and URL map, and say exactly what Django's own tags say in every context."""

from __future__ import annotations

from django.template import engines
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from mentoring.template_constants import _Kept


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_a_written_out_message_is_kept_per_language():
    template = engines["django"].from_string('{% load i18n %}{% translate "My mentoring" %}')
    said = []
    for language in ("en", "es", "en", "es"):
        with translation.override(language):
            said.append(template.render({}))
    assert said == ["My mentoring", "Mi mentoría", "My mentoring", "Mi mentoría"]
    assert isinstance(template.template.nodelist[-1], _Kept)


def test_a_message_read_from_the_context_is_translated_at_each_render():
    template = engines["django"].from_string("{% load i18n %}{% translate greeting %}")
    with translation.override("es"):
        assert template.render({"greeting": "My mentoring"}) == "Mi mentoría"
        assert template.render({"greeting": "Sign out"}) == "Cerrar sesión"


def test_every_kept_tag_says_what_djangos_own_tag_says():
    from django.template import Context, Engine

    # Django's own i18n, static and url
    stock = Engine(
        libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"}
    )
    ours = engines["django"].engine
    sources = [
        '{% load i18n %}{% translate "Tom & Jerry" %}',
        '{% load i18n %}{% translate "Sign out" context "account" %}',
        '{% load i18n %}{% translate "100%% done" %}',
        "{% load i18n %}{% translate 'The latest newsletter:' noop %}",
        "{% load static %}{% static 'vendor/bootstrap/css/bootstrap.min.css' %}",
        "{% url 'newsletter:archive' %}{% url 'program_timeline' 'alsc' %}",
        "{% url 'certificates:verify' 'Tom&Jerry' %}",
        "{% load i18n %}{% blocktranslate trimmed with short_name=name %}\n  Signed in as"
        " {{ short_name }}{% endblocktranslate %}",
        "{% load i18n %}{% blocktranslate %}Welcome, {{ name }} & {{ nobody }}: 100%"
        "{% endblocktranslate %}",
        "{% load i18n %}{% blocktranslate with title=name|upper context 'goal' %}{{ title }}"
        "{% endblocktranslate %}",
        "{% load i18n %}{% blocktranslate count n=count %}{{ n }} goal{% plural %}{{ n }}"
        " goals{% endblocktranslate %}",
        "{% load i18n %}{% blocktranslate asvar said %}Hello {{ name }}{% endblocktranslate %}"
        "[{{ said }}]",
    ]
    for source in sources:
        template = ours.from_string(source)  # one node, rendered in every context
        for language in ("en", "es"):
            for autoescape in (True, False):
                with translation.override(language):
                    values = {"name": "Sam <b>&</b>", "count": 2}
                    expected = stock.from_string(source).render(
                        Context(values, autoescape=autoescape)
                    )
                    for _ in range(2):  # worked out, then kept
                        said = template.render(Context(values, autoescape=autoescape))
                        assert said == expected, (source, language, autoescape)


def test_a_written_out_url_follows_the_script_prefix_and_the_url_map():
    template = engines["django"].from_string("{% url 'my_mentoring' %}")
    assert template.render({}) == "/my/"
    try:
        set_script_prefix("/mentoring/")
        assert template.render({}) == "/mentoring/my/"
    finally:
        set_script_prefix("/")
    assert template.render({}) == "/my/"
    with override_settings(ROOT_URLCONF="bench.urls"):
        assert engines["django"].from_string("{% url 'my_mentoring' %}").render({}) == "/my/"


def test_a_url_of_an_object_is_reversed_for_each_object():
    template = engines["django"].from_string("{% url 'newsletter:issue' pk %}")
    assert template.render({"pk": 3}) == "/newsletters/3/"
    assert template.render({"pk": 4}) == "/newsletters/4/"
    assert not isinstance(template.template.nodelist[0], _Kept)


def test_a_static_path_follows_a_change_of_the_static_url():
    template = "{% load static %}{% static 'css/site.css' %}"
    first = render(template)
    assert first.endswith(".css") and "/site" in first
    with override_settings(STATIC_URL="/elsewhere/"):
        assert render(template).startswith("/elsewhere/")
    assert render(template) == first


def test_only_the_two_libraries_replaced_on_purpose_share_a_label():
    # Django's templates.W003, silenced in the settings for these two alone.
    warned = engines["django"]._check_for_template_tags_with_the_same_name()
    assert sorted(w.msg.split("'")[1] for w in warned) == ["i18n", "static"]
