"""The rules a pair must pass before staff match them by hand, confirm or swap: both
accepted, in their roles and cycle, no hard rule of the engine broken, and a place left
with the mentor. Each refusal is a ValidationError in the reader's language."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from applications.models import Application

from . import cohorts, engine
from .engine.explain import join
from .models import Match

Status = Match.Status


def check_accepted(mentee: Application, mentor: Application) -> None:
    if mentee.role != Application.Role.MENTEE:
        raise ValidationError(
            {"mentee": gettext("%(name)s did not apply as a mentee.") % {"name": mentee}}
        )
    if mentor.role != Application.Role.MENTOR:
        raise ValidationError(
            {"mentor": gettext("%(name)s did not apply as a mentor.") % {"name": mentor}}
        )
    if mentor.cycle_id != mentee.cycle_id:
        raise ValidationError(
            {"mentor": gettext("The mentor and the mentee applied for different cycles.")}
        )
    for field, application in (("mentee", mentee), ("mentor", mentor)):
        if application.status != Application.Status.ACCEPTED:
            raise ValidationError(
                {
                    field: gettext("%(name)s's application is %(status)s, not accepted.")
                    % {
                        "name": application.display_name,
                        "status": application.get_status_display().lower(),
                    }
                }
            )


def check_rules(mentee: Application, mentor: Application) -> engine.Explanation:
    """The pair's explanation, or a ValidationError naming the hard rule it breaks."""
    explanation = cohorts.pair_explanation(mentee, mentor)
    if explanation.broken:
        raise ValidationError(
            gettext("%(mentee)s and %(mentor)s cannot be matched: %(rules)s.")
            % {
                "mentee": mentee.display_name,
                "mentor": mentor.display_name,
                "rules": join(explanation.broken),
            }
        )
    return explanation


def check_room(mentor: Application, *, besides: Match | None = None) -> None:
    """The mentor (row locked by the caller) has a place left for one more open match."""
    open_matches = Match.objects.filter(
        mentor_id=mentor.pk, status__in=[Status.PROPOSED, Status.ACTIVE]
    )
    if besides is not None:
        open_matches = open_matches.exclude(pk=besides.pk)
    taken = open_matches.count()
    capacity = mentor.mentee_capacity or 0
    if taken >= capacity:
        raise ValidationError(
            {
                "mentor": gettext(
                    "%(name)s has no place left (%(taken)s of %(capacity)s taken by proposed "
                    "or confirmed matches)."
                )
                % {"name": mentor.display_name, "taken": taken, "capacity": capacity}
            }
        )
