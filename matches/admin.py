"""Where the committee pairs mentors with mentees: the match list, the “Propose
matches” board of a cycle, matching by hand, dissolving, the weights and never pairs.
Every change goes through ``matches.services``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from applications.models import Application
from mentoring.admin import cycle_filter
from mentoring.models import Cycle

from . import services, tasks
from .board import cycles_for_matching, proposal_board
from .forms import DissolveForm, MatchCreateForm, MatchingWeightsForm, NeverPairForm
from .models import Match, MatchingRun, MatchingWeights, NeverPair

# Above this many accepted mentees the engine runs in the background (Celery), not in
# the request.
RUN_INLINE_UP_TO = 5000


def _errors(request: HttpRequest, exc: ValidationError, prefix: str = "") -> None:
    for text in exc.messages:
        messages.error(request, f"{prefix}{text}")


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = [
        "mentee_name",
        "mentor_name",
        "cycle",
        "status",
        "score_shown",
        "locked",
        "confirmed_at",
    ]
    list_filter = ["status", "locked", "cycle__program", cycle_filter("cycle")]
    list_select_related = ["mentor", "mentee", "cycle__program"]
    search_fields = [
        "mentee__full_name",
        "mentee__preferred_name",
        "mentee__email",
        "mentor__full_name",
        "mentor__preferred_name",
        "mentor__email",
    ]
    date_hierarchy = "proposed_at"
    actions = ["confirm_selected", "lock_selected", "unlock_selected", "discard_selected"]
    view_on_site = False  # the partners' page is theirs alone
    change_list_template = "matches/admin/match_change_list.html"
    change_form_template = "matches/admin/match_change_form.html"
    fieldsets = [
        ("Pair", {"fields": ["cycle", "mentee_link", "mentor_link", "status", "locked"]}),
        ("Why", {"fields": ["score", "reasons_list", "flags_list", "breakdown"]}),
        (
            "History",
            {
                "fields": [
                    ("proposed_at", "proposed_by"),
                    ("confirmed_at", "confirmed_by"),
                    "concluded_at",
                    ("dissolved_at", "dissolved_by"),
                    "dissolved_reason",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Staff change matches only through the actions and pages that call services.
        return [
            "cycle",
            "mentee_link",
            "mentor_link",
            "status",
            "locked",
            "score",
            "reasons_list",
            "flags_list",
            "breakdown",
            "proposed_at",
            "proposed_by",
            "confirmed_at",
            "confirmed_by",
            "concluded_at",
            "dissolved_at",
            "dissolved_by",
            "dissolved_reason",
        ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on the page is edited there: no save buttons.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # -- columns -------------------------------------------------------------------------

    @admin.display(description="Mentee", ordering="mentee__full_name")
    def mentee_name(self, match: Match) -> str:
        return match.mentee.full_name or match.mentee.email

    @admin.display(description="Mentor", ordering="mentor__full_name")
    def mentor_name(self, match: Match) -> str:
        return match.mentor.full_name or match.mentor.email

    @admin.display(description="Score", ordering="score")
    def score_shown(self, match: Match) -> str:
        return "—" if match.score is None else f"{match.score:.1f}"

    @admin.display(description="Mentee")
    def mentee_link(self, match: Match) -> str:
        return self._application(match.mentee)

    @admin.display(description="Mentor")
    def mentor_link(self, match: Match) -> str:
        return self._application(match.mentor)

    def _application(self, application: Application) -> str:
        where = ", ".join(p for p in [application.organization, application.state] if p)
        return format_html(
            "{} &lt;{}&gt;<br><span class='quiet'>{}</span>",
            application.full_name,
            application.email,
            where,
        )

    @admin.display(description="Reasons")
    def reasons_list(self, match: Match) -> str:
        if not match.reasons:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in match.reasons))
        )

    @admin.display(description="Flags")
    def flags_list(self, match: Match) -> str:
        if not match.flags:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((f,) for f in match.flags))
        )

    @admin.display(description="Points per criterion")
    def breakdown(self, match: Match) -> str:
        if not match.score_breakdown:
            return "—"
        labels = {
            name: MatchingWeights._meta.get_field(name).verbose_name.capitalize()
            for name in MatchingWeights.CRITERIA
        }
        return format_html(
            "<table class='match-breakdown'>{}</table>",
            format_html_join(
                "",
                "<tr><th scope='row'>{}</th><td>{}</td></tr>",
                ((labels.get(k, k), f"{v:.1f}") for k, v in match.score_breakdown.items()),
            ),
        )

    # -- actions -------------------------------------------------------------------------

    def _each(self, request, queryset: QuerySet[Match], verb: str, service, **kwargs) -> None:
        done = 0
        for match in queryset.select_related("mentor", "mentee"):
            try:
                service(match=match, **kwargs)
            except ValidationError as exc:
                _errors(request, exc, prefix=f"{match}: ")
            else:
                done += 1
        if done:
            self.message_user(request, f"{verb} {done} {ngettext('match', 'matches', done)}.")

    @admin.action(description="Confirm selected proposals (sends the introductions)")
    def confirm_selected(self, request, queryset):
        self._each(request, queryset, "Confirmed", services.match_confirm, by=request.user)

    @admin.action(description="Lock selected proposals")
    def lock_selected(self, request, queryset):
        self._each(
            request, queryset, "Locked", services.match_set_locked, locked=True, by=request.user
        )

    @admin.action(description="Unlock selected proposals")
    def unlock_selected(self, request, queryset):
        self._each(
            request, queryset, "Unlocked", services.match_set_locked, locked=False, by=request.user
        )

    @admin.action(description="Discard selected proposals")
    def discard_selected(self, request, queryset):
        self._each(request, queryset, "Discarded", services.proposal_discard, by=request.user)

    # -- pages ---------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("propose/", wrap(self.propose_index_view), name="matches_match_propose_index"),
            path("propose/<int:cycle_id>/", wrap(self.propose_view), name="matches_match_propose"),
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
            self._context(request, title="Propose matches", cycles=cycles),
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
            title=f"Propose matches: {cycle}",
            cycle=cycle,
            board=board,
            weights_url=weights_url,
            can_change=self.has_change_permission(request),
        )
        return TemplateResponse(request, "matches/admin/propose.html", context)

    def _board_post(self, request: HttpRequest, cycle: Cycle) -> None:
        post, user = request.POST, request.user
        if "run" in post:
            mentees = Application.objects.filter(
                cycle=cycle, role=Application.Role.MENTEE, status=Application.Status.ACCEPTED
            ).count()
            if mentees > RUN_INLINE_UP_TO:
                tasks.propose_matches.delay_on_commit(cycle.pk, user.pk)
                messages.info(
                    request,
                    f"The engine is pairing {mentees} {ngettext('mentee', 'mentees', mentees)} "
                    "in the background; reload this page in a minute.",
                )
                return
            run = services.matches_propose(cycle=cycle, by=user)
            messages.success(
                request,
                f"The engine proposed {run.proposed} {ngettext('pair', 'pairs', run.proposed)} "
                f"(kept {run.kept}; {run.unmatched} {ngettext('mentee', 'mentees', run.unmatched)} "
                f"unmatched) in {run.seconds:.1f} s.",
            )
            return
        if "create" in post:
            mentee = Application.objects.filter(pk=post.get("create"), cycle=cycle).first()
            mentor_id = post.get(f"mentor_for_{post.get('create')}")
            mentor = Application.objects.filter(pk=mentor_id or 0, cycle=cycle).first()
            if mentee is None or mentor is None:
                messages.error(request, "Choose a mentor for the mentee first.")
                return
            try:
                match = services.match_create(mentee=mentee, mentor=mentor, by=user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, f"Proposed {match} (locked).")
            return
        if "confirm" in post:
            ids = post.getlist("selected")
            if not ids:
                messages.warning(request, "Tick the proposals to confirm first.")
                return
            matches = Match.objects.filter(cycle=cycle, pk__in=ids).select_related(
                "mentor", "mentee"
            )
            confirmed = 0
            for match in matches:
                try:
                    services.match_confirm(match=match, by=user)
                except ValidationError as exc:
                    _errors(request, exc, prefix=f"{match}: ")
                else:
                    confirmed += 1
            if confirmed:
                messages.success(
                    request,
                    f"Confirmed {confirmed} {ngettext('match', 'matches', confirmed)}; the "
                    "introduction emails are on their way.",
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
                    messages.error(request, "That proposal no longer exists; the page is reloaded.")
                    return
                try:
                    self._board_change(request, name, match)
                except ValidationError as exc:
                    _errors(request, exc)
                return
        messages.error(request, "Nothing to do: use one of the buttons.")

    def _board_change(self, request: HttpRequest, name: str, match: Match) -> None:
        user = request.user
        if name == "swap":
            mentor_id = request.POST.get(f"mentor_{match.pk}")
            mentor = Application.objects.filter(pk=mentor_id or 0, cycle=match.cycle_id).first()
            if mentor is None:
                raise ValidationError("Choose another mentor first.")
            match = services.match_swap(match=match, mentor=mentor, by=user)
            messages.success(
                request,
                f"{match.mentee.display_name} now has {match.mentor.display_name} (locked).",
            )
        elif name in ("lock", "unlock"):
            services.match_set_locked(match=match, locked=name == "lock", by=user)
            messages.success(request, f"{name.capitalize()}ed {match}.")
        elif name == "discard":
            services.proposal_discard(match=match, by=user)
            messages.success(request, f"Discarded the proposal {match}.")
        elif name == "never":
            services.never_pair_create(
                mentee=match.mentee,
                mentor=match.mentor,
                by=user,
                reason="Ruled out on the proposals page.",
            )
            messages.success(request, f"{match} will never be proposed again.")

    def dissolve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """End an active match with a reason."""
        match = get_object_or_404(
            Match.objects.select_related("mentor", "mentee", "cycle__program"), pk=pk
        )
        if not self.has_change_permission(request, match):
            raise PermissionDenied
        form = DissolveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.match_dissolve(
                    match=match, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"Dissolved {match}. {match.mentee.display_name} can be matched again.",
                )
                return redirect("admin:matches_match_change", match.pk)
        return TemplateResponse(
            request,
            "matches/admin/dissolve.html",
            self._context(
                request, title=f"Dissolve the match {match}", match=match, form=form, original=match
            ),
        )

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """Match by hand (through the service, not a model form)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        cycle = None
        if request.GET.get("cycle"):
            cycle = Cycle.objects.filter(pk=request.GET["cycle"]).first()
        form = MatchCreateForm(request.POST or None, cycle=cycle)
        if request.method == "POST" and form.is_valid():
            try:
                match = services.match_create(**form.cleaned_data, by=request.user)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                verb = "Confirmed" if match.status == Match.Status.ACTIVE else "Proposed (locked)"
                messages.success(request, f"{verb}: {match}.")
                return redirect("admin:matches_match_change", match.pk)
        return TemplateResponse(
            request,
            "matches/admin/match_add.html",
            self._context(request, title="Match a mentee by hand", form=form, cycle=cycle),
        )


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    form = MatchingWeightsForm
    list_display = [
        "cycle",
        "interests",
        "experience",
        "library_type",
        "communication",
        "geography",
        "time_zone",
        "conferences",
        "minimum_score",
        "unmatched_penalty",
        "updated_at",
    ]
    list_filter = ["cycle__program"]
    list_select_related = ["cycle__program"]
    search_fields = ["cycle__name", "cycle__program__short_name"]
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["cycle"]}),
        (
            "Weights (only their ratios matter; the score is out of 100)",
            {"fields": list(MatchingWeights.CRITERIA)},
        ),
        (
            "Rules",
            {
                "fields": [
                    "experience_gap_years",
                    "close_time_zone_hours",
                    "minimum_score",
                    "unmatched_penalty",
                ]
            },
        ),
        ("Changed", {"fields": ["updated_at", "updated_by"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        services.matching_weights_save(weights=obj, by=request.user)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "cycle"] if obj else self.readonly_fields


@admin.register(NeverPair)
class NeverPairAdmin(admin.ModelAdmin):
    form = NeverPairForm
    list_display = ["mentee", "mentor", "cycle", "reason", "created_by", "created_at"]
    list_filter = ["mentee__cycle__program", cycle_filter("mentee__cycle")]
    list_select_related = ["mentee__cycle__program", "mentor", "created_by"]
    search_fields = [
        "mentee__full_name",
        "mentee__email",
        "mentor__full_name",
        "mentor__email",
        "reason",
    ]

    @admin.display(description="Cycle", ordering="mentee__cycle")
    def cycle(self, never: NeverPair):
        return never.mentee.cycle

    def get_readonly_fields(self, request, obj=None):
        return ["mentee", "mentor", "created_by", "created_at"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.save(update_fields=["reason"])
            return
        created = services.never_pair_create(
            mentee=obj.mentee, mentor=obj.mentor, by=request.user, reason=obj.reason
        )
        obj.pk, obj.created_at, obj.created_by = created.pk, created.created_at, created.created_by

    def delete_model(self, request, obj) -> None:
        services.never_pair_delete(never=obj)


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    """What each run of the engine did (read only)."""

    list_display = [
        "run_at",
        "cycle",
        "run_by",
        "mentees",
        "mentors",
        "kept",
        "proposed",
        "unmatched",
        "total_score",
        "method",
        "seconds",
    ]
    list_filter = ["cycle__program", cycle_filter("cycle")]
    list_select_related = ["cycle__program", "run_by"]
    date_hierarchy = "run_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
