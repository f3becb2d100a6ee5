"""The activity catalogs and the reading list from the program's own pages (seeds 000,
001 and 003), loaded by ``manage.py load_program_content``.

Idempotent, and never overwrites what staff changed: each category, activity and
resource is found by the key it was loaded under and created only when missing; an
existing one is left exactly as staff left it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from applications.models import Interest
from applications.selectors import CHOICES
from mentoring import content_cache
from mentoring.content_spanish import catalogue, fill_spanish
from mentoring.models import Program

from .models import Activity, Category, Resource
from .selectors import CATALOG, CATALOG_FILTERS

DATA = Path(__file__).parent / "data"


def _read(name: str) -> dict:
    return json.loads((DATA / name).read_text())


@transaction.atomic
def load(*, log=print) -> None:
    programs = {p.slug: p for p in Program.objects.all()}
    competencies = _read("competency_areas.json")
    if competencies["program"] in programs:
        _ensure_competency_areas(programs[competencies["program"]], competencies["names"], log)
    resources = _load_resources(_read("reading_list.json")["resources"], log)
    for spec in _read("catalog.json")["programs"]:
        program = programs.get(spec["program"])
        if program is None:
            log(f"No program “{spec['program']}”: its activity catalog was not loaded")
            continue
        _load_catalog(program, spec["categories"], resources, log)
    words = catalogue(DATA)
    fill_spanish(Category.objects.all(), ["name", "description"], words)
    fill_spanish(
        Activity.objects.all(), ["title", "summary", "steps", "discussion_question"], words
    )
    content_cache.content_changed(CATALOG)  # bulk inserts and update() send no signal
    content_cache.content_changed(CATALOG_FILTERS)


def _ensure_competency_areas(program: Program, names: list[str], log) -> None:
    """The program's competency areas, shared with the applications app by slug: whichever
    loader runs first creates them, the other finds them."""
    existing = set(Interest.objects.filter(program=program).values_list("slug", flat=True))
    missing = [
        Interest(
            program=program,
            kind=Interest.Kind.COMPETENCY,
            name=name,
            slug=slugify(name),
            position=position,
        )
        for position, name in enumerate(names, start=1)
        if slugify(name) not in existing
    ]
    for interest in missing:
        interest.full_clean()
    Interest.objects.bulk_create(missing)
    if missing:
        content_cache.content_changed(CHOICES)  # bulk inserts send no signal
        log(f"Created {len(missing)} competency areas of {program.short_name}")


def _load_resources(specs: list[dict], log) -> dict[str, Resource]:
    keys = [spec["key"] for spec in specs]
    found = {r.content_key: r for r in Resource.objects.filter(content_key__in=keys)}
    created = 0
    for position, spec in enumerate(specs, start=1):
        if spec["key"] in found:
            continue
        resource = Resource(
            content_key=spec["key"],
            kind=spec["kind"],
            authors="\n".join(spec.get("authors", [])),
            year=spec.get("year"),
            title=spec.get("title", ""),
            publication=spec.get("publication", ""),
            volume=spec.get("volume", ""),
            issue=spec.get("issue", ""),
            pages=spec.get("pages", ""),
            publisher=spec.get("publisher", ""),
            url=spec.get("url", ""),
            note=spec.get("note", ""),
            position=position,
        )
        resource.full_clean()
        resource.save()
        found[spec["key"]] = resource
        created += 1
    log(f"Reading list: {created} resources created, {len(specs) - created} kept")
    return found


def _load_catalog(program: Program, categories: list[dict], resources: dict, log) -> None:
    competency_areas = {
        i.slug: i for i in Interest.objects.filter(program=program, kind=Interest.Kind.COMPETENCY)
    }
    categories_here = list(program.activity_categories.all())
    by_key = {c.content_key: c for c in categories_here if c.content_key}
    by_slug = {c.slug: c for c in categories_here}
    activities_here = list(program.activities.values_list("content_key", "slug"))
    existing_activities = {key for key, _ in activities_here if key}
    activity_slugs = {slug for _, slug in activities_here}
    created_categories = created_activities = 0
    for category_position, category_spec in enumerate(categories, start=1):
        category = by_key.get(category_spec["key"])
        if category is None and category_spec["key"] in by_slug:
            # Staff made this category by hand before the content was loaded: adopt it.
            category = by_slug[category_spec["key"]]
            Category.objects.filter(pk=category.pk).update(content_key=category_spec["key"])
        if category is None:
            category = Category(
                program=program,
                content_key=category_spec["key"],
                name=category_spec["name"],
                slug=category_spec["key"],
                description=category_spec.get("description", ""),
                position=category_position,
            )
            category.full_clean()
            category.save()
            created_categories += 1
        for position, spec in enumerate(category_spec["activities"], start=1):
            if spec["key"] in existing_activities:
                continue
            if spec["key"] in activity_slugs:
                # Made by hand under the same address before loading: adopt it as it is.
                program.activities.filter(slug=spec["key"]).update(content_key=spec["key"])
                continue
            activity = Activity(
                program=program,
                category=category,
                content_key=spec["key"],
                title=spec["title"],
                slug=spec["key"],
                summary=spec["summary"],
                steps="\n".join(spec.get("steps", [])),
                phase=spec.get("phase", "any"),
                time_needed=spec.get("time_needed", Activity.TimeNeeded.AN_HOUR_OR_TWO),
                discussion_question=spec.get("discussion_question", ""),
                position=position,
            )
            activity.full_clean()
            activity.save()
            unknown = [s for s in spec.get("competency_areas", []) if s not in competency_areas]
            if unknown:
                raise ValueError(f"{spec['key']}: no competency areas {unknown} in {program}")
            activity.competency_areas.set(
                [competency_areas[s] for s in spec.get("competency_areas", [])]
            )
            activity.resources.set(
                [resources[key] for key in spec.get("resources", []) if key in resources]
            )
            created_activities += 1
    total = sum(len(c["activities"]) for c in categories)
    log(
        f"{program.short_name} catalog: {created_categories} categories and "
        f"{created_activities} activities created, {total - created_activities} kept"
    )
