"""Asking the committee for help, in confidence: a partner writes, the coordinators are
emailed, staff record the resolution. The other partner never sees any of it: every read
here is of the asker's own requests."""

from __future__ import annotations

import functools

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from mentoring import sql
from mentoring.models import User

from . import emails
from .models import HelpRequest, Match


def coordinators() -> QuerySet[User]:
    """The active staff who may resolve help requests: those the request is sent to."""
    permission = Permission.objects.filter(
        codename="change_helprequest", content_type__app_label="matches"
    ).first()
    allowed = Q(is_superuser=True)
    if permission is not None:
        allowed |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return User.objects.filter(is_active=True, is_staff=True).filter(allowed).distinct()


@transaction.atomic
def help_request_ask(*, match: Match, by: User, message: str) -> HelpRequest:
    """Record a partner's request and email it to every coordinator after commit."""
    role = match.role_of(by)
    if role is None:
        raise ValidationError(gettext("Only the match's partners ask the committee about it."))
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(gettext("This match has ended: write to the committee by email."))
    help_request = HelpRequest(match=match, asked_by=by, role=role, message=message.strip())
    help_request.full_clean()
    help_request.save()
    emails.send_help_request(help_request, to=list(coordinators()))
    return help_request


@transaction.atomic
def help_request_resolve(*, help_request: HelpRequest, by: User, resolution: str) -> HelpRequest:
    """Staff record how a request was resolved; the asker then sees it resolved."""
    if not resolution.strip():
        raise ValidationError({"resolution": gettext("Say how the request was resolved.")})
    locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    locked.resolution = resolution.strip()
    if locked.resolved_at is None:
        locked.resolved_at, locked.resolved_by = timezone.now(), by
    locked.full_clean()
    locked.save()
    return locked


def help_requests_of(*, match: Match, user: User) -> list[HelpRequest]:
    """The requests this person made about this match (never their partner's)."""
    if user.pk is None:
        return []
    # Written out (the match page asks on every visit): composed by the ORM, this read
    # of none or one or two rows took longer than the rest of the page's queries.
    statement, fields = _own_requests_sql()
    return [
        sql.instance(HelpRequest, fields, row)
        for row in sql.read(statement, [match.pk, user.pk], fields)
    ]


@functools.cache
def _own_requests_sql() -> tuple[str, list]:
    """One match's requests by one person, every column, newest first (the model's order)."""
    fields = sql.model_fields(HelpRequest)
    order = ", ".join(f"{sql.column(HelpRequest, name)} DESC" for name in ("created_at", "id"))
    statement = (
        f"SELECT {sql.columns(fields)} FROM {sql.table(HelpRequest)} "
        f"WHERE {sql.column(HelpRequest, 'match')} = %s "
        f"AND {sql.column(HelpRequest, 'asked_by')} = %s ORDER BY {order}"
    )
    return statement, fields
