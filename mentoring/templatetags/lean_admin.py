"""A changelist's rows written out column by column (``{% lean_result_list cl %}``).

Django's ``result_list`` works out, for every cell of every row, what the column is (a
model field, an admin method, an attribute), renders it through ``format_html`` and
hands each cell to the template loop: on a 100-row page of ten columns, most of the page's
time. Here each column is resolved once per page and each row is one string, with the
same markup (classes, the link in the first column, boolean icons, the empty value).
Changelists not marked lean (``LeanRows``), popups and editable lists keep Django's.
"""

from __future__ import annotations

import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import (
    _boolean_icon,
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters, admin_urlname
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

register = template.Library()

DATES = (datetime.date, datetime.time)


@register.inclusion_tag("admin/change_list_results.html")
def lean_result_list(cl):
    if not getattr(cl.model_admin, "list_only", None) or cl.is_popup or cl.formset:
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": [[row] for row in lean_rows(cl)],
    }


def lean_rows(cl) -> list[str]:
    columns = [_column(cl, index, name) for index, name in enumerate(cl.list_display)]
    links = cl.list_display_links
    linked = None
    if links is not None:
        names = [name for name in cl.list_display if name != "action_checkbox"]
        linked = set(links) if links else set(names[:1])
    url_of = _change_url(cl)
    rows = []
    for obj in cl.result_list:
        cells = []
        first = True
        for name, css, render in columns:
            try:
                shown, nowrap = render(obj)
            except ObjectDoesNotExist:
                shown, nowrap = escape(cl.model_admin.get_empty_value_display()), False
            classes = f"{css} nowrap" if nowrap else css
            if linked is not None and name in linked:
                tag = "th" if first else "td"
                first = False
                if url_of is not None:
                    shown = f'<a href="{url_of(obj)}">{shown}</a>'
                cells.append(f'<{tag} class="{classes}">{shown}</{tag}>')
            else:
                cells.append(f'<td class="{classes}">{shown}</td>')
        rows.append(mark_safe("".join(cells)))
    return rows


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
    return lambda obj: f"{before}{escape(quote(obj.pk))}{after}"


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
    css = "action-checkbox" if name == "action_checkbox" else f"field-{label}"

    def render(obj):
        if call is not None:
            value = call(obj)
        else:
            value = getattr(obj, name)
            if callable(value):
                value = value()
        if isinstance(value, str) and value.strip() == "":
            value = ""
        shown = _boolean_icon(value) if boolean else display_for_value(value, empty)
        return conditional_escape(shown), isinstance(value, DATES)

    return (name, css, render)


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
            shown = shown_of[key] = conditional_escape(display_for_field(value, field, empty))
        except TypeError:  # a value that cannot be a key (a list from a JSON field)
            shown = conditional_escape(display_for_field(value, field, empty))
        return shown, nowrap

    return render
