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
import html
from pathlib import Path

from django import template
from django.contrib import admin as admin_module
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    _boolean_icon,
    admin_list_filter,
    pagination,
    paginator_number,
    result_headers,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters, admin_urlname
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..admin_lists import action_checkbox_html
from ..escaping import conditional_escape, escape
from ..lean_table import results_table

register = template.Library()

DATES = (datetime.date, datetime.time)


@register.simple_tag
def lean_result_list(cl):
    if not getattr(cl.model_admin, "list_only", None) or cl.is_popup or cl.formset:
        return render_to_string("admin/change_list_results.html", result_list(cl))
    body = "".join(f"<tr>{row}</tr>" for row in lean_rows(cl))
    # (No row forms, so no hidden fields: an editable list keeps Django's, above.)
    return results_table(list(result_headers(cl)), mark_safe(body))


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

    if url_of is None:

        def cell(obj, empty=None):
            try:
                shown, nowrap = render(obj)
            except ObjectDoesNotExist:
                if empty is None:
                    raise
                shown, nowrap = empty, False
            return f"{nowrapped if nowrap else plain}{shown}{close}"

        return cell

    def linked_cell(obj, empty=None):
        try:
            shown, nowrap = render(obj)
        except ObjectDoesNotExist:
            if empty is None:
                raise
            shown, nowrap = empty, False
        return f'{nowrapped if nowrap else plain}<a href="{url_of(obj)}">{shown}</a>{close}'

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


@register.simple_tag
def lean_list_filter(cl, spec) -> str:
    """``{% admin_list_filter cl spec %}`` written out for the stock ``admin/filter.html``:
    the same markup, without a template loop over every choice (the applications list
    offers a hundred, its states and interests among them). A filter with a template
    of its own keeps it."""
    if spec.template != "admin/filter.html":
        return admin_list_filter(cl, spec)
    title = conditional_escape(spec.title)
    by = _(" By %(filter_title)s ") % {"filter_title": title}
    out = [
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by}\n  </summary>'
        "\n  <ul>\n  "
    ]
    for choice in spec.choices(cl):
        selected = ' class="selected"' if choice["selected"] else ""
        href = escape(iri_to_uri(choice["query_string"]))
        shown = conditional_escape(choice["display"])
        out.append(f'\n    <li{selected}>\n    <a href="{href}">{shown}</a></li>\n  ')
    out.append("\n  </ul>\n</details>\n")
    return mark_safe("".join(out))


class Navigation(list):
    """An app list laid out once and shown to everyone with the same permissions (the
    committee site's navigation): read-only, it keeps its markup as
    :func:`lean_app_list` wrote it, by language, change links and the page's place in
    it, so that drawing it again on every page is a look-up."""

    def __init__(self, sections):
        super().__init__(sections)
        self.urls = tuple(
            {
                str(url)
                for app in self
                for url in (app.get("app_url"), *(m.get("admin_url") for m in app["models"]))
                if url
            }
        )
        self.shown: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def lean_app_list(context) -> str:
    """``admin/app_list.html`` written out: the same markup, with the labels translated
    and the current path encoded once for the list, not once per model. The navigation
    sidebar draws it on every admin page (some thirty models), where the stock template
    was a quarter of an empty changelist's time. A shared :class:`Navigation` is drawn
    once for each language and place in it, then read back."""
    app_list = context.get("app_list")
    if not app_list:
        return format_html("<p>{}</p>", _("You don’t have permission to view or edit anything."))
    request = context.get("request")
    path = urlencode(request.path) if request is not None else ""
    if type(app_list) is not Navigation:
        return _app_list_html(app_list, context.get("show_changelinks"), path)
    # What of the markup depends on the page: which of the list's URLs its path holds.
    key = (
        get_language(),
        bool(context.get("show_changelinks")),
        tuple(url for url in app_list.urls if url in path),
    )
    shown = app_list.shown.get(key)
    if shown is None:
        if len(app_list.shown) >= _SHOWN_KEPT:
            app_list.shown.clear()
        shown = app_list.shown[key] = _app_list_html(app_list, key[1], path)
    return shown


# Ways one navigation is drawn (languages x its places): far fewer in practice.
_SHOWN_KEPT = 512


