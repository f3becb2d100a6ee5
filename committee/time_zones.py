"""The admin in the program's time zone: each admin page is shown and read in the time
zone of the program its object belongs to, so a date typed for a program in Los Angeles
is stored as Los Angeles time and shown back the same, whatever the server's zone.

Which program: the object of a change page (its program, found along its foreign keys:
a milestone's cycle's, a goal sheet's match's cycle's...), the cycle or program chosen
on an add page (posted, or in the link that opened it), the cycle of a page of its own
(the proposals board), or the cycle or program a list is filtered to. Elsewhere: the
one zone every program shares, else the staff member's own, else the site's.

Activated for the whole request, rendering included, so the admin's
``data-admin-utc-offset`` (its "Now" shortcut) is the program's offset too.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from mentoring import selectors
from mentoring.models import Cycle, Program

# How far along foreign keys a program is looked for (a goal's sheet's match's cycle).
_DEPTH = 4


@cache
def program_path(model: type[models.Model]) -> tuple[str, ...] | None:
    """The foreign keys from ``model`` to its program (() for Program itself): the
    shortest along keys that cannot be empty, else the shortest at all; None when the
    model belongs to no program."""
    if model is Program:
        return ()
    return _shortest_path(model, required=True) or _shortest_path(model, required=False)


def _shortest_path(model: type[models.Model], *, required: bool) -> tuple[str, ...] | None:
    queue: list[tuple[type[models.Model], tuple[str, ...]]] = [(model, ())]
    seen = {model}
    while queue:
        current, path = queue.pop(0)
        if len(path) >= _DEPTH:
            continue
        for field in current._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            if required and field.null:
                continue
            target = field.related_model
            if target is Program:
                return (*path, field.name)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append((target, (*path, field.name)))
    return None


def _zone_of(model: type[models.Model], pk) -> str | None:
    path = program_path(model)
    if path is None or pk in (None, ""):
        return None
    try:
        return (
            model._default_manager.filter(pk=pk)
            .values_list("__".join((*path, "time_zone")), flat=True)
            .first()
        )
    except (ValueError, TypeError, ValidationError):  # a pk that is no pk: no zone
        return None


def _zone_chosen(request, model: type[models.Model]) -> str | None:
    """On an add page: the zone of the program or cycle posted, or named in the link."""
    path = program_path(model)
    if not path:
        return None
    field = model._meta.get_field(path[0])
    value = request.POST.get(path[0]) or request.GET.get(path[0])
    return _zone_of(field.related_model, value)


def _zone_filtered(request) -> str | None:
    """The zone of the one cycle or program a list is filtered to."""
    for key, value in request.GET.items():
        name = key.split("__")
        if "program" in name:
            zone = _zone_of(Program, value)
        elif "cycle" in name or key.endswith("cycle_id"):
            zone = _zone_of(Cycle, value)
        else:
            continue
        if zone:
            return zone
    return None


def _zone_otherwise(request) -> str:
    # The programs' content (no query while staff have not changed it).
    zones = {program.time_zone for program in selectors.programs()}
    if len(zones) == 1:
        return zones.pop()
    user = getattr(request, "user", None)
    return getattr(user, "time_zone", "") or settings.TIME_ZONE


def admin_time_zone(request, view_func, view_kwargs) -> str:
    """The time zone an admin page is shown and read in (see the module doc)."""
    model_admin = getattr(view_func, "model_admin", None)
    zone = None
    if model_admin is not None:
        model = model_admin.model
        object_id = view_kwargs.get("object_id")
        if object_id is not None:
            zone = _zone_of(model, unquote(object_id))
        elif request.path.endswith("/add/"):
            zone = _zone_chosen(request, model)
    if zone is None and "cycle_id" in view_kwargs:
        zone = _zone_of(Cycle, view_kwargs["cycle_id"])
    return zone or _zone_filtered(request) or _zone_otherwise(request)


class AdminTimeZoneMiddleware:
    """Activates the program's time zone on admin pages (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            if getattr(request, "admin_time_zone", None) is not None:
                timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        try:
            zone = zoneinfo.ZoneInfo(admin_time_zone(request, view_func, view_kwargs))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
        request.admin_time_zone = zone
        timezone.activate(zone)
        return None
