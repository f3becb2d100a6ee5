"""Where the committee pairs mentors with mentees: the match list, the “Propose
matches” board of a cycle, matching by hand, dissolving, concluding, the weights and never pairs.
Every change goes through ``matches.services``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from mentoring.admin import cycle_filter, program_filter
from mentoring.admin_lists import LeanRows, ListNotes, WholeListActions
from mentoring.models import Cycle

from . import services
from .admin_board import ProposalBoardPages, show_errors
from .admin_conclude import ConclusionPages
from .forms import DissolveForm, MatchCreateForm, MatchingWeightsForm, NeverPairForm
from .models import Match, MatchingRun, MatchingWeights, NeverPair


class GoalSheetStartedFilter(admin.SimpleListFilter):
    """Whether the pair has started its goal sheet: the committee's home links here for
    the active matches that have not (a sheet that does not exist has no list of its own).
    The goal sheet is the goals app's reverse one-to-one, named only in the query."""

    title = _("goal sheet")
    parameter_name = "goal_sheet"

    def lookups(self, request, model_admin):
        return [("none", _("Not started")), ("started", _("Started"))]

    def queryset(self, request, queryset):
        if self.value() in ("none", "started"):
            return queryset.filter(goal_sheet__isnull=self.value() == "none")
        return queryset


# What names a partner in a list (Application.display_name, the full name, the email).
PARTNER_NAME_FIELDS = ("full_name", "preferred_name", "email", "anonymised_at")


@admin.register(Match)
class MatchAdmin(
    ConclusionPages, ProposalBoardPages, WholeListActions, ListNotes, LeanRows, admin.ModelAdmin
):
    list_display = [
        "mentee_name",
        "mentor_name",
        "cycle",
        "status",
        "score_shown",
        "locked",
        "confirmed_at",
    ]
    list_filter = [
        "status",
        "locked",
        program_filter("cycle__program"),
        cycle_filter("cycle", current_by_default=True),
        GoalSheetStartedFilter,
    ]
    list_select_related = ["mentor", "mentee", "cycle__program"]
    # The names (and the row's label: Match.__str__), the cycle's and the columns.
    list_shared_cycle = "cycle"
    list_only = (
        *("status", "score", "locked", "confirmed_at", "proposed_at"),
        *(f"{p}__{f}" for p in ("mentor", "mentee") for f in PARTNER_NAME_FIELDS),
        *("cycle__name", "cycle__program__short_name"),
    )
    search_fields = [
        "mentee__full_name",
        "mentee__preferred_name",
        "mentee__email",
        "mentor__full_name",
        "mentor__preferred_name",
        "mentor__email",
    ]
    # No date hierarchy on proposed_at: proposals come in engine runs (dated in the runs'
    # list), the list opens on the current cycles, and the hierarchy cost two queries and
    # a sixth of the page's time on every visit.
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
                    ("concluded_at", "concluded_by"),
                    "concluded_reason",
                    ("dissolved_at", "dissolved_by"),
                    "dissolved_reason",
                ]
            },
        ),
    ]

    def lean_shape(self, request):
        return ()  # the same start for everyone (ModelAdmin.get_queryset)

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
            "concluded_by",
            "concluded_reason",
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

    @admin.display(description=_("Mentee"), ordering="mentee__full_name")
    def mentee_name(self, match: Match) -> str:
        return match.mentee.full_name or match.mentee.email

    @admin.display(description=_("Mentor"), ordering="mentor__full_name")
    def mentor_name(self, match: Match) -> str:
        return match.mentor.full_name or match.mentor.email

    @admin.display(description=_("Score"), ordering="score")
    def score_shown(self, match: Match) -> str:
        return "—" if match.score is None else f"{match.score:.1f}"

    @admin.display(description=_("Mentee"))
    def mentee_link(self, match: Match) -> str:
        return self._application(match.mentee)

    @admin.display(description=_("Mentor"))
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

    @admin.display(description=_("Reasons"))
    def reasons_list(self, match: Match) -> str:
        if not match.reasons:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in match.reasons))
        )

    @admin.display(description=_("Flags"))
    def flags_list(self, match: Match) -> str:
        if not match.flags:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((f,) for f in match.flags))
        )

    @admin.display(description=_("Points per criterion"))
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
                show_errors(request, exc, prefix=f"{match}: ")
            else:
                done += 1
        if done:
            count = ngettext("%(count)d match", "%(count)d matches", done) % {"count": done}
            self.message_user(request, verb.format(count))

    @admin.action(
        description=_("Confirm selected proposals (sends the introductions)"),
        permissions=["change"],
    )
    def confirm_selected(self, request, queryset):
        self._each(
            request, queryset, gettext("Confirmed {}."), services.match_confirm, by=request.user
        )

    @admin.action(description=_("Lock selected proposals"), permissions=["change"])
    def lock_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            gettext("Locked {}."),
            services.match_set_locked,
            locked=True,
            by=request.user,
        )

    @admin.action(description=_("Unlock selected proposals"), permissions=["change"])
    def unlock_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            gettext("Unlocked {}."),
            services.match_set_locked,
            locked=False,
            by=request.user,
        )

    @admin.action(description=_("Discard selected proposals"), permissions=["change"])
    def discard_selected(self, request, queryset):
        self._each(
            request, queryset, gettext("Discarded {}."), services.proposal_discard, by=request.user
        )

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
                    gettext("Dissolved %(match)s. %(mentee)s can be matched again.")
                    % {"match": match, "mentee": match.mentee.display_name},
                )
                return redirect("admin:matches_match_change", match.pk)
        return TemplateResponse(
            request,
            "matches/admin/dissolve.html",
            self._context(
                request,
                title=gettext("Dissolve the match %(match)s") % {"match": match},
                match=match,
                form=form,
                original=match,
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
                done = (
                    gettext("Confirmed: %(match)s.")
                    if match.status == Match.Status.ACTIVE
                    else gettext("Proposed (locked): %(match)s.")
                )
                messages.success(request, done % {"match": match})
                return redirect("admin:matches_match_change", match.pk)
        return TemplateResponse(
            request,
            "matches/admin/match_add.html",
            self._context(request, title=gettext("Match a mentee by hand"), form=form, cycle=cycle),
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
                    "preference",
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

    @admin.display(description=_("Cycle"), ordering="mentee__cycle")
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
        "state",
        "mentees",
        "mentors",
        "kept",
        "proposed",
        "unmatched",
        "total_score",
        "method",
        "seconds",
    ]
    list_filter = ["state", "cycle__program", cycle_filter("cycle")]
    list_select_related = ["cycle__program", "run_by"]
    date_hierarchy = "run_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# The partners' records the committee reads (registered there).
from . import admin_partners  # noqa: E402, F401
