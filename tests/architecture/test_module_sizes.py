"""No hand-written module of the apps is over 500 lines (migrations aside): a module that
grows past it holds more than one audience's code and is split along them (issue 15)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

MAX_LINES = 500


def _own_app_dirs() -> list[Path]:
    """The directories of the project's own apps (those inside the repository)."""
    root = Path(settings.BASE_DIR).resolve()
    return sorted(
        {
            Path(config.path).resolve()
            for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(root)
            and ".venv" not in Path(config.path).parts
        }
    )


def _modules() -> list[Path]:
    return [
        path
        for app in _own_app_dirs()
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
    ]


def test_the_check_sees_the_apps_modules():
    """The check cannot pass by looking at nothing."""
    root = Path(settings.BASE_DIR).resolve()
    names = {path.relative_to(root).as_posix() for path in _modules()}
    assert {"mentoring/models/core.py", "goals/views.py", "matches/engine/solver.py"} <= names
    assert not any("/migrations/" in name for name in names)
    assert len(names) > 100


def test_no_module_of_the_apps_is_over_500_lines():
    sizes = {path: len(path.read_text().splitlines()) for path in _modules()}
    too_long = sorted(f"{path} ({n} lines)" for path, n in sizes.items() if n > MAX_LINES)
    assert not too_long, f"Split these along their audiences: {too_long}"
