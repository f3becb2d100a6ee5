"""Refuse to install from a lock that is out of step with pyproject.toml.

The lock (requirements.txt, and requirements-dev.txt for the dev extras on top) is what
every install uses; pyproject.toml is what we ask for. They drift when someone edits one
and not the other. This check needs no network: every requirement of pyproject.toml must be
pinned in its lock at a version that satisfies it; every pin the lock says it took for
pyproject.toml must still be asked for; the dev lock repeats the runtime pins exactly.

Run with the virtualenv's Python (it borrows pip's copy of `packaging`):
    .venv/bin/python .ci/lock_in_step.py
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a bare virtualenv: pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\;]+)")
ASKED_BY_PROJECT = "(pyproject.toml)"


def read_lock(path: Path) -> tuple[dict[str, str], set[str]]:
    """The pins of a compiled lock, and which of them it took for pyproject.toml."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    current = None
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = match[2]
        elif current and ASKED_BY_PROJECT in line and line.lstrip().startswith("#"):
            direct.add(current)
    return pins, direct


def problems() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    asked = {
        "requirements.txt": [Requirement(r) for r in project["dependencies"]],
        "requirements-dev.txt": [
            Requirement(r)
            for r in project["dependencies"] + project["optional-dependencies"]["dev"]
        ],
    }
    found = []
    locks = {}
    for name, requirements in asked.items():
        path = ROOT / name
        if not path.exists():
            found.append(f"{name} is missing")
            continue
        pins, direct = locks[name] = read_lock(path)
        wanted = {canonicalize_name(r.name) for r in requirements}
        for requirement in requirements:
            key = canonicalize_name(requirement.name)
            if key not in pins:
                found.append(f"{name}: {requirement} is not in the lock")
            elif not requirement.specifier.contains(pins[key], prereleases=True):
                found.append(f"{name}: {key}=={pins[key]} does not satisfy {requirement}")
        for key in sorted(direct - wanted):
            found.append(f"{name}: {key} is locked for pyproject.toml, which no longer asks")
    if len(locks) == 2:
        runtime, dev = locks["requirements.txt"][0], locks["requirements-dev.txt"][0]
        for key, version in runtime.items():
            if dev.get(key) != version:
                found.append(
                    f"requirements-dev.txt: {key}=={dev.get(key)} but requirements.txt "
                    f"has {version}"
                )
    return found


if __name__ == "__main__":
    if found := problems():
        print("The lock is out of step with pyproject.toml:", file=sys.stderr)
        for line in found:
            print(f"  - {line}", file=sys.stderr)
        print("Run `make lock` (or `make upgrade`) and commit the result.", file=sys.stderr)
        sys.exit(1)
