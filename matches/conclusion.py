"""The end of a match's year: concluding one match early (staff say why), every match of
a cycle, or, from the beat task, those of every cycle whose last day has come. Each
conclusion tells the upper apps through the ``match_concluded`` signal and writes to
both partners."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring.models import Cycle, User

from . import emails
from .models import Match
from .services import _lock_match, _transition
from .signals import match_concluded

Status = Match.Status


def _conclude(match: Match, *, by: User | None, reason: str, now) -> None:
    """Conclude a locked active match and write to both partners (once per match)."""
    _transition(match, Status.CONCLUDED)
    match.concluded_at = now
    match.concluded_by = by
    match.concluded_reason = reason
    match.full_clean()
    match.save()
    match_concluded.send(sender=Match, match=match)
    emails.send_conclusion(match)


def match_conclude(*, match: Match, by: User | None = None, reason: str = "") -> Match:
    """Conclude an active match: on its cycle's last day (the beat task), or earlier by
    staff, who then say why. The partners keep reading their goal sheet, activity log
    and newsletters; nothing reminds them of anything any more."""
    reason = (reason or "").strip()
    with transaction.atomic():
        match = _lock_match(match)
        if match.cycle.program.today() < match.cycle.ends_on and not reason:
            raise ValidationError(
                {
                    "concluded_reason": "The program year has not ended yet: say why the "
                    "match concludes early."
                }
            )
        _conclude(match, by=by, reason=reason, now=timezone.now())
    return match


def cycle_conclude(*, cycle: Cycle, by: User | None = None, reason: str = "") -> int:
    """Conclude every active match of a cycle; returns how many concluded now. Before the
    cycle's last day staff must say why. Safe to run twice: a match already concluded (or
    dissolved meanwhile) is left as it is, and each match is its own transaction, so one
    refused match does not keep the others active."""
    reason = (reason or "").strip()
    if cycle.program.today() < cycle.ends_on and not reason:
        raise ValidationError(
            {
                "concluded_reason": "The program year has not ended yet: say why its "
                "matches conclude early."
            }
        )
    concluded = 0
    ids = list(
        Match.objects.active().filter(cycle=cycle).order_by("pk").values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            match = (
                Match.objects.select_for_update(of=("self",))
                .select_related("mentor", "mentee", "cycle__program")
                .filter(pk=pk, status=Status.ACTIVE)
                .first()
            )
            if match is None:
                continue
            _conclude(match, by=by, reason=reason, now=timezone.now())
            concluded += 1
    return concluded


def cycles_conclude_ended() -> int:
    """The beat task's work: conclude the active matches of every cycle whose last day
    has come in its program's time zone. Returns how many matches concluded."""
    cycle_ids = Match.objects.active().values_list("cycle_id", flat=True).distinct().order_by()
    concluded = 0
    for cycle in Cycle.objects.filter(pk__in=cycle_ids).select_related("program"):
        if cycle.program.today() >= cycle.ends_on:
            concluded += cycle_conclude(cycle=cycle)
    return concluded
