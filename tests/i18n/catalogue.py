"""Reading gettext catalogues (polib is not a dependency: a tiny parser of what
makemessages writes, with gettext's own msgattrib for the untranslated and fuzzy)."""

from __future__ import annotations

import ast
import html
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALE = ROOT / "locale"
# The options the team extracts with (README, locale/GLOSSARY.md): the same here.
MAKEMESSAGES_OPTIONS = [
    "--no-location",
    "--ignore=.venv",
    "--ignore=node_modules",
    "--ignore=staticfiles",
    "--ignore=tests",
    "--ignore=bench",
]


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy


def parse_file(path: Path) -> list[Entry]:
    return parse(path.read_text(encoding="utf-8"))


def parse(text: str) -> list[Entry]:
    """The entries of a .po text (the header and obsolete “#~” entries left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    fuzzy = False
    last: str | None = None
    parts: dict[str, str] = {}

    def finish() -> None:
        nonlocal current, parts, fuzzy
        if "msgid" in parts and parts["msgid"]:
            strs = [parts[k] for k in sorted(parts) if k.startswith("msgstr")]
            entries.append(
                Entry(
                    msgid=parts["msgid"],
                    msgctxt=parts.get("msgctxt"),
                    msgid_plural=parts.get("msgid_plural"),
                    msgstr=strs,
                    fuzzy=fuzzy,
                )
            )
        parts, fuzzy = {}, False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            last = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if "msgid" in parts:
                finish()
            fuzzy = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if last is not None:
                parts[last] += ast.literal_eval(line)
            continue
        keyword, _, rest = line.partition(" ")
        # Entries are separated by blank lines; this catches one that is not.
        starts_entry = keyword == "msgctxt" or (keyword == "msgid" and last != "msgctxt")
        if starts_entry and "msgid" in parts:
            finish()
        # msgstr[0] → "msgstr[0]"; kept in order by sorted().
        parts[keyword] = ast.literal_eval(rest)
        last = keyword
    finish()
    return entries


def msgattrib(path: Path, *options: str) -> list[Entry]:
    """The entries gettext's msgattrib selects (--untranslated, --only-fuzzy...)."""
    tool = shutil.which("msgattrib")
    if tool is None:
        raise RuntimeError("gettext's msgattrib is missing: make install installs it")
    out = subprocess.run(
        [tool, "--no-obsolete", *options, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return parse(out)


# --- What a page or an email shows ----------------------------------------------------


class _VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes outside script and style, and the
    attributes read aloud or shown (alt, title, aria-label, placeholder, button values)."""

    HIDDEN = {"script", "style", "template"}
    SPOKEN = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if value and (name in self.SPOKEN or (name == "value" and ("type", "submit") in attrs)):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def visible_texts(page: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(page)
    return [" ".join(text.split()) for text in parser.texts]


def english_sentences() -> set[str]:
    """The catalogue's English that reads differently in Spanish, long enough to be the
    site's own words rather than a name (a msgid without placeholders, of two words or
    more: “Sign out”, “Your goals”)."""
    path = LOCALE / "es" / "LC_MESSAGES" / "django.po"
    found = set()
    for entry in parse_file(path):
        text = " ".join(entry.msgid.split())
        if "%" in text or "{" in text or "<" in text or len(text.split()) < 2:
            continue
        if entry.msgstr and entry.msgstr[0] and " ".join(entry.msgstr[0].split()) == text:
            continue  # the same in both languages
        found.add(html.unescape(text))
    return found


def english_left(texts: list[str]) -> list[str]:
    """The texts that are the catalogue's English (what a Spanish reader must not see)."""
    english = english_sentences()
    return sorted({text for text in texts if text in english})


def english_left_in_text(body: str) -> list[str]:
    """The same for a plain-text email: its lines, and its sentences."""
    texts = []
    for line in body.splitlines():
        line = " ".join(line.split())
        texts.append(line)
        texts += [part.strip() + "." for part in line.split(".") if part.strip()]
    return english_left(texts)
