"""The admin's changelist pieces written out: its rows (``{% lean_result_list cl %}``,
from ``mentoring.lean_rows``), filters, navigation, actions and page links, each with
the markup of Django's template. Changelists not marked lean (``LeanRows``), popups and
editable lists keep Django's rows.
"""

from __future__ import annotations

from pathlib import Path

from django import template
from django.contrib import admin as admin_module
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    admin_list_filter,
    pagination,
    paginator_number,
    result_headers,
    result_list,
)
from django.template.base import render_value_in_context
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..escaping import conditional_escape, escape
from ..lean_rows import lean_rows
from ..lean_table import results_table

register = template.Library()


@register.simple_tag
def lean_result_list(cl):
    if not getattr(cl.model_admin, "list_only", None) or cl.is_popup or cl.formset:
        return render_to_string("admin/change_list_results.html", result_list(cl))
    body = "".join(f"<tr>{row}</tr>" for row in lean_rows(cl))
    # (No row forms, so no hidden fields: an editable list keeps Django's, above.)
    return results_table(list(result_headers(cl)), mark_safe(body))


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
