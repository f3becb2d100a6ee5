"""The list filters of the committee's applications changelist."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring import selectors as mentoring_selectors
from mentoring import sql
from mentoring.admin import every_cycle

from .geography import STATE_NAMES
from .models import Application
from .selectors import choices


class StateFilter(admin.SimpleListFilter):
    """Only the states and provinces applicants are in, not all seventy."""

    title = _("state or province")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        # The blank state is dropped here: a third less to build than excluding it.
        codes = set(_states_present()) - {""}
        return sorted(((code, STATE_NAMES.get(code, code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


def _states_present() -> list[str]:
    """Each state applications name, once: read from the state's index a state at a time
    (the least one past the last found), by SQL written out (portable: PostgreSQL and
    SQLite both recurse). DISTINCT read the index's entry of every application, a few
    thousand for a few dozen states, on every visit to the list; the ORM took as long
    again to compose that query."""
    state, applications = sql.column(Application, "state", "a"), sql.table(Application, "a")
    query = (
        "WITH RECURSIVE present(state) AS ("
        f"SELECT MIN({state}) FROM {applications} UNION ALL "
        f"SELECT (SELECT MIN({state}) FROM {applications} WHERE {state} > present.state) "
        "FROM present WHERE present.state IS NOT NULL"
        ") SELECT state FROM present WHERE state IS NOT NULL"
    )
    return [code for (code,) in sql.read(query, (), [None])]


class InterestFilter(admin.SimpleListFilter):
    """The interests of the chosen cycle's program (of every program otherwise)."""

    title = _("interest")
    parameter_name = "interest"

    def lookups(self, request, model_admin):
        # From the shared cache (no query), in the forms' order, named in the reader's
        # language.
        programs = {p.pk: p for p in mentoring_selectors.programs()}
        # Each name read once: a translated field finds the reader's language on each read.
        known = choices().interests.values()
        name = {i.pk: i.name for i in known}
        interests = sorted(
            known,
            key=lambda i: (programs[i.program_id].position, i.kind, i.position, name[i.pk]),
        )
        cycle_id = request.GET.get("cycle")
        if cycle_id and cycle_id.isdigit():
            program_ids = {c.program_id for c in every_cycle() if c.pk == int(cycle_id)}
            return [(str(i.pk), name[i.pk]) for i in interests if i.program_id in program_ids]
        short = {pk: program.short_name for pk, program in programs.items()}
        return [(str(i.pk), f"{short[i.program_id]} · {name[i.pk]}") for i in interests]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(interests=self.value())
        return queryset


class YearsFilter(admin.SimpleListFilter):
    title = _("years of experience")
    parameter_name = "years"
    RANGES = {"0-2": (0, 2), "3-5": (3, 5), "6-10": (6, 10), "11+": (11, None)}

    def lookups(self, request, model_admin):
        return [
            ("0-2", gettext("0 to 2")),
            ("3-5", gettext("3 to 5")),
            ("6-10", gettext("6 to 10")),
            ("11+", gettext("11 or more")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.RANGES:
            return queryset
        low, high = self.RANGES[self.value()]
        queryset = queryset.filter(years_experience__gte=low)
        return queryset.filter(years_experience__lte=high) if high is not None else queryset


class YourReviewFilter(admin.SimpleListFilter):
    title = _("your review")
    parameter_name = "scored_by_me"

    def lookups(self, request, model_admin):
        return [("no", _("Not scored by you yet")), ("yes", _("Scored by you"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(scored_by_viewer=self.value() == "yes")
        return queryset


class DecisionSentFilter(admin.SimpleListFilter):
    title = _("decision sent")
    parameter_name = "told"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet")), ("yes", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(decision_sent_at__isnull=self.value() == "no")
        return queryset
