"""The example goals of the program's pages (seeds 001 and 002), loaded by
``manage.py load_program_content``.

Idempotent, and never overwrites staff edits: an example is created when its key is
missing from its program, and an existing one is left as staff keep it. Staff retire an
example by making it inactive (a deleted one would come back on the next load).

Examples are tagged with the program's competency areas the data file names. Those
areas may be loaded by an app that runs later, so an example still without any is
tagged once they exist; areas an example has are never changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from applications.models import Interest
from mentoring.content_spanish import catalogue, fill_spanish
from mentoring.models import Program

from .models import ExampleGoal

CONTENT_FILE = Path(__file__).parent / "data" / "example_goals.json"


@transaction.atomic
def load(*, log: Callable[[str], object] = print) -> None:
    data = json.loads(CONTENT_FILE.read_text())
    for spec in data["programs"]:
        program = Program.objects.filter(slug=spec["program"]).first()
        if program is None:
            log(f"No program “{spec['program']}” yet: its example goals were not loaded")
            continue
        existing = {
            example.key: example
            for example in ExampleGoal.objects.filter(program=program).prefetch_related(
                "competency_areas"
            )
        }
        created = tagged = 0
        for position, item in enumerate(spec["examples"], start=1):
            example = existing.get(item["key"])
            is_new = example is None
            if is_new:
                example = ExampleGoal(
                    program=program,
                    key=item["key"],
                    title=item["title"],
                    specific=item["specific"],
                    measurable=item["measurable"],
                    achievable=item["achievable"],
                    relevant=item["relevant"],
                    position=position,
                )
                example.full_clean()
                example.save()
                created += 1
            elif example.competency_areas.all():
                continue  # staff's (or an earlier load's) choice stands
            areas = _competencies(program, item.get("competencies", []))
            if areas:
                example.competency_areas.set(areas)
                tagged += not is_new
        fill_spanish(
            ExampleGoal.objects.filter(program=program),
            ["title", "specific", "measurable", "achievable", "relevant"],
            catalogue(CONTENT_FILE.parent),
        )
        kept = len(spec["examples"]) - created
        log(
            f"Example goals of {program.short_name}: {created} created, {kept} kept"
            + (f" ({tagged} given their competency areas)" if tagged else "")
        )


def _competencies(program: Program, words: list[str]) -> list[Interest]:
    """The program's competency areas whose name or slug contains one of ``words``."""
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(name__icontains=word) | Q(slug__icontains=word)
    return list(
        Interest.objects.filter(program=program, kind=Interest.Kind.COMPETENCY).filter(match)
    )
