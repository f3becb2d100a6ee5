"""Reading gettext catalogues (polib is not a dependency: a tiny parser of what
makemessages writes, with gettext's own msgattrib for the untranslated and fuzzy)."""

from __future__ import annotations

import ast
import shutil
import subprocess
from dataclasses import dataclass, field
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
