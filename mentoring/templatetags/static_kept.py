"""Django's ``static`` library (``{% load static %}`` loads this one, see TEMPLATES in the
settings), its ``{% static %}`` of a written-out path kept (mentoring/template_constants.py)."""

from django import template
from django.templatetags import static

from mentoring.template_constants import kept_static

register = template.Library()
register.tags.update(static.register.tags)
register.filters.update(static.register.filters)


@register.tag("static")
def do_static(parser, token):
    return kept_static(static.do_static(parser, token))
