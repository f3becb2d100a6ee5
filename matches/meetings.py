"""The partners' record of their meetings: recording one, and the year's meetings and
hours as their match page shows them. (The committee's figures read the same rows in
``evaluation``.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext

from mentoring.models import User

from .models import Match, Meeting


def hours_words(minutes: int) -> str:
    """“1 hour”, “2.5 hours”, “45 minutes”: how long, in the words a person reads."""
    if minutes < 60:
        return f"{minutes} {ngettext('minute', 'minutes', minutes)}"
    hours = round(minutes / 60, 1)
    count = int(hours) if hours.is_integer() else 2
    return f"{hours:g} {ngettext('hour', 'hours', count)}"


@transaction.atomic
def meeting_record(
    *, match: Match, by: User, on: dt.date, minutes: int, way: str, notes: str = ""
) -> Meeting:
    """Record a meeting of an active match's partners (either may record it)."""
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(gettext("Meetings are recorded while the match is active."))
    if match.role_of(by) is None:
        raise ValidationError(gettext("Only the match's partners record its meetings."))
    meeting = Meeting(
        match=match, on=on, minutes=minutes, way=way, notes=notes.strip(), recorded_by=by
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@dataclass(frozen=True)
class MeetingsSummary:
    meetings: list[Meeting]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.meetings)

    @property
    def hours(self) -> str:
        return hours_words(self.minutes)

    @property
    def last(self) -> Meeting | None:
        return self.meetings[0] if self.meetings else None


def meetings_of(match: Match) -> MeetingsSummary:
    """The match's meetings, the latest first (one query)."""
    return MeetingsSummary(list(match.meetings.select_related("recorded_by")))
