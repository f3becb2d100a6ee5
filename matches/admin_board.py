"""The “Propose matches” board in admin: the cycles to match, one cycle's board, and
what staff do on it (run the engine, change a mentor, lock, discard, rule out, confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext

from applications.models import Application
from mentoring.models import Cycle

from . import runs, services
from .board import cycles_for_matching, proposal_board, run_progress
from .models import Match, MatchingRun


def show_errors(request: HttpRequest, exc: ValidationError, prefix: str = "") -> None:
    for text in exc.messages:
        messages.error(request, f"{prefix}{text}")


class ProposalBoardPages:
    """The proposals board pages of the match admin."""

    # -- pages ---------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("propose/", wrap(self.propose_index_view), name="matches_match_propose_index"),
            path("propose/<int:cycle_id>/", wrap(self.propose_view), name="matches_match_propose"),
            path(
                "propose/<int:cycle_id>/progress/",
                wrap(self.run_progress_view),
                name="matches_match_propose_progress",
            ),
            path("<int:pk>/dissolve/", wrap(self.dissolve_view), name="matches_match_dissolve"),
            *super().get_urls(),
        ]

    def _context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def propose_index_view(self, request: HttpRequest) -> HttpResponse:
        """Pick the cycle to match."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        cycles = list(cycles_for_matching())
        return TemplateResponse(
            request,
            "matches/admin/propose_index.html",
            self._context(request, title=gettext("Propose matches"), cycles=cycles),
        )

    def propose_view(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        """The committee's board for one cycle: run the engine, adjust, lock, confirm."""
        cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            self._board_post(request, cycle)
            page = request.POST.get("page", "")
            return HttpResponseRedirect(request.path + (f"?page={page}" if page else ""))
        board = proposal_board(cycle, page=request.GET.get("page", 1))
        weights_url = (
            reverse("admin:matches_matchingweights_change", args=[board.weights.pk])
            if board.weights.pk
            else reverse("admin:matches_matchingweights_add") + f"?cycle={cycle.pk}"
        )
        context = self._context(
            request,
            title=gettext("Propose matches: %(cycle)s") % {"cycle": cycle},
            cycle=cycle,
            board=board,
            weights_url=weights_url,
            can_change=self.has_change_permission(request),
        )
        return TemplateResponse(request, "matches/admin/propose.html", context)

    def run_progress_view(self, request: HttpRequest, cycle_id: int) -> JsonResponse:
        """How far the cycle's newest run of the engine is, as JSON the board fetches
        again every few seconds while it runs (static/committee/progress.js)."""
        cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        return JsonResponse(run_progress(cycle))

    def _board_post(self, request: HttpRequest, cycle: Cycle) -> None:
        post, user = request.POST, request.user
        if "run" in post:
            run, queued = runs.matching_run_queue(cycle=cycle, by=user)
            run.refresh_from_db()  # without a broker the run is done already
            if run.state == MatchingRun.State.DONE:
                messages.success(
                    request,
                    gettext(
                        "The engine proposed %(pairs)s (kept %(kept)s; %(unmatched)s unmatched) "
                        "in %(seconds)s s."
                    )
                    % {
                        "pairs": ngettext("%(count)d pair", "%(count)d pairs", run.proposed)
                        % {"count": run.proposed},
                        "kept": run.kept,
                        "unmatched": ngettext(
                            "%(count)d mentee", "%(count)d mentees", run.unmatched
                        )
                        % {"count": run.unmatched},
                        "seconds": f"{run.seconds:.1f}",
                    },
                )
            elif run.state == MatchingRun.State.FAILED:
                messages.error(
                    request, gettext("The engine failed: %(error)s") % {"error": run.error}
                )
            elif queued:
                messages.info(
                    request,
                    ngettext(
                        "The engine is pairing %(count)d mentee; its progress shows below.",
                        "The engine is pairing %(count)d mentees; its progress shows below.",
                        run.mentees,
                    )
                    % {"count": run.mentees},
                )
            else:
                messages.info(request, gettext("The engine is already running for this cycle."))
            return
        if "create" in post:
            mentee = Application.objects.filter(pk=post.get("create"), cycle=cycle).first()
            mentor_id = post.get(f"mentor_for_{post.get('create')}")
            mentor = Application.objects.filter(pk=mentor_id or 0, cycle=cycle).first()
            if mentee is None or mentor is None:
                messages.error(request, gettext("Choose a mentor for the mentee first."))
                return
            try:
                match = services.match_create(mentee=mentee, mentor=mentor, by=user)
            except ValidationError as exc:
                show_errors(request, exc)
            else:
                messages.success(
                    request, gettext("Proposed %(match)s (locked).") % {"match": match}
                )
            return
        if "confirm" in post:
            ids = post.getlist("selected")
            if not ids:
                messages.warning(request, gettext("Tick the proposals to confirm first."))
                return
            matches = Match.objects.filter(cycle=cycle, pk__in=ids).select_related(
                "mentor", "mentee"
            )
            confirmed = 0
            for match in matches:
                try:
                    services.match_confirm(match=match, by=user)
                except ValidationError as exc:
                    show_errors(request, exc, prefix=f"{match}: ")
                else:
                    confirmed += 1
            if confirmed:
                messages.success(
                    request,
                    ngettext(
                        "Confirmed %(count)d match; the introduction emails are on their way.",
                        "Confirmed %(count)d matches; the introduction emails are on their way.",
                        confirmed,
                    )
                    % {"count": confirmed},
                )
            return
        for name in ("swap", "lock", "unlock", "discard", "never"):
            if name in post:
                match = (
                    Match.objects.filter(cycle=cycle, pk=post.get(name) or 0)
                    .select_related("mentor", "mentee")
                    .first()
                )
                if match is None:
                    messages.error(
                        request, gettext("That proposal no longer exists; the page is reloaded.")
                    )
                    return
                try:
                    self._board_change(request, name, match)
                except ValidationError as exc:
                    show_errors(request, exc)
                return
        messages.error(request, gettext("Nothing to do: use one of the buttons."))

    def _board_change(self, request: HttpRequest, name: str, match: Match) -> None:
        user = request.user
        if name == "swap":
            mentor_id = request.POST.get(f"mentor_{match.pk}")
            mentor = Application.objects.filter(pk=mentor_id or 0, cycle=match.cycle_id).first()
            if mentor is None:
                raise ValidationError(gettext("Choose another mentor first."))
            match = services.match_swap(match=match, mentor=mentor, by=user)
            messages.success(
                request,
                gettext("%(mentee)s now has %(mentor)s (locked).")
                % {"mentee": match.mentee.display_name, "mentor": match.mentor.display_name},
            )
        elif name in ("lock", "unlock"):
            services.match_set_locked(match=match, locked=name == "lock", by=user)
            done = (
                gettext("Locked %(match)s.") if name == "lock" else gettext("Unlocked %(match)s.")
            )
            messages.success(request, done % {"match": match})
        elif name == "discard":
            services.proposal_discard(match=match, by=user)
            messages.success(
                request, gettext("Discarded the proposal %(match)s.") % {"match": match}
            )
        elif name == "never":
            services.never_pair_create(
                mentee=match.mentee,
                mentor=match.mentor,
                by=user,
                reason="Ruled out on the proposals page.",
            )
            messages.success(
                request, gettext("%(match)s will never be proposed again.") % {"match": match}
            )
