"""A lean changelist's table around its rows, written out as
``admin/change_list_results.html`` lays it out (the rows themselves are
``{% lean_result_list %}``'s): the head's sort links for each column, without a
template loop over the columns and their sort options on every page."""

from __future__ import annotations

from django.template.defaultfilters import capfirst
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext as _

from .escaping import escape


def _shown(value) -> str:
    """``{{ value }}`` under autoescaping."""
    return value if isinstance(value, SafeData) else escape(value)


def _header(header: dict, several_sorted: bool, remove: str, toggle: str) -> str:
    out = [f'\n<th scope="col"{header["class_attrib"]}>\n   ']
    if header["sortable"] and header["sort_priority"] > 0:
        out.append(
            '\n       <div class="sortoptions">\n'
            f'         <a class="sortremove" href="{_shown(header["url_remove"])}" '
            f'title="{remove}"></a>\n         '
        )
        if several_sorted:
            priority = header["sort_priority"]
            title = _("Sorting priority: %(priority_number)s") % {"priority_number": priority}
            title = escape(title)
            out.append(f'<span class="sortpriority" title="{title}">{priority}</span>')
        way = "ascending" if header["ascending"] else "descending"
        out.append(
            f'\n         <a href="{_shown(header["url_toggle"])}" class="toggle {way}" '
            f'title="{toggle}"></a>\n       </div>\n   '
        )
    text = header["text"]
    shown = capfirst(text)
    shown = SafeString(shown) if isinstance(text, SafeData) else escape(shown)
    if header["sortable"]:
        out.append(
            f'\n   <div class="text"><a href="{_shown(header["url_primary"])}">{shown}</a></div>'
        )
    else:
        out.append(f'\n   <div class="text"><span>{shown}</span></div>')
    out.append('\n   <div class="clear"></div>\n</th>')
    return "".join(out)


def results_table(headers: list[dict], body: str) -> str:
    """The table (no row forms, no hidden fields: a lean list has neither)."""
    if not body:
        return "\n\n\n"
    several_sorted = sum(1 for h in headers if h["sortable"] and h["sorted"]) > 1
    remove, toggle = escape(_("Remove from sorting")), escape(_("Toggle sorting"))
    heads = "".join(_header(h, several_sorted, remove, toggle) for h in headers)
    return SafeString(
        '\n\n\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n'
        f"{heads}\n</tr>\n</thead>\n<tbody>{body}</tbody>\n</table>\n</div>\n\n"
    )
