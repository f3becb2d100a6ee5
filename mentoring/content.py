"""The program content from the program's own pages (seeds 003 and 004), loaded by
``manage.py load_program_content``.

Loading is idempotent and never overwrites what staff changed: a program, a cycle and
their parts are created when missing and otherwise left alone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import content_cache
from .content_spanish import catalogue, fill_spanish
from .models import Committee, Cycle, Event, Milestone, Program, ProgramObjective

CONTENT_FILE = Path(__file__).parent / "data" / "programs.json"


def program_year_start(today: dt.date) -> int:
    """The calendar year in which the current program year began: a program year runs
    from July 1 to June 30, so it is this year from July on and last year before."""
    return today.year if today.month >= 7 else today.year - 1


def _resolve(value: str, year: int) -> str:
    """Turn ``Y-09-01`` / ``Y1-06-30`` (the seed calendar's relative dates) into real ones."""
    return value.replace("Y1-", f"{year + 1}-").replace("Y-", f"{year}-")


def _date(value: str, year: int) -> dt.date:
    return dt.date.fromisoformat(_resolve(value, year))


def _moment(value: str, year: int, tz: str) -> dt.datetime:
    naive = dt.datetime.fromisoformat(_resolve(value, year))
    return naive.replace(tzinfo=ZoneInfo(tz))


WORDING = ("field_of_work", "position_examples")


@transaction.atomic
def load(*, today: dt.date | None = None, log=print) -> None:
    data = json.loads(CONTENT_FILE.read_text())
    for spec in data["programs"]:
        program, created = Program.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                key: spec[key]
                for key in (
                    "name",
                    "short_name",
                    "organization",
                    "description",
                    "contact_email",
                    "time_zone",
                    "position",
                    *WORDING,
                )
            },
        )
        if created:
            ProgramObjective.objects.bulk_create(
                ProgramObjective(program=program, position=i, text=text)
                for i, text in enumerate(spec["objectives"], start=1)
            )
            Committee.objects.bulk_create(
                Committee(program=program, position=i, name=name)
                for i, name in enumerate(spec["committees"], start=1)
            )
            content_cache.content_changed()  # bulk inserts send no signal
        # The program's wording, laid on a program made before it had any (an edit stays).
        wording = {k: spec[k] for k in WORDING if spec.get(k) and not getattr(program, k)}
        if wording:
            Program.objects.filter(pk=program.pk).update(**wording)
            content_cache.content_changed()  # a queryset update sends no signal
        log(f"{'Created' if created else 'Kept'} program {program.short_name}")

        # Past years as the program's pages record them, then the current program year
        # laid on the program's yearly calendar.
        cycles = list(spec.get("cycles", []))
        if "yearly_cycle" in spec:
            day = today or timezone.localdate(timezone.now(), ZoneInfo(program.time_zone))
            year = program_year_start(day)
            cycles.append({**spec["yearly_cycle"], "name": f"{year}-{year + 1}", "year": year})
        for cycle_spec in cycles:
            _load_cycle(program, cycle_spec, log)
    _load_spanish(log)


def _load_spanish(log) -> None:
    """The Spanish of the content (data/es.json) where it has none yet."""
    words = catalogue(CONTENT_FILE.parent)
    filled = (
        fill_spanish(
            Program.objects.all(),
            ["name", "organization", "description", "field_of_work", "position_examples"],
            words,
        )
        + fill_spanish(ProgramObjective.objects.all(), ["text"], words)
        + fill_spanish(Milestone.objects.all(), ["title", "description"], words)
        + fill_spanish(Event.objects.all(), ["title", "description", "location"], words)
    )
    if filled:
        content_cache.content_changed()  # bulk updates send no signal
    log(f"Spanish added to {filled} of the programs' texts")


def _load_cycle(program: Program, spec: dict, log) -> None:
    year = spec.get("year", 0)
    cycle, created = Cycle.objects.get_or_create(
        program=program,
        slug=slugify(spec["name"]),
        defaults={
            "name": spec["name"],
            "applications_open_on": _date(spec["applications"][0], year),
            "applications_close_on": _date(spec["applications"][1], year),
            "starts_on": _date(spec["program"][0], year),
            "ends_on": _date(spec["program"][1], year),
        },
    )
    log(f"{'Created' if created else 'Kept'} cycle {cycle}")
    if not created:
        return
    for m in spec["milestones"]:
        milestone = Milestone(
            cycle=cycle,
            kind=m["kind"],
            title=m["title"],
            description=m["description"],
            starts_on=_date(m["dates"][0], year),
            ends_on=_date(m["dates"][1], year),
        )
        milestone.full_clean()
        milestone.save()
    for e in spec["events"]:
        event = Event(
            cycle=cycle,
            kind=e["kind"],
            title=e["title"],
            description=e["description"],
            starts_at=_moment(e["starts"], year, e["time_zone"]),
            ends_at=_moment(e["ends"], year, e["time_zone"]),
            time_zone=e["time_zone"],
            all_day=e.get("all_day", False),
            location=e.get("location", ""),
        )
        event.full_clean()
        event.save()
