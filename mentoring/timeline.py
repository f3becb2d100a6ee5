"""Where a cycle stands on a given day: its phase and its timeline.

Pure functions over milestones and events already loaded, so a page that shows the
phase and the timeline costs no extra queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .models import Event, Milestone

# The goal sheet is due on the last day of the cycle's introductions milestone, which is
# its goal-setting time too. The one rule for that date (GoalSheet's ``with_due_on`` says
# it in SQL with this kind).
GOAL_SHEET_DUE_KIND = Milestone.Kind.INTRODUCTIONS


def goal_sheet_due_on(milestones: Iterable[Milestone]) -> dt.date | None:
    """The day the goal sheet is due: the last day of the cycle's introductions and
    goal-setting milestone (from milestones already loaded). None without one."""
    ends = [m.ends_on for m in milestones if m.kind == GOAL_SHEET_DUE_KIND]
    return max(ends) if ends else None


PhaseState = Literal["upcoming", "current", "between", "concluded", "unscheduled"]


@dataclass(frozen=True)
class Phase:
    """The program's phase on ``day``.

    Milestones overlap (goal work runs December to June while the January networking
    session happens), so ``current`` holds every milestone under way, the most specific
    (shortest) first; ``primary`` is the one to name.
    """

    day: dt.date
    state: PhaseState
    current: tuple[Milestone, ...] = ()
    previous: Milestone | None = None
    next: Milestone | None = None

    @property
    def primary(self) -> Milestone | None:
        return self.current[0] if self.current else None

    @property
    def kind(self) -> str | None:
        return self.primary.kind if self.primary else None

    @property
    def label(self) -> str:
        if self.primary is not None:
            return self.primary.get_kind_display()
        if self.state == "upcoming":
            return "Not started yet"
        if self.state == "concluded":
            return "Concluded"
        if self.state == "between" and self.next is not None:
            return f"Before {self.next.get_kind_display().lower()}"
        return "Dates to be announced"  # a cycle whose milestones are not set yet


def phase_on(milestones: Sequence[Milestone], day: dt.date) -> Phase:
    """The phase of a cycle with these milestones on ``day``."""
    if not milestones:
        return Phase(day=day, state="unscheduled")
    current = sorted(
        (m for m in milestones if m.contains(day)),
        key=lambda m: (m.length_in_days, -m.starts_on.toordinal()),
    )
    past = [m for m in milestones if m.ends_on < day]
    upcoming = [m for m in milestones if m.starts_on > day]
    previous = max(past, key=lambda m: (m.ends_on, m.starts_on)) if past else None
    next_ = min(upcoming, key=lambda m: (m.starts_on, m.ends_on)) if upcoming else None
    if current:
        state: PhaseState = "current"
    elif not past:
        state = "upcoming"
    elif not upcoming:
        state = "concluded"
    else:
        state = "between"
    return Phase(day=day, state=state, current=tuple(current), previous=previous, next=next_)


EntryStatus = Literal["past", "current", "upcoming"]


@dataclass(frozen=True)
class TimelineEntry:
    item: Milestone | Event
    starts_on: dt.date
    ends_on: dt.date
    status: EntryStatus

    @property
    def is_event(self) -> bool:
        return isinstance(self.item, Event)

    @property
    def is_milestone(self) -> bool:
        return isinstance(self.item, Milestone)


@dataclass(frozen=True)
class Timeline:
    entries: tuple[TimelineEntry, ...]
    today: dt.date
    today_index: int
    """Where “today” falls: before ``entries[today_index]`` (== len(entries) at the end)."""

    @property
    def before_today(self) -> tuple[TimelineEntry, ...]:
        return self.entries[: self.today_index]

    @property
    def from_today(self) -> tuple[TimelineEntry, ...]:
        return self.entries[self.today_index :]

    def coming_up(self, limit: int) -> list[TimelineEntry]:
        """The next ``limit`` entries from today. A milestone that only announces an
        event of the same name inside it (the networking session's month and the
        session itself) is left out: the event says when, to the hour."""
        # Each title read once, and no further than the ``limit`` shown: a translated
        # title is slow to read and a year holds dozens of entries.
        events = [(e.item.title.casefold(), e.starts_on) for e in self.entries if e.is_event]
        shown = []
        for entry in self.from_today:
            if len(shown) == limit:
                break
            if entry.is_milestone:
                title = entry.item.title.casefold()
                if any(
                    name == title and entry.starts_on <= on <= entry.ends_on for name, on in events
                ):
                    continue
            shown.append(entry)
        return shown


def timeline_on(milestones: Sequence[Milestone], events: Sequence[Event], day: dt.date) -> Timeline:
    """Every milestone and event in date order, each marked past, current or upcoming."""
    entries = []
    for item in [*milestones, *events]:
        starts_on, ends_on = item.starts_on, item.ends_on
        if ends_on < day:
            status: EntryStatus = "past"
        elif starts_on > day:
            status = "upcoming"
        else:
            status = "current"
        entries.append(TimelineEntry(item, starts_on, ends_on, status))
    entries.sort(key=lambda e: (e.starts_on, e.ends_on, e.is_event))
    # Today's marker goes before the first entry that has not started yet.
    today_index = next((i for i, e in enumerate(entries) if e.starts_on > day), len(entries))
    return Timeline(entries=tuple(entries), today=day, today_index=today_index)
