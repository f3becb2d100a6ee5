"""Admin actions that never cover only the rows on screen without saying so.

Django's header checkbox ticks the rows of the page; an action then runs on those alone,
and "Select all 62" is easy to miss. With 62 accepted applicants listed 50 a page,
"Send decisions" would tell 50 and silently leave 12. Here, when every row of a page is
ticked and the filtered list holds more, the action first asks: all of the list, or only
the ticked rows.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from urllib.parse import quote_plus

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.core.exceptions import EmptyResultSet
from django.db.models import F, ForeignObject, IntegerField, Model, signals
from django.db.models.base import ModelState
from django.db.models.expressions import Expression, RawSQL
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, RelatedPopulator, get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql.constants import LOUTER
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from . import selectors
from .escaping import conditional_escape
from .models import Cycle

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
        """The page's narrowed rows, in order (a list may attach what its columns read)."""
        return self.lean_fetch(queryset)

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
        rows = list(lean_objects(queryset))
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
# A page starting further than this is past every list's end (and past what the database
# takes as an offset): answered as any page past the end, without asking.
_NO_LIST_IS_LONGER = 2**31


class _Constant(RawSQL):
    """A scalar subquery whose value is the same for every row: nothing to group by."""

    def get_group_by_cols(self):
        return []


def _drop_unordered_annotations(query) -> None:
    """Leave out of the page's keys (a subquery of the page) the annotations they are not
    ordered by: never in their SQL, but copied and relabelled, every one, when the keys
    go into the page's query (half of building the applications page's query). A filter
    on an annotation holds its own copy of the expression and keeps working."""
    names = set()
    for entry in query.order_by:
        if isinstance(entry, str):
            names.add(entry.lstrip("-"))
        else:  # an expression: the annotations it names
            names |= {f.name for f in entry.flatten() if isinstance(f, F)}
    if (
        not query.order_by
        or query.group_by is not None
        or any(getattr(a, "contains_aggregate", True) for a in query.annotations.values())
    ):
        return
    query.annotations = {name: a for name, a in query.annotations.items() if name in names}
    if query.annotation_select_mask is not None:
        query.set_annotation_mask(query.annotation_select_mask & names)


class _Resolved(Expression):
    """An annotation resolved already (with its query), which the query does not resolve
    again: neither when the keys go into the page's query nor for their ORDER BY, where
    Django copies every part of an expression it orders by afresh (the blind review's
    ``name_sort``, with the viewer's scores' EXISTS and its query: four tenths of a
    millisecond). Relabelled as any expression is when its query becomes a subquery."""

    def __init__(self, expression):
        super().__init__()
        self.expression = expression

    def _resolve_output_field(self):
        return self.expression.output_field  # asked only when needed, as of the expression

    def get_source_expressions(self):
        return [self.expression]

    def set_source_expressions(self, exprs):
        (self.expression,) = exprs

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection):
        return compiler.compile(self.expression)

    def get_group_by_cols(self):
        return self.expression.get_group_by_cols()


def _resolved_once(query) -> None:
    """The page's keys' annotations (those they are ordered by) as :class:`_Resolved`."""
    query.annotations = {name: _Resolved(a) for name, a in query.annotations.items()}


def _order_by_columns(query) -> None:
    """Select with the rows what only orders them (an alias: the blind review's
    ``name_sort``), so that the ORDER BY names a column of the rows. Django otherwise
    resolves the alias's expression afresh for the ORDER BY, copying every part of it
    (the viewer's scores' EXISTS and its query): four tenths of a millisecond each time
    the applications page was read."""
    names = {name.lstrip("-") for name in query.order_by if isinstance(name, str)}
    hidden = [n for n in names if n in query.annotations and n not in query.annotation_select]
    if hidden:
        query.append_annotation_mask(hidden)


def _count_of(queryset) -> _Constant:
    query = queryset.order_by().values("pk").query
    _drop_uncounted_joins(query)
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:
        # A filter Django knows no row can match (a negative number for a positive
        # field, ``?revision=-1``): it answers such a query without asking, and so do we.
        return _Constant("0", (), output_field=IntegerField())
    return _Constant(f"SELECT COUNT(*) FROM ({sql}) counted", params, output_field=IntegerField())


def _drop_uncounted_joins(query) -> None:
    """Leave out of a count the joins only its annotations and ordering use (Django keeps
    the join of every annotation, shown or not): the cycle an application's blind-review
    sort reads, the match a goal sheet's due date is found from. A join the filters use
    stays, and so does any join that could change the number of rows: only a join along
    a foreign key to one row that is always there (or an outer join, which keeps every
    row) goes. Counted alone, one such join doubled the count's cost."""
    if query.distinct or query.group_by is not None or query.combinator:
        return
    needed = {col.alias for col in query._gen_cols([query.where], include_external=True)}
    needed |= {col.alias for col in query._gen_cols(query.select, include_external=True)}
    for alias in list(needed):
        join = query.alias_map.get(alias)
        while join is not None and join.parent_alias is not None:
            needed.add(join.parent_alias)
            join = query.alias_map.get(join.parent_alias)
    for alias, join in query.alias_map.items():
        field = getattr(join, "join_field", None)
        if (
            alias not in needed
            and isinstance(field, ForeignObject)
            and not field.many_to_many
            and join.filtered_relation is None
            and (join.join_type == LOUTER or not field.null)
        ):
            query.alias_refcount[alias] = 0


