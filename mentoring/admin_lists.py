"""Admin actions that never cover only the rows on screen without saying so.

Django's header checkbox ticks the rows of the page; an action then runs on those alone,
and "Select all 62" is easy to miss. With 62 accepted applicants listed 50 a page,
"Send decisions" would tell 50 and silently leave 12. Here, when every row of a page is
ticked and the filtered list holds more, the action first asks: all of the list, or only
the ticked rows.
"""

from __future__ import annotations

from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse

WHOLE_LIST = "whole_list"


class WholeListActions:
    """A ModelAdmin mixin: every action asks before covering a page of a longer list."""

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
