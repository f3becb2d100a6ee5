"""A lean changelist's rows, written out column by column (``{% lean_result_list cl %}``
draws them in the table of ``lean_table``).

Django's ``result_list`` works out, for every cell of every row, what the column is (a
model field, an admin method, an attribute), renders it through ``format_html`` and
hands each cell to the template loop: on a 100-row page of ten columns, most of the page's
time. Here each column is resolved once per page and each row is one string, with the
same markup (classes, the link in the first column, boolean icons, the empty value).
"""

from __future__ import annotations

import datetime
import html

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters, admin_urlname
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .admin_lists import action_checkbox_html
from .escaping import conditional_escape, escape

DATES = (datetime.date, datetime.time)


def lean_rows(cl) -> list[str]:
    """Each row's cells, written by one function a column (worked out once for the page:
    its tag, classes and link), each returning the cell whole."""
    links = cl.list_display_links
    linked = set()
    if links is not None:
        names = [name for name in cl.list_display if name != "action_checkbox"]
        linked = set(links) if links else set(names[:1])
    url_of = _change_url(cl)
    cells = []
    first = True
    for index, name in enumerate(cl.list_display):
        name, css, render = _column(cl, index, name)
        tag, link = "td", name in linked and url_of is not None
        if name in linked:
            tag, first = ("th" if first else "td"), False
        cells.append(_cell(render, tag, css, url_of if link else None))
    empty = None
    rows = []
    for obj in cl.result_list:
        try:
            row = "".join([cell(obj) for cell in cells])
        except ObjectDoesNotExist:
            # A cell reading a related row that is gone shows the empty value (drawn
            # again cell by cell, rarely).
            if empty is None:
                empty = escape(cl.model_admin.get_empty_value_display())
            row = "".join([cell(obj, empty) for cell in cells])
        rows.append(SafeString(row))  # (mark_safe looks for lazy strings first)
    return rows


def _cell(render, tag: str, css: str, url_of):
    """A function writing one column's cell of a row: ``<td class="…">…</td>`` (a link
    around the value for a linked column); given ``empty``, the empty value where the
    column's related row is gone."""
    plain, nowrapped = f'<{tag} class="{css}">', f'<{tag} class="{css} nowrap">'
    close = f"</{tag}>"

    def shown(obj, empty):
        try:
            return render(obj)
        except ObjectDoesNotExist:
            if empty is None:
                raise
            return empty, False

    if url_of is None:

        def cell(obj, empty=None):
            value, nowrap = shown(obj, empty)
            return f"{nowrapped if nowrap else plain}{value}{close}"

        return cell

    def linked_cell(obj, empty=None):
        value, nowrap = shown(obj, empty)
        return f'{nowrapped if nowrap else plain}<a href="{url_of(obj)}">{value}</a>{close}'

    return linked_cell


PLACEHOLDER = "0lean0"


def _change_url(cl):
    """The change page's URL of a row, from its key: reversed once for the page (with a
    placeholder key), not once per row."""
    try:
        url = reverse(
            admin_urlname(cl.opts, "change"),
            args=(PLACEHOLDER,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    before, after = escape(url).split(PLACEHOLDER, 1)

    def url_of(obj) -> str:
        pk = obj.pk
        # (A whole number needs neither quoting nor escaping.)
        return f"{before}{pk if type(pk) is int else escape(quote(pk))}{after}"

    return url_of


def _column(cl, index: int, name):
    """(name, CSS class, render(obj) -> (escaped HTML, nowrap)) for one column."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    label = name.__name__ if callable(name) else name
    if label == "<lambda>":
        label = f"lambda{index}"
    field = None
    if isinstance(name, str):
        try:
            field = cl.lookup_opts.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and (field.auto_created or field.is_relation and field.many_to_many):
            field = None
    if field is not None:
        return (name, f"field-{label}", _field_cell(field, empty))
    if callable(name):
        attr = name
        call = name
    elif hasattr(model_admin, name) and name != "__str__":
        attr = getattr(model_admin, name)
        call = attr
    else:
        attr = getattr(cl.model, name, None)
        call = None
    boolean = getattr(attr, "boolean", False)
    if isinstance(attr, property) and hasattr(attr, "fget"):
        boolean = getattr(attr.fget, "boolean", False)
    empty = getattr(attr, "empty_value_display", empty)
    if name == "action_checkbox":
        return (name, "action-checkbox", _checkbox_cell(model_admin))
    css = f"field-{label}"
    # The same value shows the same (a date, a count, a yes): formatted once per page.
    shown_of = {}

    def render(obj):
        if call is not None:
            value = call(obj)
        else:
            value = getattr(obj, name)
            if callable(value):
                value = value()
        if type(value) is str and not boolean and value.strip():
            # A text (a name, a pair): shown as it is, escaped; seldom the same twice.
            return html.escape(value), False
        if isinstance(value, str) and value.strip() == "":
            value = ""
        key = (type(value), value)
        try:
            shown = shown_of[key]
        except KeyError:
            shown = _boolean_icon(value) if boolean else display_for_value(value, empty)
            shown = shown_of[key] = _plain(conditional_escape(shown))
        except TypeError:  # a value that cannot be a key
            shown = conditional_escape(display_for_value(value, empty))
        return shown, isinstance(value, DATES)

    return (name, css, render)


def _checkbox_cell(model_admin):
    """A row's action checkbox, as ``action_checkbox_html`` writes it, with the prompt
    translated once for the page; the row is named by the admin's
    ``action_checkbox_label`` (a blind review's neutral label), else by ``str()``."""
    prompt = _("Select this object for an action - {}")
    label_of = getattr(model_admin, "action_checkbox_label", str)
    if prompt.count("{") != 1 or prompt.count("}") != 1 or "{}" not in prompt:

        def render(obj):
            return action_checkbox_html(obj.pk, label_of(obj), prompt), False

        return render
    # The prompt around the label, and the markup around both, split once for the page.
    before, after = prompt.split("{}")
    start = f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="'
    middle = f'" class="action-select" aria-label="{before}'
    end = f'{after}">'

    def written(obj):
        pk, label = obj.pk, label_of(obj)
        if type(pk) is not int:
            pk = conditional_escape(pk)
        label = html.escape(label) if type(label) is str else conditional_escape(label)
        return f"{start}{pk}{middle}{label}{end}", False

    return written


def _plain(shown: str) -> str:
    """Escaped markup kept for the page as a plain string: written into the row, a
    ``SafeString`` is asked for its text through a method of its own, every cell."""
    return str.__str__(shown)


def _field_cell(field, empty: str):
    nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
    if isinstance(field.remote_field, models.ManyToOneRel):

        def render(obj):
            related = getattr(obj, field.name)
            return conditional_escape(empty if related is None else related), nowrap

        return render

    # The same value shows the same (a status, a flag): rendered once per page.
    shown_of = {}

    def render(obj):
        value = getattr(obj, field.attname)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        key = (type(value), value)
        try:
            return shown_of[key], nowrap
        except KeyError:
            shown = shown_of[key] = _plain(
                conditional_escape(display_for_field(value, field, empty))
            )
        except TypeError:  # a value that cannot be a key (a list from a JSON field)
            shown = conditional_escape(display_for_field(value, field, empty))
        return shown, nowrap

    return render
