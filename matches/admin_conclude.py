"""Concluding matches from admin: one match, or a whole cycle's, before or after the
program year's last day (the beat task concludes the rest on that day). Both pages call
``matches.conclusion``; before the last day staff say why."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext

from mentoring.models import Cycle

from . import conclusion
from .forms import ConcludeForm
from .models import Match


def _add_errors(form: ConcludeForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error("reason" if field == "concluded_reason" else None, errors)
    else:
        form.add_error(None, exc)


class ConclusionPages:
    """The match admin's pages that conclude matches."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/conclude/", wrap(self.conclude_view), name="matches_match_conclude"),
            path(
                "cycle/<int:cycle_id>/conclude/",
                wrap(self.cycle_conclude_view),
                name="matches_match_conclude_cycle",
            ),
            *super().get_urls(),
        ]

    def conclude_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Conclude one active match (early: with a reason)."""
        match = get_object_or_404(
            Match.objects.select_related("mentor", "mentee", "cycle__program"), pk=pk
        )
        if not self.has_change_permission(request, match):
            raise PermissionDenied
        form = ConcludeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                conclusion.match_conclude(
                    match=match, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    gettext("Concluded %(match)s; both partners are emailed.") % {"match": match},
                )
                return redirect("admin:matches_match_change", match.pk)
        return TemplateResponse(
            request,
            "matches/admin/conclude.html",
            self._context(
                request,
                title=gettext("Conclude the match %(match)s") % {"match": match},
                match=match,
                cycle=match.cycle,
                early=match.cycle.program.today() < match.cycle.ends_on,
                form=form,
                original=match,
            ),
        )

    def cycle_conclude_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        """Conclude every active match of a cycle (early: with a reason)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id)
        active = Match.objects.active().filter(cycle=cycle).count()
        form = ConcludeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                done = conclusion.cycle_conclude(
                    cycle=cycle, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Concluded %(n)d match of %(cycle)s.",
                        "Concluded %(n)d matches of %(cycle)s.",
                        done,
                    )
                    % {"n": done, "cycle": cycle},
                )
                return redirect("admin:index")
        return TemplateResponse(
            request,
            "matches/admin/conclude.html",
            self._context(
                request,
                title=gettext("Conclude the matches of %(cycle)s") % {"cycle": cycle},
                cycle=cycle,
                active=active,
                early=cycle.program.today() < cycle.ends_on,
                form=form,
            ),
        )
