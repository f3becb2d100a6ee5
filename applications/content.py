"""The interests and conferences offered on each program's application form, loaded by
``manage.py load_program_content`` from ``data/interests.json``.

Idempotent, and staff edits win: an interest (by its slug) or a conference (by its name)
that exists is left exactly as it is, so renaming, reordering or deactivating one in
admin survives every later load. Staff retire an item by making it inactive; deleting
it would bring it back on the next load.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from mentoring import content_cache
from mentoring.content_spanish import catalogue, fill_spanish
from mentoring.models import Program

from .models import Conference, Interest
from .selectors import CHOICES

CONTENT_FILE = Path(__file__).parent / "data" / "interests.json"


@transaction.atomic
def load(*, log=print) -> None:
    data = json.loads(CONTENT_FILE.read_text())
    for slug, spec in data["programs"].items():
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            log(f"No program “{slug}” yet: its interests were not loaded")
            continue
        existing = set(program.interests.values_list("slug", flat=True))
        new_interests = [
            Interest(
                program=program,
                kind=item["kind"],
                slug=item["slug"],
                name=item["name"],
                short_name=item.get("short_name", ""),
                description=item.get("description", ""),
                position=position,
            )
            for position, item in enumerate(spec["interests"], start=1)
            if item["slug"] not in existing
        ]
        for interest in new_interests:
            interest.full_clean()
        Interest.objects.bulk_create(new_interests)

        known = set(program.conferences.values_list("name", flat=True))
        new_conferences = [
            Conference(program=program, name=name, position=position)
            for position, name in enumerate(spec["conferences"], start=1)
            if name not in known
        ]
        Conference.objects.bulk_create(new_conferences)
        fill_spanish(
            program.interests.all(),
            ["name", "short_name", "description"],
            catalogue(CONTENT_FILE.parent),
        )
        # Bulk inserts and updates send no signal: the shared copy of the choices is old.
        content_cache.content_changed(CHOICES)
        log(
            f"{program.short_name}: {len(new_interests)} interests and "
            f"{len(new_conferences)} conferences added "
            f"({len(existing)} and {len(known)} kept as they were)"
        )
