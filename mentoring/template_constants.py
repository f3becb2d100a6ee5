"""Template tags whose output never changes for a given language, worked out once.

``{% translate "Sign out" %}``, ``{% url 'my_mentoring' %}`` and ``{% static 'css/site.css' %}``
say the same thing on every page in the same language; yet Django's nodes look each up
again on every render (a lazy string built and read back, the URL resolver walked, the
static files' manifest consulted): 20 to 35 µs each, about a tenth of a participant page
with its 30 to 60 of them. Here each such node keeps its own output for the few contexts
it can be rendered in (the language, autoescaping, the URL map and script prefix), so the
second render of it in a process is a dictionary look-up.

Only nodes whose every argument is written in the template are kept; anything read from
the context (``{% url 'matches:detail' match.pk %}``), any filter, and ``as variable``
render as Django renders them. ``{% blocktranslate %}`` keeps its translated message and
writes the values into it on every render, as Django does.

What the output depends on outside the template (the catalogs, the URL map, the static
files' storage) is read from settings that only tests change at run time: any setting
change forgets every kept output.
"""

from __future__ import annotations

import itertools

from django.core.signals import setting_changed
from django.template import Node
from django.template.base import FilterExpression, Variable, render_value_in_context
from django.templatetags.i18n import BlockTranslateNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, pgettext

__all__ = ["constant", "kept_translate", "kept_block_translate", "kept_url", "kept_static"]

_generation = itertools.count()
_current = next(_generation)


def _forget_everything(**kwargs) -> None:
    global _current
    _current = next(_generation)


setting_changed.connect(_forget_everything, dispatch_uid="template_constants")


def constant(expression: FilterExpression | None) -> bool:
    """Whether ``expression`` is written in the template: a quoted string or a number,
    without filters (None, an absent argument, is constant too)."""
    if expression is None:
        return True
    if expression.filters:
        return False
    var = expression.var
    return not isinstance(var, Variable) or var.lookups is None


class _Kept(Node):
    """``node``'s output, rendered once for each key ``key_of(node, context)`` gives."""

    child_nodelists = ()

    def __init__(self, node: Node, key_of) -> None:
        self.node = node
        self.key_of = key_of
        self.outputs: dict = {}

    def render(self, context):
        key = (_current, context.autoescape, *self.key_of(self.node, context))
        try:
            return self.outputs[key]
        except KeyError:
            output = self.outputs[key] = self.node.render(context)
            return output


def _language(node, context) -> tuple:
    return (get_language(),)


def _url_map(node, context) -> tuple:
    # What reverse() reads besides its arguments (as URLNode.render finds current_app).
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return (get_language(), get_urlconf(), get_script_prefix(), current_app)


def _nothing(node, context) -> tuple:
    return ()


def kept_translate(node: Node) -> Node:
    """A ``{% translate %}`` node, kept per language when its message is written out."""
    if node.asvar or not constant(node.filter_expression) or not constant(node.message_context):
        return node
    return _Kept(node, _language)


class _KeptMessage(BlockTranslateNode):
    """``{% blocktranslate %}`` with its message (not its values) kept per language: Django
    joins the message from its tokens and translates it again on every render."""

    def render(self, context, nested=False):
        if nested or self.plural or not constant(self.message_context):
            return super().render(context, nested)
        message, names = self.message_and_names
        key = (_current, get_language())
        translated = self.translations.get(key)
        if translated is None:
            # What the values are written into, as BlockTranslateNode.render finds it.
            if self.message_context:
                translated = pgettext(self.message_context.resolve(context), message)
            else:
                translated = gettext(message)
            self.translations[key] = translated
        # The values as Django's node reads them: its own ``with`` values first (resolved
        # before any is set), then the context's, then the engine's string_if_invalid.
        extra = {var: value.resolve(context) for var, value in self.extra_context.items()}
        missing = context.template.engine.string_if_invalid
        data = {}
        for name in names:
            if name in extra:
                value = extra[name]
            elif name in context:
                value = context[name]
            else:
                value = missing % name if "%s" in missing else missing
            data[name] = render_value_in_context(value, context)
        try:
            result = translated % data
        except (KeyError, ValueError):
            return super().render(context)  # a broken translation: as Django handles it
        if self.asvar:
            context[self.asvar] = SafeString(result)
            return ""
        return result


def kept_block_translate(node: BlockTranslateNode) -> Node:
    """A ``{% blocktranslate %}`` node whose message is kept per language."""
    kept = _KeptMessage.__new__(_KeptMessage)
    kept.__dict__.update(node.__dict__)
    kept.message_and_names = node.render_token_list(node.singular)
    kept.translations = {}
    return kept


def kept_url(node: Node) -> Node:
    """A ``{% url %}`` node, kept per URL map when its name and arguments are written out."""
    arguments = [node.view_name, *node.args, *node.kwargs.values()]
    if node.asvar or not all(constant(a) for a in arguments):
        return node
    return _Kept(node, _url_map)


def kept_static(node: Node) -> Node:
    """A ``{% static %}`` node, kept when its path is written out."""
    if node.varname or not constant(node.path):
        return node
    return _Kept(node, _nothing)