def lean_objects(queryset):
    """``queryset`` building its objects (and those of ``select_related``) as
    ``Model.from_db`` does, without the constructor's walk over every field of the model:
    a goal sheets page is 400 objects of models with dozens of fields, most deferred, and
    that walk was a third of reading the page. A model whose construction anything
    watches or changes (an ``__init__`` or ``from_db`` of its own, an init signal) is
    built by Django."""
    if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
        return queryset
    queryset = queryset._chain()
    queryset._iterable_class = _LeanIterable
    return queryset


# The attributes of plain fields and foreign keys: setting one keeps the value as it is.
_PLAIN = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _builder(model, db: str, attnames: list[str]):
    """A function making an instance of ``model`` from a row's values for ``attnames``."""
    if (
        model.__init__ is not Model.__init__
        or model.from_db.__func__ is not Model.from_db.__func__
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
        # A field whose attribute does more than keep its value (a file's, a translated
        # field's) is set through it, as the constructor sets it.
        or any(type(inspect.getattr_static(model, a, None)) not in _PLAIN for a in attnames)
    ):
        return lambda values: model.from_db(db, attnames, values)
    new = model.__new__

    def build(values):
        obj = new(model)
        state = obj._state = ModelState()
        state.adding = False
        state.db = db
        obj.__dict__.update(zip(attnames, values, strict=True))
        return obj

    return build


def _populator(populator: RelatedPopulator, db: str):
    """``RelatedPopulator.populate`` with the object made by :func:`_builder`."""
    build = _builder(populator.model_cls, db, populator.init_list)
    reorder = populator.reorder_for_init
    if not reorder:  # (a parent's columns come in another order: reordered)
        start, end = populator.cols_start, populator.cols_end
    pk_at = populator.pk_idx
    inner = [_populator(p, db) for p in populator.related_populators]
    local_setter, remote_setter = populator.local_setter, populator.remote_setter

    def populate(row, from_obj) -> None:
        values = reorder(row) if reorder else row[start:end]
        obj = None if values[pk_at] is None else build(values)
        if obj is not None:
            for fill in inner:
                fill(row, obj)
        local_setter(from_obj, obj)
        if obj is not None:
            remote_setter(obj, from_obj)

    return populate


class _LeanIterable(ModelIterable):
    """``ModelIterable`` building its objects with :func:`_builder` (see
    :func:`lean_objects`)."""

    def __iter__(self):
        queryset = self.queryset
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        results = compiler.execute_sql(chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size)
        select, klass_info = compiler.select, compiler.klass_info
        annotations = list(compiler.annotation_col_map.items())
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        build = _builder(klass_info["model"], db, [f[0].target.attname for f in select[start:end]])
        related = [_populator(p, db) for p in get_related_populators(klass_info, select, db)]
        for row in compiler.results_iter(results):
            obj = build(row[start:end])
            for fill in related:
                fill(row, obj)
            for name, at in annotations:
                setattr(obj, name, row[at])
            yield obj


def attach_shared_cycles(rows: list, path: str) -> None:
    """Give each row's object at ``path`` ("match__cycle": ``row.match.cycle``) its cycle
    from the programs' shared content; one the content does not know yet (written where
    no signal told it) is read from the database, all such in one query."""
    *hops, name = path.split("__")
    owners = []
    for row in rows:
        for hop in hops:
            row = getattr(row, hop)
        owners.append(row)
    shared = {cycle.pk: cycle for program in selectors.programs() for cycle in program.cycles.all()}
    attname = f"{name}_id"
    missing = {getattr(o, attname) for o in owners} - shared.keys() - {None}
    if missing:
        shared |= Cycle.objects.select_related("program").in_bulk(missing)
    for owner in owners:
        key = getattr(owner, attname)
        if key is not None:
            setattr(owner, name, shared[key])


def lean_page(changelist, request: HttpRequest) -> None:
    """Set what ``ChangeList.get_results`` sets, from one query: the page's rows, each
    with the filtered and the full count."""
    admin_ = changelist.model_admin
    per_page = changelist.list_per_page
    number = changelist.page_num
    start = (number - 1) * per_page
    if number < 1 or start > _NO_LIST_IS_LONGER:
        raise IncorrectLookupParameters  # no such page, as Django answers it
    keys = changelist.queryset.values("pk")[start : start + per_page]
    _drop_unordered_annotations(keys.query)
    _resolved_once(keys.query)
    full = admin_.show_full_result_count
    page = admin_.lean_narrowed(changelist.queryset.filter(pk__in=keys))
    _order_by_columns(page.query)
    page = page.annotate(lean_shown=_count_of(changelist.queryset))
    if full:
        page = page.annotate(lean_total=_count_of(changelist.root_queryset))
    extra = admin_.lean_counts(changelist)
    page = page.annotate(**{f"lean_{name}": _count_of(qs) for name, qs in extra.items()})
    rows = admin_.lean_rows_of(page)
    # With no row to read them from, a note asks for its count itself.
    changelist.lean_counts = {n: getattr(rows[0], f"lean_{n}") for n in extra} if rows else {}
    if rows:
        result_count = rows[0].lean_shown
        full_count = rows[0].lean_total if full else None
    elif number > 1:
        raise IncorrectLookupParameters  # past the last page, as Django answers it
    else:
        result_count = 0
        full_count = changelist.root_queryset.count() if full else None
    paginator = admin_.get_paginator(request, changelist.queryset, per_page)
    paginator.count = result_count  # known: the paginator need not count again
    changelist.result_count = result_count
    changelist.show_full_result_count = full
    # Actions show if there is at least one row, or if rows are not counted.
    changelist.show_admin_actions = not full or bool(full_count)
    changelist.full_result_count = full_count
    changelist.result_list = rows
    changelist.can_show_all = result_count <= changelist.list_max_show_all
    changelist.multi_page = result_count > per_page
    changelist.paginator = paginator


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
