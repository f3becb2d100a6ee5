"""How a lean changelist page reads its rows: in one query (``LeanRows``, in
``admin_lists``, is the ModelAdmin side).

The page's keys are sorted on the narrow row in a subquery, its rows come with the
filtered and the full count (and its notes' counts) beside them as scalar subqueries,
and its objects are built without Django's per-field walk where nothing watches it. What
Django's ORM would redo for every visit (resolving the sort's expressions, joining what
only an unused annotation needs) is done once or left out, with the same SQL or a
narrower one."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import EmptyResultSet, FieldError
from django.db import connections
from django.db.models import F, ForeignObject, IntegerField, Model, signals
from django.db.models.base import ModelState
from django.db.models.expressions import Expression, RawSQL
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, RelatedPopulator, get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql.constants import LOUTER
from django.http import HttpRequest
from django.utils.translation import get_language

from . import selectors, sql
from .models import Cycle

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
        counted, params = query.sql_with_params()
    except EmptyResultSet:
        # A filter Django knows no row can match (a negative number for a positive
        # field, ``?revision=-1``): it answers such a query without asking, and so do we.
        return _Constant("0", (), output_field=IntegerField())
    return _Constant(
        f"SELECT COUNT(*) FROM ({counted}) counted", params, output_field=IntegerField()
    )


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
        yield from _Objects(compiler, db).built(compiler.results_iter(results))


class _Objects:
    """How a compiled query's rows become objects (with their related objects and
    annotations), worked out from its compiler."""

    def __init__(self, compiler, db: str):
        select, klass_info = compiler.select, compiler.klass_info
        self.annotations = list(compiler.annotation_col_map.items())
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        attnames = [f[0].target.attname for f in select[self.start : self.end]]
        self.build = _builder(klass_info["model"], db, attnames)
        self.related = [_populator(p, db) for p in get_related_populators(klass_info, select, db)]

    def built(self, rows):
        build, related, annotations = self.build, self.related, self.annotations
        start, end = self.start, self.end
        for row in rows:
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
    extra = admin_.lean_counts(changelist)
    counts = {"shown": _count_of(changelist.queryset)}
    if full:
        counts["total"] = _count_of(changelist.root_queryset)
    counts |= {name: _count_of(qs) for name, qs in extra.items()}
    template = page_template(changelist, request, list(counts))
    if template is not None:
        rows = admin_.lean_finished(admin_.lean_attached(template.rows(keys.query, counts)))
    else:
        page = admin_.lean_narrowed(changelist.queryset.filter(sql.AnyOf(F("pk"), keys.query)))
        _order_by_columns(page.query)
        page = page.annotate(**{f"lean_{name}": count for name, count in counts.items()})
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


# ---------------------------------------------------------------------------------------
# A page's query, compiled once a process for each shape of page

# What stands in a page template for the SQL each visit asks anew: its keys, its counts.
_KEYS = "LEAN_PAGE_KEYS"
_COUNT = "LEAN_PAGE_COUNT_"
_MARKED = re.compile(r"\((LEAN_PAGE_\w+)\)")
_PLACEHOLDER = re.compile(r"%[%s]")


@dataclass(frozen=True)
class PageTemplate:
    """A lean page's query as compiled for one shape of page (a list, its order, its
    counts, the language, and what the list's admin says its start depends on): the
    SQL between the places where the page's keys and counts go, and the parameters
    each stretch takes. A visit compiles only its keys (its filters, search, order and
    page) and its counts, and puts them in; the columns, joins, annotations and order
    of the rows, the same on every visit, are compiled once. Django compiled them on
    every visit: a millisecond of each list's time."""

    query: object  # the page's Query, compiled, never run as it is
    against: object  # the Query the keys are a subquery of (for their aliases)
    stretches: tuple[str, ...]  # the SQL, split at the markers
    marked: tuple[str, ...]  # what goes between stretches: _KEYS or _COUNT + name
    params: tuple[tuple, ...]  # each stretch's parameters
    objects: _Objects
    select: list
    db: str

    def sql(self, keys, counts: dict) -> tuple[str, list] | None:
        """The page's SQL and parameters with ``keys`` (their Query) and ``counts``
        (name: a count's expression) put in; None when no key can match."""
        connection = connections[self.db]
        resolved = keys.resolve_expression(self.against.clone())
        try:
            keys_sql, keys_params = resolved.as_sql(None, connection)
        except EmptyResultSet:
            return None
        parts, params = [self.stretches[0]], list(self.params[0])
        for marked, stretch, stretch_params in zip(
            self.marked, self.stretches[1:], self.params[1:], strict=True
        ):
            if marked == _KEYS:
                parts.append(keys_sql)
                params.extend(keys_params)
            else:
                count = counts[marked.removeprefix(_COUNT)]
                parts.append(f"({count.sql})")
                params.extend(count.params)
            parts.append(stretch)
            params.extend(stretch_params)
        return "".join(parts), params

    def rows(self, keys, counts: dict) -> list:
        """The page's objects, read with ``keys`` and ``counts``."""
        statement = self.sql(keys, counts)
        if statement is None:
            return []
        with connections[self.db].cursor() as cursor:
            cursor.execute(*statement)
            fetched = cursor.fetchall()
        # A compiler for this thread's connection, for the columns' converters.
        compiler = self.query.get_compiler(using=self.db)
        compiler.select, compiler.col_count = self.select, len(self.select)
        return list(self.objects.built(compiler.results_iter([fetched])))


