"""The programs' own content in Spanish, for ``manage.py load_program_content``.

Each app that loads content keeps the Spanish beside its English seeds, in
``<app>/data/es.json``: one object mapping each English text to its Spanish (written by
the team, in the register and vocabulary of ``locale/GLOSSARY.md``). A text of several
lines (an activity's steps, a question's choices) is translated line by line.

Loading fills a Spanish field only where it is empty: what staff wrote in admin stays,
and running the loader again adds the Spanish to content loaded before it existed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models


@cache
def catalogue(data_dir: Path) -> dict[str, str]:
    """English → Spanish of one app's content (empty when it has none)."""
    path = Path(data_dir) / "es.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def spanish(text: str | None, words: dict[str, str]) -> str | None:
    """The Spanish of ``text``, or None when the catalogue lacks it (or any of its lines)."""
    if not text:
        return None
    found = words.get(text) or words.get(text.strip())
    if found:
        return found
    lines = text.splitlines()
    if len(lines) > 1:
        translated = [words.get(line.strip()) if line.strip() else "" for line in lines]
        if all(t is not None for t in translated):
            return "\n".join(translated)
    return None


def fill_spanish(
    objects: Iterable[models.Model], fields: Iterable[str], words: dict[str, str]
) -> int:
    """Give each object the Spanish of its English ``fields`` where its Spanish is empty;
    returns how many objects changed. Saved with ``bulk_update`` (no signal: the caller
    tells the content cache)."""
    fields = list(fields)
    changed = []
    model = None
    for obj in objects:
        model = type(obj)
        touched = False
        for field in fields:
            if getattr(obj, f"{field}_es", None):
                continue
            found = spanish(getattr(obj, f"{field}_en", None), words)
            if found:
                setattr(obj, f"{field}_es", found)
                touched = True
        if touched:
            changed.append(obj)
    if changed and model is not None:
        model.objects.bulk_update(changed, [f"{field}_es" for field in fields])
    return len(changed)


def in_every_language(obj: models.Model, *fields: str) -> dict[str, object]:
    """Each translated field's value in every language (``title_en``, ``title_es``...), to
    copy an object's text whole: the plain field is only the active language's."""
    return {
        f"{field}_{code}": getattr(obj, f"{field}_{code}")
        for field in fields
        for code, _ in settings.LANGUAGES
    }
