"""The Spanish catalogue is complete (issue 21, point 5).

(a) Everything marked for translation in the code is in the committed catalogue
(``makemessages`` run with the team's options, the committed file put back after), and every entry
of the catalogue is translated and none is fuzzy: a new string marked without its Spanish
fails here.

(b) Every page of the query-count guard's world (the site's list pages, as each person
sees them, and the admin's changelists), asked for in Spanish, shows no text of the
English catalogue: a string left unmarked in a template, or marked and not translated,
fails here. Names and the program's content (factories' words) are not catalogue
entries, so they pass.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from mentoring.models import User

from .catalogue import (
    LOCALE,
    MAKEMESSAGES_OPTIONS,
    ROOT,
    english_sentences,
    msgattrib,
    parse,
    parse_file,
    visible_texts,
)

DOMAINS = {"django": [], "djangojs": ["-d", "djangojs"]}


def _merged(domain: str, committed_path) -> str:
    """The catalogue as makemessages makes it from the code now, with the team's options
    (it extracts and merges into the committed file, which is put back as it was)."""
    before = committed_path.read_bytes() if committed_path.exists() else None
    try:
        call_command(
            "makemessages", "-l", "es", *MAKEMESSAGES_OPTIONS, *DOMAINS[domain], verbosity=0
        )
        return committed_path.read_text(encoding="utf-8") if committed_path.exists() else ""
    finally:
        if before is None:
            committed_path.unlink(missing_ok=True)
        else:
            committed_path.write_bytes(before)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_string_is_in_the_catalogue_translated(domain, monkeypatch):
    monkeypatch.chdir(ROOT)  # makemessages walks the current directory
    committed_path = LOCALE / "es" / "LC_MESSAGES" / f"{domain}.po"
    committed = (
        {entry.key for entry in parse_file(committed_path)} if committed_path.exists() else set()
    )
    merged = parse(_merged(domain, committed_path))
    missing = [entry.msgid for entry in merged if entry.key not in committed]
    untranslated = [entry.msgid for entry in msgattrib(committed_path, "--untranslated")]
    fuzzy = [entry.msgid for entry in msgattrib(committed_path, "--only-fuzzy")]
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} marked strings missing from {domain}.po (run makemessages "
            f"with the team's options and translate them): {missing[:20]}"
        )
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated: {untranslated[:20]}")
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy: {fuzzy[:20]}")
    assert not problems, "\n".join(problems)


# --- Every page in Spanish ----------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_in_spanish_shows_no_english_of_the_catalogue(django_db_blocker):
    from tests.performance.test_query_counts import ALL_PAGES
    from tests.performance.world import World

    english = english_sentences()
    problems = []
    with transaction.atomic():
        world = World()
        world.grow(2)
        # The people's accounts say Spanish (a signed-in person reads their account's
        # language); visitors ask for it with their browser's Accept-Language.
        User.objects.update(language="es")
        clients = {"anonymous": Client(HTTP_ACCEPT_LANGUAGE="es")}
        for who in ("mentee", "mentor", "staff"):
            clients[who] = Client(HTTP_ACCEPT_LANGUAGE="es")
            clients[who].force_login(getattr(world, who))
        for name, page in ALL_PAGES.items():
            response = clients[page.who].get(page.url(world))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            content = response.content.decode()
            assert re.search(r'<html[^>]* lang="es"', content), f"{name}: <html lang> not es"
            left = sorted({text for text in visible_texts(content) if text in english})
            if left:
                problems.append(f"{name}: {left[:10]}")
        transaction.set_rollback(True)
    assert not problems, f"{len(problems)} pages show English:\n" + "\n".join(problems)
