"""Admin actions that never cover only the rows on screen without saying so.

Django's header checkbox ticks the rows of the page; an action then runs on those alone,
and "Select all 62" is easy to miss. With 62 accepted applicants listed 50 a page,
"Send decisions" would tell 50 and silently leave 12. Here, when every row of a page is
ticked and the filtered list holds more, the action first asks: all of the list, or only
the ticked rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
    """A ModelAdmin mixin: a changelist page loads only the columns its cells show
    (``list_only``, as for ``QuerySet.only``), not every text field of every joined row.

    Only the page of rows shown is narrowed: the count, the filters and the actions work on
    the full queryset, so an action never reads a deferred field row by row. The page is
    found by its keys, then its rows loaded: one query more, a sort of narrow rows."""

    list_only: tuple[str, ...] = ()

    def action_checkbox_label(self, obj) -> str:
        """How a row's checkbox names it to a screen reader."""
        return str(obj)

    def lean_rows_of(self, queryset) -> dict:
        """The page's narrowed rows by key (a list may attach what its columns read)."""
        return queryset.in_bulk()

    def action_checkbox(self, obj) -> str:
        return action_checkbox_html(obj.pk, self.action_checkbox_label(obj))

    def get_changelist(self, request: HttpRequest, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        only = self.list_only
        if not only:
            return changelist

        class LeanChangeList(changelist):
            def get_results(self, request):
                super().get_results(request)
                # The page's keys first, sorted on the narrow row; then those rows alone
                # with what the columns show. Sorting whole rows made the database compute
                # every row's annotations (review means, sheet progress) before paging.
                keys = list(dict.fromkeys(self.result_list.values_list("pk", flat=True)))
                rows = self.model_admin.lean_rows_of(
                    self.queryset.order_by().filter(pk__in=keys).only(*only)
                )
                self.result_list = [rows[key] for key in keys if key in rows]

        return LeanChangeList


def action_checkbox_html(pk, label: str, prompt: str | None = None) -> str:
    """A row's action checkbox as Django's renders it, written out: the checkbox widget
    goes through the form renderer's templates, about half of a 100-row page's time.
    ``prompt``: the translated "Select this object…", when a page has it already."""
    return format_html(
        '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
        helpers.ACTION_CHECKBOX_NAME,
        pk,
        format_html(prompt or _("Select this object for an action - {}"), label),
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
        return response

    def list_notes(self, request: HttpRequest, changelist) -> list[str]:
        if changelist.result_count:
            return []
        return [empty_list_reason(changelist)]


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
