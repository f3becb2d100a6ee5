"""Django's ``i18n`` library (``{% load i18n %}`` loads this one, see TEMPLATES in the
settings), its ``{% translate %}`` of a written-out message, and the message of its
``{% blocktranslate %}``, kept per language (mentoring/template_constants.py)."""

from django import template
from django.templatetags import i18n

from mentoring.template_constants import kept_block_translate, kept_translate

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    return kept_translate(i18n.do_translate(parser, token))


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser, token):
    return kept_block_translate(i18n.do_block_translate(parser, token))
