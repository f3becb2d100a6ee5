"""The partners' record of their meetings: recording one, and the year's meetings and
hours as their match page shows them. (The committee's figures read the same rows in
``evaluation``.)"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext

from mentoring import sql
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
    """The match's meetings, the latest first, each with who recorded it (one query):
    what ``match.meetings.select_related("recorded_by")`` reads, with SQL written out
    once a process (the match page reads it on every visit, and the ORM took longer to
    compose the query than the database to answer it)."""
    meetings = []
    split = len(_MEETING_READ)
    for row in sql.read(_meetings_sql(), [match.pk], _MEETING_FIELDS):
        meeting = sql.instance(Meeting, _MEETING_READ, row[:split])
        # The match, as its related manager sets it; who recorded it (None: nobody now).
        Meeting.match.field.set_cached_value(meeting, match)
        Meeting.recorded_by.field.set_cached_value(
            meeting,
            None if row[split] is None else sql.instance(User, _USER_READ, row[split:]),
        )
        meetings.append(meeting)
    return MeetingsSummary(meetings)


_MEETING_READ = sql.model_fields(Meeting)
_USER_READ = sql.model_fields(User)
_MEETING_FIELDS = (*_MEETING_READ, *_USER_READ)


@functools.cache
def _meetings_sql() -> str:
    """A match's meetings (its id given) in the meetings' own order (the latest first),
    each with who recorded it (select_related's LEFT OUTER JOIN: the account may be gone)."""
    return (
        f"SELECT {sql.columns(_MEETING_READ)}, {sql.columns(_USER_READ)} "
        f"FROM {sql.table(Meeting)} LEFT OUTER JOIN {sql.table(User)} "
        f"ON {sql.column(Meeting, 'recorded_by')} = {sql.column(User, 'id')} "
        f"WHERE {sql.column(Meeting, 'match')} = %s "
        f"ORDER BY {sql.column(Meeting, 'on')} DESC, {sql.column(Meeting, 'id')} DESC"
    )
