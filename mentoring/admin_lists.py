"""Admin actions that never cover only the rows on screen without saying so.

Django's header checkbox ticks the rows of the page; an action then runs on those alone,
and "Select all 162" is easy to miss. With 162 accepted applicants listed 100 a page,
"Send decisions" would tell 100 and silently leave 62. Here, when every row of a page is
ticked and the filtered list holds more, the action first asks: all of the list, or only
the ticked rows.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote_plus

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .escaping import conditional_escape
from .lean_pages import attach_shared_cycles, lean_objects, lean_page

WHOLE_LIST = "whole_list"

# Actions an app higher up offers on lists it does not own (the newsletter's "message
# these people" on applications, matches and goal sheets): it fills this registry, the
# lists below read it, and no import goes upward. Model label → (action, permission).
_OFFERED: dict[str, list[tuple[Callable, str]]] = {}


def list_action_offer(model_label: str, action: Callable, *, permission: str) -> None:
    """Offer ``action`` on the changelist of ``model_label`` ("goals.goalsheet") to
    those who hold ``permission``; once, however often it is offered."""
    offered = _OFFERED.setdefault(model_label, [])
    if all(existing.__name__ != action.__name__ for existing, _ in offered):
        offered.append((action, permission))


class WholeListActions:
    """A ModelAdmin mixin: every action asks before covering a page of a longer list."""

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET:
            return actions  # a popup choosing a row offers no action
        for action, permission in _OFFERED.get(self.model._meta.label_lower, []):
            if request.user.has_perm(permission):
                actions[action.__name__] = self.get_action(action)
        return actions

    def response_action(self, request: HttpRequest, queryset):
        choice = request.POST.get(WHOLE_LIST)
        if choice == "all":
            post = request.POST.copy()
            post["select_across"] = "1"
            request.POST = post
        elif choice is None and request.POST.get("select_across") == "0":
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            total = queryset.count()
            if selected and total > len(selected) >= min(self.list_per_page, total):
                return self._ask_whole_list(request, len(selected), total)
        return super().response_action(request, queryset)

    def _ask_whole_list(self, request: HttpRequest, ticked: int, total: int):
        action = request.POST.get("action", "")
        actions = self.get_actions(request)
        description = actions[action][2] if action in actions else action
        opts = self.model._meta
        hidden = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in ("csrfmiddlewaretoken", WHOLE_LIST)
            for value in values
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{description}: the whole list, or this page?",
            "opts": opts,
            "description": description,
            "ticked": ticked,
            "total": total,
            "things": opts.verbose_name_plural,
            "hidden": hidden,
            "action_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/whole_list_confirm.html", context)


class LeanRows:
    """A ModelAdmin mixin: a changelist page comes in one query, with only the columns its
    cells show (``list_only``, as for ``QuerySet.only``), not every text field of every
    joined row.

    Stock Django asks four times for a page: the filtered count, the full count, the
    page's keys (sorted on the narrow row) and then its rows. Here the page's rows come
    with both counts beside them, and their keys are found (sorted on the narrow row) in
    a subquery; on a 2-core server each round trip costs about a third of a whole simple
    page. Only the page of rows is narrowed: the filters and the actions work on the full
    queryset, so an action never reads a deferred field row by row."""

    list_only: tuple[str, ...] = ()
    # The rows' cycle foreign key ("cycle", "match__cycle"): each row's cycle, with its
    # program, is the one in the programs' shared content (read-only), not columns
    # joined into every row and two more objects built for each.
    list_shared_cycle: str = ""

    def action_checkbox_label(self, obj) -> str:
        """How a row's checkbox names it to a screen reader."""
        return str(obj)

    def lean_rows_of(self, queryset) -> list:
        """The page's narrowed rows, in order."""
        return self.lean_finished(self.lean_fetch(self.lean_prepared(queryset)))

    def lean_prepared(self, queryset):
        """``queryset`` with what the columns read beside the rows (annotations): the
        same for every page of the list."""
        return queryset

    def lean_finished(self, rows: list) -> list:
        """The page's rows, with what the columns read worked out for the page."""
        return rows

    def lean_shape(self, request: HttpRequest):
        """What the list's start (``get_queryset``) depends on, as a key, if anything
        (the person, say); None if this cannot be told, and the page's query is then
        compiled afresh on every visit (``lean_pages.page_template``)."""
        return None

    def lean_counts(self, changelist) -> dict:
        """Counts the page's notes need, by name, asked with its rows rather than in a
        query each (read back from ``changelist.lean_counts``)."""
        return {}

    def lean_narrowed(self, queryset):
        """``queryset`` loading only what the columns show."""
        path = self.list_shared_cycle
        if not path:
            return queryset.only(*self.list_only)
        within = f"{path}__"
        related = [r for r in self.list_select_related if r != path and not r.startswith(within)]
        queryset = queryset.select_related(None)
        if related:  # (select_related() with no names would follow every key)
            queryset = queryset.select_related(*related)
        only = [f for f in self.list_only if not f.startswith(within)]
        return queryset.only(*only, path)

    def lean_fetch(self, queryset) -> list:
        """The rows of ``queryset`` with their shared cycles (``list_shared_cycle``)."""
        return self.lean_attached(list(lean_objects(queryset)))

    def lean_attached(self, rows: list) -> list:
        """``rows`` with their shared cycles (``list_shared_cycle``)."""
        if self.list_shared_cycle:
            attach_shared_cycles(rows, self.list_shared_cycle)
        return rows

    def action_checkbox(self, obj) -> str:
        return action_checkbox_html(obj.pk, self.action_checkbox_label(obj))

    def get_changelist(self, request: HttpRequest, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if not self.list_only:
            return changelist

        class LeanChangeList(changelist):
            def get_results(self, request):
                if self.show_all or type(self.model_admin).get_paginator is not _STOCK_PAGINATOR:
                    # "Show all" (every row, no page) keeps Django's way, narrowed.
                    super().get_results(request)
                    self.result_list = self.model_admin.lean_rows_of(
                        self.model_admin.lean_narrowed(self.result_list)
                    )
                    return
                lean_page(self, request)

            def get_query_string(self, new_params=None, remove=None):
                return lean_query_string(self.filter_params, new_params, remove)

        return LeanChangeList


# What a query string shows as it is (urllib's quote_plus leaves these alone).
_URL_PLAIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def lean_query_string(filter_params: dict, new_params=None, remove=None) -> str:
    """``ChangeList.get_query_string``: the same string, with each name and value that
    needs no escaping written as it is rather than through Django's and urllib's
    ``urlencode`` (the applications list asks for some 130 a page, one per filter
    choice, header and page link). A value of any other kind goes through Django's."""
    p = filter_params.copy()
    for prefix in remove or ():
        for key in list(p):
            if key.startswith(prefix):
                del p[key]
    for key, value in (new_params or {}).items():
        if value is None:
            p.pop(key, None)
        else:
            p[key] = value
    parts = []
    for key, value in sorted(p.items()):
        if type(value) is str or type(value) is int:
            values = (str(value),)
        elif type(value) is list and all(type(v) is str for v in value):
            values = value
        else:
            parts.append(urlencode([(key, value)], doseq=True))
            continue
        name = key if not key.strip(_URL_PLAIN) else quote_plus(key)
        parts.extend(f"{name}={v if not v.strip(_URL_PLAIN) else quote_plus(v)}" for v in values)
    return "?" + "&".join(part for part in parts if part)


_STOCK_PAGINATOR = admin.ModelAdmin.get_paginator


def action_checkbox_html(pk, label: str, prompt: str | None = None) -> str:
    """A row's action checkbox as Django's renders it, written out: the checkbox widget
    goes through the form renderer's templates, about half of a 100-row page's time.
    ``prompt``: the translated "Select this object…", when a page has it already.
    (As ``format_html`` would, with one string built rather than two: a page has a
    hundred.)"""
    aria = (prompt or _("Select this object for an action - {}")).format(conditional_escape(label))
    return SafeString(
        f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" '
        f'value="{conditional_escape(pk)}" class="action-select" aria-label="{aria}">'
    )


def cycle_spec(changelist):
    """The changelist's cycle filter (``mentoring.admin.cycle_filter``), if it has one."""
    return next((f for f in changelist.filter_specs if hasattr(f, "opens_on_current")), None)


class ListNotes:
    """A ModelAdmin mixin: a changelist with no rows says why, and a list may say what
    its rows leave out (``list_notes``), each note a line of HTML above the rows."""

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context is not None and "cl" in context:
            changelist = context["cl"]
            context["list_notes"] = self.list_notes(request, changelist)
            cycles = cycle_spec(changelist)
            if cycles is not None and cycles.opens_on_current:
                # "(26 total)" beside the count leads to every cycle's rows, not back here.
                changelist.every_row_url = f"?{cycles.parameter_name}=all"
            if isinstance(context.get("media"), forms.Media):
                context["media"] = kept_media(context["media"])
        return response

    def list_notes(self, request: HttpRequest, changelist) -> list[str]:
        if changelist.result_count:
            return []
        return [empty_list_reason(changelist)]


class KeptMedia(forms.Media):
    """A page's media (its scripts and style sheets) drawn once a process: the same
    files, the same tags. Drawing them walks every file through the static files
    storage and orders the lists anew, on every visit to a list. Added to other media,
    it is media as any other."""

    def __init__(self, media: forms.Media):
        super().__init__()
        self._css_lists, self._js_lists = media._css_lists, media._js_lists
        self._drawn = media.render()
        self._parts: dict[str, KeptMedia] = {}

    def render(self):
        return self._drawn

    def __getitem__(self, name):
        part = self._parts.get(name)
        if part is None:
            part = self._parts[name] = KeptMedia(super().__getitem__(name))
        return part


_KEPT_MEDIA: dict[str, KeptMedia] = {}


def kept_media(media: forms.Media) -> KeptMedia:
    """``media`` as drawn before by this process, if the same files were. Its files
    follow from the admin class and the settings alone (a list's, its actions'), so a
    process keeps a few; a file's URL is fixed for the process's life (the static
    files' manifest is read once)."""
    key = repr((media._css_lists, media._js_lists))
    kept = _KEPT_MEDIA.get(key)
    if kept is None:
        if len(_KEPT_MEDIA) >= 64:  # (never, with the lists there are: a bound all the same)
            _KEPT_MEDIA.clear()
        kept = _KEPT_MEDIA[key] = KeptMedia(media)
    return kept


def empty_list_reason(changelist) -> str:
    things = changelist.opts.verbose_name_plural
    cycles = cycle_spec(changelist)
    narrowed = bool(changelist.query) or any(
        spec.used_parameters and spec is not cycles for spec in changelist.filter_specs
    )
    also = " with these filters" if narrowed else ""
    if cycles is not None and cycles.opens_on_current:
        names = ", ".join(str(c) for c in cycles.current) or "none running"
        return format_html(
            'No {} in the current cycles ({}){}. <a href="{}">See all cycles</a>.',
            things,
            names,
            also,
            changelist.get_query_string({cycles.parameter_name: "all"}),
        )
    if cycles is not None and cycles.chosen:
        name = dict(cycles.lookup_choices).get(str(cycles.chosen[0]), "this cycle")
        return format_html("No {} in {}{}.", things, name, also)
    if narrowed:
        return format_html("No {} with these filters.", things)
    return format_html("No {} yet.", things)
