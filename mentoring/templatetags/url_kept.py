"""Django's ``{% url %}`` (a builtin, see TEMPLATES in the settings), a written-out name
and arguments reversed once per URL map (mentoring/template_constants.py)."""

from django import template
from django.template import defaulttags

from mentoring.template_constants import kept_url

register = template.Library()


@register.tag("url")
def url(parser, token):
    return kept_url(defaulttags.url(parser, token))
