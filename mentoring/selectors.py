"""Reads of the program core that pages share. Each returns rows with what the page
shows already fetched, so a page costs the same queries however long the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404

from . import content_cache
from .models import Cycle, Event, Milestone, Program
from .timeline import Phase, Timeline, phase_on, timeline_on


def programs_with_cycles() -> QuerySet[Program]:
    """Programs with their objectives, committees, cycles and each cycle's timeline."""
    return Program.objects.prefetch_related(
        "objectives",
        "committees",
        Prefetch(
            "cycles",
            queryset=Cycle.objects.prefetch_related(
                Prefetch("milestones", queryset=Milestone.objects.order_by("starts_on", "id")),
                Prefetch("events", queryset=Event.objects.order_by("starts_at", "id")),
            ),
        ),
    )


def programs() -> list[Program]:
    """Every program as :func:`programs_with_cycles` loads it, from the shared cache
    while staff have not changed it (``content_cache``)."""
    return content_cache.program_content(lambda: list(programs_with_cycles()))


def with_shared_cycle(match) -> None:
    """Give ``match`` (anything with a cycle) its cycle with the program, milestones and
    events from the programs' shared content (read-only), instead of a milestone query
    per page. A cycle the content does not know yet (written where no signal told it)
    gets its milestones from the database."""
    for program in programs():
        for cycle in program.cycles.all():
            if cycle.pk == match.cycle_id:
                match.cycle = cycle
                return
    prefetch_related_objects(
        [match],
        Prefetch("cycle__milestones", queryset=Milestone.objects.order_by("starts_on", "id")),
    )


def program_get(*, slug: str) -> Program:
    for program in programs():
        if program.slug == slug:
            return program
    raise Http404("No such program")


def current_cycle(program: Program, day: dt.date) -> Cycle | None:
    """The cycle a visitor cares about today, from prefetched cycles: the program year
    under way; else the one taking applications; else the next to come; else the last.

    Next year's applications may open while this year's matches are still at work; the
    year under way stays the current one until it ends."""
    return _current_of(list(program.cycles.all()), day)


def _current_of(cycles: list[Cycle], day: dt.date) -> Cycle | None:
    if not cycles:
        return None
    running = [c for c in cycles if c.starts_on <= day <= c.ends_on]
    if running:
        return max(running, key=lambda c: c.starts_on)
    applying = [c for c in cycles if c.contains(day)]
    if applying:
        return min(applying, key=lambda c: c.first_day)
    upcoming = [c for c in cycles if c.first_day > day]
    if upcoming:
        return min(upcoming, key=lambda c: c.first_day)
    return max(cycles, key=lambda c: c.ends_on)


@dataclass(frozen=True)
class ApplicationWindow:
    """What to tell people about applying, today."""

    state: str  # "open", "upcoming", "closed" or "none"
    cycle: Cycle | None = None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def application_window(program: Program, day: dt.date) -> ApplicationWindow:
    cycles = list(program.cycles.all())
    open_now = [c for c in cycles if c.accepts_applications_on(day)]
    if open_now:
        return ApplicationWindow("open", min(open_now, key=lambda c: c.applications_close_on))
    upcoming = [c for c in cycles if c.applications_open_on > day]
    if upcoming:
        return ApplicationWindow("upcoming", min(upcoming, key=lambda c: c.applications_open_on))
    if cycles:
        return ApplicationWindow("closed", max(cycles, key=lambda c: c.applications_close_on))
    return ApplicationWindow("none")


@dataclass(frozen=True)
class ProgramOverview:
    program: Program
    today: dt.date
    cycle: Cycle | None
    phase: Phase | None
    window: ApplicationWindow
    timeline: Timeline | None

    @property
    def coming_up(self) -> list:
        """The next three entries of the timeline, for the program's page."""
        return self.timeline.coming_up(3) if self.timeline else []


def program_overview(program: Program, *, day: dt.date | None = None) -> ProgramOverview:
    """Everything the program's page shows, from a program loaded by
    :func:`programs_with_cycles` (no further queries)."""
    day = day or program.today()
    cycle = current_cycle(program, day)
    phase = timeline = None
    if cycle is not None:
        milestones = list(cycle.milestones.all())
        phase = phase_on(milestones, day)
        timeline = timeline_on(milestones, list(cycle.events.all()), day)
    return ProgramOverview(
        program=program,
        today=day,
        cycle=cycle,
        phase=phase,
        window=application_window(program, day),
        timeline=timeline,
    )


def cycle_get(*, program: Program, slug: str) -> Cycle:
    """A cycle of a program loaded by :func:`programs_with_cycles` (prefetched)."""
    for cycle in program.cycles.all():
        if cycle.slug == slug:
            return cycle
    raise Http404("No such cycle")


# A cycle is on the committee's desk from a fortnight before its applications open until
# two months after it ends (final outcomes, the report, the closing survey).
BEFORE_APPLICATIONS = dt.timedelta(days=14)
AFTER_THE_END = dt.timedelta(days=60)


def on_the_desk(cycle: Cycle, day: dt.date) -> bool:
    """Whether the committee is at work on ``cycle`` on ``day`` (its program's today)."""
    return cycle.applications_open_on - BEFORE_APPLICATIONS <= day <= cycle.ends_on + AFTER_THE_END


def committee_cycles(every: Iterable[Cycle] | None = None) -> list[Cycle]:
    """The cycles the committee's lists open on: each program's cycles on the desk today,
    else its current cycle (a program between years still shows its latest). One query,
    whatever the cache holds, so a list costs the same on every visit; none when the
    caller already read every cycle with its program (``every``)."""
    if every is None:
        every = Cycle.objects.select_related("program").order_by("program__position", "pk")
    else:
        every = sorted(every, key=lambda c: (c.program.position, c.pk))
    by_program: dict[int, list[Cycle]] = {}
    for cycle in every:
        by_program.setdefault(cycle.program_id, []).append(cycle)
    found = []
    for cycles in by_program.values():
        program = cycles[0].program
        day = program.today()
        chosen = [c for c in cycles if on_the_desk(c, day)]
        if not chosen:
            current = _current_of(cycles, day)
            chosen = [current] if current is not None else []
        found += sorted(chosen, key=lambda c: c.starts_on)
    return found