_TEMPLATES: dict[tuple, PageTemplate | None] = {}
# Shapes of page a process keeps (lists x orders x languages x committee members, for
# the applications list): far fewer in use.
_TEMPLATES_KEPT = 512


def page_template(changelist, request: HttpRequest, counts: list[str]) -> PageTemplate | None:
    """The compiled query of a page of this shape, or None where the list's admin does
    not say what its start depends on (``lean_shape``: such a page is compiled afresh)."""
    admin_ = changelist.model_admin
    shape = admin_.lean_shape(request)
    if shape is None:
        return None
    order = tuple(o if isinstance(o, str) else repr(o) for o in changelist.queryset.query.order_by)
    db = changelist.root_queryset.db
    related = admin_.list_select_related  # (a list, or a bool)
    related = tuple(related) if isinstance(related, (list, tuple)) else related
    narrowed = (admin_.list_only, related, admin_.list_shared_cycle)
    key = (type(admin_), narrowed, shape, order, tuple(counts), get_language(), db)
    try:
        return _TEMPLATES[key]
    except KeyError:
        pass
    template = _compiled_template(changelist, counts, db)
    if len(_TEMPLATES) >= _TEMPLATES_KEPT:
        _TEMPLATES.clear()
    _TEMPLATES[key] = template
    return template


def _compiled_template(changelist, counts: list[str], db: str) -> PageTemplate | None:
    """Compile the page's query from the list's start (not its filtered rows: the keys
    were filtered already), with markers where the keys and counts go."""
    admin_ = changelist.model_admin
    try:
        start = changelist.root_queryset.order_by(*changelist.queryset.query.order_by)
        against = start.query.clone()
        page = admin_.lean_narrowed(start.filter(sql.AnyOf(F("pk"), RawSQL(_KEYS, ()))))
    except FieldError:  # an order by what only a filter adds: compiled afresh
        return None
    _order_by_columns(page.query)
    page = page.annotate(
        **{f"lean_{n}": _Constant(_COUNT + n, (), output_field=IntegerField()) for n in counts}
    )
    page = lean_objects(admin_.lean_prepared(page))
    if page._iterable_class is not _LeanIterable:
        return None
    compiler = page.query.get_compiler(using=db)
    statement, params = compiler.as_sql()
    pieces = _MARKED.split(statement)
    stretches, marked = tuple(pieces[0::2]), tuple(pieces[1::2])
    if sorted(marked) != sorted([_KEYS, *(_COUNT + n for n in counts)]):
        return None  # (a marker went missing or came twice: compiled afresh)
    taken, split = 0, []
    for stretch in stretches:
        n = sum(1 for p in _PLACEHOLDER.findall(stretch) if p == "%s")
        split.append(tuple(params[taken : taken + n]))
        taken += n
    if taken != len(params):
        return None
    return PageTemplate(
        query=page.query,
        against=against,
        stretches=stretches,
        marked=marked,
        params=tuple(split),
        objects=_Objects(compiler, db),
        select=compiler.select,
        db=db,
    )