def _app_list_html(app_list, show_changelinks, path: str) -> str:
    headings = format_html(
        '<thead class="visually-hidden"><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead>',
        _("Model name"),
        _("Add link"),
        _("Change or view list link"),
    )
    add, change, view = escape(_("Add")), escape(_("Change")), escape(_("View"))
    models_in = _("Models in the %(name)s application")

    def here(url) -> bool:
        return bool(url) and str(url) in path

    out = []
    for app in app_list:
        label = escape(app["app_label"])
        current = " current-app" if here(app.get("app_url")) else ""
        out.append(
            f'<div class="app-{label} module{current}"><table><caption>'
            f'<a href="{escape(app.get("app_url") or "")}" class="section" '
            f'title="{models_in % {"name": conditional_escape(app["name"])}}">'
            f"{conditional_escape(app['name'])}</a></caption>{headings}"
        )
        for model in app["models"]:
            name = escape(model["object_name"].lower())
            url = model.get("admin_url")
            at = here(url)
            row_id = f"{label}-{name}"
            out.append(
                f'<tr class="model-{name}{" current-model" if at else ""}">'
                f'<th scope="row" id="{row_id}">'
            )
            if url:
                current_page = ' aria-current="page"' if at else ""
                shown = conditional_escape(model["name"])
                out.append(f'<a href="{escape(url)}"{current_page}>{shown}</a>')
            else:
                out.append(conditional_escape(model["name"]))
            out.append("</th>")
            if model.get("add_url"):
                out.append(
                    f'<td><a href="{escape(model["add_url"])}" class="addlink" '
                    f'aria-describedby="{row_id}">{add}</a></td>'
                )
            else:
                out.append("<td></td>")
            if url and show_changelinks:
                kind, text = (
                    ("viewlink", view) if model.get("view_only") else ("changelink", change)
                )
                out.append(
                    f'<td><a href="{escape(url)}" class="{kind}" '
                    f'aria-describedby="{row_id}">{text}</a></td>'
                )
            elif show_changelinks:
                out.append("<td></td>")
            out.append("</tr>")
        out.append("</table></div>")
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def lean_admin_actions(context) -> str:
    """``{% admin_actions %}`` written out for the stock ``admin/actions.html``: the same
    markup, without the form renderer's templates for the action menu (a template per
    option, and one for each option's attributes: a fifth of a changelist's template
    time). A form other than the admin's own, unbound ``ActionForm`` keeps Django's."""
    context["action_index"] = index = context.get("action_index", -1) + 1
    form = context["action_form"]
    if type(form) is not helpers.ActionForm or form.is_bound:
        return render_to_string("admin/actions.html", context.flatten())

    def shown(value) -> str:
        return render_value_in_context(value, context)

    action = form["action"]
    options = []
    for value, label in action.field.choices:
        if isinstance(label, (list, tuple)):  # a group of actions: Django's own widget
            options = None
            break
        selected = " selected" if value == "" else ""
        options.append(
            f'\n  <option value="{escape(value)}"{selected}>{conditional_escape(label)}</option>\n'
        )
    menu = (
        f'<select name="action" required>{"".join(options)}\n</select>'
        if options is not None
        else str(action)
    )
    out = [
        f'\n<div class="actions">\n  \n    \n    <label>{shown(action.label)} {menu}</label>'
        '<input type="hidden" name="select_across" value="0" class="select-across">\n    \n    \n'
        f'    <button type="submit" class="button" title="{shown(_("Run the selected action"))}" '
        f'name="index" value="{shown(index or 0)}">{shown(_("Go"))}</button>\n    \n    \n    '
    ]
    if context.get("actions_selection_counter"):
        cl = context["cl"]
        on_page = len(cl.result_list)
        out.append(
            f'\n        <span class="action-counter" data-actions-icnt="{shown(on_page)}">'
            f"{shown(context.get('selection_note'))}</span>\n        "
        )
        if cl.result_count != on_page:
            every = _("Select all %(total_count)s %(module_name)s") % {
                "total_count": shown(cl.result_count),
                "module_name": shown(context.get("module_name")),
            }
            title = shown(_("Click here to select the objects across all pages"))
            out.append(
                f'\n        <span class="all hidden">{shown(context.get("selection_note_all"))}'
                "</span>\n"
                '        <span class="question hidden">\n'
                f'            <a role="button" href="#" title="{title}">{every}</a>\n'
                "        </span>\n"
                '        <span class="clear hidden"><a role="button" href="#">'
                f"{shown(_('Clear selection'))}</a></span>\n        "
            )
        out.append("\n    ")
    out.append("\n    \n  \n</div>\n")
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def lean_pagination(context, cl) -> str:
    """``{% pagination cl %}`` written out for Django's own ``admin/pagination.html``: the
    same markup, without finding the template among the model's and app's own and
    rendering it on every page. A model or app with a template of its own keeps it."""
    shown = pagination(cl)
    chosen = _admin_template(context, "pagination.html")
    if chosen is not None:
        return chosen.render(context.new(shown))

    def value(thing) -> str:
        return render_value_in_context(thing, context)

    out = ['\n\n<p class="paginator">\n']
    if shown["pagination_required"]:
        out.append("\n")
        out.extend(f"\n    {paginator_number(cl, i)}\n" for i in shown["page_range"])
        out.append("\n")
    out.append("\n")
    count = cl.result_count
    name = cl.opts.verbose_name if count == 1 else cl.opts.verbose_name_plural
    out.append(f"{value(count)} {value(name)}\n")
    if shown["show_all_url"]:
        out.append(
            f'<a href="{value(shown["show_all_url"])}" class="showall">{value(_("Show all"))}</a>'
        )
    out.append("\n")
    if cl.formset and count:
        out.append(f'<input type="submit" name="_save" class="default" value="{value(_("Save"))}">')
    out.append("\n</p>\n")
    return mark_safe("".join(out))


# Django's own admin templates.
_DJANGO_ADMIN = Path(admin_module.__file__).parent / "templates" / "admin"
# Whether a model's admin template is Django's own, by app, model and name: found once
# per process (a template added later is seen after a restart).
_STOCK: dict[tuple, bool] = {}


def _admin_template(context, name: str):
    """The model's or app's own admin template ``name`` (found as ``InclusionAdminNode``
    finds it), or None when it is Django's own."""
    opts = context["opts"]
    key = (opts.app_label, opts.model_name, name)
    if _STOCK.get(key):
        return None
    chosen = context.template.engine.select_template(
        [
            f"admin/{opts.app_label.lower()}/{opts.model_name}/{name}",
            f"admin/{opts.app_label.lower()}/{name}",
            f"admin/{name}",
        ]
    )
    stock = _STOCK[key] = Path(chosen.origin.name) == _DJANGO_ADMIN / name
    return None if stock else chosen
